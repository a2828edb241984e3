"""The indicator register (指标表, data/indicators.csv): a city's own indicators as data.

Optional: without the file the standard set applies (schema.STANDARD_INDICATORS). Read
with the registers' tolerance (UTF-8 or GB18030, full-width forms, 是/否 spellings,
title rows above the header); each problem is a `bad-indicator` naming the cell.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..issues import Issue
from ..schema import (
    CUMULATIVE,
    STANDARD_INDICATORS,
    STOCK,
    Indicator,
    Indicators,
    normalize_text,
)
from .sheets import FileProblem, Sheet, read_sheets

INDICATOR_FILE = "data/indicators.csv"
INDICATOR_COLUMNS = {
    "编码": "key",
    "指标名称": "name",
    "表头别名": "aliases",
    "计量单位": "unit",
    "口径": "kind",
    "小数位": "decimals",
    "考核": "assessed",
    "主要指标": "headline",
    "图表": "chart",
    "排序": "order",
}
REQUIRED = ("key", "name", "unit", "kind")
KINDS = {"累计": CUMULATIVE, "时点": STOCK}
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_YES_NO = {"是": True, "否": False, "Y": True, "N": False, "1": True, "0": False, "√": True}
MAX_DECIMALS = 6


def load_indicators(root: Path) -> tuple[Indicators, list[Issue]]:
    """The project's indicators; the standard set without the file or when it is unusable
    (its problems are reported, and the other files are still checked against a set)."""
    path = root / INDICATOR_FILE
    if not path.exists():
        return STANDARD_INDICATORS, []
    try:
        sheet = read_sheets(path, INDICATOR_FILE)[0]
    except FileProblem as problem:
        return STANDARD_INDICATORS, [problem.issue]
    header_row = _header_row(sheet)
    cols: dict[str, int] = {}
    if header_row is not None:
        for i, value in enumerate(sheet.rows[header_row]):
            key = INDICATOR_COLUMNS.get(normalize_text(value) if value is not None else "")
            if key:
                cols.setdefault(key, i)
    missing = [h for h, k in INDICATOR_COLUMNS.items() if k in REQUIRED and k not in cols]
    if header_row is None or missing:
        message = (
            f"指标表缺少表头：{'、'.join(missing)}。表头应为：{'、'.join(INDICATOR_COLUMNS)}"
            "（表头别名、小数位、考核、主要指标、图表、排序可以不要）"
        )
        return STANDARD_INDICATORS, [
            Issue.at(sheet.origin(header_row or 0), "bad-indicator", message)
        ]
    found: list[Indicator] = []
    issues: list[Issue] = []
    for r in range(header_row + 1, len(sheet.rows)):
        if not any(v is not None and str(v).strip() for v in sheet.rows[r]):
            continue
        ind = _read_row(sheet, r, cols, issues, default_order=len(found) + 1)
        if ind is not None and _no_clash(sheet, r, cols, ind, found, issues):
            found.append(ind)
    if not found:
        return STANDARD_INDICATORS, issues + [
            Issue.at(
                sheet.origin(header_row), "bad-indicator", "指标表中没有任何指标，请每个指标填一行"
            )
        ]
    return Indicators(tuple(found)), issues


def _header_row(sheet: Sheet, search: int = 10) -> int | None:
    """The first row naming 编码 and 指标名称: title rows above it are passed over."""
    for r, row in enumerate(sheet.rows[:search]):
        texts = {normalize_text(v) for v in row if v is not None}
        if {"编码", "指标名称"} <= texts:
            return r
    return None


def _cell(sheet: Sheet, r: int, col: int | None) -> str:
    value = None if col is None else sheet.cell(r, col)
    return "" if value is None else normalize_text(value)


def _problem(sheet: Sheet, r: int, cols: dict, key: str, message: str) -> Issue:
    header = next(h for h, k in INDICATOR_COLUMNS.items() if k == key)
    return Issue.at(sheet.origin(r, cols.get(key), header), "bad-indicator", message)


def _read_row(
    sheet: Sheet, r: int, cols: dict, issues: list[Issue], *, default_order: int
) -> Indicator | None:
    """One row, or None when it has a problem (each reported)."""
    get = {k: _cell(sheet, r, cols.get(k)) for k in INDICATOR_COLUMNS.values()}
    before = len(issues)
    for key in REQUIRED:
        if not get[key]:
            issues.append(_problem(sheet, r, cols, key, "此项不能为空，请填写"))
    if get["key"] and not _KEY.fullmatch(get["key"]):
        message = (
            f"编码“{get['key']}”只能由小写英文字母、数字和 _ 组成，以字母开头（如 talent_count）"
        )
        issues.append(_problem(sheet, r, cols, "key", message))
    if get["kind"] and get["kind"] not in KINDS:
        message = f"口径只能填 累计 或 时点，现为“{get['kind']}”"
        issues.append(_problem(sheet, r, cols, "kind", message))
    decimals = None
    if get["decimals"]:
        if re.fullmatch(r"\d(\.0)?", get["decimals"]) and float(get["decimals"]) <= MAX_DECIMALS:
            decimals = int(float(get["decimals"]))
        else:
            message = (
                f"小数位应为 0 到 {MAX_DECIMALS} 的整数（或留空用默认值），现为“{get['decimals']}”"
            )
            issues.append(_problem(sheet, r, cols, "decimals", message))
    flags = {}
    for key in ("assessed", "headline", "chart"):
        flags[key] = _YES_NO.get(get[key], None) if get[key] else False
        if flags[key] is None:
            message = f"只能填 是 或 否（也可留空，即 否），现为“{get[key]}”"
            issues.append(_problem(sheet, r, cols, key, message))
    order = default_order  # without 排序: the file's order
    if get["order"]:
        if re.fullmatch(r"-?\d+(\.0)?", get["order"]):
            order = int(float(get["order"]))
        else:
            issues.append(_problem(sheet, r, cols, "order", f"排序应为整数，现为“{get['order']}”"))
    if len(issues) > before:
        return None
    aliases = tuple(a.strip() for a in re.split(r"[;；]", get["aliases"]) if a.strip())
    return Indicator(
        get["key"],
        get["name"],
        get["unit"],
        KINDS[get["kind"]],
        headline=bool(flags["headline"]),
        chart=bool(flags["chart"]),
        assessed=bool(flags["assessed"]),
        aliases=aliases,
        decimals=decimals,
        order=order,
    )


def _no_clash(
    sheet: Sheet, r: int, cols: dict, ind: Indicator, found: list[Indicator], issues: list[Issue]
) -> bool:
    """False (each problem reported) for a duplicate 编码 or 名称, or an alias that is
    another indicator's name or alias: a header must mean one indicator."""
    before = len(issues)
    for other in found:
        if other.key == ind.key:
            message = f"编码“{ind.key}”重复（已是“{other.name}”的编码），每个指标只能有一行"
            issues.append(_problem(sheet, r, cols, "key", message))
        if normalize_text(other.name) == normalize_text(ind.name):
            message = f"指标名称“{ind.name}”重复，每个指标只能有一行"
            issues.append(_problem(sheet, r, cols, "name", message))
        spelled = {normalize_text(t) for t in (other.name, *other.aliases)}
        for alias in ind.aliases:
            if normalize_text(alias) in spelled:
                message = (
                    f"表头别名“{alias}”已是指标“{other.name}”的名称或别名，一个表头只能指一个指标"
                )
                issues.append(_problem(sheet, r, cols, "aliases", message))
        for alias in other.aliases:
            if normalize_text(alias) == normalize_text(ind.name):
                message = (
                    f"指标名称“{ind.name}”已是指标“{other.name}”的表头别名，请删去那个别名或换名称"
                )
                issues.append(_problem(sheet, r, cols, "name", message))
    return len(issues) == before
