"""The unit registry (单位名册) and the industry list (产业目录): names → stable ids."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .issues import ERROR, Issue
from .schema import GROUP_COUNTS_TO_CITY, GROUPS, normalize_text
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

    def __post_init__(self) -> None:
        self.by_id = {u.unit_id: u for u in self.units}

    def resolve(self, text: object) -> Unit | None:
        unit_id = self.names.resolve(text)
        return self.by_id.get(unit_id) if unit_id else None

    def suggest(self, text: object) -> list[str]:
        return self.names.suggest(text, shown={u.unit_id: u.name for u in self.units})

    def unknown_unit_message(self, text: object) -> str:
        suggestions = self.suggest(text)
        hint = f"，是否是：{'、'.join(suggestions)}？" if suggestions else ""
        return f"单位“{str(text).strip()}”不在单位名册 data/units.csv 中{hint}请改为名册中的名称、别名或编码，或在名册中登记该单位"


def _table_rows(sheet: Sheet, columns: dict[str, str]) -> tuple[dict[str, int], list[int]]:
    header = (
        [normalize_text(v) if v is not None else "" for v in sheet.rows[0]] if sheet.rows else []
    )
    found = {columns[h]: i for i, h in enumerate(header) if h in columns}
    return found, list(range(1, len(sheet.rows)))


def _cell(sheet: Sheet, r: int, col: int | None) -> str:
    if col is None:
        return ""
    value = sheet.cell(r, col)
    return "" if value is None else str(value).strip()


def _yes_no(text: str, default: bool) -> bool | None:
    text = normalize_text(text)
    if not text:
        return default
    return {"是": True, "否": False, "Y": True, "N": False, "1": True, "0": False}.get(text)


def _split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[;；]", text) if a.strip())


def load_units(path: Path, rel: str) -> tuple[list[Unit], Names, list[Issue]]:
    issues: list[Issue] = []
    units: list[Unit] = []
    names = Names()
    try:
        sheet = read_sheets(path, rel)[0]
    except FileProblem as problem:
        return [], names, [problem.issue]
    cols, rows = _table_rows(sheet, UNIT_COLUMNS)
    for required in ("unit_id", "name", "group"):
        if required not in cols:
            header = next(k for k, v in UNIT_COLUMNS.items() if v == required)
            issues.append(
                Issue.at(
                    sheet.origin(0), "missing-column", f"缺少“{header}”列，请按 DATA.md 的表头填写"
                )
            )
    if issues:
        return [], names, issues
    for r in rows:
        if not any(v is not None for v in sheet.rows[r]):
            continue
        origin = sheet.origin(r)
        get = {key: _cell(sheet, r, cols.get(key)) for key in UNIT_COLUMNS.values()}
        unit_id, name, group = get["unit_id"], get["name"], get["group"]
        if not re.fullmatch(r"[A-Za-z0-9_-]+", unit_id):
            issues.append(
                Issue.at(
                    origin, "bad-unit-id", f"单位编码“{unit_id}”只能由英文字母、数字、_ 和 - 组成"
                )
            )
            continue
        if group not in GROUPS:
            issues.append(
                Issue.at(origin, "bad-group", f"单位类别“{group}”应为：{'、'.join(GROUPS)}")
            )
            continue
        counts = _yes_no(get["counts_to_city"], GROUP_COUNTS_TO_CITY[group])
        ranked = _yes_no(get["ranked"], True)
        if counts is None or ranked is None:
            issues.append(Issue.at(origin, "bad-flag", "“计入全市”和“参与排名”只能填 是 或 否"))
            continue
        for key in ("active_from", "active_to"):
            if get[key] and not _MONTH.match(normalize_text(get[key])):
                issues.append(Issue.at(origin, "bad-month", f"“{get[key]}”不是 YYYY-MM 格式的月份"))
        order = (
            int(float(get["order"])) if re.fullmatch(r"\d+(\.0)?", get["order"]) else len(units) + 1
        )
        unit = Unit(
            unit_id,
            name,
            group,
            counts,
            _split_aliases(get["aliases"]),
            ranked,
            order,
            normalize_text(get["active_from"]) or None,
            normalize_text(get["active_to"]) or None,
        )
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
    units.sort(key=lambda u: (GROUPS.index(u.group), u.order))
    return units, names, issues


def load_industries(path: Path, rel: str) -> tuple[dict[str, str], Names, list[Issue]]:
    names = Names()
    industries: dict[str, str] = {}
    try:
        sheet = read_sheets(path, rel)[0]
    except FileProblem as problem:
        return industries, names, [problem.issue]
    cols, rows = _table_rows(sheet, INDUSTRY_COLUMNS)
    issues: list[Issue] = []
    if "industry_id" not in cols or "name" not in cols:
        return (
            industries,
            names,
            [Issue.at(sheet.origin(0), "missing-column", "缺少“产业编码”或“产业名称”列")],
        )
    for r in rows:
        ident = _cell(sheet, r, cols["industry_id"])
        name = _cell(sheet, r, cols["name"])
        if not ident:
            continue
        aliases = _split_aliases(_cell(sheet, r, cols.get("aliases")))
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


def load_registry(root: Path) -> tuple[Registry | None, list[Issue]]:
    units_path = root / "data" / "units.csv"
    if not units_path.exists():
        return None, [
            Issue.of_file(
                "data/units.csv",
                "missing-file",
                "找不到单位名册 data/units.csv，请按 DATA.md 建立",
                ERROR,
            )
        ]
    units, names, issues = load_units(units_path, "data/units.csv")
    industries: dict[str, str] = {}
    industry_names = Names()
    ind_path = root / "data" / "industries.csv"
    if ind_path.exists():
        industries, industry_names, more = load_industries(ind_path, "data/industries.csv")
        issues += more
    return Registry(units, names, industries, industry_names), issues
