"""The commentary's Markdown (headings, paragraphs, lists, emphasis) as document blocks:
the subset a clerk writes, turned into the (一)-level headings and body paragraphs of
the document's 评述 section."""

from __future__ import annotations

import re

from .blocks import NUMERALS, Block, Heading, Items, Paragraph, Run

# --- commentary: the Markdown subset a clerk writes (headings, paragraphs, lists, emphasis)

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(\*|_)(.+?)\3")
_NUMBERED = re.compile(rf"^([{NUMERALS}]+)、\s*")
_ATTRS = re.compile(r"\s*\{[#.][^}]*\}\s*$")  # attr_list: {#id .class}


def inline_runs(text: str) -> tuple[Run, ...]:
    """**strong** and *em* as runs; other Markdown punctuation stays as written."""
    runs: list[Run] = []
    at = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > at:
            runs.append(Run(text[at : match.start()]))
        if match.group(2) is not None:
            runs.append(Run(match.group(2), strong=True))
        else:
            runs.append(Run(match.group(4), em=True))
        at = match.end()
    if at < len(text):
        runs.append(Run(text[at:]))
    return tuple(r for r in runs if r.text)


def commentary_blocks(text: str) -> list[Block]:
    """The commentary's headings become （一）-level headings of the 评述 section (its
    own 一、 numbering would clash with the document's), its paragraphs body text."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    items: list[tuple[Run, ...]] = []
    ordered = False

    def flush() -> None:
        nonlocal items
        if paragraph:
            blocks.append(Paragraph(inline_runs("".join(line.strip() for line in paragraph))))
            paragraph.clear()
        if items:
            blocks.append(Items(tuple(items), ordered))
            items = []

    for line in text.splitlines():
        heading = _HEADING.match(line)
        item = _ITEM.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            words = _ATTRS.sub("", heading.group(2)).replace("**", "")
            words = _NUMBERED.sub(lambda m: f"（{m.group(1)}）", words)
            blocks.append(Heading(2, words))
        elif item:
            if paragraph:
                flush()
            ordered = item.group(1) is not None
            items.append(inline_runs(item.group(2).strip()))
        elif items and line.startswith((" ", "\t")):
            items[-1] = items[-1] + inline_runs(line.strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return blocks
