"""Indicators: every figure of a bulletin, computed once from the validated tables.

The result of `compute_month` is exactly what `site/data/YYYY-MM.json`
publishes (the bulletin's machine-readable figures, tongbao/figures.schema.json); pages, commentary,
charts and downloads all read from it. Figures are unrounded here: rounding
happens only when a figure is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import periods
from ..config import Settings
from ..formats import amount, pp, rate_phrase, yoy
from ..read.dataset import Dataset
from ..read.registry import Unit
from ..schema import CUMULATIVE, month_indicators

if TYPE_CHECKING:
    from .flags import Lasts

TIE_DIGITS = 10  # rates equal to 10 decimals share a place (float noise is not a lead)


def light_for(gap_pp: float | None, settings: Settings) -> str | None:
    if gap_pp is None:
        return None
    if gap_pp >= settings.green_from_pp:
        return "green"
    if gap_pp <= settings.red_below_pp:
        return "red"
    return "yellow"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def growth(now: float | None, base: float | None) -> float | None:
    if now is None or base is None or base == 0:
        return None
    return (now - base) / base


def rank_within_group(rates: dict[str, float | None]) -> dict[str, tuple[int | None, bool]]:
    """Competition ranking by rate, descending: equal rates share a place (1, 2, 2, 4)."""
    scored = {uid: round(r, TIE_DIGITS) for uid, r in rates.items() if r is not None}
    ranks: dict[str, tuple[int | None, bool]] = {uid: (None, False) for uid in rates}
    ordered = sorted(scored.values(), reverse=True)
    for uid, score in scored.items():
        place = ordered.index(score) + 1
        ranks[uid] = (place, ordered.count(score) > 1)
    return ranks


@dataclass
class Context:
    """What one month's computation reads: the month, its neighbours, the targets."""

    data: Dataset
    period: str
    settings: Settings
    computed: dict[str, dict] = field(default_factory=dict)  # earlier months' results

    @property
    def months(self) -> int:
        return periods.month_of(self.period)

    def values(self, period: str | None, unit_id: str) -> dict | None:
        if period is None or period not in self.data.months:
            return None
        return self.data.months[period].values.get(unit_id)

    def targets(self, unit_id: str) -> tuple[dict, dict]:
        year = self.data.targets.get(periods.year_of(self.period))
        if year is None:
            return {}, {}
        return year.units.get(unit_id, {}), year.units_self.get(unit_id, {})


def month_value(ctx: Context, unit_id: str, key: str, ytd: float | None) -> float | None:
    """本月 of a cumulative indicator: YTD − last month's YTD (January: the YTD)."""
    if ctx.data.indicators[key].kind != CUMULATIVE or ytd is None:
        return None
    if ctx.months == 1:
        return ytd
    before = ctx.values(periods.previous_in_year(ctx.period), unit_id)
    if not before or before.get(key) is None:
        return None
    return ytd - before[key]


def unit_figures(ctx: Context, unit: Unit) -> dict:
    values = ctx.values(ctx.period, unit.unit_id)
    base = ctx.values(periods.same_month_last_year(ctx.period), unit.unit_id)
    city_targets, self_targets = ctx.targets(unit.unit_id)
    figures = {}
    for ind in ctx.data.indicators:
        # only an assessed indicator has targets, so 完成率, 进度差, 位次 and 亮灯
        target = city_targets.get(ind.key) if ind.assessed else None
        target_self = self_targets.get(ind.key) if ind.assessed else None
        row = {
            "ytd": None,
            "month": None,
            "target": target,
            "target_self": target_self,
            "rate": None,
            "gap_pp": None,
            "yoy": None,
            "rank": None,
            "rank_tied": False,
            "rank_change": None,
            "light": None,
        }
        if values is not None:
            ytd = values.get(ind.key)
            basis = target_self if ctx.settings.target_basis == "self" else target
            rate = ratio(ytd, basis)
            gap = None if rate is None else (rate - periods.time_progress(ctx.period)) * 100
            row.update(
                ytd=ytd,
                month=month_value(ctx, unit.unit_id, ind.key, ytd),
                rate=rate,
                gap_pp=gap,
                yoy=growth(ytd, (base or {}).get(ind.key)),
                light=light_for(gap, ctx.settings),
            )
        figures[ind.key] = row
    return figures


def add_ranks(ctx: Context, units: list[dict]) -> None:
    previous = ctx.computed.get(periods.previous_in_year(ctx.period) or "")
    before = {u["unit_id"]: u for u in previous["units"]} if previous else {}
    for group in {u["group"] for u in units}:
        members = [u for u in units if u["group"] == group and u["_ranked"] and u["reported"]]
        for ind in ctx.data.indicators.assessed:
            ranks = rank_within_group(
                {u["unit_id"]: u["indicators"][ind.key]["rate"] for u in members}
            )
            for u in members:
                place, tied = ranks[u["unit_id"]]
                row = u["indicators"][ind.key]
                row["rank"], row["rank_tied"] = place, tied
                old = (
                    before.get(u["unit_id"], {}).get("indicators", {}).get(ind.key, {}).get("rank")
                )
                if place is not None and old is not None:
                    row["rank_change"] = old - place


def city_figures(ctx: Context, units: list[dict]) -> tuple[dict, dict]:
    """City totals over the counted units; 本月 and 同比 like for like (and who was left out)."""
    counted = [u for u in units if u["_counts"]]
    year = ctx.data.targets.get(periods.year_of(ctx.period))
    city, excluded = {}, {}
    for ind in ctx.data.indicators:
        reported = [
            u for u in counted if u["reported"] and u["indicators"][ind.key]["ytd"] is not None
        ]
        ytd = sum(u["indicators"][ind.key]["ytd"] for u in reported) if reported else None
        month = None
        left_month: list[str] = []
        if ind.kind == CUMULATIVE:
            with_month = [u for u in counted if u["indicators"][ind.key]["month"] is not None]
            month = (
                sum(u["indicators"][ind.key]["month"] for u in with_month) if with_month else None
            )
            left_month = [u["name"] for u in counted if u not in with_month]
        pairs = []
        for u in counted:
            now = u["indicators"][ind.key]["ytd"]
            base = (ctx.values(periods.same_month_last_year(ctx.period), u["unit_id"]) or {}).get(
                ind.key
            )
            if now is not None and base is not None:
                pairs.append((now, base))
        yoy = growth(sum(p[0] for p in pairs), sum(p[1] for p in pairs)) if pairs else None
        left_yoy = [
            u["name"]
            for u in counted
            if u["indicators"][ind.key]["ytd"] is None
            or (ctx.values(periods.same_month_last_year(ctx.period), u["unit_id"]) or {}).get(
                ind.key
            )
            is None
        ]
        target = city_target(year, ind.key, counted) if ind.assessed else None
        rate = ratio(ytd, target)
        gap = None if rate is None else (rate - periods.time_progress(ctx.period)) * 100
        city[ind.key] = {
            "ytd": ytd,
            "month": month,
            "target": target,
            "rate": rate,
            "gap_pp": gap,
            "yoy": yoy,
        }
        excluded[ind.key] = {
            "month": left_month if month is not None else [],
            "yoy": left_yoy if yoy is not None else [],
        }
    return city, excluded


def city_target(year, key: str, counted: list[dict]) -> float | None:
    """The 全市 row's target, else the sum of the counted units' (none if any lacks one)."""
    if year is None:
        return None
    if year.city.get(key) is not None:
        return year.city[key]
    targets = [year.units.get(u["unit_id"], {}).get(key) for u in counted]
    if not targets or any(t is None for t in targets):
        return None
    return sum(targets)


def compute_month(
    data: Dataset,
    period: str,
    settings: Settings,
    computed: dict[str, dict],
    lasts: Lasts | None = None,
) -> dict:
    """`lasts`: who was last in each earlier month, shared by the months of `compute_all`."""
    from .flags import flags_for  # flags read the figures computed here
    from .projects import project_figures

    ctx = Context(data, period, settings, computed)
    report = data.months[period]
    units = []
    for unit in data.registry.units:
        if not unit.active_in(period) and unit.unit_id not in report.rows:
            continue
        units.append(
            {
                "unit_id": unit.unit_id,
                "name": unit.name,
                "group": unit.group,
                "reported": unit.unit_id in report.rows,
                "indicators": unit_figures(ctx, unit),
                "_ranked": unit.ranked,
                "_counts": unit.counts_to_city,
            }
        )
    add_ranks(ctx, units)
    city, excluded = city_figures(ctx, units)
    meta = data.commentary[period].meta if period in data.commentary else {}
    result = {
        "period": period,
        "months": ctx.months,
        "time_progress": periods.time_progress(period),
        "issue": meta.get("issue") or ctx.months,  # 期号: by default the month's number
        "issued": str(meta["issued"]) if meta.get("issued") else None,
        "city": city,
        "units": [{k: v for k, v in u.items() if not k.startswith("_")} for u in units],
        "groups": groups_of(units),
        # the month describes its own indicators: every later stage reads them from here
        "indicators": data.indicators.declarations(),
    }
    result["flags"] = flags_for(data, result, computed, settings, lasts)
    result["city_excluded"] = excluded
    if period in data.ledgers:
        result["projects"] = project_figures(data, period)
    result["summary"] = summary_sentence(result)
    return result


def groups_of(units: list[dict]) -> list[dict]:
    """The month's groups in the register's order; a group counts into the city total
    when any of its units does (计入全市 is the units', normally the same in a group)."""
    counts: dict[str, bool] = {}
    for u in units:
        counts[u["group"]] = counts.get(u["group"], False) or u["_counts"]
    return [{"name": name, "counts_to_city": c} for name, c in counts.items()]


def compute_all(
    data: Dataset,
    settings: Settings,
    memo: Callable[[str, Callable[[], dict]], dict] | None = None,
) -> dict[str, dict]:
    """Every month in order: a month's rank change and 末位 streak read the months before.

    `memo(period, make)` may answer a month from a cache instead of calling `make`."""
    from .flags import Lasts

    computed: dict[str, dict] = {}
    lasts = Lasts()
    for period in sorted(data.months):

        def make(period: str = period) -> dict:
            return compute_month(data, period, settings, computed, lasts)

        computed[period] = memo(period, make) if memo else make()
    return computed


def summary_sentence(figures: dict) -> str:
    """The bulletin's usual pattern: value → 完成年度目标X的Y% → 超/欠序时进度 → 同比."""
    months = figures["months"]
    span = "1月" if months == 1 else f"1—{months}月"
    parts = []
    for ind in month_indicators(figures).headline:
        row = figures["city"][ind.key]
        if row["ytd"] is None:
            continue
        # 外出招商批次 570批次 reads 外出招商570批次
        text = f"{ind.name.removesuffix(ind.unit)}{amount(row['ytd'], ind.unit, ind.digits)}"
        if row["rate"] is not None:
            phrase = rate_phrase(row["target"], row["rate"], ind.unit, ind.digits)
            text += f"，{phrase}，{pp(row['gap_pp'])}"
        if row["yoy"] is not None:
            text += f"，{yoy(row['yoy'])}"
        parts.append(text)
    if not parts:
        return f"{span}，全市暂无可汇总的数据。"
    return f"{span}，全市" + "；".join(parts) + "。"
