"""The docs tree handed from the pages to `site`, and its placeholder protocol.

Generated Markdown pages hold only headings and placeholders; the raw HTML blocks
(tables, cards, charts) wait in `Tree.inline` and are put into the final HTML after
MkDocs has run (`expand`, called by site.InlineHTML). A placeholder is the comment
`<!--tb-inline:KEY-->`: this module is the one place that spells it.
"""

from __future__ import annotations

import re
from collections.abc import Container

from markupsafe import Markup

from ..keys import short_hash

INLINE_PREFIX = "tb-inline:"
INLINE = re.compile(r"<!--" + re.escape(INLINE_PREFIX) + r"([0-9a-f]{20})-->")


class Tree(dict):
    """Output files; like Pelican's writer, refuses to write one path twice.

    `inline` holds the raw HTML blocks (tables, cards, charts) that the Markdown pages
    reference by placeholder; they are put into the final HTML after MkDocs (see
    site.InlineHTML). Markdown only needs the headings (for the table of contents):
    its HTML parser walking our tables and SVG was most of the build time. A chart's
    SVG is referenced by its spec's id (`Chart.svg_id`), so pages can be written, and
    MkDocs can run, while the SVGs are still being drawn: the charts go into the built
    pages afterwards (site.Deferred).
    """

    def __init__(self) -> None:
        super().__init__()
        self.inline: dict[str, str] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path.endswith(".md") and isinstance(content, str):
            content = stash_html_blocks(content, self.inline)
        self.add_stashed(path, content)

    def add_stashed(
        self, path: str, content: str | bytes, inline: dict[str, str] | None = None
    ) -> None:
        """Add a page whose HTML blocks were already stashed into `inline`."""
        if path in self:
            raise ValueError(f"two outputs for {path}")
        self.inline.update(inline or {})
        self[path] = content


def placeholder(key: str) -> Markup:
    """A comment standing for `Tree.inline[key]` until after MkDocs has run."""
    return Markup(f"<!--{INLINE_PREFIX}{key}-->")


def html_placeholder(html: str, inline: dict[str, str]) -> Markup:
    """A placeholder for a block of HTML (a table, the cards), keyed by its content."""
    key = short_hash(html)
    inline[key] = html
    return placeholder(key)


def expand(html: str, blocks: dict[str, str], later: Container[str] = ()) -> str:
    """Every placeholder replaced by its block (blocks may hold placeholders: charts);
    those of `later` (charts still being drawn) are left for a second pass."""

    def block(match: re.Match) -> str:
        key = match.group(1)
        return match.group(0) if key in later else expand(blocks[key], blocks, later)

    return INLINE.sub(block, html)


_OPEN = re.compile(r"<(div|table|figure|ul|ol|dl|nav|form)[\s>]")
_CLOSE = re.compile(r"</(div|table|figure|ul|ol|dl|nav|form)>")


def stash_html_blocks(markdown_text: str, inline: dict[str, str]) -> str:
    """Replace each raw HTML block of a generated page by a placeholder comment.

    A block runs from a line starting with a tag to where its containers close,
    blank lines inside included (as Markdown itself reads raw HTML).
    """
    front = ""
    if markdown_text.startswith("---\n"):
        end = markdown_text.index("\n---\n", 4) + 5
        front, markdown_text = markdown_text[:end], markdown_text[end:]
    blocks: list[str] = []
    depth = 0
    for chunk in re.split(r"\n\s*\n", markdown_text):
        if depth > 0:  # still inside an open container: part of the previous block
            blocks[-1] += "\n\n" + chunk
        else:
            blocks.append(chunk)
        depth += len(_OPEN.findall(chunk)) - len(_CLOSE.findall(chunk))
    out = []
    for block in blocks:
        stripped = block.strip()
        # the header stays: the theme adds its own <h1> to a page whose content has none
        if stripped.startswith("<") and not stripped.startswith("<!--") and "<h1" not in stripped:
            block = str(html_placeholder(stripped, inline))
        out.append(block)
    return front + "\n\n".join(out)
