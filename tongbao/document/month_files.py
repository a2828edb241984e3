"""Each issued month's unit sheets (单位通报单, one A4 PDF per unit, and a zip of them)
and its slides for the dispatching meeting (调度会, a 16:9 PDF).

The sheets' and slides' data are built here from the month's figures (sheet.py,
slides.py: final text, nothing computed again); a month's files are cached together on
that data, the bulletin charts the slides print (by their specs' ids), the templates,
the fonts and the library versions. A month not in the cache is typeset in this process,
or in worker processes when many are (a sheet costs ≈ 0.05 s of Typst, a month ≈ 1 s).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import keys, layout
from ..bulletin.model import SiteText
from ..cache import Cache
from ..charts import lead_history, unit_progress
from ..schema import month_indicators
from .pdf import font_setup
from .settings import DocumentSettings
from .sheet import history_points, unit_sheet
from .slides import slides_document
from .typeset import SLIDES_TEMPLATE, UNIT_TEMPLATE, template_path, typeset

SHEET_MONTHS = 24  # a sheet's line: its month and the 23 before (two years at most)
# A zip entry's fixed time (the zip format's earliest): the same sheets, the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class MonthJob:
    """One month's sheets and slides: what they show (JSON-ready), and the SVGs of the
    bulletin charts the slides print (filled in before typesetting)."""

    period: str
    sheets: dict[str, dict]  # unit_id → the sheet's data
    names: dict[str, str]  # unit_id → name (for the zip's entries)
    slides: dict
    svg_ids: dict[str, str]  # chart id → svg_id of the slides' charts


def month_job(b, figures: dict[str, dict], published: list[str], site: SiteText) -> MonthJob:
    """The data of a month's sheets and slides (`b`: its pages.Bulletin)."""
    month = b.figures
    new = (month.get("projects") or {}).get("new_this_month")
    sheets, names = {}, {}
    lead = month_indicators(month).lead
    months = [p for p in published if p <= b.period][-SHEET_MONTHS:]
    for unit in month["units"]:
        uid = unit["unit_id"]
        history = lead_history(uid, lead, figures, months) if lead else []
        chart = unit_progress(unit["name"], history, lead) if lead else None
        projects = None if new is None else [p for p in new if p["unit_id"] == uid]
        sheet = unit_sheet(
            month,
            uid,
            site=site,
            projects=projects,
            chart=(chart.title, chart.summary) if chart else None,
        )
        if chart is not None:
            sheet["chart"]["points"] = history_points(chart.rows)
        sheets[uid], names[uid] = sheet, unit["name"]
    titles = {c.chart_id: (c.title, c.summary) for c in b.charts}
    slides = slides_document(month, site=site, chart_titles=titles)
    shown = {c["id"] for c in slides["charts"]}
    svg_ids = {c.chart_id: c.svg_id for c in b.charts if c.chart_id in shown}
    return MonthJob(b.period, sheets, names, slides, svg_ids)


def sheets_zip(period: str, sheets: dict[str, bytes], names: dict[str, str]) -> bytes:
    """Every unit's sheet of the month, in the register's order, with fixed entry times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for uid, pdf in sheets.items():
            entry = zipfile.ZipInfo(layout.unit_sheet_entry(period, names[uid]), ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, pdf)
    return buffer.getvalue()


@dataclass(frozen=True)
class Typesetting:
    """What every month's files share: templates, fonts."""

    unit_template: str
    slides_template: str
    families: dict[str, str]
    font_folders: list[str]


def make_month(setting: Typesetting, job: MonthJob, svgs: dict[str, str]) -> dict[str, bytes]:
    """A month's files by their paths in the site. `svgs`: chart id → SVG."""
    fonts = dict(setting.families)
    sheets = {
        uid: typeset(setting.unit_template, data, fonts=fonts, font_folders=setting.font_folders)
        for uid, data in job.sheets.items()
    }
    slides = dict(job.slides)
    slides["charts"] = [c | {"svg": svgs[c["id"]]} for c in slides["charts"] if c["id"] in svgs]
    files = {layout.unit_sheet(job.period, uid): pdf for uid, pdf in sheets.items()}
    files[layout.unit_sheets_zip(job.period)] = sheets_zip(job.period, sheets, job.names)
    files[layout.slides_pdf(job.period)] = typeset(
        setting.slides_template, slides, fonts=fonts, font_folders=setting.font_folders
    )
    return files


def _make_batch(setting: Typesetting, batch: list[tuple[MonthJob, dict]]) -> list[dict]:
    return [make_month(setting, job, svgs) for job, svgs in batch]


POOL_THRESHOLD = 4  # months: a worker's start-up (≈ 1 s) pays from about four
BATCH = 2


def make_months(setting: Typesetting, work: list[tuple[MonthJob, dict]], on_done) -> list[dict]:
    """Each month's files, in order: in two worker processes when there are many."""
    made: dict[int, dict] = {}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2
    if len(work) >= POOL_THRESHOLD and cores >= 2:
        # spawn, not fork, as for the charts and the bulletins (no threads inherited)
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))
        try:
            futures = [
                (i, pool.submit(_make_batch, setting, work[i : i + BATCH]))
                for i in range(0, len(work), BATCH)
            ]
            for start, future in futures:
                for offset, files in enumerate(future.result()):
                    made[start + offset] = files
                    on_done(1)
        except BrokenProcessPool:
            pass  # a worker could not start (no __main__ guard): make the rest here
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for i, (job, svgs) in enumerate(work):
        if i not in made:
            made[i] = make_month(setting, job, svgs)
            on_done(1)
    return [made[i] for i in range(len(work))]


def _versions() -> str:
    return f"typst=={metadata.version('typst')}"


class MonthFiles:
    """The sheets and slides of every issued month: those the cache holds (`found`),
    and `make(svgs, on_done)` for the others once the slides' charts are drawn."""

    def __init__(
        self,
        root: Path,
        bulletins: list,
        figures: dict[str, dict],
        *,
        site: SiteText,
        settings: DocumentSettings,
        cache: Cache,
    ):
        self.root, self.settings, self.cache = root, settings, cache
        published = [b.period for b in bulletins]
        unit_t = template_path(root, UNIT_TEMPLATE).read_text(encoding="utf-8")
        slides_t = template_path(root, SLIDES_TEMPLATE).read_text(encoding="utf-8")
        self.templates = (unit_t, slides_t)
        shared = keys.documents(
            _versions(),
            repr(site),
            repr(settings),
            unit_t + slides_t,
            sorted(settings.font_files(root).values()),
            root,
        )
        self.found: dict[str, bytes] = {}
        self.missing: list[tuple[MonthJob, str]] = []
        for b in bulletins:
            job = month_job(b, figures, published, site)
            shown = keys.canonical_json({"sheets": job.sheets, "slides": job.slides})
            key = keys.month_files(shared, shown, sorted(job.svg_ids.values()))
            stored = cache.load("month-files", key)
            if isinstance(stored, dict):
                self.found |= stored
            else:
                self.missing.append((job, key))

    @property
    def later(self) -> list[str]:
        """The paths still to make."""
        return [path for job, _ in self.missing for path in paths(job)]

    @property
    def charts(self) -> set[str]:
        return {i for job, _ in self.missing for i in job.svg_ids.values()}

    def make(self, svgs: dict[str, str], on_done=lambda n: None) -> dict[str, bytes]:
        """The missing months' files; `svgs`: the SVG of each chart by its svg_id."""
        if not self.missing:
            return {}
        folders, families = font_setup(self.root, self.settings, self.cache)
        setting = Typesetting(*self.templates, families, folders)
        work = [(job, {cid: svgs[i] for cid, i in job.svg_ids.items()}) for job, _ in self.missing]
        files: dict[str, bytes] = {}
        for (_, key), made in zip(self.missing, make_months(setting, work, on_done), strict=True):
            self.cache.store("month-files", key, made)
            files |= made
        return files


def paths(job: MonthJob) -> list[str]:
    return [
        *(layout.unit_sheet(job.period, uid) for uid in job.sheets),
        layout.unit_sheets_zip(job.period),
        layout.slides_pdf(job.period),
    ]
