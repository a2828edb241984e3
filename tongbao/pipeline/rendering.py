"""The rendering half: charts, workbooks, the bulletins, pages and the documents that
wait for the charts, for every published month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import charts, keys
from ..bulletin.model import Bulletin, SiteText, newest
from ..cache import Cache
from ..charts import Chart
from ..charts.svg import KeptPool, Rendering, javascript_bundle, start_rendering
from ..compute.issued_pdf import kept_bytes
from ..document import DocumentSettings, Pending, pending_documents
from ..exports.downloads import kept_workbook
from ..pages import assets, make_pages, unit_pages
from ..pages.access import label_svg
from ..pages.tree import Tree
from ..progress import Progress
from ..read.calendar import next_planned
from .checking import Checked


@dataclass(frozen=True)
class Deferred:
    """What MkDocs need not wait for: the charts, drawn meanwhile in worker processes,
    and the files made with them (a new month's PDF and Word, sheets, slides).
    `charts`: the placeholders left in the pages; `files`: paths in the tree only as
    stand-ins; `make()` waits for them and returns (chart SVG by placeholder, file by
    path); `cancel()` lets the drawing go when the build fails before that. The
    pipeline calls them between the site stage's two calls."""

    charts: frozenset[str]
    files: frozenset[str]
    make: Callable[[], tuple[dict[str, str], dict[str, bytes]]]
    cancel: Callable[[], None]


def render(
    root: Path,
    checked: Checked,
    cache: Cache,
    progress: Progress | None = None,
    *,
    downloads: bool = True,
    workers: KeptPool | None = None,
) -> tuple[Tree, list, Deferred]:
    """Charts, SVG and pages for every published month: the docs tree, its navigation,
    and what MkDocs need not wait for (the SVGs still being drawn, the PDF and Word files
    made with them: the pipeline asks for them after MkDocs). `downloads=False`: no
    PDF or Word files, and Excel files only where the cache has them (the preview's
    first pass; the complete build that follows makes them)."""
    site_text = SiteText.from_config(checked.config)
    data = checked.data
    assert data is not None, "render needs a checked dataset"
    progress = progress or Progress()
    with progress.stage("图表 charts") as stage:
        made = month_charts(checked, cache)
        stage.advance(len(made.every))
        # Chart specs are Altair templates filled with each month's rows (microseconds a
        # chart); the SVGs are the dear part: they are drawn in worker processes (or come
        # from the cache) while this process writes the workbooks and the pages, which
        # reference each SVG by its chart's `svg_id`, and while MkDocs and Pagefind run.
        # A cold build's Vega bundle is written by a worker too.
        bundled = cache.get("assets", keys.vega_bundle()) is not None
        drawing = start_rendering(
            [c.spec for c in made.every],
            cache,
            ids=[c.svg_id for c in made.every],
            first=None if bundled else javascript_bundle,
            kept=workers,
        )
    shown = shown_figures(checked)
    try:
        with progress.stage("附表 xlsx", len(checked.published)) as stage:
            workbooks: dict[str, bytes | None] = {}
            for period in checked.published:
                workbooks[period] = kept_workbook(
                    cache,
                    shown[period],
                    checked.figure_digests[period],
                    site_text.masthead,
                    downloads,
                )
                stage.advance()
        bulletins = [
            bulletin_of(checked, p, charts=made.by_month[p], workbook=workbooks[p])
            for p in checked.published
        ]
        latest = newest(bulletins)
        if latest is not None:
            latest.next_planned = next_planned(checked.calendar, latest.period)
        units = unit_pages(data, made.by_unit, current_months(checked))
        with progress.stage("页面 pages", len(bulletins) + len(units)) as stage:
            tree, nav = make_pages(
                root,
                bulletins,
                units=units,
                site_text=site_text,
                settings=checked.settings,
                assets=assets(cache, drawing.first),
                cache=cache,
                calendar=checked.calendar,
                downloads=downloads,
            )
            stage.advance(len(bulletins) + len(units))
    except BaseException:
        drawing.close()
        raise
    # The documents the cache holds go in now; the others wait for the SVGs, after MkDocs
    documents = Pending({}, [], set(), lambda svgs, progress: {})
    if downloads:
        documents = month_documents(root, checked, bulletins, made, shown, site_text, cache)
    for path, content in documents.found.items():
        tree.add(path, content)
    for path in documents.later:
        tree.add(path, b"")  # a stand-in while MkDocs runs (pages link to it)
    return tree, nav, deferred(made.every, drawing, documents, progress)


def month_documents(
    root: Path,
    checked: Checked,
    bulletins: list[Bulletin],
    made: MonthCharts,
    shown: dict[str, dict],
    site_text: SiteText,
    cache: Cache,
) -> Pending:
    """Every bulletin's PDF and Word, each corrected month's 原版, the unit sheets and
    slides: those in the cache now, the others once the charts are drawn."""
    assert checked.data is not None
    metas = {p: checked.data.commentary[p].meta for p in checked.originals}
    return pending_documents(
        root,
        bulletins,
        {p: (checked.originals[p], metas[p]) for p in checked.originals},
        made.by_original,
        site=site_text,
        settings=DocumentSettings.from_config(checked.config),
        cache=cache,
        history={p: shown[p] for p in checked.published},  # released months, as shown
        kept=kept_bytes(root, checked.kept),  # the PDFs as issued, never typeset again
    )


@dataclass(frozen=True)
class MonthCharts:
    """Every chart a build shows: each published month's, each unit's history, and each
    corrected month's 原版 (its charts as first issued, from its record)."""

    by_month: dict[str, list[Chart]]
    by_unit: dict[str, list[Chart]]
    by_original: dict[str, list[Chart]]

    @property
    def every(self) -> list[Chart]:
        found = [c for month in self.by_month.values() for c in month]
        found += [c for unit in self.by_unit.values() for c in unit]
        return found + [c for original in self.by_original.values() for c in original]


def shown_figures(checked: Checked) -> dict[str, dict]:
    """Each month's figures as its bulletin shows them: a withdrawn month's as issued."""
    as_issued = {p: w.record["figures"] for p, w in checked.withdrawn.items() if w.record}
    return checked.figures | as_issued


def current_months(checked: Checked) -> list[str]:
    """The published months in every unit's series (a withdrawn month is in none)."""
    return [p for p in checked.published if p not in checked.withdrawn]


def month_charts(checked: Checked, cache: Cache) -> MonthCharts:
    assert checked.data is not None
    figures = checked.figures
    known = charts.load_templates(cache)
    as_issued = {p for p, w in checked.withdrawn.items() if w.record}
    by_month = {}
    for p in checked.published:
        if p not in as_issued:
            key = checked.figure_keys[p]
            by_month[p] = charts.charts_for_month_kept(cache, key, figures[p], figures)
        else:
            shown = shown_figures(checked)[p]
            by_month[p] = charts.charts_for_month(shown, figures | {p: shown})
    current = current_months(checked)
    by_unit = {
        u.unit_id: charts.charts_for_unit(u.unit_id, u.name, figures, current)
        for u in checked.data.registry.units
    }
    by_original = {
        p: charts.charts_for_month(record["figures"], figures | {p: record["figures"]})
        for p, record in checked.originals.items()
    }
    charts.save_templates(cache, known)
    return MonthCharts(by_month, by_unit, by_original)


def bulletin_of(
    checked: Checked,
    period: str,
    *,
    charts: list[Chart],
    workbook: bytes | None,
    commentary: str | None = None,
) -> Bulletin:
    """A published month's bulletin model, the one constructor of the build and the
    preview's quick path (`commentary`: the text to show, else the checked one)."""
    assert checked.data is not None
    withdrawn = checked.withdrawn.get(period)
    item = checked.data.commentary.get(period)
    meta = withdrawn.meta if withdrawn is not None else (item.meta if item else {})
    return Bulletin(
        period,
        shown_figures(checked)[period],
        commentary if commentary is not None else checked.commentary.get(period),
        meta,
        charts,
        workbook,
        checked.figure_digests.get(period, ""),
        checked.corrections.get(period),
        withdrawn=withdrawn,
    )


def deferred(
    every: list[Chart], drawing: Rendering, documents: Pending, progress: Progress
) -> Deferred:
    """What the site stage's second call waits for: the SVGs (each an image named by its
    chart's title and summary, pages/access.py) and the documents made with them."""
    chart_of = {c.svg_id: c for c in every}

    def labelled(svgs: dict[str, str]) -> dict[str, str]:
        return {
            i: label_svg(svg, title=c.title, description=c.summary, ident=f"{c.chart_id}-svg")
            for i, svg in svgs.items()
            for c in (chart_of[i],)
        }

    def make() -> tuple[dict[str, str], dict[str, bytes]]:
        made: dict[str, bytes] = {}
        try:
            if documents.later:  # the documents' charts first: the others are drawn meanwhile
                with progress.stage("绘制 SVG"):
                    svgs = labelled(drawing.ready(documents.charts))
                with progress.stage("公文 PDF/Word", documents.steps) as stage:
                    made = documents.make(svgs, stage)
            with progress.stage("绘制 SVG", drawing.drawn) as stage:
                drawn = drawing.result(on_done=stage.advance)
        finally:
            drawing.close()
        return labelled(dict(zip(drawing.ids, drawn, strict=True))), made

    waiting = frozenset(documents.later)
    return Deferred(frozenset(drawing.ids), waiting, make, drawing.close)
