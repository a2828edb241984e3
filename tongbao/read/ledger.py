"""The project ledger (项目台账): one row per project as of month end."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

from .. import periods
from ..issues import WARNING, Issue, Origin
from ..schema import normalize_text, split_header_unit
from .numbers import parse_amount, parse_date, parse_flag
from .registry import Registry
from .sheets import Sheet, find_table, headers_in_first_rows, money_unit_in_titles, row_kind

LEDGER_COLUMNS = {
    "项目编号": "project_id",
    "项目名称": "name",
    "责任单位": "unit",
    "所属产业": "industry",
    "项目类别": "category",
    "战略性新兴产业": "is_sei",
    "项目性质": "nature",
    "投资方": "investor",
    "资金来源": "origin_of_funds",
    "世界500强": "is_f500",
    "总投资": "total_investment",
    "签约金额": "signed_amount",
    "项目阶段": "stage",
    "签约日期": "signed_on",
    "开工日期": "started_on",
    "投产日期": "completed_on",
}
LEDGER_REQUIRED = ("project_id", "name", "unit")
CATEGORIES = ("工业", "现代服务业", "现代农业", "基础设施", "文化旅游", "其他")
NATURES = ("新建", "扩建", "增资", "技改", "市内转调")
ORIGINS = ("市内", "省内市外", "省外", "境外")
STAGES = ("在谈", "签约", "开工", "竣工投产", "终止")
_CHOICES = {"category": CATEGORIES, "nature": NATURES, "origin_of_funds": ORIGINS, "stage": STAGES}


@dataclass
class Project:
    project_id: str
    name: str
    unit_id: str
    industry: str | None  # industry_id
    category: str
    is_sei: bool
    nature: str
    investor: str
    origin_of_funds: str
    is_f500: bool
    total_investment: float | None
    signed_amount: float | None
    stage: str
    signed_on: date | None
    started_on: date | None
    completed_on: date | None
    origin: Origin

    @property
    def is_big(self) -> bool:
        """亿元以上: total investment of at least 1 亿元."""
        return self.total_investment is not None and self.total_investment >= 1


def ledger_counts(projects: list[Project], period: str) -> dict[str, dict[str, int]]:
    """Per unit: projects signed / started this year up to month end (what the month's
    report must agree with)."""
    counts: dict[str, dict[str, int]] = {}
    for project in projects:
        row = counts.setdefault(project.unit_id, {"signed": 0, "started": 0})
        if periods.in_year_to_date(project.signed_on, period):
            row["signed"] += 1
        if periods.in_year_to_date(project.started_on, period):
            row["started"] += 1
    return counts


class Ledgers(Mapping[str, list[Project]]):
    """period → that month's project ledger, each read only when first asked for.

    Every month's ledger lists the whole year's projects so far: ten years of them are
    most of what a build loads, yet a build whose earlier months' figures are all
    cached reads only the newest. Whether a month has a ledger, and its counts for
    validation (`counts`), are known without reading it."""

    def __init__(self) -> None:
        self._read: dict[str, Callable[[], list[Project]]] = {}
        self._ledgers: dict[str, list[Project]] = {}
        self._counts: dict[str, dict[str, dict[str, int]]] = {}

    def add(
        self,
        period: str,
        read: Callable[[], list[Project]],
        counts: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self._read[period] = read
        self._ledgers.pop(period, None)
        if counts is not None:
            self._counts[period] = counts

    def __getitem__(self, period: str) -> list[Project]:
        if period not in self._ledgers:
            self._ledgers[period] = self._read[period]()
        return self._ledgers[period]

    def __contains__(self, period: object) -> bool:
        return period in self._read

    def __iter__(self) -> Iterator[str]:
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)

    def read(self) -> list[str]:
        """The months whose ledger has been read so far."""
        return [p for p in self._read if p in self._ledgers]

    def counts(self, period: str) -> dict[str, dict[str, int]]:
        if period not in self._counts:
            self._counts[period] = ledger_counts(self[period], period)
        return self._counts[period]


def counts_of(ledgers: Mapping[str, list[Project]], period: str) -> dict[str, dict[str, int]]:
    """The month's ledger counts, from a `Ledgers` without reading the ledger."""
    if isinstance(ledgers, Ledgers):
        return ledgers.counts(period)
    return ledger_counts(ledgers[period], period)


def read_ledger(
    sheets: list[Sheet], registry: Registry, issues: list[Issue]
) -> list[Project] | None:
    for sheet in sheets:
        table = find_table(sheet, unit_headers=("责任单位", "单位", "单位名称"))
        if table is None:
            continue
        cols: dict[str, tuple[int, str, float]] = {}
        title_unit = money_unit_in_titles(table.title_lines)
        for col in table.columns:
            name, stated = split_header_unit("".join(col.parts))
            key = LEDGER_COLUMNS.get(name)
            if key and key not in cols:
                money = stated if stated in {"亿元", "万元"} else title_unit
                cols[key] = (col.index, col.header, 1e-4 if money == "万元" else 1.0)
        missing = [h for h, k in LEDGER_COLUMNS.items() if k in LEDGER_REQUIRED and k not in cols]
        if missing:
            issues.append(
                Issue.at(
                    sheet.origin(table.header_row),
                    "missing-column",
                    f"项目台账缺少列：{'、'.join(missing)}；找到的表头：{'、'.join(table.headers_found())}",
                )
            )
            return None
        return [
            p
            for r in range(table.data_start, len(sheet.rows))
            if (p := _read_project(sheet, r, cols, registry, issues)) is not None
        ]
    if sheets:
        issues.append(
            Issue(
                sheets[0].file,
                sheets[0].name,
                None,
                "",
                "missing-column",
                "项目台账中没有找到“责任单位”列；找到的表头："
                + ("、".join(headers_in_first_rows(sheets[0])) or "（无）")
                + "。表头应有 项目编号、项目名称、责任单位（各列见网站“数据规范”页）",
            )
        )
    return None


@dataclass(frozen=True)
class _Row:
    """One ledger row: each column's cell read once (a 120-month archive's ledgers hold
    ~40,000 rows), by the column's key."""

    sheet: Sheet
    r: int
    cols: dict
    values: dict[str, object]
    texts: dict[str, str]

    def raw(self, key: str) -> object:
        return self.values.get(key)

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def at(self, key: str) -> Origin:
        index, header, _ = self.cols[key]
        return self.sheet.origin(self.r, index, header)


def _row(sheet: Sheet, r: int, cols) -> _Row | None:
    """The row's cells, or None for an empty row, a footnote or a total."""
    cells = sheet.rows[r]
    if not any(v is not None and str(v).strip() for v in cells):
        return None
    width = len(cells)
    values = {key: cells[index] if index < width else None for key, (index, _, _) in cols.items()}
    texts = {key: "" if v is None else str(v).strip() for key, v in values.items()}
    row = _Row(sheet, r, cols, values, texts)
    if row_kind(normalize_text(row.text("project_id") or row.text("name"))) in {
        "footnote",
        "total",
    }:
        return None
    return row


def _read_project(
    sheet: Sheet, r: int, cols, registry: Registry, issues: list[Issue]
) -> Project | None:
    row = _row(sheet, r, cols)
    if row is None:
        return None
    empty = [key for key in LEDGER_REQUIRED if key in cols and not row.text(key)]
    for key in empty:
        issues.append(Issue.at(row.at(key), "missing-cell", f"“{cols[key][1]}”不能为空，请填写"))
    if empty:
        return None
    unit = registry.resolve(row.raw("unit"))
    if unit is None:
        if not registry.already_reported(row.raw("unit")):
            message = registry.unknown_unit_message(row.raw("unit"))
            issues.append(Issue.at(row.at("unit"), "unknown-unit", message))
        return None
    industry = _industry(row, registry, issues)
    _check_choices(row, issues)
    amounts = _amounts(row, issues)
    dates = _dates(row, issues)
    flags = _flags(row, issues)
    return Project(
        project_id=normalize_text(row.text("project_id")),
        name=row.text("name"),
        unit_id=unit.unit_id,
        industry=industry,
        category=normalize_text(row.text("category")) or "其他",
        is_sei=flags["is_sei"],
        nature=normalize_text(row.text("nature")),
        investor=row.text("investor"),
        origin_of_funds=normalize_text(row.text("origin_of_funds")),
        is_f500=flags["is_f500"],
        total_investment=amounts["total_investment"],
        signed_amount=amounts["signed_amount"],
        stage=normalize_text(row.text("stage")),
        signed_on=dates["signed_on"],
        started_on=dates["started_on"],
        completed_on=dates["completed_on"],
        origin=sheet.origin(r, cols["project_id"][0], cols["project_id"][1]),
    )


def _industry(row: _Row, registry: Registry, issues: list[Issue]) -> str | None:
    if not (
        row.text("industry") and registry.has_industries
    ):  # no industries.csv: one error, in load
        return None
    industry = registry.industry_names.resolve(row.raw("industry"))
    if industry is None:
        issues.append(
            Issue.at(
                row.at("industry"),
                "unknown-industry",
                f"产业“{row.text('industry')}”不在产业目录 data/industries.csv 中，请改为目录中的名称或别名",
                WARNING,
            )
        )
    return industry


def _check_choices(row: _Row, issues: list[Issue]) -> None:
    for key, choices in _CHOICES.items():
        value = normalize_text(row.text(key))
        if key in row.cols and value and value not in choices:
            message = f"“{row.text(key)}”不是可选值，应为：{'、'.join(choices)}"
            issues.append(Issue.at(row.at(key), "unknown-choice", message, WARNING))


def _amounts(row: _Row, issues: list[Issue]) -> dict[str, float | None]:
    amounts: dict[str, float | None] = {}
    for key in ("total_investment", "signed_amount"):
        if key not in row.cols:
            amounts[key] = None
            continue
        parsed = parse_amount(row.raw(key), unit="亿元", factor=row.cols[key][2])
        if parsed.code:
            issues.append(Issue.at(row.at(key), parsed.code, parsed.message))
        amounts[key] = parsed.value
    return amounts


def _dates(row: _Row, issues: list[Issue]) -> dict[str, date | None]:
    dates: dict[str, date | None] = {}
    for key in ("signed_on", "started_on", "completed_on"):
        day = parse_date(row.raw(key)) if key in row.cols else None
        if isinstance(day, str):
            message = f"“{day}”不是日期，请填写如 2024-05-04 的日期"
            issues.append(Issue.at(row.at(key), "bad-date", message, WARNING))
            day = None
        dates[key] = day
    return dates


def _flags(row: _Row, issues: list[Issue]) -> dict[str, bool]:
    flags: dict[str, bool] = {}
    for key in ("is_sei", "is_f500"):
        flag = parse_flag(row.raw(key)) if key in row.cols else False
        if flag is None:  # bad-flag is the registers' error; here the cell is only a choice
            message = f"“{row.text(key)}”应填 是 或 否"
            issues.append(Issue.at(row.at(key), "unknown-choice", message, WARNING))
            flag = False
        flags[key] = flag
    return flags


def check_project_ids(projects: list[Project], issues: list[Issue]) -> None:
    first: dict[str, Project] = {}
    for project in projects:
        if project.project_id in first:
            issues.append(
                Issue.at(
                    project.origin,
                    "duplicate-project",
                    f"项目编号 {project.project_id} 重复（已见于 {first[project.project_id].origin.location()}），"
                    "每个项目编号在一个月的台账中只能出现一次",
                )
            )
        else:
            first[project.project_id] = project
