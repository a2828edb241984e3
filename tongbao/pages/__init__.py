"""Pages: the render stage's one owner (view models of bulletins, units, home, archive,
definitions and the nav), from published figures, commentary and charts.

- `common`: the package's templates, search tokens, the unit page model (the bulletin's
  is tongbao/bulletin/model.py; paths and links are tongbao/layout.py)
- `views`: figures → formatted values for the templates
- `assets`: the stylesheet, scripts and vendored Vega bundle every page loads
- `make`: templates filled into a Tree of pages and files, and the nav
"""

from .assets import assets
from .common import UnitPage
from .make import make_pages
from .units import unit_pages

__all__ = ["UnitPage", "assets", "make_pages", "unit_pages"]
