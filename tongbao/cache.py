"""A content-addressed cache folder: safe to delete, safe for CI to keep between runs.

The keys are spelled in `keys`: each covers the bytes of its inputs and the code, so
a cached product can never be stale.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


_MISSING = object()  # not cached (a stored product may itself be None)


# What a long-running process (the preview server) may keep in memory between builds:
# products no build changes after making them. Each is otherwise unpickled from disk
# anew by every build, which for ten years of bulletins is most of a rebuild's time.
KEPT_KINDS = frozenset(
    {
        "months",
        "ledgers",
        "figures",
        "commentary",
        "record-check",
        "pages",
        "xlsx",
        "archive-rows",
        "archive-data",
        "search-docs",
        "offline-index",
        "month-charts",
        "commentary-files",
    }
)


@dataclass
class Kept:
    """Products kept in memory across the builds of one process, and those the current
    build has asked for."""

    products: dict[tuple[str, str], object] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)


class Cache:
    def __init__(self, root: Path | None, kept: Kept | None = None):
        self.root = root  # None: caching off (every product is made anew)
        self.kept = kept  # (a preview session's, between its builds)
        self._scratch: Path | None = None  # caching off: this build's own work folder

    def folder(self, kind: str) -> Path:
        if self.root is None:
            # a folder of this build's own: two uncached builds at once (two projects,
            # two test runs) would otherwise write the same generated docs
            if self._scratch is None:
                self._scratch = Path(tempfile.mkdtemp(prefix="tongbao-nocache-"))
                weakref.finalize(self, shutil.rmtree, self._scratch, ignore_errors=True)
            path = self._scratch / kind
        else:
            path = self.root / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    def compiled_templates(self, kind: str):
        """A Jinja bytecode cache (None when caching is off); `kind` keeps environments
        of different syntax apart."""
        return None if self.root is None else compiled_templates(self.folder(kind))

    def _path(self, kind: str, key: str) -> Path:
        return self.folder(kind) / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            return self._path(kind, key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, kind: str, key: str, data: bytes) -> None:
        if self.root is None:
            return
        path = self._path(kind, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # write-then-rename: a killed build never leaves half a cache entry
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def _unpickled(self, kind: str, key: str) -> object:
        if self.kept is not None and kind in KEPT_KINDS:
            self.kept.used.add((kind, key))
            if (kind, key) in self.kept.products:
                return self.kept.products[kind, key]
        stored = self.get(kind, key)
        if stored is not None:
            try:
                value = pickle.loads(stored)
            except Exception:  # a corrupt or foreign entry: make it anew
                return _MISSING
            self._keep(kind, key, value)
            return value
        return _MISSING

    def _keep(self, kind: str, key: str, value: object) -> None:
        if self.kept is not None and kind in KEPT_KINDS:
            self.kept.products[kind, key] = value
            self.kept.used.add((kind, key))

    def forget_unused(self) -> None:
        """After a whole build: drop from memory what it did not ask for (an edit made it
        stale), and start counting afresh."""
        if self.kept is not None:
            for stale in self.kept.products.keys() - self.kept.used:
                del self.kept.products[stale]
            self.kept.used.clear()

    def load(self, kind: str, key: str) -> object | None:
        """The product stored by `store` (or `memo`) for `key`; None when not cached."""
        value = self._unpickled(kind, key)
        return None if value is _MISSING else value

    def store(self, kind: str, key: str, value: object) -> None:
        if self.root is not None:
            self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self._keep(kind, key, value)

    def memo(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """The product for `key`, made (and stored) only when not cached."""
        found = self._unpickled(kind, key)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        value = make()
        self.store(kind, key, value)
        return value


NO_CACHE = Cache(None)


def compiled_templates(folder: Path):
    """A Jinja bytecode cache in `folder`: compiling the templates is most of what
    rendering a few pages costs. Jinja checks each entry against the template's source."""
    from jinja2 import FileSystemBytecodeCache

    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


CACHE_DIR = ".tongbao-cache"  # in the project's root


def project_cache(root: Path, *, use_cache: bool = True, kept: Kept | None = None) -> Cache:
    """The project's cache; `kept`: the products a long-running process (the preview
    server's session, pipeline.Session) keeps in memory between its builds."""
    folder = root.resolve() / CACHE_DIR
    return Cache(folder if use_cache else None, kept if use_cache else None)
