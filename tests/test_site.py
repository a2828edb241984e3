"""Rendered pages and the published site: contents, escaping, atomic publish."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import altair as alt
import pytest
from conftest import BASIC_TODAY

from tongbao import charts, pipeline
from tongbao.publish.site import tree_digest

XSS = "<script>alert(1)</script>"


def test_bulletin_page_shows_units_tables_charts_and_commentary(basic_site: Path):
    html = (basic_site / "bulletins/2024-03.html").read_text(encoding="utf-8")
    for name in ("甲区", "乙区", "丙县", "开发区", "文旅投促委"):
        assert f">{name}</a>" in html
    assert (
        "2024年第3期" in html
        and "2024年1—3月" in html
        and "时序进度：<strong>25.00%</strong>" in html
    )
    assert "全市签约金额 145.00亿元，完成年度目标的 24.17%" in html  # commentary, figures filled in
    # 3 groups, the 签约金额 line (no 到位资金 data), targets; no trips → no effort chart
    assert html.count('<figure class="tb-chart"') == 5
    svgs = re.findall(r'<div class="tb-chart-svg"><svg.*?</svg>', html, re.DOTALL)
    assert len(svgs) == 5 and "县区签约金额完成率" in svgs[0]
    assert "修订" in html and "丙县核减签约金额0.50亿元" in html
    assert "未纳入比较的单位：乙区、开发区" in html  # 乙区: no February; 开发区: no 2023 base
    assert "这不是最新一期" not in html


def test_old_bulletin_has_banner_and_pager(basic_site: Path):
    html = (basic_site / "bulletins/2024-02.html").read_text(encoding="utf-8")
    assert "这不是最新一期" in html and 'href="2024-03.html"' in html
    assert 'rel="prev" href="2024-01.html"' in html and 'rel="next" href="2024-03.html"' in html
    assert re.search(
        r'<tr class="tb-missing" id="unit-YQ"><th[^>]*><a href="../units/YQ.html"[^>]*>乙区</a></th> <td colspan="\d+">未报送</td>',
        html,
    )


def test_home_and_archive_list_every_bulletin(basic_site: Path):
    archive = (basic_site / "bulletins/index.html").read_text(encoding="utf-8")
    for period in ("2023-03", "2024-01", "2024-02", "2024-03"):
        assert f'href="{period}.html"' in archive
    assert archive.index("2024年") < archive.index("2023年")  # newest year first
    home = (basic_site / "index.html").read_text(encoding="utf-8")
    assert 'href="bulletins/2024-03.html"' in home and "145.00" in home


def test_chart_csv_is_exactly_the_charted_data(basic_site: Path):
    raw = (basic_site / "downloads/2024-03/chart-1-1.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 with BOM correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["单位"], r["完成率"], r["位次"]) for r in rows] == [
        ("甲区", "0.333333", "并列第1位"),
        ("乙区", "0.333333", "并列第1位"),
        ("丙县", "0.083333", "第3位"),
    ]


def test_every_chart_spec_is_valid_vega_lite(basic_root: Path):
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    made = charts.charts_for_month(checked.figures["2024-03"], checked.figures)
    assert [c.chart_id for c in made] == [
        "chart-1-1",
        "chart-1-2",
        "chart-1-3",
        "chart-2-signed_amount",
        "chart-3",
    ]
    for chart in made:
        alt.Chart.from_dict(chart.spec, validate=True)  # raises on an invalid spec
        text = json.dumps(chart.spec, ensure_ascii=False)
        assert "data" in text and "url" not in text
        assert '"@' not in text, f"{chart.chart_id}: a template slot was left unfilled"


def test_chart_templates_are_filled_per_month_not_shared(basic_root: Path):
    """Charts are Altair templates filled with a month's rows: two months never share data."""
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    march = charts.charts_for_month(checked.figures["2024-03"], checked.figures)
    february = charts.charts_for_month(checked.figures["2024-02"], checked.figures)
    first, again = march[0], charts.charts_for_month(checked.figures["2024-03"], checked.figures)[0]
    assert first.spec == again.spec and first.spec is not again.spec
    feb = next(c for c in february if c.chart_id == first.chart_id)
    feb_units = [r["完成率"] for r in feb.spec["datasets"]["rows"]]
    march_units = [r["完成率"] for r in first.spec["datasets"]["rows"]]
    assert feb_units != march_units
    # the rule at 时序进度 moves with the month: 2/12 in February, 3/12 in March
    assert feb.spec["datasets"]["extra"][0]["时序进度"] == pytest.approx(2 / 12)
    assert first.spec["datasets"]["extra"][0]["时序进度"] == pytest.approx(3 / 12)
    x_scale = first.spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert x_scale[1] == pytest.approx(max(1.0, max(march_units) * 1.15))
    assert first.spec["height"] == 24 * len(march_units)


def test_data_values_are_escaped_everywhere(tmp_path: Path, basic_root: Path):
    units = basic_root / "data/units.csv"
    # the unit is renamed to a probe; its old name stays an alias so the reports still resolve
    text = units.read_text(encoding="utf-8").replace("BX,丙县,县区,,,", f"BX,{XSS},县区,,丙县,")
    units.write_text(text, encoding="utf-8")
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    for page in (basic_root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert XSS not in html, page
        assert "<script>alert" not in html, page
    bulletin = (basic_root / "site/bulletins/2024-03.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bulletin


def test_failed_build_leaves_the_previous_site_untouched(basic_root: Path):
    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    before = tree_digest(basic_root / "site")
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目\n甲区,约5个\n", encoding="utf-8"
    )
    checked = pipeline.build(basic_root, today=BASIC_TODAY)
    assert checked.report.errors
    assert tree_digest(basic_root / "site") == before
    assert not list(basic_root.glob(".site.building-*"))


def test_rebuild_is_byte_identical(basic_root: Path, basic_site: Path):
    pipeline.build(basic_root, today=BASIC_TODAY)
    assert tree_digest(basic_root / "site") == tree_digest(basic_site)


def test_site_makes_no_reference_outside_itself(basic_site: Path):
    for page in basic_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        found = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
        assert not found, (page, found)
    assert (basic_site / "assets/vendor/vega-bundle.js").stat().st_size > 500_000


@pytest.mark.parametrize("period", ["2023-03", "2024-01", "2024-02", "2024-03"])
def test_figures_json_per_month(basic_site: Path, period: str):
    data = json.loads((basic_site / f"data/{period}.json").read_text(encoding="utf-8"))
    assert data["period"] == period and len(data["units"]) == 5


def test_about_page_is_generated_from_the_declarations(basic_site: Path):
    from tongbao.schema import STANDARD_INDICATORS

    INDICATORS = STANDARD_INDICATORS.all

    html = (basic_site / "about.html").read_text(encoding="utf-8")
    for ind in INDICATORS:
        assert f"<td>{ind.name}</td> <td><code>{ind.key}</code></td> <td>{ind.unit}</td>" in html
    assert "落后时序进度 20 个百分点及以上" in html and "县区、市属开发区" in html
    assert "relocation-share-high" in html


def test_bulletin_workbook_has_a_sheet_per_group_with_numbers(basic_site: Path):
    import openpyxl

    wb = openpyxl.load_workbook(basic_site / "downloads/2024-03/tongbao-2024-03.xlsx")
    assert wb.sheetnames == ["县区", "市属开发区", "产业投促委", "全市"]
    ws = wb["县区"]
    assert [ws.cell(r, 1).value for r in range(4, 7)] == ["甲区", "乙区", "丙县"]
    headers = [c.value for c in ws[3]]
    amount = 2 + 2 * 9 + 1  # 单位, 报送, nine figures each of 签约项目 and 其中亿元以上, then 累计
    assert ws.cell(2, amount).value == "签约金额(亿元)" and headers[amount - 1] == "累计"
    assert ws.cell(4, amount).value == 40 and ws.cell(4, amount + 4).value == pytest.approx(1 / 3)
    assert ws.cell(4, amount + 4).number_format == "0.00%"
    assert ws.cell(4, amount + 7).value == "并列第1"
    city = wb["全市"]
    assert [c.value for c in city[4]][:3] == ["签约金额", "亿元", 145]


def test_feed_is_dated_by_issue_date_and_sitemap_lists_pages(basic_site: Path):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(basic_site / "feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}link").get("href") for e in entries][0] == "bulletins/2024-03.html"
    assert (
        entries[0].find(f"{atom}updated").text == "2024-04-10T00:00:00Z"
    )  # issued:, not the clock
    assert len(entries) == 4 and feed.find(f"{atom}updated").text == "2024-04-10T00:00:00Z"
    urls = ElementTree.parse(basic_site / "sitemap.xml").getroot()
    locs = [u.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text for u in urls]
    assert "bulletins/2024-03.html" in locs and "units/JQ.html" in locs


def test_feed_links_each_bulletins_pdf_and_word_file(basic_site: Path):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    entries = ElementTree.parse(basic_site / "feed.xml").getroot().findall(f"{atom}entry")
    assert len(entries) == 4
    for entry in entries:
        page = entry.find(f"{atom}link[@rel='alternate']").get("href")
        period = page.removeprefix("bulletins/").removesuffix(".html")
        enclosures = {
            link.get("type"): link.get("href")
            for link in entry.findall(f"{atom}link[@rel='enclosure']")
        }
        assert enclosures == {
            "application/pdf": f"bulletins/{period}.pdf",
            docx: f"bulletins/{period}.docx",
        }
        for href in enclosures.values():
            assert (basic_site / href).stat().st_size > 0, href
        word = next(e for e in entry.findall(f"{atom}link") if e.get("type") == docx)
        assert word.get("title") == "Word"


def test_404_page_links_relative_without_site_url(basic_site: Path):
    html = (basic_site / "404.html").read_text(encoding="utf-8")
    assert not re.search(r'(href|src)="/[^/]', html)


def test_killed_build_leaves_the_previous_site_and_the_next_build_succeeds(basic_root: Path):
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    assert not pipeline.build(basic_root, today=BASIC_TODAY).report.errors
    before = tree_digest(basic_root / "site")
    # change a figure, so a completed build would change the site
    report = basic_root / "data/2024-03/report.csv"
    report.write_text(
        report.read_text(encoding="utf-8").replace("甲区,5,40", "甲区,5,41"), encoding="utf-8"
    )
    child = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(basic_root), "--quiet"]
    )
    deadline = time.monotonic() + 120
    while not list(basic_root.glob(".site.building-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(basic_root.glob(".site.building-*")), "the build never reached the site stage"
    child.send_signal(signal.SIGKILL)  # mid-way through MkDocs
    child.wait()
    assert tree_digest(basic_root / "site") == before
    again = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(basic_root), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert tree_digest(basic_root / "site") != before
    assert not list(basic_root.glob(".site.building-*"))
    assert "41.00" in (basic_root / "site/bulletins/2024-03.html").read_text(encoding="utf-8")


def test_every_demo_bulletin_is_within_the_page_budget(demo_site: Path):
    """≤ 290 KB of HTML a bulletin, before the shared assets (CSS, scripts). The print-only
    tables (two indicators each with 累计 and 目标, for A4) and chart 2 for 实际使用外资
    (~16 KB of SVG and spec) took the demo's largest page to ~279 KB."""
    sizes = {p.name: p.stat().st_size for p in (demo_site / "bulletins").glob("????-??.html")}
    assert len(sizes) == 24
    assert max(sizes.values()) <= 290_000, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


@pytest.mark.parametrize(
    "page", ["bulletins/2024-03.html", "bulletins/2024-02.html", "units/BX.html"]
)
def test_markdown_headings_become_sections_and_no_markup_leaks(basic_site: Path, page: str):
    """The generated Markdown's headings are real <h2> (with the TOC); no literal ## or
    placeholder reaches the reader."""
    html = (basic_site / page).read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert "## " not in article and "{#" not in article and "tb-inline" not in article
    assert re.findall(r"<h2 id=", article)
    if page.startswith("bulletins/"):
        sections = re.findall(r'<h2 id="(\w+)">', article)
        assert sections[:4] == ["overview", "commentary", "units", "charts"]
        assert sections[-2:] == ["flags", "downloads"]


def test_publish_without_an_atomic_exchange_swaps_by_two_renames(tmp_path: Path, monkeypatch):
    """Windows and macOS have no renameat2: the fallback replaces site/ and leaves nothing."""
    from tongbao.publish import swap as site_stage

    monkeypatch.setattr(site_stage.sys, "platform", "win32")
    live, staging = tmp_path / "site", tmp_path / ".site.building-x"
    live.mkdir()
    (live / "old.html").write_text("old", encoding="utf-8")
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    read_only = staging / "assets"
    read_only.mkdir()
    (read_only / "a.css").write_text("x", encoding="utf-8")
    site_stage.publish(staging, live)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (live / "index.html").read_text(encoding="utf-8") == "new"
    assert not (live / "old.html").exists()
