"""The PDF's tables and page budget, read back from the demo's PDFs with pdfplumber: no
figure runs over a table's rules, every month's body fits 8 pages; and the column
widths the PDF and the Word file share (tongbao/document/widths.py)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from tongbao.document.blocks import Cell, Table
from tongbao.document.widths import PADDING, column_widths, text_width

FIGURE_CHARS = set("0123456789.,%+−-")
TABLE_SIZE = 12.0  # 小4: the tables' type (the body is 16 pt, notes 14, chart labels 9.3)


def published(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "data").glob("20??-??.json"))


def table_rules(page) -> list[dict]:
    """The tables' cell rules: black lines 0.5 pt wide (the charts' rules and grid lines
    are grey or dashed, the 版头's red)."""
    return [
        line
        for line in page.lines
        if abs((line.get("linewidth") or 0) - 0.5) < 0.01 and line.get("stroking_color") in (0, 0.0)
    ]


def crossings(page) -> list[str]:
    """Each character of a figure in a table that a cell rule runs through: a vertical
    rule strictly between its left and right edges (the figure ran into the next
    column), or a horizontal one strictly between its top and bottom."""
    found = []
    rules = table_rules(page)
    chars = [
        c for c in page.chars if abs(c["size"] - TABLE_SIZE) < 0.2 and c["text"] in FIGURE_CHARS
    ]
    eps = 0.05
    for c in chars:
        for rule in rules:
            vertical = abs(rule["x0"] - rule["x1"]) < 0.01
            if vertical:
                through = c["x0"] + eps < rule["x0"] < c["x1"] - eps
                overlap = rule["top"] < c["bottom"] - eps and rule["bottom"] > c["top"] + eps
            else:
                through = c["top"] + eps < rule["top"] < c["bottom"] - eps
                overlap = rule["x0"] < c["x1"] - eps and rule["x1"] > c["x0"] + eps
            if through and overlap:
                found.append(
                    f"p{page.page_number} {c['text']!r} at x={c['x0']:.1f} y={c['top']:.1f}"
                )
    return found


@pytest.mark.parametrize("period", ["2024-06", "2025-04", "2025-12"])
def test_no_figure_crosses_a_table_rule(demo_site: Path, period: str):
    """Every figure of every table (portrait and the landscape 附表) stays inside its
    cell: 30,362.00 and 36,900.00 once ran into the next column of the overview."""
    with pdfplumber.open(demo_site / "bulletins" / f"{period}.pdf") as pdf:
        checked = 0
        bad: list[str] = []
        for page in pdf.pages:
            if table_rules(page):
                checked += 1
                bad += crossings(page)
    assert checked >= 4, "tables found on too few pages: is the rule filter still right?"
    assert not bad, bad[:20]


def test_the_overview_figures_sit_inside_their_columns(demo_site: Path):
    """The widest figure of the latest month's overview (累计 of 实际使用外资, tens of
    thousands with two decimals) has its column's rules on both sides, with room."""
    latest = published(demo_site)[-1]
    with pdfplumber.open(demo_site / "bulletins" / f"{latest}.pdf") as pdf:
        page = pdf.pages[0]
        rows = page.extract_words()
        wide = [w for w in rows if "," in w["text"] and abs(w["bottom"] - w["top"] - 12) < 1]
        assert wide, "no grouped figure on page 1"
        xs = sorted({round(r["x0"], 2) for r in table_rules(page) if abs(r["x0"] - r["x1"]) < 0.01})
        for word in wide:
            left = max(x for x in xs if x <= word["x0"])
            right = min(x for x in xs if x >= word["x1"])
            assert word["x0"] - left >= PADDING - 0.1 and right - word["x1"] >= PADDING - 0.1, (
                word["text"],
                left,
                right,
            )


def test_every_month_prints_at_most_8_body_pages(demo_site: Path):
    """Body pages: the portrait pages before the 附表 (the appendix starts on the first
    landscape page, its first line 附表; the 版记's page after it is not body). GB/T 9704
    body text stays 16 pt (checked in test_document.py); the budget is kept by the
    charts' paper heights and the tables' density."""
    over = {}
    for period in published(demo_site):
        with pdfplumber.open(demo_site / "bulletins" / f"{period}.pdf") as pdf:
            pages = pdf.pages
            start = next(i for i, p in enumerate(pages) if p.width > p.height)
            assert (pages[start].extract_text() or "").strip().startswith("附表"), period
            assert all(p.width < p.height for p in pages[:start]), period
        if start > 8:
            over[period] = start
    assert not over, over


# --------------------------------------------------------------------------- widths


def test_text_width_counts_cjk_as_one_em_and_digits_narrower():
    assert text_width("东营区", 12) == pytest.approx(36)
    assert text_width("30,362.00", 12) == pytest.approx((0.56 * 7 + 0.33 * 2) * 12)
    assert text_width("128.85%", 12) == pytest.approx((0.48 + 0.56 * 4 + 0.33 + 0.93) * 12)
    assert text_width("30,362.00", 12, wide=True) > text_width("30,362.00", 12)
    assert text_width("总投资\n（亿元）", 12) == pytest.approx(48)  # the longer line


def test_figures_get_their_width_and_names_share_the_rest():
    table = Table(
        "表",
        head=((Cell("单位"), Cell("累计"), Cell("完成率")),),
        rows=(
            (
                Cell("黄河三角洲农业高新技术产业示范区", label=True),
                Cell("30,362.00"),
                Cell("128.85%"),
            ),
            (Cell("东营区", label=True), Cell("5.00"), Cell("—")),
        ),
        widths=(1.0, 0.0, 0.0),
    )
    widths = column_widths(table, 300, 12)
    assert sum(widths) == pytest.approx(300)
    assert widths[1] >= text_width("30,362.00", 12) + 2 * PADDING
    assert widths[2] >= text_width("128.85%", 12) + 2 * PADDING
    # the name is longer than what is left: it gets all of it and wraps
    assert widths[0] == pytest.approx(300 - widths[1] - widths[2])
    # a short name is given only what it needs; the room left widens every column alike
    short = Table(table.caption, table.head, table.rows[1:], table.widths)
    narrow = column_widths(short, 300, 12)
    assert sum(narrow) == pytest.approx(300)
    spare = narrow[2] - (text_width("完成率", 12) + 2 * PADDING)
    assert narrow[0] == pytest.approx(text_width("东营区", 12) + 2 * PADDING + spare)


def test_a_spanning_header_widens_the_columns_it_spans():
    table = Table(
        "表",
        head=(
            (Cell("单位", rowspan=2), Cell("实际使用外资（万美元）", colspan=2)),
            (Cell("a"), Cell("b")),
        ),
        rows=((Cell("甲", label=True), Cell("1"), Cell("2")),),
        widths=(1.0, 0.0, 0.0),
    )
    widths = column_widths(table, 400, 12)
    # the header may break before its unit: 实际使用外资 on one line over both columns
    assert widths[1] + widths[2] >= text_width("实际使用外资", 12) + 2 * PADDING - 1e-6
