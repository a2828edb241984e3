"""The record of a build: each newly issued month's record and its PDF as issued, and
the PDF an older record lacks (compute/record.py, compute/issued_pdf.py decide; this
module gathers what only a finished build has: the PDFs it published)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from .. import charts, keys, layout
from ..bulletin.model import SiteText
from ..cache import Cache
from ..compute.issued_pdf import upgrade_records
from ..compute.record import read_record, write_missing_records
from ..compute.revisions import allowing_revision
from ..document import DocumentSettings, original_pdfs
from .checking import Checked


def record_issued(
    root: Path, checked: Checked, site_dir: Path, today: date, cache: Cache
) -> Checked:
    """Write the records (and PDFs) this build owes; the checked result with them
    (`recorded`), their warnings answered."""
    written = keep_records(root, checked, site_dir, today, cache)
    for rel in written:
        keys.written(root / rel)
    answered = set(written)
    checked.report.issues = [
        i
        for i in checked.report.issues
        if not (i.code in ("record-missing", "issued-pdf-missing") and i.file in answered)
    ]
    return replace(checked, recorded=written)


def unkept_pdfs(root: Path, checked: Checked, site_dir: Path, cache: Cache) -> dict[str, bytes]:
    """The PDF as issued of each month whose older record keeps none: the one this build
    published, unless the month was corrected or a revision was written since its
    record (the PDF shows it): then, like a corrected month's 原版, the PDF made from
    the record (document.original_pdfs)."""
    assert checked.data is not None
    found, again = {}, []
    for period in checked.unkept:
        record, _ = read_record(root, period)
        item = checked.data.commentary.get(period)
        since = date.fromisoformat(record["recorded_on"]) if record else date.min
        revised = item is not None and allowing_revision(item.meta, since) is not None
        path = site_dir / layout.bulletin_pdf(period)
        if period in checked.originals or revised or not path.is_file():
            again.append(period)
        else:
            found[period] = path.read_bytes()
    return found | as_recorded(root, checked, again, cache)


def as_recorded(root: Path, checked: Checked, periods: list[str], cache: Cache) -> dict[str, bytes]:
    """The PDF of each of these months made from its record (the figures and commentary
    as issued, no revision written since), as a corrected month's 原版 is."""
    assert checked.data is not None
    records = {p: r for p in periods if (r := read_record(root, p)[0]) is not None}
    metas = {}
    for period in records:
        item = checked.data.commentary.get(period)
        meta = item.meta if item is not None else {}
        metas[period] = {k: v for k, v in meta.items() if k != "withdrawn"}
    figures = {p: r["figures"] for p, r in records.items()}
    drawn = {p: charts.charts_for_month(f, checked.figures | {p: f}) for p, f in figures.items()}
    made = original_pdfs(
        root,
        records,
        metas,
        drawn,
        site=SiteText.from_config(checked.config),
        settings=DocumentSettings.from_config(checked.config),
        cache=cache,
    )
    return {p: made[layout.original_pdf(p)] for p in records}


def keep_records(
    root: Path, checked: Checked, site_dir: Path, today: date, cache: Cache
) -> list[str]:
    """Write the record of each newly issued month and keep the PDF this build published
    for it; keep the PDF of each month whose older record has none (`unkept_pdfs`) and
    add its hash to the record (compute/issued_pdf.py). The paths written."""
    new = [p for p in checked.issued if not (root / layout.record(p)).exists()]
    pdfs = {}
    for period in new:
        path = site_dir / layout.bulletin_pdf(period)
        if path.is_file():
            pdfs[period] = path.read_bytes()
    written = write_missing_records(
        root,
        checked.issued,
        checked.figures,
        checked.commentary,
        title=SiteText.from_config(checked.config).masthead,
        today=today,
        pdfs=pdfs,
    )
    return written + upgrade_records(root, unkept_pdfs(root, checked, site_dir, cache), today)
