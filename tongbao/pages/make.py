"""The pages: bulletins, units, home, archive, definitions, search, feed and nav → a Tree.

Templates (in `templates/`, which the bureau may edit) receive formatted view
models (`views`); every data value is escaped by Jinja's autoescape. The result is
an in-memory tree `{relative path: str | bytes}` handed to `site`, and the nav.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from jinja2 import Environment

from .. import formats, keys, layout
from ..bulletin.model import Bulletin, SiteText, newest
from ..cache import NO_CACHE, Cache
from ..compute.record import published_form
from ..config import settings_table
from ..exports.feed import atom_feed, sitemap
from ..keys import canonical_json
from ..periods import year_of
from ..read.calendar import Planned, calendar_ics
from ..read.indicators import load_indicators
from ..schema import STANDARD_INDICATORS, month_groups, month_indicators
from . import contract, offline_search, views
from .about import about_view
from .common import PACKAGE_TEMPLATES, UnitPage, chart_csv, search_token
from .listings import add_home_and_archive
from .rendering import render, template_environment
from .tree import Tree, stash_html_blocks
from .units import add_unit_pages

FIGURES_SCHEMA = Path(__file__).resolve().parent.parent / "figures.schema.json"
SETTINGS_MARK = "<!-- tongbao:settings -->"  # where the guide shows the declared settings


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
    add_home_and_archive(
        tree, env, bulletins, summaries, current, labels,
        site_text=site_text, calendar=bool(calendar), cache=cache, downloads=downloads,
    )  # fmt: skip
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
    add_unit_pages(tree, env, units, bulletins, labels, site_text=site_text, settings=settings)
    tree.add(layout.SEARCH_ENTITIES, search_entities(bulletins, units))
    tree.add(layout.OFFLINE_INDEX, offline_search.index_script(bulletins, units, cache))
    add_feed_and_sitemap(tree, bulletins, units, labels, site_text)
    for path, content in assets.items():
        tree.add(path, content)
    return tree, navigation(root, tree, bulletins, units)


def add_feed_and_sitemap(
    tree: Tree,
    bulletins: list[Bulletin],
    units: list[UnitPage],
    labels: dict[str, str],
    site_text: SiteText,
) -> None:
    """The Atom feed of bulletins and the sitemap, dated by 印发日期."""
    title = site_text.masthead
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
        [b.period == (b.newest or periods[-1]), b.correction, b.next_planned],
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
    if newest(bulletins) is not None:
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
