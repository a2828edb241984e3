"""What every output shows of a month, formatted and format-neutral: the lights as shape
and word, the 红黑榜, the 项目情况, the 更正说明 and 已撤回 notice, the revision notes and
the like-for-like note. The web page adds its links and search tokens; the PDF, Word,
unit sheets and slides take these as they are."""

from __future__ import annotations

from .. import formats
from ..compute.revisions import Correction, Withdrawal
from ..schema import LIGHT_WORDS, group_names, month_indicators, not_city_groups

LIGHT_SHAPES = {
    "green": "●",
    "yellow": "▲",
    "red": "■",
}  # shape + word: readable in black and white


def light_view(light: str | None) -> dict:
    if light is None:
        return {"css": "none", "text": formats.DASH, "shape": ""}
    return {"css": light, "text": LIGHT_WORDS[light], "shape": LIGHT_SHAPES[light]}


def like_for_like_note(figures: dict) -> str | None:
    """Which counted units the city's 本月 and 同比 leave out (they lack one of the periods)."""
    left: list[str] = []
    for ind in month_indicators(figures).headline:
        excluded = figures.get("city_excluded", {}).get(ind.key, {})
        for name in excluded.get("month", []) + excluded.get("yoy", []):
            if name not in left:
                left.append(name)
    if not left:
        return None
    return (
        f"全市“本月”和“同比”只比较两期都有数据的单位，未纳入比较的单位：{'、'.join(left)}"
        "（因未报送或上年同期、上月无数据）。"
    )


def _entry(unit: dict, key: str) -> dict:
    fig = unit["indicators"][key]
    return {
        "name": unit["name"],
        "unit_id": unit["unit_id"],
        "rate": formats.pct(fig["rate"]),
        "light": light_view(fig["light"]),
    }


def red_black(figures: dict) -> list[dict]:
    """Per group, per headline indicator: the leader(s) and the last unit(s) among the
    ranked units (not reported or without a target: not ranked, so not listed).

    Ties list every unit sharing the place (并列). A group whose ranked units all share
    one place, or that has one ranked unit, has a leader and no last (`last` empty)."""
    groups = []
    for group in group_names(figures):
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        rows = []
        for ind in month_indicators(figures).headline:
            ranked = [u for u in units if u["indicators"][ind.key]["rank"] is not None]
            if not ranked:
                rows.append({"name": ind.name, "first": [], "last": [], "tied_first": False})
                continue
            ranks = [u["indicators"][ind.key]["rank"] for u in ranked]
            top, bottom = min(ranks), max(ranks)
            first = [u for u in ranked if u["indicators"][ind.key]["rank"] == top]
            last = [u for u in ranked if u["indicators"][ind.key]["rank"] == bottom]
            rows.append(
                {
                    "name": ind.name,
                    "first": [_entry(u, ind.key) for u in first],
                    "last": [] if bottom == top else [_entry(u, ind.key) for u in last],
                    "tied_first": len(first) > 1,
                    "tied_last": bottom != top and len(last) > 1,
                }
            )
        groups.append({"group": group, "rows": rows})
    return groups


BIG_LIST_LIMIT = 20  # the page lists the largest; the .xlsx download has every project


def project_summary(figures: dict) -> dict | None:
    """项目情况 as every output shows it: counts, mixes and the project lists, formatted
    (the page adds each project's links)."""
    projects = figures.get("projects")
    if not projects:
        return None

    def mix(rows: list[dict]) -> list[dict]:
        total = sum(r["signed_amount"] for r in rows) or None
        return [
            {
                "name": r["name"],
                "count": r["count"],
                "amount": formats.number(r["signed_amount"], "亿元"),
                "share": formats.pct(r["signed_amount"] / total if total else None),
                "highlight": r["name"] == "市内转调",
            }
            for r in rows
            if r["count"]
        ]

    def listing(rows: list[dict]) -> list[dict]:
        return [
            p
            | {
                "total_investment": formats.number(p["total_investment"], "亿元"),
                "signed_amount": formats.number(p["signed_amount"], "亿元"),
                "f500": "是" if p["is_f500"] else "",
            }
            for p in rows
        ]

    big = projects["big"]
    return {
        "signed_count": projects["signed_count"],
        "pipeline": projects["pipeline"],
        "terminated": projects["terminated"],
        "by_category": mix(projects["by_category"]),
        "by_nature": mix(projects["by_nature"]),
        "by_origin": mix(projects["by_origin"]),
        "big_count": len(big),
        "big": listing(big[:BIG_LIST_LIMIT]),
        "big_more": max(0, len(big) - BIG_LIST_LIMIT),
        "f500": listing(projects["f500"]),
        "new": listing(projects["new_this_month"]),
        "relocation_share": formats.pct(projects["relocation_share"]),
        # a ledger lists every unit's projects: say which groups' are counted twice there
        "also_counted": "".join(f"（含{n}）" for n in [not_city_groups(figures)] if n),
    }


def revision_views(meta: dict, figures: dict) -> list[dict]:
    """修订记录: the front matter's notes, newest first, then every detected 核减."""
    notes = [
        {"date": str(r.get("date", "")), "note": str(r.get("note", ""))}
        for r in meta.get("revisions") or []
        if isinstance(r, dict)
    ]
    notes.sort(key=lambda r: r["date"], reverse=True)
    detected = [
        {"date": "自动检测", "note": f["message"]}
        for f in figures["flags"]
        if f["code"] == "ytd-decreased"
    ]
    return notes + detected


def correction_view(correction: Correction | None) -> dict | None:
    """更正说明: the revision, each changed 期号/印发日期/title as its own line, every
    figure that differs from the record, and every changed sentence (原文 → 更正后)."""
    if correction is None:
        return None
    return {
        "date": formats.date_label(correction.revised_on.isoformat()),
        "recorded": formats.date_label(correction.recorded_on.isoformat()),
        "note": correction.note,
        "details": [
            {"name": d.name, "published": d.published, "corrected": d.corrected}
            for d in correction.details
        ],
        "rows": [
            {
                "unit": c.unit,
                "indicator": c.indicator_name or "—",
                "figure": c.figure_name,
                "published": c.show(c.published),
                "corrected": c.show(c.corrected),
            }
            for c in correction.changes
        ],
        "text": [
            {"before": t.before or "（无）", "after": t.after or "（删去）"}
            for t in correction.text
        ],
    }


def withdrawal_view(withdrawal: Withdrawal | None) -> dict | None:
    """已撤回: the day and the reason, at the top of the bulletin as issued."""
    if withdrawal is None:
        return None
    return {"date": formats.date_label(withdrawal.on.isoformat()), "reason": withdrawal.reason}
