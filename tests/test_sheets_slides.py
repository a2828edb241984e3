"""The unit sheets (单位通报单) and the 调度会 slides, read back from the built demo site:
a sheet for every unit of a month, naming no other unit, with the month JSON's figures;
a zip of exactly those sheets; slides at 16:9 with every word outside the charts ≥ 20 pt."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest

from tongbao import layout

REPO = Path(__file__).resolve().parent.parent
GROUPS = ("县区", "市属开发区", "产业投促委")
LATEST = "2025-12"
UNREPORTED = "2025-04"  # 利津县 did not report (see the demo's commentary)


def month(site: Path, period: str) -> dict:
    return json.loads((site / layout.month_json(period)).read_text(encoding="utf-8"))


def register() -> list[dict]:
    """Every unit of the demo's register, with its aliases (data/units.csv)."""
    with (REPO / "data" / "units.csv").open(encoding="utf-8-sig") as f:
        return [
            {
                "unit_id": row["单位编码"],
                "names": [row["单位名称"], *(a for a in row["别名"].split(";") if a)],
            }
            for row in csv.DictReader(f)
        ]


def indicator_table(pdf_bytes: bytes) -> dict[str, list[str]]:
    """The sheet's first table (its indicators), row by row: name → cells."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        table = pdf.pages[0].extract_tables()[0]
    assert table[0] == [
        "指标",
        "累计",
        "本月",
        "目标",
        "完成率",
        "进度差",
        "位次",
        "较上月",
        "亮灯",
    ]
    return {row[0].split("（")[0]: row[1:] for row in table[1:]}


def text_of(pdf_bytes: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def written(value: float | None, unit: str) -> str:
    """How the sheet writes a figure, worked out here again: 亿元/万美元 two decimals,
    counts whole, five digits and more grouped by thousands."""
    if value is None:
        return "—"
    text = f"{value:.2f}" if unit in ("亿元", "万美元") else f"{value:.0f}"
    whole, _, fraction = text.partition(".")
    if len(whole) >= 5:
        text = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return text


UNITS = {"签约项目": "个", "签约金额": "亿元", "开工项目": "个", "实际到位资金": "亿元"}
UNITS |= {"实际使用外资": "万美元", "外出招商批次": "批次"}
KEYS = {"签约项目": "signed_count", "签约金额": "signed_amount", "开工项目": "started_count"}
KEYS |= {"实际到位资金": "funds_in", "实际使用外资": "fdi", "外出招商批次": "trips"}


def test_every_unit_of_every_month_has_a_sheet_and_the_zip_holds_exactly_them(demo_site: Path):
    periods = sorted(p.stem for p in (demo_site / "data").glob("20??-??.json"))
    assert len(periods) == 24
    for period in periods:
        units = month(demo_site, period)["units"]
        for unit in units:
            assert (demo_site / layout.unit_sheet(period, unit["unit_id"])).is_file()
        folder = demo_site / layout.unit_sheet(period, "X").rsplit("/", 1)[0]
        assert len(list(folder.glob("*.pdf"))) == len(units)
        with zipfile.ZipFile(demo_site / layout.unit_sheets_zip(period)) as archive:
            names = {i.filename: i for i in archive.infolist()}
            expected = {f"{period}-{u['name']}.pdf": u["unit_id"] for u in units}
            assert set(names) == set(expected)
            for name, uid in expected.items():
                assert names[name].date_time == (1980, 1, 1, 0, 0, 0)  # no build time
                sheet = (demo_site / layout.unit_sheet(period, uid)).read_bytes()
                assert archive.read(name) == sheet


@pytest.mark.parametrize("period", [LATEST, UNREPORTED])
def test_a_sheet_names_no_other_unit_and_prints_its_own_figures(demo_site: Path, period: str):
    figures = month(demo_site, period)
    everyone = register()
    for unit in figures["units"]:
        pdf = (demo_site / layout.unit_sheet(period, unit["unit_id"])).read_bytes()
        text = text_of(pdf)
        assert unit["name"] in text
        for other in everyone:
            if other["unit_id"] == unit["unit_id"]:
                continue
            for name in other["names"]:
                assert name not in text, f"{unit['name']}的通报单中出现了{name}"
        table = indicator_table(pdf)
        for name, key in KEYS.items():
            row = unit["indicators"][key]
            cells = table[name]
            if not unit["reported"]:
                assert cells[0] == "未报送"
                assert cells[2] == written(row["target"], UNITS[name])
                continue
            ranked = sum(
                1
                for u in figures["units"]
                if u["group"] == unit["group"] and u["indicators"][key]["rank"] is not None
            )
            assert cells[0] == written(row["ytd"], UNITS[name])
            assert cells[1] == written(row["month"], UNITS[name])
            assert cells[2] == written(row["target"], UNITS[name])
            if row["rate"] is None:  # no target: no 完成率, not ranked, no light
                assert cells[3:6] == ["—", "—", "—"] and cells[-1] == "—"
                continue
            assert cells[3] == f"{row['rate'] * 100:.2f}%"
            assert cells[4] == f"{row['gap_pp']:+.2f}".replace("-", "−")
            tied = "并列" if row["rank_tied"] else ""
            assert cells[5] == f"{tied}第{row['rank']}位/共{ranked}个"
            light = {"green": "●绿", "yellow": "▲黄", "red": "■红"}[row["light"]]
            assert cells[-1] == light  # a word beside the shape, never colour alone
        for flag in figures["flags"]:
            if flag["unit_id"] == unit["unit_id"]:
                assert flag["message"] in text.replace("\n", "")


def test_a_sheet_is_a4_and_its_line_is_vector(demo_site: Path):
    pdf = (demo_site / layout.unit_sheet(LATEST, "DYQ")).read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = doc.pages[0]
        assert (round(first.width), round(first.height)) == (595, 842)
        assert not first.images  # the chart is drawn, not a picture
        assert len(first.lines) + len(first.curves) > 20
        assert min(c["size"] for p in doc.pages for c in p.chars) >= 9


def slide_pages(site: Path, period: str):
    return pdfplumber.open(site / layout.slides_pdf(period))


def figure_mcids(page) -> set[int]:
    """The marked content of the page's figures (the charts' SVG text)."""
    found: set[int] = set()

    def walk(element: dict) -> None:
        if element.get("type") == "Figure":
            found.update(element.get("mcids") or [])
        for child in element.get("children", []):
            walk(child)

    for element in page.structure_tree:
        walk(element)
    return found


def test_slides_are_16_9_and_legible_from_the_back_of_the_room(demo_site: Path):
    figures = month(demo_site, LATEST)
    with slide_pages(demo_site, LATEST) as pdf:
        titles = []
        charts = 0
        for page in pdf.pages:
            assert page.width / page.height == pytest.approx(16 / 9, rel=1e-3)
            chart = figure_mcids(page)
            charts += bool(chart)
            words = [c for c in page.chars if c.get("mcid") not in chart]
            assert words, "a slide without words"
            small = [c["text"] for c in words if c["size"] < 20 - 0.01]
            assert not small, f"第{page.page_number}页小于20pt：{''.join(small)[:40]}"
            top = min(c["top"] for c in words)
            title = "".join(c["text"] for c in words if abs(c["top"] - top) < 2)
            if page.page_number not in (1, len(pdf.pages)):  # the title and closing slides
                assert all(c["size"] >= 28 for c in words if abs(c["top"] - top) < 2), title
                titles.append(title)
        for group in GROUPS:
            assert sum(t.startswith(f"红黑榜：{group}") for t in titles) == 1
            assert sum(t == f"{group}签约金额完成率" for t in titles) == 1  # chart 1
        assert "全市签约金额累计走势" in titles  # chart 2
        assert charts == len(GROUPS) + 1  # vector charts, as the bulletin's
        assert any(t.startswith("需关注事项") for t in titles)
        text = "\n".join(page.extract_text() for page in pdf.pages)
    city = figures["city"]
    assert f"{city['signed_amount']['ytd']:.2f}亿元" in text
    assert f"{city['signed_amount']['rate'] * 100:.2f}%" in text
    assert re.search(r"2025年第\d+期", text)


def test_data_values_reach_the_templates_as_text_never_markup(demo_site: Path):
    """A unit named like Typst markup prints as written, on the sheet and the slides."""
    import pylopdf_fonts_zh_cn

    from tongbao.bulletin.model import SiteText
    from tongbao.document.pdf import DEFAULT_FAMILIES
    from tongbao.document.sheet import unit_sheet
    from tongbao.document.slides import slides_document
    from tongbao.document.typeset import PACKAGE_TEMPLATES, typeset

    figures = month(demo_site, LATEST)
    odd = '#a*b* $x$ <y> @z "q" \\n'
    figures["units"][0]["name"] = odd
    uid = figures["units"][0]["unit_id"]
    site = SiteText("东营市", "东营市投资促进局", "招商引资工作通报")
    folders = [str(pylopdf_fonts_zh_cn.serif_path().parent)]
    sheet = unit_sheet(figures, uid, site=site, projects=[], chart=None)
    pdf = typeset(
        (PACKAGE_TEMPLATES / "unit.typ").read_text(encoding="utf-8"),
        sheet,
        fonts=DEFAULT_FAMILIES,
        font_folders=folders,
    )
    assert odd.strip() in text_of(pdf)
    slides = slides_document(figures, site=site, chart_titles={})
    slides["flags"] = [{"title": "需关注事项", "lines": [odd]}]
    pdf = typeset(
        (PACKAGE_TEMPLATES / "slides.typ").read_text(encoding="utf-8"),
        slides,
        fonts=DEFAULT_FAMILIES,
        font_folders=folders,
    )
    assert odd.strip() in text_of(pdf).replace("· ", "")
