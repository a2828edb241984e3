"""The .docx writer's fast paths write what python-docx's own calls write: a table built
as markup equals one built with add_table, cell merges and header rows; the parts every
month shares are made once and no month's content leaks into the next."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from tongbao.document.blocks import Cell, Document, Heading, Paragraph, Run, Table
from tongbao.document.word import _table, docx_bytes, grid_positions
from tongbao.document.word_table import table_properties, twips_widths

FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体", "kai": "楷体_GB2312"}

# spans across and down, both at once, a short row, empty cells, text needing escapes
TABLE = Table(
    "表",
    head=(
        (
            Cell("单位", rowspan=2, label=True),
            Cell("签约", colspan=2),
            Cell("到位 & <资金>", rowspan=2),
        ),
        (Cell("个数"), Cell("金额")),
    ),
    rows=(
        (Cell("甲组", colspan=4, group=True),),
        (Cell(" 东营区 ", label=True), Cell("1,234", numeric=True), Cell(""), Cell("5\r6")),
        (Cell("合计", colspan=2, rowspan=2), Cell("9", numeric=True)),
        (Cell("x"),),
        (Cell("a"), Cell('"b"')),
    ),
    widths=(2, 1, 1, 0),
)


def python_docx_table(document, block: Table, style_id: str) -> None:
    """The table as python-docx's own calls make it (the writer's former code), with
    the columns' widths set through python-docx: each column, each cell (a merge sums
    them), the layout fixed; the cell margins, noWrap and vAlign as plain elements."""
    rows = list(block.head) + list(block.rows)
    columns = len(block.widths)
    table = document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    widths = twips_widths(block)
    table_properties(table._tbl, widths)
    grid = table._cells
    for r in range(len(rows)):
        for c in range(columns):
            grid[r * columns + c].width = Twips(widths[c])
    placed = grid_positions(rows)
    for r, c, cell in placed:
        tc = grid[r * columns + c]._tc
        if cell.numeric:
            tc.tcPr.append(tc.tcPr.makeelement(qn("w:noWrap"), {}))
        grid[r * columns + c].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = tc.find(qn("w:p"))
        properties = paragraph.makeelement(qn("w:pPr"), {})
        properties.append(properties.makeelement(qn("w:pStyle"), {qn("w:val"): style_id}))
        align = "right" if cell.numeric else "left" if cell.group or cell.label else "center"
        properties.append(properties.makeelement(qn("w:jc"), {qn("w:val"): align}))
        paragraph.append(properties)
        if cell.text:
            run = paragraph.makeelement(qn("w:r"), {})
            text = run.makeelement(qn("w:t"), {})
            text.text = cell.text
            if cell.text != cell.text.strip():
                text.set(qn("xml:space"), "preserve")
            run.append(text)
            paragraph.append(run)
    for r, c, cell in placed:
        if cell.colspan > 1 or cell.rowspan > 1:
            end = grid[(r + cell.rowspan - 1) * columns + c + cell.colspan - 1]
            grid[r * columns + c].merge(end)
    for r in range(len(block.head)):
        trpr = table.rows[r]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def test_a_table_as_markup_is_the_table_python_docx_makes():
    ids = {"Table Grid": "TableGrid", "表格文字": "表格文字"}
    made = []
    for build in (
        lambda d: _table(d, TABLE, ids),
        lambda d: python_docx_table(d, TABLE, "表格文字"),
    ):
        document = docx.Document()
        build(document)
        made.append(etree.tostring(document.element, encoding="UTF-8"))
    assert made[0] == made[1]
    tbl = docx.Document(io.BytesIO(docx_of(TABLE))).tables[0]
    assert [c.text for c in tbl.rows[3].cells] == [" 东营区 ", "1,234", "", "5\r6"]
    assert tbl.cell(4, 0).text == "合计" and tbl.cell(5, 1).text == "合计"
    assert tbl.cell(0, 3).text == "到位 & <资金>"


def document(title: str, body: tuple) -> Document:
    return Document(
        "红头", "2025年第1期", "局", "2025年1月2日", "2025-01-02", title, body, (), "", "局"
    )


def docx_of(table: Table) -> bytes:
    return docx_bytes(document("题", (table,)), fonts=FONTS)


def test_no_month_leaks_into_the_next():
    """The shared parts are made once: a document made after others is the one made first,
    and another month's words appear in neither."""
    first = document("一月", (Heading(1, "一、总体情况"), Paragraph((Run("甲"),)), TABLE))
    other = document("二月", (Heading(2, "（一）乙"), Paragraph((Run("乙", strong=True),))))
    made = docx_bytes(first, fonts=FONTS)
    docx_bytes(other, fonts=FONTS)
    docx_bytes(other, fonts=FONTS | {"body": "宋体"})
    assert docx_bytes(first, fonts=FONTS) == made
    with zipfile.ZipFile(io.BytesIO(made)) as parts:
        body = parts.read("word/document.xml").decode()
        core = parts.read("docProps/core.xml").decode()
    assert "一月" in core and "二月" not in core and "二月" not in body and "乙" not in body
    text = [p.text for p in docx.Document(io.BytesIO(made)).paragraphs]
    assert text[-4:-1] == ["一、总体情况", "甲", "表"]


def test_each_month_has_its_own_chart_pictures(demo_site):
    """The .docx's pictures are its month's charts: chart ids repeat from month to
    month, so a picture kept under the wrong month's chart would show one month's bars
    in every Word file (a bug the PNG cache once had). The demo's months all differ."""
    from tongbao.document.word import word_pictures

    months = sorted(p.stem for p in (demo_site / "data").glob("20??-??.json"))
    seen: dict[bytes, str] = {}
    for period in months:
        pictures = word_pictures((demo_site / "bulletins" / f"{period}.docx").read_bytes())
        assert {"chart-1-1", "chart-2-signed_amount"} <= set(pictures), period
        png = pictures["chart-1-1"]
        assert png.startswith(b"\x89PNG"), period
        assert png not in seen, (period, seen.get(png))
        seen[png] = period
