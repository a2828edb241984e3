"""The PDF as issued: `published/YYYY-MM.pdf`, kept byte for byte beside the record.

When a month's record is first written the build keeps the bulletin PDF it published
for that month and writes its SHA-256 into the record (`pdf`, inside the seal). Every
later build publishes those bytes for that month and does not typeset it again, so a
change of layout template, fonts or settings reaches only the months issued after it.
A corrected month's kept PDF is its 原版; a withdrawn month keeps its PDF as issued.

A kept PDF that is missing or whose SHA-256 differs from its record stops the build
(`issued-pdf-changed`, naming the file).

Records written before PDFs were kept have no `pdf`. They stay valid: a build warns
(`issued-pdf-missing`), writes `published/YYYY-MM.pdf` (the PDF that build publishes
for the month: as issued, or for a corrected month its 原版 made from the record) and
upgrades the record: it adds `pdf` and `pdf_added_on` (the day of the upgrade) and
seals it again. Nothing else of the record changes, and only a record whose seal
holds is upgraded, so the upgrade never launders a hand edit.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from .. import keys, layout
from ..cache import Cache
from ..issues import ERROR, WARNING, Issue
from .record import RECORD_VERSION, read_record, seal_of


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded_pdf(root: Path, period: str, cache: Cache) -> str | None:
    """The SHA-256 of the kept PDF the month's record names (None: the record names none,
    or the record cannot be read; that problem is reported by the record's own check).
    Cached on the record's bytes, read afresh: the build may upgrade the record."""
    path = root / layout.record(period)
    try:
        written = path.read_bytes()
    except FileNotFoundError:
        return None

    def read() -> str | None:
        record, _ = read_record(root, period)
        value = (record or {}).get("pdf")
        return value if isinstance(value, str) else None

    return cache.memo("record-pdf", keys.key_of("record-pdf", written), read)


def check_kept(
    root: Path, periods: list[str], cache: Cache
) -> tuple[dict[str, str], list[str], list[Issue]]:
    """For each issued month with a record: the kept PDF's SHA-256 when its record names
    one and the file matches it (`kept`), the months whose record names none (`unkept`,
    warned: the build keeps their PDF now), and the problems."""
    kept: dict[str, str] = {}
    unkept: list[str] = []
    issues: list[Issue] = []
    for period in periods:
        if not (root / layout.record(period)).is_file():
            continue  # no record yet: `record-missing`, and its PDF is kept with it
        rel = layout.issued_pdf(period)
        expected = recorded_pdf(root, period, cache)
        if expected is None:
            read, _ = read_record(root, period)
            if read is None:
                continue  # `bad-record`
            unkept.append(period)
            message = (
                f"{period} 的发布记录 {layout.record(period)} 是旧格式，没有印发版 PDF：运行 "
                f"python build.py 会写入 {rel}（本次构建发布的该月 PDF）并把它的 SHA-256 加入"
                "发布记录，请把两个文件一起提交；之后该月的 PDF 不再重新排版"
            )
            issues.append(Issue.of_file(rel, "issued-pdf-missing", message, WARNING))
            continue
        found = keys.file_digest(root / rel)
        if found == expected:
            kept[period] = expected
            continue
        why = "不在了" if not found else "与发布记录中的 SHA-256 不符，被改动或替换过"
        message = (
            f"{period} 印发的 PDF {rel} {why}。它是该期通报印发时的原件（发布记录 "
            f"{layout.record(period)} 记有它的 SHA-256），之后的构建逐字节使用它，不能重新生成："
            f"请用 git 恢复（git checkout -- {rel}）"
        )
        issues.append(Issue.of_file(rel, "issued-pdf-changed", message, ERROR))
    return kept, unkept, issues


def kept_bytes(root: Path, kept: dict[str, str]) -> dict[str, bytes]:
    """The kept PDFs (checked against their records this build)."""
    return {p: (root / layout.issued_pdf(p)).read_bytes() for p in kept}


def write_pdf(root: Path, period: str, data: bytes) -> str:
    """Write a month's kept PDF (write, then rename); its path."""
    rel = layout.issued_pdf(period)
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".pdf.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return rel


def upgrade_records(root: Path, pdfs: dict[str, bytes], today: date) -> list[str]:
    """Keep the PDF of each month whose record has none and add its SHA-256 to the
    record, sealed again (see the module's docstring); the paths written."""
    written = []
    for period, data in sorted(pdfs.items()):
        record, problems = read_record(root, period)
        if record is None or problems or "pdf" in record:
            continue
        written.append(write_pdf(root, period, data))
        record = {k: v for k, v in record.items() if k != "seal"}
        record |= {"tongbao_record": RECORD_VERSION, "pdf": sha256(data)}
        record["pdf_added_on"] = today.isoformat()
        record["seal"] = seal_of(record)
        text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        path = root / layout.record(period)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_bytes((text + "\n").encode("utf-8"))
        tmp.replace(path)
        written.append(layout.record(period))
    return written
