"""The release calendar: data/calendar.csv read like every other file, calendar.ics from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.formats import period_label
from tongbao.read.calendar import Planned, calendar_ics, load_calendar, next_planned


def write(root: Path, text: str, encoding: str = "utf-8") -> None:
    (root / "data/calendar.csv").write_bytes(text.encode(encoding))


def test_a_clerks_calendar_is_read_as_meant(basic_root: Path):
    # a title row, GBK from Excel's 另存为CSV, full-width digits, dates as clerks type them
    write(
        basic_root,
        "2024年通报发布日程\n月份,报送截止,计划印发(日期)\n"
        "2024年3月,2024.4.5,2024年4月10日\n２０２４-０４,2024/5/6,2024-05-10\n,,\n2024-05,,2024-06-11\n",
        encoding="gbk",
    )
    calendar, problems = load_calendar(basic_root)
    assert problems == []
    assert calendar == [
        Planned("2024-03", date(2024, 4, 5), date(2024, 4, 10), 3),
        Planned("2024-04", date(2024, 5, 6), date(2024, 5, 10), 4),
        Planned("2024-05", None, date(2024, 6, 11), 6),
    ]
    assert next_planned(calendar, "2024-03") == calendar[1]
    assert next_planned(calendar, "2024-05") is None


def test_calendar_problems_name_file_row_and_column(basic_root: Path):
    write(basic_root, "月份,报送截止,计划印发\n2024-13,2024-04-05,2024-04-10\n2024-04,下周,\n")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    found = sorted(
        (i.code, i.row, i.column) for i in report.errors if i.file == "data/calendar.csv"
    )
    assert found == [("bad-date", 3, "B"), ("bad-date", 3, "C"), ("bad-month", 2, "A")]
    write(basic_root, "月份,截止\n2024-03,2024-04-05\n")
    issue = next(i for i in pipeline.check(basic_root, today=BASIC_TODAY).report.errors)
    assert (
        issue.code == "missing-column" and "计划印发" in issue.message and "截止" in issue.message
    )


def test_ics_parses_and_lists_each_planned_month_the_same_on_every_build():
    calendar = [
        Planned("2024-03", date(2024, 4, 5), date(2024, 4, 10), 2),
        Planned("2024-04", None, date(2024, 5, 10), 3),
    ]
    args = dict(
        city="东营市",
        title="招商引资工作通报",
        issuer="东营市投资促进局",
        period_label=period_label,
    )
    data = calendar_ics(calendar, **args)
    assert data == calendar_ics(calendar, **args)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded by octets
    parsed = icalendar.Calendar.from_ical(data)
    events = [e for e in parsed.walk("VEVENT")]
    issues = {
        e.decoded("DTSTART"): str(e["SUMMARY"]) for e in events if "计划印发" in str(e["SUMMARY"])
    }
    assert issues == {
        date(2024, 4, 10): "招商引资工作通报（2024年1—3月）计划印发",
        date(2024, 5, 10): "招商引资工作通报（2024年1—4月）计划印发",
    }
    assert [e.decoded("DTSTART") for e in events if "报送截止" in str(e["SUMMARY"])] == [
        date(2024, 4, 5)
    ]
    assert len({str(e["UID"]) for e in events}) == len(events) == 3
    assert {e.decoded("DTSTAMP").date() for e in events} <= {
        date(2024, 4, 10),
        date(2024, 4, 5),
        date(2024, 5, 10),
    }


def test_new_month_fills_its_calendar_row_once(basic_root: Path):
    from tongbao.scaffold import scaffold_month

    write(basic_root, "月份,报送截止,计划印发\r\n2024-03,2024-04-06,2024-04-12\r\n", "gbk")
    done = scaffold_month(basic_root, "2024-04", today=BASIC_TODAY)
    assert done.calendar is not None
    assert (basic_root / "data/calendar.csv").read_bytes().decode("gbk").splitlines() == [
        "月份,报送截止,计划印发",
        "2024-03,2024-04-06,2024-04-12",
        "2024-04,2024-05-06,2024-05-12",
    ]
    calendar, problems = load_calendar(basic_root)
    assert not problems and [p.period for p in calendar] == ["2024-03", "2024-04"]
    # December's row falls in January, and a month already there is left alone
    (basic_root / "content/2024-04.md").unlink()
    assert scaffold_month(basic_root, "2024-04", today=BASIC_TODAY).calendar is None
    from tongbao.read.calendar import add_calendar_row

    assert add_calendar_row(basic_root, "2024-12").planned == date(2025, 1, 12)
