"""The month at a glance: the home page's 红黑榜 and the archive's headline figures.

View models only (formatted text, no arithmetic in templates): who leads and who is
last in each group on each headline indicator, from the month's published ranks.
"""

from __future__ import annotations

from .. import formats, layout
from ..bulletin.views import red_black
from ..schema import HEADLINE


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


def headline_cells(figures: dict) -> list[str]:
    """The archive's figures of a month: each headline indicator's city YTD and 完成率."""
    return [
        f"{formats.amount(figures['city'][ind.key]['ytd'], ind.unit)}"
        f"（{formats.pct(figures['city'][ind.key]['rate'])}）"
        for ind in HEADLINE
    ]


HEADLINE_NAMES = [ind.name for ind in HEADLINE]
