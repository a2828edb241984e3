"""The seven charts of a bulletin, each from one month's figures (charts 5-7, from the
project ledger, in `projects`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import formats, keys, periods
from ..cache import Cache
from ..schema import EFFORT_AND_RESULT, LIGHT_WORDS, Indicator, group_names, month_indicators
from .base import EXTRA, LIGHT_COLOURS, ROWS, WIDTH, Chart, filled, series_style, template
from .projects import nature_mix, pipeline_funnel, project_mix_by_unit

if TYPE_CHECKING:  # Altair is imported only when a template is built (~0.5 s)
    import altair as alt


@template
def _completion_template(alt, group: str, name: str) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=alt.Y("单位:N", sort=None, title=None),
        x=alt.X(
            "完成率:Q",
            title=f"{name}完成率",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, "@x_max"]),
        ),
        color=alt.Color(
            "亮灯:N",
            title="亮灯",
            scale=alt.Scale(domain=list(LIGHT_COLOURS), range=list(LIGHT_COLOURS.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("单位:N"),
            alt.Tooltip("完成率文字:N", title="完成率"),
            alt.Tooltip("位次:N"),
            alt.Tooltip("亮灯:N"),
        ],
    )
    # the light's word at the bar's end: printed in black and white, colour alone is lost
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("单位:N", sort=None), x="完成率:Q", text="标注:N"
    )
    progress = alt.Chart(alt.NamedData(name=EXTRA))  # one row: 时序进度 and its label
    rule = progress.mark_rule(color="#333", strokeDash=[4, 3]).encode(x="时序进度:Q")
    rule_label = progress.mark_text(
        align="left", dx=3, dy=-6, fontSize=12, baseline="bottom"
    ).encode(x="时序进度:Q", y=alt.value(0), text="文字:N")
    return (bars + labels + rule + rule_label).properties(
        width=WIDTH - 200, title=f"{group}{name}完成率"
    )


def completion_by_unit(figures: dict, group: str, ind: Indicator) -> Chart | None:
    """Chart 1: ranked bars of 完成率 in one group, coloured by light, a rule at 时序进度."""
    key = ind.key
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
                "标注": f"{formats.pct(row['rate'])} {LIGHT_WORDS[row['light']]}",
                "亮灯": LIGHT_WORDS[row["light"]],
                "位次": formats.rank(row["rank"], row["rank_tied"]),
            }
        )
    if not rows:
        return None
    rows.sort(key=lambda r: -r["完成率"])
    progress = figures["time_progress"]
    spec = filled(
        _completion_template(group, ind.name),
        rows,
        [{"时序进度": progress, "文字": f"时序进度 {formats.pct(progress)}"}],
        x_max=max(1.0, max(r["完成率"] for r in rows) * 1.3),
        height=24 * len(rows),
    )
    best, worst = rows[0], rows[-1]
    if len(rows) == 1:
        summary = f"{group}{ind.name}完成率为{best['单位']}{best['完成率文字']}，时序进度为{formats.pct(progress)}。"
    else:
        summary = (
            f"{group}{ind.name}完成率最高的是{best['单位']}（{best['完成率文字']}），"
            f"最低的是{worst['单位']}（{worst['完成率文字']}），时序进度为{formats.pct(progress)}。"
        )
    csv_rows = [{k: r[k] for k in ("单位", "完成率", "亮灯", "位次")} for r in rows]
    group_index = group_names(figures).index(group) + 1
    return Chart(f"chart-1-{group_index}", f"{group}{ind.name}完成率", spec, csv_rows, summary)


CITY_SERIES = ["本年", "上年", "目标进度"]


@template
def _city_template(alt, name: str, unit: str) -> alt.TopLevelMixin:
    series = CITY_SERIES
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "月份:O", title="月份", axis=alt.Axis(labelAngle=0, labelExpr="datum.value + '月'")
            ),
            y=alt.Y("累计:Q", title=f"{name}（{unit}）"),
            **series_style(
                alt, series, ["#1565c0", "#90a4ae", "#6d4c41"], [[1, 0], [1, 0], [5, 4]]
            ),
            tooltip=["系列:N", "月份:Q", "累计:Q"],
        )
        .properties(width=WIDTH - 80, height=240, title=f"全市{name}累计走势")
    )


def city_cumulative(figures: dict, history: dict[str, dict], ind: Indicator) -> Chart | None:
    """Chart 2: the city's cumulative line this year vs last year vs the straight target path."""
    key = ind.key
    year = periods.year_of(figures["period"])
    rows = []
    for month in range(1, 13):
        for label, y in (("本年", year), ("上年", year - 1)):
            if label == "本年" and month > figures["months"]:
                continue
            past = history.get(periods.period_of(y, month))
            value = past["city"][key]["ytd"] if past else None
            if value is not None:
                rows.append({"月份": month, "系列": label, "累计": round(value, 6)})
        target = figures["city"][key]["target"]
        if target is not None:
            rows.append({"月份": month, "系列": "目标进度", "累计": round(target * month / 12, 6)})
    if not rows:
        return None
    now = figures["city"][key]
    summary = (
        f"{formats.period_label(figures['period'])}全市{ind.name}累计{formats.amount(now['ytd'], ind.unit, ind.digits)}，"
        f"{formats.rate_phrase(now['target'], now['rate'], ind.unit, ind.digits)}，{formats.pp(now['gap_pp'])}。"
    )
    spec = filled(_city_template(ind.name, ind.unit), rows)
    return Chart(f"chart-2-{key}", f"全市{ind.name}累计走势", spec, rows, summary)


def _named_rows(figures: dict, groups: tuple[str, ...]) -> list[dict]:
    return [u for u in figures["units"] if u["group"] in groups and u["reported"]]


TARGET_KINDS = ["完成", "市定目标", "自定目标"]
# Printed in black and white the three bars differ by more than hue: a dark fill, a grey
# fill with a solid outline, a pale fill with a dashed outline (the legend shows the same).
TARGET_FILLS = ["#1565c0", "#9e9e9e", "#ffe0b2"]
TARGET_DASHES = [[], [], [3, 2]]


@template
def _targets_template(alt, name: str, unit: str) -> alt.TopLevelMixin:
    kinds = TARGET_KINDS
    # fill, outline and dash each by 类别 over the same domain: Vega-Lite merges them into
    # one legend whose squares are drawn like the bars (a constant outline would leave the
    # legend's squares without one)
    looks = {
        "color": (alt.Color, TARGET_FILLS),
        "stroke": (alt.Stroke, ["#333"] * len(kinds)),
        "strokeDash": (alt.StrokeDash, TARGET_DASHES),
    }
    channels = {
        name: channel(
            "类别:N",
            sort=kinds,
            title=None,
            scale=alt.Scale(domain=kinds, range=values),
            legend=alt.Legend(orient="bottom"),
        )
        for name, (channel, values) in looks.items()
    }
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_bar(strokeWidth=1)
        .encode(
            y=alt.Y("单位:N", sort=None, title=None),
            yOffset=alt.YOffset("类别:N", sort=kinds),
            x=alt.X(f"{unit}:Q", title=f"{name}（{unit}）"),
            **channels,
            tooltip=["单位:N", "类别:N", f"{unit}:Q"],
        )
        .properties(width=WIDTH - 200, height={"step": 7}, title=f"各单位{name}完成与目标")
    )


def actual_vs_targets(figures: dict, ind: Indicator) -> Chart | None:
    """Chart 3: each unit's YTD beside its 市定 and 自定 targets (grouped bars)."""
    key = ind.key
    rows = []
    for unit in _named_rows(figures, group_names(figures)):
        row = unit["indicators"][key]
        for label, value in zip(
            TARGET_KINDS, (row["ytd"], row["target"], row["target_self"]), strict=True
        ):
            if value is not None:
                rows.append({"单位": unit["name"], "类别": label, ind.unit: round(value, 6)})
    if not any(r["类别"] != "完成" for r in rows):
        return None
    below = [
        u["name"]
        for u in _named_rows(figures, group_names(figures))
        if (t := u["indicators"][key])["target_self"] is not None
        and t["target"] is not None
        and t["target_self"] < t["target"]
    ]
    summary = (
        f"自定目标低于市定目标的单位：{'、'.join(below)}。"
        if below
        else f"各单位{ind.name}自定目标均不低于市定目标。"
    )
    spec = filled(_targets_template(ind.name, ind.unit), rows)
    return Chart("chart-3", f"各单位{ind.name}完成与目标", spec, rows, summary)


@template
def _effort_template(alt) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    points = base.mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("外出招商批次:Q", title="外出招商批次"),
        y=alt.Y("签约项目:Q", title="签约项目（个）"),
        color=alt.Color("类别:N", title=None, sort="@groups", legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("类别:N", title=None, sort="@groups", legend=alt.Legend(orient="bottom")),
        tooltip=["单位:N", "外出招商批次:Q", "签约项目:Q"],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=12, color="#555").encode(
        x="外出招商批次:Q", y="签约项目:Q", text="单位:N"
    )
    return (points + labels).properties(width=WIDTH - 80, height=300, title="外出招商与签约项目")


def effort_vs_result(figures: dict) -> Chart | None:
    """Chart 4: 外出招商批次 against 签约项目, one point per unit."""
    rows = []
    for unit in _named_rows(figures, group_names(figures)):
        effort_key, result_key = EFFORT_AND_RESULT
        effort = unit["indicators"][effort_key]["ytd"]
        result = unit["indicators"][result_key]["ytd"]
        if effort is not None and result is not None:
            rows.append(
                {
                    "单位": unit["name"],
                    "类别": unit["group"],
                    "外出招商批次": effort,
                    "签约项目": result,
                }
            )
    if len(rows) < 2:
        return None
    busiest = max(rows, key=lambda r: r["外出招商批次"])
    summary = (
        f"外出招商批次最多的是{busiest['单位']}（{busiest['外出招商批次']:g}批次），"
        f"签约项目{busiest['签约项目']:g}个。"
    )
    return Chart(
        "chart-4",
        "外出招商与签约项目",
        filled(_effort_template(), rows, groups=list(group_names(figures))),
        rows,
        summary,
    )


def charts_for_month(figures: dict, history: dict[str, dict]) -> list[Chart]:
    """The seven charts of a bulletin (those the month has data for), in page order."""
    indicators = month_indicators(figures)
    lead = indicators.lead
    charts = []
    if lead is not None:
        charts += [completion_by_unit(figures, group, lead) for group in group_names(figures)]
    charts += [city_cumulative(figures, history, ind) for ind in indicators.charted]
    if lead is not None:
        charts.append(actual_vs_targets(figures, lead))
    if all(key in indicators for key in EFFORT_AND_RESULT):
        charts.append(effort_vs_result(figures))
    if "projects" in figures:
        projects = figures["projects"]
        charts += [project_mix_by_unit(projects), nature_mix(projects), pipeline_funnel(projects)]
    return [c for c in charts if c is not None]


def charts_for_month_kept(cache: Cache, key: str, figures: dict, history: dict) -> list[Chart]:
    """`charts_for_month`, kept under `key` (keys.month_charts: all the month's figures and
    the earlier months' they read were computed from), each chart's drawing id made once."""

    def make() -> list[Chart]:
        made = charts_for_month(figures, history)
        for chart in made:
            chart.svg_id  # noqa: B018 (a cached property, kept with the chart)
        return made

    return cache.memo("month-charts", keys.month_charts(key), make)
