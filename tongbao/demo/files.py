"""Demo archive, the files: the month's figures as a bureau receives them.

`tongbao.demo` decides what happened (rules + seed); this module writes it down
in the shapes real submissions take — the bureau's merged-header summary, one
workbook per unit with each clerk's quirks, a GBK CSV, the project ledger, the
targets workbook, the registry CSVs and the month's commentary. Every workbook
is saved with fixed timestamps so the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import periods
from ..exports.workbook import workbook_bytes
from . import text
from .cast import (
    AMOUNTS,
    CITY_BASE,
    GROUPS,
    INDICATORS,
    INDUSTRIES,
    INDUSTRY,
    NAME,
    UNITS,
    Figures,
    Unit,
    has_commentary,
    has_revision,
    has_text_dates,
    month_shape,
    silent_units,
)
from .plan import Project, YearPlan, month_end, month_rows

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
FORMATS = {"个": "0", "批次": "0", "人次": "0", "亿元": "0.00", "万美元": "#,##0"}
UNIT_OF = {row[0]: row[2] for row in INDICATORS}
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
# fmt: off
UNIT_COLUMNS = ("单位编码", "单位名称", "单位类别", "计入全市", "别名", "参与排名", "排序",
                "启用月份", "停用月份")
LEDGER_COLUMNS = ("项目编号", "项目名称", "责任单位", "所属产业", "项目类别", "战略性新兴产业",
                  "项目性质", "投资方", "资金来源", "世界500强", "总投资(亿元)", "签约金额(亿元)",
                  "项目阶段", "签约日期", "开工日期", "投产日期")
NOTE_ROWS = (("填报单位：东营市投资促进局", None), (None, "单位：亿元、个、万美元"),
             ("填报单位：东营市投资促进局", "单位：亿元、个"))
# fmt: on
# In per-unit months 河口区 reports money in 万元 and 垦利区 types its figures as text.
QUIRKS = {"HKQ": "wan", "KLQ": "text"}


@dataclass(frozen=True)
class Period:
    """One month being written: its figures and the clerk's habits that month."""

    plan: YearPlan
    month: int
    rows: list[tuple[Unit, Figures]]  # reporting units only
    dash: bool  # blanks typed as '-' rather than left empty
    stamp: datetime  # when the bureau compiled it: every file's fixed timestamp
    rng: random.Random  # cosmetic choices only (note rows, clerks' names)

    @property
    def span(self) -> str:
        return f"{self.plan.year}年1-{self.month}月"


def total_row(rows: list[tuple[Unit, Figures]]) -> Figures:
    """合计 = the counted units' sum, rounded like the inputs so the checksum is exact."""
    total: Figures = {}
    for key, *_ in INDICATORS:
        values = [v for unit, f in rows if unit.counted and (v := f[key]) is not None]
        total[key] = (round(sum(values), 2) if key in AMOUNTS else sum(values)) if values else None
    return total


def save_workbook(wb: Workbook, path: Path, stamp: datetime) -> None:
    """Save with the file's own timestamp (the demo regenerates byte for byte)."""
    wb.properties.creator = "东营市投资促进局"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(wb, stamp=stamp))


def write_csv(path: Path, rows: list, *, encoding: str = "utf-8", newline: str = "\n") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    wb.active.title = title
    return wb, wb.active


def put_title(ws: Worksheet, title: str, width: int, *, size: int = 14) -> None:
    ws.cell(1, 1, title).font = Font(bold=True, size=size)
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)


def put_cell(
    ws: Worksheet, row: int, col: int, value, *, fmt: str | None = None, bold: bool = False
) -> None:
    cell = ws.cell(row, col, value)
    cell.border = BOX
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font, cell.alignment = Font(bold=True), CENTER


def set_widths(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width


def flat_header(key: str, *, wan: bool = False) -> str:
    name, unit = NAME[key], UNIT_OF[key]
    if unit == "亿元":
        return f"{name}({'万元' if wan else '亿元'})"
    return f"{name}(万美元)" if unit == "万美元" else name


def write_units(path: Path) -> None:
    rows = [
        [x.unit_id, x.name, x.group, "是" if x.counted else "否", x.aliases, "是", order, "", ""]
        for order, x in enumerate(UNITS, 1)
    ]
    write_csv(path, [list(UNIT_COLUMNS)] + rows)


def write_calendar(path: Path, periods: list[tuple[int, int]]) -> None:
    """发布日程: reports due on the 5th, the bulletin planned for the 10th of the next
    month (moved to Monday when it falls on a weekend), one month past the data."""

    def workday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    year, month = periods[-1]
    following = [*periods, (year + 1, 1) if month == 12 else (year, month + 1)]
    rows: list[list[str]] = [["月份", "报送截止", "计划印发"]]
    for year, month in following:
        after = (year + 1, 1) if month == 12 else (year, month + 1)
        due, planned = workday(date(*after, 5)), workday(date(*after, 10))
        rows.append([f"{year:04d}-{month:02d}", due.isoformat(), planned.isoformat()])
    write_csv(path, rows, newline="\r\n")


def write_industries(path: Path) -> None:
    write_csv(path, [["产业编码", "产业名称", "别名"]] + [list(row[:3]) for row in INDUSTRIES])


def write_targets(path: Path, plan: YearPlan) -> None:
    """One row per unit, a 全市 row of the city's own targets, '-' where there is none."""
    columns = []
    for key, (_, has_self) in CITY_BASE.items():
        columns += [(key, 0, "市定目标")] + ([(key, 1, "自定目标")] if has_self else [])
    wb, ws = new_sheet("目标任务")
    put_title(ws, f"{plan.year}年度招商引资目标任务", len(columns) + 1, size=16)
    ws.cell(2, 1, "单位：亿元、个、万美元")
    for col, label in enumerate(["单位"] + [NAME[k] + kind for k, _, kind in columns], 1):
        put_cell(ws, 3, col, label, bold=True)
    put_cell(ws, 4, 1, "全市", bold=True)
    for col, (key, which, _) in enumerate(columns, 2):
        put_cell(ws, 4, col, plan.city[key] if which == 0 else None)
    for row, unit in enumerate(UNITS, 5):
        put_cell(ws, row, 1, unit.name)
        for col, (key, which, _) in enumerate(columns, 2):
            value = plan.targets[unit.unit_id][key][which]
            put_cell(ws, row, col, "-" if value is None and which == 0 else value, fmt="0")
    set_widths(ws, [34] + [12] * len(columns))
    save_workbook(wb, path, datetime(plan.year, 1, 15, 9, 0))


def put_merged_header(ws: Worksheet) -> None:
    """Rows 3–4: 单位 and single indicators merged down, 签约项目 / 外出招商 merged across."""
    put_cell(ws, 3, 1, "单位", bold=True)
    put_cell(ws, 4, 1, None)
    merges = [(3, 1, 4, 1)]
    for col, (_, _, _, top, sub) in enumerate(INDICATORS, 2):
        first = INDICATORS[col - 3][3] != top  # first column under a (shared) top label
        put_cell(ws, 3, col, top if first else None, bold=True)
        put_cell(ws, 4, col, sub, bold=True)
        if sub is None:
            merges.append((3, col, 4, col))
        elif first:
            merges.append((3, col, 3, col + sum(row[3] == top for row in INDICATORS) - 1))
    for top_row, left, bottom_row, right in merges:
        ws.merge_cells(start_row=top_row, start_column=left, end_row=bottom_row, end_column=right)


def write_merged_report(path: Path, p: Period, *, total_first: bool) -> None:
    """The bureau's own summary sheet: merged two-row header, group label rows, a 合计 row."""
    wb, ws = new_sheet("进展情况")
    width = len(INDICATORS) + 1
    put_title(ws, f"{p.span}全市招商引资进展情况表", width, size=16)
    left, right = p.rng.choice(NOTE_ROWS)
    ws.cell(2, 1, left)
    ws.cell(2, width - 2, right)
    put_merged_header(ws)
    body: list[tuple[str, Figures | None]] = []
    for label, group in GROUPS:
        body += [(label, None)] + [(unit.name, f) for unit, f in p.rows if unit.group == group]
    total = ("合计", total_row(p.rows))
    body = [total] + body if total_first else body + [total]
    for row, (name, figures) in enumerate(body, 5):
        put_cell(ws, row, 1, name, bold=figures is None or name == "合计")
        for col, (key, *_) in enumerate(INDICATORS, 2):
            value = figures[key] if figures else None
            blank = "-" if figures and p.dash else None
            put_cell(ws, row, col, blank if value is None else value, fmt=FORMATS[UNIT_OF[key]])
    filler, checker = p.rng.choice(text.REVIEWERS)
    ws.cell(len(body) + 5, 1, f"注：本表数据为1-{p.month}月累计，在谈项目为月末数。")
    ws.cell(len(body) + 6, 1, f"填报人：{filler}　　审核人：{checker}")
    set_widths(ws, [34] + [11] * len(INDICATORS))
    ws.freeze_panes = "B5"
    save_workbook(wb, path, p.stamp)


def typed_value(key: str, value: float | int | None, style: str) -> float | int | str | None:
    """How a unit's clerk typed a figure: 万元 for money, or text (full-width, thousands commas)."""
    if value is None:
        return None
    if style == "wan" and key in AMOUNTS:
        return round(value * 10000)
    if style == "text":
        return f"{value:.2f}".translate(FULL_WIDTH) if key in AMOUNTS else f"{value:,}"
    return value


def write_unit_file(path: Path, p: Period, unit: Unit, figures: Figures) -> None:
    """A unit's own submission: title row, flat header, one row, the clerk's quirks."""
    style = QUIRKS.get(unit.unit_id, "plain")
    wb, ws = new_sheet("进展情况")
    headers = ["单位"] + [flat_header(key, wan=style == "wan") for key, *_ in INDICATORS]
    put_title(ws, f"{unit.name}{p.span}招商引资进展情况", len(headers))
    for col, label in enumerate(headers, 1):
        put_cell(ws, 2, col, label, bold=True)
    put_cell(ws, 3, 1, unit.name)
    for col, (key, *_) in enumerate(INDICATORS, 2):
        value = typed_value(key, figures[key], style)
        fmt = "#,##0" if style == "wan" and key in AMOUNTS else FORMATS[UNIT_OF[key]]
        blank = "-" if p.dash else None
        put_cell(
            ws, 3, col, blank if value is None else value, fmt=None if style == "text" else fmt
        )
    ws.cell(5, 1, f"填报人：{p.rng.choice(text.REVIEWERS)[0]}")
    set_widths(ws, [34] + [13] * len(INDICATORS))
    save_workbook(wb, path, p.stamp)


def write_report_csv(path: Path, p: Period) -> None:
    """Excel's 另存为CSV on a Chinese Windows: GBK, CRLF, 合计 first, blanks empty."""

    def cell(key: str, value: float | int | None) -> str:
        return "" if value is None else f"{value:.2f}" if key in AMOUNTS else str(value)

    keys = [row[0] for row in INDICATORS]
    lines = [["单位"] + [flat_header(key) for key in keys]]
    for name, figures in [("合计", total_row(p.rows))] + [(u.name, f) for u, f in p.rows]:
        lines.append([name] + [cell(key, figures[key]) for key in keys])
    write_csv(path, lines, encoding="gbk", newline="\r\n")


def ledger_date(day: date | None, *, as_text: bool, row: int) -> date | str | None:
    if day is None or not as_text:
        return day
    return f"{day.year}.{day.month}.{day.day}" if row % 2 else f"{day:%Y}年{day.month}月{day.day}日"


def ledger_row(project: Project, owner: str, end: date) -> list:
    """A project as the ledger shows it at `end`: later dates are not known yet."""
    x = project
    days = [d if d and d <= end else None for d in (x.signed_on, x.started_on, x.completed_on)]
    return [
        x.project_id,
        x.name,
        owner,
        x.label,
        INDUSTRY[x.industry][3],
        "是" if x.sei else "否",
        x.nature,
        x.investor,
        x.origin,
        "是" if x.f500 else "否",
        x.total,
        x.amount if days[0] else None,
        x.stage(end),
        *days,
    ]


def write_ledger(path: Path, p: Period, *, text_dates: bool) -> None:
    """The ledger as of month end: this year's pipeline, each project at its current stage."""
    end = month_end(p.plan.year, p.month)
    wb, ws = new_sheet("项目台账")
    for col, label in enumerate(LEDGER_COLUMNS, 1):
        put_cell(ws, 1, col, label, bold=True)
    # A unit that sent nothing this month sent no ledger either; zone clerks write their
    # short names (the registry resolves aliases).
    listed = [
        (x, unit.aliases.split(";")[0] if unit.group == "市属开发区" else unit.name)
        for unit, _ in p.rows
        for x in p.plan.projects[unit.unit_id]
        if x.appear <= p.month
    ]
    for row, (project, owner) in enumerate(listed, 2):
        values = ledger_row(project, owner, end)
        values[13:] = [ledger_date(d, as_text=text_dates, row=row) for d in values[13:]]
        ws.append(values)  # body cells unstyled: styling 500 rows a month dominates run time
        for col in (11, 12, 14, 15, 16):
            cell = ws.cell(row, col)
            if cell.value is not None and not isinstance(cell.value, str):
                cell.number_format = "0.00" if col < 14 else "yyyy-mm-dd"
    set_widths(ws, [16, 40, 12, 10, 10, 8, 8, 30, 10, 8, 10, 10, 8, 14, 14, 14])
    ws.freeze_panes = "C2"
    save_workbook(wb, path, p.stamp)


def make_snapshot(p: Period, *, has_base: bool) -> text.Snapshot:
    """What the commentary needs to choose true sentences: rates, pipelines, relocation shares."""
    reported = {unit.unit_id: f for unit, f in p.rows}
    end = month_end(p.plan.year, p.month)
    stats = []
    for unit in UNITS:
        f, t = reported.get(unit.unit_id), p.plan.targets[unit.unit_id]
        rate = {
            k: value / target if f and (target := t[k][0]) and (value := f[k]) is not None else None
            for k in CITY_BASE
        }
        signed = [x for x in p.plan.projects[unit.unit_id] if x.signed_on and x.signed_on <= end]
        amount = sum(x.amount for x in signed)
        moved = sum(x.amount for x in signed if x.nature == "市内转调")
        city_t, self_t = t["signed_amount"]
        stats.append(
            text.UnitStat(
                unit.name,
                unit.group,
                f is not None,
                rate,
                cast("int | None", f["negotiating_count"]) if f else None,
                moved / amount if amount else 0.0,
                self_t is not None and city_t is not None and self_t < city_t,
            )
        )
    total = total_row(p.rows)
    city_rate = {
        k: value / p.plan.city[k] if (value := total[k]) is not None else None for k in CITY_BASE
    }
    completed = int(total["completed_count"] or 0)
    return text.Snapshot(p.plan.year, p.month, has_base, stats, city_rate, completed)


def write_commentary(path: Path, p: Period, *, has_base: bool, seed: int) -> None:
    rng = random.Random(f"{seed}-text-{p.plan.year}-{p.month}")
    names = [unit.name for unit, _ in p.rows if unit.counted]
    revised = names if has_revision(p.plan.year, p.month) else []
    silent = [u.name for u in UNITS if u.unit_id in silent_units(p.plan.year, p.month)]
    front = text.front_matter(p.plan.year, p.month, rng, revision_units=revised, unreported=silent)
    body = text.commentary(make_snapshot(p, has_base=has_base), rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(front + body, encoding="utf-8", newline="\n")


def write_month(root: Path, plan: YearPlan, month: int, *, has_base: bool, seed: int) -> None:
    year, shape = plan.year, month_shape(plan.year, month)
    folder = root / "data" / periods.period_of(year, month)
    rng = random.Random(f"{seed}-shape-{year}-{month}")
    compiled = datetime.combine(month_end(year, month) + timedelta(5), time(9))
    p = Period(plan, month, month_rows(plan, month, seed), rng.random() < 0.5, compiled, rng)
    if shape == "csv":
        write_report_csv(folder / "report.csv", p)
    elif shape == "per_unit":
        for unit, figures in p.rows:
            write_unit_file(folder / f"{unit.name}.xlsx", p, unit, figures)
    else:
        write_merged_report(folder / "report.xlsx", p, total_first=shape == "total_first")
    write_ledger(folder / "projects.xlsx", p, text_dates=has_text_dates(year, month))
    if has_commentary(year, month):
        write_commentary(
            root / "content" / f"{year}-{month:02d}.md", p, has_base=has_base, seed=seed
        )
