"""各单位完成情况: a group's table of the headline indicators, on screen and as printed."""

from __future__ import annotations

from .. import formats, layout
from ..bulletin.views import light_view
from ..schema import group_names, month_indicators
from .common import search_token


def group_tables(figures: dict, page: str) -> list[dict]:
    tables = []
    headline = month_indicators(figures).headline
    for group in group_names(figures):
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        rows = []
        for unit in units:
            cells = []
            for ind in headline:
                row = unit["indicators"][ind.key]
                cells.append(
                    {
                        "ytd": formats.number(row["ytd"], ind.unit, ind.digits),
                        "target": formats.number(row["target"], ind.unit, ind.digits),
                        "rate": formats.pct(row["rate"]),
                        "rank": formats.rank(row["rank"], row["rank_tied"]).replace("位", ""),
                        "change": formats.rank_change(row["rank_change"]),
                        "light": light_view(row["light"]),
                    }
                )
            rows.append(
                {
                    "name": unit["name"],
                    "unit_id": unit["unit_id"],
                    "token": search_token("u", unit["unit_id"]),
                    "href": layout.link(page, layout.unit_page(unit["unit_id"])),
                    "reported": unit["reported"],
                    "cells": cells,
                }
            )
        indicators = [{"name": i.name, "unit": i.unit} for i in headline]
        tables.append(
            {
                "group": group,
                "indicators": indicators,
                "rows": rows,
                "span": len(headline) * 5,
                "print_parts": print_parts(indicators, rows),
            }
        )
    return tables


PRINT_SET = 2  # indicators a printed table shows side by side (five columns each, A4)


def print_parts(indicators: list[dict], rows: list[dict]) -> list[dict]:
    """A group's table as printed: the same five columns an indicator has on screen, for
    `PRINT_SET` indicators a table, so that A4 portrait holds them at 9.5 pt."""
    parts = []
    for at in range(0, len(indicators), PRINT_SET):
        shown = indicators[at : at + PRINT_SET]
        parts.append(
            {
                "indicators": shown,
                "span": 5 * len(shown),
                "rows": [r | {"cells": r["cells"][at : at + PRINT_SET]} for r in rows],
            }
        )
    return parts
