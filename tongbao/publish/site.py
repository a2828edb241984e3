"""Site: the generated pages → one MkDocs build → an atomic swap into `site/`.

The only stage that writes outside the cache. MkDocs is a thin adapter:
generated Markdown plus one build with the bureau's `mkdocs.yml`; the site
is built in a temporary folder next to `site/` and swapped in whole, so a
failed or killed build leaves the last good site untouched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import keys, layout
from ..cache import compiled_templates
from ..pages.access import ScopedHeaders
from ..pages.tree import INLINE, expand
from ..progress import Progress
from . import reuse, search_source

RENAME_EXCHANGE = 2  # linux/fs.h
# sitemap: ours is dated by 印发日期, MkDocs' by the clock; latest.html: a plain redirect
# page that the navigation links to (MkDocs would make a page of it)
WRITTEN_AFTER_MKDOCS = (layout.SITEMAP, layout.LATEST)


class BuildFailed(Exception):
    pass


def write_tree(
    tree: dict[str, str | bytes], folder: Path, digests: dict[str, str] | None = None
) -> int:
    """Write the docs tree; files whose bytes did not change are left alone. Returns files
    written. `digests` (reuse.digests of `tree`): a file whose digest is the one written
    last time, at the same size, is not even read back."""
    record = folder.with_name(folder.name + "-digests.json")
    try:
        before = json.loads(record.read_text(encoding="utf-8")) if digests else {}
    except (OSError, ValueError):
        before = {}
    record.unlink(missing_ok=True)  # a build killed while writing trusts no digest
    written = 0
    wanted = set()
    for rel, content in sorted(tree.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = folder / rel
        wanted.add(path)
        if digests and before.get(rel) == digests[rel]:
            try:
                if path.stat().st_size == len(data):
                    continue
            except FileNotFoundError:
                pass
        elif path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if digests:
        record.write_text(json.dumps(digests), encoding="utf-8")
    return written


class InlineHTML:
    """A MkDocs plugin, registered in-process: puts our raw HTML (tables, charts) into
    the final pages, where the generated Markdown left a placeholder comment.

    Markdown then parses only headings and placeholders; Pagefind indexes the final
    files, so search still sees every table. Blocks may hold placeholders (charts):
    those of `later` (charts still being drawn) stay, and `waiting` lists the pages
    that hold one (`build_site` puts the charts in once they are drawn).
    """

    def __init__(self, blocks: dict[str, str], later: frozenset[str] = frozenset()):
        self.blocks, self.later = blocks, later
        self.waiting: list[str] = []

    def on_post_page(self, output: str, page, config) -> str:
        html = expand(output, self.blocks, self.later)
        if self.later and INLINE.search(html):
            self.waiting.append(page.file.dest_uri)
        return html


@dataclass
class Deferred:
    """What MkDocs need not wait for: the charts, drawn meanwhile in worker processes,
    and the files made with them (a new month's PDF and Word). `charts`: the
    placeholders left in the pages; `files`: paths in the tree only as stand-ins;
    `make()` waits for them and returns (chart SVG by placeholder, file by path);
    `cancel()` lets the drawing go when the build fails before that."""

    charts: frozenset[str]
    files: frozenset[str]
    make: Callable[[], tuple[dict[str, str], dict[str, bytes]]]
    cancel: Callable[[], None]


class CompiledTemplates:
    """A MkDocs plugin (registered in-process): the theme's templates compiled once and
    kept (a Jinja bytecode cache); compiling Material's templates costs more than
    rendering a few pages with them."""

    def __init__(self, folder: Path):
        self.folder = folder

    def on_env(self, env, config, files):
        env.bytecode_cache = compiled_templates(self.folder)
        return env


def mkdocs_build(
    root: Path,
    docs_dir: Path,
    site_dir: Path,
    *,
    nav: list,
    strict: bool,
    inline: dict[str, str] | None = None,
    later: frozenset[str] = frozenset(),
    reusing: Reusing | None = None,
    kept: Path | None = None,
) -> tuple[str, list[str]]:
    """Build the pages into `site_dir`; returns the key of what every page shares
    (`reuse.context`) and the pages still holding a placeholder of `later`. `reusing`:
    the published site and its manifest, whose unchanged files are linked rather than
    rendered again; `kept`: a folder for what MkDocs would otherwise make anew each time
    (compiled templates, the theme's list of files)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(
            config_file=str(root / "mkdocs.yml"),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            nav=nav,
            strict=strict,
        )
        blocks = InlineHTML(inline or {}, later)
        config.plugins["tongbao-inline-html"] = blocks  # type: ignore[assignment]
        # after the HTML blocks are in place: every table header gets its scope
        config.plugins["tongbao-scoped-headers"] = ScopedHeaders()  # type: ignore[assignment]
        if kept is not None:
            config.plugins["tongbao-compiled"] = CompiledTemplates(kept / "jinja")  # type: ignore[assignment]
            reuse.theme_listed_once(root, config, kept)
        # The navigation is tongbao's own: its 最新通报 entry is bulletins/latest.html, a
        # file written after MkDocs (so that no archived page names the newest issue),
        # which MkDocs would otherwise report as a page it cannot find.
        config.validation.nav.not_found = min(logging.INFO, config.validation.nav.not_found)
        shared = reuse.context(root, config, nav, strict)
        same = reusing.unchanged(shared) if reusing else set()
        if same:
            plugin = reuse.ReusePlugin(reusing.published, same, theme=True)  # type: ignore[union-attr]
            config.plugins["tongbao-reuse"] = plugin  # type: ignore[assignment]
        # MkDocs dates some output by the clock unless told otherwise: the site must
        # depend only on its inputs (dates come from the data and front matter).
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "946684800"  # 2000-01-01
        quiet = reuse.QuietDirty()
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        try:
            build(config, dirty=bool(same))
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous
    except (Abort, MkDocsException) as exc:
        raise BuildFailed(f"MkDocs 构建失败：{exc}") from None
    return shared, blocks.waiting


@dataclass
class Reusing:
    """The published site and what it was built from (see tongbao/publish/reuse.py)."""

    published: Path
    previous: reuse.Manifest | None
    state: str
    files: dict[str, str]
    tree: dict[str, str | bytes]

    def unchanged(self, shared: str) -> set[str]:
        return reuse.unchanged(self.previous, shared, self.state, self.files, self.tree)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported
    (Windows, macOS, old kernels, filesystems without it): `publish` then falls back."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def publish(staging: Path, site_dir: Path) -> None:
    """Swap the freshly built folder in for `site/`, then drop the old one."""
    if site_dir.exists() and _exchange(staging, site_dir):
        shutil.rmtree(staging)
        return
    # Fallback, two renames (Windows, macOS): a kill between them leaves `site.old`, which
    # `recover` puts back. os.replace cannot put a folder over an existing one on Windows.
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists():
        _remove_read_only_too(old)
    if site_dir.exists():
        _rename(site_dir, old)
    _rename(staging, site_dir)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)  # a file still open on Windows: removed next time


def _rename(source: Path, target: Path, *, attempts: int = 10) -> None:
    """Rename a folder; on Windows a virus scanner or indexer may hold a file for a moment."""
    for attempt in range(attempts):
        try:
            source.rename(target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


def _make_writable_and_retry(function, path, _exc_info) -> None:
    """Windows refuses to delete read-only files: clear the flag and try again."""
    os.chmod(path, stat.S_IWRITE)
    function(path)


def _remove_read_only_too(folder: Path) -> None:
    # Python 3.12 renamed rmtree's error hook (onerror → onexc, same three arguments)
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=_make_writable_and_retry)
    else:
        shutil.rmtree(folder, onerror=_make_writable_and_retry)


def recover(site_dir: Path) -> None:
    """A build killed between the two renames of the fallback path left `site.old`."""
    old = site_dir.with_name(site_dir.name + ".old")
    if old.exists() and not site_dir.exists():
        old.rename(site_dir)
    for stale in site_dir.parent.glob(f".{site_dir.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_site(
    root: Path,
    tree: dict[str, str | bytes],
    *,
    site_dir: Path,
    work_dir: Path,
    nav: list,
    strict: bool,
    site_url: str | None = None,
    progress: Progress | None = None,
    search: bool = True,
    deferred: Deferred | None = None,
) -> str:
    """Publish `tree` to `site_dir`; returns the published folder's state (keys.site_state).
    `search=False`: keep the published site's search index (the preview's first pass;
    Pagefind reads every page, so it comes later). `deferred`: the charts and the files
    made with them, put in after MkDocs, while Pagefind indexes the pages (their words
    do not wait for the charts)."""
    progress = progress or Progress()
    recover(site_dir)
    docs = work_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    # files that replace what MkDocs itself writes under the same name
    after = {path: tree[path] for path in WRITTEN_AFTER_MKDOCS if path in tree}
    pages = {path: content for path, content in tree.items() if path not in after}
    inline = getattr(tree, "inline", {})
    files = reuse.digests(pages, inline)
    write_tree(pages, docs, files)
    previous = reuse.load(work_dir, site_dir)
    reusing = Reusing(site_dir, previous, keys.site_state(site_dir), files, pages)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        with progress.stage("MkDocs"):
            shared, waiting = mkdocs_build(
                root,
                docs,
                staging,
                nav=nav,
                strict=strict,
                inline=inline,
                later=deferred.charts if deferred else frozenset(),
                reusing=reusing,
                kept=work_dir / "theme",
            )
        cuts = work_dir / "search"
        # a thread (Pagefind is a process of its own) while the charts are waited for
        with ThreadPoolExecutor(1) as pool:
            indexing = None
            if search:
                parts = search_source.prepare(staging, cuts)  # before any page is rewritten
                indexing = pool.submit(search_source.index_search, staging, parts, cuts / "index")
            else:
                reuse.link_folder(site_dir / layout.SEARCH_INDEX, staging / layout.SEARCH_INDEX)
            if deferred:
                charts, made = deferred.make()
                if deferred.files - made.keys():  # never a stand-in published
                    raise BuildFailed(f"未生成：{'、'.join(sorted(deferred.files - made.keys()))}")
                for page in waiting:  # (MkDocs put every other block in)
                    html = (staging / page).read_text(encoding="utf-8")
                    write_fresh(staging / page, expand(html, charts).encode("utf-8"))
                for path, data in made.items():
                    write_fresh(staging / path, data)
            if indexing is not None:
                with progress.stage("搜索索引 Pagefind"):
                    try:
                        indexing.result()
                    except search_source.IndexFailed as exc:
                        raise BuildFailed(str(exc)) from None
                search_source.settled(staging, cuts, waiting)
        with progress.stage("发布 publish"):
            for path, content in after.items():
                data = content.encode() if isinstance(content, str) else content
                write_fresh(staging / path, data)
            normalize_output(staging, relative_404=not site_url)
            reuse.forget(work_dir, site_dir)
            publish(staging, site_dir)
            state = keys.site_state(site_dir)
            reuse.save(work_dir, site_dir, reuse.Manifest(shared, state, reusing.files))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return state


def normalize_output(site: Path, *, relative_404: bool = True) -> None:
    """Drop what MkDocs writes that is not ours to publish, and make the tree deterministic."""
    os.chmod(site, 0o755)
    page = site / layout.NOT_FOUND
    if relative_404 and page.exists():
        # Without site_url MkDocs links the 404 page from "/": wrong under a sub-path.
        html = page.read_text(encoding="utf-8")
        html = re.sub(r'(href|src)="/(?!/)', r'\1="./', html).replace('"base": "/"', '"base": "."')
        write_fresh(page, html.encode("utf-8"))
    for name in (layout.SITEMAP + ".gz",):
        path = site / name
        if path.exists():
            path.unlink()
    for path in site.rglob("*"):
        if path.is_file():
            os.chmod(path, 0o644)
        elif path.is_dir():
            os.chmod(path, 0o755)


def write_fresh(path: Path, data: bytes) -> None:
    """A new file in the site being built: never through a hard link into the published
    one (tongbao/publish/reuse.py links unchanged files)."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def tree_digest(folder: Path) -> str:
    """A hash over every file's path and bytes: what tests compare."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
