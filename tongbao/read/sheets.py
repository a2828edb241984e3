"""Files → grids of cells, as Excel shows them.

With `xlsx` (workbooks), the one place that knows about encodings, merged
cells, hidden sheets and cached formula values. Everything above works on
`Sheet` grids whose row numbers are the ones Excel (or a text editor, for CSV)
shows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .. import keys
from ..cache import NO_CACHE, Cache
from ..schema import (
    FOOTNOTE_PREFIXES,
    STANDARD_GROUPS,
    SUBTOTAL_PATTERN,
    TOTAL_ROW_NAMES,
    UNIT_HEADERS,
    normalize_text,
)
from .grid import FileProblem, Sheet, column_letter
from .xlsx import read_xlsx

HEADER_SEARCH_ROWS = 30


def decode_csv_bytes(data: bytes) -> str:
    """BOM, then strict UTF-8, then GB18030 (a superset of GBK); never a guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv(path: Path, rel: str) -> list[Sheet]:
    data = path.read_bytes()
    if not data.strip():
        raise FileProblem.of(rel, "empty-file", "文件是空的，请重新导出或删除该文件")
    try:
        text = decode_csv_bytes(data)
    except UnicodeDecodeError:
        raise FileProblem.of(
            rel,
            "bad-encoding",
            "文件编码既不是 UTF-8 也不是 GBK/GB18030，请在 Excel 中另存为“CSV UTF-8”或“CSV(逗号分隔)”",
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[object]] = []
    numbers: list[int] = []
    line = 1
    for record in reader:
        rows.append([value if value.strip() else None for value in record])
        numbers.append(line)
        line = reader.line_num + 1
    return [Sheet(rel, "", rows, numbers)]


def read_sheets(path: Path, rel: str, cache: Cache = NO_CACHE) -> list[Sheet]:
    """The grids of a data file; unchanged bytes skip the Excel reader entirely."""
    return cache.memo("sheets", keys.sheets(path, rel), lambda: _read_sheets(path, rel))


def _read_sheets(path: Path, rel: str) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, rel)
    if suffix in {".xlsx", ".xlsm"}:
        if path.stat().st_size == 0:
            raise FileProblem.of(rel, "empty-file", "文件是空的，请重新导出或删除该文件")

        return read_xlsx(path, rel)
    raise FileProblem.of(
        rel, "unreadable-file", "只支持 .xlsx 和 .csv 文件，请在 Excel 中另存为 .xlsx"
    )


@dataclass
class Column:
    index: int
    letter: str
    header: str  # as shown, joined over header rows: "签约项目/金额(亿元)"
    parts: tuple[str, ...]  # the header cells top to bottom


@dataclass
class Table:
    """A sheet cut at its header: which columns there are and where data starts."""

    sheet: Sheet
    header_row: int  # index of the first header row
    depth: int  # 1 or 2 header rows
    unit_column: Column
    columns: list[Column]
    title_lines: list[str]  # text of rows above the header

    @property
    def data_start(self) -> int:
        return self.header_row + self.depth

    def headers_found(self) -> list[str]:
        return [c.header for c in self.columns if c.header]


def headers_in_first_rows(sheet: Sheet, *, search: int = 10) -> list[str]:
    """What looks like the header of a sheet with no recognised one: the first of its first
    rows with the most filled cells (titles fill one cell), as the clerk typed them."""
    best: list[str] = []
    for row in sheet.rows[:search]:
        cells = [str(v).strip() for v in row if v is not None and str(v).strip()]
        if len(cells) > len(best):
            best = cells
    return best[:30]


def _text(value: object) -> str:
    return "" if value is None else normalize_text(value)


def _merge_map(sheet: Sheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Each cell covered by a merge → the top-left cell holding the value."""
    covered = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r1 - r0 > 3 or c1 - c0 > 40:
            continue  # a title merged across the sheet, not a header
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = (r0, c0)
    return covered


def find_table(sheet: Sheet, unit_headers: tuple[str, ...] = UNIT_HEADERS) -> Table | None:
    """Find the header row (the first holding a unit header) and a possible second row."""
    merges = _merge_map(sheet)

    def value(r: int, c: int) -> str:
        if (r, c) in merges:
            r0, c0 = merges[(r, c)]
            return _text(sheet.cell(r0, c0))
        return _text(sheet.cell(r, c))

    for r in range(min(len(sheet.rows), HEADER_SEARCH_ROWS)):
        width = len(sheet.rows[r])
        unit_col = next((c for c in range(width) if _text(sheet.cell(r, c)) in unit_headers), None)
        if unit_col is None:
            continue
        depth = 1
        if r + 1 < len(sheet.rows) and _is_subheader(sheet, r + 1, unit_col, value):
            depth = 2
        columns = []
        last_top = ""
        for c in range(max(len(sheet.rows[i]) for i in range(r, r + depth))):
            top = value(r, c)
            if depth == 2:
                sub = (
                    value(r + 1, c)
                    if sheet.cell(r + 1, c) is not None or (r + 1, c) in merges
                    else ""
                )
                if not top and sub and (r, c) not in merges:
                    top = last_top  # a merge lost on export (CSV): the upper cell spans right
                if top:
                    last_top = top
                parts = tuple(p for p in (top, sub) if p)
                if len(parts) == 2 and parts[0] == parts[1]:
                    parts = parts[:1]
            else:
                parts = (top,) if top else ()
            header = "/".join(parts)
            columns.append(Column(c, column_letter(c + 1), header, parts))
        titles = [
            " ".join(str(v) for v in sheet.rows[i] if v is not None and str(v).strip())
            for i in range(r)
        ]
        return Table(sheet, r, depth, columns[unit_col], columns, [t for t in titles if t])
    return None


def _is_subheader(sheet: Sheet, r: int, unit_col: int, value) -> bool:
    """A second header row: the unit cell is empty or merged from above, and it holds labels."""
    unit_cell = sheet.cell(r, unit_col)
    if unit_cell is not None and value(r, unit_col) != value(r - 1, unit_col):
        return False
    labels = 0
    for c, cell in enumerate(sheet.rows[r]):
        if c == unit_col or cell is None:
            continue
        if isinstance(cell, (int, float)):
            return False
        text = _text(cell)
        if text and not re.fullmatch(r"[\d.,\-—/]+", text):
            labels += 1
    return labels > 0


MONEY_UNIT_IN_TITLE = re.compile(r"单位[:：]\s*(亿元|万元)")


def money_unit_in_titles(lines: list[str]) -> str | None:
    """`单位：万元` in a title or note row applies to amount columns that name no unit."""
    for line in lines:
        match = MONEY_UNIT_IN_TITLE.search(normalize_text(line))
        if match:
            return match.group(1)
    return None


def row_kind(name: str) -> str:
    """unit, total, subtotal, footnote or blank — by the text of the unit cell."""
    if not name:
        return "blank"
    if name in TOTAL_ROW_NAMES:
        return "total"
    if name.startswith(FOOTNOTE_PREFIXES):
        return "footnote"
    if SUBTOTAL_PATTERN.match(name) or name in STANDARD_GROUPS:
        return "subtotal"
    return "unit"
