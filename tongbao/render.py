"""Render: figures, commentary and charts → the Markdown pages and files of the site.

Templates (in `templates/`, which the bureau may edit) receive formatted
view models; every data value is escaped by Jinja's autoescape. The result is
an in-memory tree `{relative path: str | bytes}` handed to `site`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from . import formats, keys, views
from .cache import NO_CACHE, Cache
from .charts import Chart
from .feed import atom_feed, sitemap
from .keys import canonical_json
from .periods import year_of

INLINE_PREFIX = "tb-inline:"
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FIGURES_SCHEMA = Path(__file__).resolve().parent / "figures.schema.json"


@dataclass
class UnitPage:
    """One unit's page: who it is, its own chart(s), its projects in the latest ledger."""

    unit: dict  # unit_id, name, group, aliases
    charts: list[Chart]
    svg_ids: list[str]  # placeholders of the charts' SVGs (see Tree.inline)
    projects: list[dict]
    projects_period: str | None


@dataclass
class Bulletin:
    """One published month: its figures and what the pages show of it."""

    period: str
    figures: dict
    commentary: str | None  # Markdown with figures filled in
    meta: dict
    charts: list[Chart]
    svg_ids: list[str]  # placeholders of the charts' SVGs (see Tree.inline)
    workbook: bytes  # the published tables as .xlsx
    digest: str = ""  # a hash of the figures' content: with it, pages can be cached


class Tree(dict):
    """Output files; like Pelican's writer, refuses to write one path twice.

    `inline` holds the raw HTML blocks (tables, cards, charts) that the Markdown pages
    reference by placeholder; they are put into the final HTML after MkDocs (see
    site.InlineHTML). Markdown only needs the headings (for the table of contents):
    its HTML parser walking our tables and SVG was most of the build time. A chart's
    SVG is referenced by its spec's id (`svg.spec_id`), so pages can be written while
    the SVGs are still being drawn; the pipeline adds them to `inline` afterwards.
    """

    def __init__(self) -> None:
        super().__init__()
        self.inline: dict[str, str] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path.endswith(".md") and isinstance(content, str):
            content = stash_html_blocks(content, self.inline)
        self.add_stashed(path, content)

    def add_stashed(
        self, path: str, content: str | bytes, inline: dict[str, str] | None = None
    ) -> None:
        """Add a page whose HTML blocks were already stashed into `inline`."""
        if path in self:
            raise ValueError(f"two outputs for {path}")
        self.inline.update(inline or {})
        self[path] = content


_OPEN = re.compile(r"<(div|table|figure|ul|ol|dl|nav|form)[\s>]")
_CLOSE = re.compile(r"</(div|table|figure|ul|ol|dl|nav|form)>")


def stash_html_blocks(markdown_text: str, inline: dict[str, str]) -> str:
    """Replace each raw HTML block of a generated page by a placeholder comment.

    A block runs from a line starting with a tag to where its containers close,
    blank lines inside included (as Markdown itself reads raw HTML).
    """
    front = ""
    if markdown_text.startswith("---\n"):
        end = markdown_text.index("\n---\n", 4) + 5
        front, markdown_text = markdown_text[:end], markdown_text[end:]
    blocks: list[str] = []
    depth = 0
    for chunk in re.split(r"\n\s*\n", markdown_text):
        if depth > 0:  # still inside an open container: part of the previous block
            blocks[-1] += "\n\n" + chunk
        else:
            blocks.append(chunk)
        depth += len(_OPEN.findall(chunk)) - len(_CLOSE.findall(chunk))
    out = []
    for block in blocks:
        stripped = block.strip()
        # the header stays: the theme adds its own <h1> to a page whose content has none
        if stripped.startswith("<") and not stripped.startswith("<!--") and "<h1" not in stripped:
            block = str(html_placeholder(stripped, inline))
        out.append(block)
    return front + "\n\n".join(out)


def front_matter_text(value: object) -> Markup:
    """A YAML-safe, HTML-escaped scalar: MkDocs puts page titles into HTML unescaped."""
    return Markup(json.dumps(str(escape(str(value))), ensure_ascii=False))


def template_environment(root: Path) -> Environment:
    env = Environment(
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


def placeholder(key: str) -> Markup:
    """A comment standing for `Tree.inline[key]` until after MkDocs has run."""
    return Markup(f"<!--{INLINE_PREFIX}{key}-->")


def html_placeholder(html: str, inline: dict[str, str]) -> Markup:
    """A placeholder for a block of HTML (a table, the cards), keyed by its content."""
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()[:20]
    inline[key] = html
    return placeholder(key)


def _spec_json(spec: dict) -> Markup:
    text = canonical_json(spec)
    # Inside <script>, "<" could open a tag-like sequence; JSON escapes keep data inert.
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return Markup(text)


def xlsx_name(period: str) -> str:
    return f"tongbao-{period}.xlsx"


def bulletin_view(b: Bulletin, *, periods: list[str], labels: dict[str, str], settings) -> dict:
    page = views.bulletin_path(b.period)
    index = periods.index(b.period)
    latest = periods[-1]

    def neighbour(i: int) -> dict | None:
        if 0 <= i < len(periods):
            return {
                "href": views.link(page, views.bulletin_path(periods[i])),
                "label": labels[periods[i]],
            }
        return None

    figures = b.figures
    commentary = None
    if b.commentary is not None:
        from .commentary import demote_headings

        commentary = Markup(
            markdown.markdown(
                demote_headings(b.commentary, levels=1), extensions=["tables", "attr_list"]
            )
        )
    return {
        "issue_label": labels[b.period],
        "period_label": formats.period_label(b.period),
        "issued_label": formats.date_label(figures["issued"]),
        "time_progress": formats.pct(figures["time_progress"]),
        "is_latest": b.period == latest,
        "latest_href": views.link(page, views.bulletin_path(latest)),
        "latest_label": labels[latest],
        "revisions": views.revision_views(b.meta, figures),
        "projects": views.project_section(figures, page),
        "xlsx_href": views.link(page, f"downloads/{b.period}/{xlsx_name(b.period)}"),
        "about_href": views.link(page, "about.md"),
        "cards": views.card_views(figures),
        "like_for_like": views.like_for_like_note(figures),
        "commentary": commentary,
        "summary": figures["summary"],
        "tables": views.group_tables(figures, page),
        "red_pp": f"{-settings.red_below_pp:g}",
        "charts": chart_views(b.charts, b.svg_ids, page=page, folder=f"downloads/{b.period}"),
        "flags": views.flag_views(figures),
        "json_href": views.link(page, f"data/{b.period}.json"),
        "prev": neighbour(index - 1),
        "next": neighbour(index + 1),
    }


def chart_views(charts: list[Chart], svg_ids: list[str], *, page: str, folder: str) -> list[dict]:
    return [
        {
            "id": ch.chart_id,
            "title": ch.title,
            "svg": placeholder(svg_id),
            "summary": ch.summary,
            "csv_href": views.link(page, f"{folder}/{ch.chart_id}.csv"),
            "spec_json": _spec_json(ch.spec),
        }
        for ch, svg_id in zip(charts, svg_ids, strict=True)
    ]


def figures_json(figures: dict) -> bytes:
    """The published figures: stable key order, floats trimmed of binary noise."""

    def clean(value):
        if isinstance(value, float):
            return round(value, 6)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    # compact: `indent` would make json fall back from its C encoder (~10x slower)
    text = json.dumps(clean(figures), ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def render_site(
    root: Path,
    bulletins: list[Bulletin],
    *,
    units: list[UnitPage],
    site_text: views.SiteText,
    settings,
    assets: dict[str, str | bytes],
    cache: Cache = NO_CACHE,
) -> Tree:
    """Every generated page and file. A bulletin's page and files are cached on all that
    they show: its figures (by digest), commentary, charts, neighbours, the latest
    issue, the settings, the site's words and the templates."""
    env = template_environment(root)
    tree = Tree()
    periods = [b.period for b in bulletins]
    labels = {b.period: formats.issue_label(b.period, b.figures["issue"]) for b in bulletins}
    shared = canonical_json([repr(settings), repr(site_text), keys.templates(root)])
    summaries = []
    for index, b in enumerate(bulletins):
        # what its banner and pager show: the issues before and after it, and the latest
        around = [periods[i] for i in (index - 1, index + 1) if 0 <= i < len(periods)]
        around.append(periods[-1])
        key = keys.bulletin_page(
            shared,
            b.digest or canonical_json(b.figures),
            b.commentary or "",
            b.meta,
            b.svg_ids,
            [(p, labels[p]) for p in [b.period, *around]],
        )

        def make(b: Bulletin = b) -> tuple[str, dict[str, str], dict[str, bytes]]:
            inline: dict[str, str] = {}
            view = bulletin_view(b, periods=periods, labels=labels, settings=settings)
            page = env.get_template("bulletin.md.j2").render(b=view, site=site_text)
            files = {f"data/{b.period}.json": figures_json(b.figures)}
            for chart in b.charts:
                files[f"downloads/{b.period}/{chart.chart_id}.csv"] = chart_csv(chart)
            return stash_html_blocks(page, inline), inline, files

        page, inline, files = cache.memo("pages", key, make)
        tree.add_stashed(views.bulletin_path(b.period), page, inline)
        for path, content in files.items():
            tree.add(path, content)
        tree.add(f"downloads/{b.period}/{xlsx_name(b.period)}", b.workbook)
        summaries.append(
            {
                "period": b.period,
                "issue_label": labels[b.period],
                "period_label": formats.period_label(b.period),
                "issued_label": formats.date_label(b.figures["issued"]),
            }
        )
    if bulletins:  # the home page shows the latest issue's cards
        latest = bulletin_view(bulletins[-1], periods=periods, labels=labels, settings=settings)
        summaries[-1] = latest | summaries[-1]
    tree.add(
        "index.md",
        env.get_template("index.md.j2").render(
            site=site_text,
            latest=_home_latest(summaries),
            recent=_listing(summaries[::-1][:12], "index.md"),
            archive_href=views.link("index.md", "bulletins/index.md"),
        ),
    )
    years = []
    for year in sorted({year_of(p) for p in periods}, reverse=True):
        items = [s for s in summaries[::-1] if year_of(s["period"]) == year]
        years.append({"year": year, "bulletins": _listing(items, "bulletins/index.md", bulletins)})
    tree.add(
        "bulletins/index.md",
        env.get_template("archive.md.j2").render(
            site=site_text, years=years, headline_names=["签约项目", "签约金额", "实际到位资金"]
        ),
    )
    tree.add("about.md", env.get_template("about.md.j2").render(a=views.about_view(settings)))
    tree.add("data/figures.schema.json", FIGURES_SCHEMA.read_bytes())
    tree.add("search.md", env.get_template("search.md.j2").render())
    figures = {b.period: b.figures for b in bulletins}
    for unit in units:
        page = views.unit_path(unit.unit["unit_id"])
        view = views.unit_view(
            unit.unit, periods=periods, figures=figures, labels=labels, basis=settings.target_basis
        )
        folder = f"downloads/units/{unit.unit['unit_id']}"
        view["charts"] = chart_views(unit.charts, unit.svg_ids, page=page, folder=folder)
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
    title = f"{site_text.city}{site_text.title}"
    tree.add(
        "feed.xml", atom_feed(bulletins, title=title, site_url=site_text.site_url, labels=labels)
    )
    dated = [
        (f"bulletins/{b.period}.html", (b.figures["issued"] or "")[:10] or None) for b in bulletins
    ]
    others = ["index.html", "bulletins/index.html", "about.html", "search.html"]
    others += [views.unit_path(u.unit["unit_id"])[:-3] + ".html" for u in units]
    tree.add(
        "sitemap.xml", sitemap(dated + [(p, None) for p in others], site_url=site_text.site_url)
    )
    for path, content in assets.items():
        tree.add(path, content)
    return tree


def search_entities(bulletins: list[Bulletin], units: list[UnitPage]) -> bytes:
    """Names the search page looks for by their exact token (see assets/search.js):
    unit names and aliases → [the unit's name, its token]; project names likewise."""
    names: dict[str, list[str]] = {}
    for unit in units:
        for text in (unit.unit["name"], *unit.unit["aliases"]):
            names[text] = [
                unit.unit["name"],
                views.search_token("u", unit.unit["unit_id"]),
                views.unit_path(unit.unit["unit_id"])[:-3] + ".html",
            ]
    rows = [p for u in units for p in u.projects]
    for b in bulletins:
        listed = b.figures.get("projects") or {}
        rows += [p for key in ("big", "f500", "new_this_month") for p in listed.get(key, [])]
    projects = {
        p["name"]: [p["name"], views.search_token("p", p["project_id"])] for p in rows if p["name"]
    }
    body = {"units": names, "projects": projects}
    return json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _home_latest(summaries: list[dict]) -> dict | None:
    if not summaries:
        return None
    latest = summaries[-1]
    return latest | {"href": views.link("index.md", views.bulletin_path(latest["period"]))}


def _listing(items: list[dict], page: str, bulletins: list[Bulletin] | None = None) -> list[dict]:
    by_period = {b.period: b for b in bulletins or []}
    rows = []
    for item in items:
        row = {
            "href": views.link(page, views.bulletin_path(item["period"])),
            "issue_label": item["issue_label"],
            "period_label": item["period_label"],
            "issued_label": item["issued_label"],
        }
        if item["period"] in by_period:
            figures = by_period[item["period"]].figures
            row["headlines"] = [
                f"{formats.amount(figures['city'][k]['ytd'], u)}（{formats.pct(figures['city'][k]['rate'])}）"
                for k, u in (
                    ("signed_count", "个"),
                    ("signed_amount", "亿元"),
                    ("funds_in", "亿元"),
                )
            ]
        rows.append(row)
    return rows
