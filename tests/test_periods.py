"""Month arithmetic: one module, one answer for January."""

from datetime import date

import pytest

from tongbao import periods


def test_previous_month_within_the_year_has_none_for_january():
    assert periods.previous_in_year("2025-03") == "2025-02"
    assert periods.previous_in_year("2025-01") is None


def test_previous_month_across_the_year():
    assert periods.previous_month("2025-01") == "2024-12"
    assert periods.previous_month("2025-10") == "2025-09"
    assert periods.next_month("2024-12") == "2025-01"


def test_same_month_last_year_month_end_and_time_progress():
    assert periods.same_month_last_year("2024-02") == "2023-02"
    assert periods.month_end("2024-02") == date(2024, 2, 29)
    assert periods.month_end("2023-02") == date(2023, 2, 28)
    assert periods.month_end("2024-12") == date(2024, 12, 31)
    assert periods.time_progress("2024-03") == pytest.approx(0.25)
    assert periods.month_of("2024-11") == 11 and periods.year_of("2024-11") == 2024


def test_year_to_date_bounds():
    assert periods.in_year_to_date(date(2024, 1, 1), "2024-05")
    assert periods.in_year_to_date(date(2024, 5, 31), "2024-05")
    assert not periods.in_year_to_date(date(2024, 6, 1), "2024-05")
    assert not periods.in_year_to_date(date(2023, 12, 31), "2024-05")
    assert not periods.in_year_to_date(None, "2024-05")


@pytest.mark.parametrize("text", ["2024-5", "2024-13", "2024-00", "24-05", "2024-05 "])
def test_not_a_period(text):
    assert not periods.is_period(text)


def test_future_month_rule_takes_today():
    today = date(2025, 3, 15)
    assert periods.current(today) == "2025-03"
    assert not periods.too_far_ahead("2025-03", today)
    assert not periods.too_far_ahead("2025-04", today)  # the month after the build's
    assert periods.too_far_ahead("2025-05", today)
    assert periods.too_far_ahead("2026-02", date(2025, 12, 31))
    assert not periods.too_far_ahead("2026-01", date(2025, 12, 31))  # across the year
