"""The Atom feed of bulletins and the sitemap: dated by 印发日期, never by the clock.

With `site_url` in mkdocs.yml links are absolute; without it they are relative to
the feed's own address (xml:base), which feed readers on the intranet resolve.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .. import formats, layout, periods

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(figures: dict) -> str:
    """The issue date, or (no front matter) the last day of the period's month."""
    if figures.get("issued"):
        return str(figures["issued"])[:10]
    return periods.month_end(figures["period"]).isoformat()


def _updated(b) -> str:
    """An entry's date: its issue, or the later date of its correction."""
    day = _date(b.figures)
    return max(day, b.correction.revised_on.isoformat()) if b.correction else day


def atom_feed(
    bulletins: list, *, title: str, site_url: str | None, labels: dict[str, str]
) -> bytes:
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    entries = []
    for b in sorted(bulletins, key=lambda b: (_date(b.figures), b.period), reverse=True):
        day = _date(b.figures)
        updated = _updated(b)
        mark = "（已更正）" if b.correction else ""  # a corrected bulletin says so
        mark = "（已撤回）" if b.withdrawn else mark  # a withdrawn one too
        link = base + layout.html(layout.bulletin_page(b.period))
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(labels[b.period] + '（' + formats.period_label(b.period) + '）' + mark)}</title>\n"
            f"    <id>tag:tongbao,{periods.year_of(b.period)}:{escape(title)}/{b.period}</id>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>\n'
            # the official document (PDF) of the bulletin
            f'    <link rel="enclosure" type="application/pdf" title="PDF" href={quoteattr(base + layout.bulletin_pdf(b.period))}/>\n'
            # and the editable Word file of the same bulletin, for clerks
            f'    <link rel="enclosure" type="{DOCX_TYPE}" title="Word" href={quoteattr(base + layout.bulletin_docx(b.period))}/>\n'
            f"    <published>{day}T00:00:00Z</published>\n"
            f"    <updated>{updated}T00:00:00Z</updated>\n"
            f"    <summary>{escape(b.figures['summary'])}</summary>\n"
            "  </entry>\n"
        )
    updated = max((_updated(b) for b in bulletins), default="2000-01-01")
    home = quoteattr(base or "./")
    xml_base = f" xml:base={quoteattr(base)}" if base else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"{xml_base}>\n'
        f"  <title>{escape(title)}</title>\n"
        f"  <id>tag:tongbao,2000:{escape(title)}</id>\n"
        f'  <link rel="alternate" type="text/html" href={home}/>\n'
        f'  <link rel="self" href={quoteattr(base + layout.FEED)}/>\n'
        f"  <updated>{updated}T00:00:00Z</updated>\n" + "".join(entries) + "</feed>\n"
    ).encode("utf-8")


def sitemap(pages: list[tuple[str, str | None]], *, site_url: str | None) -> bytes:
    """pages: (path of the .html page, its date or None)."""
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    rows = []
    for path, day in sorted(pages):
        lastmod = f"<lastmod>{day}</lastmod>" if day else ""
        rows.append(f"  <url><loc>{escape(base + path)}</loc>{lastmod}</url>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "".join(rows)
        + "</urlset>\n"
    ).encode("utf-8")
