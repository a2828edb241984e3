"""A content-addressed cache folder: safe to delete, safe for CI to keep between runs.

Callers build keys from everything that makes the product (input bytes,
code and library versions), so a cached value can never be stale.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
