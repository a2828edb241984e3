"""The archive as data: every figure of every issued month as one tidy table.

Published as `site/data/figures.csv` (one row per figure) and `site/data/figures.xlsx`
(one sheet per headline indicator: months down, units across, each unit's 完成率
beside its figure), and returned by `tongbao.figures(root)` as a pandas DataFrame
(tongbao/frame.py).

Columns (all text except `value`):

- period     统计期 "2024-05" (cumulative January..May)
- unit_id    the unit's code; the city's own figures have `CITY`
- unit       the unit's name (the city's: 全市)
- group      the unit's 单位类别 (any name, e.g. 县区 / 市属开发区 / 产业投促委; the city: 全市)
- indicator  the indicator key (signed_amount …; see 口径说明)
- figure     ytd, month, target, target_self, rate, gap_pp, yoy, rank, rank_tied,
             rank_change, light (the city has ytd, month, target, rate, gap_pp, yoy)
- value      as in `data/YYYY-MM.json`: a number (rate and yoy as fractions, gap_pp in
             percentage points, amounts in the indicator's unit), `true`/`false` for
             rank_tied, green/yellow/red for light. A figure that does not exist (JSON
             null: no base for 同比, not reported, not ranked) has no row, never a 0.

The CSV is UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it
without garbling; pandas (`encoding="utf-8-sig"`) and the DataFrame read it alike.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from typing import cast

from xlsxwriter.format import Format

from .. import keys
from ..cache import Cache
from ..schema import CITY_FIGURES, HEADLINE, INDICATORS, UNIT_FIGURES
from .workbook import RowSheet, xlsxwriter_bytes, xlsxwriter_workbook

CITY_ID = "CITY"
CITY_NAME = "全市"
COLUMNS = ("period", "unit_id", "unit", "group", "indicator", "figure", "value")
# The DataFrame's dtypes: text columns as pandas strings; `value` keeps each figure's
# own type (float, int, bool or str), as the JSON does.
DTYPES = {
    "period": "string",
    "unit_id": "string",
    "unit": "string",
    "group": "string",
    "indicator": "string",
    "figure": "string",
    "value": "object",
}


def figure_rows(months: list[dict]) -> list[tuple]:
    """The tidy rows of the given months' figures (the published JSON's shape), in order:
    month, then the city, then each unit as the bulletin lists it; indicators as declared."""
    rows: list[tuple] = []
    for figures in months:
        period = figures["period"]
        for ind in INDICATORS:
            city = figures["city"].get(ind.key)
            if city is None:
                continue
            for name in CITY_FIGURES:
                if city.get(name) is not None:
                    rows.append((period, CITY_ID, CITY_NAME, CITY_NAME, ind.key, name, city[name]))
        for unit in figures["units"]:
            for ind in INDICATORS:
                fig = unit["indicators"].get(ind.key)
                if fig is None:
                    continue
                for name in UNIT_FIGURES:
                    if fig.get(name) is None:
                        continue
                    rows.append(
                        (
                            period,
                            unit["unit_id"],
                            unit["name"],
                            unit["group"],
                            ind.key,
                            name,
                            fig[name],
                        )
                    )
    return rows


def value_text(value: object) -> str:
    """A value as the JSON writes it (a light as its plain word)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        value = round(value, 6)  # as the published JSON has it (record.published_form)
    return json.dumps(value)


def figures_csv(months: list[dict]) -> bytes:
    return lines_csv([month_csv(figures) for figures in months])


def lines_csv(lines: list[str]) -> bytes:
    """figures.csv from each month's rows as `month_csv` writes them."""
    return ("\ufeff" + _csv([COLUMNS]) + "".join(lines)).encode("utf-8")


def month_csv(figures: dict) -> str:
    """One month's rows of figures.csv."""
    return _csv([*row[:-1], value_text(row[-1])] for row in figure_rows([figures]))


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# One month as figures.xlsx shows it: its period, its units in the bulletin's order
# (id, name), and per headline indicator each unit's (and the city's) 累计 and 完成率.
MonthTable = tuple[str, list[tuple[str, str]], dict[str, dict[str, tuple[object, object]]]]


def month_table(figures: dict) -> MonthTable:
    """What figures.xlsx shows of one month's figures."""
    units = [(unit["unit_id"], unit["name"]) for unit in figures["units"]]
    shown: dict[str, dict[str, tuple[object, object]]] = {}
    for ind in HEADLINE:
        by_id = {u["unit_id"]: u["indicators"].get(ind.key) or {} for u in figures["units"]}
        by_id[CITY_ID] = figures["city"].get(ind.key) or {}
        shown[ind.key] = {uid: (fig.get("ytd"), fig.get("rate")) for uid, fig in by_id.items()}
    return figures["period"], units, shown


def figures_xlsx(months: list[dict], *, title: str) -> bytes:
    """One sheet per headline indicator: months down, the city then every unit across,
    each with its 完成率 in the column beside it. Real numbers with number formats."""
    return tables_xlsx([month_table(figures) for figures in months], title=title)


def tables_xlsx(tables: list[MonthTable], *, title: str) -> bytes:
    """figures.xlsx from each month's `month_table`."""
    book = xlsxwriter_workbook(worksheet_class=RowSheet)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    rate_format = book.add_format({"num_format": "0.00%"})
    columns: list[tuple[str, str]] = [(CITY_ID, CITY_NAME)]
    listed = {CITY_ID}
    for _, units, _ in tables:  # every unit that was ever listed, in the bulletins' order
        for unit_id, name in units:
            if unit_id not in listed:
                listed.add(unit_id)
                columns.append((unit_id, name))
    for ind in HEADLINE:
        sheet = book.add_worksheet(ind.name)
        amount_format = book.add_format(
            {"num_format": "#,##0.00" if ind.unit in {"亿元", "万美元"} else "#,##0"}
        )
        sheet.write(0, 0, f"{title} {ind.name}（{ind.unit}，1月至该月累计）", bold)
        sheet.write(1, 0, "统计期", bold)
        for i, (_, name) in enumerate(columns):
            sheet.write(1, 1 + 2 * i, f"{name} 累计", bold)
            sheet.write(1, 2 + 2 * i, f"{name} 完成率", bold)
        nothing = (None, None)
        for r, (period, _, shown) in enumerate(tables, start=2):
            by_id = shown[ind.key]
            values: list[object] = [period]
            formats: list[Format | None] = [None]
            for unit_id, _ in columns:
                ytd, rate = by_id.get(unit_id, nothing)
                values += (ytd, rate)
                formats += (
                    amount_format if ytd is not None else None,
                    rate_format if rate is not None else None,
                )
            sheet.put_row(r, values, formats)  # an empty figure: no cell at all
        sheet.freeze_panes(2, 1)
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 2 * len(columns), 12)
    return xlsxwriter_bytes(book)


def archive_files(
    published: list[tuple[str, str]],
    month_json: Callable[[str], str | bytes],
    title: str,
    cache: Cache,
    *,
    make: bool = True,
) -> tuple[bytes, bytes] | None:
    """figures.csv and figures.xlsx of the `published` months (period, figures digest),
    each month read back from its data/YYYY-MM.json (`month_json`). Kept whole for the
    same months, and each month's part on its own (its CSV rows and `month_table`), so a
    new month reads only its own JSON.
    `make=False`: only what the cache has (None when it has not)."""

    def month_parts(period: str) -> tuple[str, MonthTable]:
        figures = json.loads(month_json(period))
        return month_csv(figures), month_table(figures)

    def files() -> tuple[bytes, bytes]:
        parts = [
            cache.memo(
                "archive-rows", keys.archive_rows(*month), functools.partial(month_parts, month[0])
            )
            for month in published
        ]
        lines = [csv_lines for csv_lines, _ in parts]
        return lines_csv(lines), tables_xlsx([table for _, table in parts], title=title)

    key = keys.archive_data(title, published)
    if make:
        return cache.memo("archive-data", key, files)
    return cast("tuple[bytes, bytes] | None", cache.load("archive-data", key))
