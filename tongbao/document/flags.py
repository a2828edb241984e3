"""需关注事项 on paper: grouped by kind, one paragraph each, as a 通报 writes them."""

from __future__ import annotations

import re

from ..compute.flags import FLAG_RULES
from ..schema import month_indicators
from .blocks import NUMERALS, Block, Paragraph, Run

FLAG_LEADS = {
    "last-in-group": "完成率居所在组末位",
    "red-light": "亮红灯",
    "self-target-below-city": "自定目标低于市定目标",
}
_STREAK = re.compile(r"（(连续\d+个月)）")


def flags_by_unit(flags: list[dict], figures: dict) -> dict[str, list[str]]:
    """Unit name → its indicators, those with the same 连续N个月 run together:
    {"乙县": ["签约项目、签约金额（连续8个月）", "开工项目（连续5个月）"]}."""
    names = {ind.key: ind.name for ind in month_indicators(figures)}
    unit_names = {u["unit_id"]: u["name"] for u in figures["units"]}
    runs: dict[str, dict[str, list[str]]] = {}
    for f in flags:
        streak = _STREAK.search(f["message"]) if f["code"] == "last-in-group" else None
        unit = unit_names.get(f["unit_id"], f["unit_id"])
        runs.setdefault(unit, {}).setdefault(streak.group(1) if streak else "", []).append(
            names.get(f["indicator"], "")
        )
    return {
        unit: [
            "、".join(words) + (f"（{streak}）" if streak else "") for streak, words in by.items()
        ]
        for unit, by in runs.items()
    }


def flag_paragraphs(figures: dict) -> list[Block]:
    """需关注事项 as a 通报 writes them: one paragraph per kind (红灯, 末位, …), naming each
    unit once with its indicators — "红灯（20项）：甲区签约项目、签约金额；乙区…". A kind
    without an indicator (未报送) or with figures of its own (市内转调占比高) keeps its
    messages."""
    blocks: list[Block] = []
    rules = {code: name for code, name, _ in FLAG_RULES}
    codes = list(dict.fromkeys([*rules, *(f["code"] for f in figures["flags"])]))
    number = 0
    for code in codes:
        flags = [f for f in figures["flags"] if f["code"] == code]
        if not flags:
            continue
        number += 1
        if code in ("red-light", "last-in-group", "self-target-below-city"):
            parts = "；".join(
                unit + "，".join(words) for unit, words in flags_by_unit(flags, figures).items()
            )
        else:
            parts = "；".join(f["message"] for f in flags)
        kind = FLAG_LEADS.get(code) or rules.get(code, code)
        lead = f"{NUMERALS[number - 1] if number <= 10 else number}是{kind}"
        blocks.append(
            Paragraph((Run(f"{lead}（{len(flags)}项）：", strong=True), Run(f"{parts}。")))
        )
    return blocks
