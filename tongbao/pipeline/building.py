"""A build: check, render, then the site stage in two calls (stage, finish and swap)."""

from __future__ import annotations

import pickle
import time
from datetime import date
from pathlib import Path

from .. import keys
from ..cache import Cache
from ..issues import BadTemplate
from ..pages.tree import Tree
from ..progress import Progress
from ..publish.site import discard, finish_site, stage_site
from .checking import Checked, check
from .recording import record_issued
from .rendering import Deferred, render
from .session import ONE_SHOT, Session


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
    session: Session | None = None,
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
    session = session or ONE_SHOT
    cache = session.cache(root, use_cache=use_cache)
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
        root,
        today=today,
        use_cache=use_cache,
        drafts=drafts,
        progress=progress,
        session=session,
        review=review,
    )
    if checked.report.failed(strict=strict):
        return checked
    try:
        tree, nav, deferred = render(
            root, checked, cache, progress, downloads=complete, workers=session.workers
        )
        try:
            state = publish_site(root, checked, tree, nav, deferred, site_dir=site_dir, cache=cache,
                                 strict=strict, complete=complete, progress=progress)  # fmt: skip
        finally:
            deferred.cancel()  # the SVG workers, when MkDocs failed before they were waited for
    except BadTemplate as exc:  # a template the bureau edited: site/ is left as it was
        checked.report.add(exc.issue)
        return checked
    if record and not drafts and not review and complete:
        checked = record_issued(root, checked, site_dir, today or date.today(), cache)
    if checked.recorded:  # the next build's inputs include the records written
        inputs = keys.inputs(
            root, str(site_dir), f"strict={strict}", f"drafts={drafts}", f"review={review}", day
        )
    cache.forget_unused()
    progress.record("合计 total", time.perf_counter() - started)
    # (an incomplete site is not "unchanged" next time; nor one that published a PDF of
    # an older record's month other than the one now kept for it: the next build
    # publishes the kept one)
    if use_cache and complete and not checked.unkept:
        outcome = (checked.report, checked.published, state)
        cache.put("last-build", inputs, pickle.dumps(outcome))
    return checked


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
