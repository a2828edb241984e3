"""Validate: checks that span files and months, on top of what `load` found per cell."""

from __future__ import annotations

from .. import periods
from ..issues import NOTICE, WARNING, Issue
from ..schema import CUMULATIVE, LEDGER_INDICATORS
from .dataset import Dataset, MonthReport
from .ledger import counts_of


def acknowledged(data: Dataset, period: str) -> tuple[set[str], str]:
    """What the month's commentary front matter already explains: units listed under
    `unreported:` (confirmed 未报送) and the text of its `revisions:` notes (核减)."""
    item = data.commentary.get(period)
    meta = item.meta if item else {}
    listed = meta.get("unreported") or []
    units = {u.unit_id for name in listed if (u := data.registry.resolve(name)) is not None}
    notes = " ".join(
        str(r.get("note", "")) for r in meta.get("revisions") or [] if isinstance(r, dict)
    )
    return units, notes


def check_reporting(data: Dataset, period: str) -> list[Issue]:
    """未报送 units, and units reporting outside their active months."""
    report = data.months[period]
    confirmed, _ = acknowledged(data, period)
    issues = []
    for unit in data.registry.units:
        if unit.active_in(period) and unit.unit_id not in report.rows:
            if unit.unit_id in confirmed:
                message, level = (
                    f"{unit.name}未报送 {period} 的数据（评述中已列入 unreported）",
                    NOTICE,
                )
            else:
                message, level = (
                    f"{unit.name}未报送 {period} 的数据，将显示为“未报送”并不参与排名；"
                    "如已报送，请检查文件是否放在该月文件夹中；确认未报送的，"
                    f"在 content/{period}.md 开头写 unreported: [{unit.name}]",
                    WARNING,
                )
            issues.append(Issue.of_file(f"data/{period}", "not-reported", message, level))
        elif not unit.active_in(period) and unit.unit_id in report.rows:
            issues.append(
                Issue.at(
                    report.rows[unit.unit_id],
                    "inactive-unit",
                    f"{unit.name}在 {period} 不在启用期内（{unit.active_from or '…'}—{unit.active_to or '…'}），"
                    "请核对单位名册的启用/停用月份",
                    WARNING,
                )
            )
    return issues


def check_decreases(
    report: MonthReport, previous: MonthReport | None, data: Dataset
) -> list[Issue]:
    """A cumulative figure lower than last month's is a 核减: allowed, but said."""
    if previous is None:
        return []
    _, notes = acknowledged(data, report.period)
    issues = []
    for unit_id, values in report.values.items():
        before = previous.values.get(unit_id)
        if not before:
            continue
        for ind in data.indicators:
            now, then = values.get(ind.key), before.get(ind.key)
            if ind.kind != CUMULATIVE or now is None or then is None or now >= then - 1e-9:
                continue
            unit = data.registry.by_id[unit_id]
            explained = ind.name in notes and any(n in notes for n in (unit.name, *unit.aliases))
            issues.append(
                Issue.at(
                    report.origins[(unit_id, ind.key)],
                    "ytd-decreased",
                    f"{unit.name}{ind.name}累计 {now:g}{ind.unit}，低于上月的 {then:g}{ind.unit}（核减 {then - now:.2f}{ind.unit}）；"
                    + (
                        "评述的 revisions 已说明"
                        if explained
                        else "如确为核减，请在评述的 revisions 中写明单位和指标，否则请更正"
                    ),
                    NOTICE if explained else WARNING,
                )
            )
    return issues


def check_ledger(
    report: MonthReport, counts: dict[str, dict[str, int]], data: Dataset
) -> list[Issue]:
    """`counts`: the month's ledger as `ledger.ledger_counts` counts it."""
    issues = []
    compared = [
        (counted, data.indicators[key])
        for counted, key in LEDGER_INDICATORS.items()
        if key in data.indicators and counted in {"signed", "started"}
    ]
    for unit_id, values in report.values.items():
        for counted, ind in compared:
            key, word = ind.key, ind.name
            stated = values.get(key)
            listed = counts.get(unit_id, {}).get(counted, 0)
            if stated is None or abs(stated - listed) < 1e-9:
                continue
            name = data.registry.by_id[unit_id].name
            issues.append(
                Issue.at(
                    report.origins[(unit_id, key)],
                    "ledger-mismatch",
                    f"{name}报表{word} {stated:g} 个，但项目台账中本年截至月末的{word}为 {listed} 个，请核对报表或台账",
                    WARNING,
                )
            )
    return issues


def validate(data: Dataset) -> list[Issue]:
    issues: list[Issue] = []
    years = sorted({periods.year_of(p) for p in data.months})
    for year in years:
        if year not in data.targets:
            issues.append(
                Issue.of_file(
                    f"data/targets/{year}.xlsx",
                    "missing-targets",
                    f"没有 {year} 年的目标文件，完成率、位次和亮灯将显示为“—”",
                    WARNING,
                )
            )
    for period in sorted(data.months):
        report = data.months[period]
        issues += check_reporting(data, period)
        before = periods.previous_in_year(period)
        issues += check_decreases(report, data.months.get(before) if before else None, data)
        if period in data.ledgers:
            issues += check_ledger(report, counts_of(data.ledgers, period), data)
    for period, item in sorted(data.commentary.items()):
        if period not in data.months:
            issues.append(
                Issue.of_file(
                    item.file,
                    "orphan-commentary",
                    f"评述 {item.file} 所属月份 {period} 还没有数据（data/{period}/ 不存在或尚未填报），暂不发布",
                    NOTICE,
                )
            )
    return issues
