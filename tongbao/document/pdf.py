"""The bulletin as a PDF laid out after GB/T 9704-2012, typeset with Typst.

Typst (the `typst` wheel: the Rust compiler, no system library, offline) embeds
font subsets, keeps the charts' SVG text as text and compiles a bulletin in tens of
milliseconds. WeasyPrint needs the system's Pango and ReportLab cannot use Noto SC's
CFF outlines, so Typst it is.

The layout lives in `templates/document/bulletin.typ` (the bureau may edit it);
this module writes a `doc` dictionary before it and the body after it. Every data
value goes in as a Typst string literal, never as markup: a unit named `#a*b*` is
printed as written.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
from pathlib import Path

from ..cache import Cache
from ..issues import BadTemplate, Issue
from .blocks import Cell, Document, Figure, Heading, Items, Paragraph, Run, Table
from .settings import DocumentSettings
from .widths import PORTRAIT, table_widths

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "document" / "bulletin.typ"
TEMPLATE_FILE = "templates/document/bulletin.typ"  # as problems name it (the bureau's or ours)
DEFAULT_FAMILIES = {
    "title": "Noto Serif SC",
    "body": "Noto Serif SC",
    "heading": "Noto Sans SC",
    "kai": "Noto Serif SC",
}
TEXT_WIDTH_PT = PORTRAIT  # 版心 156 mm
# Chart SVGs are drawn in px with labels of 12 px at the least: printed at 0.78 pt a px (or less, down to 0.775, to fit 156 mm),
# the smallest chart text (12 px) is 9.3 pt (nothing on paper below 9 pt).
PT_PER_PX = 0.78


def literal(value: object) -> str:
    """A Typst string literal: data never becomes markup."""
    text = str(value)
    for char, escaped in (
        ("\\", "\\\\"),
        ('"', '\\"'),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
    ):
        text = text.replace(char, escaped)
    return f'"{text}"'


def _runs(runs: tuple[Run, ...]) -> str:
    return ", ".join(
        f"({literal(r.text)}, {literal('strong' if r.strong else 'em' if r.em else '')})"
        for r in runs
    )


def _cell(cell: Cell) -> str:
    align = "right" if cell.numeric else "left" if cell.group or cell.label else "center"
    return f"({literal(cell.text)}, {cell.colspan}, {cell.rowspan}, {align})"


def _rows(rows: tuple) -> str:
    return ", ".join("(" + ", ".join(_cell(c) for c in row) + ",)" for row in rows)


def _table(table: Table) -> str:
    """The table, each band a Typst table of its own (its header repeats, and is never
    left alone at the foot of a page); the bands after the first have no caption."""
    # in pt, sized to the longest value of each column (widths.py): the Word file has the same
    widths = ", ".join(f"{w:.2f}pt" for w in table_widths(table))
    out = []
    for number, (head, rows) in enumerate(table.bands()):
        caption = literal(table.caption if number == 0 else "")
        out.append(f"#data-table({caption}, ({widths},), ({_rows(head)},), ({_rows(rows)},))\n")
    return "".join(out)


def svg_width_pt(svg: str) -> float:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)', svg)
    width = float(match.group(1)) if match else 560.0
    return min(width * PT_PER_PX, TEXT_WIDTH_PT)


def _block(block, svgs: dict[str, str]) -> str:
    if isinstance(block, Heading):
        return f"#h{block.level}({literal(block.text)})\n"
    if isinstance(block, Paragraph):
        return f"#{'note' if block.note else 'para'}({_runs(block.runs)})\n"
    if isinstance(block, Items):
        entries = ", ".join(f"({_runs(item)},)" for item in block.items)
        return f"#items({'true' if block.ordered else 'false'}, {entries})\n"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        svg = svgs.get(block.chart_id)
        if svg is None:
            return ""
        width = f"{svg_width_pt(svg):.1f}pt"
        return (
            f"#chart({literal(svg)}, {width}, {literal(block.caption)}, {literal(block.summary)})\n"
        )
    raise TypeError(block)


def masthead_size(words: str) -> float:
    """As large as 42 pt (≈ 15 mm a character) while the line fits the 版心."""
    return float(min(42, int(TEXT_WIDTH_PT / max(len(words), 1) * 0.95)))


def typst_source(
    doc: Document,
    svgs: dict[str, str],
    families: dict[str, str],
    template: str,
    *,
    review: bool = False,
) -> str:
    """The Typst source: `doc`, the layout, the body. `review`: the 送审稿 for sign-off
    (the layout adds its watermark and 签发单; `doc.review`)."""
    year, month, day = (int(x) for x in (doc.issued or "2000-01-01").split("-"))
    marks = []
    if doc.copy_number:
        marks.append("份号：＿＿＿＿＿＿")
    if doc.classification:
        marks.append(doc.classification)
    fonts = ", ".join(f"{face}: ({literal(family)},)" for face, family in families.items())
    head = (
        "#let doc = (\n"
        f"  masthead: {literal(doc.masthead)}, masthead-size: {masthead_size(doc.masthead)}pt,\n"
        f"  issue-label: {literal(doc.issue_label)}, issuer: {literal(doc.issuer)},\n"
        f"  issued-label: {literal(doc.issued_label)}, title: {literal(doc.title)},\n"
        f"  date: datetime(year: {year}, month: {month}, day: {day}),\n"
        f"  cc: {literal(doc.cc)}, printer: {literal(doc.printer)},\n"
        f"  marks: ({''.join(literal(m) + ', ' for m in marks)}),\n"
        f"  fonts: ({fonts}),\n" + ("  review: true,\n" if review else "") + ")\n"
    )
    parts = [head, template, "\n"]
    parts += [_block(b, svgs) for b in doc.body]
    if doc.appendix:
        parts.append("#set page(..landscape)\n#appendix-start()\n")
        parts += [_block(b, svgs) for b in doc.appendix]
        parts.append("#set page(..portrait)\n")
    parts.append("#imprint()\n")
    return "".join(parts)


def family_of(path: Path) -> str:
    """The family name a font file declares (typographic family first)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        names = font["name"]
        for name_id in (16, 1):
            record = names.getName(name_id, 3, 1) or names.getName(name_id, 1, 0)
            if record is not None:
                return record.toUnicode()
    raise ValueError(f"{path.name}：字体文件中没有字体名称")


def font_setup(
    root: Path, settings: DocumentSettings, cache: Cache
) -> tuple[list[str], dict[str, str]]:
    """Font folders for Typst and the family of each face. The bureau's own files are
    copied into a cache folder of their own (Typst reads fonts by folder)."""
    import pylopdf_fonts_zh_cn

    folders = [str(pylopdf_fonts_zh_cn.serif_path().parent)]
    families = dict(DEFAULT_FAMILIES)
    files = settings.font_files(root)
    if files:
        digest = hashlib.sha256()
        for face, path in sorted(files.items()):
            digest.update(face.encode() + path.read_bytes())
        folder = cache.folder("document-fonts") / digest.hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        for face, path in files.items():
            target = folder / path.name
            if not target.exists():
                shutil.copyfile(path, target)
            families[face] = family_of(path)
        folders.insert(0, str(folder))
    return folders, families


def pdf_bytes(
    doc: Document,
    svgs: dict[str, str],
    *,
    font_folders: list[str],
    families: dict[str, str],
    template: str | None = None,
    review: bool = False,
) -> bytes:
    layout = template or TEMPLATE.read_text(encoding="utf-8")
    source = typst_source(doc, svgs, families, layout, review=review)
    import typst

    try:
        return compiler(tuple(font_folders)).compile(input=source.encode("utf-8"))
    except typst.TypstError as exc:
        issue = typst_issue(exc, source, layout)
        if issue is None:
            raise  # our own generated body broke, not the bureau's layout
        raise BadTemplate(issue) from None


_WHERE = re.compile(r"__typst_py_bytes__\.typ:(\d+):")


def typst_issue(exc: Exception, source: str, layout: str) -> Issue | None:
    """The layout's line where Typst failed (its diagnostic names lines of the whole
    source: the `doc` dictionary, then the layout, then the body). An error that lies
    outside the layout is still the layout's when the bureau changed it (a function the
    body calls was renamed or removed); with our own layout it is tongbao's fault."""
    before = source[: source.find(layout)].count("\n")
    span = layout.count("\n") + 1
    message = getattr(exc, "message", "") or str(exc)
    diagnostic = getattr(exc, "diagnostic", "") or ""
    for found in _WHERE.finditer(diagnostic):
        line = int(found.group(1)) - before
        if 1 <= line <= span:
            text = f"公文版式第 {line} 行出错（Typst）：{message}"
            return Issue(TEMPLATE_FILE, "", line, "", "bad-template", text)
    if layout == TEMPLATE.read_text(encoding="utf-8"):
        return None
    text = (
        f"公文版式出错（Typst）：{message}；出错处在程序写入的正文中，"
        "多半是版式中正文要用的函数（如 para、data-table、chart）被改名或删除"
    )
    return Issue(TEMPLATE_FILE, "", None, "", "bad-template", text)


@functools.cache
def compiler(font_folders: tuple[str, ...]):
    """One Typst compiler per set of fonts: it reads the fonts (≈ 20 MB of Noto) once and
    keeps them; a fresh compile pays that every time (≈ 1 s against ≈ 0.15 s)."""
    import typst

    return typst.Compiler(font_paths=list(font_folders), ignore_system_fonts=True)
