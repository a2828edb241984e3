"""Charts 5-7 of a bulletin, from the month's project ledger statistics (compute/projects)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import formats
from .base import ROWS, WIDTH, Chart, filled, template

if TYPE_CHECKING:  # Altair is imported only when a template is built (~0.5 s)
    import altair as alt

MIX_WIDTH = WIDTH - 200
LABEL_EM = 12  # px a Chinese character takes at the label's size


@template
def _mix_template(alt) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    x = alt.X("项目数:Q", stack="normalize", title="项目类别构成", axis=alt.Axis(format="%"))
    order = alt.Order("项目类别:N")
    # pale fills with white gaps, and each wide enough segment named in dark text: the
    # categories read without telling their colours apart (print, colour blindness)
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("单位:N", sort=None, title=None),
        x=x,
        color=alt.Color(
            "项目类别:N",
            sort="@order",
            title=None,
            scale=alt.Scale(scheme="pastel1"),
            legend=alt.Legend(orient="bottom"),
        ),
        order=order,
        tooltip=["单位:N", "项目类别:N", "项目数:Q"],
    )
    labels = base.mark_text(fontSize=LABEL_EM, color="#222").encode(
        y=alt.Y("单位:N", sort=None),
        x=alt.X("项目数:Q", stack="normalize", bandPosition=0.5),
        order=order,
        text="标注:N",
    )
    return (bars + labels).properties(
        width=MIX_WIDTH, height={"step": 18}, title="各单位签约项目类别构成"
    )


def _mix_label(name: str, share: float) -> str:
    """A segment's category name when it fits inside the segment, else nothing."""
    return name if share * MIX_WIDTH >= LABEL_EM * len(name) + 6 else ""


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
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["单位"]] = totals.get(r["单位"], 0) + r["项目数"]
    drawn = [r | {"标注": _mix_label(r["项目类别"], r["项目数"] / totals[r["单位"]])} for r in rows]
    spec = filled(_mix_template(), drawn, order=order)
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
    return Chart("chart-6", "签约项目性质", filled(_nature_template(), rows), rows, summary)


@template
def _funnel_template(alt) -> alt.TopLevelMixin:
    base = alt.Chart(alt.NamedData(name=ROWS))
    bars = base.mark_bar(color="#1565c0").encode(
        y=alt.Y("阶段:N", sort="@stages", title=None),
        x=alt.X("项目数:Q", title="项目数（个）"),
        tooltip=["阶段:N", "项目数:Q"],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        y=alt.Y("阶段:N", sort="@stages"), x="项目数:Q", text="项目数:Q"
    )
    return (bars + labels).properties(width=WIDTH - 200, height={"step": 30}, title="项目推进情况")


def pipeline_funnel(projects: dict) -> Chart | None:
    """Chart 7: the project pipeline 在谈 → 签约 → 开工 → 竣工投产."""
    rows = [{"阶段": p["stage"], "项目数": p["count"]} for p in projects["pipeline"]]
    if not any(r["项目数"] for r in rows):
        return None
    spec = filled(_funnel_template(), rows, stages=[r["阶段"] for r in rows])
    counts = "、".join(f"{r['阶段']}{r['项目数']}个" for r in rows)
    return Chart("chart-7", "项目推进情况", spec, rows, f"台账中{counts}。")
