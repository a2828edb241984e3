"""A register's table (units.csv, industries.csv): its header row, its cells as text,
是/否 and alias lists as a clerk writes them, and the problems of a missing column or an
empty required cell."""

from __future__ import annotations

import re

from ..issues import Issue
from ..schema import normalize_text
from .sheets import Sheet


def table_rows(sheet: Sheet, columns: dict[str, str]) -> tuple[dict[str, int], list[int]]:
    header = (
        [normalize_text(v) if v is not None else "" for v in sheet.rows[0]] if sheet.rows else []
    )
    found = {columns[h]: i for i, h in enumerate(header) if h in columns}
    return found, list(range(1, len(sheet.rows)))


def cell(sheet: Sheet, r: int, col: int | None) -> str:
    if col is None:
        return ""
    value = sheet.cell(r, col)
    return "" if value is None else str(value).strip()


def yes_no(text: str, default: bool) -> bool | None:
    text = normalize_text(text)
    if not text:
        return default
    return {"是": True, "否": False, "Y": True, "N": False, "1": True, "0": False}.get(text)


def split_aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in re.split(r"[;；]", text) if a.strip())


def headers_of(sheet: Sheet) -> str:
    """The first row as found, for a 'missing column' message."""
    found = [str(v).strip() for v in (sheet.rows[0] if sheet.rows else []) if v is not None]
    return "、".join(f"“{h}”" for h in found if h) or "（第一行是空的）"


def missing_columns(
    sheet: Sheet, columns: dict[str, str], required: tuple[str, ...]
) -> Issue | None:
    cols, _ = table_rows(sheet, columns)
    missing = [h for h, key in columns.items() if key in required and key not in cols]
    if not missing:
        return None
    return Issue.at(
        sheet.origin(0),
        "missing-column",
        f"第一行缺少表头：{'、'.join(missing)}；找到的表头：{headers_of(sheet)}。"
        f"第一行应为：{'、'.join(columns)}（可选列可以不要）",
    )


def missing_cell(sheet: Sheet, r: int, cols: dict[str, int], header: str, key: str) -> Issue:
    return Issue.at(
        sheet.origin(r, cols[key], header),
        "missing-cell",
        f"“{header}”不能为空，请填写",
    )
