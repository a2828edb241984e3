"""The charts as printed in the PDF and the Word file: the page's charts made shorter.

On paper the chart's text cannot shrink (12 px labels print at 0.78 pt a px, 9.3 pt:
nothing below 9 pt), so a chart saves room by its height alone: bars 17 px apart
instead of 24, no colour legend and no 完成率 axis under the bars (each bar ends with
its 完成率 and its light's word), a shorter line chart with its legend in the empty
corner above the start of the lines and no axis title under its 1月…12月. The same
SVG goes into the PDF, and as a 300 ppi PNG into the Word file (Word shows no SVG
without a PNG beside it).

Each paper SVG is drawn and cached as the page's SVGs are (charts/svg.py, keyed by its
spec); each PNG is drawn where the month's documents are made (a worker process when
there are many) and cached by the SVG it is made from.
"""

from __future__ import annotations

import copy
import hashlib

from .. import keys
from ..cache import Cache
from ..charts.svg import start_rendering
from ..schema import month_indicators
from .pdf import compiler, svg_width_pt

BAR_STEP = 17  # px a bar (the page: 24)
LINE_HEIGHT = 130  # px of the line chart's plot (the page: 240)
PPI = 300  # print resolution of the Word file's pictures


def on_paper(chart_id: str, figures: dict) -> bool:
    """What paper (and a screen's slides) show: chart 1 per group and chart 2 of the lead
    indicator (签约金额 in the standard set); the page's other charts repeat figures the
    tables print."""
    lead = month_indicators(figures).lead
    return chart_id.startswith("chart-1-") or (
        lead is not None and chart_id == f"chart-2-{lead.key}"
    )


def paper_spec(spec: dict) -> dict:
    """The page chart's spec made shorter for paper (see the module's docstring)."""
    paper = copy.deepcopy(spec)
    if "layer" in paper:  # chart 1: bars of 完成率 by unit
        paper["height"] = BAR_STEP * max(1, len(paper.get("datasets", {}).get("rows", [])))
        for layer in paper["layer"]:
            encoding = layer.get("encoding", {})
            if "legend" in encoding.get("color", {}):
                encoding["color"]["legend"] = None
            if "field" in encoding.get("x", {}) and "title" in encoding["x"]:
                encoding["x"]["axis"] = None  # each bar is labelled with its 完成率
    else:  # chart 2: the city's cumulative lines
        paper["height"] = LINE_HEIGHT
        encoding = paper.get("encoding", {})
        for channel in ("color", "strokeDash"):
            if isinstance(encoding.get(channel, {}).get("legend"), dict):
                encoding[channel]["legend"] = {"orient": "top-left"}
        if "x" in encoding:
            encoding["x"]["title"] = None  # its labels say 1月, 2月…
    return paper


def paper_svgs(charts: list, cache: Cache) -> dict[str, str]:
    """The paper SVG of each chart printed (`charts`: the page's Chart objects that are
    `on_paper`), by the page chart's `svg_id`; drawn once per spec, in worker processes
    when there are many."""
    shown = {c.svg_id: paper_spec(c.spec) for c in charts}
    if not shown:
        return {}
    ids = list(shown)
    drawn = start_rendering([shown[i] for i in ids], cache).result()
    return dict(zip(ids, drawn, strict=True))


def picture_key(svg: str) -> str:
    """A chart's picture: its SVG, the resolution, the rasteriser and this module."""
    from importlib import metadata

    renderer = f"typst {metadata.version('typst')}|{PPI}|{keys.module_code('document/paper.py')}"
    return hashlib.sha256(f"{renderer}|{svg}".encode()).hexdigest()


def pictures(svgs: dict[str, str], font_folders: list[str]) -> dict[str, bytes]:
    """Each SVG (by name) as a PNG at PPI pixels an inch of the width the PDF prints it,
    drawn by Typst with the PDF's fonts: the Word file's picture is the PDF's chart.
    One compile draws them all (a page each); vl-convert's svg_to_png cost ≈ 0.3 s a
    chart whatever its size (it sets up its fonts on every call), this ≈ 0.1 s."""
    names = sorted(svgs)
    if not names:
        return {}
    pages = "#pagebreak()\n".join(
        f'#image(bytes(sys.inputs.at("c{i}")), format: "svg", width: {svg_width_pt(svgs[n]):.1f}pt)\n'
        for i, n in enumerate(names)
    )
    source = "#set page(width: auto, height: auto, margin: 0pt, fill: white)\n" + pages
    inputs = {f"c{i}": svgs[n] for i, n in enumerate(names)}
    made = compiler(tuple(font_folders)).compile(
        input=source.encode("utf-8"), format="png", ppi=PPI, sys_inputs=inputs
    )
    made = [made] if isinstance(made, bytes) else made
    return dict(zip(names, made, strict=True))
