"""The unit registry (单位名册) and the industry list (产业目录): names → stable ids."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..issues import ERROR, Issue
from ..schema import GROUP_COUNTS_TO_CITY, TOTAL_ROW_NAMES, normalize_text
from .indicators import STANDARD_INDICATORS, Indicators, load_indicators
from .register_table import (
    cell,
    missing_cell,
    missing_columns,
    split_aliases,
    table_rows,
    yes_no,
)
from .sheets import FileProblem, Sheet, read_sheets

UNIT_COLUMNS = {
    "单位编码": "unit_id",
    "单位名称": "name",
    "单位类别": "group",
    "计入全市": "counts_to_city",
    "别名": "aliases",
    "参与排名": "ranked",
    "排序": "order",
    "启用月份": "active_from",
    "停用月份": "active_to",
}
INDUSTRY_COLUMNS = {"产业编码": "industry_id", "产业名称": "name", "别名": "aliases"}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    group: str
    counts_to_city: bool
    aliases: tuple[str, ...] = ()
    ranked: bool = True
    order: int = 0
    active_from: str | None = None  # YYYY-MM
    active_to: str | None = None

    def active_in(self, period: str) -> bool:
        if self.active_from and period < self.active_from:
            return False
        return not (self.active_to and period > self.active_to)


@dataclass
class Names:
    """Resolves codes, names and aliases (full- or half-width, any spacing) to ids."""

    by_key: dict[str, str] = field(default_factory=dict)

    def add(self, text: str, ident: str) -> str | None:
        """Register a name; return the id it already belonged to, if another."""
        key = normalize_text(text)
        if not key:
            return None
        previous = self.by_key.get(key)
        if previous is not None and previous != ident:
            return previous
        self.by_key[key] = ident
        return None

    def resolve(self, text: object) -> str | None:
        return self.by_key.get(normalize_text(text)) if text is not None else None

    def suggest(self, text: object, *, shown: dict[str, str]) -> list[str]:
        """Closest registered names, for an 'unknown name' message."""
        key = normalize_text(text)
        close = difflib.get_close_matches(key, list(self.by_key), n=5, cutoff=0.3)
        if not close:
            close = [k for k in self.by_key if k and (k in key or key in k)]
        seen: list[str] = []
        for match in close:
            name = shown[self.by_key[match]]
            if name not in seen:
                seen.append(name)
        return seen[:3]


@dataclass
class Registry:
    units: list[Unit]
    names: Names
    industries: dict[str, str]  # industry_id → name
    industry_names: Names
    # names of units.csv rows that have an error (already reported): not "unknown" elsewhere
    broken: Names = field(default_factory=Names)
    usable: bool = True  # False: units.csv missing or without its required columns
    has_industries: bool = True  # data/industries.csv exists
    indicators: Indicators = STANDARD_INDICATORS  # data/indicators.csv, or the standard set

    def __post_init__(self) -> None:
        self.by_id = {u.unit_id: u for u in self.units}
        # the groups in the order pages show them (the units come in that order)
        self.groups = tuple(dict.fromkeys(u.group for u in self.units))

    def already_reported(self, text: object) -> bool:
        """A name whose units.csv row is in error, or any name when units.csv is unusable:
        the registry's own issue explains it, one more per report row would only bury it."""
        return not self.usable or self.broken.resolve(text) is not None

    def resolve(self, text: object) -> Unit | None:
        unit_id = self.names.resolve(text)
        return self.by_id.get(unit_id) if unit_id else None

    def suggest(self, text: object) -> list[str]:
        return self.names.suggest(text, shown={u.unit_id: u.name for u in self.units})

    def unknown_unit_message(self, text: object) -> str:
        suggestions = self.suggest(text)
        hint = f"，是否是：{'、'.join(suggestions)}？" if suggestions else ""
        return f"单位“{str(text).strip()}”不在单位名册 data/units.csv 中{hint}请改为名册中的名称、别名或编码，或在名册中登记该单位"


UNITS_REQUIRED = ("unit_id", "name", "group")
INDUSTRIES_REQUIRED = ("industry_id", "name")


def load_units(path: Path, rel: str) -> tuple[list[Unit], Names, Names, list[Issue]]:
    """The unit registry; rows in error are left out but their names kept in `broken`."""
    issues: list[Issue] = []
    units: list[Unit] = []
    names, broken = Names(), Names()
    try:
        sheet = read_sheets(path, rel)[0]
    except FileProblem as problem:
        return [], names, broken, [problem.issue]
    missing = missing_columns(sheet, UNIT_COLUMNS, UNITS_REQUIRED)
    if missing:
        return [], names, broken, [missing]
    cols, rows = table_rows(sheet, UNIT_COLUMNS)
    for r in rows:
        if not any(v is not None for v in sheet.rows[r]):
            continue
        origin = sheet.origin(r)
        get = {key: cell(sheet, r, cols.get(key)) for key in UNIT_COLUMNS.values()}
        unit_id, name = get["unit_id"], get["name"]
        empty = [h for h, key in UNIT_COLUMNS.items() if key in UNITS_REQUIRED and not get[key]]
        if empty:
            issues += [missing_cell(sheet, r, cols, h, UNIT_COLUMNS[h]) for h in empty]
            for text in (unit_id, name, *split_aliases(get["aliases"])):
                broken.add(text, unit_id or name or text)
            continue
        unit, found = _unit_of_row(sheet, r, cols, get, position=len(units) + 1)
        issues += found
        if unit is None:
            continue
        if any(u.unit_id == unit_id for u in units):
            issues.append(
                Issue.at(
                    origin, "duplicate-unit-id", f"单位编码“{unit_id}”重复登记，每个单位只能有一行"
                )
            )
            continue
        for text in (unit_id, name, *unit.aliases):
            clash = names.add(text, unit_id)
            if clash is not None:
                issues.append(
                    Issue.at(
                        origin,
                        "duplicate-unit-id",
                        f"“{text}”已是单位 {clash} 的编码、名称或别名，不能重复登记",
                    )
                )
        units.append(unit)
    for unit_id, name, aliases in errors_by_row(issues, sheet, cols, rows):
        for text in (unit_id, name, *aliases):
            if names.resolve(text) is None:
                broken.add(text, unit_id or name)
    return in_group_order(units), names, broken, issues


def _unit_of_row(
    sheet, r: int, cols: dict, get: dict[str, str], *, position: int
) -> tuple[Unit | None, list[Issue]]:
    """One register row as a unit (None: a cell in error, reported); `position`: its
    排序 when none is given."""
    unit_id, name, group = get["unit_id"], get["name"], get["group"]
    problems: list[Issue] = []
    if not re.fullmatch(r"[A-Za-z0-9_-]+", unit_id):
        problems.append(
            Issue.at(
                sheet.origin(r, cols["unit_id"], "单位编码"),
                "bad-unit-id",
                f"单位编码“{unit_id}”只能由英文字母、数字、_ 和 - 组成",
            )
        )
        return None, problems
    if normalize_text(group) in TOTAL_ROW_NAMES:  # 全市 is the city's own row everywhere
        problems.append(
            Issue.at(
                sheet.origin(r, cols["group"], "单位类别"),
                "bad-group",
                f"单位类别不能叫“{group}”：这是全市合计的名称，请换一个类别名称",
            )
        )
        return None, problems
    if group not in GROUP_COUNTS_TO_CITY and not normalize_text(get["counts_to_city"]):
        problems.append(_group_without_default(sheet, r, cols, group))
        return None, problems
    counts = yes_no(get["counts_to_city"], GROUP_COUNTS_TO_CITY.get(group, True))
    ranked = yes_no(get["ranked"], True)
    if counts is None or ranked is None:
        header = "计入全市" if counts is None else "参与排名"
        problems.append(
            Issue.at(
                sheet.origin(r, cols[UNIT_COLUMNS[header]], header),
                "bad-flag",
                f"“{header}”只能填 是 或 否（也可留空用默认值），现为“{get[UNIT_COLUMNS[header]]}”",
            )
        )
        return None, problems
    for key in ("active_from", "active_to"):
        if get[key] and not _MONTH.match(normalize_text(get[key])):
            header = next(h for h, k in UNIT_COLUMNS.items() if k == key)
            problems.append(
                Issue.at(
                    sheet.origin(r, cols[key], header),
                    "bad-month",
                    f"“{get[key]}”不是 YYYY-MM 格式的月份，请写成如 2024-06",
                )
            )
    order = int(float(get["order"])) if re.fullmatch(r"\d+(\.0)?", get["order"]) else position
    return Unit(
        unit_id,
        name,
        group,
        counts,
        split_aliases(get["aliases"]),
        ranked,
        order,
        normalize_text(get["active_from"]) or None,
        normalize_text(get["active_to"]) or None,
    ), problems


def in_group_order(units: list[Unit]) -> list[Unit]:
    """Group by group, each group where its first unit is (by 排序, then by row), and
    by 排序 within a group."""
    first: dict[str, tuple[int, int]] = {}
    for row, unit in enumerate(units):
        first[unit.group] = min(first.get(unit.group, (unit.order, row)), (unit.order, row))
    return sorted(units, key=lambda u: (first[u.group], u.order))


def _group_without_default(sheet: Sheet, r: int, cols: dict[str, int], group: str) -> Issue:
    """A group of the city's own naming: whether its units add into the city total is
    not ours to guess (a committee-like group would count projects twice)."""
    standard = "、".join(GROUP_COUNTS_TO_CITY)
    return Issue.at(
        sheet.origin(r, cols.get("counts_to_city"), "计入全市"),
        "bad-group",
        f"单位类别“{group}”不是 {standard} 之一，没有默认值：请在“计入全市”填 是 或 否"
        "（该类单位的数字是否加入全市合计；与其他单位重复统计的填 否）",
    )


def errors_by_row(issues: list[Issue], sheet: Sheet, cols: dict[str, int], rows: list[int]):
    """(id, name, aliases) of each units.csv row that has an error."""
    bad_rows = {i.row for i in issues if i.level == ERROR}
    for r in rows:
        if sheet.row_numbers[r] in bad_rows:
            yield (
                cell(sheet, r, cols.get("unit_id")),
                cell(sheet, r, cols.get("name")),
                split_aliases(cell(sheet, r, cols.get("aliases"))),
            )


def load_industries(path: Path, rel: str) -> tuple[dict[str, str], Names, list[Issue]]:
    names = Names()
    industries: dict[str, str] = {}
    try:
        sheet = read_sheets(path, rel)[0]
    except FileProblem as problem:
        return industries, names, [problem.issue]
    missing = missing_columns(sheet, INDUSTRY_COLUMNS, INDUSTRIES_REQUIRED)
    if missing:
        return industries, names, [missing]
    cols, rows = table_rows(sheet, INDUSTRY_COLUMNS)
    issues: list[Issue] = []
    first_row: dict[str, int] = {}
    for r in rows:
        if not any(v is not None and str(v).strip() for v in sheet.rows[r]):
            continue
        ident = cell(sheet, r, cols["industry_id"])
        name = cell(sheet, r, cols["name"])
        empty = [h for h, v in (("产业编码", ident), ("产业名称", name)) if not v]
        if empty:
            issues += [missing_cell(sheet, r, cols, h, INDUSTRY_COLUMNS[h]) for h in empty]
            continue
        if ident in first_row:
            issues.append(
                Issue.at(
                    sheet.origin(r, cols["industry_id"], "产业编码"),
                    "duplicate-industry",
                    f"产业编码“{ident}”重复（第 {first_row[ident]} 行已登记），每个产业只能有一行",
                )
            )
            continue
        first_row[ident] = sheet.row_numbers[r]
        aliases = split_aliases(cell(sheet, r, cols.get("aliases")))
        for text in (ident, name, *aliases):
            clash = names.add(text, ident)
            if clash is not None:
                issues.append(
                    Issue.at(
                        sheet.origin(r),
                        "duplicate-industry",
                        f"“{text}”已是产业 {clash} 的编码、名称或别名",
                    )
                )
        industries[ident] = name
    return industries, names, issues


def load_registry(root: Path) -> tuple[Registry, list[Issue]]:
    """The registries, always: with units.csv missing or unreadable the registry is empty
    and not `usable`, so every other file is still read and checked."""
    indicators, indicator_issues = load_indicators(root)
    registry, issues = _load_unit_registers(root)
    registry.indicators = indicators
    return registry, indicator_issues + issues


def _load_unit_registers(root: Path) -> tuple[Registry, list[Issue]]:
    units_path = root / "data" / "units.csv"
    if not units_path.exists():
        return Registry([], Names(), {}, Names(), usable=False), [
            Issue.of_file(
                "data/units.csv",
                "missing-file",
                "找不到单位名册 data/units.csv，请建立（第一行为 单位编码,单位名称,单位类别，"
                "每个单位一行；各列的写法见网站“数据规范”页）",
                ERROR,
            )
        ]
    units, names, broken, issues = load_units(units_path, "data/units.csv")
    usable = not any(
        i.code in {"missing-column", "empty-file", "bad-encoding", "unreadable-file"}
        for i in issues
    )
    industries: dict[str, str] = {}
    industry_names = Names()
    ind_path = root / "data" / "industries.csv"
    if ind_path.exists():
        industries, industry_names, more = load_industries(ind_path, "data/industries.csv")
        issues += more
    registry = Registry(
        units, names, industries, industry_names, broken, usable, has_industries=ind_path.exists()
    )
    return registry, issues
