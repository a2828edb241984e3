"""The home page and the archive (往期通报): the latest issue's cards and 红黑榜, the
list of every month with its headline figures, and the archive's data files."""

from __future__ import annotations

from jinja2 import Environment

from .. import keys, layout
from ..bulletin.model import Bulletin, SiteText
from ..cache import Cache
from ..exports import archive as archive_data
from ..periods import year_of
from . import standings, views
from .common import latest_page
from .rendering import render
from .tree import Tree


def add_home_and_archive(
    tree: Tree,
    env: Environment,
    bulletins: list[Bulletin],
    summaries: list[dict],
    current: Bulletin | None,
    labels: dict[str, str],
    *,
    site_text: SiteText,
    calendar: bool,
    cache: Cache,
    downloads: bool,
) -> None:
    """index.md, bulletins/index.md, figures.csv/.xlsx and the latest redirect."""
    periods = [b.period for b in bulletins]
    at = bulletins.index(current) if current is not None else -1
    tree.add(
        layout.HOME,
        render(
            env,
            "index.md.j2",
            site=site_text,
            latest=home_latest(summaries[at]) if current is not None else None,
            next_planned=views.planned_view(current.next_planned) if current else None,
            calendar_href=layout.CALENDAR if calendar else None,
            recent=listing(summaries[::-1][:12], layout.HOME),
            red_black=standings.red_black_list(current.figures) if current else [],
            archive_href=layout.link(layout.HOME, layout.ARCHIVE),
        ),
    )
    years = []
    for year in sorted({year_of(p) for p in periods}, reverse=True):
        items = [s for s in summaries[::-1] if year_of(s["period"]) == year]
        years.append({"year": year, "bulletins": listing(items, layout.ARCHIVE, bulletins)})
    # the archive as data (tongbao/exports/archive.py), linked from the archive page
    published = [(b.period, digest_of(b)) for b in bulletins if b.withdrawn is None]
    archive = archive_data.archive_files(
        published, lambda p: tree[layout.month_json(p)], site_text.title, cache, make=downloads
    )
    if archive is not None:
        tree.add(layout.FIGURES_CSV, archive[0])
        tree.add(layout.FIGURES_XLSX, archive[1])
    tree.add(
        layout.ARCHIVE,
        render(
            env,
            "archive.md.j2",
            site=site_text,
            years=years,
            headline_names=[
                i.name
                for i in standings.archive_headline(bulletins[-1].figures if bulletins else {})
            ],
            calendar_href=layout.link(layout.ARCHIVE, layout.CALENDAR) if calendar else None,
            csv_href=layout.link(layout.ARCHIVE, layout.FIGURES_CSV),
            xlsx_href=layout.link(layout.ARCHIVE, layout.FIGURES_XLSX),
        ),
    )
    if current is not None:
        tree.add(layout.LATEST, latest_page(current.period, labels[current.period]))


def digest_of(b: Bulletin) -> str:
    """What a bulletin's figures are keyed on (their hash, made here if not given)."""
    return b.digest or keys.figures_content(b.figures)


def home_latest(latest: dict) -> dict:
    return latest | {"href": layout.link(layout.HOME, layout.bulletin_page(latest["period"]))}


def listing(items: list[dict], page: str, bulletins: list[Bulletin] | None = None) -> list[dict]:
    """Rows of the home page's and the archive's lists: with `bulletins`, each month's six
    headline figures; every month links its PDF and Word documents."""
    by_period = {b.period: b for b in bulletins or []}
    headline = standings.archive_headline(bulletins[-1].figures) if bulletins else ()
    rows = []
    for item in items:
        row = {
            "href": layout.link(page, layout.bulletin_page(item["period"])),
            "issue_label": item["issue_label"],
            "period_label": item["period_label"],
            "issued_label": item["issued_label"],
            "planned_label": item.get("planned_label"),
            "late": item.get("late"),
            "corrected": item.get("corrected"),
            "withdrawn": item.get("withdrawn"),
            "pdf_href": layout.link(page, layout.bulletin_pdf(item["period"])),  # the document
            "docx_href": layout.link(page, layout.bulletin_docx(item["period"])),
        }
        if item["period"] in by_period:
            row["headlines"] = standings.headline_cells(by_period[item["period"]].figures, headline)
        rows.append(row)
    return rows
