"""A unit's sheet (单位通报单): its own figures of one month, for the bureau to send it.

Built from the same month figures as the bulletin (`site/data/YYYY-MM.json`): every
value is final text made by `formats`, nothing is computed again. A sheet names no
other unit and carries no other unit's figures: its place is a number within its group
("第3位/共7个"), its 需关注事项 are its own flags, its projects its own ledger rows.
The template (templates/document/unit.typ) receives the dict as JSON.
"""

from __future__ import annotations

from .. import formats
from ..bulletin.model import SiteText
from ..schema import month_indicators
from .model import light_text

# Projects on paper: the columns a unit checks against its own ledger (the unit page's)
PROJECT_COLUMNS = (
    "项目编号",
    "项目名称",
    "所属产业",
    "项目性质",
    "总投资（亿元）",
    "签约金额（亿元）",
    "阶段",
    "签约日期",
)


def assessed(figures: dict, unit: dict) -> list:
    """The indicators a sheet lists: the headline ones and any other with a target
    (考核: it has 完成率, 位次 and 亮灯)."""
    return [
        ind
        for ind in month_indicators(figures)
        if ind.headline or unit["indicators"][ind.key]["target"] is not None
    ]


def ranked_in_group(figures: dict, unit: dict, key: str) -> int:
    """How many units of the unit's group are ranked on `key` (the 共N个 of 第3位/共7个)."""
    return sum(
        1
        for u in figures["units"]
        if u["group"] == unit["group"] and u["indicators"][key]["rank"] is not None
    )


def place_text(row: dict, ranked: int) -> str:
    """第3位/共7个, 并列第2位/共7个, or — for an unranked unit."""
    if row["rank"] is None:
        return formats.DASH
    return f"{formats.rank(row['rank'], row['rank_tied'])}/共{ranked}个"


def indicator_rows(figures: dict, unit: dict) -> list[dict]:
    rows = []
    for ind in assessed(figures, unit):
        row = unit["indicators"][ind.key]
        reported = unit["reported"]
        rows.append(
            {
                "name": ind.name,
                "unit": ind.unit,
                "ytd": formats.number(row["ytd"], ind.unit, ind.digits)
                if reported
                else formats.NOT_REPORTED,
                "month": formats.number(row["month"], ind.unit, ind.digits),
                "target": formats.number(row["target"], ind.unit, ind.digits),
                "rate": formats.pct(row["rate"]),
                "gap": formats.pp_short(row["gap_pp"]),
                "place": place_text(row, ranked_in_group(figures, unit, ind.key)),
                "change": formats.rank_change(row["rank_change"]),
                "light": light_text(row["light"]),
                "reported": reported,
            }
        )
    return rows


def project_rows(projects: list[dict]) -> list[list[str]]:
    """Ledger rows, in the unit page's columns."""
    return [
        [
            p["project_id"],
            p["name"],
            p["industry"] or formats.DASH,
            p["nature"] or formats.DASH,
            formats.number(p["total_investment"], "亿元"),
            formats.number(p["signed_amount"], "亿元"),
            p["stage"] or formats.DASH,
            p["signed_on"] or formats.DASH,
        ]
        for p in projects
    ]


def unit_sheet(
    figures: dict,
    unit_id: str,
    *,
    site: SiteText,
    projects: list[dict] | None,
    chart: tuple[str, str] | None,
) -> dict:
    """One unit's sheet of one month. `projects`: its projects signed this month, rows of
    the month's ledger as the figures list them (`projects.new_this_month`; None: the
    month has no ledger); `chart`: (title, summary) of its 完成率 line, or None."""
    period = figures["period"]
    unit = next(u for u in figures["units"] if u["unit_id"] == unit_id)
    flags = [f["message"] for f in figures["flags"] if f["unit_id"] == unit_id]
    headline = {ind.key for ind in month_indicators(figures).headline}
    lagging = any(unit["indicators"][k]["light"] == "red" for k in headline) or any(
        f["unit_id"] == unit_id and f["code"] == "last-in-group" for f in figures["flags"]
    )
    if projects is None:
        project_note = "本月无项目台账。"
    elif projects:
        project_note = f"本月项目台账中，本单位本月新签约项目{len(projects)}个："
    else:
        project_note = "本月项目台账中，本单位本月没有新签约项目。"
    return {
        "masthead": f"{site.city}{site.title}",
        "kind": "单位通报单",
        "unit": unit["name"],
        "group": unit["group"],
        "period": formats.period_label(period),
        "issue": formats.issue_label(period, figures["issue"]),
        "issued": formats.date_label(figures["issued"]),
        "date": str(figures["issued"] or "2000-01-01")[:10],
        "issuer": site.issuer,
        "progress": formats.pct(figures["time_progress"]),
        "reported": unit["reported"],
        "indicators": indicator_rows(figures, unit),
        "rank_note": (
            f"位次为在{unit['group']}参与排名单位中按完成率的位次，↑↓为较上月变化；"
            "亮灯：●绿 达到或超过时序进度，▲黄 落后时序进度，■红 落后较多。"
        ),
        "chart": {"title": chart[0], "summary": chart[1]} if chart else None,
        "flags": flags,
        "ask": (
            f"请对以上事项分析原因，提出下步措施，报{site.issuer}。"
            if lagging or not unit["reported"]
            else ""
        ),
        "project_note": project_note,
        "project_head": list(PROJECT_COLUMNS),
        "projects": project_rows(projects or []),
    }


def history_points(rows: list[dict]) -> dict:
    """The unit chart's rows (charts.unit.unit_progress) as the sheet draws them: per
    month, its label, 完成率 (None: none that month) and 时序进度, as fractions."""
    months = sorted({r["月份"] for r in rows})
    value = {(r["月份"], r["系列"]): r["比例"] for r in rows}
    every = 1 if len(months) <= 12 else 3
    return {
        "months": months,
        "labels": [
            (f"{int(m[5:])}月" if int(m[5:]) != 1 else f"{m[:4]}年1月")
            if (int(m[5:]) - 1) % every == 0
            else ""
            for m in months
        ],
        "years": [m[:4] for m in months],
        "rate": [value.get((m, "完成率")) for m in months],
        "progress": [value.get((m, "时序进度")) for m in months],
    }
