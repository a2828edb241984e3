"""The bulletin as an editable Word file (python-docx): the same document model as the PDF.

For clerks who edit before printing: the PDF's sections, real Word tables with the PDF's
column widths (word_table.py), the PDF's charts as 300 ppi pictures (paper.py),
`— N —` page numbers, the 版记; headings as named styles, East Asian fonts set on
`w:eastAsia` (Word does not embed fonts: office PCs have 仿宋_GB2312 and the others;
the names are settings). The bytes are deterministic: core properties dated from
印发日期, zip entries with a fixed timestamp.

What every month shares (python-docx's template read, the page, the styles and the
footers set, every part but the body, the core properties and the relationships
serialised) is made once per set of fonts (word_parts.py); a month copies the body, adds
its blocks (style ids set directly, tables written as XML: python-docx's name lookups and
cell merges were most of the time), its pictures, and zips the parts. The bytes are
those python-docx's own calls made.
"""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import datetime

from .blocks import Document, Figure, Heading, Items, Paragraph, Run, Table
from .pdf import svg_width_pt
from .widths import grid_positions
from .word_parts import (
    BODY_PART,
    CORE_PART,
    FOOTER_LANDSCAPE,
    FOOTER_PORTRAIT,
    RELS_PART,
    _east_asian,
    _skeleton,
    picture_entries,
)
from .word_table import _table, twips_widths

__all__ = ["docx_bytes", "grid_positions", "_table"]


def docx_bytes(
    doc: Document,
    *,
    fonts: dict[str, str],
    pictures: dict[str, bytes] | None = None,
    svgs: dict[str, str] | None = None,
) -> bytes:
    """`fonts`: face (title, body, heading, kai) → the East Asian font name Word uses;
    `pictures`: chart id → PNG, printed as wide as the PDF prints `svgs`' chart."""
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml

    skeleton = _skeleton(tuple(sorted(fonts.items())))
    writer = _Writer(doc, skeleton, fonts, pictures or {}, svgs or {})
    writer.write()
    entries, rels, inlines = picture_entries(writer.figures, skeleton.rels)
    for paragraph, inline in zip(writer.picture_paragraphs, inlines, strict=True):
        paragraph.add_run()._r.add_drawing(inline)

    day = datetime.fromisoformat(doc.issued or "2000-01-01")
    core_element = copy.deepcopy(skeleton.core)
    core = CoreProperties(core_element)
    core.title, core.author, core.last_modified_by = doc.title, doc.issuer, doc.issuer
    core.created = core.modified = day
    core.revision = 1
    own = {
        BODY_PART: serialize_part_xml(writer.document.element),
        CORE_PART: serialize_part_xml(core_element),
        RELS_PART: rels.encode("utf-8"),
    }
    parts = [(name, own[name] if data is None else data) for name, data in skeleton.entries]
    return _fixed_zip(parts + entries, day)


class _Writer:
    """One month's body: the blocks in order, as Word paragraphs, tables and pictures."""

    def __init__(self, doc: Document, skeleton, fonts, pictures, svgs) -> None:
        from docx.document import Document as WordDocument

        self.doc, self.fonts, self.pictures, self.svgs = doc, fonts, pictures, svgs
        self.style_ids = skeleton.style_ids
        self.document = WordDocument(copy.deepcopy(skeleton.body), skeleton.part)
        self.figures: list[tuple[Figure, bytes, float]] = []  # (figure, PNG, width in pt)
        self.picture_paragraphs: list = []  # where each picture goes

    def paragraph(self, text: str = "", style: str | None = None, *, indent: bool = True):
        from docx.shared import Pt

        paragraph = self.document.add_paragraph(text)
        if style is not None:
            paragraph._p.style = self.style_ids[style]
        if not indent:
            paragraph.paragraph_format.first_line_indent = Pt(0)
        return paragraph

    def runs(self, paragraph, items: tuple[Run, ...]) -> None:
        for item in items:
            run = paragraph.add_run(item.text)
            if item.strong:
                _east_asian(run, self.fonts["heading"])
            elif item.em:
                _east_asian(run, self.fonts["kai"])

    def write(self) -> None:
        doc = self.doc
        self.masthead()
        for block in doc.body:
            self.add(block)
        if doc.appendix:
            self.section(landscape=True)
            self.paragraph("附表", "Heading 1", indent=False)
            for block in doc.appendix:
                self.add(block)
            self.section(landscape=False)
        self.imprint()

    def masthead(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        doc = self.doc
        marks = (["份号：＿＿＿＿＿＿"] if doc.copy_number else []) + (
            [doc.classification] if doc.classification else []
        )
        for mark in marks:
            self.paragraph(mark, "Heading 1", indent=False)
        self.paragraph(doc.masthead, "发文机关标志")
        line = self.paragraph(doc.issue_label, indent=False)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        issuer = self.paragraph(f"{doc.issuer}\t{doc.issued_label}", indent=False)
        issuer.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right
        _rule(issuer, colour="E60000", size=12)
        self.paragraph(doc.title, "Title")
        self.document.add_paragraph()

    def add(self, block) -> None:
        from docx.shared import Pt

        if isinstance(block, Heading):
            self.paragraph(block.text, "Heading 1" if block.level == 1 else "Heading 2")
        elif isinstance(block, Paragraph):
            paragraph = self.paragraph()
            self.runs(paragraph, block.runs)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(14)
        elif isinstance(block, Items):
            for number, item in enumerate(block.items, start=1):
                paragraph = self.paragraph(f"{number}. " if block.ordered else "· ")
                self.runs(paragraph, item)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)

    def table(self, block: Table) -> None:
        """Its caption, then each band a table of its own (as in the PDF), with the whole
        table's widths; a small empty paragraph between bands (Word joins two tables
        that touch)."""
        from docx.shared import Pt

        self.paragraph(block.caption, "表题").paragraph_format.keep_with_next = True
        widths = twips_widths(block)
        for number, (head, rows) in enumerate(block.bands()):
            if number:
                gap = self.paragraph(indent=False)
                gap.paragraph_format.line_spacing = Pt(4)
                gap.paragraph_format.keep_with_next = True
            band = Table(block.caption, head, rows, block.widths, block.landscape)
            _table(self.document, band, self.style_ids, widths)

    def figure(self, block: Figure) -> None:
        """The chart's picture (its title is in it), centred, and its summary below, as
        the PDF prints them; a chart not drawn is left out, as in the PDF."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        png, svg = self.pictures.get(block.chart_id), self.svgs.get(block.chart_id)
        if png is None or svg is None:
            return
        holder = self.paragraph(indent=False)
        holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = holder.paragraph_format
        fmt.line_spacing, fmt.keep_with_next, fmt.space_before = 1.0, True, Pt(6)
        self.figures.append((block, png, svg_width_pt(svg)))
        self.picture_paragraphs.append(holder)
        summary = self.paragraph(block.summary, indent=False)
        summary.paragraph_format.line_spacing = 1.0
        summary.paragraph_format.space_after = Pt(8)
        for run in summary.runs:
            run.font.size = Pt(14)

    def section(self, *, landscape: bool) -> None:
        """A new page in the other orientation: the 附表 on landscape pages (the PDF's
        margins), then portrait again for the 版记."""
        from docx.enum.section import WD_ORIENT
        from docx.shared import Mm

        section = self.document.add_section()
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.top_margin, section.bottom_margin = Mm(20), Mm(22)
            section.left_margin = section.right_margin = Mm(20)
            section.footer_distance = FOOTER_LANDSCAPE
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(210), Mm(297)
            section.top_margin, section.bottom_margin = Mm(37), Mm(35)
            section.left_margin, section.right_margin = Mm(28), Mm(26)
            section.footer_distance = FOOTER_PORTRAIT

    def imprint(self) -> None:
        """版记 as the PDF prints it: 抄送, then the 印发机关 and 印发日期, between rules
        (the outer ones thicker). After the 附表 it has a page of its own, and a spacer
        of exact height puts it at the foot of the page, as in the PDF."""
        from docx.shared import Mm, Pt

        doc = self.doc
        lines = ([f"抄送：{doc.cc}。"] if doc.cc else []) + [
            f"{doc.printer}\t{doc.issued_label}印发"
        ]
        if doc.appendix:
            spacer = self.paragraph(indent=False)
            spacer.paragraph_format.line_spacing = Pt(_imprint_room(lines))
        for number, text in enumerate(lines):
            paragraph = self.paragraph(text, indent=False)
            fmt = paragraph.paragraph_format
            fmt.left_indent = fmt.right_indent = Pt(14)
            fmt.line_spacing = 1.0
            fmt.space_before = fmt.space_after = Pt(3)
            fmt.keep_with_next = True
            fmt.tab_stops.add_tab_stop(Mm(156) - Pt(14), alignment=2)  # right
            for run in paragraph.runs:
                run.font.size = Pt(14)
            _rule(paragraph, colour="000000", size=8 if number == 0 else 4, top=True)
        _rule(paragraph, colour="000000", size=8)


def _imprint_room(lines: list[str]) -> float:
    """The height in pt left above the 版记 on its page: the 版心 (225 mm) less its lines
    (14 pt type, ≈ 1.4 lines of height each with the spacing, wrapped at the 版心's width
    less the indents) and a margin for fonts that set lines taller."""
    per_line = (156 * 72 / 25.4 - 28) / 14  # characters a line
    count = sum(-(-len(text) // int(per_line)) for text in lines)
    return 225 * 72 / 25.4 - count * 14 * 1.4 - len(lines) * 6 - 60


def _in_order(ppr, element):
    """`element` put into `w:pPr` at its place in the schema's sequence (Word refuses a
    file whose paragraph properties are out of order)."""
    name = "w:" + element.tag.rsplit("}", 1)[1]
    ppr.insert_element_before(element, *PPR_ORDER[PPR_ORDER.index(name) + 1 :])
    return element


# w:pPr's children in the order of the schema (CT_PPr's sequence in python-docx)
PPR_ORDER = (
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
    "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd "
    "w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc "
    "w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr "
    "w:sectPr w:pPrChange"
).split()


def word_pictures(data: bytes) -> dict[str, bytes]:
    """The chart pictures a .docx holds, by chart id (word_parts.picture_entries names
    them word/media/<chart id>.png)."""
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        return {
            name[len("word/media/") : -len(".png")]: parts.read(name)
            for name in parts.namelist()
            if name.startswith("word/media/") and name.endswith(".png")
        }


def _rule(paragraph, *, colour: str, size: int, top: bool = False) -> None:
    """A paragraph border (the 版头's red rule, the 版记's lines)."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _in_order(ppr, ppr.makeelement(qn("w:pBdr"), {}))
    edge = borders.makeelement(
        qn("w:top" if top else "w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): "1", qn("w:color"): colour},
    )
    borders.append(edge)


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
