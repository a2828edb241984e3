"""Where every output lives: the one owner of the site's paths and URLs.

Every file the build writes into `site/` (and every file the record keeps in the
repository) is named here, relative to its root, with `/` as separator. Other modules
ask this one; `tests/test_structure.py` finds no output path spelled anywhere else.
Pages are named by their Markdown source (`bulletins/2025-06.md`): MkDocs writes them
as `.html` (`html`), and `link` gives the relative URL between two outputs.
"""

from __future__ import annotations

import functools
import posixpath

# --- pages (Markdown sources; MkDocs writes each as .html) ------------------------
HOME = "index.md"
ARCHIVE = "bulletins/index.md"  # 往期通报
ABOUT = "about.md"  # 口径说明
DATA_CONTRACT = "data.md"  # 数据规范
GUIDE = "guide.md"  # 使用说明
SEARCH_PAGE = "search.md"
NOT_FOUND = "404.html"  # MkDocs' own page for a missing address
# The newest issue at an address that never changes (a redirect written after MkDocs):
# older bulletins and the navigation link here, so adding a month leaves them as they are.
LATEST = "bulletins/latest.html"


def bulletin_page(period: str) -> str:
    return f"bulletins/{period}.md"


def unit_page(unit_id: str) -> str:
    return f"units/{unit_id}.md"


# --- a month's documents and downloads --------------------------------------------
def bulletin_pdf(period: str) -> str:
    return f"bulletins/{period}.pdf"


def bulletin_docx(period: str) -> str:
    return f"bulletins/{period}.docx"


def original_pdf(period: str) -> str:
    """A corrected month's 原版: its PDF as first issued."""
    return f"bulletins/{period}-original.pdf"


def slides_pdf(period: str) -> str:
    """The 16:9 slides for the dispatching meeting (调度会)."""
    return f"bulletins/{period}-slides.pdf"


def month_json(period: str) -> str:
    """The month's figures (site/data/YYYY-MM.json)."""
    return f"data/{period}.json"


def downloads_folder(period: str) -> str:
    return f"downloads/{period}"


def workbook_name(period: str) -> str:
    return f"tongbao-{period}.xlsx"


def workbook(period: str) -> str:
    """The month's published tables as .xlsx."""
    return f"{downloads_folder(period)}/{workbook_name(period)}"


def chart_csv(period: str, chart_id: str) -> str:
    """One chart's data as .csv."""
    return f"{downloads_folder(period)}/{chart_id}.csv"


def unit_sheet(period: str, unit_id: str) -> str:
    """One unit's sheet (单位通报单) for a month: an A4 PDF."""
    return f"{downloads_folder(period)}/units/{unit_id}.pdf"


def unit_sheet_entry(period: str, unit_name: str) -> str:
    """A unit's sheet inside the month's zip: named for the clerk who unpacks it."""
    return f"{period}-{unit_name}.pdf"


def unit_sheets_zip(period: str) -> str:
    """Every unit's sheet of a month in one zip."""
    return f"{downloads_folder(period)}/units-{period}.zip"


def unit_chart_csv(unit_id: str, chart_id: str) -> str:
    """One of a unit's history charts' data as .csv."""
    return f"downloads/units/{unit_id}/{chart_id}.csv"


# --- the archive ------------------------------------------------------------------
FIGURES_CSV = "data/figures.csv"
FIGURES_XLSX = "data/figures.xlsx"
FIGURES_SCHEMA = "data/figures.schema.json"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
CALENDAR = "calendar.ics"

# --- search -----------------------------------------------------------------------
SEARCH_INDEX = "pagefind"  # the primary Pagefind index: the newest year, units, definitions
SEARCH_YEARS = "pagefind/years.json"  # the years with an index of their own
OFFLINE_INDEX = "search/offline-index.js"  # the search from disk (file://)
SEARCH_ENTITIES = "search-entities.json"  # units and projects by name, for the search page


def search_year(year: str) -> str:
    """The Pagefind index of one fully issued year."""
    return f"pagefind/years/{year}"


# --- the record, kept in the repository beside data/ and content/ -----------------
RECORD_DIR = "published"


def record(period: str) -> str:
    """What was issued for a month (published/YYYY-MM.json)."""
    return f"{RECORD_DIR}/{period}.json"


def issued_pdf(period: str) -> str:
    """The month's PDF as issued, byte for byte (published/YYYY-MM.pdf)."""
    return f"{RECORD_DIR}/{period}.pdf"


# --- the review copy for sign-off (python build.py review), outside site/ -----------
REVIEW_DIR = "review"


def review_folder(period: str) -> str:
    """A month's 送审稿 and its preview site (review/YYYY-MM/), never published."""
    return f"{REVIEW_DIR}/{period}"


def review_pdf(period: str) -> str:
    """The bulletin PDF for sign-off: watermarked 送审稿, with the 签发单."""
    return f"{review_folder(period)}/送审稿-{period}.pdf"


def review_site(period: str) -> str:
    """The site as it will appear with the month in it (review/YYYY-MM/site/)."""
    return f"{review_folder(period)}/site"


# --- URLs -------------------------------------------------------------------------
def html(page: str) -> str:
    """Where MkDocs writes a generated page (.md → .html)."""
    return page[:-3] + ".html" if page.endswith(".md") else page


@functools.lru_cache(maxsize=65536)
def link(from_page: str, to_file: str) -> str:
    """A relative URL between two outputs (.md pages become .html); asked for thousands
    of times a build with the same few folders."""
    return posixpath.relpath(html(to_file), posixpath.dirname(from_page) or ".")
