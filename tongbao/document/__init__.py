"""The bulletin as an official document: `bulletins/<month>.pdf` (GB/T 9704-2012 layout,
Typst) and `bulletins/<month>.docx` (editable, python-docx), from one view model
(`model.bulletin_document`) built from the month's figures and commentary.

Each file is cached on what it shows: the figures' digest, the commentary, the front
matter, the charts' specs, the site's words, the document settings (and the bytes of
the bureau's font files), the layout template and the library versions.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from .. import keys
from ..cache import Cache
from ..pages.common import Bulletin, original_pdf_path
from ..pages.views import correction_view
from .model import bulletin_document
from .pdf import TEMPLATE, font_setup, pdf_bytes
from .settings import DocumentSettings
from .word import docx_bytes

__all__ = ["DocumentSettings", "bulletin_files", "original_pdfs", "pdf_name", "docx_name"]


def pdf_name(period: str) -> str:
    return f"bulletins/{period}.pdf"


def docx_name(period: str) -> str:
    return f"bulletins/{period}.docx"


def _versions() -> str:
    return ",".join(f"{name}=={metadata.version(name)}" for name in ("typst", "python-docx"))


def layout_template(root: Path) -> Path:
    """The bureau's own layout (templates/document/bulletin.typ) or the package's."""
    own = root / "templates" / "document" / "bulletin.typ"
    return own if own.is_file() else TEMPLATE


def bulletin_files(
    root: Path,
    bulletins: list,
    svgs: dict[str, str],
    *,
    site,
    settings: DocumentSettings,
    cache: Cache,
    progress=None,
) -> dict[str, bytes]:
    """The PDF and .docx of every bulletin. `svgs`: the SVG of each chart by its
    `svg_id`."""
    template = layout_template(root)
    shared = keys.documents(
        _versions(),
        repr(site),
        repr(settings),
        template.read_text(encoding="utf-8"),
        sorted(settings.font_files(root).values()),
        root,
    )
    fonts: tuple[list[str], dict[str, str]] | None = None
    files: dict[str, bytes] = {}
    for b in bulletins:
        correction = correction_view(b.correction)
        key = keys.document(
            shared,
            b.digest or keys.canonical_json(b.figures),
            b.commentary or "",
            {"meta": b.meta, "correction": correction},
            [c.svg_id for c in b.charts],
        )

        def make(b=b, correction=correction) -> tuple[bytes, bytes]:
            nonlocal fonts
            if fonts is None:
                fonts = font_setup(root, settings, cache)
            titles = {c.chart_id: (c.title, c.summary) for c in b.charts}
            by_chart = {c.chart_id: svgs[c.svg_id] for c in b.charts}
            doc = bulletin_document(
                b.figures,
                b.commentary,
                b.meta,
                site=site,
                chart_titles=titles,
                correction=correction,
                cc=settings.cc,
                printer=settings.printer,
                copy_number=settings.copy_number,
                classification=settings.classification,
            )
            folders, families = fonts
            pdf = pdf_bytes(
                doc,
                by_chart,
                font_folders=folders,
                families=families,
                template=template.read_text(encoding="utf-8"),
            )
            return pdf, docx_bytes(doc, fonts=dict(settings.word_fonts))

        pdf, word = cache.memo("documents", key, make)
        files[pdf_name(b.period)] = pdf
        files[docx_name(b.period)] = word
        if progress is not None:
            progress.advance()
    return files


def original_pdfs(
    root: Path,
    records: dict[str, dict],
    metas: dict[str, dict],
    charts: dict[str, list],
    svgs: dict[str, str],
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
    made = bulletin_files(root, originals, svgs, site=site, settings=settings, cache=cache)
    return {original_pdf_path(b.period): made[pdf_name(b.period)] for b in originals}
