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
from typing import TYPE_CHECKING

from . import formats, keys, periods
from .cache import Cache
from .schema import GROUPS, INDICATOR_BY_KEY, LIGHT_WORDS

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


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    # aria=False: each chart has a text summary under it; per-mark ARIA labels only
    # doubled the SVG's size (the page budget is 250 KB).
    return (
        chart.configure(font=FONT_STACK, aria=False)
        .configure_view(stroke=None)
        # labelLimit 0: no truncation, so vl-convert measures each label once, not twice
        # (~20% of a chart's time); our labels are unit names, far below the 180 px default
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=0)
        .configure_legend(labelLimit=0)
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

            TEMPLATES[key] = _config(build(altair, *args)).to_dict(validate=False)
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


def _spec(
    tmpl: dict,
    rows: list[dict],
    extra: list[dict] | None = None,
    *,
    height: int | None = None,  # Altair checks a height's type at once: no slot for it
    **slots: object,
) -> dict:
    spec = fill(tmpl, {f"@{k}": v for k, v in slots.items()})
    spec["datasets"] = {ROWS: rows, **({EXTRA: extra} if extra is not None else {})}
    if height is not None:
        spec["height"] = height
    return spec


@template
def _completion_template(alt, group: str, key: str) -> alt.TopLevelMixin:
    ind = INDICATOR_BY_KEY[key]
    base = alt.Chart(alt.NamedData(name=ROWS))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        y=alt.Y("单位:N", sort=None, title=None),
        x=alt.X(
            "完成率:Q",
            title=f"{ind.name}完成率",
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
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("单位:N", sort=None), x="完成率:Q", text="完成率文字:N"
    )
    progress = alt.Chart(alt.NamedData(name=EXTRA))  # one row: 时序进度 and its label
    rule = progress.mark_rule(color="#333", strokeDash=[4, 3]).encode(x="时序进度:Q")
    rule_label = progress.mark_text(
        align="left", dx=3, dy=-6, fontSize=11, baseline="bottom"
    ).encode(x="时序进度:Q", y=alt.value(0), text="文字:N")
    return (bars + labels + rule + rule_label).properties(
        width=WIDTH - 200, title=f"{group}{ind.name}完成率"
    )


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
    progress = figures["time_progress"]
    spec = _spec(
        _completion_template(group, key),
        rows,
        [{"时序进度": progress, "文字": f"时序进度 {formats.pct(progress)}"}],
        x_max=max(1.0, max(r["完成率"] for r in rows) * 1.15),
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
    group_index = GROUPS.index(group) + 1
    return Chart(f"chart-1-{group_index}", f"{group}{ind.name}完成率", spec, csv_rows, summary)


def _series_style(alt, series: list[str], colours: list[str], dashes: list[list[int]]) -> dict:
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


CITY_SERIES = ["本年", "上年", "目标进度"]


@template
def _city_template(alt, key: str) -> alt.TopLevelMixin:
    ind = INDICATOR_BY_KEY[key]
    series = CITY_SERIES
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "月份:O", title="月份", axis=alt.Axis(labelAngle=0, labelExpr="datum.value + '月'")
            ),
            y=alt.Y("累计:Q", title=f"{ind.name}（{ind.unit}）"),
            **_series_style(
                alt, series, ["#1565c0", "#90a4ae", "#6d4c41"], [[1, 0], [1, 0], [5, 4]]
            ),
            tooltip=["系列:N", "月份:Q", "累计:Q"],
        )
        .properties(width=WIDTH - 80, height=240, title=f"全市{ind.name}累计走势")
    )


def city_cumulative(figures: dict, history: dict[str, dict], key: str) -> Chart | None:
    """Chart 2: the city's cumulative line this year vs last year vs the straight target path."""
    ind = INDICATOR_BY_KEY[key]
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
        f"{formats.period_label(figures['period'])}全市{ind.name}累计{formats.amount(now['ytd'], ind.unit)}，"
        f"{formats.rate_phrase(now['target'], now['rate'], ind.unit)}，{formats.pp(now['gap_pp'])}。"
    )
    spec = _spec(_city_template(key), rows)
    return Chart(f"chart-2-{key}", f"全市{ind.name}累计走势", spec, rows, summary)


def _named_rows(figures: dict, groups: tuple[str, ...]) -> list[dict]:
    return [u for u in figures["units"] if u["group"] in groups and u["reported"]]


TARGET_KINDS = ["完成", "市定目标", "自定目标"]


@template
def _targets_template(alt, key: str) -> alt.TopLevelMixin:
    ind = INDICATOR_BY_KEY[key]
    kinds = TARGET_KINDS
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_bar()
        .encode(
            y=alt.Y("单位:N", sort=None, title=None),
            yOffset=alt.YOffset("类别:N", sort=kinds),
            x=alt.X(f"{ind.unit}:Q", title=f"{ind.name}（{ind.unit}）"),
            color=alt.Color(
                "类别:N",
                sort=kinds,
                title=None,
                scale=alt.Scale(domain=kinds, range=["#1565c0", "#9e9e9e", "#ffb74d"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["单位:N", "类别:N", f"{ind.unit}:Q"],
        )
        .properties(width=WIDTH - 200, height={"step": 7}, title=f"各单位{ind.name}完成与目标")
    )


def actual_vs_targets(figures: dict, key: str = "signed_amount") -> Chart | None:
    """Chart 3: each unit's YTD beside its 市定 and 自定 targets (grouped bars)."""
    ind = INDICATOR_BY_KEY[key]
    rows = []
    for unit in _named_rows(figures, GROUPS):
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
        for u in _named_rows(figures, GROUPS)
        if (t := u["indicators"][key])["target_self"] is not None
        and t["target"] is not None
        and t["target_self"] < t["target"]
    ]
    summary = (
        f"自定目标低于市定目标的单位：{'、'.join(below)}。"
        if below
        else f"各单位{ind.name}自定目标均不低于市定目标。"
    )
    spec = _spec(_targets_template(key), rows)
    return Chart("chart-3", f"各单位{ind.name}完成与目标", spec, rows, summary)


@template
def _effort_template(alt) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    points = base.mark_circle(size=70, opacity=0.85).encode(
        x=alt.X("外出招商批次:Q", title="外出招商批次"),
        y=alt.Y("签约项目:Q", title="签约项目（个）"),
        color=alt.Color(
            "类别:N", title=None, sort=list(GROUPS), legend=alt.Legend(orient="bottom")
        ),
        shape=alt.Shape(
            "类别:N", title=None, sort=list(GROUPS), legend=alt.Legend(orient="bottom")
        ),
        tooltip=["单位:N", "外出招商批次:Q", "签约项目:Q"],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=10, color="#555").encode(
        x="外出招商批次:Q", y="签约项目:Q", text="单位:N"
    )
    return (points + labels).properties(width=WIDTH - 80, height=300, title="外出招商与签约项目")


def effort_vs_result(figures: dict) -> Chart | None:
    """Chart 4: 外出招商批次 against 签约项目, one point per unit."""
    rows = []
    for unit in _named_rows(figures, GROUPS):
        trips = unit["indicators"]["trips"]["ytd"]
        signed = unit["indicators"]["signed_count"]["ytd"]
        if trips is not None and signed is not None:
            rows.append(
                {
                    "单位": unit["name"],
                    "类别": unit["group"],
                    "外出招商批次": trips,
                    "签约项目": signed,
                }
            )
    if len(rows) < 2:
        return None
    busiest = max(rows, key=lambda r: r["外出招商批次"])
    summary = (
        f"外出招商批次最多的是{busiest['单位']}（{busiest['外出招商批次']:g}批次），"
        f"签约项目{busiest['签约项目']:g}个。"
    )
    return Chart("chart-4", "外出招商与签约项目", _spec(_effort_template(), rows), rows, summary)


@template
def _mix_template(alt) -> alt.TopLevelMixin:
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_bar()
        .encode(
            y=alt.Y("单位:N", sort=None, title=None),
            x=alt.X("项目数:Q", stack="normalize", title="项目类别构成", axis=alt.Axis(format="%")),
            color=alt.Color(
                "项目类别:N", sort="@order", title=None, legend=alt.Legend(orient="bottom")
            ),
            order=alt.Order("项目类别:N"),
            tooltip=["单位:N", "项目类别:N", "项目数:Q"],
        )
        .properties(width=WIDTH - 200, height={"step": 18}, title="各单位签约项目类别构成")
    )


def project_mix_by_unit(projects: dict) -> Chart | None:
    """Chart 5: each unit's signed projects by 项目类别, as 100% stacked bars."""
    rows = [
        {"单位": u["name"], "项目类别": cat, "项目数": n}
        for u in projects["by_unit"]
        for cat, n in u["categories"].items()
        if n
    ]
    if not rows:
        return None
    order = [c["name"] for c in projects["by_category"]]
    top = max(projects["by_category"], key=lambda c: c["count"])
    summary = f"今年签约项目中{top['name']}项目最多，共{top['count']}个。"
    spec = _spec(_mix_template(), rows, order=order)
    return Chart("chart-5", "各单位签约项目类别构成", spec, rows, summary)


@template
def _nature_template(alt) -> alt.TopLevelMixin:
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_bar()
        .encode(
            x=alt.X("项目性质:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("签约金额:Q", title="签约金额（亿元）"),
            color=alt.Color(
                "标记:N",
                title=None,
                legend=None,
                scale=alt.Scale(domain=["市内转调", "其他"], range=["#c62828", "#78909c"]),
            ),
            tooltip=["项目性质:N", "项目数:Q", "签约金额:Q"],
        )
        .properties(width=WIDTH - 160, height=220, title="签约项目性质")
    )


def nature_mix(projects: dict) -> Chart | None:
    """Chart 6: 项目性质, with 市内转调 highlighted (intra-city relocations are not new investment)."""
    rows = [
        {
            "项目性质": n["name"],
            "项目数": n["count"],
            "签约金额": round(n["signed_amount"], 6),
            "标记": "市内转调" if n["name"] == "市内转调" else "其他",
        }
        for n in projects["by_nature"]
        if n["count"]
    ]
    if not rows:
        return None
    share = projects["relocation_share"]
    summary = (
        f"市内转调项目签约金额占全部签约金额的{formats.pct(share)}。"
        if share is not None
        else "今年暂无签约金额。"
    )
    return Chart("chart-6", "签约项目性质", _spec(_nature_template(), rows), rows, summary)


@template
def _funnel_template(alt) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    bars = base.mark_bar(color="#1565c0").encode(
        y=alt.Y("阶段:N", sort="@stages", title=None),
        x=alt.X("项目数:Q", title="项目数（个）"),
        tooltip=["阶段:N", "项目数:Q"],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        y=alt.Y("阶段:N", sort="@stages"), x="项目数:Q", text="项目数:Q"
    )
    return (bars + labels).properties(width=WIDTH - 200, height={"step": 30}, title="项目推进情况")


def pipeline_funnel(projects: dict) -> Chart | None:
    """Chart 7: the project pipeline 在谈 → 签约 → 开工 → 竣工投产."""
    rows = [{"阶段": p["stage"], "项目数": p["count"]} for p in projects["pipeline"]]
    if not any(r["项目数"] for r in rows):
        return None
    spec = _spec(_funnel_template(), rows, stages=[r["阶段"] for r in rows])
    counts = "、".join(f"{r['阶段']}{r['项目数']}个" for r in rows)
    return Chart("chart-7", "项目推进情况", spec, rows, f"台账中{counts}。")


UNIT_SERIES = ["完成率", "时序进度"]


@template
def _unit_template(alt) -> alt.TopLevelMixin:
    series = UNIT_SERIES
    return (
        alt.Chart(alt.NamedData(name=ROWS))
        .mark_line(point=True)
        .encode(
            # a label every `step` months (see unit_progress): ten years of monthly
            # labels were an illegible smear, and each label costs vl-convert ~0.5 ms
            x=alt.X("月份:O", title=None, axis=alt.Axis(labelAngle=-45, labelExpr="@labels")),
            y=alt.Y("比例:Q", title=None, axis=alt.Axis(format="%")),
            **_series_style(alt, series, ["#1565c0", "#9e9e9e"], [[1, 0], [5, 4]]),
            detail=alt.Detail("年:N"),
            tooltip=["月份:N", "系列:N", alt.Tooltip("比例:Q", format=".2%")],
        )
        .transform_calculate(年="substring(datum['月份'], 0, 4)")
        .properties(width=WIDTH - 80, height=220, title="@title")
    )


def unit_progress(
    unit_name: str, history: list[tuple[str, dict]], key: str = "signed_amount"
) -> Chart | None:
    """A unit page's line: its 完成率 month by month against 时序进度."""
    ind = INDICATOR_BY_KEY[key]
    rows = []
    for period, row in history:
        if row["rate"] is not None:
            rows.append({"月份": period, "系列": "完成率", "比例": round(row["rate"], 6)})
        rows.append(
            {"月份": period, "系列": "时序进度", "比例": round(periods.time_progress(period), 6)}
        )
    if not any(r["系列"] == "完成率" for r in rows):
        return None
    last = next((r for r in reversed(rows) if r["系列"] == "完成率"), None)
    summary = (
        f"{unit_name}{ind.name}最近一期完成率为{formats.pct(last['比例'])}（{last['月份']}）。"
    )
    title = f"{unit_name}{ind.name}完成率与时序进度"
    spec = _spec(_unit_template(), rows, title=title, labels=month_labels(len(history)))
    return Chart(f"unit-{key}", title, spec, rows, summary)


def charts_for_unit(
    unit_id: str, name: str, figures: dict[str, dict], published: list[str]
) -> list[Chart]:
    """A unit page's charts: its 完成率 line over every published month."""
    history = [
        (p, u["indicators"]["signed_amount"])
        for p in published
        for u in figures[p]["units"]
        if u["unit_id"] == unit_id
    ]
    chart = unit_progress(name, history) if history else None
    return [chart] if chart else []


def month_labels(months: int) -> str:
    """A Vega label expression for a YYYY-MM axis: every month of a short history, every
    quarter's first month up to three years, then each January as the year."""
    if months <= 12:
        return "datum.value"
    if months <= 36:
        return "(toNumber(substring(datum.value, 5, 7)) - 1) % 3 == 0 ? datum.value : ''"
    return "substring(datum.value, 5, 7) == '01' ? substring(datum.value, 0, 4) + '年' : ''"


def charts_for_month(figures: dict, history: dict[str, dict]) -> list[Chart]:
    """The seven charts of BULLETIN.md (those the month has data for), in page order."""
    charts = [completion_by_unit(figures, group) for group in GROUPS]
    charts += [city_cumulative(figures, history, key) for key in ("signed_amount", "funds_in")]
    charts += [actual_vs_targets(figures), effort_vs_result(figures)]
    if "projects" in figures:
        projects = figures["projects"]
        charts += [project_mix_by_unit(projects), nature_mix(projects), pipeline_funnel(projects)]
    return [c for c in charts if c is not None]
