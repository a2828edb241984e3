"""A build: check, render, then the site stage in two calls (stage, finish and swap)."""

from __future__ import annotations

import pickle
import time
from datetime import date
from pathlib import Path

from .. import charts, keys, layout
from ..cache import Cache, project_cache
from ..compute.issued_pdf import upgrade_records
from ..compute.record import read_record, write_missing_records
from ..compute.revisions import allowing_revision
from ..document import DocumentSettings, original_pdfs
from ..issues import BadTemplate
from ..pages import SiteText
from ..pages.tree import Tree
from ..progress import Progress
from ..publish.site import discard, finish_site, stage_site
from .checking import Checked, check
from .rendering import Deferred, render


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
    review: str | None = None,
) -> Checked:
    """check, then render and publish `site/`; nothing is written when check fails.

    `progress` is told of each stage (a live count on a terminal, a line each in CI)
    and keeps their times for `--timings`. `record`: write the record of each issued
    month that has none (a preview never does). `complete=False`: the preview's first
    pass after a data edit, every page but no download not already made (PDF, Word,
    Excel) and the last build's search index (a complete build follows). `review`: a
    month shown for sign-off though a draft or not yet due (never recorded)."""
    root = root.resolve()
    site_dir = site_dir or root / "site"
    progress = progress or Progress()
    started = time.perf_counter()
    cache = project_cache(root, use_cache=use_cache)
    # Nothing changed since the last build of this site: the same report, no work.
    # the day decides which months are released (and bounds future months)
    day = (today or date.today()).isoformat()
    inputs = keys.inputs(
        root, str(site_dir), f"strict={strict}", f"drafts={drafts}", f"review={review}", day
    )
    last = cache.get("last-build", inputs) if use_cache else None
    if last is not None:
        report, published, state = pickle.loads(last)
        if state == keys.site_state(site_dir):
            progress.record("未改动 unchanged", time.perf_counter() - started)
            return Checked(report, published=published, timings=progress.timings)
    checked = check(
        root, today=today, use_cache=use_cache, drafts=drafts, progress=progress, review=review
    )
    if checked.report.failed(strict=strict):
        return checked
    try:
        tree, nav, deferred = render(root, checked, cache, progress, downloads=complete)
        try:
            state = publish_site(root, checked, tree, nav, deferred, site_dir=site_dir, cache=cache,
                                 strict=strict, complete=complete, progress=progress)  # fmt: skip
        finally:
            deferred.cancel()  # the SVG workers, when MkDocs failed before they were waited for
    except BadTemplate as exc:  # a template the bureau edited: site/ is left as it was
        checked.report.add(exc.issue)
        return checked
    if record and not drafts and not review and complete:
        checked.recorded = keep_records(root, checked, site_dir, today or date.today(), cache)
    if checked.recorded:
        # The records now exist: their warnings are answered, and the next build's
        # inputs include them (else an unchanged project would be built once more).
        written = set(checked.recorded)
        for rel in written:
            keys.written(root / rel)
        checked.report.issues = [
            i
            for i in checked.report.issues
            if not (i.code in ("record-missing", "issued-pdf-missing") and i.file in written)
        ]
        inputs = keys.inputs(
            root, str(site_dir), f"strict={strict}", f"drafts={drafts}", f"review={review}", day
        )
    cache.forget_unused()
    checked.timings["合计 total"] = time.perf_counter() - started
    # (an incomplete site is not "unchanged" next time; nor one that published a PDF of
    # an older record's month other than the one now kept for it: the next build
    # publishes the kept one)
    if use_cache and complete and not checked.unkept:
        outcome = (checked.report, checked.published, state)
        cache.put("last-build", inputs, pickle.dumps(outcome))
    return checked


def unkept_pdfs(root: Path, checked: Checked, site_dir: Path, cache: Cache) -> dict[str, bytes]:
    """The PDF as issued of each month whose older record keeps none: the one this build
    published, unless the month was corrected or a revision was written since its
    record (the PDF shows it): then, like a corrected month's 原版, the PDF made from
    the record (document.original_pdfs)."""
    assert checked.data is not None
    found, again = {}, []
    for period in checked.unkept:
        record, _ = read_record(root, period)
        item = checked.data.commentary.get(period)
        since = date.fromisoformat(record["recorded_on"]) if record else date.min
        revised = item is not None and allowing_revision(item.meta, since) is not None
        path = site_dir / layout.bulletin_pdf(period)
        if period in checked.originals or revised or not path.is_file():
            again.append(period)
        else:
            found[period] = path.read_bytes()
    return found | as_recorded(root, checked, again, cache)


def as_recorded(root: Path, checked: Checked, periods: list[str], cache: Cache) -> dict[str, bytes]:
    """The PDF of each of these months made from its record (the figures and commentary
    as issued, no revision written since), as a corrected month's 原版 is."""
    assert checked.data is not None
    records = {p: r for p in periods if (r := read_record(root, p)[0]) is not None}
    metas = {}
    for period in records:
        item = checked.data.commentary.get(period)
        meta = item.meta if item is not None else {}
        metas[period] = {k: v for k, v in meta.items() if k != "withdrawn"}
    figures = {p: r["figures"] for p, r in records.items()}
    drawn = {p: charts.charts_for_month(f, checked.figures | {p: f}) for p, f in figures.items()}
    made = original_pdfs(
        root,
        records,
        metas,
        drawn,
        site=SiteText.from_config(checked.config),
        settings=DocumentSettings.from_config(checked.config),
        cache=cache,
    )
    return {p: made[layout.original_pdf(p)] for p in records}


def keep_records(
    root: Path, checked: Checked, site_dir: Path, today: date, cache: Cache
) -> list[str]:
    """Write the record of each newly issued month and keep the PDF this build published
    for it; keep the PDF of each month whose older record has none (`unkept_pdfs`) and
    add its hash to the record (compute/issued_pdf.py). The paths written."""
    new = [p for p in checked.issued if not (root / layout.record(p)).exists()]
    pdfs = {}
    for period in new:
        path = site_dir / layout.bulletin_pdf(period)
        if path.is_file():
            pdfs[period] = path.read_bytes()
    written = write_missing_records(
        root,
        checked.issued,
        checked.figures,
        checked.commentary,
        title=SiteText.from_config(checked.config).masthead,
        today=today,
        pdfs=pdfs,
    )
    return written + upgrade_records(root, unkept_pdfs(root, checked, site_dir, cache), today)


def publish_site(
    root: Path,
    checked: Checked,
    tree: Tree,
    nav: list,
    deferred: Deferred,
    *,
    site_dir: Path,
    cache: Cache,
    strict: bool,
    complete: bool,
    progress: Progress,
) -> str:
    """The site stage in two calls: MkDocs (and Pagefind) on the pages, then the charts
    and the documents drawn meanwhile go in and the folder is swapped in for `site/`."""
    staged = stage_site(
        root,
        tree,
        site_dir=site_dir,
        work_dir=cache.folder("build"),
        nav=nav,
        strict=strict,
        site_url=checked.config.site_url,
        progress=progress,
        search=complete,
        later_charts=deferred.charts,
        later_files=deferred.files,
    )
    try:
        svgs, made = deferred.make()
        return finish_site(staged, charts=svgs, files=made, progress=progress)
    except BaseException:
        discard(staged)
        raise
