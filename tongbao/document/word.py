"""The bulletin as an editable Word file (python-docx): the same document model as the PDF.

For clerks who edit before printing: real Word tables, headings as named styles,
East Asian fonts set on `w:eastAsia` (Word does not embed fonts: office PCs have
仿宋_GB2312 and the others; the names are settings). Charts are left to the PDF:
Word cannot show SVG without a PNG fallback, and the tables carry every figure.
The bytes are deterministic: core properties dated from 印发日期, zip entries with a
fixed timestamp.

What every month shares (python-docx's template read, the page and the styles set, every
part but the body and the core properties serialised) is made once per set of fonts
(`_skeleton`); a month copies the body, adds its blocks (style ids set directly, tables
written as XML: python-docx's name lookups and cell merges were most of the time) and
zips the parts. The bytes are those python-docx's own calls made.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .blocks import Cell, Document, Figure, Heading, Items, Paragraph, Run, Table

STYLE_NAMES = {"heading": "Heading 1", "kai": "Heading 2", "title": "Title"}
RED = (0xE6, 0x00, 0x00)
BODY_PART, CORE_PART = "word/document.xml", "docProps/core.xml"

if TYPE_CHECKING:
    from docx.oxml.coreprops import CT_CoreProperties
    from docx.oxml.document import CT_Document
    from docx.parts.document import DocumentPart


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


@dataclass(frozen=True)
class _Skeleton:
    """What every month's .docx shares for one set of fonts."""

    part: DocumentPart  # python-docx's document part, its page and styles set: read only
    body: CT_Document  # word/document.xml's root as it was then: each month copies it
    core: CT_CoreProperties  # docProps/core.xml's root, likewise
    entries: tuple[tuple[str, bytes | None], ...]  # the zip's entries; None: the month's own
    style_ids: dict[str, str]  # style name → id (python-docx's lookup by name is slow)


@functools.lru_cache(maxsize=4)
def _skeleton(fonts: tuple[tuple[str, str], ...]) -> _Skeleton:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    faces = dict(fonts)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)

    normal = _style(document, "Normal", font=faces["body"], size=16)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.line_spacing = Pt(28.95)  # 22 lines on 225 mm
    normal.paragraph_format.space_after = Pt(0)
    for face, name in STYLE_NAMES.items():
        style = _style(document, name, font=faces[face], size=22 if face == "title" else 16)
        style.paragraph_format.first_line_indent = Pt(0 if face == "title" else 32)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.line_spacing = Pt(28.95 if face != "title" else 36)
        if face == "title":
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table_text = _style(document, "表格文字", font=faces["body"], size=12, base="Normal")
    table_text.paragraph_format.first_line_indent = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    caption = _style(document, "表题", font=faces["heading"], size=14, base="Normal")
    caption.paragraph_format.first_line_indent = Pt(0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead = _style(document, "发文机关标志", font=faces["title"], size=36, base="Normal")
    masthead.paragraph_format.first_line_indent = Pt(0)
    masthead.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    masthead.paragraph_format.line_spacing = 1.0
    masthead.font.color.rgb = RGBColor(*RED)

    core = document.core_properties._element
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        entries = tuple(
            (name, None if name in (BODY_PART, CORE_PART) else saved.read(name))
            for name in saved.namelist()
        )
    names = ("Heading 1", "Heading 2", "Title", "表格文字", "表题", "发文机关标志", "Table Grid")
    return _Skeleton(
        document.part,
        copy.deepcopy(document.element),
        copy.deepcopy(core),
        entries,
        {name: document.styles[name].style_id for name in names},
    )


def docx_bytes(doc: Document, *, fonts: dict[str, str]) -> bytes:
    """`fonts`: face (title, body, heading, kai) → the East Asian font name Word uses."""
    from docx.document import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml
    from docx.shared import Mm, Pt

    skeleton = _skeleton(tuple(sorted(fonts.items())))
    style_ids = skeleton.style_ids
    document = WordDocument(copy.deepcopy(skeleton.body), skeleton.part)

    def add_paragraph(text: str = "", style: str | None = None):
        paragraph = document.add_paragraph(text)
        if style is not None:
            paragraph._p.style = style_ids[style]
        return paragraph

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
        add_paragraph(mark, "Heading 1").paragraph_format.first_line_indent = Pt(0)
    add_paragraph(doc.masthead, "发文机关标志")
    line = document.add_paragraph(doc.issue_label)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.first_line_indent = Pt(0)
    issuer = document.add_paragraph(f"{doc.issuer}\t{doc.issued_label}")
    issuer.paragraph_format.first_line_indent = Pt(0)
    issuer.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right
    _rule(issuer, colour="E60000", size=12)
    add_paragraph(doc.title, "Title")
    document.add_paragraph()

    def add(block) -> None:
        if isinstance(block, Heading):
            add_paragraph(block.text, "Heading 1" if block.level == 1 else "Heading 2")
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
            add_paragraph(block.caption, "表题")
            _table(document, block, style_ids)
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
        heading = add_paragraph("附表", "Heading 1")
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
    core_element = copy.deepcopy(skeleton.core)
    core = CoreProperties(core_element)
    core.title, core.author, core.last_modified_by = doc.title, doc.issuer, doc.issuer
    core.created = core.modified = day
    core.revision = 1
    own = {BODY_PART: document.element, CORE_PART: core_element}
    return _fixed_zip(
        [
            (name, serialize_part_xml(own[name]) if data is None else data)
            for name, data in skeleton.entries
        ],
        day,
    )


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


@dataclass(frozen=True)
class _Below:
    """A place under a cell spanning rows: an empty cell continuing its merge."""

    colspan: int


_COVERED = object()  # a place right of a cell spanning columns: no cell of its own


def _table(document, block: Table, style_ids: dict[str, str]) -> None:
    """The table as python-docx's add_table, cell merges and header rows would write it:
    each spanned cell's first place keeps its `w:tcW` (the columns' widths summed),
    `w:gridSpan` and `w:vMerge`; the places a span covers to the right are gone; those
    below it are empty cells continuing the merge."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml.ns import nsdecls
    from docx.oxml.parser import parse_xml
    from docx.oxml.table import CT_Tbl
    from docx.shared import Emu

    rows = list(block.head) + list(block.rows)
    columns = len(block.widths)
    width = document._block_width
    tbl = CT_Tbl.new_tbl(0, columns, width)
    document._body._element._insert_tbl(tbl)
    tbl.tblStyle_val = style_ids["Table Grid"]
    tbl.tblPr.alignment = WD_TABLE_ALIGNMENT.CENTER
    twips = Emu(width // columns if columns else 0).twips

    # what each place of the grid holds: a cell, _Below(colspan) under a cell spanning
    # rows, _COVERED right of a cell spanning columns, None: an empty cell
    places: list[list] = [[None] * columns for _ in rows]
    for r, c, cell in grid_positions(rows):
        for i in range(cell.rowspan):
            places[r + i][c + 1 : c + cell.colspan] = [_COVERED] * (cell.colspan - 1)
            places[r + i][c] = _Below(cell.colspan) if i else cell
    # the rows as markup parsed at once: lxml's element calls cost ≈ 40 µs a cell
    style = _attribute(style_ids["表格文字"])
    markup = []
    for r, row in enumerate(places):
        markup.append("<w:tr>")
        if r < len(block.head):  # header rows repeat on every page
            markup.append('<w:trPr><w:tblHeader w:val="true"/></w:trPr>')
        for place in row:
            if place is _COVERED:
                continue
            span = place.colspan if place is not None else 1
            markup.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{span * twips}"/>')
            if span > 1:
                markup.append(f'<w:gridSpan w:val="{span}"/>')
            if not isinstance(place, Cell):
                markup.append(
                    "<w:vMerge/></w:tcPr><w:p/></w:tc>" if place else "</w:tcPr><w:p/></w:tc>"
                )
                continue
            if place.rowspan > 1:
                markup.append('<w:vMerge w:val="restart"/>')
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


def _fixed_zip(entries: list[tuple[str, bytes]], day: datetime) -> bytes:
    """The entries in order, each with the document's date as its timestamp."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()
