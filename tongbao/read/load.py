"""Load: the bureau's `data/` and `content/` folders → typed, origin-keeping tables.

Reads what units really submit (the 数据规范 page, tongbao/pages/contract.py) and returns every problem it
meets as an `Issue`; it never stops at the first.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from pathlib import Path

from .. import keys, periods
from ..cache import NO_CACHE, Cache
from ..issues import ERROR, NOTICE, Issue
from ..schema import split_header_unit
from .dataset import CITY, Commentary, Dataset, MonthReport, YearTargets
from .frontmatter import parse_front_matter
from .ledger import Ledgers
from .numbers import parse_amount
from .registry import Registry, load_registry
from .reports import DATA_SUFFIXES, load_month_cached, rel_path, table_rows
from .sheets import (
    FileProblem,
    decode_csv_bytes,
    find_table,
    headers_in_first_rows,
    money_unit_in_titles,
    read_sheets,
)

# --- targets --------------------------------------------------------------

_TARGET_HEADER = re.compile(r"^(.*?)(市定|自定)(目标|任务)?$")


def load_targets(
    path: Path, root: Path, registry: Registry, cache: Cache = NO_CACHE
) -> tuple[YearTargets | None, list[Issue]]:
    rel = rel_path(path, root)
    issues: list[Issue] = []
    year = int(path.stem)
    targets = YearTargets(year)
    indicators = registry.indicators
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
            key = indicators.match(match.group(1)) if match else None
            if match and key and indicators[key].assessed:  # targets only where assessed
                money = stated if stated in {"亿元", "万元"} else title_unit
                factor = 1e-4 if money == "万元" and indicators[key].is_money else 1.0
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
                parsed = parse_amount(raw, unit=indicators[key].unit, factor=factor)
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
            "没有找到“单位”列和“××市定目标”列（如 签约金额市定目标）；找到的表头："
            + ("、".join(h for s in sheets for h in headers_in_first_rows(s)) or "（无）")
            + "。各列的写法见网站“数据规范”页",
        )
    ]


# --- commentary -------------------------------------------------------------


def load_commentary(path: Path, root: Path) -> tuple[Commentary | None, list[Issue]]:
    """A month's commentary, UTF-8 (with or without BOM) or GB18030 like CSVs; the front
    matter read by its declaration (frontmatter.py), each problem with its file line."""
    rel = rel_path(path, root)
    try:
        text = decode_csv_bytes(path.read_bytes())
    except UnicodeDecodeError:
        return None, [
            Issue.of_file(
                rel,
                "bad-encoding",
                "评述文件的编码既不是 UTF-8 也不是 GBK/GB18030，请用记事本打开后“另存为”UTF-8 编码",
            )
        ]
    parsed = parse_front_matter(text)
    issues = [
        Issue(rel, "", line, "", "bad-front-matter", message) for line, message in parsed.problems
    ]
    return Commentary(path.stem, rel, parsed.meta, parsed.body, parsed.body_line), issues


# --- the whole project --------------------------------------------------------


def load_project(
    root: Path, *, today: date | None = None, cache: Cache = NO_CACHE
) -> tuple[Dataset | None, list[Issue]]:
    """Read everything under `data/` and `content/`; `today` only bounds future months."""
    today = today or date.today()
    # Register errors do not stop the run: every other file is still read and checked.
    registry, issues = load_registry(root)
    targets = _load_all_targets(root, registry, cache, issues)
    months, ledgers = _load_months(root, registry, cache, issues, today=today)
    if ledgers and not registry.has_industries:
        issues.append(
            Issue.of_file(
                "data/industries.csv",
                "missing-file",
                f"{'、'.join(f'data/{p}' for p in sorted(ledgers))} 中有项目台账，但没有产业目录 "
                "data/industries.csv：请建立（第一行为 产业编码,产业名称,别名），台账的“所属产业”按它识别",
            )
        )
    commentary = _load_all_commentary(root, cache, issues)
    return Dataset(registry, targets, months, ledgers, commentary, registry.indicators), issues


def _load_all_targets(
    root: Path, registry: Registry, cache: Cache, issues: list[Issue]
) -> dict[int, YearTargets]:
    """data/targets/YYYY.xlsx|csv, one a year."""
    targets: dict[int, YearTargets] = {}
    target_dir = root / "data" / "targets"
    for path in sorted(target_dir.iterdir()) if target_dir.is_dir() else []:
        if (
            path.suffix.lower() not in DATA_SUFFIXES
            or not re.fullmatch(r"\d{4}", path.stem)
            or path.name.startswith(("~$", "."))
        ):
            message = "目标文件应命名为 年份.xlsx（如 2025.xlsx），已忽略"
            issues.append(Issue.of_file(rel_path(path, root), "ignored-file", message, NOTICE))
            continue
        year_targets, more = load_targets(path, root, registry, cache)
        issues += more
        if year_targets:
            targets[year_targets.year] = year_targets
    return targets


def _load_months(
    root: Path, registry: Registry, cache: Cache, issues: list[Issue], *, today: date
) -> tuple[dict[str, MonthReport], Ledgers]:
    """Each month's folder: its reports and its project ledger (read when asked for)."""
    months: dict[str, MonthReport] = {}
    ledgers = Ledgers()
    for folder in sorted((root / "data").iterdir()):
        if not folder.is_dir() or folder.name in {"targets"} or folder.name.startswith("."):
            continue
        rel = rel_path(folder, root)
        if not periods.is_period(folder.name):
            message = f"文件夹名“{folder.name}”不是 YYYY-MM 格式的月份（如 2024-05），请改名"
            issues.append(Issue.of_file(rel, "bad-month-folder", message))
            continue
        if periods.too_far_ahead(folder.name, today):
            issues.append(
                Issue.of_file(
                    rel,
                    "future-month",
                    f"月份 {folder.name} 晚于下个月（今天是 {today.isoformat()}），"
                    f"可能是年份或月份写错了，请改名；{periods.FUTURE_MONTH_RULE}",
                )
            )
            continue
        report, ledger, more = load_month_cached(folder, root, registry, cache)
        issues += more
        if not any(
            v is not None for values in report.values.values() for v in values.values()
        ) and not any(i.level == ERROR for i in more):
            message = f"{folder.name} 还没有任何单位填报数据，暂不发布"
            issues.append(Issue.of_file(rel, "not-collected", message, NOTICE))
            continue
        months[folder.name] = report
        if ledger is not None:
            ledgers.add(folder.name, ledger.read, ledger.counts)
    return months, ledgers


def _load_all_commentary(root: Path, cache: Cache, issues: list[Issue]) -> dict[str, Commentary]:
    """content/YYYY-MM.md, each parsed once per content."""
    commentary: dict[str, Commentary] = {}
    content = root / "content"
    for path in sorted(content.glob("*.md")) if content.is_dir() else []:
        if not periods.has_shape(path.stem):
            continue
        key = keys.key_of("commentary-file", rel_path(path, root), keys.file_digest(path))
        item, more = cache.memo("commentary-files", key, partial(load_commentary, path, root))
        issues += more
        if item:
            commentary[item.period] = item
    return commentary
