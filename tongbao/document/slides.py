"""Slides for the dispatching meeting (调度会): the month on a screen, one idea a slide.

The same figures as the bulletin, in the words the bulletin's views already give them
(the cards, the home page's 红黑榜, the document's 需关注事项 by kind); the charts are
the bulletin's own (chart 1 per group, chart 2 of 签约金额), passed as SVG. The
template (templates/document/slides.typ) receives the dict as JSON and sets every word
at 20 pt or more.
"""

from __future__ import annotations

from .. import formats
from ..bulletin.model import SiteText
from ..bulletin.views import red_black
from ..compute.flags import FLAG_RULES
from ..schema import month_indicators
from .flags import FLAG_LEADS, flags_by_unit
from .paper import on_paper


def card_rows(figures: dict) -> list[dict]:
    """总体情况: each headline indicator's 累计, 完成率, 进度差 and 同比 (the page's card)."""
    cards = []
    for ind in month_indicators(figures).headline:
        row = figures["city"][ind.key]
        gap = formats.pp_short(row["gap_pp"])
        cards.append(
            {
                "name": ind.name,
                "ytd": formats.amount(row["ytd"], ind.unit, ind.digits),
                "rate": formats.pct(row["rate"]),
                "gap": gap if gap == formats.DASH else f"{gap}个百分点",
                "yoy": formats.yoy_short(row["yoy"]),
            }
        )
    return cards


def _names(entries: list[dict]) -> str:
    return "、".join(e["name"] for e in entries) or formats.DASH


def _rate(entries: list[dict]) -> str:
    """The place's 完成率 and light (units sharing a place share the rate)."""
    if not entries:
        return formats.DASH
    e = entries[0]
    return f"{e['rate']} {e['light']['shape']}{e['light']['text']}".rstrip()


def red_black_slides(figures: dict) -> list[dict]:
    """One slide per group: per headline indicator, who leads and who is last."""
    return [
        {
            "group": g["group"],
            "rows": [
                {
                    "name": r["name"],
                    "first": _names(r["first"]),
                    "first_rate": _rate(r["first"]),
                    "last": _names(r["last"]),
                    "last_rate": _rate(r["last"]),
                }
                for r in g["rows"]
            ],
        }
        for g in red_black(figures)
    ]


def flag_slides(figures: dict) -> list[dict]:
    """需关注事项, a slide per kind: its title and a line per unit (or per message)."""
    rules = {code: name for code, name, _ in FLAG_RULES}
    codes = list(dict.fromkeys([*rules, *(f["code"] for f in figures["flags"])]))
    slides = []
    for code in codes:
        flags = [f for f in figures["flags"] if f["code"] == code]
        if not flags:
            continue
        if code in ("red-light", "last-in-group", "self-target-below-city"):
            lines = [
                f"{unit}：{'，'.join(words)}"
                for unit, words in flags_by_unit(flags, figures).items()
            ]
        else:
            lines = [f["message"] for f in flags]
        kind = FLAG_LEADS.get(code) or rules.get(code, code)
        slides.append({"title": f"需关注事项：{kind}（{len(flags)}项）", "lines": lines})
    return slides


def slides_document(
    figures: dict, *, site: SiteText, chart_titles: dict[str, tuple[str, str]]
) -> dict:
    """The month's slides. `chart_titles`: chart id → (title, summary) of the month's
    charts; those shown (what a screen shows, as on paper: `paper.on_paper`) are named in `charts`, their SVG added later."""
    period = figures["period"]
    charts = [
        {"id": cid, "title": title, "summary": summary}
        for cid, (title, summary) in chart_titles.items()
        if on_paper(cid, figures)
    ]
    # chart 1 of each group first, then the city's line
    charts.sort(key=lambda c: (not c["id"].startswith("chart-1-"), c["id"]))
    topic = site.title[:-2] if site.title.endswith("通报") else site.title
    return {
        "masthead": f"{site.city}{site.title}",
        "meeting": f"{site.city}{topic}调度会",
        "issue": formats.issue_label(period, figures["issue"]),
        "period": formats.period_label(period),
        "issued": formats.date_label(figures["issued"]),
        "date": str(figures["issued"] or "2000-01-01")[:10],
        "issuer": site.issuer,
        "progress": formats.pct(figures["time_progress"]),
        "cards": card_rows(figures),
        "red_black": red_black_slides(figures),
        "charts": charts,
        "flags": flag_slides(figures),
    }
