"""The 数据规范 page: the data contract, written from the same declarations the code reads.

Files and their columns (registry, ledger), indicators and header spellings
(schema), front matter (frontmatter), settings (config) and every issue code
(issues.CODES): a new column, key, setting or code shows here without an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from .. import layout
from ..codes import CODES, LEVEL_WORDS
from ..config import settings_table
from ..periods import FUTURE_MONTH_RULE
from ..read.calendar import COLUMNS as CALENDAR_COLUMNS
from ..read.calendar import REQUIRED as CALENDAR_REQUIRED
from ..read.frontmatter import FIELDS
from ..read.indicators import INDICATOR_COLUMNS, INDICATOR_FILE, MAX_DECIMALS
from ..read.ledger import _CHOICES, LEDGER_COLUMNS, LEDGER_REQUIRED
from ..read.registry import INDUSTRIES_REQUIRED, INDUSTRY_COLUMNS, UNIT_COLUMNS, UNITS_REQUIRED
from ..schema import (
    GROUP_COUNTS_TO_CITY,
    MISSING_TOKENS,
    STANDARD_GROUPS,
    STOCK,
    TOTAL_ROW_NAMES,
    UNIT_HEADERS,
    Indicators,
)

PAGE = layout.DATA_CONTRACT
TITLE = "数据规范"

_UNIT_RULES = {
    "unit_id": "英文字母、数字、_ 和 -；登记后不再改",
    "name": "网站上显示的名称",
    "group": "任意类别名称，如 "
    + "、".join(STANDARD_GROUPS)
    + "；排名在同类内进行，各类按其第一个单位的排序先后列出",
    "counts_to_city": "是/否；默认"
    + "、".join(g for g in STANDARD_GROUPS if GROUP_COUNTS_TO_CITY[g])
    + " 为 是，"
    + "、".join(g for g in STANDARD_GROUPS if not GROUP_COUNTS_TO_CITY[g])
    + " 为 否（避免重复计算）；其他类别必须填写",
    "aliases": "曾用名、简称，用 ; 或 ； 分隔",
    "ranked": "是/否，默认 是",
    "order": "整数，表格中的先后顺序",
    "active_from": "YYYY-MM，撤并、新设单位时填写",
    "active_to": "YYYY-MM，最后报送的月份",
}


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out + [""]


def _required(key: str, required: tuple[str, ...]) -> str:
    return "必填" if key in required else "可选"


def _files() -> list[str]:
    """What goes where: every file of data/ and content/."""
    lines = [
        f"# {TITLE}",
        "",
        "本页说明 `data/` 和 `content/` 中每个文件的写法、可接受的写法，以及检查时每个问题代码的意思和改法。"
        "本页由程序中的声明生成，与检查规则始终一致。",
        "",
        "## 文件一览",
        "",
        "```",
        "data/units.csv            单位名册（必需）",
        "data/industries.csv       产业目录（有项目台账时必需）",
        "data/targets/2024.xlsx    年度目标（也可以是 .csv）",
        "data/2024-05/*.xlsx|csv   月度报表：每个单位一个文件或合在一起均可",
        "data/2024-05/projects.xlsx  项目台账（可选；文件名以 projects 或“项目”开头）",
        "data/calendar.csv         发布日程（可选）",
        "content/2024-05.md        该月评述",
        f"{layout.record('2024-05')}    发布记录（程序生成，随该月一起提交，不要编辑）",
        "```",
        "",
        f"月份文件夹命名为 `YYYY-MM`（如 `2024-05`）。{FUTURE_MONTH_RULE}。"
        "Excel 临时文件（`~$` 开头）、隐藏文件和 .docx、.pdf 等其他文件会被忽略。"
        "CSV 可以是 UTF-8（带或不带 BOM）或 GBK/GB18030（Excel“另存为 CSV”）。"
        "提示中的行号与 Excel 左侧显示的一致；CSV 为行号。",
        "",
    ]
    return lines


def _registers() -> list[str]:
    """The two registers: units and industries."""
    lines = [
        "## 单位名册 data/units.csv",
        "",
    ]
    lines += _table(
        ["表头", "必填", "写法"],
        [
            [h, _required(k, UNITS_REQUIRED), _UNIT_RULES.get(k, "")]
            for h, k in UNIT_COLUMNS.items()
        ],
    )
    lines += ["## 产业目录 data/industries.csv", ""]
    lines += _table(
        ["表头", "必填", "写法"],
        [
            [
                h,
                _required(k, INDUSTRIES_REQUIRED),
                "用 ; 或 ； 分隔" if k == "aliases" else "不能重复",
            ]
            for h, k in INDUSTRY_COLUMNS.items()
        ],
    )
    lines += []
    return lines


_INDICATOR_RULES = {
    "key": "小写英文字母、数字和 _，不能重复：JSON、figures.csv 和评述（city.编码.ytd）中的名字",
    "name": "不能重复：页面上的名称，也是报表的表头",
    "aliases": "报表、目标表中这个指标的其他表头写法，用 ; 或 ； 分隔",
    "unit": "亿元、万元、万美元、个、批次、人次、人、家……（亿元指标的 万元 表头自动换算）",
    "kind": "累计（1月至本月累计）或 时点（月末数：没有本月数）",
    "decimals": f"0—{MAX_DECIMALS} 的整数，显示的小数位；默认金额 2 位、个数 0 位",
    "assessed": "是/否，默认 否：是 的指标有年度目标，因而有完成率、进度差、位次和亮灯",
    "headline": "是/否，默认 否：在卡片、总体情况表、红黑榜、往期列表中显示",
    "chart": "是/否，默认 否：画全市累计与目标进度的走势图",
    "order": "整数，页面上的先后顺序",
}


def _indicator_register() -> list[str]:
    lines = [
        f"## 指标表 {INDICATOR_FILE}（可选）",
        "",
        "指标是数据：增加、改名或删去一个指标，只需改这张表（以及报表和目标表中的对应列），"
        "不必改程序。没有这个文件时使用标准指标（见下节）。",
        "",
    ]
    lines += _table(
        ["表头", "必填", "写法"],
        [
            [h, "是" if k in ("key", "name", "unit", "kind") else "", _INDICATOR_RULES[k]]
            for h, k in INDICATOR_COLUMNS.items()
        ],
    )
    return lines


def _reports(indicators: Indicators) -> list[str]:
    """The monthly reports: headers, indicators, how numbers may be written."""
    lines = [
        "## 月度报表",
        "",
        f"表头要有单位列（{'、'.join(UNIT_HEADERS)} 之一）和指标列。指标列的表头写中文名，"
        "可带计量单位，如 `签约金额(亿元)`、`签约金额（万元）`（万元自动换算为亿元）。"
        "标题行、`单位：万元` 这类说明行、双层表头、合计行（"
        + "、".join(TOTAL_ROW_NAMES)
        + "）、小计行和“注：”“填报人：”等行都会被正确处理。",
        "",
    ]
    yes = {True: "是", False: ""}
    lines += _table(
        [
            "编码（评述中引用）",
            "指标名称（表头）",
            "计量单位",
            "口径",
            "小数位",
            "考核",
            "主要指标",
            "图表",
            "也认作",
        ],
        [
            [
                f"`{i.key}`",
                i.name,
                i.unit,
                "月末数" if i.kind == STOCK else "1月至本月累计",
                str(i.digits),
                yes[i.assessed],
                yes[i.headline],
                yes[i.chart],
                "、".join(i.aliases),
            ]
            for i in indicators
        ],
    )
    lines += [
        "数字可以写成 `1,234.5`、全角数字、`12.3亿元`、`8000万元`（即 0.8 亿元）、`5个`。"
        "表示未填报（不是 0）的写法："
        + "、".join(f"`{t}`" for t in sorted(MISSING_TOKENS) if t)
        + " 或空白；"
        "没有发生的请填 0。",
        "",
    ]
    return lines


def _targets_and_ledger() -> list[str]:
    """The year's targets and the project ledger."""
    lines = [
        "## 年度目标 data/targets/年份.xlsx",
        "",
        "每个单位一行（单位列同上），每个指标一列 `<中文名>市定目标`，可再加 `<中文名>自定目标`。"
        "`-`、`/` 或空白表示没有目标。可加一行“全市”填全市目标；没有时全市目标为计入全市单位之和。",
        "",
        "## 项目台账",
        "",
    ]
    lines += _table(
        ["表头", "必填", "可选值"],
        [
            [
                h,
                _required(k, LEDGER_REQUIRED),
                "、".join(_CHOICES[k])
                if k in _CHOICES
                else ("是/否（也可 √、Y、1；空白为否）" if k in {"is_sei", "is_f500"} else ""),
            ]
            for h, k in LEDGER_COLUMNS.items()
        ],
    )
    lines += [
        "金额列可带 `(亿元)` 或 `(万元)`；日期可写 `2024-05-04`、`2024.5.4`、`2024年5月4日` 或 Excel 日期。",
        "",
    ]
    return lines


def _commentary() -> list[str]:
    """The commentary's front matter."""
    lines = [
        "## 评述 content/YYYY-MM.md",
        "",
        "文件开头 `---` 与 `---` 之间写以下设置（都可以不写），之后是正文。"
        "文件可以是 UTF-8（带或不带 BOM）或 GBK/GB18030。写了表中没有的键，或值无法识别，检查会指出文件和行号。",
        "",
    ]
    lines += _table(["键", "意思", "写法"], [[f"`{f.key}`", f.name, f.spellings] for f in FIELDS])
    lines += [
        "正文中的 `{{ … }}` 引用数据，写法见“使用说明”页第六节；引用写错、无法计算时，检查会指出文件和行号。",
        "",
    ]
    return lines


def _calendar_and_record() -> list[str]:
    """The release calendar and the record."""
    lines = [
        "## 发布日程 data/calendar.csv（可选）",
        "",
    ]
    lines += _table(
        ["表头", "必填", "写法"],
        [
            [
                h,
                _required(k, CALENDAR_REQUIRED),
                "YYYY-MM，如 `2025-06`、`2025年6月`；每月一行"
                if k == "period"
                else "日期，如 `2025-07-10`、`2025年7月10日`",
            ]
            for h, k in CALENDAR_COLUMNS.items()
        ],
    )
    lines += [
        "它生成网站的日历订阅（.ics）、首页和最新一期的“下期计划印发”，以及往期通报的印发列。",
        "",
        "## 发布记录 published/YYYY-MM.json",
        "",
        "某月印发后（评述写了 `issued`、不是草稿），`python build.py` 写下该月发布时的全部数字、"
        "期号、印发日期、标题、评述正文和所读文件的摘要，请把这个文件与该月一起提交。以后每次构建"
        "都与它核对：有任何不同是错误 `published-changed`（列出变动和改动的文件），除非该月评述的 "
        "`revisions` 中有一条日期不早于记录日期的修订说明，这时通报显示更正说明（原发布 → 更正后，"
        "评述改动的句子为原文 → 更正后）。已印发的月份不能消失：改成草稿、删去印发日期、评述或数据"
        "文件夹是错误 `issued-removed`，除非在评述开头写明 `withdrawn`（撤回日期和原因）；撤回的通报"
        "保留页面（按发布记录显示，顶部注明已撤回），但不再作为最新一期，也不进入首页的红黑榜。"
        "记录文件是程序的输出，带有自身内容的摘要，不要编辑（改动过的记录是 `bad-record`）。",
        "",
    ]
    return lines


def _settings_and_codes() -> list[str]:
    """The settings and every problem code."""
    lines = [
        "## 网站设置 mkdocs.yml",
        "",
        "tongbao 的设置写在 `mkdocs.yml` 的 `extra:` → `tongbao:` 下；写错的设置名会提示最接近的正确名称。",
        "",
        settings_table(),
        "",
        "## 问题代码",
        "",
        "**错误**必须改正，有错误时不生成网站，已发布的网站保持不变；**警告**可以生成网站，"
        "但 `--strict`（发布时使用）会把警告也当作错误；**提示**仅供参考。",
        "",
    ]
    lines += _table(
        ["代码", "级别", "意思", "怎么改"],
        [
            [f"`{c.code}`", "／".join(LEVEL_WORDS[v] for v in c.levels), c.meaning, c.fix]
            for c in CODES
        ],
    )
    return lines


def contract_page(indicators: Indicators) -> str:
    """The page, with the project's indicators (data/indicators.csv or the standard set)."""
    sections: list[Callable[[], list[str]]] = [_files, _registers, _indicator_register]
    sections.append(partial(_reports, indicators))
    sections += [_targets_and_ledger, _commentary, _calendar_and_record, _settings_and_codes]
    return "\n".join(line for section in sections for line in section())
