"""A content-addressed cache folder: safe to delete, safe for CI to keep between runs.

Every key covers the bytes of the inputs and `code_version()`: the source of the
whole package and its templates plus the pinned library versions, so a cached
product can never be stale; any change to the code simply misses the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from functools import cache as _once
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = (
    "pandas",
    "openpyxl",
    "python-calamine",
    "xlsxwriter",
    "altair",
    "vl-convert-python",
    "mkdocs",
    "mkdocs-material",
    "pymdown-extensions",
    "markdown",
    "jinja2",
    "fonttools",
    "pylopdf-fonts-zh-cn",
)


@_once
def code_version() -> str:
    digest = hashlib.sha256()
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.json"))
    templates = PACKAGE.parent / "templates"
    if templates.is_dir():
        sources += sorted(p for p in templates.rglob("*") if p.is_file())
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}==?".encode())
    return digest.hexdigest()[:16]


def key_of(*parts: bytes | str) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def file_parts(paths: Iterable[Path], root: Path) -> list[bytes | str]:
    """Each existing file's path (relative to `root`) and bytes: the parts of a key that
    covers those files."""
    parts: list[bytes | str] = []
    for path in paths:
        if path.is_file():
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return parts


def canonical_json(value: object) -> str:
    """One spelling per value (sorted keys, no spaces): what keys and ids hash."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


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

    def memo(self, kind: str, key: str, make: Callable[[], T]) -> T:
        """The product for `key`, made (and stored) only when not cached."""
        stored = self.get(kind, key)
        if stored is not None:
            try:
                return pickle.loads(stored)
            except Exception:  # a corrupt or foreign entry: make it anew
                pass
        value = make()
        if self.root is not None:
            self.put(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value


NO_CACHE = Cache(None)
