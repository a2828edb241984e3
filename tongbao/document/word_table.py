"""The .docx's tables as Word markup: every column its width (widths.py, measured as
for the PDF but with a wide Latin fallback font's digits), a fixed layout, so Word, WPS and LibreOffice lay a table out as the PDF does
instead of guessing column widths from the text (they then squeezed the unit names to
a character or two a line and broke 128.85% across lines).

The rows are written as markup and parsed at once (lxml's element calls cost ≈ 40 µs a
cell); the result is what python-docx's add_table, cell widths, merges and header rows
would make (tests/test_document_word.py builds both).
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Cell, Table
from .widths import WORD_PADDING, grid_positions, table_widths


@dataclass(frozen=True)
class _Below:
    """A place under a cell spanning rows: an empty cell continuing its merge."""

    colspan: int


_COVERED = object()  # a place right of a cell spanning columns: no cell of its own


def table_properties(tbl, widths: list[int]) -> None:
    """What a table states besides its rows: its columns' widths in twips (w:gridCol),
    its width, a fixed layout (Word keeps the widths whatever the text) and the cells'
    inset (WORD_PADDING pt at the sides, 2.2 pt above and below as in the PDF)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Twips

    tbl.tblPr.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = Twips(width)
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl.tblPr.autofit = False  # w:tblLayout fixed
    margins = tbl.tblPr.makeelement(qn("w:tblCellMar"), {})
    side = str(round(WORD_PADDING * 20))
    for edge, twips in (("top", "44"), ("left", side), ("bottom", "44"), ("right", side)):
        margins.append(
            margins.makeelement(qn(f"w:{edge}"), {qn("w:w"): twips, qn("w:type"): "dxa"})
        )
    tbl.tblPr.find(qn("w:tblLayout")).addnext(margins)  # its place in w:tblPr's sequence


def twips_widths(block: Table) -> list[int]:
    """The columns in twips, measured for the Latin fallback font of a PC without the
    named fonts (widths.WIDE): wider figures than the PDF's, so they never break."""
    return [round(w * 20) for w in table_widths(block, wide=True)]


def _table(
    document, block: Table, style_ids: dict[str, str], widths: list[int] | None = None
) -> None:
    """The table as python-docx's add_table, cell widths, cell merges and header rows
    would write it: each spanned cell's first place keeps its `w:tcW` (the columns'
    widths summed), `w:gridSpan` and `w:vMerge`; the places a span covers to the right
    are gone; those below it are empty cells continuing the merge. A cell of figures
    does not wrap (w:noWrap): its column is as wide as its longest figure."""
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from docx.oxml.table import CT_Tbl

    rows = list(block.head) + list(block.rows)
    widths = widths or twips_widths(block)  # a band's: its whole table's widths
    columns = len(widths)
    tbl = CT_Tbl.new_tbl(0, columns, document._block_width)
    document._body._element._insert_tbl(tbl)
    tbl.tblStyle_val = style_ids["Table Grid"]
    table_properties(tbl, widths)

    # what each place of the grid holds: a cell, _Below(colspan) under a cell spanning
    # rows, _COVERED right of a cell spanning columns, None: an empty cell
    places: list[list] = [[None] * columns for _ in rows]
    for r, c, cell in grid_positions(rows):
        for i in range(cell.rowspan):
            places[r + i][c + 1 : c + cell.colspan] = [_COVERED] * (cell.colspan - 1)
            places[r + i][c] = _Below(cell.colspan) if i else cell
    style = _attribute(style_ids["表格文字"])
    markup = []
    for r, row in enumerate(places):
        markup.append("<w:tr>")
        if r < len(block.head):  # header rows repeat on every page
            markup.append('<w:trPr><w:tblHeader w:val="true"/></w:trPr>')
        for c, place in enumerate(row):
            if place is _COVERED:
                continue
            span = place.colspan if place is not None else 1
            width = sum(widths[c : c + span])
            markup.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>')
            if span > 1:
                markup.append(f'<w:gridSpan w:val="{span}"/>')
            if not isinstance(place, Cell):
                markup.append(
                    "<w:vMerge/></w:tcPr><w:p/></w:tc>" if place else "</w:tcPr><w:p/></w:tc>"
                )
                continue
            if place.rowspan > 1:
                markup.append('<w:vMerge w:val="restart"/>')
            if place.numeric:
                markup.append("<w:noWrap/>")
            markup.append('<w:vAlign w:val="center"/>')
            align = "right" if place.numeric else "left" if place.group or place.label else "center"
            markup.append(
                f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
            )
            if place.text:
                preserve = ' xml:space="preserve"' if place.text != place.text.strip() else ""
                markup.append(f"<w:r><w:t{preserve}>{_content(place.text)}</w:t></w:r>")
            markup.append("</w:p></w:tc>")
        markup.append("</w:tr>")
    tbl.extend(parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(markup)}</w:tbl>"))


def _content(text: str) -> str:
    """Text as lxml writes an element's text."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attribute(text: str) -> str:
    """An attribute value as lxml writes it."""
    for char, escaped in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ('"', "&quot;"),
        ("\n", "&#10;"),
        ("\r", "&#13;"),
        ("\t", "&#9;"),
    ):
        text = text.replace(char, escaped)
    return text
