"""Writing .xlsx files byte-for-byte reproducibly (the site must be deterministic).

Two writers: openpyxl workbooks (the demo data and templates, which read cells back
and style them freely) are saved by `workbook_bytes`; workbooks written once, row by
row (the bulletin downloads, one per published month) use XlsxWriter through
`xlsxwriter_workbook` / `xlsxwriter_bytes`, several times faster to serialise.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from datetime import datetime

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

FIXED_STAMP = datetime(2000, 1, 1)

# XlsxWriter would otherwise turn a cell text such as "=…" into a formula and
# "http://…" into a link; published text is kept as the text it was.
_XLSXWRITER_OPTIONS = {
    "in_memory": True,  # no temporary files, and every zip entry is dated 1980-01-01
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def workbook_bytes(workbook, *, stamp: datetime = FIXED_STAMP) -> bytes:
    """The workbook's bytes with fixed timestamps.

    `Workbook.save` stamps the clock into docProps/core.xml and every zip entry;
    going through ExcelWriter directly keeps the document's own `stamp` instead.
    """
    from openpyxl.writer.excel import ExcelWriter  # ~0.2 s to import: a build never needs it

    workbook.properties.created = workbook.properties.modified = stamp
    raw, out = io.BytesIO(), io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def xlsxwriter_workbook(
    *, stamp: datetime = FIXED_STAMP, worksheet_class: type[Worksheet] | None = None
) -> xlsxwriter.Workbook:
    """An empty XlsxWriter workbook, written in memory, created (docProps) at `stamp`;
    its sheets of `worksheet_class` (e.g. `RowSheet`) when given.

    Finish it with `xlsxwriter_bytes`.
    """
    book = xlsxwriter.Workbook(io.BytesIO(), _XLSXWRITER_OPTIONS)
    if worksheet_class is not None:
        book.worksheet_class = worksheet_class
    book.set_properties({"created": stamp})  # else the clock; also used as "modified"
    return book


def xlsxwriter_bytes(book: xlsxwriter.Workbook) -> bytes:
    """Close a workbook from `xlsxwriter_workbook` and return its bytes."""
    book.close()
    return book.filename.getvalue()


class RowSheet(Worksheet):
    """An XlsxWriter worksheet for tables written a row at a time (`put_row`), whose cells'
    XML is written without XlsxWriter's per-cell layers: the bytes `write_*` and
    `Worksheet._write_cell` give, in a third of the time (a cold build writes ~600,000
    cells into the bulletin downloads). Anything but plain text, numbers and blanks goes
    the ordinary way."""

    def put_row(
        self, r: int, values: Sequence[object], cell_formats: Sequence[Format | None] = ()
    ) -> None:
        """One row from column A. A missing value (None or "") stays empty but keeps its
        format (a blank cell), so a figure typed in later shows like the others; strings
        stay text, never a formula or a link."""
        row = self.table[r]
        strings = self.str_table._get_shared_string_index
        first = last = -1
        for c, value in enumerate(values):
            cell_format = cell_formats[c] if c < len(cell_formats) else None
            kind = type(value)
            if value is None or value == "":
                if cell_format is None:
                    continue
                row[c] = _new(CellBlankTuple, (cell_format,))
            elif kind is str and len(value) <= _SHORT_TEXT:  # type: ignore[arg-type]
                row[c] = _new(CellStringTuple, (strings(value), cell_format))
            elif (kind is int or kind is float) and math.isfinite(value):  # type: ignore[arg-type]
                row[c] = _new(CellNumberTuple, (value, cell_format))
            else:  # long text, bool, NaN, dates: XlsxWriter's own checks and conversions
                write_cell(self, r, c, value, cell_format)
                continue
            first = c if first < 0 else first
            last = c
        if first >= 0:  # the used range grows as `_check_dimensions` grows it for each cell
            self._check_dimensions(r, first)
            self._check_dimensions(r, last)

    def _calculate_spans(self) -> None:
        if self.comments:
            super()._calculate_spans()
            return
        # as XlsxWriter: the first and last used column of each block of 16 rows, 1-based
        spans: dict[int, str] = {}
        low = high = -1
        for r in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(r)
            if cells:
                first, last = min(cells), max(cells)
                low = first if low < 0 else min(low, first)
                high = max(high, last)
            if (r + 1) % 16 == 0 or r == self.dim_rowmax:
                if low >= 0:
                    spans[r // 16] = f"{low + 1}:{high + 1}"
                low = high = -1
        self.row_spans = spans

    def _write_rows(self) -> None:
        if self.comments:
            super()._write_rows()
            return
        self._calculate_spans()
        styled_columns = {c for c, info in self.col_info.items() if info.column_format is not None}
        for r in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(r)
            info = self.row_info.get(r)
            span = self.row_spans.get(r // 16)
            if not cells:
                if info is not None:
                    self._write_empty_row(r, span, info)
                continue
            self._write_row(r, span, info)
            own_style = info is not None and info.row_format is not None
            number = r + 1
            write = self.fh.write
            for c in sorted(cells):
                cell = cells[c]
                kind = type(cell)
                cell_format = cell.format
                if (cell_format is None and (own_style or c in styled_columns)) or not (
                    kind is CellNumberTuple or kind is CellStringTuple or kind is CellBlankTuple
                ):
                    self._write_cell(r, c, cell)  # a row's or column's format; other kinds
                    continue
                name = _COLUMN_NAMES.get(c) or xl_col_to_name(c)
                style = f' s="{cell_format._get_xf_index()}"' if cell_format is not None else ""
                if kind is CellNumberTuple:
                    write(f'<c r="{name}{number}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind is CellStringTuple:
                    write(f'<c r="{name}{number}"{style} t="s"><v>{cell.string}</v></c>')
                else:
                    write(f'<c r="{name}{number}"{style}/>')
            self._xml_end_tag("row")


def write_cell(sheet: Worksheet, r: int, c: int, value: object, cell_format) -> None:
    """One cell by its value's type (a bool is not a number; strings stay text)."""
    if isinstance(value, str):
        sheet.write_string(r, c, value, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, cell_format)
    elif isinstance(value, int | float):
        sheet.write_number(r, c, value, cell_format)
    else:
        sheet.write(r, c, value, cell_format)


# Texts this long or shorter are never cut to Excel's 32,767 UTF-16 units
_SHORT_TEXT = 32767 // 2
_new = tuple.__new__  # a named tuple without its __new__'s Python frame
_COLUMN_NAMES = {c: xl_col_to_name(c) for c in range(256)}
