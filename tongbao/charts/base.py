"""Charts: Altair specs drawn from one month's figures, each with its data and a sentence.

A chart here is a Vega-Lite spec plus the rows behind it (published as CSV)
and a one-sentence summary; `svg` turns specs into static SVG at build time.

Altair builds each kind of chart once per build, as a template whose data are
named datasets and whose few per-month values (an axis maximum, a height, a sort
order) are slots like "@x_max"; a month's chart is the template with its rows and
slots filled in. Building and converting an Altair chart costs 5-15 ms (mostly
Altair's schema machinery in `encode`), which on a ten-year archive of ten charts a
month was most of a cold build; filling a template costs microseconds.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from .. import keys
from ..cache import Cache

if TYPE_CHECKING:  # Altair is imported only when a template is built (~0.5 s)
    import altair as alt

FONT_STACK = "Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
LIGHT_COLOURS = {"绿": "#2e7d32", "黄": "#f9a825", "红": "#c62828"}
WIDTH = 560
ROWS, EXTRA = "rows", "extra"  # the names of a template's datasets

# Built templates by (builder, arguments), kept in the build cache (keyed by the code
# and library versions: `load_templates`, `save_templates`), so a warm build never
# imports Altair.
TEMPLATES: dict[tuple, dict] = {}


@dataclass
class Chart:
    chart_id: str  # stable within a bulletin: the CSV file name
    title: str
    spec: dict  # Vega-Lite, data inline
    rows: list[dict]  # exactly the data drawn, for the CSV download
    summary: str  # one sentence under the chart

    @functools.cached_property
    def svg_id(self) -> str:
        """Its drawing's id: the hash of its spec (pages hold it as a placeholder)."""
        return keys.spec_id(self.spec)


def load_templates(cache: Cache) -> int:
    """Altair's chart templates as the last build made them: a warm build skips Altair
    (and its import) entirely. Returns how many templates are known."""
    stored = cache.get("charts", keys.chart_templates())
    if stored is not None:
        try:
            TEMPLATES.update(pickle.loads(stored))
        except Exception:  # a corrupt entry: the templates are made anew
            pass
    return len(TEMPLATES)


def save_templates(cache: Cache, known: int) -> None:
    """Keep the templates for the next build, when more than `known` were made."""
    if len(TEMPLATES) > known:
        cache.put("charts", keys.chart_templates(), pickle.dumps(dict(TEMPLATES)))


def configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # aria=False: each chart has a text summary under it; per-mark ARIA labels only
    # doubled the SVG's size (the page budget is 250 KB).
    return (
        chart.configure(font=FONT_STACK, aria=False)
        .configure_view(stroke=None)
        # labelLimit 0: no truncation, so vl-convert measures each label once, not twice
        # (~20% of a chart's time); our labels are unit names, far below the 180 px default
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=0)
        .configure_legend(labelLimit=0, labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )


def template(build: Callable[..., alt.TopLevelMixin]) -> Callable[..., dict]:
    """A chart builder made into a template: called as `build(alt, *args)` once per
    arguments (which must be hashable and say only what the chart is, never its data).
    Validation costs ~5 ms a chart; the test suite validates every filled spec instead."""

    @functools.wraps(build)
    def made(*args: object) -> dict:
        key = (build.__name__, *args)
        if key not in TEMPLATES:
            import altair

            TEMPLATES[key] = configure(build(altair, *args)).to_dict(validate=False)
        return TEMPLATES[key]

    return made


def fill(spec: object, slots: dict[str, object]) -> object:
    """A copy of a template with each slot string ("@name") replaced by its value."""
    if isinstance(spec, dict):
        return {k: fill(v, slots) for k, v in spec.items()}
    if isinstance(spec, list):
        return [fill(v, slots) for v in spec]
    if isinstance(spec, str) and spec.startswith("@"):
        return slots[spec]
    return spec


def filled(
    tmpl: dict,
    rows: list[dict],
    extra: list[dict] | None = None,
    *,
    height: int | None = None,  # Altair checks a height's type at once: no slot for it
    **slots: object,
) -> dict:
    spec = cast(dict, fill(tmpl, {f"@{k}": v for k, v in slots.items()}))
    spec["datasets"] = {ROWS: rows, **({EXTRA: extra} if extra is not None else {})}
    if height is not None:
        spec["height"] = height
    return spec


def series_style(alt, series: list[str], colours: list[str], dashes: list[list[int]]) -> dict:
    """Colour and dash by 系列, in `series` order. With the same field and title, Vega-Lite
    merges the two into one legend at the bottom."""
    channels = {"color": (alt.Color, colours), "strokeDash": (alt.StrokeDash, dashes)}
    return {
        name: channel(
            "系列:N",
            sort=series,
            title=None,
            scale=alt.Scale(domain=series, range=values),
            legend=alt.Legend(orient="bottom"),
        )
        for name, (channel, values) in channels.items()
    }
