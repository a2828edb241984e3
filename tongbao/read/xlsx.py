"""Workbooks → `Sheet` grids: python-calamine for speed, openpyxl where it must.

Beside `sheets` (CSV and finding tables), on `grid.Sheet`; this module knows
the .xlsx format: visible sheets, cached formula values, error cells, merged
ranges and the cells calamine does not report.
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast
from xml.etree import ElementTree

from .grid import FileProblem, Sheet

if TYPE_CHECKING:
    from python_calamine import CalamineSheet


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
        number = cast(float, value)
        # Excel writes integers as <v>5</v>, which openpyxl reads as int, everything else as float
        if number.is_integer():
            return int(number) if -_INT_EXACT < number < _INT_EXACT else number
        if not math.isfinite(number):
            raise _NotVouched("NaN or infinity")  # openpyxl refuses such a file
        return number
    if kind is date:  # calamine drops a midnight time; openpyxl always gives a datetime
        day = cast(date, value)
        return datetime(day.year, day.month, day.day)
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
            rid = cast(str, element.get(f"{{{_RELATIONSHIPS}}}id"))
            parts[cast(str, element.get("name"))] = targets[rid][1]
    return parts


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, part) from `part`'s .rels; targets resolved to paths inside the zip."""
    folder, name = posixpath.split(part)
    try:
        data = archive.read(posixpath.join(folder, "_rels", f"{name}.rels"))
    except KeyError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for element in ElementTree.fromstring(data):
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            path = target[1:]
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        found[cast(str, element.get("Id"))] = (cast(str, element.get("Type")), path)
    return found
