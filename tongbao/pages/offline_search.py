"""Search from disk: an index shipped as a script, for the search page opened via file://.

Browsers do not let a page opened from disk fetch Pagefind's index files, but they do
run `<script src>` files. So the build also writes `search/offline-index.js`, which
assigns the documents to a global; the vendored MiniSearch (templates/assets/vendor,
version in VENDOR.txt there) indexes them in the browser when the page is a file://
page. Over http the search page keeps using Pagefind.

Segmentation: Pagefind segments Chinese with its own dictionary, which cannot run here,
so the documents are segmented at build time into character bigrams (a run of Chinese
characters "城东区" → 城东 东区; a single character stays itself; Latin letters and
digits are words, lowercased). The search page splits a query the same way
(assets/search-offline.js, `segment`) and asks for every bigram: a unit's name, an
alias, a project's name or any word of the commentary is found without a dictionary.
Each document carries its bigrams once (no counts): the index stays small.
"""

from __future__ import annotations

import functools
import html
import json
import re

import markdown

from .. import formats, keys, layout
from ..bulletin.model import Bulletin
from ..cache import NO_CACHE, Cache
from .common import PACKAGE_TEMPLATES, UnitPage

VENDOR = PACKAGE_TEMPLATES / "assets" / "vendor"
GLOBAL_NAME = "tongbaoOfflineIndex"

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def segment(text: str) -> list[str]:
    """Tokens of a text: CJK runs as character bigrams (a lone character as itself),
    Latin letters and digits as lowercased words. Mirrored by `segment` in
    assets/search-offline.js (a test runs both on the same texts)."""
    tokens: list[str] = []
    for run in _RUNS.findall(text.lower()):
        if run[0].isascii():
            tokens.append(run)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def _unique(tokens: list[str]) -> str:
    return " ".join(dict.fromkeys(tokens))


def plain_text(markdown_text: str) -> str:
    """Commentary Markdown → its words (tags dropped, entities decoded, spaces folded)."""
    rendered = markdown.markdown(markdown_text, extensions=["tables"])
    text = html.unescape(re.sub(r"<[^>]+>", " ", rendered))
    return re.sub(r"\s+", " ", text).strip()


def entry(title: str, kind: str, url: str, text: str, *, named: str = "", more: str = "") -> dict:
    """One document. `named`: also the document's name (aliases); `more`: searched, not
    shown."""
    name_tokens = dict.fromkeys(segment(f"{title} {named}"))
    text_tokens = [t for t in segment(f"{text} {more}") if t not in name_tokens]
    return {
        "t": title,
        "k": kind,
        "u": url,
        "x": text,
        "n": " ".join(name_tokens),
        "s": _unique(text_tokens),
    }


def bulletin_doc(title: str, url: str, commentary: str | None, summary: str, flags: str) -> dict:
    """A bulletin: its title and commentary (or the automatic summary); its flags are
    searched too."""
    text = plain_text(commentary) if commentary else summary
    return entry(title, "通报", url, text, more=flags)


def documents(
    bulletins: list[Bulletin], units: list[UnitPage], cache: Cache = NO_CACHE
) -> list[dict]:
    """What the offline search finds: unit pages (names and aliases), bulletin pages
    (title and commentary, or the automatic summary), projects (→ their unit's page).

    Keys: t title, k kind, u address from the site root, x text for the excerpt,
    n the name's tokens (title and aliases), s the other tokens of the text (each
    space-separated, each once).
    """
    docs: list[dict] = []

    def add(title: str, kind: str, url: str, text: str, *, named: str = "") -> None:
        docs.append(entry(title, kind, url, text, named=named))

    for unit in units:
        u = unit.unit
        aliases = "、".join(u["aliases"])
        text = f"单位类别：{u['group']}" + (f"；别名：{aliases}" if aliases else "")
        url = layout.link(layout.HOME, layout.unit_page(u["unit_id"]))
        add(u["name"], "单位", url, text, named=aliases)
    for b in reversed(bulletins):  # newest first: equal scores list the latest issue first
        label = formats.issue_label(b.period, b.figures["issue"])
        title = f"{label}（{formats.period_label(b.period)}）"
        flags = "；".join(f["message"] for f in b.figures.get("flags", []))
        url = layout.link(layout.HOME, layout.bulletin_page(b.period))
        summary = str(b.figures.get("summary") or "")
        key = keys.key_of("search-doc", title, url, b.commentary or "", summary, flags)
        docs.append(
            cache.memo(
                "search-docs",
                key,
                functools.partial(bulletin_doc, title, url, b.commentary, summary, flags),
            )
        )
    seen: set[str] = set()
    names = {u.unit["unit_id"]: u.unit["name"] for u in units}
    for unit in units:
        for p in unit.projects:
            if not p.get("name") or p["project_id"] in seen:
                continue
            seen.add(p["project_id"])
            where = names.get(unit.unit["unit_id"], "")
            details = "；".join(
                str(v) for v in (p.get("industry"), p.get("nature"), p.get("stage")) if v
            )
            add(
                p["name"],
                "项目",
                layout.link(layout.HOME, layout.unit_page(unit.unit["unit_id"])) + "#projects",
                f"责任单位：{where}" + (f"；{details}" if details else ""),
            )
    return docs


def index_script(
    bulletins: list[Bulletin], units: list[UnitPage], cache: Cache = NO_CACHE
) -> bytes:
    """search/offline-index.js: `self.tongbaoOfflineIndex = {...};` (a script, not JSON:
    a file:// page may run scripts but not fetch files). Kept for the same bulletins
    (figures and commentary) and units (names, aliases, projects)."""

    def make() -> bytes:
        body = json.dumps(
            {"version": 1, "docs": documents(bulletins, units, cache)},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return f"self.{GLOBAL_NAME} = {body};\n".encode()

    shown = [
        (b.period, b.digest or keys.figures_content(b.figures), b.commentary) for b in bulletins
    ]
    listed = [(u.unit, u.projects) for u in units]
    key = keys.key_of("offline-index", keys.canonical_json(shown), keys.canonical_json(listed))
    return cache.memo("offline-index", key, make)


def assets() -> dict[str, bytes]:
    """The vendored library and the offline searcher, copied into site/assets/."""
    here = VENDOR.parent
    return {
        "assets/search-offline.js": (here / "search-offline.js").read_bytes(),
        "assets/vendor/minisearch.js": (VENDOR / "minisearch.js").read_bytes(),
        "assets/vendor/minisearch.LICENSE.txt": (VENDOR / "minisearch.LICENSE.txt").read_bytes(),
    }
