"""The bulletin as an editable Word file (python-docx): the same document model as the PDF.

For clerks who edit before printing: real Word tables, headings as named styles,
East Asian fonts set on `w:eastAsia` (Word does not embed fonts: office PCs have
仿宋_GB2312 and the others; the names are settings). Charts are left to the PDF:
Word cannot show SVG without a PNG fallback, and the tables carry every figure.
The bytes are deterministic: core properties dated from 印发日期, zip entries with a
fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from .blocks import Cell, Document, Figure, Heading, Items, Paragraph, Run, Table

STYLE_NAMES = {"heading": "Heading 1", "kai": "Heading 2", "title": "Title"}
RED = (0xE6, 0x00, 0x00)


def _east_asian(style_or_run, name: str) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _style(document, name: str, *, font: str, size: float, base: str | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.name = font
    _east_asian(style, font)
    return style


def docx_bytes(doc: Document, *, fonts: dict[str, str]) -> bytes:
    """`fonts`: face (title, body, heading, kai) → the East Asian font name Word uses."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)

    normal = _style(document, "Normal", font=fonts["body"], size=16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.line_spacing = Pt(28.95)  # 22 lines on 225 mm
    normal.paragraph_format.space_after = Pt(0)
    for face, name in STYLE_NAMES.items():
        style = _style(document, name, font=fonts[face], size=22 if face == "title" else 16)
        style.paragraph_format.first_line_indent = Pt(0 if face == "title" else 32)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = Pt(28.95 if face != "title" else 36)
        if face == "title":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text = _style(document, "表格文字", font=fonts["body"], size=12, base="Normal")
    table_text.paragraph_format.first_line_indent = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    caption = _style(document, "表题", font=fonts["heading"], size=14, base="Normal")
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead = _style(document, "发文机关标志", font=fonts["title"], size=36, base="Normal")
    masthead.paragraph_format.first_line_indent = Pt(0)
    masthead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead.paragraph_format.line_spacing = 1.0
    masthead.font.color.rgb = RGBColor(*RED)

    def runs(paragraph, items: tuple[Run, ...]) -> None:
        for item in items:
            run = paragraph.add_run(item.text)
            if item.strong:
                _east_asian(run, fonts["heading"])
            elif item.em:
                _east_asian(run, fonts["kai"])

    for mark in ([("份号：＿＿＿＿＿＿")] if doc.copy_number else []) + (
        [doc.classification] if doc.classification else []
    ):
        document.add_paragraph(mark, style="Heading 1").paragraph_format.first_line_indent = Pt(0)
    document.add_paragraph(doc.masthead, style="发文机关标志")
    line = document.add_paragraph(doc.issue_label)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.first_line_indent = Pt(0)
    issuer = document.add_paragraph(f"{doc.issuer}\t{doc.issued_label}")
    issuer.paragraph_format.first_line_indent = Pt(0)
    issuer.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right
    _rule(issuer, colour="E60000", size=12)
    document.add_paragraph(doc.title, style="Title")
    document.add_paragraph()

    def add(block) -> None:
        if isinstance(block, Heading):
            document.add_paragraph(
                block.text, style="Heading 1" if block.level == 1 else "Heading 2"
            )
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            runs(paragraph, block.runs)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(14)
        elif isinstance(block, Items):
            for number, item in enumerate(block.items, start=1):
                paragraph = document.add_paragraph(f"{number}. " if block.ordered else "· ")
                runs(paragraph, item)
        elif isinstance(block, Table):
            document.add_paragraph(block.caption, style="表题")
            _table(document, block, WD_TABLE_ALIGNMENT)
        elif isinstance(block, Figure):
            paragraph = document.add_paragraph(f"{block.caption}：{block.summary}")
            for run in paragraph.runs:
                run.font.size = Pt(14)

    for block in doc.body:
        add(block)
    if doc.appendix:
        wide = document.add_section()
        wide.orientation = WD_ORIENT.LANDSCAPE
        wide.page_width, wide.page_height = Mm(297), Mm(210)
        wide.top_margin = wide.bottom_margin = Mm(27)
        wide.left_margin = wide.right_margin = Mm(36)
        heading = document.add_paragraph("附表", style="Heading 1")
        heading.paragraph_format.first_line_indent = Pt(0)
        for block in doc.appendix:
            add(block)
        back = document.add_section()
        back.orientation = WD_ORIENT.PORTRAIT
        back.page_width, back.page_height = Mm(210), Mm(297)
        back.top_margin, back.bottom_margin = Mm(37), Mm(35)
        back.left_margin, back.right_margin = Mm(28), Mm(26)
    # 版记
    imprint = []
    if doc.cc:
        imprint.append(f"抄送：{doc.cc}。")
    imprint.append(f"{doc.printer}\t{doc.issued_label}印发")
    for text in imprint:
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.first_line_indent = Pt(14)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(150), alignment=2)
        for run in paragraph.runs:
            run.font.size = Pt(14)
        _rule(paragraph, colour="000000", size=8, top=True)
    _rule(paragraph, colour="000000", size=8)

    day = datetime.fromisoformat(doc.issued or "2000-01-01")
    core = document.core_properties
    core.title, core.author, core.last_modified_by = doc.title, doc.issuer, doc.issuer
    core.created = core.modified = day
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), day)


def _rule(paragraph, *, colour: str, size: int, top: bool = False) -> None:
    """A paragraph border (the 版头's red rule, the 版记's lines)."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = ppr.makeelement(qn("w:pBdr"), {})
        ppr.append(borders)
    edge = borders.makeelement(
        qn("w:top" if top else "w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): "1", qn("w:color"): colour},
    )
    borders.append(edge)


def grid_positions(rows: list[tuple[Cell, ...]]) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, skipping the places earlier spans cover."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, Cell]] = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            c += cell.colspan
    return placed


def _table(document, block: Table, alignment) -> None:
    from docx.oxml.ns import qn

    all_rows = list(block.head) + list(block.rows)
    table = document.add_table(rows=len(all_rows), cols=len(block.widths))
    table.style = "Table Grid"
    table.alignment = alignment.CENTER
    style_id = document.styles["表格文字"].style_id  # by id: the name lookup is slow
    columns = len(block.widths)
    grid = table._cells  # python-docx rebuilds this list on every table.cell() call: once here
    placed = grid_positions(all_rows)
    # each cell's paragraph written as XML: python-docx's per-cell calls took ~0.4 s a
    # document (its element-ordering search on every add); the XML is the same
    for r, c, cell in placed:
        paragraph = grid[r * columns + c]._tc.find(qn("w:p"))
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
    for r, c, cell in placed:  # merging leaves the first cell's paragraph in place
        if cell.colspan > 1 or cell.rowspan > 1:
            end = grid[(r + cell.rowspan - 1) * columns + c + cell.colspan - 1]
            grid[r * columns + c].merge(end)
    # header rows repeat on every page
    for r in range(len(block.head)):
        trpr = table.rows[r]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _fixed_zip(data: bytes, day: datetime) -> bytes:
    """The same entries in the same order, each with the document's date as its timestamp."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(
                info.filename, date_time=(day.year, day.month, day.day, 0, 0, 0)
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
