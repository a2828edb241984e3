"""The release calendar: `data/calendar.csv` (发布日程) and the site's `calendar.ics`.

One row a month — 月份, 报送截止 (the day units must report by), 计划印发 (the
planned issue date) — read with the same rules as every other file (UTF-8 or
GB18030, .xlsx too, full-width digits, title rows above the header, dates as a
clerk writes them). It feeds the .ics calendar, the "下期计划印发" line and the
archive's planned-vs-actual 印发 column.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..issues import Issue
from ..schema import normalize_text
from .numbers import is_missing, parse_date
from .sheets import FileProblem, Sheet, read_sheets

CALENDAR_NAMES = ("calendar.csv", "calendar.xlsx")
COLUMNS = {"月份": "period", "报送截止": "due", "计划印发": "planned"}
HEADER_ALIASES = {
    "统计月份": "period",
    "报表月份": "period",
    "报送截止日期": "due",
    "截止日期": "due",
    "计划印发日期": "planned",
    "印发日期": "planned",
}
REQUIRED = ("period", "planned")


@dataclass(frozen=True)
class Planned:
    period: str  # YYYY-MM: the bulletin of 1—M月
    due: date | None  # 报送截止
    planned: date  # 计划印发
    row: int  # the row Excel shows (CSV: the line)


def calendar_file(root: Path) -> Path | None:
    for name in CALENDAR_NAMES:
        if (root / "data" / name).is_file():
            return root / "data" / name
    return None


def parse_period(raw: object) -> str | None:
    """2025-06, 2025年6月, 2025.6, 2025/06, an Excel date → 2025-06."""
    if isinstance(raw, datetime | date):
        return f"{raw.year:04d}-{raw.month:02d}"
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw)))
    match = re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(sheet.rows[:30]):
        found = {}
        for c, value in enumerate(row):
            if value is None:
                continue
            text = re.sub(r"[(（].*?[)）]", "", normalize_text(str(value)))
            key = COLUMNS.get(text) or HEADER_ALIASES.get(text)
            if key and key not in found:
                found[key] = c
        if "period" in found:
            return r, found
    return None


def load_calendar(root: Path) -> tuple[list[Planned], list[Issue]]:
    """The planned months, in month order, and every problem with file, row and column."""
    path = calendar_file(root)
    if path is None:
        return [], []
    rel = path.relative_to(root).as_posix()
    try:
        sheets = read_sheets(path, rel)
    except FileProblem as problem:
        return [], [problem.issue]
    issues: list[Issue] = []
    found_header = next(((s, h) for s in sheets if (h := _header(s))), None)
    if found_header is None:
        headers = [str(v) for s in sheets[:1] for row in s.rows[:3] for v in row if v is not None]
        found = "、".join(headers) or "（无）"
        message = f"没有找到“月份”“报送截止”“计划印发”表头（找到的表头：{found}），请按使用说明中的发布日程格式填写"
        return [], [Issue.of_file(rel, "missing-column", message)]
    sheet, (start, columns) = found_header
    for key in REQUIRED:
        if key not in columns:
            name = next(k for k, v in COLUMNS.items() if v == key)
            found = "、".join(str(v) for v in sheet.rows[start] if v is not None)
            message = f"缺少“{name}”列（找到的表头：{found}），请添加该列"
            issues.append(Issue.at(sheet.origin(start), "missing-column", message))
    if issues:
        return [], issues
    header = {v: k for k, v in COLUMNS.items()}
    planned: list[Planned] = []
    seen: dict[str, int] = {}
    for r in range(start + 1, len(sheet.rows)):
        row_values = [sheet.cell(r, c) for c in columns.values()]
        if all(is_missing(v) for v in row_values):
            continue

        def at(key: str, r: int = r) -> object:
            return sheet.origin(r, columns[key], header[key])

        raw_period = sheet.cell(r, columns["period"])
        period = None if is_missing(raw_period) else parse_period(raw_period)
        if period is None:
            message = f"月份“{raw_period or ''}”无法识别，请写成 2025-06 或 2025年6月"
            issues.append(Issue.at(at("period"), "bad-month", message))  # type: ignore[arg-type]
            continue
        dates: dict[str, date | None] = {}
        for key in ("due", "planned"):
            raw = sheet.cell(r, columns[key]) if key in columns else None
            value = parse_date(raw)
            if isinstance(value, str) or (value is None and key == "planned"):
                shown = "空" if value is None else f"“{value}”"
                message = f"日期{shown}无法识别，请写成 2025-07-10 或 2025年7月10日"
                issues.append(Issue.at(at(key), "bad-date", message))  # type: ignore[arg-type]
                value = None
            dates[key] = value
        if dates["planned"] is None:
            continue
        if period in seen:
            message = f"{period} 在第 {seen[period]} 行已有一行，每个月只写一行，请删除重复的行"
            issues.append(Issue.at(at("period"), "duplicate-month", message))  # type: ignore[arg-type]
            continue
        seen[period] = sheet.row_numbers[r]
        planned.append(Planned(period, dates["due"], dates["planned"], sheet.row_numbers[r]))
    return sorted(planned, key=lambda p: p.period), issues


def next_planned(calendar: list[Planned], latest: str | None) -> Planned | None:
    """The next issue after the latest published month: its row in the calendar."""
    return next((p for p in calendar if latest is None or p.period > latest), None)


# --- calendar.ics (RFC 5545) ---------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character."""
    out: list[str] = []
    current = b""
    for char in line:
        data = char.encode("utf-8")
        if len(current) + len(data) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += data
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _uid(kind: str, period: str, domain: str) -> str:
    digest = hashlib.sha1(f"{domain}|{kind}|{period}".encode()).hexdigest()[:12]
    return f"{period}-{kind}-{digest}@tongbao"


def calendar_ics(
    calendar: list[Planned], *, city: str, title: str, issuer: str, period_label
) -> bytes:
    """Each planned month as an all-day event on its 计划印发 day (and one on its 报送截止
    day). UIDs and DTSTAMPs come from the data, so the file is the same on every build."""
    name = f"{city}{title}发布日程"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//tongbao//发布日程//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for item in calendar:
        events = [("issue", item.planned, f"{title}（{period_label(item.period)}）计划印发")]
        if item.due is not None:
            events.append(("due", item.due, f"{period_label(item.period)}报表报送截止"))
        for kind, day, summary in events:
            stamp = f"{day:%Y%m%d}T000000Z"
            lines += [
                "BEGIN:VEVENT",
                f"UID:{_uid(kind, item.period, name)}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{date.fromordinal(day.toordinal() + 1):%Y%m%d}",
                f"SUMMARY:{_escape(summary)}",
                f"DESCRIPTION:{_escape(f'{issuer}，{item.period}')}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


# --- `new YYYY-MM`: the month's row ---------------------------------------------


def _same_day_next_month(period: str, day: int) -> date:
    year, month = int(period[:4]), int(period[5:])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, min(day, (following - date(year, month, 1)).days))


def add_calendar_row(root: Path, period: str) -> Planned | None:
    """`new` adds the month's row to data/calendar.csv when it has none: due and
    planned on the same days of the following month as the last row (5th and 10th
    when there is none). Nothing happens without a calendar, or with an .xlsx one."""
    path = root / "data" / "calendar.csv"
    if not path.is_file():
        return None
    calendar, problems = load_calendar(root)
    if problems or any(p.period == period for p in calendar):
        return None
    last = max(calendar, key=lambda p: p.period, default=None)
    due_day = last.due.day if last and last.due else 5
    planned_day = last.planned.day if last else 10
    due = _same_day_next_month(period, due_day)
    planned = _same_day_next_month(period, planned_day)
    data = path.read_bytes()
    encoding = "utf-8" if data.startswith(b"\xef\xbb\xbf") else None
    if encoding is None:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "gb18030"
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    if data and not data.endswith(newline):
        data += newline
    row = f"{period},{due.isoformat()},{planned.isoformat()}".encode(encoding)
    path.write_bytes(data + row + newline)
    return Planned(period, due, planned, 0)
