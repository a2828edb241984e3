"""View models: figures → ready, formatted values for the templates (no arithmetic there)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from . import formats
from .schema import GROUPS, HEADLINE, INDICATOR_BY_KEY, LIGHT_WORDS

LIGHT_SHAPES = {
    "green": "●",
    "yellow": "▲",
    "red": "■",
}  # shape + word: readable in black and white


@dataclass(frozen=True)
class SiteText:
    """Names that belong to the city, from mkdocs.yml (extra.tongbao), never hard-coded."""

    city: str
    issuer: str
    title: str

    @classmethod
    def from_config(cls, extra: dict) -> SiteText:
        return cls(
            city=str(extra.get("city", "")),
            issuer=str(extra.get("issuer", "")),
            title=str(extra.get("bulletin_title", "招商引资工作通报")),
        )


def bulletin_path(period: str) -> str:
    return f"bulletins/{period}.md"


def unit_path(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def link(from_page: str, to_file: str) -> str:
    """A relative URL between two generated files (.md pages become .html)."""
    target = to_file[:-3] + ".html" if to_file.endswith(".md") else to_file
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def light_view(light: str | None) -> dict:
    if light is None:
        return {"css": "none", "text": formats.DASH, "shape": ""}
    return {"css": light, "text": LIGHT_WORDS[light], "shape": LIGHT_SHAPES[light]}


def card_views(figures: dict) -> list[dict]:
    cards = []
    for ind in HEADLINE:
        row = figures["city"][ind.key]
        cards.append(
            {
                "name": ind.name,
                "unit": ind.unit,
                "ytd": formats.number(row["ytd"], ind.unit),
                "month": formats.amount(row["month"], ind.unit),
                "target": formats.amount(row["target"], ind.unit),
                "rate": formats.pct(row["rate"]),
                "gap": formats.pp(row["gap_pp"]),
                "gap_css": "ahead" if (row["gap_pp"] or 0) >= 0 else "behind",
                "yoy": formats.yoy(row["yoy"]),
            }
        )
    return cards


def group_tables(figures: dict, page: str) -> list[dict]:
    tables = []
    for group in GROUPS:
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        rows = []
        for unit in units:
            cells = []
            for ind in HEADLINE:
                row = unit["indicators"][ind.key]
                cells.append(
                    {
                        "ytd": formats.number(row["ytd"], ind.unit),
                        "target": formats.number(row["target"], ind.unit),
                        "rate": formats.pct(row["rate"]),
                        "rank": formats.rank(row["rank"], row["rank_tied"]).replace("位", ""),
                        "change": formats.rank_change(row["rank_change"]),
                        "light": light_view(row["light"]),
                    }
                )
            rows.append(
                {
                    "name": unit["name"],
                    "unit_id": unit["unit_id"],
                    "href": link(page, unit_path(unit["unit_id"])),
                    "reported": unit["reported"],
                    "cells": cells,
                }
            )
        tables.append(
            {
                "group": group,
                "indicators": [{"name": i.name, "unit": i.unit} for i in HEADLINE],
                "rows": rows,
                "span": len(HEADLINE) * 5,
            }
        )
    return tables


def flag_views(figures: dict) -> list[dict]:
    return [{"message": f["message"], "code": f["code"]} for f in figures["flags"]]


def headline_summary(figures: dict) -> list[str]:
    """Short figures for archive rows: 签约金额 812.50亿元（33.85%）."""
    out = []
    for key in ("signed_count", "signed_amount", "funds_in"):
        ind = INDICATOR_BY_KEY[key]
        row = figures["city"][key]
        out.append(
            f"{ind.name} {formats.amount(row['ytd'], ind.unit)}（{formats.pct(row['rate'])}）"
        )
    return out


def unit_view(
    unit: dict, *, periods: list[str], figures: dict[str, dict], labels: dict[str, str], basis: str
) -> dict:
    """A unit's page: its figures in every published bulletin, newest first."""
    page = unit_path(unit["unit_id"])
    months = []
    for period in reversed(periods):
        row = next((u for u in figures[period]["units"] if u["unit_id"] == unit["unit_id"]), None)
        if row is None:
            continue  # not an active unit that month
        cells = []
        for ind in HEADLINE:
            fig = row["indicators"][ind.key]
            cells.append(
                {
                    "ytd": formats.number(fig["ytd"], ind.unit),
                    "rate": formats.pct(fig["rate"]),
                    "rank": formats.rank(fig["rank"], fig["rank_tied"]).replace("位", ""),
                }
            )
        months.append(
            {
                "label": f"{labels[period]}（{formats.period_label(period)}）",
                "href": link(page, bulletin_path(period)) + f"#unit-{unit['unit_id']}",
                "reported": row["reported"],
                "cells": cells,
            }
        )
    return {
        "name": unit["name"],
        "group": unit["group"],
        "aliases": "、".join(unit["aliases"]),
        "basis": "自定目标" if basis == "self" else "市定目标",
        "indicators": [{"name": i.name, "unit": i.unit} for i in HEADLINE],
        "span": len(HEADLINE) * 3,
        "months": months,
    }


def project_rows(projects: list[dict]) -> list[dict]:
    return [
        p
        | {
            "total_investment": formats.number(p["total_investment"], "亿元"),
            "signed_amount": formats.number(p["signed_amount"], "亿元"),
            "signed_on": p["signed_on"] or formats.DASH,
        }
        for p in projects
    ]
