"""Accessibility of the built pages: what every table and chart must carry.

- Table header cells are scoped, whether a template or Markdown (commentary, the guide)
  wrote the table: `<th>` in a `<thead>` gets `scope="col"`, elsewhere `scope="row"`,
  unless it has a scope already.
- A chart's static SVG is an image with a name and a description: `role="img"`, an
  `aria-labelledby` naming its `<title>` (the chart's title) and `<desc>` (its one-sentence
  summary), so a screen reader reads what the figure caption says sighted readers see.
"""

from __future__ import annotations

import re

from markupsafe import escape

_TH = re.compile(r"<th(?=[\s>])([^>]*)>")
_SECTION = re.compile(r"<(/?)thead[\s>]")


def scope_header_cells(html: str) -> str:
    """Every `<th>` without a scope gets one: col inside a thead, row elsewhere."""
    if "<th" not in html:
        return html
    out: list[str] = []
    position = 0
    in_head = False
    events = sorted(
        [(m.start(), "section", m) for m in _SECTION.finditer(html)]
        + [(m.start(), "th", m) for m in _TH.finditer(html)],
        key=lambda e: e[0],
    )
    for start, kind, match in events:
        if kind == "section":
            in_head = match.group(1) != "/"
            continue
        attrs = match.group(1)
        if re.search(r"\bscope\s*=", attrs):
            continue
        out.append(html[position:start])
        out.append(f'<th scope="{"col" if in_head else "row"}"{attrs}>')
        position = match.end()
    out.append(html[position:])
    return "".join(out)


_SVG_OPEN = re.compile(r"<svg\b([^>]*)>")


def label_svg(svg: str, *, title: str, description: str, ident: str) -> str:
    """The chart's SVG with role="img", a <title> and a <desc> (ids from `ident`)."""
    match = _SVG_OPEN.search(svg)
    if match is None:
        return svg
    attrs = re.sub(
        r'\s(role|aria-label|aria-labelledby|aria-roledescription)="[^"]*"', "", match.group(1)
    )
    head = (
        f'<svg{attrs} role="img" aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return svg[: match.start()] + head + svg[match.end() :]


class ScopedHeaders:
    """A MkDocs plugin (registered in-process by site.mkdocs_build): scopes every page's
    table headers after the page's HTML blocks are in place."""

    def on_post_page(self, output: str, page: object, config: object) -> str:
        return scope_header_cells(output)
