"""Cell values → numbers, the way a clerk typing into Excel means them."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from ..schema import COUNT_SUFFIXES, MISSING_TOKENS, MONEY_SUFFIXES, Indicator

_NUMBER = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$")


@dataclass(frozen=True)
class Parsed:
    value: float | None  # None: missing (never 0)
    code: str | None = None  # not-a-number, negative-value
    message: str = ""


def is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if isinstance(raw, str):
        return _missing_text(raw)
    return False


@functools.lru_cache(maxsize=1 << 16)
def _missing_text(text: str) -> bool:
    """A text that means "nothing here" (—, 无, /): the same few texts in every ledger row."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)) in MISSING_TOKENS


def parse_amount(raw: object, *, unit: str, factor: float = 1.0) -> Parsed:
    """Parse one cell of a column in `unit`; `factor` converts the column's unit (万元 → 亿元).

    A trailing unit written in the cell (`8000万元`, `12.3亿元`, `5个`) wins over the column's.
    """
    if is_missing(raw):
        return Parsed(None)
    if isinstance(raw, bool) or isinstance(raw, (datetime, date)):
        return _not_a_number(raw, unit)
    if isinstance(raw, (int, float)):
        number = float(raw) * factor
    else:
        text = unicodedata.normalize("NFKC", str(raw))
        text = re.sub(r"\s+", "", text).replace(",", "")
        match = _NUMBER.match(text)
        if not match:
            return _not_a_number(raw, unit)
        number, suffix = float(match.group(1)), match.group(2)
        if not suffix:
            number *= factor
        elif unit == "亿元" and suffix in MONEY_SUFFIXES:
            number *= MONEY_SUFFIXES[suffix]
        elif unit == "万美元" and suffix in {"万美元", "万"}:
            pass
        elif unit != "亿元" and suffix in COUNT_SUFFIXES and suffix != "万美元":
            pass
        else:
            return _not_a_number(raw, unit)
    if number < 0:
        return Parsed(
            None,
            "negative-value",
            f"“{_show(raw)}”是负数，请填写不小于0的数字（核减请直接改小累计数）",
        )
    return Parsed(number)


def parse_indicator(raw: object, indicator: Indicator, *, factor: float = 1.0) -> Parsed:
    parsed = parse_amount(raw, unit=indicator.unit, factor=factor if indicator.is_money else 1.0)
    if indicator.is_count and parsed.value is not None and float(parsed.value).is_integer():
        # counts print as 17, not 17.0, in commentary and JSON alike
        return Parsed(int(parsed.value))
    return parsed


def _show(raw: object) -> str:
    return str(raw).strip()


def _not_a_number(raw: object, unit: str) -> Parsed:
    return Parsed(None, "not-a-number", f"“{_show(raw)}”不是数字，请填写数字（单位：{unit}）")


def parse_date(raw: object) -> date | None | str:
    """Excel dates, `2024-05-04`, `2024.5.4`, `2024/5/4`, `2024年5月4日`; a str return is unparseable."""
    if is_missing(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw)))
    match = re.fullmatch(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?", text)
    if not match:
        return text
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return text


def parse_flag(raw: object) -> bool | None:
    """是/否 columns: 是, √, Y, 1 → True; blank, 否, N, 0 → False; anything else None."""
    if is_missing(raw):
        return False
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw))).lower()
    if text in {"是", "√", "y", "yes", "1", "1.0", "true", "✓"}:
        return True
    if text in {"否", "×", "n", "no", "0", "0.0", "false", "x"}:
        return False
    return None
