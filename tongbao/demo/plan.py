"""The demo's year plans: targets, projects and seeded random walks, and a month's
report rows derived from them (counts from the project ledger, so the two agree)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from typing import cast

from .. import periods
from . import text
from .cast import (
    AMOUNTS,
    CITY_BASE,
    COMMITTEE_SCALE,
    COUNT_KEYS,
    INDUSTRY,
    MONTH_WEIGHTS,
    NO_FDI_TARGET,
    RELOCATOR,
    SELF_BELOW,
    UNITS,
    Figures,
    Targets,
    Unit,
    UnitTargets,
    month_shape,
    silent_units,
)


@dataclass
class Project:
    unit_id: str
    industry: str
    total: float
    amount: float
    appear: int  # first month the project is in the ledger (as 在谈)
    signed_on: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    ended: int | None = None  # month negotiations broke off (终止)
    project_id: str = ""
    name: str = ""
    label: str = ""  # 所属产业 as the clerk wrote it (sometimes an alias)
    nature: str = "新建"
    investor: str = ""
    origin: str = ""
    f500: bool = False
    sei: bool = False

    def stage(self, end: date) -> str:
        for stage, day in (
            ("竣工投产", self.completed_on),
            ("开工", self.started_on),
            ("签约", self.signed_on),
        ):
            if day and day <= end:
                return stage
        return "终止" if self.ended and self.ended <= end.month else "在谈"


@dataclass
class YearPlan:
    year: int
    city: dict[str, int]  # the 全市 row
    targets: Targets
    projects: dict[str, list[Project]]
    walks: dict[str, dict[str, list[float | int]]]  # unit -> key -> YTD for months 1..12


def city_target(targets: UnitTargets, key: str) -> int:
    """A unit's 市定 target of an indicator every unit is set one of."""
    value = targets[key][0]
    assert value is not None, key
    return value


def month_end(year: int, month: int) -> date:
    return periods.month_end(periods.period_of(year, month))


def scale_of(year: int, seed: int) -> float:
    """Target scale relative to 2024: 8–12% growth a year, drawn per year."""

    def growth(y: int) -> float:
        return random.Random(f"{seed}-growth-{y}").uniform(1.08, 1.12)

    factor = 1.0
    for y in range(2025, year + 1):
        factor *= growth(y)
    for y in range(year + 1, 2025):
        factor /= growth(y)
    return factor


def whole(value: float, key: str) -> int:
    """Targets are whole numbers; FDI targets are set in hundreds of 万美元."""
    return int(round(value, -2)) if key == "fdi" else round(value)


def plan_targets(year: int, seed: int) -> tuple[dict[str, int], Targets]:
    """The 全市 row (the city's own targets) and each unit's 市定/自定 targets."""
    rng = random.Random(f"{seed}-targets-{year}")
    scale = scale_of(year, seed)
    city = {key: whole(base * scale, key) for key, (base, _) in CITY_BASE.items()}
    targets: Targets = {}
    for unit in UNITS:
        mine: UnitTargets = {}
        for key, (base, has_self) in CITY_BASE.items():
            if not unit.counted:
                weight = unit.weight * COMMITTEE_SCALE.get(key, 1.0)
            elif key in COUNT_KEYS:  # counts differ less between units than money does
                weight = (unit.weight * 1.04 + 1 / 9) / 2
            else:  # units are assigned a little more than the city's own target (层层加码)
                weight = unit.weight * 1.04
            no_target = key == "fdi" and unit.unit_id in NO_FDI_TARGET
            city_t = None if no_target else whole(base * scale * weight, key)
            lift = (
                rng.uniform(0.85, 0.93) if unit.unit_id in SELF_BELOW else rng.uniform(1.05, 1.25)
            )
            self_t = round(city_t * lift) if has_self and unit.counted and city_t else None
            mine[key] = (city_t, self_t)
        targets[unit.unit_id] = mine
    return city, targets


def year_paces(year: int, seed: int) -> dict[str, float]:
    """Each unit's pace this year: its habit, a little noise, and two units having a bad
    year. The pair rotates, so the ones that slipped last year recover (同比 up) while two
    others fall back (同比 down)."""
    ordinary = [x.unit_id for x in UNITS if x.counted and x.pace == 1.0]
    random.Random(f"{seed}-slipping").shuffle(ordinary)
    first = 2 * year % len(ordinary)
    slipping = set((ordinary + ordinary)[first : first + 2])
    rng = random.Random(f"{seed}-pace-{year}")
    return {
        x.unit_id: x.pace * rng.uniform(0.96, 1.04) * (0.8 if x.unit_id in slipping else 1.0)
        for x in UNITS
    }


def random_day(rng: random.Random, year: int, month: int) -> date:
    return date(year, month, rng.randint(1, month_end(year, month).day))


def plan_projects(
    unit: Unit,
    year: int,
    targets: UnitTargets,
    pace: float,
    rng: random.Random,
    rhythm: random.Random,
) -> list[Project]:
    """A year's pipeline: projects signed this year plus negotiations that never close."""
    signed_n = max(3, round(city_target(targets, "signed_count") * pace * rng.uniform(0.97, 1.03)))
    amount = city_target(targets, "signed_amount") * pace * rng.uniform(0.98, 1.02)
    raw = [rng.lognormvariate(0, 1.0) for _ in range(signed_n)]
    sizes = deal_sizes([min(20.0, max(0.3, r * amount / sum(raw))) for r in raw], rhythm)
    thin = unit.unit_id == "LJX"  # its pipeline is thin: deals appear late and few
    projects = []
    end = date(year, 12, 31)
    for size, month in zip(sizes, signing_months(signed_n, rng), strict=True):
        value = round(size, 2)
        p = Project(
            unit.unit_id,
            pick_industry(unit, rng),
            value,
            value,
            appear=max(1, month - rng.randint(0, 1 if thin else 4)),
            signed_on=random_day(rng, year, month),
        )
        signed_on = cast(date, p.signed_on)
        if rng.random() < 0.25:
            p.total = round(value * rng.uniform(1.1, 1.6), 2)  # phased: only part signed now
        if rng.random() < 0.85 and (start := signed_on + timedelta(rng.randint(15, 100))) <= end:
            p.started_on = start
            if (
                p.total < 5
                and rng.random() < 0.5
                and (done := start + timedelta(rng.randint(40, 200))) <= end
            ):
                p.completed_on = done
        projects.append(p)
    for _ in range(round(signed_n * (0.12 if thin else 0.35))):
        value = round(min(20.0, max(0.3, rng.lognormvariate(0, 1.0) * amount / len(raw))), 2)
        p = Project(unit.unit_id, pick_industry(unit, rng), value, value, appear=rng.randint(1, 12))
        if rng.random() < 0.3:
            p.ended = p.appear + rng.randint(1, 4)
        projects.append(p)
    projects.sort(key=lambda p: (p.appear, p.signed_on or end))
    for seq, p in enumerate(projects, 1):
        p.project_id = f"{year}-{unit.unit_id}-{seq:03d}"
    mark_relocations(projects, share=0.35 if unit.unit_id == RELOCATOR else None, rng=rng)
    describe_projects(projects, rng)
    return projects


def deal_sizes(sizes: list[float], rng: random.Random) -> list[float]:
    """Order deal sizes so the running sum tracks an even path (with noise): otherwise the few
    big deals land by luck in one month and a leading unit trails for half a year."""
    remaining, ordered, running = sorted(sizes), [], 0.0
    for i in range(len(sizes)):
        goal = sum(sizes) * (i + 1) / len(sizes) * rng.uniform(0.9, 1.1)
        pick = min(remaining, key=lambda s: abs(running + s - goal))
        remaining.remove(pick)
        ordered.append(pick)
        running += pick
    return ordered


def signing_months(n: int, rng: random.Random) -> list[int]:
    """Stratified along the seasonal curve, so a unit's YTD follows its pace rather than luck."""
    cumulative = list(accumulate(MONTH_WEIGHTS))
    marks = [(i + rng.random()) / n * cumulative[-1] for i in range(n)]
    return [next(m for m, c in enumerate(cumulative, 1) if c >= mark) for mark in marks]


def pick_industry(unit: Unit, rng: random.Random) -> str:
    n = len(unit.industries)
    return rng.choices(unit.industries, weights=range(n + 1, 1, -1))[0]


def mark_relocations(projects: list[Project], *, share: float | None, rng: random.Random) -> None:
    """市内转调: keep the relocator above `share` of its YTD signed amount at every month end,
    and everyone else at or below 20% so only the relocator is flagged."""
    signed = sorted((p for p in projects if p.signed_on), key=lambda p: cast(date, p.signed_on))
    moved = total = 0.0
    for month in range(1, 13):
        batch = [p for p in signed if cast(date, p.signed_on).month == month]
        for p in batch:
            total += p.amount
            if share is None and rng.random() < 0.12 and (moved + p.amount) / total <= 0.2:
                p.nature, moved = "市内转调", moved + p.amount
        # Marking this month's largest deals lifts the share; marking all of them would give
        # at least last month's share, so the loop always gets back above `share`.
        for p in sorted(batch, key=lambda p: -p.amount):
            if share is None or moved >= share * total:
                break
            if p.nature != "市内转调":
                p.nature, moved = "市内转调", moved + p.amount


def describe_projects(projects: list[Project], rng: random.Random) -> None:
    """Names, investors, origins and flags, consistent with each project's nature."""
    used: set[str] = set()
    for p in projects:
        candidates = [
            (name, words[0]) for name, words in text.FORTUNE_500.items() if p.industry in words[1:]
        ]
        if p.nature == "市内转调":
            p.origin = "市内"
        elif p.total >= 5 and candidates and rng.random() < 0.12:
            p.investor, p.origin = rng.choice(candidates)
            p.f500 = True
        else:
            p.origin = rng.choices(("省内市外", "省外", "市内", "境外"), weights=(45, 40, 10, 5))[0]
            p.nature = rng.choices(("新建", "扩建", "增资", "技改"), weights=(60, 18, 10, 12))[0]
        short = p.investor.split("（")[0] if p.f500 else None
        if not p.f500:
            p.investor, short = text.investor_name(rng, p.origin, p.industry)
        for _ in range(6):  # names repeat within a unit's year only as a 二期
            p.name = text.project_name(rng, p.industry, short if rng.random() < 0.5 else None)
            if p.name not in used:
                break
        else:
            p.name += "（二期）"
        used.add(p.name)
        _, _, aliases, _, sei = INDUSTRY[p.industry]
        p.label = aliases.split(";")[0] if aliases and rng.random() < 0.2 else p.industry
        p.sei = rng.random() < sei


def plan_walks(
    unit: Unit, targets: UnitTargets, pace: float, rng: random.Random, rhythm: random.Random
) -> dict[str, list]:
    """YTD money, FDI and effort figures: non-negative monthly steps around the target path.
    Most of a month's swing is the unit's rhythm, the same every year, so that 同比 reflects
    the year's pace rather than which month a lump happened to fall in."""
    share = [w / sum(MONTH_WEIGHTS) for w in MONTH_WEIGHTS]
    funds = city_target(targets, "funds_in") * pace * rng.uniform(0.97, 1.03)
    fdi = (targets["fdi"][0] or 300) * pace * 0.85  # foreign capital is the city's weak spot
    out_share = rng.uniform(0.3, 0.6)
    effort = (pace + 1) / 2  # trips track the target less closely than results do
    steps: dict[str, list] = {
        k: [] for k in ("funds_in", "funds_out_prov", "fdi", "trips", "trip_persons", "visits")
    }
    for s in share:
        f = round(funds * s * rhythm.uniform(0.75, 1.25) * rng.uniform(0.95, 1.05), 2)
        trip_beat = rhythm.uniform(0.6, 1.4) * rng.uniform(0.9, 1.1)
        trips = max(0, round(city_target(targets, "trips") / 12 * effort * trip_beat))
        steps["funds_in"].append(f)
        steps["funds_out_prov"].append(round(f * out_share * rng.uniform(0.8, 1.2), 2))
        steps["fdi"].append(round(fdi * s * rhythm.uniform(0.3, 1.7) * rng.uniform(0.9, 1.1)))
        steps["trips"].append(trips)
        steps["trip_persons"].append(trips * rng.randint(3, 6))
        steps["visits"].append(rng.randint(1, 4) + round(40 * unit.weight * rng.random()))
    walks = {}
    for key, values in steps.items():
        ytd, running = [], 0.0
        for v in values:
            running = round(running + v, 2)
            ytd.append(running if key in AMOUNTS else int(running))
        walks[key] = ytd
    return walks


def plan_year(year: int, seed: int) -> YearPlan:
    city, targets = plan_targets(year, seed)
    paces = year_paces(year, seed)
    projects, walks = {}, {}
    for unit in UNITS:
        rng = random.Random(f"{seed}-{unit.unit_id}-{year}")
        # A unit's rhythm (when its big deals and money come in) repeats from year to year.
        deals, money = (random.Random(f"{seed}-{unit.unit_id}-{kind}") for kind in "dm")
        mine, pace = targets[unit.unit_id], paces[unit.unit_id]
        projects[unit.unit_id] = plan_projects(unit, year, mine, pace, rng, deals)
        walks[unit.unit_id] = plan_walks(unit, mine, pace, rng, money)
    return YearPlan(year, city, targets, projects, walks)


def unit_figures(plan: YearPlan, unit_id: str, month: int) -> Figures:
    """One unit's report row: counts from the ledger, the rest from the walks."""
    end = month_end(plan.year, month)
    ledger = [p for p in plan.projects[unit_id] if p.appear <= month]
    signed = [p for p in ledger if p.signed_on and p.signed_on <= end]
    figures: Figures = {
        "signed_count": len(signed),
        "signed_big_count": sum(p.total >= 1 for p in signed),
        "signed_amount": round(sum(p.amount for p in signed), 2),
        "started_count": sum(bool(p.started_on and p.started_on <= end) for p in ledger),
        "completed_count": sum(bool(p.completed_on and p.completed_on <= end) for p in ledger),
        "negotiating_count": sum(p.stage(end) == "在谈" for p in ledger),
    }
    figures.update({key: ytd[month - 1] for key, ytd in plan.walks[unit_id].items()})
    return figures


def blank_cells(year: int, month: int, seed: int) -> set[tuple[str, str]]:
    """A few non-headline cells left empty: committee rows (outside the 合计), and one county
    in the per-unit months, which have no 合计 row."""
    rng = random.Random(f"{seed}-blank-{year}-{month}")
    keys = ("funds_out_prov", "trip_persons", "visits")
    committees = [x for x in UNITS if not x.counted]
    cells = {(x.unit_id, rng.choice(keys)) for x in rng.sample(committees, 2)}
    if month_shape(year, month) == "per_unit":
        cells.add((rng.choice(("DYQ", "GRX", "DYKFQ")), "visits"))
    return cells


def month_rows(plan: YearPlan, month: int, seed: int) -> list[tuple[Unit, Figures]]:
    silent, blanks = silent_units(plan.year, month), blank_cells(plan.year, month, seed)
    rows = []
    for unit in UNITS:
        if unit.unit_id not in silent:
            figures = unit_figures(plan, unit.unit_id, month)
            rows.append(
                (unit, {k: None if (unit.unit_id, k) in blanks else v for k, v in figures.items()})
            )
    return rows
