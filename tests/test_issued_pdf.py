"""The PDF as issued (published/YYYY-MM.pdf) is kept byte for byte and never typeset again."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import BASIC_TODAY, CASES

from tongbao import pipeline
from tongbao.compute.record import read_record
from tongbao.document import making
from tongbao.document.pdf import TEMPLATE

FEBRUARY = "---\nissue: 2\nissued: 2024-03-10\nunreported: [乙区]\n---\n正文。\n"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def typeset(monkeypatch) -> list[str]:
    """The 印发日期 of every bulletin typeset (the documents are made in this process:
    fewer than making.POOL_THRESHOLD)."""
    dates: list[str] = []
    real = making.pdf_bytes

    def counting(doc, *args, **kwargs):
        dates.append(doc.issued)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(making, "pdf_bytes", counting)
    return dates


def test_a_template_change_leaves_an_issued_month_byte_identical(basic_root: Path, typeset):
    (basic_root / "content/2024-02.md").write_text(FEBRUARY, encoding="utf-8")
    first = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not first.report.errors, first.report.format()
    # the new month's record and the PDF this build published for it, its hash sealed in
    assert first.recorded == ["published/2024-02.pdf", "published/2024-02.json"]
    kept = basic_root / "published/2024-02.pdf"
    site = basic_root / "site/bulletins"
    assert kept.read_bytes() == (site / "2024-02.pdf").read_bytes()
    record, problems = read_record(basic_root, "2024-02")
    assert not problems and record is not None and record["pdf"] == sha256(kept)
    before = {name: (site / name).read_bytes() for name in ("2024-01.pdf", "2024-02.pdf")}

    # the bureau changes its layout: red 版头 becomes blue
    own = basic_root / "templates/document/bulletin.typ"
    own.parent.mkdir(parents=True)
    layout = TEMPLATE.read_text(encoding="utf-8")
    assert '#let red = rgb("#e60000")' in layout
    own.write_text(layout.replace('rgb("#e60000")', 'rgb("#0000e6")'), encoding="utf-8")
    typeset.clear()
    again = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not again.report.errors and again.recorded == [], again.report.format()
    assert (site / "2024-02.pdf").read_bytes() == before["2024-02.pdf"] == kept.read_bytes()
    assert (site / "2024-01.pdf").read_bytes() != before["2024-01.pdf"]  # not issued: new layout
    # the issued month is not typeset at all (its Word file still is made)
    assert "2024-03-10" not in typeset and typeset, typeset
    assert (site / "2024-02.docx").read_bytes().startswith(b"PK")
    # March, issued before the change, keeps its bytes too
    assert (site / "2024-03.pdf").read_bytes() == (
        CASES / "basic/published/2024-03.pdf"
    ).read_bytes()


def correct_march(root: Path) -> None:
    """甲区's 签约金额 40 → 46, under the revision March's front matter already has."""
    report = root / "data/2024-03/report.csv"
    text = report.read_text(encoding="utf-8")
    assert "甲区,5,40" in text
    report.write_text(text.replace("甲区,5,40", "甲区,5,46"), encoding="utf-8")


def test_a_corrected_month_links_the_kept_bytes_as_its_original(basic_root: Path, typeset):
    correct_march(basic_root)
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    assert "2024-03" in checked.corrections and checked.kept["2024-03"]
    site = basic_root / "site/bulletins"
    kept = (basic_root / "published/2024-03.pdf").read_bytes()
    assert (site / "2024-03-original.pdf").read_bytes() == kept
    assert (site / "2024-03.pdf").read_bytes() != kept  # the corrected one, typeset
    assert 'href="2024-03-original.pdf"' in (site / "2024-03.html").read_text(encoding="utf-8")
    # one March typeset (the corrected one), not its 原版 again from the record
    assert typeset.count("2024-04-10") == 1


@pytest.mark.parametrize("how", ["tampered", "missing"])
def test_a_changed_kept_pdf_is_refused_naming_the_file(basic_root: Path, how: str):
    kept = basic_root / "published/2024-03.pdf"
    if how == "missing":
        kept.unlink()
    else:
        kept.write_bytes(kept.read_bytes() + b"% saved again by a viewer\n")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    found = [i for i in checked.report.errors if i.code == "issued-pdf-changed"]
    assert [i.file for i in found] == ["published/2024-03.pdf"]
    assert "published/2024-03.pdf" in found[0].message and "git checkout" in found[0].message
    assert not (basic_root / "site").exists()
    assert kept.exists() == (how == "tampered")  # never written again by the build


def test_an_older_record_gets_its_pdf_by_a_sealed_upgrade(basic_root: Path):
    old = CASES / "errors/issued-pdf-missing/files/published/2024-03.json"
    shutil.copy(old, basic_root / "published/2024-03.json")
    (basic_root / "published/2024-03.pdf").unlink()
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert ["published/2024-03.pdf"] == [
        i.file for i in checked.report.warnings if i.code == "issued-pdf-missing"
    ]
    correct_march(basic_root)  # corrected: what is kept is its 原版, made from the record
    built = pipeline.build(basic_root, today=BASIC_TODAY)
    assert built.recorded == ["published/2024-03.pdf", "published/2024-03.json"]
    assert "issued-pdf-missing" not in built.report.codes()
    kept = basic_root / "published/2024-03.pdf"
    site = basic_root / "site/bulletins"
    assert kept.read_bytes() == (site / "2024-03-original.pdf").read_bytes()
    assert kept.read_bytes() != (site / "2024-03.pdf").read_bytes()
    record, problems = read_record(basic_root, "2024-03")
    assert not problems and record is not None
    before = json.loads(old.read_text(encoding="utf-8"))
    assert record["pdf"] == sha256(kept) and record["pdf_added_on"] == BASIC_TODAY.isoformat()
    added = {"pdf", "pdf_added_on", "seal", "tongbao_record"}
    assert {k: v for k, v in record.items() if k not in added} == {
        k: v for k, v in before.items() if k not in added
    }
    again = pipeline.build(basic_root, today=BASIC_TODAY)
    assert again.recorded == [] and "issued-pdf-missing" not in again.report.codes()


def test_a_withdrawn_month_keeps_its_pdf_as_issued(basic_root: Path):
    path = basic_root / "content/2024-03.md"
    text = path.read_text(encoding="utf-8")
    withdrawn = "withdrawn:\n  date: 2024-04-14\n  reason: 数据口径有误，另行印发\n"
    path.write_text(text.replace("---\n", "---\n" + withdrawn, 1), encoding="utf-8")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    assert "2024-03" in checked.withdrawn
    kept = (basic_root / "published/2024-03.pdf").read_bytes()
    assert (basic_root / "site/bulletins/2024-03.pdf").read_bytes() == kept
