"""How figures are written: thousands separators from five integer digits on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tongbao import formats


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (30362.0, "万美元", "30,362.00"),
        (1234.5, "亿元", "1234.50"),  # four integer digits: not grouped
        (9999.994, "亿元", "9999.99"),
        (9999.996, "亿元", "10,000.00"),  # grouped as printed, after rounding
        (1234567.891, "亿元", "1,234,567.89"),
        (-30362.0, "亿元", "-30,362.00"),
        (12345, "个", "12,345"),
        (1234, "个", "1234"),
        (0.0, "亿元", "0.00"),
        (None, "亿元", "—"),
    ],
)
def test_number_groups_thousands_from_five_integer_digits(value, unit, text):
    assert formats.number(value, unit) == text


def test_commentary_filters_group_like_the_tables():
    assert formats.usd(30362) == "30,362.00万美元"
    assert formats.yi(12345.678) == "12,345.68亿元"
    assert formats.yi(812.5) == "812.50亿元"
    assert formats.rate_phrase(36900, 0.8228, "万美元") == "完成年度目标36,900.00万美元的82.28%"


def test_rendered_pages_group_large_figures(demo_site: Path):
    """The demo's FDI (万美元) runs to five digits: cards and tables print it grouped,
    the JSON keeps the raw number."""
    import json

    latest = json.loads((demo_site / "data" / "2025-12.json").read_text(encoding="utf-8"))
    fdi = latest["city"]["fdi"]["ytd"]
    assert fdi >= 10000 and isinstance(fdi, float)
    grouped = f"{fdi:,.2f}"
    for page in ("index.html", "bulletins/2025-12.html"):
        html = (demo_site / page).read_text(encoding="utf-8")
        assert f"{grouped}<small>万美元</small>" in html, page
        assert f">{fdi:.2f}<" not in html
    html = (demo_site / "bulletins" / "2025-12.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="tb-num">([^<]+)</td>', html)
    big = [c for c in cells if re.fullmatch(r"-?\d{5,}(\.\d+)?", c)]
    assert not big, f"ungrouped figures in the tables: {big[:5]}"
    archive = (demo_site / "bulletins" / "index.html").read_text(encoding="utf-8")
    assert f"<td>{grouped}万美元（" in archive
