"""Pages: the render stage's one owner (view models of bulletins, units, home, archive,
definitions and the nav), from published figures, commentary and charts.

- `common`: the city's words (SiteText), where pages live, links, the page records
- `views`: figures → formatted values for the templates
- `assets`: the stylesheet, scripts and vendored Vega bundle every page loads
- `make`: templates filled into a Tree of pages and files, and the nav
"""

from .assets import assets
from .common import Bulletin, SiteText, UnitPage, newest
from .make import make_pages, unit_pages

__all__ = ["Bulletin", "SiteText", "UnitPage", "assets", "make_pages", "newest", "unit_pages"]
