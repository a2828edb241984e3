"""Month reports: one month folder's files (report tables and project ledger) → a
MonthReport, every problem met returned as an `Issue`."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .. import keys
from ..cache import NO_CACHE, Cache
from ..issues import NOTICE, WARNING, Issue
from ..schema import (
    UNIT_HEADERS,
    Indicator,
    Indicators,
    normalize_text,
    split_header_unit,
)
from .dataset import MonthReport
from .ledger import Project, check_project_ids, ledger_counts, read_ledger
from .numbers import is_missing, parse_indicator
from .registry import Registry
from .sheets import (
    FileProblem,
    Sheet,
    Table,
    find_table,
    headers_in_first_rows,
    money_unit_in_titles,
    read_sheets,
    row_kind,
)

LEDGER_NAME = re.compile(r"^(projects|项目)", re.IGNORECASE)
DATA_SUFFIXES = {".xlsx", ".xlsm", ".csv"}


def rel_path(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# --- report tables --------------------------------------------------------


@dataclass
class IndicatorColumn:
    key: str
    index: int
    header: str
    factor: float  # to the indicator's unit (万元 header → 1e-4)
    indicator: Indicator


def indicator_columns(table: Table, indicators: Indicators) -> list[IndicatorColumn]:
    title_unit = money_unit_in_titles(table.title_lines)
    found: list[IndicatorColumn] = []
    seen: set[str] = set()
    for col in table.columns:
        if col is table.unit_column or not col.parts:
            continue
        key = indicators.match(*col.parts)
        if key is None or key in seen:
            continue
        seen.add(key)
        units = [u for u in (split_header_unit(p)[1] for p in col.parts) if u]
        stated = units[-1] if units else None
        factor = 1.0
        if indicators[key].is_money:
            money = stated if stated in {"亿元", "万元"} else title_unit
            factor = 1e-4 if money == "万元" else 1.0
        found.append(IndicatorColumn(key, col.index, col.header, factor, indicators[key]))
    return found


def table_rows(table: Table, registry: Registry, issues: list[Issue]):
    """The rows that hold a unit or a total, as (row index, unit or None for a total).

    Blank, footnote and subtotal rows are passed over; an unknown unit is reported.
    """
    sheet = table.sheet
    for r in range(table.data_start, len(sheet.rows)):
        raw_name = sheet.cell(r, table.unit_column.index)
        kind = row_kind(normalize_text(raw_name) if raw_name is not None else "")
        if kind in {"blank", "footnote", "subtotal"}:
            continue
        if kind == "total":
            yield r, None
            continue
        unit = registry.resolve(raw_name)
        if unit is None and normalize_text(raw_name) in {
            normalize_text(g) for g in registry.groups
        }:
            continue  # a subtotal row named by one of the city's own groups
        if unit is None:
            if not registry.already_reported(raw_name):
                origin = sheet.origin(r, table.unit_column.index, table.unit_column.header)
                issues.append(
                    Issue.at(origin, "unknown-unit", registry.unknown_unit_message(raw_name))
                )
            continue
        yield r, unit


def read_report_table(
    table: Table, registry: Registry, report: MonthReport, issues: list[Issue]
) -> None:
    sheet = table.sheet
    columns = indicator_columns(table, registry.indicators)
    unit_rows: list[tuple[str, dict[str, float | None]]] = []
    totals: list[tuple[int, dict[str, float | None]]] = []
    for r, unit in table_rows(table, registry, issues):
        values = _row_values(sheet, r, columns, issues)
        if unit is None:
            totals.append((r, values))
            continue
        origin = sheet.origin(r, table.unit_column.index, table.unit_column.header)
        if not _row_has_content(sheet, r, columns):
            # a template sent out and returned blank: the unit has not reported yet
            issues.append(
                Issue.at(
                    origin, "empty-row", f"{unit.name}这一行没有填写任何数字，按未报送处理", NOTICE
                )
            )
            continue
        if unit.unit_id in report.rows:
            first = report.rows[unit.unit_id]
            issues.append(
                Issue.at(
                    origin,
                    "duplicate-unit",
                    f"{unit.name}在本月已有一行（{first.location()}），同一单位每月只能报送一行，请删除重复行",
                )
            )
            continue
        report.rows[unit.unit_id] = origin
        report.values[unit.unit_id] = values
        for col in columns:
            report.origins[(unit.unit_id, col.key)] = sheet.origin(r, col.index, col.header)
        unit_rows.append((unit.unit_id, values))
    for r, total in totals:
        _check_total(sheet, r, columns, total, unit_rows, registry, issues)


def _row_has_content(sheet: Sheet, r: int, columns: list[IndicatorColumn]) -> bool:
    """Anything typed in the indicator cells (a number, text, an Excel error)."""
    return any(
        (r, col.index) in sheet.errors or not is_missing(sheet.cell(r, col.index))
        for col in columns
    )


def _row_values(
    sheet: Sheet, r: int, columns: list[IndicatorColumn], issues: list[Issue]
) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for col in columns:
        raw = sheet.cell(r, col.index)
        origin = sheet.origin(r, col.index, col.header)
        if (r, col.index) in sheet.errors:
            issues.append(
                Issue.at(
                    origin, "excel-error", f"单元格是 Excel 错误值 {raw}，请检查公式或改填数字"
                )
            )
            values[col.key] = None
            continue
        parsed = parse_indicator(raw, col.indicator, factor=col.factor)
        if parsed.code:
            issues.append(Issue.at(origin, parsed.code, parsed.message))
        values[col.key] = parsed.value
    return values


def _check_total(sheet, r, columns, total, unit_rows, registry, issues) -> None:
    """A 合计 row is a checksum: against the counted units, else against all unit rows."""
    counted = [v for uid, v in unit_rows if registry.by_id[uid].counts_to_city]
    everyone = [v for _, v in unit_rows]
    for col in columns:
        stated = total.get(col.key)
        if stated is None:
            continue
        sums = [sum(v.get(col.key) or 0.0 for v in rows) for rows in (counted, everyone)]
        if all(abs(stated - s) > 0.01 for s in sums):
            unit = col.indicator.unit
            issues.append(
                Issue.at(
                    sheet.origin(r, col.index, col.header),
                    "totals-mismatch",
                    f"合计行为 {stated:g}{unit}，但计入全市的单位合计为 {sums[0]:.2f}{unit}、"
                    f"全部单位合计为 {sums[1]:.2f}{unit}，请核对合计行或各单位数据",
                    WARNING,
                )
            )


@dataclass
class LedgerEntry:
    """A month's ledger as `load_month_cached` finds it: how to read it, and its counts."""

    read: Callable[[], list[Project]]
    counts: dict[str, dict[str, int]]


def load_month_cached(
    folder: Path, root: Path, registry: Registry, cache: Cache
) -> tuple[MonthReport, LedgerEntry | None, list[Issue]]:
    """load_month, skipped when no byte of the month's files or of the registry changed.

    The ledger is kept apart from the report (kind "ledgers", the same key) and read
    only when asked for (`ledger.Ledgers`); the report's entry keeps the ledger's counts."""
    key = keys.month(folder, root)
    made: list[list[Project]] = []

    def make() -> tuple[MonthReport, dict | None, list[Issue]]:
        report, ledger, issues = load_month(folder, root, registry, cache)
        if ledger is None:
            return report, None, issues
        cache.store("ledgers", key, ledger)
        made.append(ledger)
        return report, ledger_counts(ledger, folder.name), issues

    report, counts, issues = cache.memo("months", key, make)
    if counts is None:
        return report, None, issues
    read = (
        (lambda: made[0]) if made else partial(_stored_ledger, folder, root, registry, cache, key)
    )
    return report, LedgerEntry(read, counts), issues


def _stored_ledger(
    folder: Path, root: Path, registry: Registry, cache: Cache, key: str
) -> list[Project]:
    stored = cache.load("ledgers", key)
    if stored is not None:
        return stored  # type: ignore[return-value]
    ledger = load_month(folder, root, registry, cache)[1] or []  # (an entry since removed)
    cache.store("ledgers", key, ledger)
    return ledger


def load_month(
    folder: Path, root: Path, registry: Registry, cache: Cache = NO_CACHE
) -> tuple[MonthReport, list[Project] | None, list[Issue]]:
    period = folder.name
    report = MonthReport(period)
    issues: list[Issue] = []
    ledger: list[Project] | None = None
    for path in sorted(folder.iterdir()):
        rel = rel_path(path, root)
        if (
            path.is_dir()
            or path.name.startswith((".", "~$"))
            or path.suffix.lower() not in DATA_SUFFIXES
        ):
            issues.append(
                Issue.of_file(rel, "ignored-file", "不是报表文件（.xlsx/.csv），已忽略", NOTICE)
            )
            continue
        try:
            sheets = read_sheets(path, rel, cache)
        except FileProblem as problem:
            issues.append(problem.issue)
            continue
        if LEDGER_NAME.match(path.stem):
            projects = read_ledger(sheets, registry, issues)
            if projects is not None:
                ledger = (ledger or []) + projects
            continue
        report.files.append(rel)
        _read_report_file(sheets, rel, registry, report, issues)
    if ledger is not None:
        check_project_ids(ledger, issues)
    return report, ledger, issues


def _read_report_file(sheets, rel, registry, report, issues) -> None:
    used = 0
    without_indicators: list[str] = []  # headers of tables with a unit column only
    without_unit: list[str] = []  # what looked like a header, on sheets with no unit column
    for sheet in sheets:
        table = find_table(sheet)
        if table is None:
            without_unit += headers_in_first_rows(sheet)
            continue
        if not indicator_columns(table, registry.indicators):
            without_indicators += table.headers_found()
            continue
        used += 1
        read_report_table(table, registry, report, issues)
    if used == 0:
        sheet = sheets[0] if sheets else None
        if without_indicators:
            found = "、".join(f"“{h}”" for h in without_indicators if h)
            problem = f"找到了单位列，但没有可识别的指标列；找到的表头：{found}"
        else:
            found = "、".join(f"“{h}”" for h in without_unit if h) or "（表格是空的）"
            problem = f"没有找到“单位”列（表头应有 {'、'.join(UNIT_HEADERS[:4])} 之一）；找到的表头：{found}"
        issues.append(
            Issue(
                rel,
                sheet.name if sheet else "",
                None,
                "",
                "missing-column",
                f"{problem}。请使用模板表头（单位、签约项目、签约金额(亿元)……）",
            )
        )
