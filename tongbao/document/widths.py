"""Table column widths in points, sized to what the columns hold, for the PDF and the
Word file alike.

A column of figures is as wide as its longest value (and its header), so no number
runs into the next cell and none breaks across lines (128.85% never as 128. / 85%);
the columns given a weight in `Table.widths` (a unit's or a project's name) share what
is left, in proportion. Text is measured with fixed advances (those of Noto Serif SC,
the default body font, rounded up): a CJK character is 1 em, a digit 0.56 em (1: 0.48).
The .docx is measured with wider digits (WIDE): a PC without the named fonts sets them
in a wide fallback; with 仿宋_GB2312 (digits 0.5 em) they only have more room.
"""

from __future__ import annotations

import unicodedata

from .blocks import Cell, Table

MM = 72 / 25.4
PORTRAIT = 156 * MM  # the 版心's width on a portrait page (GB/T 9704: 156 mm)
LANDSCAPE = 257 * MM  # on an 附表's landscape page (297 mm less 20 mm each side)
TABLE_SIZE = 12.0  # 小4, the tables' type
PADDING = 2.0  # pt of inset at each side of a cell in the PDF (the template's inset)
NARROW = {".": 0.33, ",": 0.33, "%": 0.93, "+": 0.58, "−": 0.58, "-": 0.35, " ": 0.25}
NARROW |= {"1": 0.48}
DIGIT = 0.56
MIN_WEIGHTED = 4  # characters a weighted (name) column keeps at the least


# Word's: a PC without the named fonts (LibreOffice here, or WPS) sets Latin text in a
# fallback such as DejaVu Sans, whose digits are 0.64 em: the .docx's columns allow them
WIDE = {".": 0.32, ",": 0.32, "%": 0.95, "+": 0.84, "−": 0.84, "-": 0.37, " ": 0.32}
WIDE_DIGIT = 0.64
# and 1 pt of cell margin at the sides (the PDF's 2): with the wide digits, the overview's
# six columns of figures leave its 指标 column four characters a line
WORD_PADDING = 1.0


def text_width(text: str, size: float, *, wide: bool = False) -> float:
    """The width of one line of `text` at `size` pt (its longest line if several);
    `wide`: with the wide Latin fallback's advances (the .docx)."""
    lines = text.split("\n")
    return max(sum(_advance(ch, wide) for ch in line) for line in lines) * size


def _advance(char: str, wide: bool = False) -> float:
    narrow, digit = (WIDE, WIDE_DIGIT) if wide else (NARROW, DIGIT)
    if char in narrow:
        return narrow[char]
    if char.isdigit() and char.isascii():
        return digit
    if unicodedata.east_asian_width(char) in "WFA":
        return 1.0  # CJK, full-width punctuation, arrows and the lights' shapes
    return 0.6


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


def _cell_width(cell: Cell, size: float, *, head: bool, wide: bool, padding: float) -> float:
    """What a cell needs: its text on one line; a header may break before its unit
    (总投资 / （亿元）), where line breaking allows it anyway."""
    text = cell.text.replace("（", "\n（") if head else cell.text
    return text_width(text, size, wide=wide) + 2 * padding


def table_widths(table: Table, *, wide: bool = False) -> tuple[float, ...]:
    """The table's columns in pt on its page (portrait, or landscape for an 附表);
    `wide`: for the .docx (see WIDE), whose cells have WORD_PADDING at the sides."""
    total = LANDSCAPE if table.landscape else PORTRAIT
    padding = WORD_PADDING if wide else PADDING
    return column_widths(table, total, TABLE_SIZE, wide=wide, padding=padding)


def column_widths(
    table: Table, total: float, size: float, *, wide: bool = False, padding: float = PADDING
) -> tuple[float, ...]:
    """Each column's width in pt, summing to `total` (the 版心's width). A column of
    weight 0 is as wide as its longest cell; the weighted columns (names) share the rest
    by weight, none wider than its longest name; room still left widens every column
    alike. Figures never give up width for names: a name wraps first."""
    columns = len(table.widths)
    need = [0.0] * columns
    spans: list[tuple[int, Cell]] = []
    for r, c, cell in grid_positions(list(table.head) + list(table.rows)):
        if c >= columns:
            continue
        if cell.colspan == 1:
            head = r < len(table.head)
            need[c] = max(need[c], _cell_width(cell, size, head=head, wide=wide, padding=padding))
        else:
            spans.append((c, cell))
    weighted = {c: table.widths[c] for c in range(columns) if table.widths[c] > 0}
    for c, cell in spans:  # a spanning header wider than its columns widens them evenly
        covered = range(c, min(c + cell.colspan, columns))
        short = _cell_width(cell, size, head=True, wide=wide, padding=padding)
        short -= sum(need[i] for i in covered)
        if short > 0 and not any(i in weighted for i in covered):
            for i in covered:
                need[i] += short / len(covered)
    widths = list(need)
    left = total - sum(need[c] for c in range(columns) if c not in weighted)
    shares = _shares(weighted, {c: need[c] for c in weighted}, left)
    for c, share in shares.items():
        widths[c] = max(share, min(MIN_WEIGHTED * size + 2 * padding, need[c]))
    return _fit(widths, total)


def _shares(weights: dict[int, float], caps: dict[int, float], room: float) -> dict[int, float]:
    """`room` split by weight, no column above its cap (what it is left over goes to the
    others)."""
    shares: dict[int, float] = {}
    free = dict(weights)
    while free:
        total = sum(free.values())
        capped = {c: caps[c] for c, w in free.items() if room * w / total >= caps[c]}
        if not capped:
            shares |= {c: room * w / total for c, w in free.items()}
            break
        shares |= capped
        room -= sum(capped.values())
        free = {c: w for c, w in free.items() if c not in capped}
    return shares


def _fit(widths: list[float], total: float) -> tuple[float, ...]:
    """The widths made to sum to `total`: spare room goes to every column alike; a
    shortfall (a table whose figures alone are wider than the page) is taken from each
    in proportion."""
    have = sum(widths)
    if have <= total:
        extra = (total - have) / len(widths)
        return tuple(w + extra for w in widths)
    return tuple(w * total / have for w in widths)
