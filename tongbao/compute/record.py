"""The record: what was issued for a month, kept in `published/YYYY-MM.json`.

A bulletin once issued is an official record that leaders quote. `build` writes a
month's record the first time the month is issued (not a draft, with an 印发日期);
the clerk commits it with the month. Every later check compares the month's
figures with its record: a difference stops the build (`published-changed`)
until the month's front matter records a revision dated on or after the day the
record was written. The bulletin then shows a 更正说明 of every figure that
differs (原发布 → 更正后). The record itself is never rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import formats, keys
from ..cache import Cache
from ..issues import ERROR, WARNING, Issue
from ..periods import year_of
from ..read.numbers import parse_date
from ..schema import Indicator, month_indicators

RECORD_DIR = "published"
RECORD_VERSION = 1

# The figures a reader can quote, in the order a correction lists them.
FIGURE_NAMES = {
    "reported": "报送情况",
    "ytd": "累计",
    "month": "本月",
    "target": "市定目标",
    "target_self": "自定目标",
    "rate": "完成率",
    "gap_pp": "进度差",
    "yoy": "同比",
    "rank": "位次",
    "rank_tied": "并列",
    "rank_change": "位次变化",
    "light": "亮灯",
}
CITY = "CITY"
CITY_NAME = "全市"
_TOLERANCE = 1e-9  # recomputation is exact; this only absorbs float noise in JSON


@dataclass(frozen=True)
class Change:
    """One published figure that differs from what the data now gives."""

    unit_id: str
    unit: str
    indicator: str  # indicator key; "" for the unit's 报送情况
    figure: str  # ytd, rate, … (FIGURE_NAMES)
    published: object
    corrected: object
    declared: Indicator | None = None  # the indicator as the month declares it

    @property
    def indicator_name(self) -> str:
        return self.declared.name if self.declared else self.indicator

    @property
    def figure_name(self) -> str:
        return FIGURE_NAMES.get(self.figure, self.figure)

    def show(self, value: object) -> str:
        """A value as the bulletin prints it."""
        return show_figure(self.declared, self.figure, value)

    def describe(self) -> str:
        what = "".join(p for p in (self.unit, self.indicator_name, self.figure_name) if p)
        return f"{what} 原发布 {self.show(self.published)} → 现为 {self.show(self.corrected)}"


@dataclass(frozen=True)
class Correction:
    """A month's 更正说明: the revision that allows the changes, and the changes."""

    period: str
    revised_on: date  # the revision's date
    note: str
    changes: tuple[Change, ...]
    recorded_on: date
    follows: str | None = None  # the earlier month whose revision these changes follow


def show_figure(indicator: Indicator | None, figure: str, value: object) -> str:
    if value is None:
        return formats.DASH
    if figure == "reported":
        return "已报送" if value else "未报送"
    if figure in {"rate", "yoy"}:
        return formats.pct(float(value))  # type: ignore[arg-type]
    if figure == "gap_pp":
        return formats.pp(float(value))  # type: ignore[arg-type]
    if figure == "rank":
        return formats.rank(int(value))  # type: ignore[call-overload]
    if figure == "rank_tied":
        return "是" if value else "否"
    if figure == "rank_change":
        return formats.rank_change(int(value))  # type: ignore[call-overload]
    if figure == "light":
        return {"green": "绿", "yellow": "黄", "red": "红"}.get(str(value), str(value))
    if indicator is None:
        return formats.grouped(f"{value:g}")
    return formats.amount(float(value), indicator.unit, indicator.digits)  # type: ignore[arg-type]


def published_form(value: object) -> object:
    """Figures as the site publishes them (data/YYYY-MM.json): floats trimmed of binary
    noise. What a record keeps and what it is compared with."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: published_form(v) for k, v in value.items()}
    if isinstance(value, list):
        return [published_form(v) for v in value]
    return value


def record_rel(period: str) -> str:
    return f"{RECORD_DIR}/{period}.json"


def record_path(root: Path, period: str) -> Path:
    return root / RECORD_DIR / f"{period}.json"


def issued_on(meta: dict) -> date | None:
    """A month is issued when it is not a draft and has an 印发日期."""
    if meta.get("draft") is True:
        return None
    value = parse_date(meta.get("issued"))
    return value if isinstance(value, date) else None


def month_files(root: Path, period: str) -> dict[str, str]:
    """The files a month's figures read, with their SHA-256: the month's folder, its
    commentary, its year's targets and the registers. What `published-changed` names."""
    data = root / "data"
    paths = [data / "units.csv", data / "industries.csv", root / "content" / f"{period}.md"]
    paths += keys.files_under(data / period)
    if (data / "targets").is_dir():
        paths += sorted((data / "targets").glob(f"{year_of(period)}.*"))
    # keys.file_digest: the SHA-256 a build already took of each file (once per build)
    return {p.relative_to(root).as_posix(): keys.file_digest(p) for p in paths if p.is_file()}


def make_record(
    period: str,
    figures: dict,
    *,
    commentary: str | None,
    files: dict[str, str],
    recorded_on: date,
) -> bytes:
    """The record's bytes: the figures as published, the commentary as issued (its
    figures filled in, so the original bulletin can be made again), the files read."""
    record = {
        "tongbao_record": RECORD_VERSION,
        "period": period,
        "issue": figures.get("issue"),
        "issued": figures.get("issued"),
        "recorded_on": recorded_on.isoformat(),
        "files": files,
        "commentary": commentary,
        "figures": published_form(figures),
    }
    # compact, like data/YYYY-MM.json: a record is never edited, only compared
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def read_record(root: Path, period: str) -> tuple[dict | None, list[Issue]]:
    path = record_path(root, period)
    rel = record_rel(period)
    if not path.is_file():
        return None, []
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
        date.fromisoformat(record["recorded_on"])
        if not isinstance(record["figures"], dict) or record["period"] != period:
            raise ValueError(period)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        message = (
            "发布记录无法读取或已被改动。发布记录由 tongbao 在印发时写入，不能手工编辑："
            f"请用 git 恢复 {rel} 的原始版本（git checkout -- {rel}）"
        )
        return None, [Issue.of_file(rel, "bad-record", message)]
    return record, []


def _close(a: object, b: object) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) <= _TOLERANCE * max(1.0, abs(a), abs(b))
    return a == b


def _indicator_changes(
    unit_id: str,
    name: str,
    old: dict,
    new: dict,
    *,
    reported: tuple[object, object] | None,
    declared: dict[str, Indicator],
) -> list[Change]:
    changes = []
    if reported is not None and reported[0] != reported[1]:
        changes.append(Change(unit_id, name, "", "reported", reported[0], reported[1]))
    # an indicator declared since the month was issued, or no longer declared, has no
    # published figure to compare with one shown now: adding or dropping one is no correction
    for key in [k for k in new if k in old]:
        before, after = old.get(key) or {}, new.get(key) or {}
        for figure in FIGURE_NAMES:
            if figure in before or figure in after:
                if not _close(before.get(figure), after.get(figure)):
                    changes.append(
                        Change(
                            unit_id,
                            name,
                            key,
                            figure,
                            before.get(figure),
                            after.get(figure),
                            declared.get(key),
                        )
                    )
    return changes


def compare(published: dict, figures: dict) -> list[Change]:
    """Every figure of the month that differs between the record and the data now:
    the city's, then each unit's in the bulletin's order."""
    figures = published_form(figures)  # type: ignore[assignment]
    declared = month_indicators(figures).by_key
    changes = _indicator_changes(
        CITY,
        CITY_NAME,
        published.get("city") or {},
        figures.get("city") or {},
        reported=None,
        declared=declared,
    )
    old_units = {u["unit_id"]: u for u in published.get("units") or []}
    new_units = {u["unit_id"]: u for u in figures.get("units") or []}
    order = [u["unit_id"] for u in figures.get("units") or []]
    order += [u for u in old_units if u not in new_units]
    for unit_id in order:
        old, new = old_units.get(unit_id, {}), new_units.get(unit_id, {})
        name = new.get("name") or old.get("name") or unit_id
        changes += _indicator_changes(
            unit_id,
            name,
            old.get("indicators") or {},
            new.get("indicators") or {},
            reported=(old.get("reported"), new.get("reported")),
            declared=declared,
        )
    return changes


def changed_files(root: Path, period: str, record: dict) -> list[str]:
    """The month's files added, removed or changed since the record was written."""
    then: dict[str, str] = record.get("files") or {}
    now = month_files(root, period)
    return sorted(f for f in set(then) | set(now) if then.get(f) != now.get(f))


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


def check_record(
    root: Path, period: str, figures: dict, meta: dict, *, earlier: Correction | None = None
) -> tuple[list[Issue], Correction | None, dict | None]:
    """Compare an issued month with its record: the problems, the 更正说明 the
    bulletin shows, and the record (None when the month has none yet).

    `earlier`: the correction of an earlier month. A later month whose own files are
    unchanged since its record, but whose figures moved with that month's (本月 is this
    YTD less last month's, ranks change with them), shows the change under that
    revision instead of needing one of its own."""
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
    changes = compare(record["figures"], figures)
    if not changes:
        return [], None, record
    revision = allowing_revision(meta, recorded_on)
    if revision is not None:
        when, note = revision
        return [], Correction(period, when, note, tuple(changes), recorded_on), record
    files = changed_files(root, period, record)
    if earlier is not None and not any(f.startswith(f"data/{period}/") for f in files):
        note = f"随{formats.period_label(earlier.period)}数据更正而变动（{earlier.note}）"
        correction = Correction(
            period, earlier.revised_on, note, tuple(changes), recorded_on, follows=earlier.period
        )
        return [], correction, record
    since = (
        "、".join(files)
        if files
        else f"该月文件未改动（变动来自更早月份的数据、名册或设置，{rel} 记录了当时读取的文件）"
    )
    message = (
        f"{period} 的通报已于 {record.get('issued') or recorded_on.isoformat()} 印发，"
        f"现在的数据与发布记录 {rel} 不同（{len(changes)} 项）："
        + "；".join(c.describe() for c in changes)
        + f"。自发布以来改动的文件：{since}。若是误改，请恢复原数据；若确需更正已发布的数字，"
        f"请在 content/{period}.md 的 revisions 中添加一条日期不早于 "
        f"{recorded_on.isoformat()} 的修订说明（date 和 note），页面将显示更正说明"
    )
    # named first: a changed data file (what holds figures), else any, else the record
    where = next((f for f in files if f.startswith("data/")), files[0] if files else rel)
    return [Issue.of_file(where, "published-changed", message, ERROR)], None, record


def write_missing_records(
    root: Path,
    issued: dict[str, date],
    figures: dict[str, dict],
    commentary: dict[str, str],
    *,
    today: date,
) -> list[str]:
    """Write the record of each issued month that has none; the written paths.

    The record keeps the day it was written — for a month issued before its record
    (the 印发日期 already past), that 印发日期: revisions from then on count."""
    written = []
    for period in sorted(issued):
        path = record_path(root, period)
        if path.exists() or period not in figures:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        data = make_record(
            period,
            figures[period],
            commentary=commentary.get(period),
            files=month_files(root, period),
            recorded_on=min(today, issued[period]),
        )
        tmp = path.with_suffix(".json.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(record_rel(period))
    return written


def check_record_cached(
    cache: Cache,
    root: Path,
    period: str,
    figures: dict,
    meta: dict,
    *,
    earlier: Correction | None,
    figures_key: tuple[str, str],
) -> tuple[list[Issue], Correction | None, dict | None]:
    """`check_record`, cached on the record's bytes and all that the month's figures were
    computed from (`figures_key`: keys.figures of the month and its figures' digest). The
    record is kept only where the month was corrected (its 原版 is made from it)."""

    def make() -> tuple[list[Issue], Correction | None, dict | None]:
        problems, correction, record = check_record(root, period, figures, meta, earlier=earlier)
        return problems, correction, record if correction is not None else None

    key = keys.record_check(*figures_key, record_path(root, period), repr(earlier))
    return cache.memo("record-check", key, make)
