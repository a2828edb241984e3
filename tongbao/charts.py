"""Charts: Altair specs drawn from one month's figures, each with its data and a sentence.

A chart here is a Vega-Lite spec plus the rows behind it (published as CSV)
and a one-sentence summary; `svg` turns specs into static SVG at build time.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from . import formats
from .schema import GROUPS, INDICATOR_BY_KEY, LIGHT_WORDS

FONT_STACK = "Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
LIGHT_COLOURS = {"绿": "#2e7d32", "黄": "#f9a825", "红": "#c62828"}
WIDTH = 560


@dataclass
class Chart:
    chart_id: str  # stable within a bulletin: the CSV file name
    title: str
    spec: dict  # Vega-Lite, data inline
    rows: list[dict]  # exactly the data drawn, for the CSV download
    summary: str  # one sentence under the chart


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT_STACK)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_title(fontSize=14, anchor="start")
    )


def _spec(chart: alt.TopLevelMixin) -> dict:
    # Validation costs ~5 ms a chart; the test suite validates every spec once instead.
    return _config(chart).to_dict(validate=False)


def completion_by_unit(figures: dict, group: str, key: str = "signed_amount") -> Chart | None:
    """Chart 1: ranked bars of 完成率 in one group, coloured by light, a rule at 时序进度."""
    ind = INDICATOR_BY_KEY[key]
    rows = []
    for unit in figures["units"]:
        row = unit["indicators"][key]
        if unit["group"] != group or row["rate"] is None:
            continue
        rows.append(
            {
                "单位": unit["name"],
                "完成率": round(row["rate"], 6),
                "完成率文字": formats.pct(row["rate"]),
                "亮灯": LIGHT_WORDS[row["light"]],
                "位次": formats.rank(row["rank"], row["rank_tied"]),
            }
        )
    if not rows:
        return None
    rows.sort(key=lambda r: -r["完成率"])
    frame = pd.DataFrame(rows)
    progress = figures["time_progress"]
    base = alt.Chart(frame)
    x_max = max(1.0, max(r["完成率"] for r in rows) * 1.15)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=alt.Y("单位:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X(
            "完成率:Q",
            title=f"{ind.name}完成率",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, x_max]),
        ),
        color=alt.Color(
            "亮灯:N",
            title="亮灯",
            scale=alt.Scale(domain=list(LIGHT_COLOURS), range=list(LIGHT_COLOURS.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=["单位", "完成率文字", "位次", "亮灯"],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("单位:N", sort=None), x="完成率:Q", text="完成率文字:N"
    )
    rule = (
        alt.Chart(pd.DataFrame({"时序进度": [progress]}))
        .mark_rule(color="#333", strokeDash=[4, 3])
        .encode(x="时序进度:Q")
    )
    rule_label = (
        alt.Chart(
            pd.DataFrame({"时序进度": [progress], "文字": [f"时序进度 {formats.pct(progress)}"]})
        )
        .mark_text(align="left", dx=3, dy=-6, fontSize=11, baseline="bottom")
        .encode(x="时序进度:Q", y=alt.value(0), text="文字:N")
    )
    chart = (bars + labels + rule + rule_label).properties(
        width=WIDTH - 200, height=24 * len(rows), title=f"{group}{ind.name}完成率"
    )
    best, worst = rows[0], rows[-1]
    summary = (
        f"{group}{ind.name}完成率最高的是{best['单位']}（{best['完成率文字']}），"
        f"最低的是{worst['单位']}（{worst['完成率文字']}），时序进度为{formats.pct(progress)}。"
    )
    csv_rows = [{k: r[k] for k in ("单位", "完成率", "亮灯", "位次")} for r in rows]
    group_index = GROUPS.index(group) + 1
    return Chart(
        f"chart-1-{group_index}", f"{group}{ind.name}完成率", _spec(chart), csv_rows, summary
    )


def city_cumulative(figures: dict, history: dict[str, dict], key: str) -> Chart | None:
    """Chart 2: the city's cumulative line this year vs last year vs the straight target path."""
    ind = INDICATOR_BY_KEY[key]
    year = int(figures["period"][:4])
    rows = []
    for month in range(1, 13):
        for label, y in (("本年", year), ("上年", year - 1)):
            if label == "本年" and month > figures["months"]:
                continue
            past = history.get(f"{y:04d}-{month:02d}")
            value = past["city"][key]["ytd"] if past else None
            if value is not None:
                rows.append({"月份": month, "系列": label, "累计": round(value, 6)})
        target = figures["city"][key]["target"]
        if target is not None:
            rows.append({"月份": month, "系列": "目标进度", "累计": round(target * month / 12, 6)})
    if not rows:
        return None
    series = ["本年", "上年", "目标进度"]
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "月份:O", title="月份", axis=alt.Axis(labelAngle=0, labelExpr="datum.value + '月'")
            ),
            y=alt.Y("累计:Q", title=f"{ind.name}（{ind.unit}）"),
            color=alt.Color(
                "系列:N",
                sort=series,
                title=None,
                scale=alt.Scale(domain=series, range=["#1565c0", "#90a4ae", "#6d4c41"]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "系列:N",
                sort=series,
                legend=None,
                scale=alt.Scale(domain=series, range=[[1, 0], [1, 0], [5, 4]]),
            ),
            tooltip=["系列", "月份", "累计"],
        )
        .properties(width=WIDTH - 80, height=240, title=f"全市{ind.name}累计走势")
    )
    now = figures["city"][key]
    summary = (
        f"{formats.period_label(figures['period'])}全市{ind.name}累计{formats.amount(now['ytd'], ind.unit)}，"
        f"{formats.rate_phrase(now['target'], now['rate'], ind.unit)}，{formats.pp(now['gap_pp'])}。"
    )
    return Chart(f"chart-2-{key}", f"全市{ind.name}累计走势", _spec(chart), rows, summary)


def charts_for_month(figures: dict, history: dict[str, dict]) -> list[Chart]:
    charts = [completion_by_unit(figures, group) for group in GROUPS]
    charts += [city_cumulative(figures, history, key) for key in ("signed_amount", "funds_in")]
    return [c for c in charts if c is not None]
