"""What Pagefind reads: each indexed page cut down to its head and its article, without
the chart SVGs and scripts Pagefind would skip anyway.

Pagefind has no incremental mode and parses every page it indexes in full; a bulletin's
inline SVG charts are most of its bytes and none of its words. Pagefind indexes only
the `<article>` (`--root-selector`) and excludes `script` and the chart containers, so
the index made from these copies is the index made from the site itself, byte for
byte (tests/test_reuse.py compares them). The copies live in a folder of the build's
own and are cut again only when a page changed.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

# the pages Pagefind indexes (site.pagefind_command's --glob)
INDEXED = ("about.html", "bulletins/[0-9]*.html", "units/*.html")
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_SKIPPED = re.compile(r"<svg\b.*?</svg>|<script\b.*?</script>", re.S)
MADE_FROM = "made-from.json"  # page → the hash of the page each copy was cut from


def cut(html: str) -> str:
    """The page's head and article, without SVG and scripts."""
    body = html.find("<body")
    article = _ARTICLE.search(html)
    head = html[:body] if body >= 0 else ""
    return _SKIPPED.sub("", head + "<body>" + (article.group(0) if article else "") + "</body>")


def prepare(site_dir: Path, folder: Path) -> Path:
    """The indexed pages of `site_dir`, cut, in `folder` (kept from build to build)."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / MADE_FROM
    try:
        before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    record.unlink(missing_ok=True)  # a build killed while cutting trusts no copy
    pages = folder / "site"
    now = {}
    for pattern in INDEXED:
        for page in site_dir.glob(pattern):
            rel = page.relative_to(site_dir).as_posix()
            data = page.read_bytes()
            now[rel] = hashlib.sha1(data).hexdigest()
            target = pages / rel
            if before.get(rel) == now[rel] and target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(cut(data.decode("utf-8")), encoding="utf-8")
    for path in sorted(pages.rglob("*.html")) if pages.is_dir() else []:
        if path.relative_to(pages).as_posix() not in now:
            path.unlink()
    record.write_text(json.dumps(now), encoding="utf-8")
    return pages
