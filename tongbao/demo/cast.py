"""The demo's cast: Dongying-like units and industries, their targets' scale, and the
rules by which a month's submission takes its shape. Indicators and groups are the
product's declarations (`tongbao.schema`); only how the bureau's form lays them out
is the demo's own."""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import GROUP_COUNTS_TO_CITY, STANDARD_INDICATORS
from ..schema import STANDARD_GROUPS as GROUP_NAMES

DECLARED = STANDARD_INDICATORS.all


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    group: str
    aliases: str
    weight: float  # share of the city's annual targets
    pace: float  # share of its target the unit tends to reach by December
    trades: str  # industries of its projects, most frequent first

    @property
    def counted(self) -> bool:
        return GROUP_COUNTS_TO_CITY[self.group]

    @property
    def industries(self) -> list[str]:
        return self.trades.split()


def _committee(uid: str, industry: str, alias: str, weight: float, pace: float = 1.0) -> Unit:
    return Unit(f"TCW_{uid}", f"{industry}产业投促委", "产业投促委", alias, weight, pace, industry)


# fmt: off
# 利津县 lags badly, 广饶县 and the 经开区 run far ahead; 河口区 leans on relocations.
UNITS = (
    Unit("DYQ", "东营区", "县区", "", 0.13, 1.0, "石油装备 电子信息 商贸服务 生物医药"),
    Unit("HKQ", "河口区", "县区", "", 0.09, 1.0, "石油化工 新材料 现代农业"),
    Unit("KLQ", "垦利区", "县区", "垦利县", 0.11, 1.0, "石油装备 有色金属 新材料 文化旅游"),
    Unit("GRX", "广饶县", "县区", "", 0.16, 1.25, "橡胶轮胎 汽车及配件 石油化工 文化旅游"),
    Unit("LJX", "利津县", "县区", "", 0.08, 0.55, "有色金属 现代农业 商贸服务"),
    Unit("DYKFQ", "东营经济技术开发区", "市属开发区", "东营开发区;经开区", 0.17, 1.3,
         "汽车及配件 生物医药 电子信息 新材料"),
    Unit("DYGKFQ", "东营港经济开发区", "市属开发区", "东营港开发区", 0.13, 1.0,
         "石油化工 新材料 现代物流"),
    Unit("ZHBSQ", "东营综合保税区", "市属开发区", "综保区", 0.06, 1.0,
         "现代物流 商贸服务 电子信息"),
    Unit("NGQ", "黄河三角洲农业高新技术产业示范区", "市属开发区", "农高区", 0.07, 1.0,
         "现代农业 生物医药 文化旅游"),
    _committee("WHLY", "文化旅游", "文旅投促委", 0.06),
    _committee("JCSS", "基础设施", "基础设施投促委", 0.08),
    _committee("QCPJ", "汽车及配件", "汽车投促委", 0.10),
    _committee("SYHG", "石油化工", "石化投促委", 0.14, 1.2),
    _committee("XJLT", "橡胶轮胎", "轮胎投促委", 0.08),
    _committee("SYZB", "石油装备", "石油装备投促委", 0.08),
    _committee("YSJS", "有色金属", "有色投促委", 0.07, 0.6),
    _committee("XCL", "新材料", "新材料投促委", 0.10),
    _committee("SWYY", "生物医药", "医药投促委", 0.06),
    _committee("XDWL", "现代物流", "物流投促委", 0.07),
)
SELF_BELOW = {"LJX", "NGQ"}  # set themselves targets below the city's (the speech's complaint)
NO_FDI_TARGET = {"NGQ", "TCW_WHLY", "TCW_JCSS"}
RELOCATOR = "HKQ"

# (产业编码, 产业名称, 别名, 项目类别, chance a project counts as 战略性新兴产业)
INDUSTRIES = (
    ("SYHG", "石油化工", "高端石化;石化", "工业", 0.1),
    ("QCPJ", "汽车及配件", "汽车零部件", "工业", 0.5),
    ("XJLT", "橡胶轮胎", "轮胎", "工业", 0.1),
    ("SYZB", "石油装备", "油气装备", "工业", 0.4),
    ("YSJS", "有色金属", "有色", "工业", 0.2),
    ("XCL", "新材料", "", "工业", 1.0),
    ("SWYY", "生物医药", "医药", "工业", 1.0),
    ("XDWL", "现代物流", "物流", "现代服务业", 0.1),
    ("WHLY", "文化旅游", "文旅", "文化旅游", 0.0),
    ("JCSS", "基础设施", "基建", "基础设施", 0.3),
    ("DZXX", "电子信息", "新一代信息技术", "工业", 1.0),
    ("XDNY", "现代农业", "农业", "现代农业", 0.2),
    ("SMFW", "商贸服务", "商贸", "现代服务业", 0.0),
)
INDUSTRY = {row[1]: row for row in INDUSTRIES}

# Headline targets at 2024 scale; True = units also set their own (自定) target.
CITY_BASE = {"signed_count": (330, True), "signed_amount": (880, True),
             "started_count": (200, False), "funds_in": (480, True),
             "fdi": (34000, False), "trips": (520, False)}
# fmt: on
AMOUNTS = {"signed_amount", "funds_in", "funds_out_prov"}
COUNT_KEYS = {"signed_count", "started_count", "trips"}
# A committee is set fewer trips than its share, and a few more starts.
COMMITTEE_SCALE = {"trips": 0.6, "started_count": 1.1}
# How the bureau's form heads each declared indicator: (merged header top, sub).
HEADERS = {
    "signed_count": ("签约项目", "个数"),
    "signed_big_count": ("签约项目", "其中亿元以上"),
    "signed_amount": ("签约项目", "金额(亿元)"),
    "started_count": ("开工项目(个)", None),
    "completed_count": ("竣工投产项目(个)", None),
    "funds_in": ("实际到位资金(亿元)", None),
    "funds_out_prov": ("其中省外到位资金(亿元)", None),
    "fdi": ("实际使用外资(万美元)", None),
    "trips": ("外出招商", "批次"),
    "trip_persons": ("外出招商", "人次"),
    "visits": ("接待来访客商(批次)", None),
    "negotiating_count": ("在谈项目(个)", None),
}
# (key, 中文名, unit, merged header top, merged header sub), in the declared order.
INDICATORS = tuple((i.key, i.name, i.unit, *HEADERS[i.key]) for i in DECLARED)
NAME = {i.key: i.name for i in DECLARED}
# The subtotal rows of the merged report: 一、县区, 二、市属开发区, …
GROUPS = tuple((f"{'一二三四五六七八九'[n]}、{g}", g) for n, g in enumerate(GROUP_NAMES))
# Spring Festival slows January and February; December is the year-end push.
MONTH_WEIGHTS = (0.7, 0.7, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 1.0, 1.1, 1.1, 1.3)
Figures = dict[str, float | int | None]
UnitTargets = dict[str, tuple[int | None, int | None]]  # key -> (市定, 自定)
Targets = dict[str, UnitTargets]  # by unit_id


def month_shape(year: int, month: int) -> str:
    """The submission shape of a month, by rule so a longer archive keeps the same mix."""
    if year % 2 == 0 and month == 10:
        return "csv"  # GBK CSV saved from Excel, 合计 first
    if (year % 2 == 0 and month in (3, 7)) or (year % 2 == 1 and month == 2):
        return "per_unit"  # one workbook per unit
    if year % 2 == 1 and month == 6:
        return "total_first"
    return "merged"


def silent_units(year: int, month: int) -> set[str]:
    return {"LJX"} if year % 2 == 1 and month == 4 else set()


def has_commentary(year: int, month: int) -> bool:
    return (year % 2, month) not in {(0, 2), (0, 8), (1, 10)}  # others: automatic summary


def has_revision(year: int, month: int) -> bool:
    return (year % 2, month) in {(0, 6), (1, 3)}  # corrected after the bulletin went out


def has_text_dates(year: int, month: int) -> bool:
    return year % 2 == 0 and month == 9  # the ledger clerk typed dates as text
