"""Writing .xlsx files byte-for-byte reproducibly (the site must be deterministic)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl.writer.excel import ExcelWriter

FIXED_STAMP = datetime(2000, 1, 1)


def workbook_bytes(workbook, *, stamp: datetime = FIXED_STAMP) -> bytes:
    """The workbook's bytes with fixed timestamps.

    `Workbook.save` stamps the clock into docProps/core.xml and every zip entry;
    going through ExcelWriter directly keeps the document's own `stamp` instead.
    """
    workbook.properties.created = workbook.properties.modified = stamp
    raw, out = io.BytesIO(), io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
