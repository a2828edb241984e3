"""The checking half of the pipeline: load, validate, compute, commentary, and every
issued month held to its record. Everything but writing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from .. import keys
from ..bulletin.commentary import render_commentary
from ..cache import Cache, project_cache
from ..compute.indicators import compute_all
from ..compute.issued_pdf import check_kept
from ..compute.release import held_back, held_back_notices
from ..compute.revisions import UNREAD_COMMENTARY, Correction, Withdrawal, check_all
from ..config import Config, Settings, defaults, load_config
from ..document import DocumentSettings
from ..issues import Issue, Report
from ..pages import SiteText
from ..pages.rendering import template_problems
from ..progress import Progress
from ..read.calendar import Planned, load_calendar
from ..read.dataset import Dataset
from ..read.load import load_project
from ..read.validate import validate


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
    # the PDF as issued (published/YYYY-MM.pdf, compute/issued_pdf.py): period → its
    # SHA-256, checked; and the issued months whose (older) record keeps none yet
    kept: dict[str, str] = field(default_factory=dict)
    unkept: list[str] = field(default_factory=list)


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
    review: str | None = None,
) -> Checked:
    """Load, validate, compute and evaluate commentary: everything but writing.

    `drafts`: publish months marked `draft: true` too (the preview shows them; a
    real build never does). `review`: a month shown for sign-off (python build.py
    review), draft or not, its 印发日期 reached or not."""
    with keys.one_build():
        return _check(
            root, today=today, use_cache=use_cache, drafts=drafts, progress=progress, review=review
        )


def _check(
    root: Path,
    *,
    today: date | None,
    use_cache: bool,
    drafts: bool,
    progress: Progress | None,
    review: str | None = None,
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
        report.extend(template_problems(root, cache))  # the page templates are inputs too
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
    # Nothing is published before its 印发日期 (the preview shows such months too)
    held = {} if drafts else held_back(data, sorted(figures), today or date.today())
    report.extend(held_back_notices(data, held))
    held.pop(review or "", None)
    published = [
        p
        for p in sorted(figures)
        if p not in held and (drafts or p == review or not is_draft(data, p))
    ]
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
    recorded = [p for p, w in outcome.withdrawn.items() if w.record is not None]
    kept, unkept, problems = check_kept(root, sorted(set(outcome.issued) | set(recorded)), cache)
    checked.report.extend(problems)
    checked.kept, checked.unkept = kept, unkept


def _digested(figures: dict) -> tuple[dict, str]:
    return figures, keys.figures_content(figures)
