"""tongbao: 招商引资月度通报生成器。"""

from pathlib import Path
from typing import Any


def figures(root: str | Path = ".") -> Any:
    """Every figure of every issued month as one tidy pandas DataFrame.

    See tongbao.archive_data for the columns and dtypes, tongbao.frame for where the
    figures are read from."""
    from .frame import figures as tidy_figures

    return tidy_figures(root)
