"""需关注事项: rules over one month's figures, each naming the unit and the figure."""

from __future__ import annotations

from .. import periods
from ..read.dataset import Dataset
from ..schema import CUMULATIVE, LEDGER_INDICATORS

RELOCATION_SHARE = 0.30

# The rules, as the 口径说明 page states them (code, name, rule).
FLAG_RULES = (
    ("last-in-group", "末位", "首要指标完成率居所在组末位，并注明连续几个月居末位"),
    ("red-light", "红灯", "首要指标亮红灯"),
    ("zero-signings", "签约为零", "今年以来签约项目为零"),
    ("not-reported", "未报送", "当月未报送数据"),
    ("ytd-decreased", "核减", "累计数低于上月（核减），同时列入修订记录"),
    ("self-target-below-city", "自定目标偏低", "自定目标低于市定目标"),
    (
        "relocation-share-high",
        "市内转调占比高",
        "市内转调项目签约金额占本单位签约金额超过30%（有项目台账时）",
    ),
)


def _flag(code: str, unit: dict, key: str | None, message: str) -> dict:
    return {"code": code, "unit_id": unit["unit_id"], "indicator": key, "message": message}


def last_place_streak(
    unit_id: str, key: str, period: str, current: dict, computed: dict, lasts: Lasts | None = None
) -> int:
    """How many consecutive months, up to this one, the unit has been last in its group.

    `lasts`: who was last in earlier months, kept between the months of one computation
    (else a unit last for years would have every month before looked at again each month)."""
    lasts = Lasts() if lasts is None else lasts
    streak = 0
    month_figures: dict | None = current
    while month_figures is not None and unit_id in lasts.of(month_figures, key):
        streak += 1
        period = periods.previous_month(period)
        month_figures = computed.get(period)
    return streak


class Lasts:
    """`_last_in_group` of each month's figures and key, worked out once. A month's entry
    holds its figures, so an entry is used only for the very figures it was made from."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], tuple[dict, set[str]]] = {}

    def of(self, figures: dict, key: str) -> set[str]:
        made = self._made.get((figures["period"], key))
        if made is None or made[0] is not figures:
            made = (figures, _last_in_group(figures, key))
            self._made[(figures["period"], key)] = made
        return made[1]


def _last_in_group(figures: dict, key: str) -> set[str]:
    ranks: dict[str, list[tuple[int, str]]] = {}  # group → (rank, unit) of its ranked units
    for u in figures["units"]:
        rank = u["indicators"][key]["rank"]
        if rank is not None:
            ranks.setdefault(u["group"], []).append((rank, u["unit_id"]))
    last: set[str] = set()
    for ranked in ranks.values():
        if len(ranked) < 2:
            continue
        worst = max(rank for rank, _ in ranked)
        if worst == 1:
            continue  # all tied for first: nobody is last
        last |= {unit_id for rank, unit_id in ranked if rank == worst}
    return last


def flags_for(
    data: Dataset, figures: dict, computed: dict, settings, lasts: Lasts | None = None
) -> list[dict]:
    """`lasts`: shared by the months of one computation (see `last_place_streak`)."""
    period = figures["period"]
    flags: list[dict] = []
    units = figures["units"]
    lasts = Lasts() if lasts is None else lasts
    headline = data.indicators.headline
    last = {ind.key: lasts.of(figures, ind.key) for ind in headline}
    for unit in units:
        name = unit["name"]
        if not unit["reported"]:
            flags.append(_flag("not-reported", unit, None, f"{name}未报送本月数据"))
            continue
        rows = unit["indicators"]
        for ind in headline:
            if unit["unit_id"] in last[ind.key]:
                streak = last_place_streak(
                    unit["unit_id"], ind.key, period, figures, computed, lasts
                )
                flags.append(
                    _flag(
                        "last-in-group",
                        unit,
                        ind.key,
                        f"{name}{ind.name}完成率居{unit['group']}末位（连续{streak}个月）",
                    )
                )
        for ind in headline:
            if rows[ind.key]["light"] == "red":
                flags.append(
                    _flag(
                        "red-light",
                        unit,
                        ind.key,
                        f"{name}{ind.name}完成率{rows[ind.key]['rate'] * 100:.2f}%，"
                        f"欠序时进度{-rows[ind.key]['gap_pp']:.2f}个百分点，亮红灯",
                    )
                )
        signed = LEDGER_INDICATORS["signed"]
        if signed in rows and rows[signed]["ytd"] == 0:
            word = data.indicators[signed].name
            flags.append(_flag("zero-signings", unit, signed, f"{name}今年以来{word}为零"))
        before = computed.get(periods.previous_in_year(period) or "")
        previous = {u["unit_id"]: u for u in before["units"]} if before else {}
        for ind in data.indicators:
            if ind.kind != CUMULATIVE:
                continue
            now = rows[ind.key]["ytd"]
            then = (
                previous.get(unit["unit_id"], {}).get("indicators", {}).get(ind.key, {}).get("ytd")
            )
            if now is not None and then is not None and now < then - 1e-9:
                flags.append(
                    _flag(
                        "ytd-decreased",
                        unit,
                        ind.key,
                        f"{name}{ind.name}累计数比上月减少{then - now:.2f}{ind.unit}（核减）",
                    )
                )
        for ind in data.indicators:
            own, city = rows[ind.key]["target_self"], rows[ind.key]["target"]
            if own is not None and city is not None and own < city - 1e-9:
                unit_word = ind.unit
                flags.append(
                    _flag(
                        "self-target-below-city",
                        unit,
                        ind.key,
                        f"{name}{ind.name}自定目标{own:g}{unit_word}低于市定目标{city:g}{unit_word}",
                    )
                )
    if period in data.ledgers:
        flags += relocation_flags(data, figures)
    return flags


def relocation_shares(projects, period: str) -> dict[str, tuple[float, float]]:
    """Per unit: (市内转调 signed amount, all signed amount) of this year's signings."""
    shares: dict[str, tuple[float, float]] = {}
    for p in projects:
        if not periods.in_year_to_date(p.signed_on, period) or p.signed_amount is None:
            continue
        moved, total = shares.get(p.unit_id, (0.0, 0.0))
        moved += p.signed_amount if p.nature == "市内转调" else 0.0
        shares[p.unit_id] = (moved, total + p.signed_amount)
    return shares


def relocation_flags(data: Dataset, figures: dict) -> list[dict]:
    flags = []
    shares = relocation_shares(data.ledgers[figures["period"]], figures["period"])
    amount = LEDGER_INDICATORS["amount"]
    for unit in figures["units"]:
        moved, total = shares.get(unit["unit_id"], (0.0, 0.0))
        if total > 0 and moved / total > RELOCATION_SHARE:
            flags.append(
                _flag(
                    "relocation-share-high",
                    unit,
                    amount if amount in figures["city"] else None,
                    f"{unit['name']}市内转调项目签约金额{moved:.2f}亿元，"
                    f"占其签约金额的{moved / total * 100:.2f}%，超过30%",
                )
            )
    return flags
