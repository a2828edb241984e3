"""Site: the generated pages → one MkDocs build → an atomic swap into `site/`.

The only stage that writes outside the cache. MkDocs is a thin adapter:
generated Markdown plus one build with the bureau's `mkdocs.yml`; the site
is built in a temporary folder next to `site/` and swapped in whole, so a
failed or killed build leaves the last good site untouched.

Two calls, made in order by the pipeline: `stage_site` writes the pages and runs
MkDocs into the temporary folder (and starts Pagefind on it); `finish_site` puts in
what MkDocs did not wait for (the charts still being drawn, the documents made with
them), waits for the search index and swaps the folder in. `discard` drops a staged
folder when anything between them fails.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import keys, layout
from ..pages.tree import expand
from ..progress import Progress
from . import reuse, search_source
from .mkdocs_run import BuildFailed, Reusing, mkdocs_build, write_tree
from .swap import normalize_output, publish, recover, tree_digest, write_fresh

# sitemap: ours is dated by 印发日期, MkDocs' by the clock; latest.html: a plain redirect
# page that the navigation links to (MkDocs would make a page of it)
WRITTEN_AFTER_MKDOCS = (layout.SITEMAP, layout.LATEST)

__all__ = [
    "BuildFailed",
    "Staged",
    "discard",
    "finish_site",
    "stage_site",
    "tree_digest",
]


@dataclass
class Staged:
    """A site built beside `site/` and not yet published: MkDocs has run; Pagefind may
    be indexing it. `waiting`: the pages still holding a chart placeholder; `later`:
    the paths in it only as stand-ins, until `finish_site` is given them."""

    site_dir: Path
    work_dir: Path
    staging: Path
    shared: str  # what every page shares (reuse.context)
    reusing: Reusing
    after: dict[str, str | bytes]  # written over what MkDocs writes under the same name
    waiting: list[str]
    later: frozenset[str]
    relative_404: bool
    cuts: Path  # the pages as Pagefind reads them (search_source)
    pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1))
    indexing: Future | None = None


def stage_site(
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
    later_charts: frozenset[str] = frozenset(),
    later_files: frozenset[str] = frozenset(),
) -> Staged:
    """Write `tree` and build it with MkDocs beside `site_dir`. `later_charts`: chart
    placeholders MkDocs leaves in the pages; `later_files`: paths in the tree only as
    stand-ins. `search=False`: keep the published site's search index (the preview's
    first pass; Pagefind reads every page, so it comes later); else Pagefind starts now,
    in a thread, on the pages as they are (their words do not wait for the charts)."""
    progress = progress or Progress()
    recover(site_dir)
    docs = work_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
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
                later=later_charts,
                reusing=reusing,
                kept=work_dir / "theme",
            )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staged = Staged(
        site_dir, work_dir, staging, shared, reusing, after, waiting, later_files,
        relative_404=not site_url, cuts=work_dir / "search",
    )  # fmt: skip
    if search:
        parts = search_source.prepare(staging, staged.cuts)  # before any page is rewritten
        staged.indexing = staged.pool.submit(
            search_source.index_search, staging, parts, staged.cuts / "index"
        )
    else:
        reuse.link_folder(site_dir / layout.SEARCH_INDEX, staging / layout.SEARCH_INDEX)
    return staged


def finish_site(
    staged: Staged,
    *,
    charts: dict[str, str],
    files: dict[str, bytes],
    progress: Progress | None = None,
) -> str:
    """Put the charts into the pages waiting for them and the files made meanwhile into
    the staged folder, wait for the search index, and swap it in for `site/`; returns the
    published folder's state (keys.site_state). A stand-in left unmade fails the build:
    it is never published."""
    progress = progress or Progress()
    missing = staged.later - files.keys()
    if missing:
        raise BuildFailed(f"未生成：{'、'.join(sorted(missing))}")
    staging = staged.staging
    for page in staged.waiting:  # (MkDocs put every other block in)
        html = (staging / page).read_text(encoding="utf-8")
        write_fresh(staging / page, expand(html, charts).encode("utf-8"))
    for path, data in files.items():
        write_fresh(staging / path, data)
    if staged.indexing is not None:
        with progress.stage("搜索索引 Pagefind"):
            try:
                staged.indexing.result()
            except search_source.IndexFailed as exc:
                raise BuildFailed(str(exc)) from None
        search_source.settled(staging, staged.cuts, staged.waiting)
    staged.pool.shutdown()
    with progress.stage("发布 publish"):
        for path, content in staged.after.items():
            data = content.encode() if isinstance(content, str) else content
            write_fresh(staging / path, data)
        normalize_output(staging, relative_404=staged.relative_404)
        reuse.forget(staged.work_dir, staged.site_dir)
        publish(staging, staged.site_dir)
        state = keys.site_state(staged.site_dir)
        manifest = reuse.Manifest(staged.shared, state, staged.reusing.files)
        reuse.save(staged.work_dir, staged.site_dir, manifest)
    return state


def discard(staged: Staged) -> None:
    """Drop a staged folder that will not be published (the build failed after MkDocs)."""
    if staged.indexing is not None:
        staged.indexing.cancel()
    staged.pool.shutdown(wait=True)
    shutil.rmtree(staged.staging, ignore_errors=True)
