"""Ledger figures: project mix, pipeline, 亿元以上 and 世界500强 lists, new this month."""

from __future__ import annotations

from .. import periods
from ..read.dataset import Dataset
from ..read.ledger import CATEGORIES, NATURES, ORIGINS, STAGES, Project
from .flags import relocation_shares

PIPELINE = ("在谈", "签约", "开工", "竣工投产")


def _signed_this_year(project: Project, period: str) -> bool:
    return periods.in_year_to_date(project.signed_on, period)


def _mix(projects: list[Project], attr: str, order: tuple[str, ...]) -> list[dict]:
    rows = []
    values = list(order) + sorted({getattr(p, attr) for p in projects} - set(order) - {""})
    for value in values:
        chosen = [p for p in projects if getattr(p, attr) == value]
        rows.append(
            {
                "name": value,
                "count": len(chosen),
                "signed_amount": sum(p.signed_amount or 0.0 for p in chosen),
            }
        )
    return rows


def _row(project: Project, data: Dataset) -> dict:
    unit = data.registry.by_id[project.unit_id]
    return {
        "project_id": project.project_id,
        "name": project.name,
        "unit_id": project.unit_id,
        "unit": unit.name,
        "industry": data.registry.industries.get(project.industry or "", ""),
        "category": project.category,
        "nature": project.nature,
        "investor": project.investor,
        "origin": project.origin_of_funds,
        "is_f500": project.is_f500,
        "total_investment": project.total_investment,
        "signed_amount": project.signed_amount,
        "stage": project.stage,
        "signed_on": project.signed_on.isoformat() if project.signed_on else None,
    }


def project_figures(data: Dataset, period: str) -> dict:
    projects = data.ledgers[period]
    signed = [p for p in projects if _signed_this_year(p, period)]
    month_start = periods.month_start(period)
    new = [p for p in signed if p.signed_on is not None and p.signed_on >= month_start]
    shares = relocation_shares(projects, period)
    moved = sum(m for m, _ in shares.values())
    total = sum(t for _, t in shares.values())
    by_unit = []
    for unit in data.registry.units:
        mine = [p for p in signed if p.unit_id == unit.unit_id]
        if mine:
            by_unit.append(
                {
                    "unit_id": unit.unit_id,
                    "name": unit.name,
                    "categories": {
                        c["name"]: c["count"] for c in _mix(mine, "category", CATEGORIES)
                    },
                }
            )
    return {
        "count": len(projects),
        "signed_count": len(signed),
        "by_category": _mix(signed, "category", CATEGORIES),
        "by_nature": _mix(signed, "nature", NATURES),
        "by_origin": _mix(signed, "origin_of_funds", ORIGINS),
        "pipeline": [
            {"stage": s, "count": sum(1 for p in projects if p.stage == s)} for s in PIPELINE
        ],
        "terminated": sum(1 for p in projects if p.stage == STAGES[-1]),
        "big": [
            _row(p, data)
            for p in sorted(signed, key=lambda p: -(p.total_investment or 0))
            if p.is_big
        ],
        "f500": [_row(p, data) for p in signed if p.is_f500],
        "new_this_month": [
            _row(p, data) for p in sorted(new, key=lambda p: (p.signed_on, p.project_id))
        ],
        "relocation_share": moved / total if total else None,
        "by_unit": by_unit,
    }


def projects_by_unit(data: Dataset, period: str) -> dict[str, list[dict]]:
    """Every ledger row of the month, per responsible unit (for the unit pages)."""
    rows: dict[str, list[dict]] = {}
    for project in sorted(data.ledgers.get(period, []), key=lambda p: p.project_id):
        rows.setdefault(project.unit_id, []).append(_row(project, data))
    return rows
