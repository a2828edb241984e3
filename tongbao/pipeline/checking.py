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
from ..bulletin.model import SiteText
from ..cache import Cache
from ..compute.indicators import compute_all
from ..compute.issued_pdf import check_kept
from ..compute.release import held_back, held_back_notices
from ..compute.revisions import UNREAD_COMMENTARY, Correction, Outcome, Withdrawal, check_all
from ..config import Config, Settings, defaults, load_config
from ..document import DocumentSettings
from ..issues import Issue, Report
from ..pages.rendering import template_problems
from ..progress import Progress
from ..read.calendar import Planned, load_calendar
from ..read.dataset import Dataset
from ..read.load import load_project
from ..read.validate import validate
from .session import ONE_SHOT, Session


@dataclass(frozen=True)
class Checked:
    """What `check` produces and `build` goes on from: made once, never patched (a build
    that writes records makes a new one with `recorded`, dataclasses.replace)."""

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
    session: Session | None = None,
    review: str | None = None,
) -> Checked:
    """Load, validate, compute and evaluate commentary: everything but writing.

    `drafts`: publish months marked `draft: true` too (the preview shows them; a
    real build never does). `session`: what the command keeps between builds. `review`:
    a month shown for sign-off (python build.py review), draft or not, its 印发日期
    reached or not."""
    with keys.one_build():
        return _check(
            root,
            today=today,
            use_cache=use_cache,
            drafts=drafts,
            progress=progress,
            session=session or ONE_SHOT,
            review=review,
        )


def _check(
    root: Path,
    *,
    today: date | None,
    use_cache: bool,
    drafts: bool,
    progress: Progress | None,
    session: Session,
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
        cache = session.cache(root, use_cache=use_cache)
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
    texts = render_all_commentary(root, data, figures, digests, cache, report, progress)
    published = released(data, sorted(figures), report, today=today, drafts=drafts, review=review)
    record = check_published(
        root,
        cache,
        report=report,
        data=data,
        config=config,
        published=published,
        figures=figures,
        texts=texts,
        figure_keys=figure_keys,
        digests=digests,
    )
    calendar, problems = load_calendar(root)
    report.extend(problems)
    return Checked(
        report,
        data,
        figures,
        record.texts,
        record.published,
        settings,
        config,
        progress.timings,
        record.digests,
        issued=record.outcome.issued,
        corrections=record.outcome.corrections,
        originals=record.outcome.originals,
        calendar=calendar,
        figure_keys=figure_keys,
        withdrawn=record.outcome.withdrawn,
        kept=record.kept,
        unkept=record.unkept,
    )


@dataclass(frozen=True)
class HeldToRecord:
    """The published months as the record has them: a withdrawn month shown as it was
    issued (its record's commentary and figures' digest), and what the record says."""

    published: list[str]
    texts: dict[str, str]
    digests: dict[str, str]
    outcome: Outcome
    kept: dict[str, str]  # the PDFs as issued (compute/issued_pdf.py), checked
    unkept: list[str]  # issued months whose (older) record keeps no PDF yet


def check_published(
    root: Path,
    cache: Cache,
    *,
    report: Report,
    data: Dataset,
    config: Config,
    published: list[str],
    figures: dict[str, dict],
    texts: dict[str, str],
    figure_keys: dict[str, str],
    digests: dict[str, str],
) -> HeldToRecord:
    """Hold every issued month to its record (published/YYYY-MM.json, compute/revisions.py);
    a withdrawn month is shown as it was issued: its record's figures and commentary."""
    outcome = check_all(
        root,
        cache,
        published=published,
        metas={p: item.meta for p, item in data.commentary.items()},
        unread={i.file for i in report.errors if i.code in UNREAD_COMMENTARY},
        figures=figures,
        texts=texts,
        title=SiteText.from_config(config).masthead,
        figure_keys=figure_keys,
        digests=digests,
    )
    report.extend(outcome.issues)
    texts, digests = dict(texts), dict(digests)
    for period, withdrawal in outcome.withdrawn.items():
        if withdrawal.record is not None:  # (None: issued before records, shown as now)
            texts[period] = withdrawal.record["commentary"]
            digests[period] = keys.figures_content(withdrawal.record["figures"])
    every = sorted(set(published) | set(outcome.withdrawn))
    recorded = [p for p, w in outcome.withdrawn.items() if w.record is not None]
    kept, unkept, problems = check_kept(root, sorted(set(outcome.issued) | set(recorded)), cache)
    report.extend(problems)
    return HeldToRecord(every, texts, digests, outcome, kept, unkept)


def released(
    data: Dataset,
    months: list[str],
    report: Report,
    *,
    today: date | None,
    drafts: bool,
    review: str | None,
) -> list[str]:
    """The months a build publishes: nothing before its 印发日期 and no draft, unless
    shown anyway (the preview, `drafts`; the month under review, as it will be issued)."""
    held = {} if drafts else held_back(data, months, today or date.today())
    report.extend(held_back_notices(data, held))
    held.pop(review or "", None)
    return [p for p in months if p not in held and (drafts or p == review or not is_draft(data, p))]


def render_all_commentary(
    root: Path,
    data: Dataset,
    figures: dict[str, dict],
    digests: dict[str, str],
    cache: Cache,
    report: Report,
    progress: Progress,
) -> dict[str, str]:
    """Each month's commentary with its figures filled in (sandboxed), cached on them."""
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
    return texts


def _digested(figures: dict) -> tuple[dict, str]:
    return figures, keys.figures_content(figures)
