"""Words for the demo generator: project names, investors and commentary templates.

Kept apart from `tongbao.demo` so the numbers (rules + seed) and the prose
(templates + seed) can be read and changed separately. Templates are written as
the bureau writes its Markdown: every figure is a Jinja reference that the build
evaluates, so the text can never disagree with the tables. `$name`-style
placeholders (string.Template) fill in unit names and months; `$u` stands for
`unit("…")`. A claim made without a figure (末位, 占比超过三成, 自定目标低于市定)
is only chosen when the generator's own figures make it true.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from string import Template
from typing import cast


def _table(text: str) -> dict[str, list[str]]:
    """`key: word word …` lines into {key: [words]}; a key may go on over several lines."""
    table: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        key, _, words = line.partition(":")
        table.setdefault(key.strip(), []).extend(words.split())
    return table


# Project name patterns per industry; {n} is a capacity figure.
PROJECT_NAMES = _table("""
石油化工: 年产{n}万吨高端润滑油项目 {n}万吨/年α-烯烃项目 年产{n}万吨聚碳酸酯项目
石油化工: {n}万吨/年废塑料化学循环项目 年产{n}万吨电子级化学品项目 {n}万吨/年丙烷脱氢项目
石油化工: 年产{n}万吨POE弹性体项目 炼化一体化配套储运项目
汽车及配件: 新能源汽车零部件产业园项目 年产{n}0万套汽车轮毂项目 汽车线束及连接器生产项目
汽车及配件: 年产{n}0万台新能源汽车驱动电机项目 汽车轻量化铝合金部件项目
汽车及配件: 年产{n}0万套汽车制动系统项目
橡胶轮胎: 年产{n}0万条高性能子午线轮胎项目 废旧轮胎绿色循环利用项目 轮胎智能制造技术改造项目
橡胶轮胎: 年产{n}万吨特种合成橡胶项目 年产{n}0万条全钢载重子午线轮胎项目
石油装备: 高端石油装备智能制造项目 海洋油气装备研发制造基地项目 年产{n}00台套智能抽油机项目
石油装备: 连续油管及井下工具生产项目 氢能储运装备制造项目 压裂装备及配件制造项目
有色金属: 年产{n}万吨高端铜箔项目 年产{n}万吨再生铝项目 铜基新材料精深加工项目
有色金属: 年产{n}万吨电工铜杆线缆项目 有色金属循环利用产业园项目
新材料: 年产{n}万吨锂电池隔膜项目 高性能碳纤维复合材料项目 年产{n}万吨生物可降解材料项目
新材料: 年产{n}万吨高性能树脂项目 石墨烯新材料产业化项目 电子级特种气体项目
生物医药: 原料药及制剂生产基地项目 生物发酵产业园项目 年产{n}00吨医药中间体项目
生物医药: 医疗器械产业园项目 中药饮片精深加工项目 生物基新材料研发生产项目
现代物流: 智慧物流园项目 冷链物流中心项目 港口多式联运物流枢纽项目 危化品智慧物流园项目
现代物流: 跨境电商物流分拨中心项目 大宗商品供应链基地项目
文化旅游: 黄河口文旅康养综合体项目 黄河入海口生态旅游度假区项目 孙子文化旅游区提升项目
文化旅游: 湿地研学营地项目 黄河口滨海温泉度假项目 文化创意产业园项目
基础设施: 城市综合管廊项目 污水处理厂提标改造项目 {n}0兆瓦分布式光伏发电项目
基础设施: {n}0兆瓦风电项目 集中供热管网改造项目 港区疏港道路项目
电子信息: 智能传感器生产项目 大数据产业园项目 工业互联网平台项目 算力中心项目
电子信息: 年产{n}0万平方米电路板项目 光电显示材料项目
现代农业: 盐碱地高效农业示范园项目 黄河口大闸蟹养殖加工项目 智慧牧场项目
现代农业: 年产{n}万吨饲料加工项目 设施蔬菜产业园项目 耐盐碱种业研发基地项目
商贸服务: 城市商业综合体项目 总部经济大厦项目 汽车商贸城项目 农产品批发市场项目
商贸服务: 精品酒店项目 区域结算中心项目
""")
CAPACITIES = (2, 3, 5, 6, 8, 10, 12, 15, 20, 30, 50)

# Investor names: a place (which decides 资金来源), a word and an industry suffix.
PLACES = _table("""
市内: 东营 东营 胜利 广饶 垦利
省内市外: 济南 青岛 淄博 潍坊 滨州 烟台 济宁 临沂 德州 山东
省外: 北京 上海 天津 江苏 浙江 深圳 广州 杭州 苏州 宁波 河北 成都
境外: 香港 新加坡 德国 韩国 日本
""")
WORDS = _table("""
words: 华信 恒源 鲁盛 瑞丰 中联 博远 金诚 汇智 泰和 宏达 天润 海科 永泰 正和 德力
words: 科达 万通 鼎盛 润丰 国信 昊华 海普 汇海 明远 盛源 凯瑞 安泰 佳和 同创 远景
""")["words"]
SUFFIXES = {
    key: words[0]
    for key, words in _table("""
石油化工: 化工有限公司
汽车及配件: 汽车零部件有限公司
橡胶轮胎: 轮胎有限公司
石油装备: 石油装备有限公司
有色金属: 金属材料有限公司
新材料: 新材料科技有限公司
生物医药: 生物科技有限公司
现代物流: 供应链管理有限公司
文化旅游: 文化旅游发展有限公司
基础设施: 建设投资有限公司
电子信息: 电子科技有限公司
现代农业: 农业发展有限公司
商贸服务: 商业管理有限公司
""").items()
}
# Investors on the Fortune Global 500 list: 资金来源, then the industries they invest in.
FORTUNE_500 = _table("""
中国石化: 省外 石油化工 新材料
中国石油: 省外 石油化工 石油装备
中国海油: 省外 石油化工 石油装备
中国中化: 省外 石油化工 新材料
京东物流: 省外 现代物流 商贸服务
山东能源集团: 省内市外 基础设施 新材料
魏桥创业集团: 省内市外 有色金属
中国建筑: 省外 基础设施 文化旅游
巴斯夫（中国）有限公司: 境外 新材料 石油化工
比亚迪: 省外 汽车及配件
山东重工集团: 省内市外 汽车及配件 石油装备
中粮集团: 省外 现代农业
国药集团: 省外 生物医药
""")
REVIEWERS = (("张晓燕", "王建国"), ("刘倩", "李振华"), ("孙丽娜", "王建国"))
NUMERALS = "一二三四五六七八九十"


def investor_name(rng: random.Random, origin: str, industry: str) -> tuple[str, str]:
    """Return (full investor name, short name used as a project-name prefix)."""
    place, word = rng.choice(PLACES[origin]), rng.choice(WORDS)
    if origin == "境外":
        return f"{place}{word}{rng.choice(('投资有限公司', '控股集团'))}", word
    return f"{place}{word}{SUFFIXES[industry]}", word


def project_name(rng: random.Random, industry: str, short: str | None) -> str:
    name = rng.choice(PROJECT_NAMES[industry]).format(n=rng.choice(CAPACITIES))
    return f"{short}{name}" if short else name


# --- commentary -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStat:
    """What the commentary may know about one unit in one month."""

    name: str
    group: str
    reported: bool
    rate: dict[str, float | None]  # completion rate against the city target
    negotiating: int | None
    relocation_share: float  # share of YTD signed amount from 市内转调 projects
    self_below: bool  # self-set 签约金额 target below the city's


@dataclass(frozen=True)
class Snapshot:
    year: int
    month: int
    has_base: bool  # last year's data exists, so 同比 can be quoted
    units: list[UnitStat] = field(default_factory=list)
    city_rate: dict[str, float | None] = field(default_factory=dict)
    city_completed: int = 0  # 竣工投产 so far: early in a year there may be none to mention

    def gap(self, rate: float | None) -> float:
        """进度差 in points; 0 when unknown, so an unknown never reads as lagging."""
        return 0.0 if rate is None else (rate - self.month / 12) * 100

    def ranked(self, group: str | None, key: str = "signed_amount") -> list[UnitStat]:
        """Reported units with a target, best completion rate first."""
        pool = [
            x
            for x in self.units
            if x.reported and x.rate.get(key) is not None and (group is None or x.group == group)
        ]
        return sorted(pool, key=lambda x: -(x.rate[key] or 0.0))

    def laggards(self) -> list[UnitStat]:
        """Counted units behind time progress by 10 points or more, worst first."""
        worst = [x for x in reversed(self.ranked(None)) if x.group != "产业投促委"]
        return [x for x in worst if self.gap(x.rate["signed_amount"]) <= -10]


def fill(template: str, unit: UnitStat | None = None, /, **names: object) -> str:
    if unit is not None:
        names.update(name=unit.name, group=unit.group, u=f'unit("{unit.name}")')
    return Template(template).substitute(names)


OPENINGS = (
    "今年以来，全市上下坚持把招商引资作为经济工作的“一号工程”，大抓项目、抓大项目，"
    "招商引资工作保持稳中有进的良好态势。",
    "${m}月份，各县区、市属开发区和各产业投促委紧盯年度目标任务，主动走出去、请进来，"
    "全市招商引资工作扎实推进。",
    "${span}，全市各级各部门自我加压、主动作为，招商引资主要指标稳步增长。",
)
JANUARY = "新年伊始，各单位迅速进入工作状态，抢抓开局，招商引资工作实现良好开端。"
SIGNING = (
    "${span}，全市新签约项目 {{ city.signed_count.ytd }} 个，其中亿元以上项目 "
    "{{ city.signed_big_count.ytd }} 个；签约金额 {{ city.signed_amount.ytd | yi }}，"
    "完成年度目标的 {{ city.signed_amount.rate | pct }}，"
    "{{ city.signed_amount.gap_pp | pp }}${yoy_signed}。",
    "全市累计签约项目 {{ city.signed_count.ytd }} 个，签约金额 "
    "{{ city.signed_amount.ytd | yi }}${yoy_signed}，完成年度目标的 "
    "{{ city.signed_amount.rate | pct }}，{{ city.signed_amount.gap_pp | pp }}。",
)
FUNDS = (
    "实际到位资金 {{ city.funds_in.ytd | yi }}，完成年度目标的 {{ city.funds_in.rate | pct }}，"
    "{{ city.funds_in.gap_pp | pp }}${yoy_funds}；实际使用外资完成年度目标的 "
    "{{ city.fdi.rate | pct }}，{{ city.fdi.gap_pp | pp }}。",
    "全市实际到位资金 {{ city.funds_in.ytd | yi }}${yoy_funds}，完成年度目标的 "
    "{{ city.funds_in.rate | pct }}。实际使用外资完成年度目标的 {{ city.fdi.rate | pct }}，"
    "{{ city.fdi.gap_pp | pp }}。",
)
WORKS = (
    "新开工项目 {{ city.started_count.ytd }} 个，竣工投产项目 {{ city.completed_count.ytd }} 个；"
    "各单位外出招商 {{ city.trips.ytd }} 批次。",
    "各单位累计外出招商 {{ city.trips.ytd }} 批次，推动新开工项目 {{ city.started_count.ytd }} "
    "个、竣工投产项目 {{ city.completed_count.ytd }} 个。",
)
NO_COMPLETIONS = (
    "新开工项目 {{ city.started_count.ytd }} 个，各单位外出招商 {{ city.trips.ytd }} 批次。",
)
LEADER = (
    "${name}签约金额完成率 {{ $u.signed_amount.rate | pct }}，{{ $u.signed_amount.gap_pp | pp }}，"
    "居${group}{{ $u.signed_amount.rank | rank }}"
)
BEST_COMMITTEE = (
    "产业投促委中，${name}签约项目 {{ $u.signed_count.ytd }} 个、签约金额 "
    "{{ $u.signed_amount.ytd | yi }}，完成率居产业投促委{{ $u.signed_amount.rank | rank }}。"
)


def overall(s: Snapshot, rng: random.Random) -> list[str]:
    """一、总体情况: the city's headline figures, then who leads each group."""
    yoy = {
        key: f"，{{{{ city.{key}.yoy | yoy }}}}" if s.has_base else ""
        for key in ("signed_amount", "funds_in")
    }
    span = "1月" if s.month == 1 else f"1—{s.month}月"
    names = {
        "m": s.month,
        "span": span,
        "yoy_signed": yoy["signed_amount"],
        "yoy_funds": yoy["funds_in"],
    }
    opening = rng.choice(OPENINGS + ((JANUARY,) if s.month == 1 else ()))
    paras = [
        fill(opening + rng.choice(SIGNING), **names),
        fill(
            rng.choice(FUNDS) + rng.choice(WORKS if s.city_completed else NO_COMPLETIONS), **names
        ),
    ]
    leaders = [r[0] for r in (s.ranked("县区"), s.ranked("市属开发区")) if r]
    if leaders:
        text = "分单位看，" + "；".join(fill(LEADER, x) for x in leaders) + "。"
        if committees := s.ranked("产业投促委"):
            text += fill(BEST_COMMITTEE, committees[0])
        paras.append(text)
    return paras


UNEVEN = (
    "一是工作推进不平衡。有的单位行动早、力度大，已经取得较好成效；"
    "但也有少数单位进度缓慢，等靠观望心态仍然存在。",
    "一是单位之间差距拉大。少数单位专业招商队伍还未建立起来，外出招商开展不够，进度明显滞后。",
    "一是部分单位进度滞后。个别单位没有真正把招商引资摆在“一号工程”的位置来抓，"
    "主要精力没有放在招商工作上。",
)
EVEN_ENOUGH = (
    "一是工作推进不平衡。各单位之间进度差距较大，个别单位专业招商队伍还未建立起来，"
    "外出招商开展不够。"
)
LAGGARD = (
    "${name}签约金额完成率仅为 {{ $u.signed_amount.rate | pct }}，"
    "{{ $u.signed_amount.gap_pp | pp }}，居${group}{{ $u.signed_amount.rank | rank }}"
)
SILENT = "${names}未按时报送${m}月份数据，影响全市数据汇总和调度。"
THIN = (
    '项目储备不足。${a}、${b}在谈项目分别仅有 {{ unit("${a}").negotiating_count.ytd }} 个、'
    '{{ unit("${b}").negotiating_count.ytd }} 个，项目储备断档问题突出，'
    "不足以支撑${later}的招商工作。"
)
RELOCATION = (
    "项目质量有待提升。中低端扩建、市内转调项目偏多，${names}签约金额中市内转调项目占比超过三成，"
    "真正科技含量高、附加值高、市场前景好的大项目较少。"
)
FOREIGN = (
    "利用外资仍是短板。全市实际使用外资完成年度目标的 {{ city.fdi.rate | pct }}，"
    "{{ city.fdi.gap_pp | pp }}，外资大项目、好项目储备不多。"
)
SELF_TARGETS = (
    "自我加压不够。多数单位主动提高了任务目标，但${names}自定签约金额目标低于市定目标，"
    "仅盯着完成下达任务，缺少争先进位的劲头。"
)
WEAK_COMMITTEE = (
    "产业投促委牵头作用发挥不够。有的产业投促委办公室对市里安排的任务不研究、不推进，"
    "简单分配给成员单位了事，${name}签约金额完成率仅为 {{ $u.signed_amount.rate | pct }}，"
    "居产业投促委末位。"
)


def problems(s: Snapshot, rng: random.Random) -> list[str]:
    """二、存在问题: the imbalance first, then two or three of the speech's other complaints."""
    laggards = s.laggards()[:2]
    if laggards:
        first = rng.choice(UNEVEN) + "；".join(fill(LAGGARD, x) for x in laggards) + "。"
    else:
        first = EVEN_ENOUGH
    if silent := [x.name for x in s.units if not x.reported]:
        first += fill(SILENT, names="、".join(silent), m=s.month)
    counted = [x for x in s.units if x.group != "产业投促委" and x.reported]
    items = []
    thin = sorted(
        (x for x in counted if x.negotiating is not None), key=lambda x: cast(int, x.negotiating)
    )
    if len(thin) >= 2:
        later = "下半年和明年" if s.month >= 6 else "全年"
        items.append(fill(THIN, a=thin[0].name, b=thin[1].name, later=later))
    if relocating := [x.name for x in counted if x.relocation_share > 0.3]:
        items.append(fill(RELOCATION, names="、".join(relocating)))
    if s.gap(s.city_rate.get("fdi")) < -5:
        items.append(FOREIGN)
    if below := [x.name for x in s.units if x.self_below]:
        items.append(fill(SELF_TARGETS, names="、".join(below)))
    committees = s.ranked("产业投促委")
    if committees and s.gap(committees[-1].rate["signed_amount"]) <= -10:
        items.append(fill(WEAK_COMMITTEE, committees[-1]))
    rng.shuffle(items)
    chosen = items[: rng.randint(2, 3)]
    return [first] + [f"{NUMERALS[i + 1]}是{item}" for i, item in enumerate(chosen)]


NEXT_STEPS = (
    "聚焦主导产业精准招商。围绕石油化工、新材料、汽车及配件等主导产业绘制产业链招商图谱，"
    "瞄准世界500强、行业领军企业和上市公司开展点对点招商。",
    "强化项目储备。各单位要建立在谈、签约、开工三张项目清单，实行动态管理，"
    "确保项目储备充足、梯次推进。",
    "加快签约项目落地。对已签约项目逐一明确责任领导和推进时限，协调解决用地、能耗、环评等"
    "要素制约，推动签约项目早开工、早投产。",
    "严格考核调度。市投资促进局按月通报各单位进展，对连续两个月居末位的单位进行约谈，"
    "对亮红灯的单位开展专项督导。",
    "提升利用外资水平。用好综合保税区、东营港等开放平台，加强与港澳、日韩、欧洲等重点区域"
    "对接，力争外资项目取得新突破。",
    "创新招商方式。推广委托招商、以商招商、基金招商，发挥驻外招商办事处和招商顾问作用，"
    "提高招商实效。",
    "严把项目质量关。严格控制中低端扩建和市内转调项目，重点引进科技含量高、附加值高、"
    "市场前景好的大项目、好项目。",
    "加强招商队伍建设。加强招商人员业务培训，吃透市情、研透产业，解决不知道到哪招商、"
    "找谁招商的问题。",
)
# (last month of the season, the step that season calls for)
SEASON_STEPS = (
    (
        3,
        "抓好开局起步。抢抓春季招商黄金期，尽快把年度目标任务分解到人、落实到项目，"
        "确保首季开门红。",
    ),
    (
        6,
        "确保实现“双过半”。对照年度目标逐项查找差距，集中力量推进一批重点在谈项目，"
        "确保上半年完成目标任务过半。",
    ),
    (
        9,
        "打好三季度攻坚战。紧盯时序进度，对欠序时进度的指标逐项制定赶超措施，"
        "为完成全年任务打下坚实基础。",
    ),
    (
        12,
        "全力冲刺全年目标。倒排工期、挂图作战，对年内可签约项目逐个攻坚，"
        "确保全面完成全年目标任务。",
    ),
)
DATA_QUALITY = "提高数据质量。各单位要严格按照统计口径如实填报，按时报送，杜绝漏报、迟报。"
INTROS = (
    "下一步，各单位要进一步坚定信心、正视问题，重点抓好以下工作：",
    "下一步，全市要咬定目标不放松，重点做好以下工作：",
)
CATCH_UP = "${name}要认真查找原因，制定赶超措施，尽快扭转被动局面。"


def next_steps(s: Snapshot, rng: random.Random) -> list[str]:
    """三、下步工作: the season's task, two standing ones, and a word to the last unit."""
    steps = [next(text for last, text in SEASON_STEPS if s.month <= last)]
    steps += rng.sample(NEXT_STEPS, 2)
    if any(not x.reported for x in s.units):
        steps.append(DATA_QUALITY)
    paras = [rng.choice(INTROS)] + [f"{NUMERALS[i]}是{t}" for i, t in enumerate(steps)]
    if laggards := s.laggards():
        paras.append(fill(CATCH_UP, laggards[0]))
    return paras


def commentary(s: Snapshot, rng: random.Random) -> str:
    """The Markdown body: 总体情况, 存在问题, 下步工作."""
    sections = [
        ("一、总体情况", overall(s, rng)),
        ("二、存在问题", problems(s, rng)),
        ("三、下步工作", next_steps(s, rng)),
    ]
    return "\n\n".join(f"## {title}\n\n" + "\n\n".join(paras) for title, paras in sections) + "\n"


def issue_date(year: int, month: int, rng: random.Random) -> date:
    """印发日期: the 8th–12th of the next month, moved off weekends."""
    day = date(year + month // 12, month % 12 + 1, rng.randint(8, 12))
    return day + timedelta(7 - day.weekday() if day.weekday() >= 5 else 0)


def front_matter(
    year: int, month: int, rng: random.Random, *, revision_units: list[str], unreported: list[str]
) -> str:
    """issue, issued, draft; the units confirmed as not reporting; a revision note when
    `revision_units` lists who may be corrected."""
    issued = issue_date(year, month, rng)
    lines = ["---", f"issue: {month}", f"issued: {issued.isoformat()}", "draft: false"]
    if unreported:
        lines.append(f"unreported: [{', '.join(unreported)}]")
    if revision_units:
        name, amount = rng.choice(revision_units), rng.randint(30, 250) / 100
        note = rng.choice(
            [
                f"{name}核减签约金额{amount:.2f}亿元",
                f"{name}补报实际到位资金{amount:.2f}亿元",
                f"更正{name}开工项目数",
            ]
        )
        revised = issued + timedelta(rng.randint(5, 20))
        lines += ["revisions:", f"  - date: {revised.isoformat()}", f"    note: {note}"]
    return "\n".join(lines + ["---", ""])
