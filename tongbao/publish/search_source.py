"""What Pagefind reads: each indexed page cut down to its head and its article, without
the chart SVGs and scripts Pagefind would skip anyway.

Pagefind has no incremental mode and parses every page it indexes in full; a bulletin's
inline SVG charts are most of its bytes and none of its words. Pagefind indexes only
the `<article>` (`--root-selector`) and excludes `script` and the chart containers, so
the index made from these copies is the index made from the site itself, byte for
byte (tests/test_reuse.py compares them). The copies live in a folder of the build's
own and are cut again only when a page changed.

The pages are indexed in parts: one index for each year whose bulletins are all issued
(`pagefind/years/2016/`…), which no new month touches, and the primary (`pagefind/`)
for the rest; the search page merges them (Pagefind's `mergeIndex`). A new month then
re-indexes about 45 pages, not the whole archive (index_search keeps each part's
index while its pages are the same).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import keys, layout
from ..pages.tree import INLINE

# the pages Pagefind indexes (pagefind_command's --glob)
INDEXED = tuple(
    layout.html(p) for p in (layout.ABOUT, layout.bulletin_page("[0-9]*"), layout.unit_page("*"))
)
PRIMARY = "live"  # the index at pagefind/: what a new month changes
_BULLETIN = re.compile(
    re.escape(layout.html(layout.bulletin_page("@"))).replace("@", r"(\d{4})-[^/]*")
)
_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
# SVG, scripts, and the placeholder of a chart not yet drawn (its SVG when it is)
_SKIPPED = re.compile(r"<svg\b.*?</svg>|<script\b.*?</script>|" + INLINE.pattern, re.S)
MADE_FROM = "made-from.json"  # page → its part, the file it was cut from, the copy's hash


def cut(html: str) -> str:
    """The page's head and article, without SVG and scripts."""
    body = html.find("<body")
    article = _ARTICLE.search(html)
    head = html[:body] if body >= 0 else ""
    return _SKIPPED.sub("", head + "<body>" + (article.group(0) if article else "") + "</body>")


@dataclass(frozen=True)
class Part:
    """One search index of the site: its cut pages and a digest of them."""

    name: str  # PRIMARY, or a year whose bulletins are all issued ("2016")
    pages: Path  # the cut copies, in the site's own layout
    digest: str  # of every page in it: the same digest, the same index

    @property
    def bundle(self) -> str:
        """Where its index is published, relative to the site."""
        return layout.SEARCH_INDEX if self.name == PRIMARY else layout.search_year(self.name)


def part_of(rel: str, newest_year: str) -> str:
    """The index a page goes into: a bulletin of a year before the newest bulletin's goes
    into that year's; the rest (the newest year's bulletins, units, definitions) into the
    primary, the one index a new month changes."""
    match = _BULLETIN.fullmatch(rel)
    if match and match.group(1) < newest_year:
        return match.group(1)
    return PRIMARY


def _stat(path: Path) -> list[int]:
    found = path.stat()
    return [found.st_ino, found.st_size, found.st_mtime_ns]


def prepare(site_dir: Path, folder: Path) -> list[Part]:
    """The indexed pages of `site_dir`, cut, into one folder a part (kept from build to
    build); the primary part first. A page is read and cut again only when its file is
    not the one cut last time (a page linked from the published site is); a part's digest
    is over its cut copies, so a page cut again to the same words keeps its part's index."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / MADE_FROM
    try:
        before = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    record.unlink(missing_ok=True)  # a build killed while cutting trusts no copy
    shutil.rmtree(folder / "site", ignore_errors=True)  # the copies before there were parts
    indexed = sorted(
        page.relative_to(site_dir).as_posix()
        for pattern in INDEXED
        for page in site_dir.glob(pattern)
    )
    years = [m.group(1) for m in map(_BULLETIN.fullmatch, indexed) if m]
    newest = max(years, default="")
    now: dict[str, list] = {}
    members: dict[str, list[str]] = {PRIMARY: []}
    parts_dir = folder / "parts"
    for rel in indexed:
        name = part_of(rel, newest)
        members.setdefault(name, []).append(rel)
        page, target = site_dir / rel, parts_dir / name / rel
        stat = _stat(page)
        kept = before.get(rel)
        if kept and kept[0] == name and kept[1] == stat and target.is_file():
            now[rel] = kept
            continue
        text = cut(page.read_text(encoding="utf-8"))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if not (kept and kept[0] == name and kept[2] == digest and target.is_file()):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        now[rel] = [name, stat, digest]
    for path in sorted(parts_dir.rglob("*.html")) if parts_dir.is_dir() else []:
        name, _, rel = path.relative_to(parts_dir).as_posix().partition("/")
        if rel not in now or now[rel][0] != name:
            path.unlink()
    record.write_text(json.dumps(now), encoding="utf-8")
    parts = []
    for name, rels in members.items():
        digest = hashlib.sha256("\n".join(f"{r} {now[r][2]}" for r in rels).encode()).hexdigest()
        pages = parts_dir / name
        pages.mkdir(parents=True, exist_ok=True)
        parts.append(Part(name, pages, digest))
    return parts


def settled(site_dir: Path, folder: Path, pages: list[str]) -> None:
    """`pages` of `site_dir` were written again after `prepare` cut them, with the same
    words (their charts put in): remember the files now there, so that the next build,
    which links them from the published site, need not read and cut them again."""
    record = folder / MADE_FROM
    try:
        made = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for rel in pages:
        if rel in made:
            made[rel][1] = _stat(site_dir / rel)
    record.write_text(json.dumps(made), encoding="utf-8")


class IndexFailed(Exception):
    pass


def pagefind_command(site_dir: Path) -> list[str]:
    """Pagefind (extended build: it segments Chinese) over the built pages, offline.

    Only the article is indexed (not Material's navigation), and neither the chart SVGs
    nor the tables' figures. `scripts/bench.py` times this same command as the floor.
    """
    from pagefind_bin_extended import get_executable

    return [
        str(get_executable()),
        "--site",
        str(site_dir),
        "--root-selector",
        "article",
        "--exclude-selectors",
        ".tb-chart-svg",
        "--exclude-selectors",
        "script",
        # Figures are not search terms (they are in the tables, JSON and .xlsx): leaving
        # the numeric cells out more than halves the time to index ten years.
        *("--exclude-selectors", ".tb-num"),
        *("--exclude-selectors", ".tb-rank"),
        *("--exclude-selectors", ".tb-light"),
        "--force-language",
        "zh",
        # bulletins, unit pages and definitions; not the home page (a copy of the
        # latest bulletin's cards), the archive or the search page itself
        "--glob",
        "{" + ",".join(INDEXED) + "}",
        "--silent",
    ]


# what the search page needs of a year's index (it merges it into the primary's, whose
# scripts and styles serve all): not Pagefind's UI files, again in every year's folder
_PART_FILES = re.compile(
    r"pagefind-entry\.json|[^/]*\.pf_meta|wasm\.[^/]*|(index|fragment|filter)/.+"
)


def index_search(site_dir: Path, parts: list[Part], folder: Path) -> None:
    """The search index: Pagefind over each part (`prepare`) whose pages changed since
    its index was made, two runs at a time. Pagefind has no incremental mode, so the
    parts are the increments: each part's index is kept in `folder` and copied into
    `site_dir` (dated when it was made), and `pagefind/years.json` names the parts the
    search page merges into the primary."""
    from importlib.metadata import version

    signature = " ".join(pagefind_command(Path("."))) + version("pagefind_bin_extended")
    folder.mkdir(parents=True, exist_ok=True)
    todo = []
    for part in parts:
        made, key = folder / part.name, folder / f"{part.name}.key"
        wanted = hashlib.sha256(f"{part.digest}|{signature}".encode()).hexdigest()
        if made.is_dir() and key.is_file() and key.read_text(encoding="utf-8") == wanted:
            continue
        key.unlink(missing_ok=True)
        shutil.rmtree(made, ignore_errors=True)  # Pagefind writes into an empty folder
        todo.append((part, made, key, wanted))
    names = {p.name for p in parts}
    for stale in folder.iterdir():
        if stale.name.removesuffix(".key") not in names:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()

    def run(job: tuple[Part, Path, Path, str]) -> None:
        part, made, key, wanted = job
        command = [*pagefind_command(part.pages), "--output-path", str(made.resolve())]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise IndexFailed(
                f"搜索索引（Pagefind）生成失败：{result.stderr.strip() or result.stdout.strip()}"
            )
        key.write_text(wanted, encoding="utf-8")

    with ThreadPoolExecutor(2) as pool:  # Pagefind keeps about 1.5 cores busy
        for _ in pool.map(run, todo):
            pass
    for part in parts:
        made = folder / part.name
        for path in keys.files_under(made):
            rel = path.relative_to(made).as_posix()
            if part.name == PRIMARY or _PART_FILES.fullmatch(rel):
                destination = site_dir / part.bundle / rel
                destination.parent.mkdir(parents=True, exist_ok=True)
                # copied, not linked: nothing done to site/ may reach the kept index
                shutil.copy2(path, destination)
    years = [p.name for p in parts if p.name != PRIMARY]
    (site_dir / layout.SEARCH_YEARS).write_text(json.dumps(years), encoding="utf-8")
