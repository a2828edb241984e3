"""One MkDocs build of the generated pages, with tongbao's in-process plugins: the raw
HTML blocks put in after Markdown (InlineHTML), the theme's templates compiled once,
scoped table headers, and the unchanged files linked from the published site."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..cache import compiled_templates
from ..pages.access import ScopedHeaders
from ..pages.tree import INLINE, expand
from . import reuse


class BuildFailed(Exception):
    """MkDocs, Pagefind or a document failed: nothing is published."""


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
