"""附表下载: a bulletin's published tables as one .xlsx (a sheet per group), numbers as numbers.

Written row by row with XlsxWriter (see `workbook`): a 120-month archive writes 120
of these on a cold build, and openpyxl's cell-by-cell serialisation cost ~4x as much;
`workbook.RowSheet` writes the cells without XlsxWriter's per-cell layers (same bytes).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import cast

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import formats, keys
from ..cache import Cache
from ..schema import LIGHT_WORDS, Indicator, Indicators, group_names, month_indicators
from .workbook import RowSheet, write_cell, xlsxwriter_bytes, xlsxwriter_workbook

FIGURE_COLUMNS = (
    ("ytd", "累计"),
    ("month", "本月"),
    ("target", "市定目标"),
    ("target_self", "自定目标"),
    ("rate", "完成率"),
    ("gap_pp", "进度差(个百分点)"),
    ("yoy", "同比"),
    ("rank", "位次"),
    ("light", "亮灯"),
)
PERCENT = {"rate", "yoy"}
AMOUNTS = {"ytd", "month", "target", "target_self"}
NUMBER_FORMATS = ("0", "0.00", "0.00%")
CITY_COLUMNS = ("指标", "单位", "累计", "本月", "目标", "完成率", "进度差(个百分点)", "同比")
CITY_FORMATS = (None, None, None, None, None, "0.00%", "0.00", "0.00%")

PROJECT_COLUMNS = (
    ("project_id", "项目编号"),
    ("name", "项目名称"),
    ("unit", "责任单位"),
    ("industry", "所属产业"),
    ("category", "项目类别"),
    ("nature", "项目性质"),
    ("investor", "投资方"),
    ("origin", "资金来源"),
    ("total_investment", "总投资(亿元)"),
    ("signed_amount", "签约金额(亿元)"),
    ("stage", "项目阶段"),
    ("signed_on", "签约日期"),
)
PROJECT_FORMATS = tuple(
    "0.00" if key in {"total_investment", "signed_amount"} else None for key, _ in PROJECT_COLUMNS
)
PROJECT_SHEETS = (
    ("亿元以上项目", "big"),
    ("世界500强项目", "f500"),
    ("本月新签约项目", "new_this_month"),
)

# Column widths as stored in the file (Excel's character units, padding included):
# XlsxWriter takes pixels for that, 7 to a character of the default font.
PIXELS_PER_WIDTH = 7


def _cell_value(key: str, row: dict) -> object:
    value = row[key]
    if key == "light":
        return LIGHT_WORDS.get(value, "") if value else None
    if key == "rank" and value is not None:
        return formats.rank(value, row["rank_tied"]).replace("位", "")
    return value


def _figure_format(key: str, ind: Indicator) -> str | None:
    if key in PERCENT:
        return "0.00%"
    if key == "gap_pp":
        return "0.00"
    if key in AMOUNTS:
        return amount_format(ind)
    return None


def amount_format(ind: Indicator) -> str:
    """The indicator's 小数位 as an Excel number format: 0, 0.00 …"""
    return "0." + "0" * ind.digits if ind.digits else "0"


def bulletin_workbook(figures: dict, *, title: str) -> bytes:
    book = xlsxwriter_workbook(worksheet_class=RowSheet)
    indicators = month_indicators(figures)
    styles = _styles(book)
    for ind in indicators:  # a declared 小数位 other than 0 or 2
        if amount_format(ind) not in styles:
            styles[amount_format(ind)] = book.add_format({"num_format": amount_format(ind)})
    taken = {"全市", *(name for name, _ in PROJECT_SHEETS)}
    for group in group_names(figures):
        units = [u for u in figures["units"] if u["group"] == group]
        if units:
            heading = f"{title} {formats.period_label(figures['period'])} {group}"
            name = sheet_name(group, taken)
            _group_sheet(book.add_worksheet(name), heading, units, styles, indicators)
    city = book.add_worksheet("全市")
    _write_row(city, 0, CITY_COLUMNS)
    city_formats = [styles.get(code) for code in CITY_FORMATS]
    for r, ind in enumerate(indicators, 1):
        c = figures["city"][ind.key]
        row = (ind.name, ind.unit, c["ytd"], c["month"], c["target"])
        _write_row(city, r, row + (c["rate"], c["gap_pp"], c["yoy"]), city_formats)
    projects = figures.get("projects")
    if projects:
        for name, key in PROJECT_SHEETS:
            _project_sheet(book.add_worksheet(name), projects[key], styles)
    return xlsxwriter_bytes(book)


_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def sheet_name(group: str, taken: set[str]) -> str:
    """A group's sheet: its name as Excel allows one (31 characters, none of []:*?/\\,
    unique ignoring case); the group's own name stays in the sheet's heading."""
    base = _NOT_IN_SHEET_NAMES.sub("_", group)[:31] or "单位"
    name, n = base, 1
    while name.casefold() in {t.casefold() for t in taken}:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 2]}({n})"
    taken.add(name)
    return name


def _styles(book: Workbook) -> dict[str | None, Format]:
    """Cell formats by name, each added once: the number formats by their code."""
    styles: dict[str | None, Format] = {
        code: book.add_format({"num_format": code}) for code in NUMBER_FORMATS
    }
    styles["title"] = book.add_format({"bold": True, "font_size": 12})
    styles["header"] = book.add_format({"align": "center"})
    return styles


def _group_sheet(
    ws: Worksheet,
    heading: str,
    units: list[dict],
    styles: dict[str | None, Format],
    indicators: Indicators,
) -> None:
    """Title row; indicator names merged over their figures; sub-headers; a row per unit."""
    width = len(FIGURE_COLUMNS)
    last_column = 1 + len(indicators) * width
    ws.freeze_panes(3, 2)  # C4: unit names and header rows stay in view
    ws.set_column_pixels(0, 0, 24 * PIXELS_PER_WIDTH)
    ws.set_column_pixels(2, last_column, 10 * PIXELS_PER_WIDTH)
    ws.write_string(0, 0, heading, styles["title"])
    center = styles["header"]
    ws.write_string(1, 0, "单位", center)
    ws.write_string(1, 1, "报送", center)
    sub: list[object] = [None, None]
    figure_formats: list[Format | None] = [None, None]
    for i, ind in enumerate(indicators):
        first = 2 + i * width
        ws.merge_range(1, first, 1, first + width - 1, f"{ind.name}({ind.unit})", center)
        sub += [label for _, label in FIGURE_COLUMNS]
        figure_formats += [styles.get(_figure_format(key, ind)) for key, _ in FIGURE_COLUMNS]
    _write_row(ws, 2, sub)
    for r, unit in enumerate(units, 3):
        row = [unit["name"], "是" if unit["reported"] else "未报送"]
        for ind in indicators:
            figs = unit["indicators"][ind.key]
            row += [_cell_value(key, figs) for key, _ in FIGURE_COLUMNS]
        _write_row(ws, r, row, figure_formats)


def _project_sheet(ws: Worksheet, rows: list[dict], styles: dict[str | None, Format]) -> None:
    ws.freeze_panes(1, 0)
    ws.set_column_pixels(1, 1, 36 * PIXELS_PER_WIDTH)  # 项目名称
    ws.set_column_pixels(6, 6, 28 * PIXELS_PER_WIDTH)  # 投资方
    _write_row(ws, 0, [label for _, label in PROJECT_COLUMNS])
    project_formats = [styles.get(code) for code in PROJECT_FORMATS]
    for r, row in enumerate(rows, 1):
        _write_row(ws, r, [row[key] for key, _ in PROJECT_COLUMNS], project_formats)


def _write_row(
    ws: Worksheet, r: int, values: Sequence[object], cell_formats: Sequence[Format | None] = ()
) -> None:
    """One row from column A (`RowSheet.put_row`, or cell by cell on another sheet). A
    missing figure (None) stays empty, but keeps its number format, so a figure typed in
    later shows like the others; strings stay text."""
    if isinstance(ws, RowSheet):
        ws.put_row(r, values, cell_formats)
        return
    for c, value in enumerate(values):
        cell_format = cell_formats[c] if c < len(cell_formats) else None
        if value is None or value == "":
            if cell_format is not None:
                ws.write_blank(r, c, None, cell_format)
        else:
            write_cell(ws, r, c, value, cell_format)


def kept_workbook(
    cache: Cache, figures: dict, digest: str, title: str, make: bool = True
) -> bytes | None:
    """`bulletin_workbook`, kept by the figures' digest; `make=False`: only if kept."""
    key = keys.workbook(title, digest)
    if make:
        return cache.memo("xlsx", key, partial(bulletin_workbook, figures, title=title))
    return cast("bytes | None", cache.load("xlsx", key))
