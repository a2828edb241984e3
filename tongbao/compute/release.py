"""Release on the 印发日期: a month is published from the day its bulletin is issued.

A month prepared before sign-off, its 印发日期 still ahead of the day of the build, is
held back from every output (its page, the home cards, the archive, unit pages,
search, feed, sitemap, the archive tables, its JSON and downloads) and no record is
written for it; the release calendar still announces its planned date. On or after
that day the same inputs publish it, and the outputs are those of a build that never
held it back: the day of the build decides only which months are released.
"""

from __future__ import annotations

from datetime import date

from ..issues import NOTICE, Issue
from ..read.dataset import Dataset
from ..read.numbers import parse_date


def release_day(meta: dict) -> date | None:
    """The 印发日期 of a month's front matter (None: not given, or not a date)."""
    value = parse_date(meta.get("issued"))
    return value if isinstance(value, date) else None


def held_back(data: Dataset, months: list[str], today: date) -> dict[str, date]:
    """The months whose 印发日期 is after `today`, with that day."""
    held = {}
    for period in months:
        item = data.commentary.get(period)
        day = release_day(item.meta) if item is not None else None
        if day is not None and day > today:
            held[period] = day
    return held


def held_back_notices(data: Dataset, held: dict[str, date]) -> list[Issue]:
    """One line a month held back, on its commentary file."""
    return [
        Issue.of_file(
            data.commentary[period].file,
            "not-yet-released",
            f"{period} 定于 {day.isoformat()} 印发，暂不发布",
            NOTICE,
        )
        for period, day in sorted(held.items())
    ]
