"""附表下载: a bulletin's published tables as one .xlsx (a sheet per group), numbers as numbers."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from . import formats
from .schema import GROUPS, INDICATORS, LIGHT_WORDS
from .workbook import workbook_bytes

FIGURE_COLUMNS = (
    ("ytd", "累计"),
    ("month", "本月"),
    ("target", "市定目标"),
    ("target_self", "自定目标"),
    ("rate", "完成率"),
    ("gap_pp", "进度差(个百分点)"),
    ("yoy", "同比"),
    ("rank", "位次"),
    ("light", "亮灯"),
)
PERCENT = {"rate", "yoy"}


def _cell_value(key: str, row: dict) -> object:
    value = row[key]
    if key == "light":
        return LIGHT_WORDS.get(value, "") if value else None
    if key == "rank" and value is not None:
        return formats.rank(value, row["rank_tied"]).replace("位", "")
    return value


def bulletin_workbook(figures: dict, *, title: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for group in GROUPS:
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        ws = wb.create_sheet(group)
        ws.append([f"{title} {formats.period_label(figures['period'])} {group}"])
        ws["A1"].font = Font(bold=True, size=12)
        top, sub = ["单位", "报送"], ["", ""]
        for ind in INDICATORS:
            top += [f"{ind.name}({ind.unit})"] + [""] * (len(FIGURE_COLUMNS) - 1)
            sub += [label for _, label in FIGURE_COLUMNS]
        ws.append(top)
        ws.append(sub)
        for i in range(len(INDICATORS)):
            first = 3 + i * len(FIGURE_COLUMNS)
            ws.merge_cells(
                start_row=2,
                start_column=first,
                end_row=2,
                end_column=first + len(FIGURE_COLUMNS) - 1,
            )
        for unit in units:
            row = [unit["name"], "是" if unit["reported"] else "未报送"]
            for ind in INDICATORS:
                figs = unit["indicators"][ind.key]
                row += [_cell_value(key, figs) for key, _ in FIGURE_COLUMNS]
            ws.append(row)
        _format(ws, len(units))
    ws = wb.create_sheet("全市")
    ws.append(["指标", "单位", "累计", "本月", "目标", "完成率", "进度差(个百分点)", "同比"])
    for ind in INDICATORS:
        c = figures["city"][ind.key]
        ws.append(
            [
                ind.name,
                ind.unit,
                c["ytd"],
                c["month"],
                c["target"],
                c["rate"],
                c["gap_pp"],
                c["yoy"],
            ]
        )
    for row in ws.iter_rows(min_row=2, min_col=6, max_col=8):
        row[0].number_format = row[2].number_format = "0.00%"
        row[1].number_format = "0.00"
    projects = figures.get("projects")
    if projects:
        for name, rows in (
            ("亿元以上项目", projects["big"]),
            ("世界500强项目", projects["f500"]),
            ("本月新签约项目", projects["new_this_month"]),
        ):
            _project_sheet(wb.create_sheet(name), rows)
    return workbook_bytes(wb)


PROJECT_COLUMNS = (
    ("project_id", "项目编号"),
    ("name", "项目名称"),
    ("unit", "责任单位"),
    ("industry", "所属产业"),
    ("category", "项目类别"),
    ("nature", "项目性质"),
    ("investor", "投资方"),
    ("origin", "资金来源"),
    ("total_investment", "总投资(亿元)"),
    ("signed_amount", "签约金额(亿元)"),
    ("stage", "项目阶段"),
    ("signed_on", "签约日期"),
)


def _project_sheet(ws, rows: list[dict]) -> None:
    ws.append([label for _, label in PROJECT_COLUMNS])
    for row in rows:
        ws.append([row[key] for key, _ in PROJECT_COLUMNS])
    ws.freeze_panes = "A2"
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["G"].width = 28
    for cells in ws.iter_rows(min_row=2, min_col=9, max_col=10):
        for cell in cells:
            cell.number_format = "0.00"


def _format(ws, count: int) -> None:
    ws.freeze_panes = "C4"
    ws.column_dimensions["A"].width = 24
    for cell in ws[2]:
        cell.alignment = Alignment(horizontal="center")
    for c_index in range(3, ws.max_column + 1):
        key = FIGURE_COLUMNS[(c_index - 3) % len(FIGURE_COLUMNS)][0]
        ind = INDICATORS[(c_index - 3) // len(FIGURE_COLUMNS)]
        ws.column_dimensions[get_column_letter(c_index)].width = 10
        for r_index in range(4, 4 + count):
            cell = ws.cell(r_index, c_index)
            if key in PERCENT:
                cell.number_format = "0.00%"
            elif key == "gap_pp":
                cell.number_format = "0.00"
            elif key in {"ytd", "month", "target", "target_self"}:
                cell.number_format = "0" if ind.is_count else "0.00"
