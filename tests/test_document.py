"""The bulletin as an official document: the demo's PDF (GB/T 9704 layout, Typst) and
Word file (python-docx), and the browser's print of a bulletin page.

Figures are read back from the published JSON and formatted independently here, so
a PDF that printed a different number (or none) fails."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from tongbao import pipeline
from tongbao.config import load_settings
from tongbao.document.blocks import Cell
from tongbao.document.commentary import commentary_blocks
from tongbao.document.pdf import literal, typst_source
from tongbao.document.settings import DocumentSettings
from tongbao.document.word import grid_positions

REPO = Path(__file__).resolve().parent.parent
HEADLINE = ("signed_count", "signed_amount", "started_count", "funds_in", "fdi", "trips")
A4 = (595.28, 841.89)


def published(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "data").glob("20??-??.json"))


def figures(site: Path, period: str) -> dict:
    return json.loads((site / "data" / f"{period}.json").read_text(encoding="utf-8"))


def amount(value: float | None, key: str) -> str:
    if value is None:
        return "—"
    # as the page prints it: two decimals for amounts, thousands grouped from five digits
    if key in {"signed_amount", "funds_in", "fdi"}:
        return f"{value:,.2f}" if abs(round(value, 2)) >= 10000 else f"{value:.2f}"
    return f"{value:,.0f}" if abs(round(value)) >= 10000 else f"{value:.0f}"


def pdf_text(path: Path) -> tuple[str, list]:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        pages = [(page.width, page.height, list(page.chars)) for page in pdf.pages]
    return text, pages


def test_every_published_month_has_a_pdf_and_a_docx(demo_site: Path):
    for period in published(demo_site):
        assert (demo_site / "bulletins" / f"{period}.pdf").read_bytes().startswith(b"%PDF-")
        assert (demo_site / "bulletins" / f"{period}.docx").read_bytes().startswith(b"PK")


@pytest.mark.parametrize("period", ["2024-01", "2025-04", "2025-12"])
def test_pdf_shows_the_json_figures_issue_issuer_and_date(demo_site: Path, period: str):
    data = figures(demo_site, period)
    text, pages = pdf_text(demo_site / "bulletins" / f"{period}.pdf")
    flat = text.replace("\n", "")
    year = period[:4]
    assert f"{year}年第{data['issue']}期" in flat
    assert "东营市投资促进局" in flat
    y, m, d = data["issued"].split("-")
    assert f"{y}年{int(m)}月{int(d)}日印发" in flat  # the 版记's 印发 line
    for key in HEADLINE:
        city = data["city"][key]
        assert amount(city["ytd"], key) in flat, key
        if city["rate"] is not None:  # recomputed: the JSON's rate is rounded to 6 digits
            assert f"{city['ytd'] / city['target'] * 100:.2f}%" in flat, key
    for unit in data["units"]:
        assert unit["name"] in flat
        row = unit["indicators"]["signed_amount"]
        if row["rate"] is not None:
            assert f"{row['ytd'] / row['target'] * 100:.2f}%" in flat, unit["name"]
    for width, height, _ in pages:
        assert (round(width, 1), round(height, 1)) in {
            (round(A4[0], 1), round(A4[1], 1)),
            (round(A4[1], 1), round(A4[0], 1)),  # the 附表's landscape pages
        }


def test_pdf_type_sizes_and_page_budget(demo_site: Path):
    latest = published(demo_site)[-1]
    text, pages = pdf_text(demo_site / "bulletins" / f"{latest}.pdf")
    sizes = Counter(round(c["size"], 1) for _, _, chars in pages for c in chars)
    small = sum(n for size, n in sizes.items() if size < 9)
    assert small < 0.02 * sum(sizes.values()), sizes
    # the body text (the page holding the 评述's first paragraphs) is 3号, 16 pt
    with pdfplumber.open(demo_site / "bulletins" / f"{latest}.pdf") as pdf:
        body = next(p for p in pdf.pages if "二、评述" in (p.extract_text() or ""))
        para = Counter(round(c["size"], 1) for c in body.chars if c["text"] in "。，")
    size, _ = para.most_common(1)[0]
    assert abs(size - 16) <= 0.5, para
    portrait = [i for i, (w, h, _) in enumerate(pages) if w < h]
    assert portrait[0] == 0 and pages[0][0] == pytest.approx(A4[0], abs=0.5)


def test_latest_pdf_page_budget(demo_site: Path):
    """The latest bulletin: at most 16 A4 pages in all, at most 8 of body before the
    附表 (which are landscape), the 版记 on the last page."""
    latest = published(demo_site)[-1]
    with pdfplumber.open(demo_site / "bulletins" / f"{latest}.pdf") as pdf:
        texts = [(p.extract_text() or "").strip() for p in pdf.pages]
        landscape = [p.width > p.height for p in pdf.pages]
    appendix = next(i for i, t in enumerate(texts) if t.startswith("附表"))
    assert appendix <= 8, appendix
    assert len(texts) <= 16, len(texts)
    assert not any(landscape[:appendix]) and all(landscape[appendix:-1]), landscape
    assert "抄送" in texts[-1] and "印发" in texts[-1]


def test_flags_are_grouped_by_kind_naming_each_unit_once():
    """需关注事项 as a 通报 writes them: one paragraph per kind, each unit named once with
    its indicators, the count of the kind's flags in the lead."""
    from tongbao.document.flags import flag_paragraphs

    units = [
        {"unit_id": "A", "name": "甲区", "group": "县区"},
        {"unit_id": "B", "name": "乙区", "group": "县区"},
    ]
    flags = [
        {"code": "red-light", "unit_id": "A", "indicator": "signed_count", "message": "x"},
        {"code": "red-light", "unit_id": "B", "indicator": "fdi", "message": "x"},
        {"code": "red-light", "unit_id": "A", "indicator": "trips", "message": "x"},
        {
            "code": "last-in-group",
            "unit_id": "A",
            "indicator": "signed_count",
            "message": "甲区签约项目完成率居县区末位（连续3个月）",
        },
        {
            "code": "last-in-group",
            "unit_id": "A",
            "indicator": "fdi",
            "message": "甲区实际使用外资完成率居县区末位（连续3个月）",
        },
        {
            "code": "last-in-group",
            "unit_id": "A",
            "indicator": "trips",
            "message": "甲区外出招商批次完成率居县区末位（连续1个月）",
        },
        {
            "code": "not-reported",
            "unit_id": "B",
            "indicator": None,
            "message": "乙区未报送本月数据",
        },
    ]
    text = [
        "".join(r.text for r in b.runs) for b in flag_paragraphs({"units": units, "flags": flags})
    ]
    assert text == [
        "一是完成率居所在组末位（3项）：甲区签约项目、实际使用外资（连续3个月），"
        "外出招商批次（连续1个月）。",
        "二是亮红灯（3项）：甲区签约项目、外出招商批次；乙区实际使用外资。",
        "三是未报送（1项）：乙区未报送本月数据。",
    ]


def test_every_font_is_embedded(demo_site: Path):
    latest = published(demo_site)[-1]
    data = (demo_site / "bulletins" / f"{latest}.pdf").read_bytes()
    descriptors = re.findall(rb"/Type\s*/FontDescriptor(.*?)>>", data, re.S)
    if not descriptors:  # compressed object streams: ask poppler
        pdffonts = shutil.which("pdffonts")
        if pdffonts is None:
            if os.environ.get("CI") == "true":  # .ci/run installs poppler-utils
                pytest.fail("pdffonts (poppler-utils) is missing under CI")
            pytest.skip("no pdffonts and no plain font descriptors")
        import subprocess

        out = subprocess.run(
            [pdffonts, str(demo_site / "bulletins" / f"{latest}.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        assert out and all(line.split()[-5] == "yes" for line in out), out
        return
    for descriptor in descriptors:
        assert re.search(rb"/FontFile[23]?\b", descriptor), descriptor[:200]


def test_pdf_and_docx_are_byte_identical_across_builds(demo_site: Path, tmp_path: Path):
    """A second build without the cache makes the same bytes (dates from 印发日期)."""
    root = tmp_path / "repo"
    for name in ("data", "content", "templates"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    checked = pipeline.build(root, use_cache=False)
    assert not checked.report.errors, checked.report.format()
    for period in published(demo_site)[-2:]:
        for ext in ("pdf", "docx"):
            again = (root / "site" / "bulletins" / f"{period}.{ext}").read_bytes()
            assert again == (demo_site / "bulletins" / f"{period}.{ext}").read_bytes(), (
                period,
                ext,
            )


def test_docx_tables_styles_and_east_asian_fonts(demo_site: Path):
    import docx
    from docx.oxml.ns import qn

    latest = published(demo_site)[-1]
    data = figures(demo_site, latest)
    document = docx.Document(str(demo_site / "bulletins" / f"{latest}.docx"))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    for key in HEADLINE:
        city = data["city"][key]
        assert amount(city["ytd"], key) in cells
    for unit in data["units"]:
        for key in HEADLINE:
            row = unit["indicators"][key]
            if row["ytd"] is not None:
                assert amount(row["ytd"], key) in cells, (unit["name"], key)
    fonts = {
        name: document.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert fonts == {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
    }
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert any(h.endswith("总体情况") for h in headings) and any(
        h.endswith("需关注事项") for h in headings
    )
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert document.core_properties.created.date().isoformat() == data["issued"]


def test_configured_fonts_and_words_are_used(tmp_path: Path):
    """A bureau's own fonts (a stand-in: Noto under another family name) and Word names."""
    import pylopdf_fonts_zh_cn
    from fontTools.ttLib import TTFont

    from tongbao.cache import Cache
    from tongbao.document.pdf import family_of, font_setup

    (tmp_path / "fonts").mkdir()
    font = TTFont(str(pylopdf_fonts_zh_cn.sans_path()))
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Stand In Hei"
        elif record.nameID == 6:
            record.string = "StandInHei"
    font.save(str(tmp_path / "fonts" / "hei.otf"))
    config, problems = load_settings(
        {"document": {"fonts": {"heading": "fonts/hei.otf"}, "word_fonts": {"body": "宋体"}}}
    )
    assert problems == []
    settings = DocumentSettings.from_config(config)
    assert settings.missing_fonts(tmp_path) == []
    assert family_of(tmp_path / "fonts" / "hei.otf") == "Stand In Hei"
    folders, families = font_setup(tmp_path, settings, Cache(tmp_path / "cache"))
    assert families["heading"] == "Stand In Hei" and families["body"] == "Noto Serif SC"
    assert dict(settings.word_fonts)["body"] == "宋体"
    missing = DocumentSettings.from_config(
        load_settings({"document": {"fonts": {"body": "fonts/fs.ttf"}, "copy_number": True}})[0]
    )
    assert missing.copy_number and not settings.copy_number
    assert "fonts/fs.ttf" in missing.missing_fonts(tmp_path)[0]


def test_data_values_are_typst_strings_never_markup():
    """Markup characters in data (a unit named #a*b*, $, @, [ ]) print as written."""
    import pylopdf_fonts_zh_cn

    from tongbao.document.blocks import Document
    from tongbao.document.pdf import DEFAULT_FAMILIES, pdf_bytes

    assert literal('a"b\\c') == '"a\\"b\\\\c"'
    blocks = commentary_blocks(
        "## 一、总体 *情况*\n\n正文 **重点** 与 #a $x$ @y [z]。\n\n- 甲\n- 乙\n"
    )
    assert blocks[0].text == "（一）总体 *情况*"
    doc = Document(
        "#红头*",
        "2025年第1期",
        "局",
        "2025年1月2日",
        "2025-01-02",
        "题",
        tuple(blocks),
        (),
        "抄送单位",
        "局",
    )
    source = typst_source(doc, {}, DEFAULT_FAMILIES, "")
    assert '(" 与 #a $x$ @y [z]。", "")' in source
    folder = str(pylopdf_fonts_zh_cn.serif_path().parent)
    pdf = pdf_bytes(doc, {}, font_folders=[folder], families=DEFAULT_FAMILIES)
    path = Path(tempfile.mkdtemp()) / "x.pdf"
    path.write_bytes(pdf)
    text, _ = pdf_text(path)
    assert "#红头*" in text and "#a $x$ @y [z]" in text and "抄送：抄送单位。" in text


def test_table_cells_are_placed_around_spans():
    rows = [
        (Cell("单位", rowspan=2), Cell("甲", colspan=2)),
        (Cell("a"), Cell("b")),
    ]
    assert [(r, c, cell.text) for r, c, cell in grid_positions(rows)] == [
        (0, 0, "单位"),
        (0, 1, "甲"),
        (1, 1, "a"),
        (1, 2, "b"),
    ]


def test_feed_and_pages_link_the_documents(demo_site: Path):
    latest = published(demo_site)[-1]
    feed = (demo_site / "feed.xml").read_text(encoding="utf-8")
    assert f'href="bulletins/{latest}.pdf"' in feed
    page = (demo_site / "bulletins" / f"{latest}.html").read_text(encoding="utf-8")
    assert f'href="{latest}.pdf"' in page and f'href="{latest}.docx"' in page
    archive = (demo_site / "bulletins" / "index.html").read_text(encoding="utf-8")
    for period in published(demo_site):
        assert f'href="{period}.pdf"' in archive


def test_browser_print_is_a4_with_no_empty_page_and_no_small_text(browser, serve, demo_site):
    """The browser's print of the latest bulletin (print CSS, A4): a reasonable number of
    pages, none empty, no character below 9 pt (Chromium shrinks pages when something
    is wider than the paper: this catches it), navigation hidden, and the group tables
    printed as the split print tables with every unit's 完成率 and its light's word."""
    latest = published(demo_site)[-1]
    data = figures(demo_site, latest)
    page = browser.new_page()
    try:
        page.goto(serve(demo_site) + f"bulletins/{latest}.html", wait_until="load")
        page.emulate_media(media="print")
        printed = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        page.close()
    path = Path(tempfile.mkdtemp()) / "bulletin-print.pdf"
    path.write_bytes(printed)
    with pdfplumber.open(path) as pdf:
        # the demo's whole project lists (71 projects new this month) print on ~18 pages
        assert 3 <= len(pdf.pages) <= 20, len(pdf.pages)
        sizes = Counter()
        texts = []
        for number, p in enumerate(pdf.pages, start=1):
            assert (p.width, p.height) == pytest.approx(A4, abs=1), number
            text = (p.extract_text() or "").strip()
            assert len(text) > 20, f"page {number} is (nearly) empty"
            texts.append(text)
            sizes.update(round(c["size"], 1) for c in p.chars)
    small = {s: n for s, n in sizes.items() if s < 9}
    assert not small, small
    flat = "".join(texts).replace("\n", "").replace(" ", "")
    assert "下载PDF" not in flat and "上一期" not in flat  # header links and pager hidden
    for unit in data["units"]:
        row = unit["indicators"]["signed_amount"]
        if row["rate"] is not None:
            assert f"{row['ytd'] / row['target'] * 100:.2f}%" in flat, unit["name"]
    words = {"green": "●绿", "yellow": "▲黄", "red": "■红"}
    lights = Counter(
        u["indicators"][key]["light"] for u in data["units"] for key in HEADLINE if u["reported"]
    )
    for light, count in lights.items():
        if light:
            assert flat.count(words[light]) >= count, (light, count)
