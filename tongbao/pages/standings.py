"""The month at a glance: the home page's 红黑榜 and the archive's headline figures.

View models only (formatted text, no arithmetic in templates): who leads and who is
last in each group on each headline indicator, from the month's published ranks.
"""

from __future__ import annotations

from .. import formats, layout
from ..bulletin.views import red_black
from ..schema import Indicator, month_indicators


def red_black_list(figures: dict, page: str = layout.HOME) -> list[dict]:
    """The 红黑榜 on a page: each unit named links to its page."""
    return [
        group
        | {
            "rows": [
                row
                | {
                    side: [
                        e | {"href": layout.link(page, layout.unit_page(e["unit_id"]))}
                        for e in row[side]
                    ]
                    for side in ("first", "last")
                }
                for row in group["rows"]
            ]
        }
        for group in red_black(figures)
    ]


def archive_headline(latest: dict) -> tuple[Indicator, ...]:
    """The archive table's columns: the newest month's headline indicators."""
    return month_indicators(latest).headline


def headline_cells(figures: dict, headline: tuple[Indicator, ...]) -> list[str]:
    """The archive's figures of a month: each headline indicator's city YTD and 完成率
    (— where the month has no such indicator)."""
    cells = []
    for ind in headline:
        row = figures["city"].get(ind.key) or {"ytd": None, "rate": None}
        cells.append(
            f"{formats.amount(row['ytd'], ind.unit, ind.digits)}（{formats.pct(row['rate'])}）"
        )
    return cells
