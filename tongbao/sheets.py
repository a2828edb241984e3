"""Files → grids of cells, as Excel shows them.

The one place that knows about encodings, workbooks, merged cells, hidden
sheets and cached formula values. Everything above works on `Sheet` grids
whose row numbers are the ones Excel (or a text editor, for CSV) shows.
"""

from __future__ import annotations

import csv
import io
import math
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from .cache import NO_CACHE, Cache, key_of
from .issues import Issue, Origin
from .schema import (
    FOOTNOTE_PREFIXES,
    GROUPS,
    SUBTOTAL_PATTERN,
    TOTAL_ROW_NAMES,
    UNIT_HEADERS,
    normalize_text,
)

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

HEADER_SEARCH_ROWS = 30


class FileProblem(Exception):
    """A file that cannot be read at all; carries the issue to report."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue

    @classmethod
    def of(cls, rel: str, code: str, message: str) -> FileProblem:
        return cls(Issue.of_file(rel, code, message))


@dataclass
class Sheet:
    file: str  # relative path, forward slashes
    name: str  # sheet name; "" for CSV
    rows: list[list[object]]  # cell values; None when empty
    row_numbers: list[int]  # the Excel row / CSV line of each row
    errors: set[tuple[int, int]] = field(default_factory=set)  # (row index, col index) of #DIV/0! …
    merged: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r0, c0, r1, c1 (inclusive)

    def origin(
        self, row_index: int | None, col_index: int | None = None, header: str = ""
    ) -> Origin:
        row = self.row_numbers[row_index] if row_index is not None else None
        column = column_letter(col_index + 1) if col_index is not None else ""
        return Origin(self.file, self.name, row, column, header)

    def cell(self, r: int, c: int) -> object:
        row = self.rows[r]
        return row[c] if c < len(row) else None


def column_letter(number: int) -> str:
    """1 → A, 28 → AB: Excel's column names (without importing openpyxl for them)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    rows, numbers = [], []
    line = 1
    for record in reader:
        rows.append([value if value.strip() else None for value in record])
        numbers.append(line)
        line = reader.line_num + 1
    return [Sheet(rel, "", rows, numbers)]


def read_xlsx(path: Path, rel: str) -> list[Sheet]:
    """Every visible worksheet, with cached values of formula cells.

    python-calamine reads the cells, 10–20× faster than openpyxl; a byte scan of each
    sheet's XML adds what calamine does not report (error cells, blank cells that exist).
    The grids are openpyxl's (the reader tongbao was built on, still used for any file the
    fast path will not vouch for), except where calamine shows what Excel shows and
    openpyxl does not: the built-in Chinese date styles (ids 27–36, 50–58) are dates,
    `_x000D_` in a text is a carriage return, and an emptied cell that kept its hyperlink
    is empty.
    """
    try:
        return _read_xlsx_calamine(path, rel)
    except Exception:  # a broken file or a rare feature: openpyxl reads it or names the problem
        return _read_xlsx_openpyxl(path, rel)


def _read_xlsx_openpyxl(path: Path, rel: str) -> list[Sheet]:
    import openpyxl  # costs ~180 ms; only pay it when calamine cannot be trusted with a file

    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise FileProblem.of(
            rel,
            "unreadable-file",
            f"无法读取该 Excel 文件（{type(exc).__name__}），请用 Excel 打开后另存为 .xlsx",
        ) from None
    sheets = []
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows, numbers, errors = [], [], set()
        for r_index, row in enumerate(ws.iter_rows()):
            values = []
            for c_index, cell in enumerate(row):
                if cell.data_type == "e":
                    errors.add((r_index, c_index))
                values.append(cell.value)
            rows.append(values)
            numbers.append(r_index + 1)
        merged = [
            (rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1)
            for rng in ws.merged_cells.ranges
        ]
        sheets.append(Sheet(rel, ws.title, rows, numbers, errors, merged))
    workbook.close()
    return sheets


class _NotVouched(Exception):
    """The fast reader cannot promise openpyxl's grid for this workbook."""


def _read_xlsx_calamine(path: Path, rel: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    sheets = []
    with zipfile.ZipFile(path) as archive, CalamineWorkbook.from_path(path) as workbook:
        parts = _worksheet_parts(archive)
        for meta in workbook.sheets_metadata:
            if meta.typ == SheetTypeEnum.ChartSheet:
                continue  # not a grid; openpyxl's `worksheets` leaves them out too
            if meta.typ != SheetTypeEnum.WorkSheet:
                raise _NotVouched(f"{meta.typ}")  # openpyxl reads dialog/macro sheets as grids
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            found = _scan_worksheet(archive, parts[meta.name])
            grid = workbook.get_sheet_by_name(meta.name)
            sheets.append(_calamine_sheet(rel, meta.name, grid, found))
    return sheets


def _calamine_sheet(rel: str, name: str, grid: CalamineSheet, found: _Scanned) -> Sheet:
    """calamine's values laid out as openpyxl lays them out."""
    values = grid.to_python(skip_empty_area=False)  # row 0 is Excel row 1, column 0 is A
    ranges = grid.merged_cell_ranges or []
    # openpyxl keeps a set of ranges (a range listed twice is one); the order carries no meaning
    merged = list(dict.fromkeys((r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges))
    # openpyxl's grid reaches every cell that exists, blank or not, and every merged area
    height = max([found.height, *(r1 + 1 for _, _, r1, _ in merged)])
    width = max([found.width, *(c1 + 1 for _, _, _, c1 in merged)])
    if len(values) > height or (values and len(values[0]) > width):
        raise _NotVouched("calamine found cells the scan did not")
    padding = [None] * (width - len(values[0])) if values else []
    rows = [[_cell_value(v) for v in row] + padding for row in values]
    rows += [[None] * width for _ in range(height - len(rows))]
    for (r, c), value in found.values.items():
        rows[r][c] = value
    errors = set(found.errors)
    for r0, c0, r1, c1 in merged:  # Excel shows only the first cell of a merged area
        for r in range(r0, r1 + 1):
            for c in range(c0 + (r == r0), c1 + 1):
                rows[r][c] = None
                errors.discard((r, c))
    return Sheet(rel, name, rows, list(range(1, height + 1)), errors, merged)


_INT_EXACT = 2**53  # beyond it a float holds no exact integer to give back


def _cell_value(value: object) -> object:
    """calamine's value → openpyxl's: None for blanks, int for integers, datetime for dates."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        # Excel writes integers as <v>5</v>, which openpyxl reads as int, everything else as float
        if value.is_integer():
            return int(value) if -_INT_EXACT < value < _INT_EXACT else value
        if not math.isfinite(value):
            raise _NotVouched("NaN or infinity")  # openpyxl refuses such a file
        return value
    if kind is date:  # calamine drops a midnight time; openpyxl always gives a datetime
        return datetime(value.year, value.month, value.day)
    return value


@dataclass
class _Scanned:
    """What a worksheet's XML says beyond calamine's values."""

    height: int  # rows and columns of openpyxl's grid: the last cell that exists in any form
    width: int
    errors: set[tuple[int, int]]  # cells of type "e"
    values: dict[tuple[int, int], object]  # cells whose value calamine does not give as openpyxl


_CELL = b'<c r="'
_BARE_CELL = re.compile(rb"<c/?>")
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*? t="e"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_SPACE_TEXT = re.compile(rb"<t>[ \t\r\n]")
_SPACES_CELL = re.compile(  # a text of spaces only, which openpyxl writes without xml:space
    rb'<c r="([A-Z]+[0-9]+)"[^>]*? t="inlineStr"[^>]*><is><t>([ \t\r\n]+)</t></is></c>'
)
_HYPERLINK = re.compile(rb'<hyperlink\b[^>]*? ref="([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?"')
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _scan_worksheet(archive: zipfile.ZipFile, part: str) -> _Scanned:
    """Error cells and the extent of the grid, by a byte scan rather than an XML parse.

    The scan reads the cell tags Excel, openpyxl, LibreOffice and WPS write (`<c r="B7" …>`,
    unprefixed); anything else is left to openpyxl.
    """
    xml = archive.read(part)
    start = xml.find(b"<sheetData")
    if start < 0:
        raise _NotVouched(part)  # a namespace prefix (<x:sheetData>) or no cells at all
    end = xml.find(b"</sheetData>", start)
    end = start if end < 0 else end  # <sheetData/>
    data = xml[start:end]
    if _BARE_CELL.search(data) or data.count(b"<c ") != data.count(_CELL):
        raise _NotVouched(part)  # cells without r="…" first: openpyxl numbers them itself
    height = width = 0
    for row in data.split(b"</row>"):
        at = row.rfind(_CELL)  # cells of a row come in column order: the last is the widest
        if at >= 0:
            r, c = _position(row[at + len(_CELL) : row.index(b'"', at + len(_CELL))])
            height, width = max(height, r + 1), max(width, c + 1)
    errors, values = set(), {}
    if b't="e"' in data:
        for ref, inner in _ERROR_CELL.findall(data):
            text = _VALUE.search(inner)
            if text and b"&" in text.group(1):
                raise _NotVouched(part)
            errors.add(_position(ref))
            values[_position(ref)] = text.group(1).decode() if text and text.group(1) else None
    if _SPACE_TEXT.search(data):
        for ref, text in _SPACES_CELL.findall(data):
            values[_position(ref)] = text.decode()  # calamine drops unpreserved white space
    # openpyxl makes a cell for every hyperlink and comment, even on an empty cell
    refs = [ref for pair in _HYPERLINK.findall(xml[end:]) for ref in pair if ref]
    refs += _comment_refs(archive, part)
    for ref in refs:
        r, c = _position(ref)
        height, width = max(height, r + 1), max(width, c + 1)
    return _Scanned(height, width, errors, values)


def _comment_refs(archive: zipfile.ZipFile, part: str) -> list[bytes]:
    refs = []
    for kind, target in _relationships(archive, part).values():
        if kind == f"{_RELATIONSHIPS}/comments":
            root = ElementTree.fromstring(archive.read(target))
            refs += [e.get("ref", "").encode() for e in root.iter() if e.tag.endswith("}comment")]
    return refs


def _position(ref: bytes) -> tuple[int, int]:
    """b"AB12" → (11, 27): 0-based row and column."""
    column = 0
    for i, code in enumerate(ref):
        if 65 <= code <= 90:
            column = column * 26 + code - 64
        elif i and ref[i:].isdigit() and int(ref[i:]) > 0:
            return int(ref[i:]) - 1, column - 1
        else:
            break
    raise _NotVouched(f"cell reference {ref!r}")


def _worksheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, through the workbook's relationships."""
    main = _relationships(archive, "")
    (workbook,) = [t for k, t in main.values() if k == f"{_RELATIONSHIPS}/officeDocument"]
    targets = _relationships(archive, workbook)
    parts = {}
    for element in ElementTree.fromstring(archive.read(workbook)).iter():
        if element.tag.endswith("}sheet"):
            rid = element.get(f"{{{_RELATIONSHIPS}}}id")
            parts[element.get("name")] = targets[rid][1]
    return parts


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, part) from `part`'s .rels; targets resolved to paths inside the zip."""
    folder, name = posixpath.split(part)
    try:
        data = archive.read(posixpath.join(folder, "_rels", f"{name}.rels"))
    except KeyError:
        return {}
    found = {}
    for element in ElementTree.fromstring(data):
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            path = target[1:]
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        found[element.get("Id")] = (element.get("Type"), path)
    return found


def read_sheets(path: Path, rel: str, cache: Cache = NO_CACHE) -> list[Sheet]:
    """The grids of a data file; unchanged bytes skip the Excel reader entirely."""
    key = key_of("sheets", rel, path.read_bytes())
    return cache.memo("sheets", key, lambda: _read_sheets(path, rel))


def _read_sheets(path: Path, rel: str) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, rel)
    if suffix in {".xlsx", ".xlsm"}:
        if path.stat().st_size == 0:
            raise FileProblem.of(rel, "empty-file", "文件是空的，请重新导出或删除该文件")
        return read_xlsx(path, rel)
    raise FileProblem.of(rel, "unsupported-file", "只支持 .xlsx 和 .csv 文件")


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
    if SUBTOTAL_PATTERN.match(name) or name in GROUPS:
        return "subtotal"
    return "unit"
