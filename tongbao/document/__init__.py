"""The bulletin as an official document: its PDF (GB/T 9704-2012 layout,
Typst) and `bulletins/<month>.docx` (editable, python-docx), from one view model
(`model.bulletin_document`) built from the month's figures and commentary.

Each file is cached on what it shows: the figures' digest, the commentary, the front
matter, the charts' specs, the site's words, the document settings (and the bytes of
the bureau's font files), the layout template and the library versions. The months
not in the cache are made together, in worker processes when there are many (making.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import keys, layout
from ..bulletin.model import Bulletin
from ..bulletin.views import correction_view
from ..cache import Cache
from .making import Job, Setup, make_all
from .month_files import MonthFiles
from .paper import on_paper, paper_svgs, picture_key
from .pdf import TEMPLATE, font_setup
from .settings import DocumentSettings
from .word import word_pictures

__all__ = [
    "DocumentSettings",
    "bulletin_files",
    "Pending",
    "pending_documents",
    "original_pdfs",
    "review_pdf",
]


def _versions() -> str:
    return ",".join(f"{name}=={metadata.version(name)}" for name in ("typst", "python-docx"))


def layout_template(root: Path) -> Path:
    """The bureau's own layout (templates/document/bulletin.typ) or the package's."""
    own = root / "templates" / "document" / "bulletin.typ"
    return own if own.is_file() else TEMPLATE


def _keyed(
    root: Path,
    bulletins: list,
    site,
    settings: DocumentSettings,
    word_only: frozenset = frozenset(),
) -> tuple[Path, list]:
    """The layout template, and each bulletin with its correction and its files' key
    (`word_only`: the months whose PDF is kept as issued, only their .docx is made)."""
    template = layout_template(root)
    shared = keys.documents(
        _versions(),
        repr(site),
        repr(settings),
        template.read_text(encoding="utf-8"),
        sorted(settings.font_files(root).values()),
        root,
    )
    keyed = []
    for b in bulletins:
        correction = correction_view(b.correction)
        key = keys.document(
            shared,
            b.digest or keys.canonical_json(b.figures),
            b.commentary or "",
            {"meta": b.meta, "correction": correction},
            [c.svg_id for c in b.charts],
        )
        if b.period in word_only:
            key = keys.key_of("word-only", key)
        keyed.append((b, correction, key))
    return template, keyed


@dataclass
class Pending:
    """A build's documents: the files the cache holds (`found`), and the paths of those
    to make once `charts` (spec ids) are drawn: `make(svgs, progress)` returns them. The
    documents draw their own charts for paper, so `charts` is empty (the pipeline need
    not wait for the page's SVGs)."""

    found: dict[str, bytes]
    later: list[str]
    charts: set[str]
    make: Callable[[dict[str, str], object], dict[str, bytes]]
    steps: int = 0  # what `make` tells its progress of: a month's bulletin, a month's sheets


def pending_documents(
    root: Path,
    bulletins: list,
    originals: dict[str, tuple[dict, dict]],
    charts: dict[str, list],
    *,
    site,
    settings: DocumentSettings,
    cache: Cache,
    history: dict[str, dict] | None = None,
    kept: dict[str, bytes] | None = None,
) -> Pending:
    """Every bulletin's PDF and .docx, and each corrected month's 原版 PDF (`originals`:
    its record and front matter; `charts`: its charts, see `original_pdfs`). Those in the
    cache need no SVG (their key names the charts by their specs); the others, and the
    原版 PDFs, wait for the charts. With `history` (every month's figures, for the
    units' lines): each month's unit sheets, their zip and its slides too (month_files).

    `kept`: the PDF as issued of each month that has one (published/YYYY-MM.pdf): it is
    published as it is, never typeset again; for a corrected month it is the 原版."""
    kept = kept or {}
    records = {p: record for p, (record, _) in originals.items() if p not in kept}
    metas = {p: meta for p, (_, meta) in originals.items()}
    word_only = frozenset(
        b.period for b in bulletins if b.period in kept and b.period not in originals
    )
    _, keyed = _keyed(root, bulletins, site, settings, word_only)
    found: dict[str, bytes] = {layout.original_pdf(p): kept[p] for p in originals if p in kept}
    found |= {layout.bulletin_pdf(p): kept[p] for p in word_only}
    missing = []
    for b, _, key in keyed:
        stored = cache.load("documents", key)
        if isinstance(stored, tuple):
            found[layout.bulletin_docx(b.period)] = stored[1]
            if b.period not in word_only:
                found[layout.bulletin_pdf(b.period)] = stored[0]
        else:
            missing.append(b)
    later = [layout.bulletin_docx(b.period) for b in missing]
    later += [layout.bulletin_pdf(b.period) for b in missing if b.period not in word_only]
    later += [layout.original_pdf(p) for p in records]

    extra = None
    if history is not None:
        extra = MonthFiles(root, bulletins, history, site=site, settings=settings, cache=cache)
        found |= extra.found
        later += extra.later

    waiting = set(later)

    def make(svgs: dict[str, str], progress) -> dict[str, bytes]:
        # the bulletins draw their own, shorter charts (paper.py); the slides take the page's
        made = bulletin_files(
            root,
            missing,
            site=site,
            settings=settings,
            cache=cache,
            progress=progress,
            word_only=word_only,
        )
        made = {path: data for path, data in made.items() if path in waiting}
        if extra is not None:
            made |= extra.make(svgs, progress.advance if progress is not None else lambda n: None)
        return made | original_pdfs(
            root, records, metas, charts, site=site, settings=settings, cache=cache
        )

    # the bulletins draw their own, shorter charts (paper.py); the slides use the page's
    needed = extra.charts if extra is not None else set()
    steps = len(missing) + (len(extra.missing) if extra is not None else 0)
    return Pending(found, later, needed, make, steps)


def bulletin_files(
    root: Path,
    bulletins: list,
    *,
    site,
    settings: DocumentSettings,
    cache: Cache,
    progress=None,
    word_only: frozenset = frozenset(),
    review: bool = False,
) -> dict[str, bytes]:
    """The PDF and .docx of every bulletin, their charts drawn for paper (paper.py);
    only the .docx (the PDF b"") of the months in `word_only` (their PDF kept as issued).
    `review`: the 送审稿, watermarked and with the 签发单 (`review_pdf`)."""
    template, keyed = _keyed(root, bulletins, site, settings, word_only)
    if review:
        keyed = [(b, correction, keys.key_of("review", key)) for b, correction, key in keyed]
    found: dict[str, tuple[bytes, bytes]] = {}
    for _, _, key in keyed:
        stored = cache.load("documents", key)
        if isinstance(stored, tuple):
            found[key] = stored
            if progress is not None:
                progress.advance()
    # a key once only: two months showing the same are made once
    missing = {key: (b, correction) for b, correction, key in keyed if key not in found}
    if missing:
        folders, families = font_setup(root, settings, cache)
        setup = Setup(site, settings, folders, families, template.read_text(encoding="utf-8"))
        printed = [
            c for b, _ in missing.values() for c in b.charts if on_paper(c.chart_id, b.figures)
        ]
        svgs = paper_svgs(printed, cache)
        pngs = {i: cache.get("chart-png", picture_key(svg)) for i, svg in svgs.items()}
        jobs = [
            Job(
                b.figures,
                b.commentary,
                b.meta,
                correction,
                titles={c.chart_id: (c.title, c.summary) for c in b.charts},
                svgs={c.chart_id: svgs[c.svg_id] for c in b.charts if c.svg_id in svgs},
                pictures={c.chart_id: png for c in b.charts if (png := pngs.get(c.svg_id))},
                pdf=b.period not in word_only,
                review=review,
            )
            for b, correction in missing.values()
        ]
        on_done = progress.advance if progress is not None else None
        for key, made in zip(missing, make_all(setup, jobs, on_done=on_done), strict=True):
            cache.store("documents", key, made)
            found[key] = made
        # the pictures drawn with the documents (making.py), kept for the next build; a
        # chart id names a chart within its month only
        for key, (b, _) in missing.items():
            drawn = {c.chart_id: c.svg_id for c in b.charts}
            for chart_id, png in word_pictures(found[key][1]).items():
                svg_id = drawn.get(chart_id)
                if svg_id in svgs and not pngs.get(svg_id):
                    cache.put("chart-png", picture_key(svgs[svg_id]), png)
                    pngs[svg_id] = png
    files: dict[str, bytes] = {}
    for b, _, key in keyed:
        pdf, word = found[key]
        files[layout.bulletin_pdf(b.period)] = pdf
        files[layout.bulletin_docx(b.period)] = word
    return files


def original_pdfs(
    root: Path,
    records: dict[str, dict],
    metas: dict[str, dict],
    charts: dict[str, list],
    *,
    site,
    settings: DocumentSettings,
    cache: Cache,
) -> dict[str, bytes]:
    """The 原版 PDF of each corrected month, made again from its record (`records`):
    the figures as published and the commentary as issued, without the later revisions;
    `charts`: the month's charts drawn from the record's figures."""
    originals = []
    for period, record in records.items():
        meta = {k: v for k, v in metas[period].items() if k != "revisions"}
        figures = record["figures"]
        digest = keys.canonical_json(figures)
        commentary = record.get("commentary")
        originals.append(Bulletin(period, figures, commentary, meta, charts[period], b"", digest))
    made = bulletin_files(root, originals, site=site, settings=settings, cache=cache)
    return {layout.original_pdf(b.period): made[layout.bulletin_pdf(b.period)] for b in originals}


def review_pdf(root: Path, bulletin, *, site, settings: DocumentSettings, cache: Cache) -> bytes:
    """The month's 送审稿 for sign-off (签发): its bulletin PDF with a 送审稿 watermark on
    every page and the 签发单 (拟稿、核稿、签发) after it, from the same layout template
    (templates/document/bulletin.typ, told by `doc.review`)."""
    made = bulletin_files(root, [bulletin], site=site, settings=settings, cache=cache, review=True)
    return made[layout.bulletin_pdf(bulletin.period)]
