"""The month at a glance: the home page's 红黑榜 and the archive's headline figures.

View models only (formatted text, no arithmetic in templates): who leads and who is
last in each group on each headline indicator, from the month's published ranks.
"""

from __future__ import annotations

from .. import formats, layout
from ..schema import Indicator, group_names, month_indicators
from .group_tables import light_view


def _entry(unit: dict, key: str, page: str) -> dict:
    fig = unit["indicators"][key]
    return {
        "name": unit["name"],
        "href": layout.link(page, layout.unit_page(unit["unit_id"])),
        "rate": formats.pct(fig["rate"]),
        "light": light_view(fig["light"]),
    }


def red_black_list(figures: dict, page: str = layout.HOME) -> list[dict]:
    """Per group, per headline indicator: the leader(s) and the last unit(s) among the
    ranked units (not reported or without a target: not ranked, so not listed).

    Ties list every unit sharing the place (并列). A group whose ranked units all share
    one place, or that has one ranked unit, has a leader and no last (`last` empty)."""
    groups = []
    for group in group_names(figures):
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        rows = []
        for ind in month_indicators(figures).headline:
            ranked = [u for u in units if u["indicators"][ind.key]["rank"] is not None]
            if not ranked:
                rows.append({"name": ind.name, "first": [], "last": [], "tied_first": False})
                continue
            ranks = [u["indicators"][ind.key]["rank"] for u in ranked]
            top, bottom = min(ranks), max(ranks)
            first = [u for u in ranked if u["indicators"][ind.key]["rank"] == top]
            last = [u for u in ranked if u["indicators"][ind.key]["rank"] == bottom]
            rows.append(
                {
                    "name": ind.name,
                    "first": [_entry(u, ind.key, page) for u in first],
                    "last": [] if bottom == top else [_entry(u, ind.key, page) for u in last],
                    "tied_first": len(first) > 1,
                    "tied_last": bottom != top and len(last) > 1,
                }
            )
        groups.append({"group": group, "rows": rows})
    return groups


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
