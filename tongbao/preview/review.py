"""`python build.py review YYYY-MM`: the month for sign-off (签发) before it is issued.

Writes, outside `site/` (review/YYYY-MM/, layout.review_folder): `送审稿-YYYY-MM.pdf`,
the bulletin PDF with a 送审稿 watermark on every page and the 签发单 (拟稿、核稿、签发,
each with a blank for the name and the date), and the site as it will appear with
the month in it, even a draft or a month whose 印发日期 is still ahead, with a 送审稿
banner on its page. No record and no kept PDF are written, and `site/` is not touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import charts, layout, pipeline
from ..bulletin.model import Bulletin, SiteText
from ..cache import project_cache
from ..document import DocumentSettings, review_pdf
from ..progress import Progress
from .page import with_review_banner


@dataclass
class Reviewed:
    checked: pipeline.Checked
    pdf: Path | None = None  # the 送审稿, when the build went through
    page: Path | None = None  # the month's page in the review site


def review(
    root: Path, period: str, *, today: date | None = None, progress: Progress | None = None
) -> Reviewed:
    root = root.resolve()
    folder = root / layout.review_folder(period)
    site_dir = root / layout.review_site(period)
    checked = pipeline.build(
        root, site_dir=site_dir, today=today, record=False, review=period, progress=progress
    )
    if checked.report.errors or checked.data is None or period not in checked.figures:
        return Reviewed(checked)
    page = site_dir / layout.html(layout.bulletin_page(period))
    if page.is_file():
        # write anew, then rename: the page may be a hard link to site/'s (publish/reuse.py)
        marked = page.with_name(page.name + ".tmp")
        marked.write_bytes(with_review_banner(page.read_bytes()))
        marked.replace(page)
    cache = project_cache(root)
    figures = checked.figures[period]
    item = checked.data.commentary.get(period)
    bulletin = Bulletin(
        period,
        figures,
        checked.commentary.get(period),
        item.meta if item is not None else {},
        charts.charts_for_month(figures, checked.figures),
        None,
        checked.figure_digests.get(period, ""),
        checked.corrections.get(period),
    )
    data = review_pdf(
        root,
        bulletin,
        site=SiteText.from_config(checked.config),
        settings=DocumentSettings.from_config(checked.config),
        cache=cache,
    )
    pdf = root / layout.review_pdf(period)
    folder.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(data)
    return Reviewed(checked, pdf, page)
