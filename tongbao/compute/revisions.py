"""Holding issued months to their record: every difference needs a dated revision.

An issued month is compared with its record (`record.py`) on every build: figures,
期号, 印发日期, title and the commentary as issued (sentence by sentence). A
difference stops the build (`published-changed`, naming each change and the files
changed since the record was written) until the month's front matter records a
revision dated on or after the day the record was written; the bulletin then shows
a 更正说明 (原发布 → 更正后, 原文 → 更正后). An issued month cannot vanish either
(`issued-removed`) unless its front matter records a dated withdrawal (撤回).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import formats, keys
from ..cache import Cache
from ..issues import ERROR, WARNING, Issue
from ..read.numbers import parse_date
from .record import (
    Change,
    compare,
    issued_on,
    month_files,
    read_record,
    record_rel,
    recorded_periods,
)


@dataclass(frozen=True)
class Detail:
    """期号, 印发日期 or title: as issued and as it now reads (as printed)."""

    name: str
    published: str
    corrected: str


@dataclass(frozen=True)
class TextChange:
    """Sentences of the commentary as issued and as they now read ("" when none)."""

    before: str
    after: str


@dataclass(frozen=True)
class Correction:
    """A month's 更正说明: the revision that allows the changes, and the changes."""

    period: str
    revised_on: date  # the revision's date
    note: str
    changes: tuple[Change, ...]
    recorded_on: date
    follows: str | None = None  # the earlier month whose revision these changes follow
    details: tuple[Detail, ...] = ()
    text: tuple[TextChange, ...] = ()


@dataclass(frozen=True)
class Withdrawal:
    """撤回: an issued month taken back. It keeps its page, shown as issued (`record`)."""

    on: date
    reason: str
    record: dict | None  # None: issued before tongbao kept records
    meta: dict  # its front matter as issued: no revision dated after the record


def withdrawal(meta: dict, record: dict | None) -> Withdrawal:
    """The month's withdrawal; with a record, the page and PDF show what was issued, so
    revisions written since (on or after `recorded_on`) are left out."""
    since = date.fromisoformat(record["recorded_on"]) if record is not None else date.max
    revisions = [r for r in meta.get("revisions") or [] if r["date"] < since]
    issued = {k: v for k, v in meta.items() if k != "revisions"}
    issued |= {"revisions": revisions} if revisions else {}
    return Withdrawal(meta["withdrawn"]["date"], meta["withdrawn"]["reason"], record, issued)


_SENTENCE = re.compile(r"[^。！？\n]*[。！？]|[^。！？\n]+")


def sentences(text: str) -> list[str]:
    """The commentary's sentences: split after 。！？ and at line ends."""
    return [s.strip() for s in _SENTENCE.findall(text or "") if s.strip()]


def text_changes(issued: str | None, now: str | None) -> tuple[TextChange, ...]:
    """Only the sentences that differ: sentence for sentence where as many were replaced
    as written, else the run of changed sentences as one change (joined by a space)."""
    old, new = sentences(issued or ""), sentences(now or "")
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    found: list[TextChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1:
            found += [TextChange(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        else:
            found.append(TextChange(" ".join(old[i1:i2]), " ".join(new[j1:j2])))
    return tuple(found)


def detail_changes(record: dict, figures: dict, title: str) -> tuple[Detail, ...]:
    period = record["period"]
    found = []
    if record.get("issue") != figures.get("issue"):
        shown = (
            formats.issue_label(period, v) for v in (record.get("issue"), figures.get("issue"))
        )
        found.append(Detail("期号", *shown))
    if record.get("issued") != figures.get("issued"):
        shown = (formats.date_label(v) for v in (record.get("issued"), figures.get("issued")))
        found.append(Detail("印发日期", *shown))
    if record.get("title") != title:
        found.append(Detail("标题", str(record.get("title") or formats.DASH), title))
    return tuple(found)


def allowing_revision(meta: dict, recorded_on: date) -> tuple[date, str] | None:
    """The newest revision dated on or after the day the record was written."""
    found = []
    for item in meta.get("revisions") or []:
        if not isinstance(item, dict):
            continue
        when = parse_date(item.get("date"))
        if isinstance(when, date) and when >= recorded_on:
            found.append((when, str(item.get("note") or "").strip()))
    return max(found, default=None)


def changed_files(root: Path, period: str, record: dict) -> list[str]:
    """The files added, removed or changed since the record was written: the month's own
    data first, then other data it read (earlier months', last year's), then the rest."""
    then: dict[str, str] = record.get("files") or {}
    now = month_files(root, period)
    changed = sorted(f for f in set(then) | set(now) if then.get(f) != now.get(f))
    return sorted(changed, key=lambda f: (not f.startswith(f"data/{period}/"), f[:5] != "data/"))


def _describe(
    changes: tuple[Change, ...], details: tuple[Detail, ...], text: tuple[TextChange, ...]
) -> list[str]:
    lines = [f"{d.name} 原发布 {d.published} → 现为 {d.corrected}" for d in details]
    lines += [c.describe() for c in changes]
    lines += [f"评述 原文“{t.before or '（无）'}” → 现为“{t.after or '（删去）'}”" for t in text]
    return lines


def check_record(
    root: Path,
    period: str,
    figures: dict,
    meta: dict,
    *,
    title: str,
    text: str | None,
    earlier: Correction | None = None,
) -> tuple[list[Issue], Correction | None, dict | None]:
    """Compare an issued month with its record: the problems, the 更正说明 the
    bulletin shows, and the record (None when the month has none yet).

    `text`: the commentary as it now renders (None: it could not be rendered, an error
    already reported, so it is not compared). `earlier`: the correction of an earlier
    month. A later month whose own files are unchanged since its record, but whose
    figures moved with that month's (本月 is this YTD less last month's, ranks change
    with them), shows the change under that revision instead of needing one of its own."""
    rel = record_rel(period)
    record, problems = read_record(root, period)
    if problems:
        return problems, None, None
    if record is None:
        message = (
            f"{period} 已印发（印发日期 {figures.get('issued')}），但还没有发布记录 {rel}："
            "运行 python build.py 生成后，把它和该月数据一起提交（发布记录保存已印发的数字，"
            "之后任何改动都会被发现）"
        )
        return [Issue.of_file(rel, "record-missing", message, WARNING)], None, None
    recorded_on = date.fromisoformat(record["recorded_on"])
    changes = tuple(compare(record["figures"], figures))
    details = detail_changes(record, figures, title)
    said = text_changes(record.get("commentary"), text) if text is not None else ()
    if not (changes or details or said):
        return [], None, record
    revision = allowing_revision(meta, recorded_on)
    if revision is not None:
        when, note = revision
        return [], Correction(period, when, note, changes, recorded_on, None, details, said), record
    files = changed_files(root, period, record)
    if earlier is not None and not any(f.startswith(f"data/{period}/") for f in files):
        if not details and f"content/{period}.md" not in files:
            note = f"随{formats.period_label(earlier.period)}数据更正而变动（{earlier.note}）"
            correction = Correction(
                period, earlier.revised_on, note, changes, recorded_on, earlier.period, (), said
            )
            return [], correction, record
    return (
        [_changed_issue(period, record, recorded_on, files, changes, details, said)],
        None,
        record,
    )


def _changed_issue(
    period: str,
    record: dict,
    recorded_on: date,
    files: list[str],
    changes: tuple[Change, ...],
    details: tuple[Detail, ...],
    said: tuple[TextChange, ...],
) -> Issue:
    rel = record_rel(period)
    lines = _describe(changes, details, said)
    since = (
        "、".join(files)
        if files
        else f"{rel} 记录的 {len(record.get('files') or {})} 个输入文件都未改动，"
        "变动来自 tongbao 程序的更新"
    )
    message = (
        f"{period} 的通报已于 {record.get('issued') or recorded_on.isoformat()} 印发，"
        f"现在与发布记录 {rel} 不同（{len(lines)} 项）：" + "；".join(lines) + "。"
        f"自发布以来改动的文件：{since}。若是误改，请恢复原样；若确需更正已发布的内容，"
        f"请在 content/{period}.md 的 revisions 中添加一条日期不早于 "
        f"{recorded_on.isoformat()} 的修订说明（date 和 note），页面将显示更正说明"
    )
    # named first: the changed data file (what holds figures), else any, else the record
    where = next((f for f in files if f.startswith("data/")), files[0] if files else rel)
    return Issue.of_file(where, "published-changed", message, ERROR)


def check_record_cached(
    cache: Cache,
    root: Path,
    period: str,
    figures: dict,
    meta: dict,
    *,
    title: str,
    text: str | None,
    earlier: Correction | None,
    figures_key: tuple[str, str],
) -> tuple[list[Issue], Correction | None, dict | None]:
    """`check_record`, cached on the record's bytes and all that the month's figures were
    computed from (`figures_key`: keys.figures of the month and its figures' digest), the
    title and the commentary. The record is kept only where the month was corrected (its
    原版 is made from it)."""

    def make() -> tuple[list[Issue], Correction | None, dict | None]:
        problems, correction, record = check_record(
            root, period, figures, meta, title=title, text=text, earlier=earlier
        )
        return problems, correction, record if correction is not None else None

    # the message names changed files: mkdocs.yml counts even where no setting changed
    said = f"{title}\n{text}\n{keys.file_digest(root / 'mkdocs.yml')}"
    key = keys.record_check(*figures_key, root / record_rel(period), repr(earlier) + said)
    return cache.memo("record-check", key, make)


def removed(period: str, meta: dict | None, *, has_data: bool) -> list[str]:
    """What of an issued month is gone: its commentary, 印发日期, data, or it is a draft."""
    gone = []
    if meta is None:
        gone.append(f"评述文件 content/{period}.md 不在了")
    elif meta.get("draft") is True:
        gone.append("被改成了草稿（draft: true）")
    if meta is not None and "issued" not in meta:
        gone.append("删去了印发日期（issued）")
    if not has_data:
        gone.append(f"数据文件夹 data/{period}/ 不在了（或其中没有数据）")
    return gone


def removed_issue(period: str, record: dict, meta: dict | None, gone: list[str]) -> Issue:
    label = formats.issue_label(period, record.get("issue"))
    message = (
        f"{period}（{label}）已于 {record.get('issued')} 印发，发布记录 {record_rel(period)} "
        f"在，但" + "，".join(gone) + "。已印发的通报不能消失：若是误改误删，请恢复原样；"
        f"若确要撤回，请在 content/{period}.md 开头写 withdrawn:，下面两行 date: 撤回日期 和 "
        "reason: 撤回原因，通报页面将保留并注明已撤回"
    )
    where = f"content/{period}.md" if meta is not None else record_rel(period)
    return Issue.of_file(where, "issued-removed", message, ERROR)


# a commentary whose front matter could not be read: whether the month is still issued
# is unknown, so it is not compared (its own error stops the build)
UNREAD_COMMENTARY = frozenset({"bad-front-matter", "bad-encoding"})


@dataclass
class Outcome:
    """Every issued month held to its record."""

    issues: list[Issue] = field(default_factory=list)
    issued: dict[str, date] = field(default_factory=dict)
    corrections: dict[str, Correction] = field(default_factory=dict)
    originals: dict[str, dict] = field(default_factory=dict)  # the record of each corrected
    withdrawn: dict[str, Withdrawal] = field(default_factory=dict)


def check_all(
    root: Path,
    cache: Cache,
    *,
    published: list[str],
    metas: dict[str, dict],
    unread: set[str],
    figures: dict[str, dict],
    texts: dict[str, str],
    title: str,
    figure_keys: dict[str, str],
    digests: dict[str, str],
) -> Outcome:
    """Every month with a record, and every published month with an 印发日期, compared
    with its record. `metas`: the front matter of each month that has a commentary file;
    `unread`: the files whose front matter could not be read (UNREAD_COMMENTARY).
    Chains corrections: a later month moved by an earlier month's revision follows it."""
    out = Outcome()
    records = set(recorded_periods(root))
    revised = None  # the latest month corrected under a revision of its own
    for period in sorted(records | set(published)):
        if f"content/{period}.md" in unread:
            continue
        meta = metas.get(period)
        withdrawn = (meta or {}).get("withdrawn")
        gone = removed(period, meta, has_data=period in figures)
        if period in records and (withdrawn or gone):
            # (else the record is read, only when its check is not cached, below)
            record, problems = read_record(root, period)
            out.issues += problems
            if record is not None and withdrawn:
                out.withdrawn[period] = withdrawal(meta, record)  # type: ignore[arg-type]
            elif record is not None:
                out.issues.append(removed_issue(period, record, meta, gone))
            continue
        when = issued_on(meta) if meta is not None and period in published else None
        if when is None:
            continue
        if withdrawn and meta is not None:  # issued before records: shown as it now reads
            out.withdrawn[period] = withdrawal(meta, None)
            continue
        out.issued[period] = when
        problems, correction, record = check_record_cached(
            cache,
            root,
            period,
            figures[period],
            meta,  # type: ignore[arg-type]
            title=title,
            text=texts.get(period),
            earlier=revised,
            figures_key=(figure_keys[period], digests[period]),
        )
        out.issues += problems
        if correction is not None and record is not None:
            out.corrections[period] = correction
            out.originals[period] = record
            if correction.follows is None:
                revised = correction
    return out
