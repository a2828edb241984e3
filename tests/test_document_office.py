"""The .docx as an office suite lays it out: the latest demo month's Word file converted
to PDF by LibreOffice headless (Debian's libreoffice-writer-nogui), as a clerk's Word or
WPS would show it. The charts are pictures, the pages carry `— N —` at the right (odd)
or the left (even), and the page count is close to the Typst PDF's.

On a laptop without LibreOffice the test skips; under CI (CI=true) that is a failure
(.ci/run installs it), as for Chromium in tests/conftest.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pytest

PAGE_NUMBER = re.compile(r"—\s*(\d+)\s*—")


@pytest.fixture(scope="module")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but LibreOffice is not installed: "
                ".ci/run must apt-get install libreoffice-writer-nogui"
            )
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    return path


def converted(soffice: str, docx_path: Path, out: Path) -> Path:
    """The .docx as LibreOffice prints it, with a profile of its own (another soffice
    running on the machine would otherwise take the job, or lock the profile)."""
    profile = (out / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / (docx_path.stem + ".pdf")


def paper_charts(site: Path, period: str) -> list[str]:
    """The charts a bulletin prints (chart 1 of each group, chart 2 of 签约金额), by the
    page's chart downloads (one CSV a chart): independent of the .docx."""
    folder = site / "downloads" / period
    names = sorted(p.stem for p in folder.glob("chart-1-*.csv"))
    return names + [p.stem for p in folder.glob("chart-2-signed_amount.csv")]


def test_libreoffice_shows_the_charts_page_numbers_and_the_pdfs_length(
    soffice: str, demo_site: Path, tmp_path: Path
):
    """Page count rule: the converted .docx has within 25% of the Typst PDF's pages, or
    within 2 pages (whichever allows more): LibreOffice sets the text in fallback fonts
    (no 仿宋_GB2312 here), so lines break a little differently."""
    period = sorted(p.stem for p in (demo_site / "data").glob("20??-??.json"))[-1]
    word_file = demo_site / "bulletins" / f"{period}.docx"
    charts = paper_charts(demo_site, period)
    assert len(charts) >= 2
    assert len(docx.Document(str(word_file)).inline_shapes) == len(charts)

    pdf_path = converted(soffice, word_file, tmp_path)
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        pictures = sum(len(p.images) for p in pages)
        numbers = []
        for page in pages:
            text = page.extract_text() or ""
            found = PAGE_NUMBER.findall(text.replace("\n", " "))
            assert found, f"page {page.page_number} has no — N —"
            numbers.append(int(found[-1]))
            dashes = [c for c in page.chars if c["text"] == "—" and c["top"] > page.height * 0.8]
            middle = sum(c["x0"] for c in dashes) / len(dashes)
            odd = page.page_number % 2 == 1
            assert (middle > page.width / 2) == odd, (page.page_number, middle)
        converted_pages = len(pages)
    assert pictures >= len(charts)
    assert numbers == list(range(1, converted_pages + 1))
    with pdfplumber.open(demo_site / "bulletins" / f"{period}.pdf") as pdf:
        typst_pages = len(pdf.pages)
    allowed = max(2, round(0.25 * typst_pages))
    assert abs(converted_pages - typst_pages) <= allowed, (converted_pages, typst_pages)
