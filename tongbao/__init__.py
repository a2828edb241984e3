"""tongbao: 招商引资月度通报生成器。"""

import os
from pathlib import Path
from typing import Any

# openpyxl writes its XML with lxml whenever lxml is installed (python-docx brings it)
# and those bytes differ from its own writer's: the workbooks tongbao writes (the demo's
# committed files, the templates) must not depend on what else is installed.
os.environ.setdefault("OPENPYXL_LXML", "False")


def figures(root: str | Path = ".") -> Any:
    """Every figure of every issued month as one tidy pandas DataFrame.

    See tongbao.exports.archive for the columns and dtypes, tongbao.frame for where the
    figures are read from."""
    from .frame import figures as tidy_figures

    return tidy_figures(root)
