"""The units' pages: each unit's history, charts and projects."""

from __future__ import annotations

from functools import partial

from jinja2 import Environment

from .. import formats, layout
from ..bulletin.model import Bulletin, SiteText
from ..charts import Chart
from ..compute.projects import projects_by_unit
from ..read.dataset import Dataset
from . import views
from .common import UnitPage, chart_csv
from .rendering import render
from .tree import Tree


def unit_pages(
    data: Dataset, charts: dict[str, list[Chart]], published: list[str]
) -> list[UnitPage]:
    """Every registered unit's page, with its projects in the latest published ledger."""
    ledger_period = next((p for p in reversed(published) if p in data.ledgers), None)
    ledger_rows = projects_by_unit(data, ledger_period) if ledger_period else {}
    return [
        UnitPage(
            {"unit_id": u.unit_id, "name": u.name, "group": u.group, "aliases": u.aliases},
            charts[u.unit_id],
            ledger_rows.get(u.unit_id, []),
            ledger_period,
        )
        for u in data.registry.units
    ]


def add_unit_pages(
    tree: Tree,
    env: Environment,
    units: list[UnitPage],
    bulletins: list[Bulletin],
    labels: dict[str, str],
    *,
    site_text: SiteText,
    settings,
) -> None:
    """Each unit's page and its charts' data."""
    periods = [b.period for b in bulletins]
    figures = {b.period: b.figures for b in bulletins}
    for unit in units:
        page = layout.unit_page(unit.unit["unit_id"])
        view = views.unit_view(
            unit.unit, periods=periods, figures=figures, labels=labels, basis=settings.target_basis
        )
        csv_of = partial(layout.unit_chart_csv, unit.unit["unit_id"])
        view["charts"] = views.chart_views(unit.charts, page=page, csv_of=csv_of)
        view["projects"] = views.project_rows(unit.projects)
        view["projects_note"] = (
            f"{formats.period_label(unit.projects_period)}项目台账中的项目。"
            if unit.projects_period
            else ""
        )
        tree.add(page, render(env, "unit.md.j2", u=view, site=site_text))
        for chart in unit.charts:
            tree.add(csv_of(chart.chart_id), chart_csv(chart))
