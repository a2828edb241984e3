"""The rendering half: charts, workbooks, the bulletins, pages and the documents that
wait for the charts, for every published month."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import charts, keys
from ..cache import Cache
from ..charts.svg import javascript_bundle, start_rendering
from ..compute.issued_pdf import kept_bytes
from ..document import DocumentSettings, Pending, pending_documents
from ..exports.downloads import kept_workbook
from ..pages import Bulletin, SiteText, assets, make_pages, newest, unit_pages
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
) -> tuple[Tree, list, Deferred]:
    """Charts, SVG and pages for every published month: the docs tree, its navigation,
    and what MkDocs need not wait for (the SVGs still being drawn, the PDF and Word files
    made with them: the pipeline asks for them after MkDocs). `downloads=False`: no
    PDF or Word files, and Excel files only where the cache has them (the preview's
    first pass; the complete build that follows makes them)."""
    site_text = SiteText.from_config(checked.config)
    data, figures = checked.data, checked.figures
    assert data is not None, "render needs a checked dataset"
    # Chart specs are Altair templates filled with each month's rows (microseconds a
    # chart); the SVGs are the dear part: they are drawn in worker processes (or come
    # from the cache) while this process writes the workbooks and the pages, which
    # reference each SVG by its chart's `svg_id`, and while MkDocs and Pagefind run.
    progress = progress or Progress()
    # a withdrawn month is shown as issued (its record); it is in no unit's series
    as_issued = {p: w.record["figures"] for p, w in checked.withdrawn.items() if w.record}
    shown = figures | as_issued
    metas = {p: c.meta for p, c in data.commentary.items()}
    metas |= {p: w.meta for p, w in checked.withdrawn.items()}
    current = [p for p in checked.published if p not in checked.withdrawn]
    with progress.stage("图表 charts") as stage:
        known = charts.load_templates(cache)
        by_month = {
            p: charts.charts_for_month_kept(cache, checked.figure_keys[p], figures[p], figures)
            if p not in as_issued
            else charts.charts_for_month(as_issued[p], figures | {p: as_issued[p]})
            for p in checked.published
        }
        by_unit = {
            u.unit_id: charts.charts_for_unit(u.unit_id, u.name, figures, current)
            for u in data.registry.units
        }
        # a corrected month's 原版: its charts as first issued, from its record
        by_original = {
            p: charts.charts_for_month(record["figures"], figures | {p: record["figures"]})
            for p, record in checked.originals.items()
        }
        charts.save_templates(cache, known)
        every = [c for p in checked.published for c in by_month[p]]
        every += [c for unit_charts in by_unit.values() for c in unit_charts]
        every += [c for original in by_original.values() for c in original]
        stage.advance(len(every))
        # A cold build's Vega bundle is written by a worker too, while pages are made here.
        bundled = cache.get("assets", keys.vega_bundle()) is not None
        drawing = start_rendering(
            [c.spec for c in every],
            cache,
            ids=[c.svg_id for c in every],
            first=None if bundled else javascript_bundle,
        )
    try:
        title = f"{site_text.city}{site_text.title}"
        with progress.stage("附表 xlsx", len(checked.published)) as stage:
            workbooks: dict[str, bytes | None] = {}
            for period in checked.published:
                digest = checked.figure_digests[period]
                workbooks[period] = kept_workbook(cache, shown[period], digest, title, downloads)
                stage.advance()
        bulletins = [
            Bulletin(
                period,
                shown[period],
                checked.commentary.get(period),
                metas.get(period, {}),
                by_month[period],
                workbooks[period],
                checked.figure_digests.get(period, ""),
                checked.corrections.get(period),
                withdrawn=checked.withdrawn.get(period),
            )
            for period in checked.published
        ]
        latest = newest(bulletins)
        if latest is not None:
            latest.next_planned = next_planned(checked.calendar, latest.period)
        units = unit_pages(data, by_unit, current)
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
        documents = pending_documents(
            root,
            bulletins,
            {p: (checked.originals[p], data.commentary[p].meta) for p in checked.originals},
            by_original,
            site=site_text,
            settings=DocumentSettings.from_config(checked.config),
            cache=cache,
            history={p: shown[p] for p in checked.published},  # released months, as shown
            kept=kept_bytes(root, checked.kept),  # the PDFs as issued, never typeset again
        )
    for path, content in documents.found.items():
        tree.add(path, content)
    for path in documents.later:
        tree.add(path, b"")  # a stand-in while MkDocs runs (pages link to it)

    chart_of = {c.svg_id: c for c in every}

    def labelled(svgs: dict[str, str]) -> dict[str, str]:
        """Each SVG an image named by its chart's title and summary (tongbao/pages/access.py)."""
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
    return tree, nav, Deferred(frozenset(drawing.ids), waiting, make, drawing.close)
