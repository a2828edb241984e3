"""Keys: every cache key of a build, spelled in one place.

A key covers the bytes of what a product was made from and `code_version()`
(the source of the product's code and templates plus the pinned library
versions), so a cached product can never be stale: any change to its inputs
or to the code simply misses the cache. The demo generator (`tongbao/demo/`)
is not part of the product and is left out of the code version.

A file's bytes are hashed once per build (`one_build`): the month folders,
the registry and the targets are read by several keys.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from functools import cache as _once
from importlib import metadata
from pathlib import Path

from . import periods

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"
NOT_PRODUCT = (PACKAGE / "demo",)  # code that makes no product: never part of a key
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


def _is_product(path: Path) -> bool:
    return not any(path.is_relative_to(folder) for folder in NOT_PRODUCT)


def product_sources() -> list[Path]:
    """The code and templates products are made with (not the demo generator)."""
    sources = sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("*.json"))
    sources = [p for p in sources if _is_product(p)]
    return sources + files_under(TEMPLATES)


@_once
def code_version() -> str:
    digest = hashlib.sha256()
    for path in product_sources():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}==?".encode())
    return digest.hexdigest()[:16]


@_once
def module_code(name: str) -> str:
    """One module's own source: what keys of its products add (its own changes always
    miss, even where the rest of the code is left out of a key)."""
    return hashlib.sha256((PACKAGE / name).read_bytes()).hexdigest()[:12]


def key_of(*parts: bytes | str) -> str:
    digest = hashlib.sha256(code_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def canonical_json(value: object) -> str:
    """One spelling per value (sorted keys, no spaces): what keys and ids hash."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def short_hash(text: str, length: int = 20) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


# --- file digests: each file hashed once per build -----------------------------------

_build: dict[Path, str] | None = None  # path → digest while a build runs


@contextlib.contextmanager
def one_build() -> Iterator[None]:
    """Within it, a file's digest is computed once (a build never edits its inputs)."""
    global _build
    if _build is not None:  # already inside a build (build → check)
        yield
        return
    _build = {}
    try:
        yield
    finally:
        _build = None


def written(path: Path) -> None:
    """The build wrote this file (a record, a PDF as issued): hash it afresh."""
    if _build is not None:
        _build.pop(path, None)


def file_digest(path: Path) -> str:
    """The hash of a file's bytes ("" for a missing file)."""
    if _build is not None and path in _build:
        return _build[path]
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError):
        digest = ""
    if _build is not None:
        _build[path] = digest
    return digest


def file_parts(paths: Iterable[Path], root: Path) -> list[bytes | str]:
    """Each existing file's path (relative to `root`) and digest: the parts of a key that
    covers those files."""
    parts: list[bytes | str] = []
    for path in paths:
        if path.is_file():
            parts += [path.relative_to(root).as_posix(), file_digest(path)]
    return parts


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


# --- load -------------------------------------------------------------------------


def sheets(path: Path, rel: str) -> str:
    """The grids read from one data file."""
    return key_of("sheets", rel, file_digest(path))


def registry(root: Path) -> str:
    """The unit, industry and indicator registers (names, aliases, groups, activity)."""
    data = root / "data"
    return key_of(
        "registry",
        *file_parts([data / "units.csv", data / "industries.csv", data / "indicators.csv"], root),
    )


def month(folder: Path, root: Path) -> str:
    """One month's folder as read by `load` (its files and the registry it resolves with)."""
    parts: list[bytes | str] = [folder.name]
    for name in ("units.csv", "industries.csv", "indicators.csv"):
        parts += [name, file_digest(root / "data" / name)]
    for path in sorted(folder.iterdir()):
        parts += [path.name, file_digest(path) if path.is_file() else "<dir>"]
    return key_of("month", *parts)


# --- figures and commentary ---------------------------------------------------------


def figures(root: Path, months: list[str], settings: object) -> dict[str, str]:
    """A key per month that changes whenever any input its figures read changes.

    A month's figures read its own files, the months before it (本月 from last month's
    YTD, 同比 from last year's, rank changes and 末位 streaks from every earlier month),
    its year's targets, the unit registry and the settings. So each month's key chains
    the previous month's key with the bytes of its own data folder, commentary (期号,
    印发日期) and year's targets: an edit anywhere changes that month's key and every
    later one, and nothing earlier."""
    data = root / "data"
    chain = key_of("figures", repr(settings), registry(root))
    targets: dict[int, list[bytes | str]] = {}
    keys = {}
    for period in months:
        year = periods.year_of(period)
        if year not in targets:
            found = (
                sorted((data / "targets").glob(f"{year}.*")) if (data / "targets").is_dir() else []
            )
            targets[year] = file_parts(found, root)
        month_files = sorted(p for p in (data / period).rglob("*") if p.is_file())
        commentary = [root / "content" / f"{period}.md"]
        chain = key_of(chain, period, *targets[year], *file_parts(month_files + commentary, root))
        keys[period] = chain
    return keys


def figures_content(value: dict) -> str:
    """A hash of a month's figures: what later products are keyed on, so an edit that
    changes no figure of a month remakes nothing of it."""
    return key_of("figures-content", canonical_json(value))


def record_check(figures_key: str, figures_digest: str, record: Path, earlier: str) -> str:
    """An issued month compared with its record: the record's bytes, the month's figures
    and all they were computed from (`figures`: the month's files and front matter and
    every earlier month's), and the correction of an earlier month it may follow."""
    try:  # read afresh, not through `file_digest`: the build may write the record later
        written = record.read_bytes()
    except FileNotFoundError:
        written = b""
    return key_of("record-check", figures_key, figures_digest, written, earlier)


def commentary(figures_digest: str, registry_key: str, file: str, body: str, line: int) -> str:
    return key_of("commentary", figures_digest, registry_key, file, body, str(line))


# --- products -----------------------------------------------------------------------


def workbook(title: str, figures_digest: str) -> str:
    return key_of("xlsx", title, figures_digest)


def archive_data(title: str, months: list[tuple[str, str]]) -> str:
    """The archive as data: every month's figures (period and figures digest)."""
    return key_of("archive-data", title, canonical_json(months))


def archive_rows(period: str, figures_digest: str) -> str:
    """One month's part of the archive as data: its rows of figures.csv and its row of
    each figures.xlsx sheet (archive_data.month_table), read from its figures' JSON."""
    return key_of("archive-rows", period, figures_digest)


def month_charts(figures_key: str) -> str:
    """A bulletin's charts: they read its figures and earlier months' (`figures`: the
    key of all those were computed from)."""
    return key_of("month-charts", figures_key)


def chart_templates() -> str:
    """Altair's chart templates (key_of adds the code and library versions)."""
    return key_of("chart-templates")


def vega_bundle() -> str:
    import vl_convert as vlc

    return f"vega-bundle-{vlc.__version__}"  # type: ignore[attr-defined]


def spec_id(spec: dict) -> str:
    """A chart's identity: the hash of its spec (the same spec always draws the same SVG)."""
    return short_hash(canonical_json(spec))


def svg(spec_id: str, renderer: str) -> str:
    """A chart's drawing. Not the font subset's name: any subset holding a chart's
    characters measures it alike (checked in tests), so a new unit name elsewhere, which
    makes a new subset, does not send every chart of the archive back to vl-convert."""
    version = f"{renderer}|{module_code('charts/svg.py')}"
    return hashlib.sha256(f"{version}|{spec_id}".encode()).hexdigest()


def font_subset(text: str, font_name: str) -> str:
    """A font subset for `text`; how a subset is made (svg.py) is part of what it is."""
    return short_hash(f"{text}|{font_name}|{module_code('charts/svg.py')}", 16)


def templates(root: Path) -> str:
    """The bureau's own templates (the package's are in the code version)."""
    folder = root / "templates"
    return key_of("templates", *file_parts(files_under(folder), folder))


def bulletin_page(
    shared: str,
    figures_digest: str,
    commentary: str,
    meta: dict,
    svg_ids: list[str],
    around,
    record: list,
) -> str:
    """A bulletin's page and files: all that they show (`record`: whether it is the
    latest, its correction and the next planned issue)."""
    return key_of(
        "bulletin-page",
        shared,
        figures_digest,
        commentary,
        canonical_json(meta),
        *svg_ids,
        canonical_json(around),
        canonical_json(record),
    )


# --- the whole build ----------------------------------------------------------------


def inputs(root: Path, *parts: str) -> str:
    """Every byte a build reads (data/, content/, templates/, published/, mkdocs.yml)
    and the code."""
    files = [root / "mkdocs.yml"]
    for folder in ("data", "content", "templates", "published"):
        files += files_under(root / folder)
    return key_of("inputs", *parts, *file_parts(files, root))


def site_state(site_dir: Path) -> str:
    """Names, sizes and times of the published files: has anyone touched site/?"""
    if not site_dir.is_dir():
        return ""
    rows: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file(follow_symlinks=False):
                    stat = entry.stat(follow_symlinks=False)
                    rows.append(f"{prefix}{entry.name}|{stat.st_size}|{stat.st_mtime_ns}")

    walk(str(site_dir), "")
    return key_of("site", "\n".join(sorted(rows)))


# --- the bulletin as a document (PDF and Word) ----------------------------------------


def documents(
    versions: str, site: str, settings: str, layout: str, fonts: list[Path], root: Path
) -> str:
    """What every month's PDF and .docx share: the typesetting libraries, the site's
    words, the document settings, the layout template and the bureau's font files."""
    return key_of("bulletin-document", versions, site, settings, layout, *file_parts(fonts, root))


def document(shared: str, digest: str, commentary: str, meta: dict, svg_ids: list[str]) -> str:
    """One month's PDF and .docx: what they show (figures, commentary, front matter and
    更正说明 in `meta`, the drawn charts by their specs' ids)."""
    return key_of(shared, digest, commentary, canonical_json(meta), *svg_ids)


def month_files(shared: str, shown: str, svg_ids: list[str]) -> str:
    """A month's unit sheets, their zip and its slides: what they show (`shown`, the
    sheets' and slides' data as canonical JSON) and the bulletin charts they print."""
    return key_of("month-files", shared, shown, *svg_ids)
