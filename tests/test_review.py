"""`build.py review YYYY-MM`: the 送审稿 for sign-off, outside site/, and the preview's banner."""

from __future__ import annotations

import hashlib
import queue
import threading
import urllib.request
from pathlib import Path

import pdfplumber
from conftest import BASIC_TODAY

from tongbao import cli, pipeline
from tongbao.preview.review import review
from tongbao.preview.serve import serve

# February prepared for sign-off: a draft, its 印发日期 still ahead of the build day
DRAFT = "---\nissue: 2\nissued: 2024-05-10\ndraft: true\nunreported: [乙区]\n---\n二月正文。\n"
BANNER = "tb-review-banner"


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def test_review_writes_the_watermarked_pdf_and_the_page_outside_site(basic_root: Path):
    (basic_root / "content/2024-02.md").write_text(DRAFT, encoding="utf-8")
    built = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not built.report.errors, built.report.format()
    site = basic_root / "site"
    assert not (site / "bulletins/2024-02.html").exists()  # a draft is not published
    before, records = tree_hash(site), tree_hash(basic_root / "published")

    done = review(basic_root, "2024-02", today=BASIC_TODAY)
    assert not done.checked.report.errors, done.checked.report.format()
    pdf = basic_root / "review/2024-02/送审稿-2024-02.pdf"
    assert done.pdf == pdf
    with pdfplumber.open(pdf) as document:
        pages = [page.extract_text() or "" for page in document.pages]
    assert len(pages) >= 2 and all("送审稿" in text for text in pages)
    assert all(role in pages[-1] for role in ("签发单", "拟稿", "核稿", "签发", "日期"))
    assert "二月正文" in "".join(pages).replace("\n", "")
    page = (basic_root / "review/2024-02/site/bulletins/2024-02.html").read_text(encoding="utf-8")
    assert page.count(BANNER) == 1 and "送审稿" in page and "二月正文" in page
    other = basic_root / "review/2024-02/site/bulletins/2024-03.html"
    assert BANNER not in other.read_text(encoding="utf-8")  # only the month under review
    # nothing reaches site/, no record and no kept PDF is written
    assert tree_hash(site) == before and tree_hash(basic_root / "published") == records
    assert sorted(p.name for p in (basic_root / "published").iterdir()) == [
        "2024-03.json",
        "2024-03.pdf",
    ]
    # the issued PDF carries neither the watermark nor the 签发单
    with pdfplumber.open(site / "bulletins/2024-03.pdf") as document:
        issued = "".join(page.extract_text() or "" for page in document.pages)
    assert "送审稿" not in issued and "签发单" not in issued


def test_the_review_command_exit_codes(basic_root: Path, capsys):
    assert cli.main(["review", "--root", str(basic_root)]) == 2  # no month
    assert cli.main(["review", "2024-13", "--root", str(basic_root)]) == 2
    assert cli.main(["review", "2023-07", "--root", str(basic_root), "--quiet"]) == 1  # no data
    assert "2023-07" in capsys.readouterr().err
    assert not (basic_root / "site").exists()
    assert cli.main(["review", "2024-01", "--root", str(basic_root), "--quiet"]) == 0
    assert "review/2024-01/送审稿-2024-01.pdf" in capsys.readouterr().out
    assert (basic_root / "review/2024-01/送审稿-2024-01.pdf").read_bytes().startswith(b"%PDF")
    assert not (basic_root / "site").exists()


def test_serve_shows_drafts_and_unreleased_months_with_the_banner(basic_root: Path):
    (basic_root / "content/2024-02.md").write_text(DRAFT, encoding="utf-8")
    stop = threading.Event()
    ready: queue.Queue = queue.Queue()
    thread = threading.Thread(
        target=serve,
        args=(basic_root,),
        kwargs=dict(port=0, stop_event=stop, today=BASIC_TODAY, log=None, ready=ready.put),
        daemon=True,
    )
    thread.start()
    try:
        base = ready.get(timeout=120).url

        def page(name: str) -> str:
            with urllib.request.urlopen(base + name, timeout=10) as response:
                return response.read().decode("utf-8")

        assert page("bulletins/2024-02.html").count(BANNER) == 1
        assert BANNER not in page("bulletins/2024-03.html")  # issued
    finally:
        stop.set()
        thread.join(timeout=30)
