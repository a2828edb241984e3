"""Every problem code tongbao reports, declared in one place: its level, what it means
and how to fix it. The 数据规范 page lists them, and tests/cases/errors/<code>/ holds a
fixture for each that must produce it."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
LEVEL_WORDS = {"error": "错误", "warning": "警告", "notice": "提示"}
LEVEL_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2}  # how a report sorts its problems


@dataclass(frozen=True)
class Code:
    """One kind of problem: its short code, level, what it means and how to fix it."""

    code: str
    level: str
    meaning: str
    fix: str
    # The same problem may weigh differently by file (a date nobody can read is an error
    # in the release calendar, a warning in a ledger): the other level, said in `meaning`.
    also: str | None = None

    @property
    def levels(self) -> tuple[str, ...]:
        return (self.level,) if self.also is None else (self.level, self.also)


# Every code tongbao reports, in one place: the 数据规范 page lists them, and
# tests/cases/errors/<code>/ holds a fixture for each that must produce it.
CODES: tuple[Code, ...] = (
    Code(
        "bad-config",
        ERROR,
        "mkdocs.yml 的设置有误：未知的设置项、类型或取值不对，或 YAML 格式错误",
        "按提示改正 mkdocs.yml 中那一行；可用的设置见“使用说明”页的设置表",
    ),
    Code(
        "missing-font",
        ERROR,
        "mkdocs.yml 的 document.fonts 指向的字体文件不存在（公文 PDF 用的本单位字体）",
        "把本单位的字体文件放到该路径（相对于项目根目录），或删去这项设置以用随附的字体",
    ),
    Code(
        "missing-file",
        ERROR,
        "缺少必需的文件：单位名册 data/units.csv，或有项目台账时的产业目录 data/industries.csv",
        "建立该文件，第一行写表头（见本页“单位名册”“产业目录”）",
    ),
    Code(
        "unreadable-file",
        ERROR,
        "文件打不开：损坏、加密，或不是真正的 .xlsx / .csv 文件",
        "用 Excel 打开后另存为 .xlsx（或 CSV UTF-8）",
    ),
    Code("empty-file", ERROR, "文件是空的", "重新导出，或删除该文件"),
    Code(
        "bad-encoding",
        ERROR,
        "CSV 或评述文件的编码既不是 UTF-8 也不是 GBK/GB18030",
        "在 Excel 中另存为“CSV UTF-8”；评述用记事本另存为 UTF-8",
    ),
    Code(
        "missing-column",
        ERROR,
        "找不到“单位”列、指标列，或名册、发布日程的必需列（消息列出找到的表头）",
        "按模板或本页所列的表头修改第一行",
    ),
    Code(
        "missing-cell",
        ERROR,
        "名册、产业目录或项目台账中必须填写的格子是空的",
        "填写该格；整行不要的，删除整行",
    ),
    Code(
        "bad-unit-id",
        ERROR,
        "单位编码含有英文字母、数字、_ 和 - 以外的字符",
        "改为如 DYQ、GR-01 的编码",
    ),
    Code(
        "bad-group",
        ERROR,
        "单位类别是自定的类别（不是 县区、市属开发区、产业投促委），但没有填“计入全市”：自定类别没有默认值；"
        "或类别名称是 全市、合计 这类全市合计用的名称",
        "在该行“计入全市”填 是（该类单位的数字加入全市合计）或 否（与其他单位重复统计的）；类别换一个名称",
    ),
    Code(
        "bad-flag",
        ERROR,
        "是/否 列（计入全市、参与排名）填了别的内容",
        "填 是 或 否，或留空用默认值",
    ),
    Code(
        "bad-month",
        ERROR,
        "单位名册的启用月份 / 停用月份，或发布日程 data/calendar.csv 的月份，不是 YYYY-MM 格式",
        "写成如 2024-06",
    ),
    Code(
        "bad-date",
        ERROR,
        "日期无法识别：在发布日程 data/calendar.csv 中是错误；在项目台账中是警告（该日期按未填处理）",
        "写成 2024-05-04、2024.5.4 或 2024年5月4日（注意该月有没有这一天）",
        also=WARNING,
    ),
    Code(
        "duplicate-month",
        ERROR,
        "发布日程 data/calendar.csv 中同一个月份写了两行",
        "每个月只写一行，删除重复的行",
    ),
    Code(
        "duplicate-unit-id",
        ERROR,
        "单位名册中编码、名称或别名重复",
        "每个单位一行；别名不能与其他单位重复",
    ),
    Code(
        "duplicate-industry",
        ERROR,
        "产业目录中产业编码、名称或别名重复",
        "每个产业一行；删除重复行或改正别名",
    ),
    Code(
        "bad-indicator",
        ERROR,
        "指标表 data/indicators.csv 有误：编码或名称重复、表头别名是另一个指标的名称、"
        "口径不是 累计/时点、小数位不是小的整数、缺少必填的列或值",
        "每个指标一行，编码和名称各不相同；口径填 累计 或 时点；小数位填 0—6 或留空",
    ),
    Code(
        "unknown-unit",
        ERROR,
        "单位名称不在单位名册中（会提示相近的名称）",
        "改为名册中的名称、别名或编码；新单位先在 data/units.csv 登记",
    ),
    Code(
        "duplicate-unit",
        ERROR,
        "同一单位在一个月中出现两次（可能在两个文件中，或通过别名）",
        "删除重复的行或文件",
    ),
    Code(
        "not-a-number", ERROR, "数字列中填了文字，如“约5亿”“五个”", "改为数字；没有数据的留空或填 -"
    ),
    Code("negative-value", ERROR, "数字列中有负数", "改为不小于 0 的数；核减请直接改小累计数"),
    Code("excel-error", ERROR, "单元格是 Excel 错误值，如 #DIV/0!、#REF!", "检查公式，或改填数字"),
    Code(
        "duplicate-project",
        ERROR,
        "同一项目编号在一个月的台账中出现两次",
        "每个项目一行，编号不重复",
    ),
    Code(
        "bad-month-folder", ERROR, "data/ 下的文件夹名不是 YYYY-MM 格式的月份", "改名为如 2024-06"
    ),
    Code(
        "future-month",
        ERROR,
        "月份文件夹晚于构建当天的下一个月（多半是年份或月份写错）",
        "改正文件夹名；最晚可以是下一个月",
    ),
    Code(
        "bad-front-matter",
        ERROR,
        "评述开头 --- 之间的设置有误：未知的键、期号不是正整数、日期无效、YAML 格式错误",
        "按提示改正那一行；各键的写法见本页“评述”",
    ),
    Code(
        "unknown-reference",
        ERROR,
        "评述引用了不存在的名称、单位、指标、数据或格式（给出行号）",
        "按“使用说明”第六节改正引用",
    ),
    Code(
        "unsafe-reference",
        ERROR,
        "评述中使用了引用数据以外的写法（语句、调用、内部属性）",
        '只写 {{ city.指标.数据 | 格式 }} 或 {{ unit("单位").指标.数据 }}',
    ),
    Code(
        "bad-expression",
        ERROR,
        "评述中的 {{ … }} 无法计算：写法错误、除以 0、对缺失的数据做运算、格式加了参数",
        "直接引用算好的数据（完成率 rate、同比 yoy 等），不要自己计算",
    ),
    Code(
        "bad-template",
        ERROR,
        "templates/ 中的页面模板（Jinja）或公文版式（templates/document/bulletin.typ，Typst）"
        "有错误：写法不对、未知的过滤器或函数、引用了不存在的名称（给出文件、行号和排版程序的原话）",
        "按提示改正模板中那一行；改乱了的，可以用 git checkout 恢复原来的模板",
    ),
    Code(
        "published-changed",
        ERROR,
        "已印发月份的数字与发布记录 published/YYYY-MM.json 不同（消息列出每个变动的数字和改动的文件）",
        "恢复原来的数据；确需更正的，在该月评述的 revisions 中加一条日期不早于记录日期的修订说明",
    ),
    Code(
        "issued-removed",
        ERROR,
        "已印发、有发布记录的月份被改成草稿，或删去了印发日期、评述文件或数据文件夹（消息写明月份和缺了什么）",
        "恢复原样；确要撤回已印发的通报，在该月评述开头写 withdrawn:（date 撤回日期、reason 原因），"
        "页面保留并注明已撤回",
    ),
    Code(
        "bad-record",
        ERROR,
        "发布记录 published/YYYY-MM.json 无法读取或被改动过（与它自带的摘要 seal 不符；"
        "它是程序的输出，不能编辑）",
        "用 git checkout 恢复原来的记录文件",
    ),
    Code(
        "unknown-choice",
        WARNING,
        "项目台账中项目类别、性质、资金来源或阶段不是可选值",
        "改为本页所列的可选值",
    ),
    Code(
        "unknown-industry",
        WARNING,
        "项目台账中的所属产业不在产业目录中",
        "改为目录中的名称或别名，或在 data/industries.csv 中登记",
    ),
    Code("totals-mismatch", WARNING, "合计行与各单位之和不符", "核对合计行或各单位数据"),
    Code(
        "ytd-decreased",
        WARNING,
        "累计数比上月少（核减）",
        "核实；确为核减的，在评述 revisions 中写明单位和指标",
    ),
    Code("ledger-mismatch", WARNING, "项目台账与报表的签约、开工项目个数不符", "核对台账或报表"),
    Code(
        "not-reported",
        WARNING,
        "某单位本月没有数据（未报送）",
        "催报；确认未报送的，在评述开头写 unreported: [单位名称]",
    ),
    Code("inactive-unit", WARNING, "单位在停用后或启用前报送了数据", "核对单位名册的启用/停用月份"),
    Code(
        "missing-targets",
        WARNING,
        "没有当年的目标表，完成率、位次和亮灯显示为“—”",
        "放入 data/targets/年份.xlsx",
    ),
    Code(
        "record-missing",
        WARNING,
        "已印发的月份（有印发日期、不是草稿）还没有发布记录 published/YYYY-MM.json",
        "运行 python build.py 生成记录，并把 published/ 中的新文件与该月一起提交",
    ),
    Code(
        "issued-pdf-missing",
        WARNING,
        "该月的发布记录是旧版的，没有保存印发时的 PDF（published/YYYY-MM.pdf）",
        "运行 python build.py：它保存该月发布的 PDF 并把摘要写入记录，把 published/ 中的新文件提交",
    ),
    Code(
        "issued-pdf-changed",
        ERROR,
        "印发时保存的 PDF published/YYYY-MM.pdf 缺失，或与发布记录中的摘要不符（被改动或替换过）",
        "用 git checkout 恢复该文件；印发的 PDF 不能改动，更正请在评述的 revisions 中写明",
    ),
    Code(
        "not-yet-released",
        NOTICE,
        "该月的印发日期还没到：在那一天之前，网站和所有下载中都没有这一期（发布日程仍预告计划印发日期）",
        "无需处理：印发日期当天或之后构建即发布；如日期写错，改正评述开头的 issued",
    ),
    Code(
        "empty-row",
        NOTICE,
        "报表中某单位一行没有任何数字，按未报送处理",
        "无需处理；报回后填入数字",
    ),
    Code(
        "ignored-file",
        NOTICE,
        "不是报表的文件（如 .docx、Excel 临时文件 ~$…）被忽略",
        "无需处理；需要读取的请另存为 .xlsx",
    ),
    Code(
        "not-collected",
        NOTICE,
        "月份文件夹中还没有任何单位的数据，暂不发布",
        "无需处理；收回报表后即发布",
    ),
    Code(
        "orphan-commentary",
        NOTICE,
        "评述所属的月份还没有数据，暂不发布",
        "无需处理；该月数据到齐后即发布",
    ),
)
CODE_BY_NAME = {c.code: c for c in CODES}
