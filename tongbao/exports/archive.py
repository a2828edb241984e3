"""The archive as data: every figure of every issued month as one tidy table.

Published as `site/data/figures.csv` (one row per figure) and `site/data/figures.xlsx`
(one sheet per indicator: a row per month and figure, the city then the units across;
`figures_xlsx`), and returned by `tongbao.figures(root)` as a pandas DataFrame
(tongbao/frame.py).

Columns (all text except `value`):

- period     统计期 "2024-05" (cumulative January..May)
- unit_id    the unit's code; the city's own figures have `CITY`
- unit       the unit's name (the city's: 全市)
- group      the unit's 单位类别 (any name, e.g. 县区 / 市属开发区 / 产业投促委; the city: 全市)
- indicator  the indicator's 编码 (data/indicators.csv or the standard set; see 口径说明)
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
from ..compute.record import FIGURE_NAMES
from ..schema import (
    CITY_FIGURES,
    CUMULATIVE,
    STOCK,
    UNIT_FIGURES,
    Indicator,
    month_indicators,
)
from .workbook import RowSheet, xlsxwriter_bytes, xlsxwriter_workbook

KINDS = {CUMULATIVE: "1月至该月累计", STOCK: "月末数"}  # what a sheet's 累计 counts
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
        indicators = month_indicators(figures)
        for ind in indicators:
            city = figures["city"].get(ind.key)
            if city is None:
                continue
            for name in CITY_FIGURES:
                if city.get(name) is not None:
                    rows.append((period, CITY_ID, CITY_NAME, CITY_NAME, ind.key, name, city[name]))
        for unit in figures["units"]:
            for ind in indicators:
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
# (id, name), per indicator and figure each unit's (and the city's) value, and the
# month's indicators as it declares them.
MonthTable = tuple[
    str, list[tuple[str, str]], dict[str, dict[str, dict[str, object]]], tuple[Indicator, ...]
]


def month_table(figures: dict) -> MonthTable:
    """What figures.xlsx shows of one month's figures: every value that is not null."""
    units = [(unit["unit_id"], unit["name"]) for unit in figures["units"]]
    shown: dict[str, dict[str, dict[str, object]]] = {}
    indicators = month_indicators(figures)
    for ind in indicators:
        by_id = {u["unit_id"]: u["indicators"].get(ind.key) or {} for u in figures["units"]}
        by_id[CITY_ID] = figures["city"].get(ind.key) or {}
        shown[ind.key] = {
            name: {uid: fig[name] for uid, fig in by_id.items() if fig.get(name) is not None}
            for name in UNIT_FIGURES
        }
    return figures["period"], units, shown, indicators.all


def sheet_indicators(tables: list[MonthTable]) -> list[Indicator]:
    """figures.xlsx's sheets: the newest month's indicators in its order, then any an
    earlier month had and the newest has not."""
    seen: dict[str, Indicator] = {}
    for table in reversed(tables):
        for ind in table[3]:
            seen.setdefault(ind.key, ind)
    return list(seen.values())


def figures_xlsx(months: list[dict], *, title: str) -> bytes:
    """One sheet per indicator (as declared): for each month a row per figure that any
    unit has (累计, 本月, 目标 … 亮灯; column 项目 names it, 代码 is its key in the JSON
    and figures.csv), the city then every unit across. Real numbers with number formats,
    values as the JSON has them (rates as fractions shown as %, lights green/yellow/red)."""
    return tables_xlsx([month_table(figures) for figures in months], title=title)


def _number_formats(book, ind: Indicator) -> dict[str, Format | None]:
    """Each figure's cell format in an indicator's sheet."""
    places = "." + "0" * ind.digits if ind.digits else ""
    amount = book.add_format({"num_format": f"#,##0{places}"})
    percent = book.add_format({"num_format": "0.00%"})
    points = book.add_format({"num_format": "0.00"})
    whole = book.add_format({"num_format": "0"})
    return {
        "ytd": amount,
        "month": amount,
        "target": amount,
        "target_self": amount,
        "rate": percent,
        "gap_pp": points,
        "yoy": percent,
        "rank": whole,
        "rank_change": whole,
    }


def tables_xlsx(tables: list[MonthTable], *, title: str) -> bytes:
    """figures.xlsx from each month's `month_table`."""
    book = xlsxwriter_workbook(worksheet_class=RowSheet)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    columns: list[tuple[str, str]] = [(CITY_ID, CITY_NAME)]
    listed = {CITY_ID}
    for _, units, _, _ in tables:  # every unit that was ever listed, in the bulletins' order
        for unit_id, name in units:
            if unit_id not in listed:
                listed.add(unit_id)
                columns.append((unit_id, name))
    for ind in sheet_indicators(tables):
        sheet = book.add_worksheet(ind.name)
        number_formats = _number_formats(book, ind)
        sheet.write(0, 0, f"{title} {ind.name}（{ind.unit}，{KINDS[ind.kind]}）", bold)
        sheet.put_row(
            1,
            ["统计期", "项目", "代码", *(name for _, name in columns)],
            [bold] * (3 + len(columns)),
        )
        r = 2
        for period, _, shown, _ in tables:
            for figure, by_id in shown.get(ind.key, {}).items():
                if not by_id:  # no unit has it this month (no target, January's 位次变化)
                    continue
                cell_format = number_formats.get(figure)
                values: list[object] = [period, FIGURE_NAMES[figure], figure]
                formats: list[Format | None] = [None, None, None]
                for unit_id, _ in columns:
                    value = by_id.get(unit_id)
                    values.append(value)
                    formats.append(cell_format if value is not None else None)
                sheet.put_row(r, values, formats)  # an empty figure: no cell at all
                r += 1
        sheet.autofilter(1, 0, max(r - 1, 1), 2 + len(columns))  # filter by 项目 to pivot
        sheet.freeze_panes(2, 3)
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 2, 10)
        sheet.set_column(3, 2 + len(columns), 12)
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
