"""Demo archive: a seeded, deterministic generator of Dongying-like monthly submissions.

    python -m tongbao.demo [--root DIR] [--months N] [--start YYYY-MM]

Everything comes from rules and the seed (no clock, no per-month data), so the
same code writes the committed two-year demo and a ten-year benchmark archive.
Report counts are derived from the generated project ledger, so the two agree;
money, FDI and trips are seeded random walks. File shapes vary by month the
way real submissions do (see `month_shape`); `tongbao.demo.files` writes them.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from .. import periods
from . import files
from .plan import plan_year


def list_periods(start: str, months: int) -> list[tuple[int, int]]:
    first = periods.index(start) - 1
    return [(i // 12, i % 12 + 1) for i in range(first, first + months)]


def generate(root: Path, *, start: str = "2024-01", months: int = 24, seed: int = 20240101) -> None:
    """Write root/data and root/content for `months` months from `start`. Files of the same
    names are overwritten; nothing else is removed."""
    periods = list_periods(start, months)
    plans = {year: plan_year(year, seed) for year in sorted({y for y, _ in periods})}
    files.write_units(root / "data" / "units.csv")
    files.write_industries(root / "data" / "industries.csv")
    files.write_calendar(root / "data" / "calendar.csv", periods)
    for plan in plans.values():
        files.write_targets(root / "data" / "targets" / f"{plan.year}.xlsx", plan)
    covered = set(periods)
    for year, month in periods:
        files.write_month(
            root, plans[year], month, has_base=(year - 1, month) in covered, seed=seed
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tongbao.demo",
        description="生成演示数据：data/ 月度报表、项目台账、目标，content/ 评述",
    )
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--start", default="2024-01", help="首月 YYYY-MM（默认 2024-01）")
    parser.add_argument("--months", type=int, default=24, help="月数（默认 24）")
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args(argv)
    try:
        datetime.strptime(args.start, "%Y-%m")
    except ValueError:
        parser.error(f"--start 应为 YYYY-MM，收到 {args.start!r}")
    if args.months < 1:
        parser.error("--months 至少为 1")
    generate(args.root, start=args.start, months=args.months, seed=args.seed)


if __name__ == "__main__":
    main()
