"""View models: figures → ready, formatted values for the templates (no arithmetic there)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import markdown
from markupsafe import Markup

from .. import formats, layout
from ..bulletin.commentary import demote_headings
from ..bulletin.model import Bulletin
from ..bulletin.views import (
    correction_view,
    like_for_like_note,
    project_summary,
    revision_views,
    withdrawal_view,
)
from ..charts import Chart
from ..keys import canonical_json
from ..read.calendar import Planned
from ..schema import month_indicators
from .common import search_token
from .group_tables import group_tables
from .tree import placeholder

EMPTY_FIGURES = {"ytd": None, "rate": None, "rank": None, "rank_tied": False}


def card_views(figures: dict) -> list[dict]:
    cards = []
    for ind in month_indicators(figures).headline:
        row = figures["city"][ind.key]
        cards.append(
            {
                "name": ind.name,
                "unit": ind.unit,
                "ytd": formats.number(row["ytd"], ind.unit, ind.digits),
                "month": formats.amount(row["month"], ind.unit, ind.digits),
                "target": formats.amount(row["target"], ind.unit, ind.digits),
                "rate": formats.pct(row["rate"]),
                "gap": formats.pp(row["gap_pp"]),
                "gap_css": "ahead" if (row["gap_pp"] or 0) >= 0 else "behind",
                "yoy": formats.yoy(row["yoy"]),
            }
        )
    return cards


def units_note(figures: dict) -> str:
    """金额单位：亿元；实际使用外资：万美元。 — as the month's indicators have them."""
    indicators = month_indicators(figures)
    parts = ["金额单位：亿元"] if any(i.is_money for i in indicators) else []
    usd = "、".join(i.name for i in indicators if i.unit == "万美元")
    parts += [f"{usd}：万美元"] if usd else []
    return "；".join(parts) + "。" if parts else ""


def flag_views(figures: dict) -> list[dict]:
    return [{"message": f["message"], "code": f["code"]} for f in figures["flags"]]


def unit_view(
    unit: dict, *, periods: list[str], figures: dict[str, dict], labels: dict[str, str], basis: str
) -> dict:
    """A unit's page: its figures in every published bulletin, newest first."""
    page = layout.unit_page(unit["unit_id"])
    # the newest month's headline indicators; an earlier month without one shows —
    headline = month_indicators(figures[periods[-1]]).headline if periods else ()
    months = []
    for period in reversed(periods):
        row = next((u for u in figures[period]["units"] if u["unit_id"] == unit["unit_id"]), None)
        if row is None:
            continue  # not an active unit that month
        cells = []
        for ind in headline:
            fig = row["indicators"].get(ind.key) or EMPTY_FIGURES
            cells.append(
                {
                    "ytd": formats.number(fig["ytd"], ind.unit, ind.digits),
                    "rate": formats.pct(fig["rate"]),
                    "rank": formats.rank(fig["rank"], fig["rank_tied"]).replace("位", ""),
                }
            )
        months.append(
            {
                "label": f"{labels[period]}（{formats.period_label(period)}）",
                "href": layout.link(page, layout.bulletin_page(period))
                + f"#unit-{unit['unit_id']}",
                "sheet_href": layout.link(page, layout.unit_sheet(period, unit["unit_id"])),
                "reported": row["reported"],
                "cells": cells,
            }
        )
    return {
        "name": unit["name"],
        "token": search_token("u", unit["unit_id"]),
        "group": unit["group"],
        "aliases": "、".join(unit["aliases"]),
        "basis": "自定目标" if basis == "self" else "市定目标",
        "indicators": [{"name": i.name, "unit": i.unit} for i in headline],
        "span": len(headline) * 3,
        "months": months,
        "latest_sheet": months[0] if months else None,  # the newest month's 单位通报单
    }


def project_rows(projects: list[dict]) -> list[dict]:
    return [
        p
        | {
            "token": search_token("p", p["project_id"]),
            "total_investment": formats.number(p["total_investment"], "亿元"),
            "signed_amount": formats.number(p["signed_amount"], "亿元"),
            "signed_on": p["signed_on"] or formats.DASH,
        }
        for p in projects
    ]


def project_section(figures: dict, page: str) -> dict | None:
    """项目情况 on the page: the summary with each project's unit link and search tokens."""
    summary = project_summary(figures)
    if summary is None:
        return None

    def linked(rows: list[dict]) -> list[dict]:
        return [
            p
            | {
                "href": layout.link(page, layout.unit_page(p["unit_id"])),
                "unit_token": search_token("u", p["unit_id"]),
                "token": search_token("p", p["project_id"]),
            }
            for p in rows
        ]

    return summary | {key: linked(summary[key]) for key in ("big", "f500", "new")}


def bulletin_view(b: Bulletin, *, periods: list[str], labels: dict[str, str], settings) -> dict:
    page = layout.bulletin_page(b.period)
    index = periods.index(b.period)
    latest = b.newest or periods[-1]  # a withdrawn month is not the latest

    def neighbour(i: int) -> dict | None:
        if 0 <= i < len(periods):
            return {
                "href": layout.link(page, layout.bulletin_page(periods[i])),
                "label": labels[periods[i]],
            }
        return None

    figures = b.figures
    commentary = None
    if b.commentary is not None:
        commentary = Markup(
            markdown.markdown(
                demote_headings(b.commentary, levels=1), extensions=["tables", "attr_list"]
            )
        )
    return {
        "issue_label": labels[b.period],
        "period_label": formats.period_label(b.period),
        "issued_label": formats.date_label(figures["issued"]),
        "time_progress": formats.pct(figures["time_progress"]),
        "is_latest": b.period == latest,
        "latest_href": layout.link(page, layout.LATEST),
        "revisions": revision_views(b.meta, figures),
        "correction": correction_view(b.correction),
        "withdrawn": withdrawal_view(b.withdrawn),
        "original_pdf_href": layout.link(page, layout.original_pdf(b.period))
        if b.correction
        else None,
        "next_planned": planned_view(b.next_planned),
        "projects": project_section(figures, page),
        "xlsx_href": layout.link(page, layout.workbook(b.period)),
        "pdf_href": layout.link(page, layout.bulletin_pdf(b.period)),  # the official document
        "docx_href": layout.link(page, layout.bulletin_docx(b.period)),
        "slides_href": layout.link(page, layout.slides_pdf(b.period)),  # for the 调度会
        "sheets_zip_href": layout.link(page, layout.unit_sheets_zip(b.period)),  # 单位通报单
        "about_href": layout.link(page, layout.ABOUT),
        "cards": card_views(figures),
        "like_for_like": like_for_like_note(figures),
        "commentary": commentary,
        "summary": figures["summary"],
        "tables": group_tables(figures, page),
        "red_pp": f"{-settings.red_below_pp:g}",
        "units_note": units_note(figures),
        "charts": chart_views(b.charts, page=page, csv_of=partial(layout.chart_csv, b.period)),
        "flags": flag_views(figures),
        "json_href": layout.link(page, layout.month_json(b.period)),
        "prev": neighbour(index - 1),
        "next": neighbour(index + 1),
    }


def chart_views(charts: list[Chart], *, page: str, csv_of: Callable[[str], str]) -> list[dict]:
    """The charts as the page shows them; `csv_of(chart_id)`: where its data is (layout)."""
    return [
        {
            "id": ch.chart_id,
            "title": ch.title,
            "svg": placeholder(ch.svg_id),
            "summary": ch.summary,
            "csv_href": layout.link(page, csv_of(ch.chart_id)),
            "spec_json": spec_json(ch.spec),
        }
        for ch in charts
    ]


def spec_json(spec: dict) -> Markup:
    text = canonical_json(spec)
    # Inside <script>, "<" could open a tag-like sequence; JSON escapes keep data inert.
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return Markup(text)


def planned_view(planned: Planned | None) -> dict | None:
    """下期计划印发: the next issue's row of the release calendar."""
    if planned is None:
        return None
    return {
        "period_label": formats.period_label(planned.period),
        "planned_label": formats.date_label(planned.planned.isoformat()),
        "due_label": formats.date_label(planned.due.isoformat()) if planned.due else None,
    }


def schedule_view(planned: Planned | None, issued: object) -> dict:
    """The archive's planned vs actual 印发日期; an issue later than planned is late."""
    if planned is None:
        return {"planned_label": None, "late": False}
    late = bool(issued) and str(issued)[:10] > planned.planned.isoformat()
    return {"planned_label": formats.date_label(planned.planned.isoformat()), "late": late}
