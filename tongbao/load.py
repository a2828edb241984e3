"""Load: the bureau's `data/` and `content/` folders → typed, origin-keeping tables.

Reads what units really submit (see DATA.md) and returns every problem it
meets as an `Issue`; it never stops at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from . import keys, periods
from .cache import NO_CACHE, Cache
from .issues import ERROR, NOTICE, WARNING, Issue, Origin
from .ledger import Project, check_project_ids, read_ledger
from .numbers import is_missing, parse_amount, parse_indicator
from .registry import Registry, load_registry
from .schema import (
    INDICATOR_BY_KEY,
    match_indicator,
    normalize_text,
    split_header_unit,
)
from .sheets import (
    FileProblem,
    Sheet,
    Table,
    find_table,
    money_unit_in_titles,
    read_sheets,
    row_kind,
)

LEDGER_NAME = re.compile(r"^(projects|项目)", re.IGNORECASE)
DATA_SUFFIXES = {".xlsx", ".xlsm", ".csv"}
CITY = "__city__"


@dataclass
class YearTargets:
    year: int
    city: dict[str, float | None] = field(default_factory=dict)  # the 全市 row
    units: dict[str, dict[str, float | None]] = field(default_factory=dict)  # 市定
    units_self: dict[str, dict[str, float | None]] = field(default_factory=dict)  # 自定


@dataclass
class MonthReport:
    period: str
    values: dict[str, dict[str, float | None]] = field(
        default_factory=dict
    )  # unit_id → key → value
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)  # (unit_id, key) → cell
    rows: dict[str, Origin] = field(default_factory=dict)  # unit_id → its row
    files: list[str] = field(default_factory=list)


@dataclass
class Commentary:
    period: str
    file: str
    meta: dict
    body: str
    body_line: int  # the file line where the body starts (front matter counts)


@dataclass
class Dataset:
    registry: Registry
    targets: dict[int, YearTargets]
    months: dict[str, MonthReport]
    ledgers: dict[str, list[Project]]
    commentary: dict[str, Commentary]


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


# --- report tables --------------------------------------------------------


@dataclass
class IndicatorColumn:
    key: str
    index: int
    header: str
    factor: float  # to the indicator's unit (万元 header → 1e-4)


def indicator_columns(table: Table) -> list[IndicatorColumn]:
    title_unit = money_unit_in_titles(table.title_lines)
    found: list[IndicatorColumn] = []
    seen: set[str] = set()
    for col in table.columns:
        if col is table.unit_column or not col.parts:
            continue
        key = match_indicator(*col.parts)
        if key is None or key in seen:
            continue
        seen.add(key)
        units = [u for u in (split_header_unit(p)[1] for p in col.parts) if u]
        stated = units[-1] if units else None
        factor = 1.0
        if INDICATOR_BY_KEY[key].is_money:
            money = stated if stated in {"亿元", "万元"} else title_unit
            factor = 1e-4 if money == "万元" else 1.0
        found.append(IndicatorColumn(key, col.index, col.header, factor))
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
        if unit is None:
            origin = sheet.origin(r, table.unit_column.index, table.unit_column.header)
            issues.append(Issue.at(origin, "unknown-unit", registry.unknown_unit_message(raw_name)))
            continue
        yield r, unit


def read_report_table(
    table: Table, registry: Registry, report: MonthReport, issues: list[Issue]
) -> None:
    sheet = table.sheet
    columns = indicator_columns(table)
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
        parsed = parse_indicator(raw, INDICATOR_BY_KEY[col.key], factor=col.factor)
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
            unit = INDICATOR_BY_KEY[col.key].unit
            issues.append(
                Issue.at(
                    sheet.origin(r, col.index, col.header),
                    "totals-mismatch",
                    f"合计行为 {stated:g}{unit}，但计入全市的单位合计为 {sums[0]:.2f}{unit}、"
                    f"全部单位合计为 {sums[1]:.2f}{unit}，请核对合计行或各单位数据",
                    WARNING,
                )
            )


def load_month_cached(folder: Path, root: Path, registry: Registry, cache: Cache):
    """load_month, skipped when no byte of the month's files or of the registry changed."""
    return cache.memo(
        "months", keys.month(folder, root), lambda: load_month(folder, root, registry, cache)
    )


def load_month(
    folder: Path, root: Path, registry: Registry, cache: Cache = NO_CACHE
) -> tuple[MonthReport, list[Project] | None, list[Issue]]:
    period = folder.name
    report = MonthReport(period)
    issues: list[Issue] = []
    ledger: list[Project] | None = None
    for path in sorted(folder.iterdir()):
        rel = _rel(path, root)
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
    headers_seen: list[str] = []
    for sheet in sheets:
        table = find_table(sheet)
        if table is None:
            continue
        if not indicator_columns(table):
            headers_seen += table.headers_found()
            continue
        used += 1
        read_report_table(table, registry, report, issues)
    if used == 0:
        found = "、".join(h for h in headers_seen if h) or "（没有找到“单位”列）"
        sheet = sheets[0] if sheets else None
        issues.append(
            Issue(
                rel,
                sheet.name if sheet else "",
                None,
                "",
                "missing-column",
                f"没有找到“单位”列和任何指标列，找到的表头：{found}。"
                "请使用模板表头（单位、签约项目、签约金额(亿元)……）",
            )
        )


# --- targets --------------------------------------------------------------

_TARGET_HEADER = re.compile(r"^(.*?)(市定|自定)(目标|任务)?$")


def load_targets(
    path: Path, root: Path, registry: Registry, cache: Cache = NO_CACHE
) -> tuple[YearTargets | None, list[Issue]]:
    rel = _rel(path, root)
    issues: list[Issue] = []
    year = int(path.stem)
    targets = YearTargets(year)
    try:
        sheets = read_sheets(path, rel, cache)
    except FileProblem as problem:
        return None, [problem.issue]
    for sheet in sheets:
        table = find_table(sheet)
        if table is None:
            continue
        title_unit = money_unit_in_titles(table.title_lines)
        cols = []
        for col in table.columns:
            name, stated = split_header_unit("".join(col.parts))
            match = _TARGET_HEADER.match(name)
            key = match_indicator(match.group(1)) if match else None
            if key:
                money = stated if stated in {"亿元", "万元"} else title_unit
                factor = 1e-4 if money == "万元" and INDICATOR_BY_KEY[key].is_money else 1.0
                cols.append((key, match.group(2) == "自定", col, factor))
        if not cols:
            continue
        for r, unit in table_rows(table, registry, issues):
            unit_id = CITY if unit is None else unit.unit_id
            for key, is_self, col, factor in cols:
                raw = sheet.cell(r, col.index)
                origin = sheet.origin(r, col.index, col.header)
                if (r, col.index) in sheet.errors:
                    issues.append(
                        Issue.at(
                            origin,
                            "excel-error",
                            f"单元格是 Excel 错误值 {raw}，请检查公式或改填数字",
                        )
                    )
                    continue
                parsed = parse_amount(raw, unit=INDICATOR_BY_KEY[key].unit, factor=factor)
                if parsed.code:
                    issues.append(Issue.at(origin, parsed.code, parsed.message))
                if unit_id == CITY:
                    if not is_self:
                        targets.city[key] = parsed.value
                    continue
                table_of = targets.units_self if is_self else targets.units
                table_of.setdefault(unit_id, {})[key] = parsed.value
        return targets, issues
    return None, issues + [
        Issue.of_file(
            rel,
            "missing-column",
            "没有找到“单位”列和“××市定目标”列，请按 DATA.md 填写目标表",
        )
    ]


# --- commentary -------------------------------------------------------------


def load_commentary(path: Path, root: Path) -> tuple[Commentary | None, list[Issue]]:
    rel = _rel(path, root)
    text = path.read_text(encoding="utf-8-sig")
    meta: dict = {}
    body, body_line = text, 1
    match = re.match(r"^---\s*\n(.*?\n)---\s*\n?", text, re.DOTALL)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 2
            return None, [
                Issue(rel, "", line, "", "bad-front-matter", f"文件开头的 YAML 格式有误：{exc}")
            ]
        if not isinstance(meta, dict):
            return None, [
                Issue(rel, "", 2, "", "bad-front-matter", "文件开头的 --- 之间应为“键: 值”形式")
            ]
        body = text[match.end() :]
        body_line = text[: match.end()].count("\n") + 1
    return Commentary(path.stem, rel, meta, body, body_line), []


# --- the whole project --------------------------------------------------------


def load_project(
    root: Path, *, today: date | None = None, cache: Cache = NO_CACHE
) -> tuple[Dataset | None, list[Issue]]:
    """Read everything under `data/` and `content/`; `today` only bounds future months."""
    registry, issues = load_registry(root)
    if registry is None or any(i.level == ERROR for i in issues):
        return None, issues
    targets: dict[int, YearTargets] = {}
    target_dir = root / "data" / "targets"
    if target_dir.is_dir():
        for path in sorted(target_dir.iterdir()):
            if (
                path.suffix.lower() not in DATA_SUFFIXES
                or not re.fullmatch(r"\d{4}", path.stem)
                or path.name.startswith(("~$", "."))
            ):
                issues.append(
                    Issue.of_file(
                        _rel(path, root),
                        "ignored-file",
                        "目标文件应命名为 年份.xlsx（如 2025.xlsx），已忽略",
                        NOTICE,
                    )
                )
                continue
            year_targets, more = load_targets(path, root, registry, cache)
            issues += more
            if year_targets:
                targets[year_targets.year] = year_targets
    months: dict[str, MonthReport] = {}
    ledgers: dict[str, list[Project]] = {}
    for folder in sorted((root / "data").iterdir()):
        if not folder.is_dir() or folder.name in {"targets"} or folder.name.startswith("."):
            continue
        rel = _rel(folder, root)
        if not periods.is_period(folder.name):
            issues.append(
                Issue.of_file(
                    rel,
                    "bad-month-folder",
                    f"文件夹名“{folder.name}”不是 YYYY-MM 格式的月份（如 2024-05），请改名",
                )
            )
            continue
        if periods.too_far_ahead(folder.name, today):
            issues.append(
                Issue.of_file(
                    rel,
                    "future-month",
                    f"月份 {folder.name} 晚于下个月，可能是年份或月份写错了，请改名",
                )
            )
            continue
        report, ledger, more = load_month_cached(folder, root, registry, cache)
        issues += more
        if not any(
            v is not None for values in report.values.values() for v in values.values()
        ) and not any(i.level == ERROR for i in more):
            issues.append(
                Issue.of_file(
                    rel,
                    "not-collected",
                    f"{folder.name} 还没有任何单位填报数据，暂不发布",
                    NOTICE,
                )
            )
            continue
        months[folder.name] = report
        if ledger is not None:
            ledgers[folder.name] = ledger
    commentary: dict[str, Commentary] = {}
    content = root / "content"
    if content.is_dir():
        for path in sorted(content.glob("*.md")):
            if not periods.has_shape(path.stem):
                continue
            item, more = load_commentary(path, root)
            issues += more
            if item:
                commentary[item.period] = item
    return Dataset(registry, targets, months, ledgers, commentary), issues
