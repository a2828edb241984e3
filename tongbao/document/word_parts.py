"""The parts of the .docx every month shares, made once per set of fonts: python-docx's
template read, the page, the styles, the page numbers in the footers; and the parts a
month adds for its charts (the PNG pictures and their relationships).

Page numbers as GB/T 9704 places them: `— N —` in 4号, odd pages at the right, even
pages at the left, one character in from the edge of the 版心 (odd and even footers,
`w:evenAndOddHeaders`), N a PAGE field Word and WPS fill in.
"""

from __future__ import annotations

import copy
import functools
import io
import struct
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .blocks import Figure
from .word_table import _attribute

STYLE_NAMES = {"heading": "Heading 1", "kai": "Heading 2", "title": "Title"}
RED = (0xE6, 0x00, 0x00)
BODY_PART, CORE_PART = "word/document.xml", "docProps/core.xml"
RELS_PART, TYPES_PART = "word/_rels/document.xml.rels", "[Content_Types].xml"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
EMU_PER_PT = 12700

if TYPE_CHECKING:
    from docx.oxml.coreprops import CT_CoreProperties
    from docx.oxml.document import CT_Document
    from docx.parts.document import DocumentPart


# From the page's bottom edge to the footer's (EMU, as python-docx's lengths): the
# number sits 7 mm below the 版心 (bottom margin 35 mm; 22 mm on the landscape 附表 pages).
FOOTER_PORTRAIT = 23 * 36000
FOOTER_LANDSCAPE = 10 * 36000


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
    rels: str  # word/_rels/document.xml.rels: a month adds its pictures


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
    section.footer_distance = FOOTER_PORTRAIT
    page_numbers(document, size=14, font=faces["body"])

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
            (name, None if name in (BODY_PART, CORE_PART, RELS_PART) else saved.read(name))
            for name in saved.namelist()
        )
        rels = saved.read(RELS_PART).decode("utf-8")
        types = saved.read(TYPES_PART).decode("utf-8")
    # the charts are PNG pictures (word_parts.picture_entries)
    png = '<Default Extension="png" ContentType="image/png"/>'
    types = types.replace("<Default ", png + "<Default ", 1) if png not in types else types
    entries = tuple((n, types.encode("utf-8") if n == TYPES_PART else d) for n, d in entries)
    names = ("Heading 1", "Heading 2", "Title", "表格文字", "表题", "发文机关标志", "Table Grid")
    return _Skeleton(
        document.part,
        copy.deepcopy(document.element),
        copy.deepcopy(core),
        entries,
        {name: document.styles[name].style_id for name in names},
        rels,
    )


def page_numbers(document, *, size: float, font: str) -> None:
    """`— N —` footers: the odd pages' at the right, the even pages' at the left."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, right in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing = 1.0
        fmt.right_indent, fmt.left_indent = (Pt(size), Pt(0)) if right else (Pt(0), Pt(size))
        for text in ("— ", None, " —"):
            if text is None:  # the PAGE field, as Word writes a simple field
                field = paragraph._p.makeelement(qn("w:fldSimple"), {qn("w:instr"): " PAGE "})
                paragraph._p.append(field)
                run = paragraph.add_run("1")
                field.append(run._r)
            else:
                run = paragraph.add_run(text)
            run.font.size = Pt(size)
            _east_asian(run, font)


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (its IHDR chunk)."""
    return struct.unpack(">II", png[16:24])


def picture_entries(
    figures: list[tuple[Figure, bytes, float]], rels: str
) -> tuple[list[tuple[str, bytes]], str, list]:
    """The month's pictures: (figure, PNG, width in pt) each → the zip entries of the
    PNGs, the document's relationships with them added, and an inline picture element
    (python-docx's) for each, in order."""
    from docx.oxml.shape import CT_Inline
    from docx.shared import Emu

    entries, inlines, links = [], [], []
    for number, (figure, png, width_pt) in enumerate(figures, start=1):
        name = f"media/{figure.chart_id}.png"
        rid = f"rIdChart{number}"
        entries.append((f"word/{name}", png))
        links.append(f'<Relationship Id="{rid}" Type="{IMAGE}" Target="{_attribute(name)}"/>')
        pixels_w, pixels_h = png_size(png)
        cx = round(width_pt * EMU_PER_PT)
        cy = round(cx * pixels_h / pixels_w)
        inline = CT_Inline.new_pic_inline(number, rid, f"{figure.chart_id}.png", Emu(cx), Emu(cy))
        inline.docPr.set("descr", figure.caption)  # alt text: the chart's title
        inlines.append(inline)
    return entries, rels.replace("</Relationships>", "".join(links) + "</Relationships>"), inlines
