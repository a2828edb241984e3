"""Writing .xlsx files byte-for-byte reproducibly (the site must be deterministic).

Two writers: openpyxl workbooks (the demo data and templates, which read cells back
and style them freely) are saved by `workbook_bytes`; workbooks written once, row by
row (the bulletin downloads, one per published month) use XlsxWriter through
`xlsxwriter_workbook` / `xlsxwriter_bytes`, several times faster to serialise.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import xlsxwriter

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


def xlsxwriter_workbook(*, stamp: datetime = FIXED_STAMP) -> xlsxwriter.Workbook:
    """An empty XlsxWriter workbook, written in memory, created (docProps) at `stamp`.

    Finish it with `xlsxwriter_bytes`.
    """
    book = xlsxwriter.Workbook(io.BytesIO(), _XLSXWRITER_OPTIONS)
    book.set_properties({"created": stamp})  # else the clock; also used as "modified"
    return book


def xlsxwriter_bytes(book: xlsxwriter.Workbook) -> bytes:
    """Close a workbook from `xlsxwriter_workbook` and return its bytes."""
    book.close()
    return book.filename.getvalue()
