"""The atomic swap: a site built beside `site/` replaces it in one step, and a build
killed half-way leaves the last good site (`recover` tidies up after it)."""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import re
import shutil
import stat
import sys
import time
from pathlib import Path

from .. import layout

RENAME_EXCHANGE = 2  # linux/fs.h


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
