"""The 口径说明 page's view: the indicators, groups, lights and flags as declared."""

from __future__ import annotations

from .. import formats
from ..bulletin.views import LIGHT_SHAPES
from ..compute.flags import FLAG_RULES, RELOCATION_SHARE
from ..schema import STOCK, Indicators, not_city_groups


def about_view(settings, groups: list[dict], indicators: Indicators) -> dict:
    """口径说明, from the same declarations the code computes with; `groups` and
    `indicators`: the latest month's (schema.month_groups, schema.month_indicators)."""
    red = -settings.red_below_pp
    green = settings.green_from_pp
    return {
        "indicators": [
            {
                "name": i.name,
                "key": i.key,
                "unit": i.unit,
                "kind": "月末数" if i.kind == STOCK else "1—M月累计",
                "assessed": "是" if i.assessed else "",
                "headline": "是" if i.headline else "",
                "chart": "是" if i.chart else "",  # chart 2, the city's 累计 line
            }
            for i in indicators
        ],
        "usd_names": "、".join(i.name for i in indicators if i.unit == "万美元"),
        "own_digits": "、".join(
            f"{i.name}保留{i.digits}位小数" for i in indicators if i.own_digits
        ),
        "stock_names": "、".join(f"“{i.name}”" for i in indicators if i.kind == STOCK),
        "basis": "自定目标" if settings.target_basis == "self" else "市定目标",
        "groups": "、".join(g["name"] for g in groups),
        "city_groups": "、".join(g["name"] for g in groups if g["counts_to_city"]),
        "not_city_groups": not_city_groups({"groups": groups}),
        "lights": [
            {
                "css": "green",
                "shape": LIGHT_SHAPES["green"],
                "word": "绿",
                "rule": f"进度差不低于 {green:g} 个百分点",
            },
            {
                "css": "yellow",
                "shape": LIGHT_SHAPES["yellow"],
                "word": "黄",
                "rule": f"落后时序进度不足 {red:g} 个百分点",
            },
            {
                "css": "red",
                "shape": LIGHT_SHAPES["red"],
                "word": "红",
                "rule": f"落后时序进度 {red:g} 个百分点及以上",
            },
        ],
        "flags": [{"code": code, "name": name, "rule": rule} for code, name, rule in FLAG_RULES],
        "relocation": formats.pct(RELOCATION_SHARE).replace(".00", ""),
    }
