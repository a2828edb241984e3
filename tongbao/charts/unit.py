"""A unit page's chart: its 完成率 month by month against 时序进度."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .. import formats, periods
from ..schema import Indicator, month_indicators
from .base import ROWS, WIDTH, Chart, filled, series_style, template

UNIT_SERIES = ["完成率", "时序进度"]

if TYPE_CHECKING:  # Altair is imported only when a template is built (~0.5 s)
    import altair as alt


# Up to three years a point marks each month; a longer line is drawn plain, with a tick
# and a label at each January only (`values`), and a point on its latest month alone (in
# January the year's line is that one point): a dot every 4 px was a beaded smear, and
# drawing 240 points and measuring 120 axis labels doubled the chart's time in vl-convert,
# for 30 unit pages every month.
LONG = 36


@template
def _unit_template(alt, long: bool) -> alt.TopLevelMixin:
    series = UNIT_SERIES
    base = (
        alt.Chart(alt.NamedData(name=ROWS))
        .encode(
            # a label every `step` months (see month_labels): ten years of monthly labels
            # were an illegible smear, and each label costs vl-convert ~0.5 ms
            x=alt.X("月份:O", title=None, axis=alt.Axis(labelAngle=-45, labelExpr="@labels")),
            y=alt.Y("比例:Q", title=None, axis=alt.Axis(format="%")),
            **series_style(alt, series, ["#1565c0", "#9e9e9e"], [[1, 0], [5, 4]]),
            detail=alt.Detail("年:N"),
            tooltip=["月份:N", "系列:N", alt.Tooltip("比例:Q", format=".2%")],
        )
        .transform_calculate(年="substring(datum['月份'], 0, 4)")
    )
    if long:
        latest = base.mark_point(filled=True, opacity=1).transform_filter("@latest")
        chart = alt.layer(base.mark_line(), latest)
    else:
        chart = base.mark_line(point=True)
    return chart.properties(width=WIDTH - 80, height=220, title="@title")


def unit_progress(unit_name: str, history: list[tuple[str, dict]], ind: Indicator) -> Chart | None:
    """A unit page's line: its 完成率 of `ind` (the lead indicator) month by month against
    时序进度."""
    key = ind.key
    rows = []
    for period, row in history:
        if row["rate"] is not None:
            rows.append({"月份": period, "系列": "完成率", "比例": round(row["rate"], 6)})
        rows.append(
            {"月份": period, "系列": "时序进度", "比例": round(periods.time_progress(period), 6)}
        )
    if not any(r["系列"] == "完成率" for r in rows):
        return None
    last = next(r for r in reversed(rows) if r["系列"] == "完成率")
    summary = (
        f"{unit_name}{ind.name}最近一期完成率为{formats.pct(last['比例'])}（{last['月份']}）。"
    )
    title = f"{unit_name}{ind.name}完成率与时序进度"
    labels = month_labels(len(history))
    if len(history) <= LONG:
        spec = filled(_unit_template(False), rows, title=title, labels=labels)
    else:
        latest = f"datum['月份'] == {json.dumps(history[-1][0])}"
        spec = filled(_unit_template(True), rows, title=title, labels=labels, latest=latest)
        # (Altair takes no slot for a list: the Januaries are set on the filled copy)
        januaries = [p for p, _ in history if p.endswith("-01")]
        spec["layer"][0]["encoding"]["x"]["axis"]["values"] = januaries
    return Chart(f"unit-{key}", title, spec, rows, summary)


def charts_for_unit(
    unit_id: str, name: str, figures: dict[str, dict], published: list[str]
) -> list[Chart]:
    """A unit page's charts: its 完成率 line over every published month."""
    lead = month_indicators(figures[published[-1]]).lead if published else None
    if lead is None:
        return []
    history = lead_history(unit_id, lead, figures, published)
    chart = unit_progress(name, history, lead) if history else None
    return [chart] if chart else []


def lead_history(
    unit_id: str, lead: Indicator, figures: dict[str, dict], published: list[str]
) -> list[tuple[str, dict]]:
    """A unit's figures of the lead indicator in each month that has them."""
    return [
        (p, u["indicators"][lead.key])
        for p in published
        for u in figures[p]["units"]
        if u["unit_id"] == unit_id and lead.key in u["indicators"]
    ]


def month_labels(months: int) -> str:
    """A Vega label expression for a YYYY-MM axis: every month of a short history, every
    quarter's first month up to three years, then each January as the year."""
    if months <= 12:
        return "datum.value"
    if months <= 36:
        return "(toNumber(substring(datum.value, 5, 7)) - 1) % 3 == 0 ? datum.value : ''"
    return "substring(datum.value, 5, 7) == '01' ? substring(datum.value, 0, 4) + '年' : ''"
