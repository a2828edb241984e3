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
from collections.abc import Iterator
from dataclasses import dataclass, field

CUMULATIVE = "cumulative"
STOCK = "stock"

# Units whose figures are whole numbers (shown without decimals unless 小数位 says otherwise).
COUNT_UNITS = frozenset({"个", "项", "批次", "批", "人次", "人", "家", "次", "户"})


@dataclass(frozen=True)
class Indicator:
    """One row of data/indicators.csv (or of the standard set)."""

    key: str  # 编码: the key in JSON, figures.csv and commentary
    name: str  # 指标名称, also the report header
    unit: str  # 计量单位: 亿元, 个, 万美元, 批次, 人次 …
    kind: str  # 口径: cumulative (1—M月累计) or stock (month-end level)
    headline: bool = False  # 主要指标: cards, overview table, 红黑榜, archive table
    chart: bool = False  # 图表: gets chart 2, the city's 累计 against the target pace
    assessed: bool = False  # 考核: has targets, so 完成率, 进度差, 位次, 亮灯
    aliases: tuple[str, ...] = ()  # 表头别名: other header spellings
    decimals: int | None = None  # 小数位; None: 2 for amounts, 0 for counts
    order: int = 0  # 排序

    @property
    def is_money(self) -> bool:
        """Amounts in 亿元 are the ones a 万元 header or title converts."""
        return self.unit == "亿元"

    @property
    def is_count(self) -> bool:
        return self.unit in COUNT_UNITS

    @property
    def digits(self) -> int:
        """Digits shown after the point."""
        if self.decimals is not None:
            return self.decimals
        return 0 if self.is_count else 2

    @property
    def own_digits(self) -> bool:
        """Whether 小数位 differs from the default (2 for amounts, 0 for counts)."""
        return self.digits != (0 if self.is_count else 2)

    def declaration(self) -> dict:
        """What a month's figures say about the indicator (figures["indicators"])."""
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "kind": self.kind,
            "decimals": self.digits,
            "assessed": self.assessed,
            "headline": self.headline,
            "chart": self.chart,
        }

    @classmethod
    def from_declaration(cls, row: dict) -> Indicator:
        return cls(
            row["key"],
            row["name"],
            row["unit"],
            row["kind"],
            headline=bool(row.get("headline")),
            chart=bool(row.get("chart")),
            assessed=bool(row.get("assessed")),
            decimals=row.get("decimals"),
        )


@dataclass(frozen=True)
class Indicators:
    """A project's indicators in page order, with the views stages ask for. Frozen:
    read once from data/indicators.csv (or the standard set) and passed along."""

    all: tuple[Indicator, ...]
    by_key: dict[str, Indicator] = field(init=False, compare=False, repr=False)
    headline: tuple[Indicator, ...] = field(init=False, compare=False, repr=False)
    charted: tuple[Indicator, ...] = field(init=False, compare=False, repr=False)  # chart 2
    assessed: tuple[Indicator, ...] = field(init=False, compare=False, repr=False)
    _headers: dict[str, str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.all, key=lambda i: i.order))  # stable: file order on ties
        headers: dict[str, str] = {}
        for ind in ordered:
            for text in ind.aliases:
                headers.setdefault(_header_key(text), ind.key)
        for ind in ordered:  # a name always means its own indicator
            headers[_header_key(ind.name)] = ind.key
        set_ = object.__setattr__
        set_(self, "all", ordered)
        set_(self, "by_key", {i.key: i for i in ordered})
        set_(self, "headline", tuple(i for i in ordered if i.headline))
        set_(self, "charted", tuple(i for i in ordered if i.chart))
        set_(self, "assessed", tuple(i for i in ordered if i.assessed))
        set_(self, "_headers", headers)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def __getitem__(self, key: str) -> Indicator:
        return self.by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self.by_key

    @property
    def lead(self) -> Indicator | None:
        """The indicator charts 1 and 3 and a unit page's line show: the first charted
        assessed one, else the first assessed one."""
        for ind in (*[i for i in self.charted if i.assessed], *self.assessed):
            return ind
        return None

    def keys(self) -> tuple[str, ...]:
        return tuple(self.by_key)

    def index(self, ind: Indicator) -> int:
        return self.all.index(ind)

    def declarations(self) -> list[dict]:
        return [i.declaration() for i in self.all]

    def fingerprint(self) -> str:
        return repr(self.all)

    def match(self, *parts: str) -> str | None:
        """The indicator key a header (one or two rows) names, or None."""
        cleaned = [split_header_unit(p)[0] for p in parts if p and normalize_text(p)]
        candidates = []
        if len(cleaned) >= 2:
            candidates.append("".join(cleaned))
            candidates.append(cleaned[-1])
        elif cleaned:
            candidates.append(cleaned[0])
        for name in candidates:
            found = self._headers.get(_header_key(name))
            if found is not None:
                return found
        return None


def _header_key(text: str) -> str:
    return normalize_text(text).replace("：", "").replace(":", "")


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


# The standard set (the demo's, and the default without data/indicators.csv; listed on the
# 数据规范 page).
# Its aliases are the header spellings seen in real submissions; a merged two-row
# header is matched as upper+lower ("签约项目"+"个数").
def _standard(key, name, unit, kind=CUMULATIVE, *, aliases=(), **flags) -> Indicator:
    return Indicator(key, name, unit, kind, aliases=tuple(aliases), **flags)


_MAIN = {"assessed": True, "headline": True}
STANDARD_INDICATORS = Indicators(
    (
        _standard(
            "signed_count",
            "签约项目",
            "个",
            **_MAIN,
            aliases=("签约项目个数", "签约项目数", "签约项目数量"),
        ),
        _standard(
            "signed_big_count",
            "其中亿元以上项目",
            "个",
            aliases=(
                "签约项目其中亿元以上",
                "签约项目其中亿元以上项目",
                "其中亿元以上",
                "亿元以上项目",
            ),
        ),
        _standard(
            "signed_amount",
            "签约金额",
            "亿元",
            **_MAIN,
            chart=True,
            aliases=("签约项目金额", "签约项目签约金额"),
        ),
        _standard(
            "started_count", "开工项目", "个", **_MAIN, aliases=("开工项目个数", "开工项目数")
        ),
        _standard(
            "completed_count", "竣工投产项目", "个", aliases=("竣工投产项目个数", "竣工项目")
        ),
        _standard("funds_in", "实际到位资金", "亿元", **_MAIN, chart=True, aliases=("到位资金",)),
        _standard(
            "funds_out_prov",
            "其中省外到位资金",
            "亿元",
            aliases=(
                "实际到位资金其中省外",
                "其中省外",
                "省外到位资金",
                "实际到位资金其中省外到位资金",
            ),
        ),
        _standard("fdi", "实际使用外资", "万美元", **_MAIN, chart=True, aliases=("实际利用外资",)),
        _standard("trips", "外出招商批次", "批次", **_MAIN, aliases=("外出招商次数",)),
        _standard("trip_persons", "外出招商人次", "人次"),
        _standard("visits", "接待来访客商", "批次", aliases=("接待来访客商批次",)),
        _standard(
            "negotiating_count", "在谈项目", "个", STOCK, aliases=("在谈项目个数", "在谈项目数")
        ),
    )
)


def month_indicators(figures: dict) -> Indicators:
    """A month's indicators as its figures declare them, or, for figures written before
    they did (an older record), the standard set."""
    rows = figures.get("indicators")
    if rows is None:
        return STANDARD_INDICATORS
    return _from_declarations(tuple(tuple(sorted(r.items())) for r in rows))


@functools.lru_cache(maxsize=64)  # every page of a month asks again
def _from_declarations(rows: tuple) -> Indicators:
    return Indicators(tuple(Indicator.from_declaration(dict(r)) for r in rows))


# Chart 4 plots an effort (x) against a result (y) when a project declares both, as the
# standard set does.
EFFORT_AND_RESULT = ("trips", "signed_count")
# What the project ledger counts or sums (its own columns), and the report's indicator each
# corresponds to: the counts are checked against the report, the zero-signings and
# relocation flags name the indicator. A project without such an indicator skips them.
LEDGER_INDICATORS = {
    "signed": "signed_count",
    "started": "started_count",
    "amount": "signed_amount",
}
