"""Reuse: MkDocs renders only the files that changed since the site was last published.

An issued bulletin's page never changes again (no archived page names the newest
issue: see `layout.LATEST`), so adding a month changes the new bulletin,
the home page, the archive, the unit pages and a few data files: a few dozen of the
site's files. MkDocs can skip files (its `dirty` mode) but decides by file times;
tongbao decides by content. A manifest kept beside the generated pages records, for
the site last published to a folder:

- `context`: all that every page shares (mkdocs.yml, the navigation, the strictness,
  the theme's own folder when the bureau has one, and the code and library versions);
- `state`: the published folder's names, sizes and times (has anyone touched it?);
- `files`: the digest of each generated file, a page's HTML blocks included.

When the context and the folder are as recorded, every file whose digest is unchanged
is hard-linked from the published site into the new one (which is still built in a
folder of its own and swapped in whole) and MkDocs is told it is not modified; so are
the theme's files. Everything else is rendered as before. A file added or removed also
re-renders each page whose Markdown links to it (the link resolves now, or no longer).

What MkDocs does not allow: it still reads the configuration, lists every file and
builds the navigation and its static templates (404.html) on each run. Pagefind has no
incremental mode at all: it reads every indexed page each time (cut down to what it
indexes: search_source.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import keys
from ..pages.tree import INLINE

MANIFEST = "site-manifest-{}.json"
# MkDocs' words for its `dirty` mode, said at WARNING level (strict mode would stop)
DIRTY_NOTICE = "A 'dirty' build is being performed"


def digests(tree: Mapping[str, str | bytes], inline: Mapping[str, str]) -> dict[str, str]:
    """Each generated file's digest; a page's covers the HTML blocks it shows (tree.INLINE),
    since MkDocs only ever sees their placeholders. A block not in `inline` (a chart, put
    in after MkDocs) counts by its key: a chart's is the hash of its spec."""
    blocks: dict[str, str] = {}

    def block(key: str) -> str:
        if key not in blocks:
            text = inline.get(key)
            if text is None:
                blocks[key] = hashlib.sha256(f"later:{key}".encode()).hexdigest()
                return blocks[key]
            digest = hashlib.sha256(text.encode("utf-8"))
            for inner in INLINE.findall(text):
                digest.update(block(inner).encode())
            blocks[key] = digest.hexdigest()
        return blocks[key]

    found = {}
    for path, content in tree.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data)
        if path.endswith(".md"):
            for key in INLINE.findall(data.decode("utf-8")):
                digest.update(block(key).encode())
        found[path] = digest.hexdigest()
    return found


@dataclass
class Manifest:
    context: str
    state: str
    files: dict[str, str] = field(default_factory=dict)


def manifest_path(work_dir: Path, site_dir: Path) -> Path:
    """One manifest per published folder (the preview publishes to one of its own)."""
    return work_dir / MANIFEST.format(keys.short_hash(str(site_dir.resolve()), 12))


def load(work_dir: Path, site_dir: Path) -> Manifest | None:
    try:
        raw = json.loads(manifest_path(work_dir, site_dir).read_text(encoding="utf-8"))
        return Manifest(raw["context"], raw["state"], dict(raw["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(work_dir: Path, site_dir: Path, manifest: Manifest) -> None:
    path = manifest_path(work_dir, site_dir)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(
        json.dumps({"context": manifest.context, "state": manifest.state, "files": manifest.files}),
        encoding="utf-8",
    )
    os.replace(temporary, path)


def forget(work_dir: Path, site_dir: Path) -> None:
    """Before the published folder changes: a build that dies later must not trust it."""
    manifest_path(work_dir, site_dir).unlink(missing_ok=True)


def context(root: Path, config, nav: list, strict: bool) -> str:
    """All that every page shares. `config` is MkDocs' loaded configuration: the theme's
    folders inside the project (a bureau's `custom_dir`) count with their files."""
    theme_files = []
    for folder in config.theme.dirs:
        path = Path(folder).resolve()
        if path.is_relative_to(root):
            theme_files += keys.files_under(path)
    return keys.key_of(
        "site-context",
        keys.file_digest(root / "mkdocs.yml"),
        keys.canonical_json(nav),
        f"strict={strict}",
        *keys.file_parts(theme_files, root),
    )


def unchanged(previous: Manifest | None, shared: str, state: str, files: Mapping[str, str], tree):
    """The generated files that the published site shows as they are now (empty when the
    site cannot be trusted to be the one the manifest describes)."""
    if previous is None or previous.context != shared or previous.state != state or not state:
        return set()
    same = {path for path, digest in files.items() if previous.files.get(path) == digest}
    moved = (files.keys() - previous.files.keys()) | (previous.files.keys() - files.keys())
    names = {PurePosixPath(path).name for path in moved}
    if names:  # a page that links to a file added or removed: rendered again
        for path in [p for p in same if p.endswith(".md")]:
            text = tree[path]
            text = text.decode("utf-8") if isinstance(text, bytes) else text
            if any(PurePosixPath(target).name in names for target in link_targets(text)):
                same.discard(path)
    return same


# Markdown links and images, inline `](target)` or by reference `[label]: target`: the
# links MkDocs resolves (raw HTML, such as the download links, it leaves alone)
LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>#?]+)|^\s*\[[^\]]+\]:\s*<?([^\s>#?]+)", re.M)


def link_targets(markdown: str) -> list[str]:
    return [a or b for a, b in LINK_TARGET.findall(markdown)]


class ReusePlugin:
    """A MkDocs plugin (registered in-process by site.mkdocs_build): links the unchanged
    files of the published site into the new one and marks them not modified (MkDocs,
    run with `dirty=True`, then neither renders nor copies them)."""

    def __init__(self, published: Path, same: set[str], *, theme: bool):
        self.published = published
        self.same = same
        self.theme = theme  # the theme's own files too (the context is unchanged)
        self.linked = 0

    def on_files(self, files, config):
        docs = os.path.normpath(config.docs_dir)
        published, target = str(self.published), str(config.site_dir)
        folders: set[str] = set()
        for file in files:
            if file.generated_by is not None or file.src_dir is None:
                continue
            ours = os.path.normpath(file.src_dir) == docs
            if not (file.src_uri in self.same if ours else self.theme):
                continue
            destination = os.path.join(target, file.dest_uri)
            folder = os.path.dirname(destination)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            try:
                _link(Path(published, file.dest_uri), Path(destination))
            except FileNotFoundError:  # not in the published site: MkDocs makes it
                continue
            file.is_modified = _not_modified
            self.linked += 1
        return files


def theme_listed_once(root: Path, config, folder: Path) -> None:
    """MkDocs lists and filters every file of the theme's folders on each build to find
    its static files (Material ships thousands of icons): keep the list, for these
    folders, versions (the code version covers the libraries) and settings (a folder of
    the bureau's own counts with its file names)."""
    theme = config.theme
    make_env = theme.get_env
    names: list[str] = [keys.file_digest(root / "mkdocs.yml")]
    for path in (Path(d).resolve() for d in theme.dirs):
        names.append(str(path))
        if path.is_relative_to(root):
            names += [p.relative_to(path).as_posix() for p in keys.files_under(path)]
    stored = folder / f"theme-files-{keys.key_of('theme-files', *names)[:16]}.json"

    def get_env():
        env = make_env()
        list_templates = env.list_templates

        def listed_once(extensions=None, filter_func=None) -> list[str]:
            try:
                return json.loads(stored.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                listed = list_templates(extensions, filter_func)
                folder.mkdir(parents=True, exist_ok=True)
                stored.write_text(json.dumps(listed), encoding="utf-8")
                return listed

        env.list_templates = listed_once
        return env

    theme.get_env = get_env


def link_folder(source: Path, target: Path) -> None:
    """Every file under `source` linked into `target` (nothing when there is none)."""
    for path in keys.files_under(source):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        _link(path, destination)


def _link(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except FileNotFoundError:
        raise
    except OSError:  # a file system without hard links
        shutil.copy2(source, destination)


def _not_modified() -> bool:
    return False


class QuietDirty(logging.Filter):
    """MkDocs warns of its dirty mode on every such build; ours is decided by content."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)
