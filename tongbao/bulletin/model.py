"""The model of a month's bulletin, one for every output: the web page, the PDF, the
Word file, the unit sheets and the slides are all rendered from a `Bulletin` (its
figures, commentary, charts and what the record says of it) and the city's words."""

from __future__ import annotations

from dataclasses import dataclass

from ..charts import Chart
from ..compute.revisions import Correction, Withdrawal
from ..config import Config
from ..read.calendar import Planned


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
