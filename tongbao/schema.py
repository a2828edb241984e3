"""Declarations: what the bureau's files contain and how figures are judged.

Everything another stage checks or computes is declared here as data — the
indicator table, accepted header variants, unit groups, words that mark
total/subtotal/footnote rows, missing-value tokens, light thresholds — so the
口径说明 page can be generated from the same source the code reads.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

CUMULATIVE = "cumulative"
STOCK = "stock"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str  # 中文名, also the report header
    unit: str  # 亿元, 个, 万美元, 批次, 人次
    kind: str  # cumulative (1—M月累计) or stock (month-end level)
    headline: bool = False
    chart: bool = False  # gets chart 2, the city's 累计 against the target pace (图表 是/否)

    @property
    def is_money(self) -> bool:
        """Amounts in 亿元 are the ones a 万元 header or title converts."""
        return self.unit == "亿元"

    @property
    def is_count(self) -> bool:
        return self.unit in {"个", "批次", "人次"}


# The indicator table (shown on the 数据规范 and 口径说明 pages). A city adds an indicator by adding a row.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("signed_count", "签约项目", "个", CUMULATIVE, headline=True),
    Indicator("signed_big_count", "其中亿元以上项目", "个", CUMULATIVE),
    Indicator("signed_amount", "签约金额", "亿元", CUMULATIVE, headline=True, chart=True),
    Indicator("started_count", "开工项目", "个", CUMULATIVE, headline=True),
    Indicator("completed_count", "竣工投产项目", "个", CUMULATIVE),
    Indicator("funds_in", "实际到位资金", "亿元", CUMULATIVE, headline=True, chart=True),
    Indicator("funds_out_prov", "其中省外到位资金", "亿元", CUMULATIVE),
    Indicator("fdi", "实际使用外资", "万美元", CUMULATIVE, headline=True, chart=True),
    Indicator("trips", "外出招商批次", "批次", CUMULATIVE, headline=True),
    Indicator("trip_persons", "外出招商人次", "人次", CUMULATIVE),
    Indicator("visits", "接待来访客商", "批次", CUMULATIVE),
    Indicator("negotiating_count", "在谈项目", "个", STOCK),
)
INDICATOR_BY_KEY = {ind.key: ind for ind in INDICATORS}
HEADLINE = tuple(ind for ind in INDICATORS if ind.headline)
CHARTED = tuple(ind for ind in INDICATORS if ind.chart)  # chart 2, one each

# The figures of each indicator in site/data/YYYY-MM.json: a unit's, and the city's.
UNIT_FIGURES = (
    "ytd",
    "month",
    "target",
    "target_self",
    "rate",
    "gap_pp",
    "yoy",
    "rank",
    "rank_tied",
    "rank_change",
    "light",
)
CITY_FIGURES = ("ytd", "month", "target", "rate", "gap_pp", "yoy")

# Header spellings seen in real submissions, besides each indicator's 中文名.
# A merged two-row header is matched as upper+lower ("签约项目"+"个数").
HEADER_VARIANTS: dict[str, str] = {
    "签约项目个数": "signed_count",
    "签约项目数": "signed_count",
    "签约项目数量": "signed_count",
    "签约项目其中亿元以上": "signed_big_count",
    "签约项目其中亿元以上项目": "signed_big_count",
    "其中亿元以上": "signed_big_count",
    "亿元以上项目": "signed_big_count",
    "签约项目金额": "signed_amount",
    "签约项目签约金额": "signed_amount",
    "开工项目个数": "started_count",
    "开工项目数": "started_count",
    "竣工投产项目个数": "completed_count",
    "竣工项目": "completed_count",
    "到位资金": "funds_in",
    "实际到位资金其中省外": "funds_out_prov",
    "其中省外": "funds_out_prov",
    "省外到位资金": "funds_out_prov",
    "实际到位资金其中省外到位资金": "funds_out_prov",
    "实际利用外资": "fdi",
    "外出招商批次": "trips",
    "外出招商人次": "trip_persons",
    "外出招商次数": "trips",
    "接待来访客商批次": "visits",
    "在谈项目个数": "negotiating_count",
    "在谈项目数": "negotiating_count",
}

# The unit groups are data (单位类别 in units.csv, any name): these three standard ones
# have a default for 计入全市 (any other group must say), and a report row holding one of
# them is a subtotal. Committees are credited with projects that also land in a county or
# zone: adding them would count those twice.
STANDARD_GROUPS: tuple[str, ...] = ("县区", "市属开发区", "产业投促委")
GROUP_COUNTS_TO_CITY = {"县区": True, "市属开发区": True, "产业投促委": False}


def month_groups(figures: dict) -> list[dict]:
    """A month's groups in the register's order, each `{"name", "counts_to_city"}`: as the
    month's figures list them, or, for figures from before they did (an older record),
    as its units meet them, with the standard defaults."""
    if figures.get("groups") is not None:
        return figures["groups"]
    names = dict.fromkeys(u["group"] for u in figures.get("units") or [])
    return [{"name": g, "counts_to_city": GROUP_COUNTS_TO_CITY.get(g, True)} for g in names]


def group_names(figures: dict) -> tuple[str, ...]:
    return tuple(g["name"] for g in month_groups(figures))


def not_city_groups(figures: dict) -> str:
    """The groups whose units do not add into the city total, as words (产业投促委)."""
    return "、".join(g["name"] for g in month_groups(figures) if not g["counts_to_city"])


UNIT_HEADERS = ("单位", "单位名称", "责任单位", "单位编码", "填报单位名称")
TOTAL_ROW_NAMES = ("合计", "总计", "全市", "全市合计", "全市总计")
SUBTOTAL_PATTERN = re.compile(
    r"^([一二三四五六七八九十]+[、.．]|\(?[一二三四五六七八九十]+\)|小计|.*小计$)"
)
FOOTNOTE_PREFIXES = ("注", "备注", "说明", "填报人", "审核人", "联系电话", "制表", "负责人", "填表")
MISSING_TOKENS = frozenset({"", "-", "--", "—", "——", "–", "/", "无", "空", "n/a", "N/A", "NA"})

# Trailing units accepted in number cells, and their factor to 亿元.
MONEY_SUFFIXES = {"亿元": 1.0, "亿": 1.0, "万元": 1e-4, "万": 1e-4, "元": 1e-8}
COUNT_SUFFIXES = ("个", "项", "批次", "批", "人次", "人", "家", "次", "万美元")

# Light thresholds (percentage points behind time progress) are settings: tongbao/config.py.
LIGHT_WORDS = {"green": "绿", "yellow": "黄", "red": "红"}


_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16, typed=True)  # ledgers repeat the same values
def normalize_text(value: object) -> str:
    """Fold full-width forms and drop all white space: how headers and names compare."""
    if type(value) is str:
        return _normalized(value)
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


@functools.lru_cache(maxsize=1 << 16)
def _normalized(text: str) -> str:
    """normalize_text of a text: the same few names and headers come back in every file."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def split_header_unit(header: str) -> tuple[str, str | None]:
    """`签约金额(亿元)` → (`签约金额`, `亿元`); brackets full- or half-width."""
    text = normalize_text(header)
    match = re.match(r"^(.*?)[(\[]([^()\[\]]*)[)\]]$", text)
    if match:
        return match.group(1), match.group(2) or None
    return text, None


def match_indicator(*parts: str) -> str | None:
    """Return the indicator key a header (one or two rows) names, or None."""
    cleaned = [split_header_unit(p)[0] for p in parts if p and normalize_text(p)]
    candidates = []
    if len(cleaned) >= 2:
        candidates.append("".join(cleaned))
        candidates.append(cleaned[-1])
    elif cleaned:
        candidates.append(cleaned[0])
    for name in candidates:
        name = name.replace("：", "").replace(":", "")
        for ind in INDICATORS:
            if name == ind.name:
                return ind.key
        if name in HEADER_VARIANTS:
            return HEADER_VARIANTS[name]
    return None
