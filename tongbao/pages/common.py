"""What every page shares: the city's words, the bulletin and unit page models."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from .. import layout
from ..charts import Chart
from ..compute.revisions import Correction, Withdrawal
from ..config import Config
from ..read.calendar import Planned

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@dataclass(frozen=True)
class SiteText:
    """Names that belong to the city, from mkdocs.yml (extra.tongbao, see config.py)."""

    city: str
    issuer: str
    title: str
    site_url: str | None = None  # optional: makes feed and sitemap links absolute

    @classmethod
    def from_config(cls, config: Config) -> SiteText:
        """The checked settings of mkdocs.yml (config.py reads and declares them)."""
        return cls(
            city=str(config.value("city")),
            issuer=str(config.value("issuer")),
            title=str(config.value("bulletin_title")),
            site_url=config.site_url or None,
        )

    @property
    def masthead(self) -> str:
        """The title every bulletin is issued under (kept in its record)."""
        return f"{self.city}{self.title}"


@functools.lru_cache(maxsize=65536)  # ten years of ledgers name the same projects again
def search_token(kind: str, ident: str) -> str:
    """An ASCII word Pagefind indexes exactly (see assets/search.js): tbu… for a unit,
    tbp… for a project. Chinese names are segmented ambiguously (城东区 = 城 + 东区)."""
    return f"tb{kind}" + re.sub(r"[^0-9a-z]", "", ident.lower())


@dataclass
class Bulletin:
    """One published month: its figures and what the pages show of it."""

    period: str
    figures: dict
    commentary: str | None  # Markdown with figures filled in
    meta: dict
    charts: list[Chart]  # each drawn as the placeholder of its `svg_id` (see Tree.inline)
    workbook: bytes | None  # the published tables as .xlsx (None: not made yet)
    digest: str = ""  # a hash of the figures' content: with it, pages can be cached
    correction: Correction | None = None  # its 更正说明 (figures differ from the record)
    next_planned: Planned | None = None  # the latest only: 下期计划印发 (data/calendar.csv)
    withdrawn: Withdrawal | None = None  # 撤回 after it was issued: shown as issued
    newest: str = ""  # the latest bulletin's period ("": the last; make_pages sets it)


def newest(bulletins: list[Bulletin]) -> Bulletin | None:
    """The latest bulletin: the newest not withdrawn (a withdrawn one is not current)."""
    return next((b for b in reversed(bulletins) if b.withdrawn is None), None)


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
