"""The archive as a pandas DataFrame: `tongbao.figures(root)`.

The same tidy table as `site/data/figures.csv` (columns and value types: see
tongbao/exports/archive.py), read from the JSON the last build wrote, or computed from
`data/` and `content/` when there is no built site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import pipeline
from .exports.archive import COLUMNS, DTYPES, figure_rows
from .pages.make import figures_json
from .periods import is_period


def read_months(data_dir: Path) -> list[dict]:
    """The published months' JSON (data/YYYY-MM.json) in order."""
    paths = sorted(p for p in data_dir.glob("*.json") if is_period(p.stem))
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def figures_frame(months: list[dict]) -> Any:
    """The tidy table as a pandas DataFrame with the columns and dtypes of `DTYPES`."""
    import pandas as pd

    rows = figure_rows(months)
    frame = pd.DataFrame(
        {
            name: pd.Series([r[i] for r in rows], dtype=DTYPES[name])
            for i, name in enumerate(COLUMNS)
        }
    )
    return frame


def figures(root: str | Path = ".") -> Any:
    """Every figure of every issued month as a pandas DataFrame (see the module's doc).

    Reads `site/data/*.json` under `root` as the last build wrote them; when there is no
    built site, computes the figures from `data/` and `content/` (the build's own check,
    drafts left out). Raises ValueError when the data have errors.
    """
    root = Path(root)
    months = read_months(root / "site" / "data")
    if not months:
        checked = pipeline.check(root)
        if checked.report.errors:
            raise ValueError(checked.report.format())
        months = [checked.figures[p] for p in checked.published]
        months = [json.loads(figures_json(m)) for m in months]
    return figures_frame(months)
