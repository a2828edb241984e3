"""`build.py serve`: a real preview server on 127.0.0.1 that rebuilds and reloads on edits."""

from __future__ import annotations

import json
import queue
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.preview.serve import (
    VERSION_PATH,
    Preview,
    State,
    error_page,
    inject,
    preview_bar,
    serve,
    watched_files,
)
from tongbao.publish.site import tree_digest

REPORT = "data/2024-03/report.csv"
PAGE = "bulletins/2024-03.html"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def version(base: str) -> int:
    return json.loads(fetch(base + VERSION_PATH.lstrip("/"))[1])["version"]


def wait_for_rebuild(base: str, seen: int, *, timeout: float = 40) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = version(base)
        if now != seen:
            return now
        time.sleep(0.2)
    raise AssertionError(f"no rebuild within {timeout} s")


def edit(root: Path, old: str, new: str) -> None:
    path = root / REPORT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_previews_rebuilds_and_shows_problems(basic_root: Path, basic_site: Path):
    # Start from the session build's chart cache: the same inputs, so the first build is warm.
    shutil.copytree(basic_site.parent / ".tongbao-cache", basic_root / ".tongbao-cache")
    stop = threading.Event()
    ready: queue.Queue = queue.Queue()
    thread = threading.Thread(
        target=serve,
        args=(basic_root,),
        kwargs=dict(
            port=0, stop_event=stop, today=BASIC_TODAY, interval=0.2, log=None, ready=ready.put
        ),
        daemon=True,
    )
    thread.start()
    try:
        preview = ready.get(timeout=60)
        base = preview.url
        assert base.startswith("http://127.0.0.1:")

        status, page = fetch(base + PAGE)
        assert status == 200
        assert "145.00亿元" in page  # 40 + 40 + 5 + 60; the committee does not count
        assert VERSION_PATH in page  # the reload script, added on the way out…
        built = (preview.site_dir / PAGE).read_text(encoding="utf-8")
        assert VERSION_PATH not in built  # …never written into the built files
        assert fetch(base + "index.html")[0] == 200
        assert fetch(base + "no-such-page.html")[0] == 404
        first = version(base)

        edit(basic_root, "甲区,5,40", "甲区,5,90")
        second = wait_for_rebuild(base, first)
        status, page = fetch(base + PAGE)
        assert status == 200 and "195.00亿元" in page

        edit(basic_root, "甲区,5,90", "甲区,5,<b>约9亿</b>")
        third = wait_for_rebuild(base, second)
        for path in (PAGE, "index.html", "assets/tongbao.css"):
            status, page = fetch(base + path)
            assert status == 500
            assert "检查未通过" in page and "not-a-number" in page
            assert "&lt;b&gt;约9亿&lt;/b&gt;" in page and "<b>约9亿" not in page
            assert VERSION_PATH in page  # fixing the file brings the page back by itself

        edit(basic_root, "甲区,5,<b>约9亿</b>", "甲区,5,40")
        wait_for_rebuild(base, third)
        status, page = fetch(base + PAGE)
        assert status == 200 and "145.00亿元" in page
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert not preview.site_dir.exists()  # the temporary build folder is gone


def test_script_goes_before_the_closing_body_tag():
    assert inject(b"<html><body><p>x</p></BODY></html>", "<s>") == (
        b"<html><body><p>x</p><s></BODY></html>"
    )
    assert inject(b"plain", "<s>") == b"plain<s>"


def test_error_page_escapes_the_report():
    page = error_page(State(version=2, problem='data/x.csv:B2: not-a-number: “<script>"'))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def test_preview_bar_names_drafts_and_escapes_warnings():
    assert preview_bar(State()) == ""
    bar = preview_bar(
        State(drafts=("2024-04",), warnings="  [警告] data/2024-02: not-reported: <乙区>未报送")
    )
    assert "2024-04" in bar and "1 个警告" in bar
    assert "&lt;乙区&gt;" in bar and "<乙区>" not in bar


def test_lock_and_temporary_files_are_not_watched(tmp_path: Path):
    (tmp_path / "data" / "2024-05").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    for name in ("report.xlsx", "~$report.xlsx", ".report.csv.swp", "report.tmp"):
        (tmp_path / "data" / "2024-05" / name).write_bytes(b"x")
    assert sorted(watched_files(tmp_path)) == ["data/2024-05/report.xlsx", "mkdocs.yml"]


def wait_until(check, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def test_a_commentary_edit_takes_the_quick_path_and_equals_a_full_build(
    basic_root: Path, basic_site: Path
):
    shutil.copytree(basic_site.parent / ".tongbao-cache", basic_root / ".tongbao-cache")
    # February, not yet issued: an issued month's text is held to its record, so an edit
    # of it takes a full build (which compares it and shows any 更正说明)
    PAGE = "bulletins/2024-02.html"  # noqa: N806
    commentary = basic_root / "content" / "2024-02.md"
    commentary.write_text("---\nunreported: [乙区]\n---\n## 一、总体情况\n\n正文。\n", "utf-8")
    # no full build after the quick update until the test asks for one
    preview = Preview(basic_root, port=0, today=BASIC_TODAY, log=None, catch_up=3600)
    preview.start()
    try:
        base = preview.url
        original = commentary.read_text(encoding="utf-8")
        assert fetch(base + PAGE)[0] == 200
        first = version(base)

        # body only, front matter untouched; figures still filled in by the sandbox
        commentary.write_text(
            original + '\n丙县签约金额 {{ unit("丙县").signed_amount.ytd | yi }}，另见附表。\n',
            encoding="utf-8",
        )
        wait_until(lambda: "另见附表" in fetch(base + PAGE)[1])
        assert preview.quick_updates == 1  # swapped into the built page, no full build
        assert version(base) == first + 1  # the browser reloads
        assert json.loads(fetch(base + VERSION_PATH.lstrip("/"))[1])["pending"]  # search later
        quick = (preview.site_dir / PAGE).read_bytes()
        assert "另见附表" in quick.decode("utf-8") and VERSION_PATH not in quick.decode("utf-8")

        # the full build that follows writes the very same page
        preview.rebuild(catching_up=True)
        assert (preview.site_dir / PAGE).read_bytes() == quick
        assert not preview.pending

        # a broken reference is the check's business: the full build shows its problems
        commentary.write_text(original + "\n{{ no_such_figure }}\n", encoding="utf-8")
        wait_until(lambda: fetch(base + PAGE)[0] == 500)
        status, page = fetch(base + PAGE)
        assert "检查未通过" in page and "content/2024-02.md" in page
        assert preview.quick_updates == 1

        # fixed: a full build (the page was an error page), then quick again
        commentary.write_text(original, encoding="utf-8")
        wait_until(lambda: fetch(base + PAGE)[0] == 200)
        assert "另见附表" not in fetch(base + PAGE)[1]
        commentary.write_text(original + "\n再次修改。\n", encoding="utf-8")
        wait_until(lambda: "再次修改" in fetch(base + PAGE)[1])
        assert preview.quick_updates == 2
    finally:
        preview.stop()


def test_front_matter_or_data_edits_are_not_quick(tmp_path: Path):
    from tongbao.preview.quick import changed_paths, commentary_periods

    before = {"content/2024-03.md": (1, 10), "data/2024-03/report.csv": (1, 5)}
    after = dict(before, **{"content/2024-03.md": (2, 11)})
    assert commentary_periods(changed_paths(before, after), after) == ["2024-03"]
    data = dict(after, **{"data/2024-03/report.csv": (2, 6)})
    assert commentary_periods(changed_paths(after, data), data) is None
    removed = {"data/2024-03/report.csv": (1, 5)}
    assert commentary_periods(changed_paths(before, removed), removed) is None


def test_a_data_edit_shows_the_pages_first_then_the_complete_site(
    basic_root: Path, basic_site: Path, tmp_path: Path
):
    """A data cell saved: every page with the new figures first (no PDF or Word of the
    edited month yet, the last search index), then, once the files are quiet, the
    complete site, which is the very site a full build writes."""
    shutil.copytree(basic_site.parent / ".tongbao-cache", basic_root / ".tongbao-cache")
    preview = Preview(basic_root, port=0, today=BASIC_TODAY, log=None, catch_up=3600)
    preview.start()
    try:
        base = preview.url
        pdf = preview.site_dir / "bulletins/2024-03.pdf"
        assert pdf.is_file() and (preview.site_dir / "pagefind/pagefind.js").is_file()
        first = version(base)

        edit(basic_root, "甲区,5,40", "甲区,5,90")
        wait_until(lambda: version(base) != first)
        assert version(base) == first + 1 and "195.00亿元" in fetch(base + PAGE)[1]
        assert json.loads(fetch(base + VERSION_PATH.lstrip("/"))[1])["pending"]
        assert not pdf.exists()  # never a document with the figures before the edit
        assert (preview.site_dir / "pagefind/pagefind.js").is_file()  # search still works
        pages = (preview.site_dir / "units/JQ.html").read_text(encoding="utf-8")

        preview.rebuild(catching_up=True)  # what the quiet files bring
        assert not preview.pending and pdf.is_file()
        assert (preview.site_dir / "units/JQ.html").read_text(encoding="utf-8") == pages
        full = tmp_path / "full"
        checked = pipeline.build(
            basic_root, site_dir=full, today=BASIC_TODAY, drafts=True, record=False
        )
        assert not checked.report.errors
        assert tree_digest(full) == tree_digest(preview.site_dir)
    finally:
        preview.stop()
