"""Shared fixtures: the demo site is built once per session; cases are copied to tmp."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from tongbao import pipeline

REPO = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
BASIC_TODAY = date(2024, 4, 15)
sys.path.insert(0, str(CASES))  # tests/cases/make_fixtures.py writes workbooks for tests too


def copy_case(name: str, target: Path) -> Path:
    """A case tree under tests/cases/, copied so a test may edit or build it."""
    root = target / name
    shutil.copytree(CASES / name, root)
    if not (root / "mkdocs.yml").exists():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def basic_root(tmp_path: Path) -> Path:
    return copy_case("basic", tmp_path)


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory) -> Path:
    """The small hand-made case, built once: 5 units, months 2023-03 and 2024-01..03."""
    root = copy_case("basic", tmp_path_factory.mktemp("basic"))
    checked = pipeline.build(root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    return root / "site"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The committed demo (data/, content/), built once per session into a temporary folder,
    with --strict as CI builds it: MkDocs' own link validation and every warning count."""
    site = tmp_path_factory.mktemp("demo") / "site"
    checked = pipeline.build(REPO, site_dir=site, strict=True)
    assert not checked.report.errors, checked.report.format()
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = ""  # serve the folder under this sub-path, like an intranet server does

    def log_message(self, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return str(Path(self.directory) / "__outside_the_sub_path__")
            path = path[len(self.prefix) :]
        return super().translate_path(path)


@pytest.fixture(scope="session")
def serve():
    """serve(folder, prefix="/a/b") → base URL of a local HTTP server on 127.0.0.1 that
    serves the folder at that sub-path (default: the root)."""
    servers = []

    def start(folder: Path, prefix: str = "") -> str:
        handler_class = type("Handler", (_QuietHandler,), {"prefix": prefix.rstrip("/")})
        handler = functools.partial(handler_class, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}/"

    yield start
    for server in servers:
        server.shutdown()


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser.

    On a laptop without Chromium the browser tests skip; under CI (CI=true) that is a failure.
    """
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but Chromium is not installed: .ci/run must apt-get install chromium"
            )
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
