"""Periods: every piece of month arithmetic, on `YYYY-MM` strings.

A period is a reporting month spelled `2024-05`. Nothing else in the package
slices that spelling: it asks this module for the year, the month, the month
before (within the year, where year-to-date figures restart in January, or
across it), the same month last year, the month's last day, time progress and
whether a month lies too far in the future.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SHAPE = re.compile(r"^\d{4}-\d{2}$")  # looks like a period (the month may be out of range)


def is_period(text: str) -> bool:
    """`2024-05` is; `2024-5`, `2024-13` and `24-05` are not."""
    return PERIOD.match(text) is not None


def has_shape(text: str) -> bool:
    """Four digits, a hyphen, two digits: a name meant as a month (maybe a wrong one)."""
    return SHAPE.match(text) is not None


def split(period: str) -> tuple[int, int]:
    """`2024-05` → (2024, 5)."""
    year, month = period.split("-")
    return int(year), int(month)


def year_of(period: str) -> int:
    return split(period)[0]


def month_of(period: str) -> int:
    """The month number, which is also how many months the year-to-date figures cover."""
    return split(period)[1]


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def index(period: str) -> int:
    """Months since year 0: periods compare and subtract as numbers."""
    year, month = split(period)
    return year * 12 + month


def previous_in_year(period: str) -> str | None:
    """The month before within the same year; January has none (YTD figures restart).

    What 本月 (YTD − last month's YTD), rank changes and 核减 compare against."""
    year, month = split(period)
    return None if month == 1 else period_of(year, month - 1)


def previous_month(period: str) -> str:
    """The calendar month before, across the turn of the year (2025-01 → 2024-12)."""
    year, month = split(period)
    return period_of(year - 1, 12) if month == 1 else period_of(year, month - 1)


def next_month(period: str) -> str:
    year, month = split(period)
    return period_of(year + 1, 1) if month == 12 else period_of(year, month + 1)


def same_month_last_year(period: str) -> str:
    """What 同比 compares against."""
    year, month = split(period)
    return period_of(year - 1, month)


def year_start(period: str) -> date:
    return date(year_of(period), 1, 1)


def month_start(period: str) -> date:
    year, month = split(period)
    return date(year, month, 1)


def month_end(period: str) -> date:
    year, month = split(period)
    return date(year, month, calendar.monthrange(year, month)[1])


def in_year_to_date(day: date | None, period: str) -> bool:
    """Whether `day` falls in the period's year, up to the end of its month."""
    if day is None:
        return False
    first, last = _year_to_date(period)
    return first <= day <= last


@functools.lru_cache(maxsize=512)
def _year_to_date(period: str) -> tuple[date, date]:
    """The first and last day of a period's year to date (asked for every ledger row)."""
    return year_start(period), month_end(period)


def time_progress(period: str) -> float:
    """时序进度: the share of the year gone by the end of the month (M/12)."""
    return month_of(period) / 12


def current(today: date | None = None) -> str:
    """The period `today` falls in (the clock's day when not given)."""
    today = today or date.today()
    return period_of(today.year, today.month)


def too_far_ahead(period: str, today: date | None = None) -> bool:
    """The future-month rule: a month more than one month after the day of the build.

    A month is allowed up to the calendar month after today's: on 2026-12-01 and on
    2026-12-31, 2027-01 is fine and 2027-02 is a typo (its first day is more than a
    month away)."""
    return index(period) > index(current(today)) + 1


FUTURE_MONTH_RULE = (
    "月份文件夹最晚可以是构建当天的下一个月（如 2026年12月 构建时，2027-01 可以，2027-02 不行）"
)
