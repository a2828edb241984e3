"""The pipeline: the one place that knows the order of the stages.

load → validate → indicators → commentary → charts → pages → site
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from . import charts, keys, periods
from .bulletin.commentary import render_commentary
from .cache import Cache, project_cache
from .charts.svg import javascript_bundle, start_rendering
from .compute.indicators import compute_all
from .compute.record import write_missing_records
from .compute.revisions import UNREAD_COMMENTARY, Correction, Withdrawal, check_all
from .config import Config, Settings, defaults, load_config
from .document import DocumentSettings, Pending, pending_documents
from .exports.downloads import kept_workbook
from .issues import Issue, Report
from .pages import Bulletin, SiteText, assets, make_pages, newest, unit_pages
from .pages.access import label_svg
from .pages.tree import Tree
from .progress import Progress
from .publish.site import Deferred, build_site
from .read.calendar import Planned, load_calendar, next_planned
from .read.dataset import Dataset
from .read.load import load_project
from .read.validate import validate


@dataclass
class Checked:
    """What `check` produces and `build` goes on from."""

    report: Report
    data: Dataset | None = None
    figures: dict[str, dict] = field(default_factory=dict)
    commentary: dict[str, str] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    config: Config = field(default_factory=defaults)
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds, for --timings
    # period → a hash of its figures' content: what later products (workbooks, pages)
    # are keyed on, so an edit that changes no figure of a month remakes nothing of it
    figure_digests: dict[str, str] = field(default_factory=dict)
    # the record (published/YYYY-MM.json): issued months, and the 更正说明 of a month
    # whose figures differ from its record under a later revision
    issued: dict[str, date] = field(default_factory=dict)
    corrections: dict[str, Correction] = field(default_factory=dict)
    # the record of each corrected month: its 原版 (the bulletin as first issued) is made
    # again from it
    originals: dict[str, dict] = field(default_factory=dict)
    calendar: list[Planned] = field(default_factory=list)  # data/calendar.csv
    recorded: list[str] = field(default_factory=list)  # records this build wrote
    # period → the key of all that its figures were computed from (keys.figures)
    figure_keys: dict[str, str] = field(default_factory=dict)
    withdrawn: dict[str, Withdrawal] = field(default_factory=dict)  # 撤回: shown as issued


def is_draft(data: Dataset, period: str) -> bool:
    item = data.commentary.get(period)
    return bool(item and item.meta.get("draft"))


def check(
    root: Path,
    *,
    today: date | None = None,
    use_cache: bool = True,
    drafts: bool = False,
    progress: Progress | None = None,
) -> Checked:
    """Load, validate, compute and evaluate commentary: everything but writing.

    `drafts`: publish months marked `draft: true` too (the preview shows them; a
    real build never does)."""
    with keys.one_build():
        return _check(root, today=today, use_cache=use_cache, drafts=drafts, progress=progress)


def _check(
    root: Path, *, today: date | None, use_cache: bool, drafts: bool, progress: Progress | None
) -> Checked:
    root = root.resolve()
    progress = progress or Progress()
    report = Report()
    # settings first: a misspelt key or a wrong value is reported before anything runs
    config, problems = load_config(root)
    report.extend(problems)
    settings = config.settings
    for message in DocumentSettings.from_config(config).missing_fonts(root):
        report.add(Issue.of_file("mkdocs.yml", "missing-font", message))  # the PDF's own fonts
    with progress.stage("读取数据 load") as stage:
        cache = project_cache(root, use_cache=use_cache)
        data, issues = load_project(root, today=today, cache=cache)
        stage.advance(len(data.months) if data else 0)
    report.extend(issues)
    if data is None:
        return Checked(report, data, settings=settings, config=config, timings=progress.timings)
    with progress.stage("校验与计算 compute") as stage:
        # Go on past cell errors (those cells are None): the clerk gets every problem in one run.
        report.extend(validate(data))
        figure_keys = keys.figures(root, sorted(data.months), settings)
        digests: dict[str, str] = {}

        def cached(period: str, make: Callable[[], dict]) -> dict:
            made, digests[period] = cache.memo(
                "figures", figure_keys[period], lambda: _digested(make())
            )
            return made

        figures = compute_all(data, settings, cached)
        stage.advance(len(figures))
    texts = {}
    registry = keys.registry(root)
    commented = [(p, item) for p, item in sorted(data.commentary.items()) if p in figures]
    with progress.stage("评述 commentary", len(commented)) as stage:
        for period, item in commented:
            text, problems = cache.memo(
                "commentary",
                keys.commentary(digests[period], registry, item.file, item.body, item.body_line),
                partial(render_commentary, item, figures[period], data.registry),
            )
            report.extend(problems)
            if text is not None:
                texts[period] = text
            stage.advance()
    published = [p for p in sorted(figures) if drafts or not is_draft(data, p)]
    checked = Checked(
        report, data, figures, texts, published, settings, config, progress.timings, digests
    )
    checked.figure_keys = figure_keys
    check_published(root, checked, cache)
    calendar, problems = load_calendar(root)
    report.extend(problems)
    checked.calendar = calendar
    return checked


def check_published(root: Path, checked: Checked, cache: Cache) -> None:
    """Hold every issued month to its record (published/YYYY-MM.json, compute/revisions.py);
    a withdrawn month is shown as it was issued: its record's figures and commentary."""
    assert checked.data is not None
    outcome = check_all(
        root,
        cache,
        published=checked.published,
        metas={p: item.meta for p, item in checked.data.commentary.items()},
        unread={i.file for i in checked.report.errors if i.code in UNREAD_COMMENTARY},
        figures=checked.figures,
        texts=checked.commentary,
        title=SiteText.from_config(checked.config).masthead,
        figure_keys=checked.figure_keys,
        digests=checked.figure_digests,
    )
    checked.report.extend(outcome.issues)
    checked.issued = outcome.issued
    checked.corrections = outcome.corrections
    checked.originals = outcome.originals
    checked.withdrawn = outcome.withdrawn
    for period, withdrawal in outcome.withdrawn.items():
        if withdrawal.record is not None:  # (None: issued before records, shown as now)
            checked.commentary[period] = withdrawal.record["commentary"]
            checked.figure_digests[period] = keys.figures_content(withdrawal.record["figures"])
    checked.published = sorted(set(checked.published) | set(outcome.withdrawn))


def _digested(figures: dict) -> tuple[dict, str]:
    return figures, keys.figures_content(figures)


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
    made with them: `site.build_site` asks for them after MkDocs). `downloads=False`: no
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
                with progress.stage("公文 PDF/Word", len(documents.later) // 2) as stage:
                    made = documents.make(svgs, stage)
            with progress.stage("绘制 SVG", drawing.drawn) as stage:
                drawn = drawing.result(on_done=stage.advance)
        finally:
            drawing.close()
        return labelled(dict(zip(drawing.ids, drawn, strict=True))), made

    waiting = frozenset(documents.later)
    return tree, nav, Deferred(frozenset(drawing.ids), waiting, make, drawing.close)


@keys.one_build()  # a file is hashed once a build (check runs inside it)
def build(
    root: Path,
    *,
    strict: bool = False,
    site_dir: Path | None = None,
    today: date | None = None,
    use_cache: bool = True,
    drafts: bool = False,
    progress: Progress | None = None,
    record: bool = True,
    complete: bool = True,
) -> Checked:
    """check, then render and publish `site/`; nothing is written when check fails.

    `progress` is told of each stage (a live count on a terminal, a line each in CI)
    and keeps their times for `--timings`. `record`: write the record of each issued
    month that has none (a preview never does). `complete=False`: the preview's first
    pass after a data edit, every page but no download not already made (PDF, Word,
    Excel) and the last build's search index (a complete build follows)."""
    root = root.resolve()
    site_dir = site_dir or root / "site"
    progress = progress or Progress()
    started = time.perf_counter()
    cache = project_cache(root, use_cache=use_cache)
    # Nothing changed since the last build of this site: the same report, no work.
    month = periods.current(today)  # only bounds future months
    inputs = keys.inputs(root, str(site_dir), f"strict={strict}", f"drafts={drafts}", month)
    last = cache.get("last-build", inputs) if use_cache else None
    if last is not None:
        report, published, state = pickle.loads(last)
        if state == keys.site_state(site_dir):
            progress.record("未改动 unchanged", time.perf_counter() - started)
            return Checked(report, published=published, timings=progress.timings)
    checked = check(root, today=today, use_cache=use_cache, drafts=drafts, progress=progress)
    if checked.report.failed(strict=strict):
        return checked
    tree, nav, deferred = render(root, checked, cache, progress, downloads=complete)
    try:
        state = build_site(
            root,
            tree,
            site_dir=site_dir,
            work_dir=cache.folder("build"),
            nav=nav,
            strict=strict,
            site_url=checked.config.site_url,
            progress=progress,
            search=complete,
            deferred=deferred,
        )
    finally:
        deferred.cancel()  # the SVG workers, when MkDocs failed before they were waited for
    if record and not drafts:
        checked.recorded = write_missing_records(
            root,
            checked.issued,
            checked.figures,
            checked.commentary,
            title=SiteText.from_config(checked.config).masthead,
            today=today or date.today(),
        )
    if checked.recorded:
        # The records now exist: their warnings are answered, and the next build's
        # inputs include them (else an unchanged project would be built once more).
        written = set(checked.recorded)
        checked.report.issues = [
            i
            for i in checked.report.issues
            if not (i.code == "record-missing" and i.file in written)
        ]
        inputs = keys.inputs(root, str(site_dir), f"strict={strict}", f"drafts={drafts}", month)
    cache.forget_unused()
    checked.timings["合计 total"] = time.perf_counter() - started
    if use_cache and complete:  # (an incomplete site is not "unchanged" next time)
        outcome = (checked.report, checked.published, state)
        cache.put("last-build", inputs, pickle.dumps(outcome))
    return checked
