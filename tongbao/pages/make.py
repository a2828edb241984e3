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
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import formats, keys
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
from . import contract, offline_search, standings, views
from .common import (
    LATEST_PAGE,
    PACKAGE_TEMPLATES,
    Bulletin,
    SiteText,
    UnitPage,
    bulletin_path,
    html_path,
    latest_page,
    link,
    newest,
    search_token,
    unit_path,
    xlsx_name,
)
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
    current = newest(bulletins)  # the latest issue (not withdrawn): home cards, banners
    for b in bulletins:
        b.newest = current.period if current is not None else ""
    summaries = add_bulletins(tree, env, bulletins, labels, site_text, settings, root, cache)
    for summary, b in zip(summaries, bulletins, strict=True):
        summary["corrected"] = views.correction_view(b.correction)
        summary["withdrawn"] = views.withdrawal_view(b.withdrawn)
        summary |= views.schedule_view(planned.get(b.period), b.figures["issued"])
    if current is not None:
        at = bulletins.index(current)
        view = views.bulletin_view(current, periods=periods, labels=labels, settings=settings)
        summaries[at] = view | summaries[at]
    tree.add(
        "index.md",
        env.get_template("index.md.j2").render(
            site=site_text,
            latest=home_latest(summaries[at]) if current is not None else None,
            next_planned=views.planned_view(current.next_planned) if current else None,
            calendar_href="calendar.ics" if calendar else None,
            recent=listing(summaries[::-1][:12], "index.md"),
            red_black=standings.red_black_list(current.figures) if current else [],
            archive_href=link("index.md", "bulletins/index.md"),
        ),
    )
    years = []
    for year in sorted({year_of(p) for p in periods}, reverse=True):
        items = [s for s in summaries[::-1] if year_of(s["period"]) == year]
        years.append({"year": year, "bulletins": listing(items, "bulletins/index.md", bulletins)})
    # the archive as data (tongbao/exports/archive.py), linked from the archive page
    published = [(b.period, digest_of(b)) for b in bulletins if b.withdrawn is None]
    archive = archive_data.archive_files(
        published, lambda p: tree[f"data/{p}.json"], site_text.title, cache, make=downloads
    )
    if archive is not None:
        tree.add("data/figures.csv", archive[0])
        tree.add("data/figures.xlsx", archive[1])
    tree.add(
        "bulletins/index.md",
        env.get_template("archive.md.j2").render(
            site=site_text,
            years=years,
            headline_names=standings.HEADLINE_NAMES,
            calendar_href="../calendar.ics" if calendar else None,
            csv_href=link("bulletins/index.md", "data/figures.csv"),
            xlsx_href=link("bulletins/index.md", "data/figures.xlsx"),
        ),
    )
    if current is not None:
        tree.add(LATEST_PAGE, latest_page(current.period, labels[current.period]))
    if calendar:
        ics = calendar_ics(
            calendar,
            city=site_text.city,
            title=site_text.title,
            issuer=site_text.issuer,
            period_label=formats.period_label,
        )
        tree.add("calendar.ics", ics)
    tree.add("about.md", env.get_template("about.md.j2").render(a=views.about_view(settings)))
    tree.add("data/figures.schema.json", FIGURES_SCHEMA.read_bytes())
    tree.add("search.md", env.get_template("search.md.j2").render())
    figures = {b.period: b.figures for b in bulletins}
    for unit in units:
        page = unit_path(unit.unit["unit_id"])
        view = views.unit_view(
            unit.unit, periods=periods, figures=figures, labels=labels, basis=settings.target_basis
        )
        folder = f"downloads/units/{unit.unit['unit_id']}"
        view["charts"] = views.chart_views(unit.charts, page=page, folder=folder)
        view["projects"] = views.project_rows(unit.projects)
        view["projects_note"] = (
            f"{formats.period_label(unit.projects_period)}项目台账中的项目。"
            if unit.projects_period
            else ""
        )
        tree.add(page, env.get_template("unit.md.j2").render(u=view, site=site_text))
        for chart in unit.charts:
            tree.add(f"{folder}/{chart.chart_id}.csv", chart_csv(chart))
    tree.add("search-entities.json", search_entities(bulletins, units))
    tree.add(offline_search.INDEX_PATH, offline_search.index_script(bulletins, units, cache))
    title = f"{site_text.city}{site_text.title}"
    tree.add(
        "feed.xml", atom_feed(bulletins, title=title, site_url=site_text.site_url, labels=labels)
    )
    dated = [
        (f"bulletins/{b.period}.html", (b.figures["issued"] or "")[:10] or None) for b in bulletins
    ]
    others = ["index.html", "bulletins/index.html", "about.html", "search.html"]
    others += [html_path(unit_path(u.unit["unit_id"])) for u in units]
    tree.add(
        "sitemap.xml", sitemap(dated + [(p, None) for p in others], site_url=site_text.site_url)
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
        tree.add_stashed(bulletin_path(b.period), page, inline)
        for path, content in files.items():
            tree.add(path, content)
        if b.workbook is not None:
            tree.add(f"downloads/{b.period}/{xlsx_name(b.period)}", b.workbook)
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
        [b.period == (b.newest or periods[-1]), b.correction, b.next_planned],
    )

    def make() -> tuple[str, dict[str, str], dict[str, bytes]]:
        page, inline = bulletin_markdown(env, b, periods, labels, site_text, settings)
        files = {f"data/{b.period}.json": figures_json(b.figures)}
        for chart in b.charts:
            files[f"downloads/{b.period}/{chart.chart_id}.csv"] = chart_csv(chart)
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
    page = env.get_template("bulletin.md.j2").render(b=view, site=site_text)
    return stash_html_blocks(page, inline), inline


def navigation(root: Path, tree: Tree, bulletins: list[Bulletin], units: list[UnitPage]) -> list:
    """The site's nav (adding the clerk's guide to the tree when there is one)."""
    nav: list = [{"首页": "index.md"}]
    if newest(bulletins) is not None:
        nav.append({"最新通报": LATEST_PAGE})  # stable: archived pages' nav never changes
    nav.append({"往期通报": "bulletins/index.md"})
    nav.append({"口径说明": "about.md"})
    tree.add(contract.PAGE, contract.contract_page())  # the data contract, from the declarations
    nav.append({contract.TITLE: contract.PAGE})
    nav.append({"搜索": "search.md"})
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
        tree.add("guide.md", text)
        nav.append({"使用说明": "guide.md"})
    # MkDocs themes print nav titles unescaped: escape data values here
    nav.append(
        {"单位": [{html.escape(u.unit["name"]): unit_path(u.unit["unit_id"])} for u in units]}
    )
    return nav


def front_matter_text(value: object) -> Markup:
    """A YAML-safe, HTML-escaped scalar: MkDocs puts page titles into HTML unescaped."""
    return Markup(json.dumps(str(escape(str(value))), ensure_ascii=False))


def template_environment(root: Path, cache: Cache = NO_CACHE) -> Environment:
    env = Environment(
        bytecode_cache=cache.compiled_templates("jinja-pages"),
        loader=ChoiceLoader(
            [FileSystemLoader(str(root / "templates")), FileSystemLoader(str(PACKAGE_TEMPLATES))]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        # Markdown heading ids are written {#id}: keep Jinja comments out of their way.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["front_matter"] = front_matter_text
    return env


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
                html_path(unit_path(unit.unit["unit_id"])),
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


def home_latest(latest: dict) -> dict:
    return latest | {"href": link("index.md", bulletin_path(latest["period"]))}


def listing(items: list[dict], page: str, bulletins: list[Bulletin] | None = None) -> list[dict]:
    """Rows of the home page's and the archive's lists: with `bulletins`, each month's six
    headline figures; every month links its PDF and Word documents."""
    by_period = {b.period: b for b in bulletins or []}
    rows = []
    for item in items:
        row = {
            "href": link(page, bulletin_path(item["period"])),
            "issue_label": item["issue_label"],
            "period_label": item["period_label"],
            "issued_label": item["issued_label"],
            "planned_label": item.get("planned_label"),
            "late": item.get("late"),
            "corrected": item.get("corrected"),
            "withdrawn": item.get("withdrawn"),
            "pdf_href": link(page, f"bulletins/{item['period']}.pdf"),  # the official document
            "docx_href": link(page, f"bulletins/{item['period']}.docx"),
        }
        if item["period"] in by_period:
            row["headlines"] = standings.headline_cells(by_period[item["period"]].figures)
        rows.append(row)
    return rows
