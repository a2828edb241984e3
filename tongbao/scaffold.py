"""Scaffold: a new month's Excel templates (one per unit) and its draft commentary.

`python build.py new 2024-06` writes `data/2024-06/<单位名称>.xlsx` for every
unit active that month and `content/2024-06.md` as a draft. Everything in a
template comes from the declarations (the project's indicators) and the unit
registry, so a filled-in template reads back without a single warning, and
an unfilled one leaves the month "not yet collected".

One file per unit rather than one workbook: the clerk sends each unit its own
file and saves the returned file over the template, with the same name; a
unit can only fill in its own row, its name is already spelled as the
registry knows it, and two units never edit one file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import periods
from .config import load_config
from .formats import period_label
from .issues import ERROR, Report
from .read.calendar import Planned, add_calendar_row
from .read.registry import Registry, Unit, load_registry
from .schema import CUMULATIVE, STANDARD_INDICATORS, Indicator, Indicators, month_indicators

TITLE_ROW, NOTE_ROW, HEADER_ROW, DATA_ROW, SIGN_ROW = 1, 2, 3, 4, 6
GUIDE_SHEET = "填报说明"


class Refused(Exception):
    """`new` will not go on (an existing month, a broken unit registry): exit code 1."""


@dataclass
class Scaffolded:
    period: str
    templates: list[Path] = field(default_factory=list)
    draft: Path | None = None
    from_data: bool = False  # the draft starts from the month's own figures
    kept_folder: bool = False  # data/<month>/ already held files: left as it was
    calendar: Planned | None = None  # the row `new` added to data/calendar.csv


def parse_month(text: str) -> str | None:
    """`2024-06` (full-width digits allowed) → `2024-06`; anything else → None."""
    period = unicodedata.normalize("NFKC", text).strip()
    return period if periods.is_period(period) else None


def months_label(period: str) -> str:
    """2024-06 → 2024年1-6月 (the spelling of the bureau's report titles)."""
    year, month = periods.split(period)
    return f"{year}年1月" if month == 1 else f"{year}年1-{month}月"


def report_title(period: str) -> str:
    return f"{months_label(period)}招商引资进展情况表"


def column_header(ind: Indicator) -> str:
    """`签约金额(亿元)`: the 中文名 the loader matches, with the unit it reads the column in."""
    return f"{ind.name}({ind.unit})"


def number_format(ind: Indicator) -> str:
    return "0." + "0" * ind.digits if ind.digits else "0"


def file_name(unit: Unit) -> str:
    """The unit's name as a file name (characters Windows refuses become _)."""
    name = re.sub(r'[\\/:*?"<>|]', "_", unit.name).strip(" .")
    return f"{name or unit.unit_id}.xlsx"


# --- the Excel template -------------------------------------------------------


def unit_workbook(
    unit: Unit, period: str, report_to: str = "", indicators: Indicators = STANDARD_INDICATORS
):
    """One unit's report template: title, header, the unit's row, formats, validation, 填报说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    to_fill = PatternFill("solid", fgColor="FFF9DB")
    width = 1 + len(indicators)
    last = get_column_letter(width)

    workbook = Workbook()
    ws = workbook.active
    ws.title = "进展情况"
    ws.cell(TITLE_ROW, 1, report_title(period)).font = Font(bold=True, size=14)
    ws.cell(TITLE_ROW, 1).alignment = center
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.cell(
        NOTE_ROW, 1, f"填报单位：{unit.name}　　统计期：{period_label(period)}（累计数）"
    ).font = Font(size=10)

    ws.cell(HEADER_ROW, 1, "单位")
    ws.cell(DATA_ROW, 1, unit.name)
    for col, ind in enumerate(indicators, start=2):
        ws.cell(HEADER_ROW, col, column_header(ind))
        cell = ws.cell(DATA_ROW, col)
        cell.number_format = number_format(ind)
        cell.fill = to_fill
        ws.column_dimensions[get_column_letter(col)].width = 13
    for col in range(1, width + 1):
        for row in (HEADER_ROW, DATA_ROW):
            ws.cell(row, col).border = box
        ws.cell(HEADER_ROW, col).font = Font(bold=True)
        ws.cell(HEADER_ROW, col).alignment = center
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.column_dimensions["A"].width = 24
    ws.cell(SIGN_ROW, 1, "填报人：　　　　　　审核人：　　　　　　联系电话：")
    ws.freeze_panes = ws.cell(DATA_ROW, 2)

    # Excel refuses text and negative numbers as they are typed (where the clerk can fix them).
    for col_index, ind in enumerate(indicators, start=2):
        rule = DataValidation(
            type="whole" if ind.is_count else "decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请填写数字",
            error=f"请填写不小于0的{'整数' if ind.is_count else '数字'}（单位：{ind.unit}），不要带文字；未统计的留空。",
            showInputMessage=True,
            promptTitle=ind.name[:32],
            prompt=f"单位：{ind.unit}；{'月末数' if ind.kind != CUMULATIVE else '1月至本月累计数'}",
        )
        col = get_column_letter(col_index)
        rule.add(f"{col}{DATA_ROW}")
        ws.add_data_validation(rule)

    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    guide = workbook.create_sheet(GUIDE_SHEET)
    write_guide_sheet(guide, unit, period, report_to, indicators)
    workbook.active = 0
    workbook.properties.creator = "tongbao"
    workbook.properties.title = report_title(period)
    return workbook


def guide_lines(
    unit: Unit, period: str, report_to: str = "", indicators: Indicators = STANDARD_INDICATORS
) -> list[str]:
    month = periods.month_of(period)
    span = "1月" if month == 1 else f"1—{month}月"
    stock = "、".join(f"“{i.name}”" for i in indicators if i.kind != CUMULATIVE)
    usd = "、".join(i.name for i in indicators if i.unit == "万美元")
    return [
        f"1. 本表由{unit.name}填写，统计期为{period_label(period)}。",
        f"2. {f'除{stock}外，' if stock else ''}各项都填{span}累计数（从1月1日到{month}月末），不是当月数。",
        f"3. {stock}填{month}月末的数（时点数）。" if stock else "3. 每一项都是累计数。",
        "4. 金额以亿元为单位，保留两位小数；按万元统计的请换算（10000万元 = 1亿元）。"
        + (f"{usd}以万美元为单位。" if usd else ""),
        "5. 只填数字：没有发生的填 0；未统计的留空。不要填“约5亿”“无”“5个”等文字，也不要填负数。",
        "6. 累计数比上月少（核减）的，照实填写，并在报送时说明原因。",
        "7. 请勿修改单位名称、表头和表格结构，不要增删行列；填报人、审核人和联系电话写在表下方。",
        f"8. 填好后保存为 .xlsx，文件名保持“{file_name(unit)}”，"
        + (f"报送{report_to}。" if report_to else "按通知要求报送。"),
    ]


def write_guide_sheet(
    ws, unit: Unit, period: str, report_to: str = "", indicators: Indicators = STANDARD_INDICATORS
) -> None:
    """填报说明: what each column means. No cell reads 单位, so the loader passes this sheet by."""
    from openpyxl.styles import Alignment, Font

    ws.cell(1, 1, f"填报说明（{report_title(period)}）").font = Font(bold=True, size=13)
    row = 3
    for line in guide_lines(unit, period, report_to, indicators):
        ws.cell(row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for col, text in enumerate(("指标", "计量单位", "口径"), start=1):
        ws.cell(row, col, text).font = Font(bold=True)
    for ind in indicators:
        row += 1
        ws.cell(row, 1, ind.name)
        ws.cell(row, 2, ind.unit)
        ws.cell(row, 3, "月末数" if ind.kind != CUMULATIVE else "1月至本月累计数")
    for letter, width in zip("ABCD", (30, 12, 20, 40), strict=True):
        ws.column_dimensions[letter].width = width


# --- the draft commentary -------------------------------------------------------


def _value_ref(ind: Indicator) -> str:
    ref = f"city.{ind.key}.ytd"
    if ind.unit == "亿元":
        return f"{{{{ {ref} | yi }}}}"
    if ind.unit == "万美元":
        return f"{{{{ {ref} | usd }}}}"
    return f"{{{{ {ref} }}}} {ind.unit}"


def summary_paragraph(figures: dict) -> str:
    """The automatic summary, written with figure references so the clerk can reword it.

    It follows `indicators.summary_sentence` clause by clause; references keep
    the text equal to the tables after any later correction of the data.
    """
    months = figures["months"]
    span = "1月" if months == 1 else f"1—{months}月"
    parts = []
    for ind in month_indicators(figures).headline:
        row = figures["city"][ind.key]
        if row["ytd"] is None:
            continue
        ref = f"city.{ind.key}"
        text = f"{ind.name.removesuffix(ind.unit)} {_value_ref(ind)}"
        clauses = []
        if row["rate"] is not None:
            clauses.append(f"完成年度目标的 {{{{ {ref}.rate | pct }}}}")
            clauses.append(f"{{{{ {ref}.gap_pp | pp }}}}")
        if row["yoy"] is not None:
            clauses.append(f"{{{{ {ref}.yoy | yoy }}}}")
        parts.append("，".join([text, *clauses]))
    if not parts:
        return "{{ summary }}"
    return f"{span}，全市" + "；".join(parts) + "。"


def _example_unit(registry: Registry, period: str) -> Unit | None:
    return next((u for u in registry.units if u.active_in(period)), None)


def draft_text(
    period: str,
    *,
    figures: dict | None,
    example: Unit | None,
    indicators: Indicators = STANDARD_INDICATORS,
) -> str:
    """content/<month>.md: a draft with the three usual sections.

    `{# … #}` is a comment: it never reaches the page, and the references in it
    are not evaluated until the clerk takes the braces away.
    """
    year, month = periods.split(period)
    example_unit, group = (example.name, example.group) if example else ("某单位", "同类单位")
    u = f'unit("{example_unit}")'
    # the examples quote the lead indicator (签约金额 in the standard set) and the first
    # headline count
    lead = indicators.lead or indicators.all[0]
    count = next((i for i in indicators.headline if i.is_count), lead)
    lk, ln = lead.key, lead.name
    if figures is not None:
        overview = summary_paragraph(figures)
        note = "上面一段按本月数据自动生成（与页面上的自动概述相同），可以直接修改文字；{{ … }} 是数据引用，生成网站时换成数字。"
    else:
        overview = "{{ summary }}"
        note = (
            "本月还没有数据。{{ summary }} 会换成自动概述；也可以改写为带引用的句子，例如：\n"
            f"全市{count.name} {{{{ city.{count.key}.ytd }}}} {count.unit}，{ln} {_value_ref(lead)}，"
            f"完成年度目标的 {{{{ city.{lk}.rate | pct }}}}，{{{{ city.{lk}.gap_pp | pp }}}}，"
            f"{{{{ city.{lk}.yoy | yoy }}}}。"
        )
    return f"""---
issue: {month}                # 期号：印在页面上为“{year}年第{month}期”
issued:                 # 印发日期，发布前填写，如 {_issue_date_example(period)}
draft: true             # 草稿不发布；写好后改为 false
# revisions:            # 发布后更正数据时填写修订说明（去掉行首的 #）
#   - date: {_issue_date_example(period)}
#     note: {example_unit}核减签约金额 1.20 亿元
---
{{# 这是注释：左花括号加井号开始、井号加右花括号结束，其间文字不会出现在页面上。写法见站点“使用说明”。 #}}
## 一、总体情况

{overview}

{{# {note} #}}

## 二、存在问题

{{# 例如：
一是工作推进不平衡。{example_unit}{ln}完成率仅为 {{{{ {u}.{lk}.rate | pct }}}}，{{{{ {u}.{lk}.gap_pp | pp }}}}，居{group}{{{{ {u}.{lk}.rank | rank }}}}。
二是项目储备不足。……
#}}

## 三、下步工作

{{# 例如：
一是全力冲刺年度目标。……
二是强化项目储备。……
#}}
"""


def _issue_date_example(period: str) -> str:
    return f"{periods.next_month(period)}-10"


# --- the command ----------------------------------------------------------------


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(
        p for p in folder.iterdir() if not p.name.startswith((".", "~$"))
    )


def _month_figures(root: Path, period: str, today: date | None) -> dict | None:
    """The month's own figures if its folder already holds data, else None."""
    from . import pipeline

    checked = pipeline.check(root, today=today)
    return checked.figures.get(period)


def scaffold_month(root: Path, period: str, *, today: date | None = None) -> Scaffolded:
    """Write the month's templates and draft; refuse to overwrite anything."""
    root = root.resolve()
    draft = root / "content" / f"{period}.md"
    folder = root / "data" / period
    if draft.exists():
        raise Refused(
            f"{period} 已经建立过：content/{period}.md 已存在，不会覆盖。"
            f"如需重新生成，请先把它改名或删除；各单位的报表请直接放入 data/{period}/。"
        )
    registry, issues = load_registry(root)
    if registry is None or any(i.level == ERROR for i in issues):
        report = Report(list(issues))
        raise Refused(f"单位名册有误，无法生成模板：\n{report.format()}")
    result = Scaffolded(period)
    # the bureau the units report to: a setting, else the issuer (mkdocs.yml)
    config, _ = load_config(root)
    report_to = str(config.value("report_to") or config.value("issuer") or "")
    figures = None
    if _has_files(folder):
        # Reports are already in: leave them alone and start the draft from their figures.
        result.kept_folder = True
        figures = _month_figures(root, period, today)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        for unit in registry.units:
            if not unit.active_in(period):
                continue
            path = folder / file_name(unit)
            unit_workbook(unit, period, report_to, registry.indicators).save(path)
            result.templates.append(path)
    draft.parent.mkdir(parents=True, exist_ok=True)
    example = _example_unit(registry, period)
    text = draft_text(period, figures=figures, example=example, indicators=registry.indicators)
    with draft.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    result.draft = draft
    result.from_data = figures is not None
    result.calendar = add_calendar_row(root, period)
    return result
