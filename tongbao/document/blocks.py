"""The document's blocks: what the PDF and the Word writers lay out. Every value is
final text (formatted, from the month's JSON); the writers only escape it for their
format."""

from __future__ import annotations

from dataclasses import dataclass, field

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis (Markdown ** and *)."""

    text: str
    strong: bool = False
    em: bool = False


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、 (黑体-style); 2: （一） (楷体-style)
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    note: bool = False  # a 注 line: in the table size, not the body size


@dataclass(frozen=True)
class Items:
    items: tuple[tuple[Run, ...], ...]
    ordered: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = False  # right-aligned
    group: bool = False  # a row naming the group that follows (left-aligned, 黑体)
    label: bool = False  # a row's label (a unit's or a project's name): left-aligned


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]  # relative column widths; 0: as wide as its content
    landscape: bool = False  # an 附表: printed on a landscape page
    # rows where another band of the table begins, with header rows of its own (as many
    # as `head`): printed as a table of its own under the first, with the same widths
    breaks: tuple[int, ...] = ()

    def bands(self) -> list[tuple[tuple, tuple]]:
        """(header rows, body rows) of each band, the first under `head`."""
        cuts = [0, *self.breaks, len(self.rows)]
        bands = []
        for number, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
            if number == 0:
                bands.append((self.head, self.rows[start:end]))
            else:
                size = len(self.head)
                bands.append((self.rows[start : start + size], self.rows[start + size : end]))
        return bands


@dataclass(frozen=True)
class Figure:
    chart_id: str  # the page's chart id: the SVG is looked up by it
    caption: str
    summary: str


Block = Heading | Paragraph | Items | Table | Figure


@dataclass(frozen=True)
class Document:
    masthead: str  # 发文机关标志: 某某市招商引资工作通报
    issue_label: str  # 期号: 2025年第4期
    issuer: str
    issued_label: str  # 2025年5月10日
    issued: str  # ISO date, the document's own date (deterministic bytes)
    title: str
    body: tuple[Block, ...]
    appendix: tuple[Block, ...]  # 附表 (landscape)
    cc: str
    printer: str
    copy_number: bool = False
    classification: str = ""
    figures_used: tuple[str, ...] = field(default_factory=tuple)  # chart ids shown
