"""How figures are written: the one place that rounds, for pages, commentary and charts."""

from __future__ import annotations

from . import periods

DASH = "—"
NOT_REPORTED = "未报送"  # a unit without figures this month (document tables)


GROUP_FROM_DIGITS = 5  # 30362.00 → 30,362.00; 1234.50 stays as it is


def grouped(text: str) -> str:
    """Thousands separators for a printed figure whose integer part has five or more
    digits (decided on the rounded text, so 9999.999 → 10,000.00)."""
    sign = "-" if text.startswith("-") else ""
    whole, dot, fraction = text.lstrip("-").partition(".")
    if len(whole) < GROUP_FROM_DIGITS or not whole.isdigit():
        return text
    return f"{sign}{int(whole):,}{dot}{fraction}"


def number(value: float | None, unit: str, digits: int | None = None) -> str:
    """The figure alone: amounts with two decimals, counts as integers, or the indicator's
    declared 小数位 (`digits`); five or more integer digits are grouped by thousands (the
    JSON keeps raw numbers)."""
    if value is None:
        return DASH
    if digits is not None:
        return grouped(f"{value:.{digits}f}")
    if unit in {"亿元", "万美元"}:
        return grouped(f"{value:.2f}")
    return grouped(f"{value:.0f}")


def amount(value: float | None, unit: str, digits: int | None = None) -> str:
    return DASH if value is None else f"{number(value, unit, digits)}{unit}"


def yi(value: float | None) -> str:
    """812.5 → 812.50亿元."""
    return amount(value, "亿元")


def pct(value: float | None) -> str:
    """0.3385 → 33.85%."""
    return DASH if value is None else f"{value * 100:.2f}%"


def pp(value: float | None) -> str:
    """4.12 → 超序时进度4.12个百分点; −12.92 → 欠序时进度12.92个百分点."""
    if value is None:
        return DASH
    if round(value, 2) == 0:
        return "与序时进度持平"
    word = "超" if value > 0 else "欠"
    return f"{word}序时进度{abs(value):.2f}个百分点"


def pp_short(value: float | None) -> str:
    """For table cells (the document's overview table): +4.12 / −12.92."""
    if value is None:
        return DASH
    return f"{value:+.2f}".replace("-", "−")


def yoy(value: float | None) -> str:
    """0.0808 → 同比增长8.08%; −0.0892 → 同比下降8.92%; no base → —."""
    if value is None:
        return DASH
    if round(value * 100, 2) == 0:
        return "同比持平"
    word = "增长" if value > 0 else "下降"
    return f"同比{word}{abs(value) * 100:.2f}%"


def yoy_short(value: float | None) -> str:
    """For table cells: +8.08% / −8.92%."""
    if value is None:
        return DASH
    return f"{value * 100:+.2f}%".replace("-", "−")


def rank(value: int | None, tied: bool | None = None) -> str:
    """3 → 第3位; a tied place → 并列第2位. A rank value may carry its own `tied`."""
    if value is None:
        return DASH
    if tied is None:
        tied = bool(getattr(value, "tied", False))
    return f"{'并列' if tied else ''}第{int(value)}位"


def rank_change(value: int | None) -> str:
    """Positive = moved up: ↑2, ↓1; no change or no previous rank: —."""
    if not value:
        return DASH
    return f"↑{value}" if value > 0 else f"↓{-value}"


def rate_phrase(
    target: float | None, rate: float | None, unit: str, digits: int | None = None
) -> str:
    """完成年度目标850.00亿元的37.22%."""
    return f"完成年度目标{amount(target, unit, digits)}的{pct(rate)}"


def period_label(period: str) -> str:
    """2024-05 → 2024年1—5月 (cumulative from January)."""
    year, month = periods.split(period)
    return f"{year}年1月" if month == 1 else f"{year}年1—{month}月"


def issue_label(period: str, issue: object) -> str:
    year, month = periods.split(period)
    return f"{year}年第{issue}期" if issue is not None else f"{year}年{month}月"


def date_label(value: object) -> str:
    """2024-06-10 → 2024年6月10日."""
    if not value:
        return DASH
    text = str(value)
    year, month, day = text[:4], int(text[5:7]), int(text[8:10])
    return f"{year}年{month}月{day}日"


def usd(value: float | None) -> str:
    """实际使用外资 in 万美元: 1550 → 1550.00万美元 (never converted into 亿元)."""
    return amount(value, "万美元")


FILTERS = {"yi": yi, "usd": usd, "pct": pct, "pp": pp, "yoy": yoy, "rank": rank}
