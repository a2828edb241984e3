"""The record: what was issued for a month, kept in `published/YYYY-MM.json`.

A bulletin once issued is an official record that leaders quote. `build` writes a
month's record the first time the month is issued (not a draft, with an 印发日期);
the clerk commits it with the month. It keeps the figures, 期号, 印发日期, title and
commentary as issued, the SHA-256 of every file they were made from, and a seal: the
SHA-256 of its own canonical content, so a hand edit is found (`bad-record`). The
record itself is never rewritten. Comparing a month with it, and the 更正说明 that a
revision allows, are in `revisions.py`.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import formats, keys, layout
from ..issues import Issue
from ..periods import year_of
from ..read.numbers import parse_date
from ..schema import Indicator, month_indicators

RECORD_DIR = "published"
# 2: sealed (`seal`), with the title and the files of every month the figures read
# 3: with the SHA-256 of the PDF as issued (`pdf`, published/YYYY-MM.pdf: issued_pdf.py)
RECORD_VERSION = 3
PERIOD_NAME = re.compile(r"^\d{4}-\d{2}$")

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
    """The files a month's figures, title and commentary read, with their SHA-256: the
    settings, the registers, its commentary, its year's and last year's targets, and the
    data folders of every month from last January on (本月 reads last month's YTD,
    同比 last year's). What `published-changed` names when a figure moves."""
    data = root / "data"
    year = year_of(period)
    paths = [root / "mkdocs.yml", data / "units.csv", data / "industries.csv"]
    paths.append(root / "content" / f"{period}.md")
    if (data / "targets").is_dir():
        for y in (year - 1, year):
            paths += sorted((data / "targets").glob(f"{y}.*"))
    if data.is_dir():
        months = sorted(
            p.name
            for p in data.iterdir()
            if p.is_dir() and PERIOD_NAME.match(p.name) and f"{year - 1}-01" <= p.name <= period
        )
        for month in months:
            paths += keys.files_under(data / month)
    # keys.file_digest: the SHA-256 a build already took of each file (once per build)
    return {p.relative_to(root).as_posix(): keys.file_digest(p) for p in paths if p.is_file()}


def seal_of(record: dict) -> str:
    """The SHA-256 of a record's canonical content (all but the seal itself)."""
    content = {k: v for k, v in record.items() if k != "seal"}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_record(
    period: str,
    figures: dict,
    *,
    title: str,
    commentary: str | None,
    files: dict[str, str],
    recorded_on: date,
    pdf: str | None = None,
) -> bytes:
    """The record's bytes: the figures as published, the title, the commentary as issued
    (its figures filled in, so the original bulletin can be made again), the files read,
    the SHA-256 of the PDF as issued (`pdf`), and the seal over all of it."""
    record = {
        "tongbao_record": RECORD_VERSION,
        "period": period,
        "issue": figures.get("issue"),
        "issued": figures.get("issued"),
        "title": title,
        "recorded_on": recorded_on.isoformat(),
        "files": files,
        "commentary": commentary,
        "figures": published_form(figures),
    }
    if pdf is not None:
        record["pdf"] = pdf
    record["seal"] = seal_of(record)
    # compact, like data/YYYY-MM.json: a record is never edited, only compared
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def recorded_periods(root: Path) -> list[str]:
    """The months that have a record (published/YYYY-MM.json)."""
    folder = root / RECORD_DIR
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.json") if PERIOD_NAME.match(p.stem))


def read_record(root: Path, period: str) -> tuple[dict | None, list[Issue]]:
    """The month's record, if it has one; `bad-record` when it cannot be read or its
    content no longer matches its seal (edited by hand)."""
    path = record_path(root, period)
    rel = record_rel(period)
    if not path.is_file():
        return None, []
    why = "无法读取"
    try:
        record = json.loads(path.read_bytes().decode("utf-8"))
        date.fromisoformat(record["recorded_on"])
        if not isinstance(record["figures"], dict) or record["period"] != period:
            raise ValueError(period)
        why = "内容与它自带的摘要（seal）不符，被改动过"
        if "seal" not in record:
            why = "没有自带的摘要（seal），是被改动过或旧格式的记录"
        if record.get("seal") != seal_of(record):
            raise ValueError(period)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        message = (
            f"发布记录{why}。发布记录由 tongbao 在印发时写入，不能手工编辑："
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


def write_missing_records(
    root: Path,
    issued: dict[str, date],
    figures: dict[str, dict],
    commentary: dict[str, str],
    *,
    title: str,
    today: date,
    pdfs: dict[str, bytes] | None = None,
) -> list[str]:
    """Write the record of each issued month that has none; the written paths. With its
    PDF as this build published it (`pdfs`), that PDF is kept (published/YYYY-MM.pdf)
    and the record holds its SHA-256.

    The record keeps the day it was written — for a month issued before its record
    (the 印发日期 already past), that 印发日期: revisions from then on count."""
    written = []
    for period in sorted(issued):
        path = record_path(root, period)
        if path.exists() or period not in figures:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf = (pdfs or {}).get(period)
        if pdf is not None:
            kept = root / layout.issued_pdf(period)
            kept.with_suffix(".pdf.tmp").write_bytes(pdf)
            kept.with_suffix(".pdf.tmp").replace(kept)
            written.append(layout.issued_pdf(period))
        data = make_record(
            period,
            figures[period],
            title=title,
            commentary=commentary.get(period),
            files=month_files(root, period),
            recorded_on=min(today, issued[period]),
            pdf=hashlib.sha256(pdf).hexdigest() if pdf is not None else None,
        )
        tmp = path.with_suffix(".json.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(record_rel(period))
    return written
