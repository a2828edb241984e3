"""A content-addressed cache folder: safe to delete, safe for CI to keep between runs.

The keys are spelled in `keys`: each covers the bytes of its inputs and the code, so
a cached product can never be stale.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


_MISSING = object()  # not cached (a stored product may itself be None)


class Cache:
    def __init__(self, root: Path | None):
        self.root = root  # None: caching off (every product is made anew)

    def folder(self, kind: str) -> Path:
        if self.root is None:
            path = Path(tempfile.gettempdir()) / "tongbao-nocache" / kind
        else:
            path = self.root / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    def compiled_templates(self, kind: str):
        """A Jinja bytecode cache (None when caching is off): compiling the templates is
        most of what rendering a few pages costs. Jinja checks each entry against the
        template's source; `kind` keeps environments of different syntax apart."""
        if self.root is None:
            return None
        from jinja2 import FileSystemBytecodeCache

        return FileSystemBytecodeCache(str(self.folder(kind)))

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
        stored = self.get(kind, key)
        if stored is not None:
            try:
                return pickle.loads(stored)
            except Exception:  # a corrupt or foreign entry: make it anew
                pass
        return _MISSING

    def load(self, kind: str, key: str) -> object | None:
        """The product stored by `store` (or `memo`) for `key`; None when not cached."""
        value = self._unpickled(kind, key)
        return None if value is _MISSING else value

    def store(self, kind: str, key: str, value: object) -> None:
        if self.root is not None:
            self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def memo(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """The product for `key`, made (and stored) only when not cached."""
        found = self._unpickled(kind, key)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        value = make()
        self.store(kind, key, value)
        return value


NO_CACHE = Cache(None)
