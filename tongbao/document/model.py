"""The bulletin as a document: one view model that the PDF and the Word file both print.

Built from the month's figures (the same dict `site/data/YYYY-MM.json` publishes),
its commentary (Markdown, figures already filled in) and the site's words, so the
paper and the page show the same sections and the same figures. Every value here
is final text: the writers only lay it out (and escape it for their format).

Paper is 156 mm wide: the page's group table (six indicators × five columns) does
not fit at a legible size. The body therefore shows, per group, one table of the
headline indicators' 完成率, 位次 and 亮灯 (the columns leaders read; units named
without the group's word, 汽车及配件 for 汽车及配件产业投促委), three indicators side
by side and the other three in a second band below; the full tables (累计, 目标,
完成率, 位次, 亮灯) follow as 附表 on landscape pages, as do the project lists, whose
nine columns would not fit a portrait page either. The 需关注事项 are grouped by kind,
one paragraph each, as a 通报 writes them. Every demo month prints at most 8 body
pages (tests/test_document_layout.py).
"""

from __future__ import annotations

from .. import formats
from ..bulletin.model import SiteText
from ..bulletin.views import LIGHT_SHAPES, like_for_like_note, project_summary, revision_views
from ..schema import LIGHT_WORDS, group_names, month_indicators
from .blocks import NUMERALS, Block, Cell, Document, Figure, Heading, Paragraph, Run, Table
from .commentary import commentary_blocks
from .flags import flag_paragraphs
from .paper import on_paper


def indicator_sets(figures: dict, size: int) -> list[tuple]:
    """The month's headline indicators, `size` to a table."""
    headline = month_indicators(figures).headline
    return [headline[i : i + size] for i in range(0, len(headline), size)]


PROJECT_ROWS = 10  # rows of a project list on paper (the .xlsx and the page list more)
BODY_SET = 3  # indicators a body table shows side by side (完成率, 位次, 亮灯 each)
APPENDIX_SET = 2  # indicators an 附表 shows side by side (five columns each)


def bulletin_document(
    figures: dict,
    commentary: str | None,
    meta: dict,
    *,
    site: SiteText,
    chart_titles: dict[str, tuple[str, str]],
    correction: dict | None = None,
    cc: str = "",
    printer: str = "",
    copy_number: bool = False,
    classification: str = "",
) -> Document:
    """The document for one month. `chart_titles`: chart id → (title, summary) of the
    month's charts (only chart 1 and chart 2 are printed)."""
    period = figures["period"]
    body: list[Block] = []
    revisions = revision_views(meta, figures)
    if correction:  # the figures differ from the record of what was issued
        body += correction_blocks(correction, formats.date_label(figures["issued"]))
    elif revisions:
        body.append(Heading(1, "更正说明"))
        body += [Paragraph((Run(f"{r['date']}：{r['note']}"),)) for r in revisions]
    charts = [cid for cid in chart_titles if on_paper(cid, figures)]
    numbers = iter(NUMERALS)
    body.append(Heading(1, f"{next(numbers)}、总体情况"))
    body.append(Paragraph((Run(overview_sentence(figures)),)))
    body.append(overview_table(figures))
    note = like_for_like_note(figures)
    if note:
        body.append(Paragraph((Run(f"注：{note}"),), note=True))
    for chart_id in (c for c in charts if c.startswith("chart-2-")):  # the city's lines
        title, summary = chart_titles[chart_id]
        body.append(Figure(chart_id, title, summary))
    body.append(Heading(1, f"{next(numbers)}、评述"))
    body += commentary_section(figures, commentary)
    body.append(Heading(1, f"{next(numbers)}、各单位完成情况"))
    body += group_sections(figures, chart_titles)
    appendix: list[Block] = []
    projects = project_summary(figures)
    if projects:
        body.append(Heading(1, f"{next(numbers)}、项目情况"))
        body += project_blocks(projects)
    body.append(Heading(1, f"{next(numbers)}、需关注事项"))
    if figures["flags"]:
        body += flag_paragraphs(figures)
    else:
        body.append(Paragraph((Run("本月无需关注事项。"),)))
    appendix += appendix_tables(figures, projects)
    topic = site.title[:-2] if site.title.endswith("通报") else site.title
    return Document(
        masthead=f"{site.city}{site.title}",
        issue_label=formats.issue_label(period, figures["issue"]),
        issuer=site.issuer,
        issued_label=formats.date_label(figures["issued"]),
        issued=str(figures["issued"] or "")[:10],
        title=f"关于{formats.period_label(period)}全市{topic}情况的通报",
        body=tuple(body),
        appendix=tuple(appendix),
        cc=cc,
        printer=printer or site.issuer,
        copy_number=copy_number,
        classification=classification,
        figures_used=tuple(b.chart_id for b in body if isinstance(b, Figure)),
    )


def commentary_section(figures: dict, commentary: str | None) -> list[Block]:
    """评述: the clerk's text, or the automatic summary saying it is one."""
    if commentary:
        return commentary_blocks(commentary)
    note = Paragraph((Run("（本月暂无评述，以上为根据数据自动生成的概述。）"),), note=True)
    return [Paragraph((Run(figures["summary"]),)), note]


def group_sections(figures: dict, chart_titles: dict[str, tuple[str, str]]) -> list[Block]:
    """各单位完成情况: per group its heading, its table and its chart 1."""
    blocks: list[Block] = [Paragraph((Run(light_legend()),), note=True)]
    tables = 0
    sub = iter(NUMERALS)
    for index, group in enumerate(group_names(figures), start=1):
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        blocks.append(Heading(2, f"（{next(sub)}）{group}"))
        tables += 1
        blocks.append(rate_table(figures, units, caption=f"表{tables} {group}主要指标完成情况"))
        chart_id = f"chart-1-{index}"
        if chart_id in chart_titles:
            title, summary = chart_titles[chart_id]
            blocks.append(Figure(chart_id, title, summary))
    return blocks


def correction_blocks(correction: dict, issued_label: str) -> list[Block]:
    """更正说明 as the page prints it (`correction_view`): what was revised and every
    figure that differs from the issued record, before and after."""
    head = (tuple(Cell(t) for t in ("单位", "指标", "项目", "原发布", "更正后")),)
    rows = tuple(
        (
            Cell(r["unit"], label=True),
            Cell(r["indicator"]),
            Cell(r["figure"]),
            Cell(r["published"], numeric=True),
            Cell(r["corrected"], numeric=True),
        )
        for r in correction["rows"]
    )
    said = f"本期通报于{issued_label}印发后，{correction['date']}更正：{correction['note']}。"
    blocks: list[Block] = [
        Heading(1, "更正说明"),
        Paragraph((Run(said + "以下内容与原发布不同，以更正后为准。"),)),
    ]
    # 期号, 印发日期, title and changed sentences as lines (revisions.py); a table only
    # when a figure changed (an empty table cannot be typeset)
    for d in correction.get("details", []):
        line = f"{d['name']}：原发布 {d['published']} → 更正后 {d['corrected']}"
        blocks.append(Paragraph((Run(line),)))
    if rows:
        blocks.append(Table("更正的数字", head, rows, (1.0, 0.0, 0.0, 0.0, 0.0)))
    for t in correction.get("text", []):
        blocks.append(Paragraph((Run(f"原文：{t['before']}"),)))
        blocks.append(Paragraph((Run(f"更正后：{t['after']}"),)))
    return blocks


def overview_sentence(figures: dict) -> str:
    return (
        f"{formats.period_label(figures['period'])}，时序进度为"
        f"{formats.pct(figures['time_progress'])}。全市主要指标完成情况如下表。"
    )


def overview_table(figures: dict) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for ind in month_indicators(figures).headline:
        row = figures["city"][ind.key]
        rows.append(
            (
                Cell(ind.name, label=True),
                Cell(ind.unit),
                Cell(formats.number(row["ytd"], ind.unit, ind.digits), numeric=True),
                Cell(formats.number(row["month"], ind.unit, ind.digits), numeric=True),
                Cell(formats.number(row["target"], ind.unit, ind.digits), numeric=True),
                Cell(formats.pct(row["rate"]), numeric=True),
                Cell(formats.pp_short(row["gap_pp"]), numeric=True),
                Cell(formats.yoy_short(row["yoy"]), numeric=True),
            )
        )
    # the unit in a column of its own: 实际使用外资（万美元） on one line would leave the
    # figures too little room
    words = ("指标", "单位", "累计", "本月", "目标", "完成率", "进度差", "同比")
    head = (tuple(Cell(t) for t in words),)
    return Table("全市主要指标完成情况", head, tuple(rows), (1.0, *[0.0] * 7))


def light_text(light: str | None) -> str:
    """Shape and word: readable in black and white."""
    return f"{LIGHT_SHAPES[light]}{LIGHT_WORDS[light]}" if light else formats.DASH


def rank_text(row: dict) -> str:
    place = formats.rank(row["rank"], row["rank_tied"]).replace("位", "").replace("第", "")
    change = formats.rank_change(row["rank_change"])
    return place if change == formats.DASH else f"{place}{change}"


def light_legend() -> str:
    words = "；".join(
        f"{LIGHT_SHAPES[k]}{LIGHT_WORDS[k]}{rule}"
        for k, rule in (
            ("green", "达到或超过时序进度"),
            ("yellow", "落后时序进度"),
            ("red", "落后较多"),
        )
    )
    return f"亮灯：{words}（阈值见口径说明）。位次为组内按完成率排名，↑↓为较上月变化。"


def short_name(name: str, group: str) -> str:
    """A unit's name in its group's table, without the group's word the caption already
    says: 汽车及配件产业投促委 → 汽车及配件 (the 附表 print the full names)."""
    return name[: -len(group)] if name.endswith(group) and len(name) > len(group) + 1 else name


def rate_table(figures: dict, units: list[dict], *, caption: str) -> Table:
    """A group's table: 完成率, 位次 and 亮灯 of the headline indicators, three side by
    side (paper is 156 mm wide), the next three in a second band under header rows of
    their own, with the same column widths (one caption a group: the page budget)."""
    group = units[0]["group"] if units else ""
    short = all(short_name(u["name"], group) != u["name"] for u in units)
    bands = indicator_sets(figures, BODY_SET)
    span = 3 * len(bands[0])
    rows: list[tuple[Cell, ...]] = []
    breaks = []
    for number, indicators in enumerate(bands):
        if number:  # the next band: its own header rows (the writers print a table each)
            breaks.append(len(rows))
            rows += _rate_head(indicators, span)
        rows += _rate_rows(units, indicators, short, span)
    widths = (1.0, *([0.0] * span))  # the figures as wide as they are, names wrap
    return Table(caption, _rate_head(bands[0], span), tuple(rows), widths, breaks=tuple(breaks))


def _rate_head(indicators: tuple, span: int) -> tuple[tuple[Cell, ...], ...]:
    names = [Cell(ind.name, colspan=3) for ind in indicators]
    words = [Cell(t) for _ in indicators for t in ("完成率", "位次", "亮灯")]
    blank = span - 3 * len(indicators)  # a short last band: its header's empty cells
    return (
        (Cell("单位", rowspan=2), *names, *([Cell("", colspan=blank)] if blank else [])),
        (*words, *([Cell("", colspan=blank)] if blank else [])),
    )


def _rate_rows(units: list[dict], indicators: tuple, short: bool, span: int) -> list[tuple]:
    group = units[0]["group"] if units else ""
    rows: list[tuple[Cell, ...]] = []
    for unit in units:
        name = short_name(unit["name"], group) if short else unit["name"]
        if not unit["reported"]:
            rows.append((Cell(name, label=True), Cell(formats.NOT_REPORTED, colspan=span)))
            continue
        cells = [Cell(name, label=True)]
        for ind in indicators:
            row = unit["indicators"][ind.key]
            cells += [
                Cell(formats.pct(row["rate"]), numeric=True),
                Cell(rank_text(row)),
                Cell(light_text(row["light"])),
            ]
        blank = span - 3 * len(indicators)
        rows.append((*cells, *([Cell("", colspan=blank)] if blank else [])))
    return rows


def full_table(figures: dict, pair: tuple, *, caption: str) -> Table:
    """An 附表: every unit, group by group (a row naming the group), five columns per
    indicator, as on the page."""
    columns = ("累计", "目标", "完成率", "位次", "亮灯")
    head = (
        (Cell("单位", rowspan=2), *(Cell(f"{ind.name}（{ind.unit}）", colspan=5) for ind in pair)),
        tuple(Cell(t) for _ in pair for t in columns),
    )
    span = 1 + 5 * len(pair)
    rows: list[tuple[Cell, ...]] = []
    for group in group_names(figures):
        units = [u for u in figures["units"] if u["group"] == group]
        if not units:
            continue
        rows.append((Cell(group, colspan=span, group=True),))
        for unit in units:
            if not unit["reported"]:
                rows.append(
                    (Cell(unit["name"], label=True), Cell(formats.NOT_REPORTED, colspan=span - 1))
                )
                continue
            cells = [Cell(unit["name"], label=True)]
            for ind in pair:
                row = unit["indicators"][ind.key]
                cells += [
                    Cell(formats.number(row["ytd"], ind.unit, ind.digits), numeric=True),
                    Cell(formats.number(row["target"], ind.unit, ind.digits), numeric=True),
                    Cell(formats.pct(row["rate"]), numeric=True),
                    Cell(rank_text(row)),
                    Cell(light_text(row["light"])),
                ]
            rows.append(tuple(cells))
    widths = (1.0, *([0.0] * 5 * len(pair)))
    return Table(caption, head, tuple(rows), widths, landscape=True)


def project_blocks(pr: dict) -> list[Block]:
    stages = " → ".join(f"{s['stage']}{s['count']}个" for s in pr["pipeline"])
    text = (
        f"项目台账中，今年以来各单位{pr['also_counted']}登记签约项目{pr['signed_count']}个，"
        f"其中亿元以上项目{pr['big_count']}个；市内转调项目签约金额占比{pr['relocation_share']}。"
        f"项目推进：{stages}"
        + (f"；终止{pr['terminated']}个" if pr["terminated"] else "")
        + f"。世界500强项目{len(pr['f500'])}个，本月新签约项目{len(pr['new'])}个，名单见附表。"
    )
    blocks: list[Block] = [Paragraph((Run(text),))]
    for title, rows in (
        ("按项目类别", pr["by_category"]),
        ("按项目性质", pr["by_nature"]),
        ("按资金来源", pr["by_origin"]),
    ):
        if rows:
            parts = "，".join(
                f"{r['name']}{r['count']}个、{r['amount']}亿元（{r['share']}）" for r in rows
            )
            blocks.append(Paragraph((Run(f"{title}看，签约项目中{parts}。"),)))
    return blocks


def project_table(title: str, rows: list[dict], more: int = 0) -> Table:
    head = (
        tuple(
            Cell(t)
            for t in (
                "项目名称",
                "责任单位",
                "所属产业",
                "项目性质",
                "投资方",
                "总投资（亿元）",
                "签约金额（亿元）",
                "阶段",
                "世界500强",
            )
        ),
    )
    body = tuple(
        (
            Cell(p["name"], label=True),
            Cell(p["unit"]),
            Cell(p["industry"]),
            Cell(p["nature"]),
            Cell(p["investor"]),
            Cell(p["total_investment"], numeric=True),
            Cell(p["signed_amount"], numeric=True),
            Cell(p["stage"]),
            Cell(p["f500"]),
        )
        for p in rows
    )
    caption = title + (f"（列出前{len(rows)}个，另有{more}个见Excel附表）" if more else "")
    # the figures, 阶段 and 世界500强 as wide as they are (widths.py); the names share the
    # rest of the landscape 版心: a 14-character project name and a 9-character unit on
    # one line, the investor wraps first
    widths = (173, 113, 65, 53, 136, 0, 0, 0, 0)
    return Table(caption, head, body, widths, landscape=True)


def appendix_tables(figures: dict, projects: dict | None) -> list[Block]:
    blocks: list[Block] = []
    number = 0
    for pair in indicator_sets(figures, APPENDIX_SET):
        number += 1
        names = "、".join(i.name for i in pair)
        blocks.append(full_table(figures, pair, caption=f"附表{number} 各单位{names}完成情况"))
    if projects:
        for title, rows, more in (
            ("亿元以上项目", projects["big"], projects["big_more"]),
            ("世界500强项目", projects["f500"], 0),
            ("本月新签约项目", projects["new"], 0),
        ):
            if rows:  # as on the page, the longest lists are cut: the .xlsx has every project
                number += 1
                shown = rows[:PROJECT_ROWS]
                more += len(rows) - len(shown)
                blocks.append(project_table(f"附表{number} {title}", shown, more))
    return blocks
