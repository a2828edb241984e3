"""Serve: a live preview on 127.0.0.1 that rebuilds when data, commentary or templates change.

The site is built with `pipeline.build` into a temporary folder (never
`site/`), served by the standard library's ThreadingHTTPServer, and rebuilt
when a watched file changes. While the check fails, every path answers
with the list of problems, so the clerk fixes the file and the page comes
back by itself. Reloading is a small script added to HTML responses on the
way out (never to the built files) that polls `/__tongbao_version`.

A commentary-only save takes the quick path (`tongbao.preview.quick`); any other save is
shown by a build of the pages alone (no new PDF, Word or Excel file, the last search
index);
the whole site, search included, is rebuilt once the files have been quiet for
`catch_up` seconds.

Watching is by polling file times and sizes: it needs nothing beyond the
standard library, works on network drives and shared folders where file
system events never arrive, and a few thousand `stat` calls a second cost
nothing next to a build.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from .. import layout, pipeline
from ..compute.release import held_back
from . import quick
from .page import (
    VERSION_PATH,
    State,
    error_page,
    inject,
    preview_bar,
    reload_script,
    with_review_banner,
)

HOST = "127.0.0.1"
WATCHED = ("data", "content", "templates", "mkdocs.yml")
# Editors' and Excel's lock, backup and temporary files: not inputs, not worth a rebuild.
IGNORED_PREFIXES = (".", "~")
IGNORED_SUFFIXES = (".tmp", ".swp", ".bak", "~")


def watched_files(root: Path) -> dict[str, tuple[int, int]]:
    """Every input file under the watched paths → (modification time in ns, size)."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        for path in paths:
            if path.name.startswith(IGNORED_PREFIXES) or path.name.endswith(IGNORED_SUFFIXES):
                continue
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            if path.is_file():
                found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def build_preview(
    root: Path,
    *,
    site_dir: Path,
    today: date | None,
    strict: bool,
    complete: bool = True,
    session: pipeline.Session | None = None,
) -> pipeline.Checked:
    """Drafts belong in the preview: the clerk previews the month being written.
    `complete=False`: the pages first; downloads and search follow (pipeline.build)."""
    return pipeline.build(
        root,
        strict=strict,
        site_dir=site_dir,
        today=today,
        drafts=True,
        record=False,
        complete=complete,
        session=session,
    )


class Preview:
    """The preview server: `start()`, then `url`; `stop()` ends it and removes its files."""

    def __init__(
        self,
        root: Path,
        *,
        port: int = 8000,
        today: date | None = None,
        strict: bool = False,
        interval: float = 0.1,
        log: TextIO | None = None,
        catch_up: float = 2.0,
    ):
        self.root = root.resolve()
        self.port = port
        self.today = today
        self.strict = strict
        self.interval = interval
        self.log = log
        self.catch_up = catch_up  # quiet seconds after a quick update before the full build
        self.quick_updates = 0  # edits shown by the quick path (tests read it)
        self._checked: pipeline.Checked | None = None  # the last full build's, while it is good
        self._stale = False  # a quick update left the search index and the rest behind
        self._building = False
        self._state = State()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._seen: dict[str, tuple[int, int]] = {}
        self._folder: Path | None = None
        self.server: ThreadingHTTPServer | None = None
        # products and SVG workers kept between rebuilds (made in start())
        self.session = pipeline.Session()

    @property
    def site_dir(self) -> Path:
        assert self._folder is not None, "start() first"
        return self._folder / "site"

    @property
    def url(self) -> str:
        assert self.server is not None, "start() first"
        return f"http://{HOST}:{self.server.server_address[1]}/"

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    @property
    def pending(self) -> bool:
        """A build is running or due (after a quick update): the site is not final yet."""
        return self._building or self._stale

    def start(self) -> None:
        """Bind the port (a busy port fails here, before any build), build once, serve, watch."""
        handler = partial(PreviewHandler, preview=self)
        self.server = ThreadingHTTPServer((HOST, self.port), handler)
        self.server.daemon_threads = True
        self._folder = Path(tempfile.mkdtemp(prefix="tongbao-preview-"))
        self.session = pipeline.Session.kept_between_builds()
        self._say("正在生成预览……")
        self._seen = watched_files(self.root)
        self.rebuild()
        for target in (self._serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True, name=f"tongbao-{target.__name__}")
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            if self._threads:
                self.server.shutdown()
            self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=60)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self.session.close()

    def _serve_forever(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.2)

    def _say(self, text: str) -> None:
        if self.log is not None:
            print(text, file=self.log, flush=True)

    def rebuild(self, *, catching_up: bool = False, complete: bool = True) -> State:
        """Build into the preview folder; whatever happens, the server gets a new state.

        `catching_up`: after quick updates: a new version only if the outcome differs.
        `complete=False`: every page, but the downloads (PDF, Word, Excel) and the search
        index wait for the complete build that follows when the files are quiet."""
        started = time.monotonic()
        self._building, self._stale, self._checked = True, False, None
        stamp = time.strftime("%H:%M:%S")
        problem, warnings = None, ""
        drafts: tuple[str, ...] = ()
        unissued: frozenset[str] = frozenset()
        try:
            checked = build_preview(
                self.root,
                site_dir=self.site_dir,
                today=self.today,
                strict=self.strict,
                complete=complete,
                session=self.session,
            )
        except Exception as exc:  # a broken template or MkDocs failure must not end the preview
            problem = f"生成网站时出错：{exc}"
            self._say(traceback.format_exc())
        else:
            report = checked.report
            if report.failed(strict=self.strict):
                problem = report.format(include_notices=False)
            elif report.warnings:
                warnings = report.format(include_notices=False)
            if checked.data is not None:
                drafts = tuple(
                    p for p in sorted(checked.figures) if pipeline.is_draft(checked.data, p)
                )
                ahead = held_back(checked.data, sorted(checked.figures), self.today or date.today())
                unissued = frozenset(
                    layout.html(layout.bulletin_page(p)) for p in set(drafts) | set(ahead)
                )
            if problem is None:
                self._checked = checked
        with self._lock:
            old = self._state
            same = (old.problem, old.warnings, old.drafts, old.unissued) == (
                problem,
                warnings,
                drafts,
                unissued,
            )
            version = old.version if catching_up and same else old.version + 1
            self._state = State(version, problem, warnings, drafts, True, stamp, unissued)
        self._stale = problem is None and not complete
        self._building = False
        took = time.monotonic() - started
        later = "，PDF、Word、Excel 下载和搜索稍后更新" if self._stale else ""
        if problem is None:
            self._say(f"[{stamp}] 预览已更新（{took:.1f} 秒{later}）：{self.url}")
        else:
            self._say(f"[{stamp}] 检查未通过，页面显示问题清单：\n{problem}")
        return self._state

    def update_quickly(self, changed: set[str], current: dict[str, tuple[int, int]]) -> bool:
        """The quick path for a commentary-only save; False: a full build is needed."""
        if self._checked is None or self.state.problem is not None:
            return False
        started = time.monotonic()
        months = quick.update(
            self.root, self._checked, changed, current, self.site_dir, session=self.session
        )
        if months is None:
            return False
        stamp = time.strftime("%H:%M:%S")
        with self._lock:
            self._state = replace(self._state, version=self._state.version + 1, built_at=stamp)
        self.quick_updates += 1
        self._stale = True
        took = time.monotonic() - started
        self._say(f"[{stamp}] 评述已更新（{took:.2f} 秒，搜索稍后更新）：{'、'.join(months)}")
        return True

    def _watch(self) -> None:
        quiet_since = time.monotonic()
        while not self._stop.wait(self.interval):
            current = watched_files(self.root)
            if current == self._seen:
                if self._stale and time.monotonic() - quiet_since >= self.catch_up:
                    self.rebuild(catching_up=True)
                continue
            # Excel and editors save in several steps: wait until the files stop changing.
            while not self._stop.wait(self.interval):
                later = watched_files(self.root)
                if later == current:
                    break
                current = later
            if self._stop.is_set():
                return
            changed = quick.changed_paths(self._seen, current)
            self._seen = current
            if not self.update_quickly(changed, current):
                self.rebuild(complete=False)
            quiet_since = time.monotonic()


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=str(preview.site_dir), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _send(self, status: int, body: bytes, content_type: str, *, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _respond(self, *, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        state = self.preview.state
        if path == VERSION_PATH:
            fields = {"version": state.version, "ok": state.problem is None}
            body = json.dumps(fields | {"pending": self.preview.pending})
            self._send(200, body.encode(), "application/json", head=head)
            return
        script = reload_script(state.version)
        if state.problem is not None:
            page = inject(error_page(state).encode("utf-8"), script)
            self._send(500, page, "text/html; charset=utf-8", head=head)
            return
        file = Path(self.translate_path(self.path))
        if file.is_dir():
            if not path.endswith("/"):
                self._pass_on(head=head)  # the base class redirects to the folder's URL
                return
            file = file / "index.html"
        status = 200
        if not file.is_file():
            status, file = 404, self.preview.site_dir / layout.NOT_FOUND
            if not file.is_file():
                self.send_error(404, "Not found")
                return
        if file.suffix.lower() in {".html", ".htm"}:
            page = file.read_bytes()
            if status == 200 and self._relative(file) in state.unissued:
                page = with_review_banner(page)
            page = inject(page, preview_bar(state) + script)
            self._send(status, page, "text/html; charset=utf-8", head=head)
            return
        self._pass_on(head=head)

    def _relative(self, file: Path) -> str:
        try:
            return file.resolve().relative_to(self.preview.site_dir.resolve()).as_posix()
        except ValueError:
            return ""

    def _pass_on(self, *, head: bool) -> None:
        if head:
            super().do_HEAD()
        else:
            super().do_GET()


def serve(
    root: Path,
    *,
    port: int = 8000,
    stop_event: threading.Event,
    today: date | None = None,
    strict: bool = False,
    interval: float = 0.1,
    log: TextIO | None = sys.stderr,
    ready: Callable[[Preview], object] | None = None,
) -> None:
    """Preview until `stop_event` is set (or Ctrl+C). `ready(preview)` is called once serving."""
    preview = Preview(root, port=port, today=today, strict=strict, interval=interval, log=log)
    try:
        preview.start()
        if log is not None:
            print(
                f"预览地址：{preview.url}（修改数据、评述或模板后自动刷新；按 Ctrl+C 停止）",
                file=log,
            )
        if ready is not None:
            ready(preview)
        # A timed wait: Ctrl+C interrupts it on every platform.
        while not stop_event.wait(0.5):
            pass
    finally:
        preview.stop()
