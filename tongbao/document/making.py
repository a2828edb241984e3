"""Making the PDF and .docx of the months a build does not find in its cache: here, or
in worker processes when there are many (a month costs ≈ 0.2 s of Typst and ≈ 0.2 s of
python-docx, so a cold build of ten years spends most of its time here).

Each job is plain data (the month's figures, commentary and front matter, its charts'
titles, paper SVGs and the PNGs of them the cache holds; the others are drawn with the
documents) and every job of a build shares one `Setup` (the site's words, the document
settings, the font folders and the layout template): a worker builds the view model and
writes both files exactly as this process would, so the bytes are the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from ..bulletin.model import SiteText
from .model import bulletin_document
from .paper import pictures
from .pdf import pdf_bytes
from .settings import DocumentSettings
from .word import docx_bytes


@dataclass(frozen=True)
class Setup:
    """What every month's documents share."""

    site: SiteText
    settings: DocumentSettings
    font_folders: list[str]
    families: dict[str, str]
    template: str


@dataclass(frozen=True)
class Job:
    """One month's documents: what they show."""

    figures: dict
    commentary: str | None
    meta: dict
    correction: dict | None
    titles: dict[str, tuple[str, str]]  # chart id → (title, summary)
    svgs: dict[str, str]  # chart id → SVG (drawn for paper)
    # chart id → PNG for Word, those the cache holds; make() draws the others
    pictures: dict[str, bytes] = field(default_factory=dict)
    # False: the month's PDF is kept as issued (published/YYYY-MM.pdf): only its .docx
    pdf: bool = True
    review: bool = False  # the 送审稿: watermarked, with the 签发单 (python build.py review)


def make(setup: Setup, job: Job) -> tuple[bytes, bytes]:
    """The month's PDF (b"" when kept as issued: `job.pdf`) and .docx."""
    settings = setup.settings
    doc = bulletin_document(
        job.figures,
        job.commentary,
        job.meta,
        site=setup.site,
        chart_titles=job.titles,
        correction=job.correction,
        cc=settings.cc,
        printer=settings.printer,
        copy_number=settings.copy_number,
        classification=settings.classification,
    )
    pdf = b""
    if job.pdf:
        pdf = pdf_bytes(
            doc,
            job.svgs,
            font_folders=setup.font_folders,
            families=setup.families,
            template=setup.template,
            review=job.review,
        )
    # the pictures the cache did not have, drawn here (in a worker when there are many)
    shown = {c: svg for c, svg in job.svgs.items() if c in doc.figures_used}
    missing = {c: svg for c, svg in shown.items() if c not in job.pictures}
    drawn = job.pictures | pictures(missing, setup.font_folders)
    word = docx_bytes(doc, fonts=dict(settings.word_fonts), pictures=drawn, svgs=job.svgs)
    return pdf, word


def _make_batch(setup: Setup, jobs: list[Job]) -> list[tuple[bytes, bytes]]:
    return [make(setup, job) for job in jobs]


# A worker pays Python's start-up, the imports and its own Typst compiler reading the
# fonts (≈ 1 s in all): below POOL_THRESHOLD documents, making them here is quicker.
POOL_THRESHOLD = 8
BATCH = 4  # months a task: small enough to balance two workers


def _workers(jobs: int) -> int:
    """How many worker processes to make `jobs` documents with (0: in this process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    if jobs < POOL_THRESHOLD or cores < 2:
        return 0
    return min(2, cores)


def make_all(
    setup: Setup,
    jobs: list[Job],
    *,
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
) -> list[tuple[bytes, bytes]]:
    """The PDF and .docx of each job, in order; `on_done(n)` hears of each n made."""
    on_done = on_done or (lambda n: None)
    made: dict[int, tuple[bytes, bytes]] = {}
    workers = _workers(len(jobs)) if workers is None else workers
    if workers > 0 and jobs:
        # spawn, not fork, as for the charts (svg.py): no threads inherited half-way
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            futures: dict[Future, int] = {
                pool.submit(_make_batch, setup, jobs[i : i + BATCH]): i
                for i in range(0, len(jobs), BATCH)
            }
            for future in as_completed(futures):
                start = futures[future]
                for offset, files in enumerate(future.result()):
                    made[start + offset] = files
                on_done(len(future.result()))
        except BrokenProcessPool:
            # A worker could not start, e.g. the calling script has no
            # `if __name__ == "__main__":` guard (spawn re-runs it): make the rest here.
            pass
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for i, job in enumerate(jobs):
        if i not in made:
            made[i] = make(setup, job)
            on_done(1)
    return [made[i] for i in range(len(jobs))]
