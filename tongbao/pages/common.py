"""What every page shares: the package's templates, search tokens, the unit page model."""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .. import layout
from ..charts import Chart

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@functools.lru_cache(maxsize=65536)  # ten years of ledgers name the same projects again
def search_token(kind: str, ident: str) -> str:
    """An ASCII word Pagefind indexes exactly (see assets/search.js): tbu… for a unit,
    tbp… for a project. Chinese names are segmented ambiguously (城东区 = 城 + 东区)."""
    return f"tb{kind}" + re.sub(r"[^0-9a-z]", "", ident.lower())


@dataclass
class UnitPage:
    """One unit's page: who it is, its own chart(s), its projects in the latest ledger."""

    unit: dict  # unit_id, name, group, aliases
    charts: list[Chart]
    projects: list[dict]
    projects_period: str | None


def latest_page(period: str, label: str) -> bytes:
    """bulletins/latest.html: the stable address of the newest issue, which older
    bulletins link to. A redirect with a visible link (works from disk, too)."""
    target = escape(layout.link(layout.LATEST, layout.bulletin_page(period)))
    text = (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}">\n'
        f"<title>最新一期：{escape(label)}</title></head>\n"
        f'<body><p>最新一期：<a href="{target}">{escape(label)}</a></p></body></html>\n'
    )
    return text.encode("utf-8")


def chart_csv(chart: Chart) -> bytes:
    """UTF-8 with BOM: Excel on a Chinese Windows opens it without garbling."""
    out = io.StringIO()
    if chart.rows:
        writer = csv.DictWriter(out, fieldnames=list(chart.rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(chart.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
