"""The pages: bulletins, units, home, archive, definitions, search, feed and nav → a Tree.

Templates (in `templates/`, which the bureau may edit) receive formatted view
models (`views`); every data value is escaped by Jinja's autoescape. The result is
an in-memory tree `{relative path: str | bytes}` handed to `site`, and the nav.
"""

from __future__ import annotations

import csv
import html
import io
import json
from functools import partial
from pathlib import Path

from jinja2 import Environment

from .. import formats, keys, layout
from ..cache import NO_CACHE, Cache
from ..charts import Chart
from ..compute.projects import projects_by_unit
from ..compute.record import published_form
from ..config import settings_table
from ..exports import archive as archive_data
from ..exports.feed import atom_feed, sitemap
from ..keys import canonical_json
from ..periods import year_of
from ..read.calendar import Planned, calendar_ics
from ..read.dataset import Dataset
from ..read.indicators import load_indicators
from ..schema import STANDARD_INDICATORS, month_groups, month_indicators
from . import contract, offline_search, standings, views
from .about import about_view
from .common import PACKAGE_TEMPLATES, Bulletin, SiteText, UnitPage, latest_page, search_token
from .rendering import render, template_environment
from .tree import Tree, stash_html_blocks

FIGURES_SCHEMA = Path(__file__).resolve().parent.parent / "figures.schema.json"
SETTINGS_MARK = "<!-- tongbao:settings -->"  # where the guide shows the declared settings


def unit_pages(
    data: Dataset, charts: dict[str, list[Chart]], published: list[str]
) -> list[UnitPage]:
    """Every registered unit's page, with its projects in the latest published ledger."""
    ledger_period = next((p for p in reversed(published) if p in data.ledgers), None)
    ledger_rows = projects_by_unit(data, ledger_period) if ledger_period else {}
    return [
        UnitPage(
            {"unit_id": u.unit_id, "name": u.name, "group": u.group, "aliases": u.aliases},
            charts[u.unit_id],
            ledger_rows.get(u.unit_id, []),
            ledger_period,
        )
        for u in data.registry.units
    ]


def make_pages(
    root: Path,
    bulletins: list[Bulletin],
    *,
    units: list[UnitPage],
    site_text: SiteText,
    settings,
    assets: dict[str, str | bytes],
    cache: Cache = NO_CACHE,
    calendar: list[Planned] | None = None,
    downloads: bool = True,
) -> tuple[Tree, list]:
    """Every generated page and file, and the site's navigation. `downloads=False`: the
    archive's figures.csv/.xlsx only where the cache has them (pipeline.render)."""
    tree = Tree()
    env = template_environment(root, cache)
    periods = [b.period for b in bulletins]
    labels = {b.period: formats.issue_label(b.period, b.figures["issue"]) for b in bulletins}
    planned = {p.period: p for p in calendar or []}
    summaries = add_bulletins(tree, env, bulletins, labels, site_text, settings, root, cache)
    for summary, b in zip(summaries, bulletins, strict=True):
        summary["corrected"] = views.correction_view(b.correction)
        summary |= views.schedule_view(planned.get(b.period), b.figures["issued"])
    if bulletins:  # the home page shows the latest issue's cards
        latest = views.bulletin_view(
            bulletins[-1], periods=periods, labels=labels, settings=settings
        )
        summaries[-1] = latest | summaries[-1]
    tree.add(
        layout.HOME,
        render(
            env,
            "index.md.j2",
            site=site_text,
            latest=home_latest(summaries),
            next_planned=views.planned_view(bulletins[-1].next_planned) if bulletins else None,
            calendar_href=layout.CALENDAR if calendar else None,
            recent=listing(summaries[::-1][:12], layout.HOME),
            red_black=standings.red_black_list(bulletins[-1].figures) if bulletins else [],
            archive_href=layout.link(layout.HOME, layout.ARCHIVE),
        ),
    )
    years = []
    for year in sorted({year_of(p) for p in periods}, reverse=True):
        items = [s for s in summaries[::-1] if year_of(s["period"]) == year]
        years.append({"year": year, "bulletins": listing(items, layout.ARCHIVE, bulletins)})
    # the archive as data (tongbao/exports/archive.py), linked from the archive page
    published = [(b.period, digest_of(b)) for b in bulletins]
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
    if bulletins:
        tree.add(layout.LATEST, latest_page(bulletins[-1].period, labels[bulletins[-1].period]))
    if calendar:
        ics = calendar_ics(
            calendar,
            city=site_text.city,
            title=site_text.title,
            issuer=site_text.issuer,
            period_label=formats.period_label,
        )
        tree.add(layout.CALENDAR, ics)
    groups = month_groups(bulletins[-1].figures) if bulletins else []
    indicators = month_indicators(bulletins[-1].figures) if bulletins else STANDARD_INDICATORS
    about = about_view(settings, groups, indicators)
    tree.add(layout.ABOUT, render(env, "about.md.j2", a=about))
    tree.add(layout.FIGURES_SCHEMA, FIGURES_SCHEMA.read_bytes())
    tree.add(layout.SEARCH_PAGE, render(env, "search.md.j2", s=search_examples(units, periods)))
    figures = {b.period: b.figures for b in bulletins}
    for unit in units:
        page = layout.unit_page(unit.unit["unit_id"])
        view = views.unit_view(
            unit.unit, periods=periods, figures=figures, labels=labels, basis=settings.target_basis
        )
        csv_of = partial(layout.unit_chart_csv, unit.unit["unit_id"])
        view["charts"] = views.chart_views(unit.charts, page=page, csv_of=csv_of)
        view["projects"] = views.project_rows(unit.projects)
        view["projects_note"] = (
            f"{formats.period_label(unit.projects_period)}项目台账中的项目。"
            if unit.projects_period
            else ""
        )
        tree.add(page, render(env, "unit.md.j2", u=view, site=site_text))
        for chart in unit.charts:
            tree.add(csv_of(chart.chart_id), chart_csv(chart))
    tree.add(layout.SEARCH_ENTITIES, search_entities(bulletins, units))
    tree.add(layout.OFFLINE_INDEX, offline_search.index_script(bulletins, units, cache))
    title = f"{site_text.city}{site_text.title}"
    tree.add(
        layout.FEED, atom_feed(bulletins, title=title, site_url=site_text.site_url, labels=labels)
    )
    dated = [
        (layout.html(layout.bulletin_page(b.period)), (b.figures["issued"] or "")[:10] or None)
        for b in bulletins
    ]
    others = [
        layout.html(p) for p in (layout.HOME, layout.ARCHIVE, layout.ABOUT, layout.SEARCH_PAGE)
    ]
    others += [layout.html(layout.unit_page(u.unit["unit_id"])) for u in units]
    tree.add(
        layout.SITEMAP, sitemap(dated + [(p, None) for p in others], site_url=site_text.site_url)
    )
    for path, content in assets.items():
        tree.add(path, content)
    return tree, navigation(root, tree, bulletins, units)


def digest_of(b: Bulletin) -> str:
    """What a bulletin's figures are keyed on (their hash, made here if not given)."""
    return b.digest or keys.figures_content(b.figures)


def add_bulletins(
    tree: Tree,
    env: Environment,
    bulletins: list[Bulletin],
    labels: dict[str, str],
    site_text: SiteText,
    settings,
    root: Path,
    cache: Cache,
) -> list[dict]:
    """Each bulletin's page and files, cached on all that they show: its figures (by
    digest), commentary, charts, neighbours, whether it is the latest, its correction,
    the settings, the site's words and the templates. Returns the archive's summary of
    each."""
    periods = [b.period for b in bulletins]
    shared = page_shared(root, settings, site_text)
    summaries = []
    for b in bulletins:
        page, inline, files = bulletin_page(
            env, b, periods, labels, site_text, settings, shared, cache
        )
        tree.add_stashed(layout.bulletin_page(b.period), page, inline)
        for path, content in files.items():
            tree.add(path, content)
        if b.workbook is not None:
            tree.add(layout.workbook(b.period), b.workbook)
        summaries.append(
            {
                "period": b.period,
                "issue_label": labels[b.period],
                "period_label": formats.period_label(b.period),
                "issued_label": formats.date_label(b.figures["issued"]),
            }
        )
    return summaries


def page_shared(root: Path, settings, site_text: SiteText) -> str:
    """What every bulletin page's key shares: the settings, the site's words, the templates."""
    return canonical_json([repr(settings), repr(site_text), keys.templates(root)])


def bulletin_page(
    env: Environment,
    b: Bulletin,
    periods: list[str],
    labels: dict[str, str],
    site_text: SiteText,
    settings,
    shared: str,
    cache: Cache,
) -> tuple[str, dict[str, str], dict[str, bytes]]:
    """One bulletin's page (its HTML blocks stashed), its inline blocks and its files,
    cached on all that they show. The preview's quick path (`tongbao.preview.quick`) calls it too."""
    index = periods.index(b.period)
    # what its banner and pager show: the issues before and after it, and whether it
    # is the latest (its banner links the stable latest.html, never the newest issue)
    around = [periods[i] for i in (index - 1, index + 1) if 0 <= i < len(periods)]
    key = keys.bulletin_page(
        shared,
        b.digest or canonical_json(b.figures),
        b.commentary or "",
        b.meta,
        [chart.svg_id for chart in b.charts],
        [(p, labels[p]) for p in [b.period, *around]],
        [b.period == periods[-1], b.correction, b.next_planned],
    )

    def make() -> tuple[str, dict[str, str], dict[str, bytes]]:
        page, inline = bulletin_markdown(env, b, periods, labels, site_text, settings)
        files = {layout.month_json(b.period): figures_json(b.figures)}
        for chart in b.charts:
            files[layout.chart_csv(b.period, chart.chart_id)] = chart_csv(chart)
        return page, inline, files

    return cache.memo("pages", key, make)


def bulletin_markdown(
    env: Environment,
    b: Bulletin,
    periods: list[str],
    labels: dict[str, str],
    site_text: SiteText,
    settings,
) -> tuple[str, dict[str, str]]:
    """A bulletin's generated Markdown, its HTML blocks stashed into the inline dict."""
    inline: dict[str, str] = {}
    view = views.bulletin_view(b, periods=periods, labels=labels, settings=settings)
    page = render(env, "bulletin.md.j2", b=view, site=site_text)
    return stash_html_blocks(page, inline), inline


def navigation(root: Path, tree: Tree, bulletins: list[Bulletin], units: list[UnitPage]) -> list:
    """The site's nav (adding the clerk's guide to the tree when there is one)."""
    nav: list = [{"首页": layout.HOME}]
    if bulletins:
        nav.append({"最新通报": layout.LATEST})  # stable: archived pages' nav never changes
    nav.append({"往期通报": layout.ARCHIVE})
    nav.append({"口径说明": layout.ABOUT})
    # the data contract, from the declarations (the project's own indicators among them)
    tree.add(contract.PAGE, contract.contract_page(load_indicators(root)[0]))
    nav.append({contract.TITLE: contract.PAGE})
    nav.append({"搜索": layout.SEARCH_PAGE})
    # the clerk's guide is plain Markdown (its {{ … }} examples must stay as written)
    guide = next(
        (
            p
            for p in (root / "templates" / "guide.md", PACKAGE_TEMPLATES / "guide.md")
            if p.exists()
        ),
        None,
    )
    if guide is not None:
        text = guide.read_text(encoding="utf-8").replace(SETTINGS_MARK, settings_table())
        tree.add(layout.GUIDE, text)
        nav.append({"使用说明": layout.GUIDE})
    # MkDocs themes print nav titles unescaped: escape data values here
    nav.append(
        {
            "单位": [
                {html.escape(u.unit["name"]): layout.unit_page(u.unit["unit_id"])} for u in units
            ]
        }
    )
    return nav


def chart_csv(chart: Chart) -> bytes:
    """UTF-8 with BOM: Excel on a Chinese Windows opens it without garbling."""
    out = io.StringIO()
    if chart.rows:
        writer = csv.DictWriter(out, fieldnames=list(chart.rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(chart.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def figures_json(figures: dict) -> bytes:
    """The published figures: stable key order, floats trimmed of binary noise."""
    # compact: `indent` would make json fall back from its C encoder (~10x slower)
    text = json.dumps(published_form(figures), ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def search_entities(bulletins: list[Bulletin], units: list[UnitPage]) -> bytes:
    """Names the search page looks for by their exact token (see assets/search.js):
    unit names and aliases → [the unit's name, its token]; project names likewise."""
    names: dict[str, list[str]] = {}
    for unit in units:
        for text in (unit.unit["name"], *unit.unit["aliases"]):
            names[text] = [
                unit.unit["name"],
                search_token("u", unit.unit["unit_id"]),
                layout.html(layout.unit_page(unit.unit["unit_id"])),
            ]
    rows = [p for u in units for p in u.projects]
    for b in bulletins:
        listed = b.figures.get("projects") or {}
        rows += [p for key in ("big", "f500", "new_this_month") for p in listed.get(key, [])]
    projects = {
        p["name"]: [p["name"], search_token("p", p["project_id"])] for p in rows if p["name"]
    }
    body = {"units": names, "projects": projects}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def search_examples(units: list[UnitPage], periods: list[str]) -> dict:
    """The search page's examples, from the register (never a city's names in a template):
    the first unit, the first alias, a year and a combined query."""
    names = [u.unit["name"] for u in units]
    alias = next((a for u in units for a in u.unit["aliases"]), None)
    words = [*names[:1], alias or next(iter(names[1:2]), None), "项目储备"]
    if periods:
        words.append(f"{year_of(periods[-1])}年")
    words += [f"{name}签约" for name in names[:1]]
    return {"alias": alias, "examples": [w for w in words if w]}


def home_latest(summaries: list[dict]) -> dict | None:
    if not summaries:
        return None
    latest = summaries[-1]
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
            "pdf_href": layout.link(
                page, layout.bulletin_pdf(item["period"])
            ),  # the official document
            "docx_href": layout.link(page, layout.bulletin_docx(item["period"])),
        }
        if item["period"] in by_period:
            row["headlines"] = standings.headline_cells(by_period[item["period"]].figures, headline)
        rows.append(row)
    return rows
