"""The loaded project: typed tables that remember where each value came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..issues import Origin
from ..schema import STANDARD_INDICATORS, Indicators
from .ledger import Project
from .registry import Registry

CITY = "__city__"  # the 全市 row of a table, among the units' ids


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
    ledgers: Mapping[str, list[Project]]  # a dict, or ledger.Ledgers read lazily
    commentary: dict[str, Commentary]
    indicators: Indicators = STANDARD_INDICATORS  # data/indicators.csv, or the standard set
