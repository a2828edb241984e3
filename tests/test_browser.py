"""Headless-browser tests: the built site as a reader's browser sees it.

Debian's Chromium (driven by Playwright through the session ``browser`` fixture of
conftest.py) opens the built sites over a local HTTP server on 127.0.0.1:

- ``basic_site``: the small hand-made case (甲区, 乙区, 丙县, 开发区, 文旅投促委;
  2023-03 and 2024-01..03; 乙区 did not report in 2024-02);
- ``demo_site``: the repository's demo (2024-01..2025-12; 利津县 did not report in 2025-04).

What is checked: bulletin pages show their title, group tables and static SVG charts
with Chinese labels, with and without JavaScript; the vendored Vega bundle turns every
chart into a live view offline; no request leaves 127.0.0.1; the "not the latest"
banner, previous/next links and 未报送 rows; the page is screenshotted on screen and in
print media (navigation hidden); no console error or page error.

Every test gets a fresh browser context (fresh cache, cookies and routes). Screenshots
of the demo's latest bulletin are also copied to tongbao-bulletin.png and
tongbao-bulletin-print.png in the system's temporary folder, for a human to look at.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import struct
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent

CJK = re.compile(r"[\u4e00-\u9fff]")
GROUPS = ("县区", "市属开发区", "产业投促委")
VIEWPORT = {"width": 1280, "height": 900}
WAIT_MS = 15_000  # upper bound for any single wait; enhancement takes ~2 s locally

BASIC_LATEST = "2024-03"
BASIC_UNITS = {
    "县区": ["甲区", "乙区", "丙县"],
    "市属开发区": ["开发区"],
    "产业投促委": ["文旅投促委"],
}

DEMO_LATEST = "2025-12"
# Names the demo must show in its latest bulletin (a subset: the demo may have more units).
DEMO_MUST_HAVE = {
    "县区": ["东营区", "河口区", "垦利区", "广饶县", "利津县"],
    "市属开发区": ["东营经济技术开发区"],
    "产业投促委": [],
}

ALL_CHARTS_ENHANCED = """() => {
    const all = document.querySelectorAll('figure.tb-chart');
    const done = document.querySelectorAll('figure.tb-chart[data-enhanced="1"]');
    return all.length > 0 && done.length === all.length;
}"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def basic_url(serve, basic_site) -> str:
    return serve(basic_site)


@pytest.fixture(scope="module")
def demo_url(serve, demo_site) -> str:
    return serve(demo_site)


@pytest.fixture
def context(browser):
    """A fresh context per test (JavaScript on), 1280 px wide."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(WAIT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def site_url(request, site: str) -> str:
    """Base URL of "basic" or "demo" (the demo is only built when a test asks for it)."""
    return request.getfixturevalue(f"{site}_url")


# --------------------------------------------------------------------------- helpers


def bulletin(base: str, month: str) -> str:
    return f"{base}bulletins/{month}.html"


def units_in_table(page, group: str) -> list[str]:
    table = page.locator(f'table.tb-units-table[data-group="{group}"]')
    assert table.count() == 1, f"expected one table for {group}, found {table.count()}"
    return [name.strip() for name in table.locator("th.tb-unit a").all_text_contents()]


def assert_static_charts(page) -> None:
    """Every chart has a static SVG with at least one Chinese <text>, a summary and a CSV link."""
    figures = page.locator("figure.tb-chart")
    assert figures.count() > 0, "no figure.tb-chart on the page"
    for i in range(figures.count()):
        figure = figures.nth(i)
        name = figure.get_attribute("id") or f"figure #{i}"
        svg = figure.locator(".tb-chart-svg svg")
        assert svg.count() == 1, f"{name}: no static SVG in .tb-chart-svg"
        texts = svg.locator("text").all_text_contents()
        assert any(CJK.search(t) for t in texts), (
            f"{name}: no Chinese <text> in static SVG: {texts}"
        )
        summary = figure.locator("figcaption .tb-chart-summary").inner_text().strip()
        assert CJK.search(summary), f"{name}: summary missing or not Chinese: {summary!r}"
        href = figure.locator("a.tb-csv").get_attribute("href")
        assert href and href.endswith(".csv"), f"{name}: CSV link is {href!r}"
        response = page.request.get(urljoin(page.url, href))
        assert response.ok, f"{name}: {href} → HTTP {response.status}"
        assert CJK.search(response.text()), f"{name}: {href} has no Chinese header"


def demo_units_by_group(month: str) -> dict[str, list[str]]:
    """Units of data/units.csv active in `month`, by group (headers in Chinese or as keys)."""
    keys = {
        "单位名称": "name",
        "单位类别": "group",
        "启用月份": "active_from",
        "停用月份": "active_to",
    }
    with open(REPO / "data" / "units.csv", encoding="utf-8-sig", newline="") as f:
        rows = [
            {keys.get(k.strip(), k.strip()): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(f)
        ]
    active = [
        row
        for row in rows
        if row.get("active_from", "") <= month and (row.get("active_to") or "9999-99") >= month
    ]
    return {g: [row["name"] for row in active if row["group"] == g] for g in GROUPS}


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


# --------------------------------------------------------------------------- 1. content


@contextmanager
def bulletin_page(browser, base: str, month: str, *, javascript: bool):
    """A bulletin opened in a fresh context, with or without JavaScript."""
    ctx = browser.new_context(java_script_enabled=javascript, viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        response = page.goto(bulletin(base, month))
        assert response is not None and response.status == 200
        yield page
    finally:
        ctx.close()


def assert_static_charts_only(page) -> None:
    """Proof that scripts really did not run: Material would remove "no-js", tongbao.js
    would mark charts enhanced. The static SVG is what shows."""
    assert "no-js" in (page.locator("html").get_attribute("class") or "")
    assert page.locator("figure.tb-chart[data-enhanced]").count() == 0
    svgs = page.locator("figure.tb-chart .tb-chart-svg svg")
    for i in range(svgs.count()):
        box = svgs.nth(i).bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40, f"static SVG #{i}: {box}"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_basic_bulletin_shows_title_tables_and_static_charts(browser, basic_url, javascript):
    with bulletin_page(browser, basic_url, BASIC_LATEST, javascript=javascript) as page:
        assert page.locator("h1.tb-title").inner_text().startswith("2024年第3期")
        assert page.locator("h1.tb-title .tb-period").inner_text().strip() == "2024年1—3月"
        assert page.title().startswith("2024年第3期")
        for group in GROUPS:
            assert units_in_table(page, group) == BASIC_UNITS[group], group
            assert page.locator(f'table.tb-units-table[data-group="{group}"]').is_visible()
        assert page.locator(".tb-card").count() == 6
        assert_static_charts(page)
        if not javascript:
            assert_static_charts_only(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_demo_latest_bulletin_shows_title_tables_and_static_charts(browser, demo_url, javascript):
    with bulletin_page(browser, demo_url, DEMO_LATEST, javascript=javascript) as page:
        assert page.locator("h1.tb-title").inner_text().startswith("2025年第12期")
        assert page.locator("h1.tb-title .tb-period").inner_text().strip() == "2025年1—12月"
        assert "东营市" in page.locator(".tb-header").inner_text()
        expected = demo_units_by_group(DEMO_LATEST)
        for group in GROUPS:
            shown = units_in_table(page, group)
            assert shown, f"{group}: empty table"
            missing = [u for u in DEMO_MUST_HAVE[group] if u not in shown]
            assert not missing, f"{group}: {missing} not in {shown}"
            assert sorted(shown) == sorted(expected[group]), (
                f"{group}: page {shown} vs units.csv {expected[group]}"
            )
        assert_static_charts(page)
        if not javascript:
            assert_static_charts_only(page)
            assert page.locator("figure.tb-chart .tb-chart-svg svg").first.is_visible()


# --------------------------------------------------------------------------- 2. enhancement


@pytest.mark.parametrize("site, month", [("basic", BASIC_LATEST), ("demo", DEMO_LATEST)])
def test_charts_are_enhanced_by_vendored_vega(request, page, site, month):
    page.goto(bulletin(site_url(request, site), month))
    n = page.locator("figure.tb-chart").count()
    assert n > 0
    page.wait_for_function(ALL_CHARTS_ENHANCED, timeout=WAIT_MS)
    assert page.locator('figure.tb-chart[data-enhanced="1"]').count() == n
    for i in range(n):
        figure = page.locator("figure.tb-chart").nth(i)
        assert figure.locator(".tb-chart-live svg").is_visible(), f"chart #{i}: live view not shown"
        assert figure.locator(".tb-chart-svg").is_hidden(), f"chart #{i}: static SVG still shown"
    # The point of the enhancement: a tooltip on hover, with the unit's name in it.
    bar = page.locator("figure.tb-chart").first.locator(".tb-chart-live svg g.mark-rect path").first
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(state="visible", timeout=WAIT_MS)
    assert CJK.search(tooltip.inner_text()), tooltip.inner_text()


# --------------------------------------------------------------------------- 3. offline


@pytest.mark.parametrize("site, month", [("basic", BASIC_LATEST), ("demo", DEMO_LATEST)])
def test_pages_make_no_request_outside_127_0_0_1(request, context, site, month):
    base = site_url(request, site)
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(f"{route.request.resource_type} {url}")
            route.abort()

    def watch(req):
        # A request that bypassed routing (e.g. from a worker) is recorded too.
        parts = urlsplit(req.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname != "127.0.0.1":
            outside.append(f"{req.resource_type} {req.url} (seen)")

    context.route("**/*", guard)
    context.on("request", watch)
    page = context.new_page()
    for url in (base, bulletin(base, month), f"{base}bulletins/index.html"):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if "/bulletins/2" in url:
            page.wait_for_function(ALL_CHARTS_ENHANCED, timeout=WAIT_MS)
        page.wait_for_load_state("networkidle")
    assert not outside, "requests outside 127.0.0.1:\n" + "\n".join(outside)


# --------------------------------------------------------------------------- 4. banner


def test_older_bulletin_banner_leads_to_latest(page, basic_url):
    page.goto(bulletin(basic_url, "2024-01"))
    banner = page.locator("p.tb-banner")
    assert banner.is_visible()
    assert "这不是最新一期" in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_url(re.compile(r"/bulletins/2024-03\.html$"))
    assert page.locator("h1.tb-title").inner_text().startswith("2024年第3期")
    assert page.locator("p.tb-banner").count() == 0, (
        "the latest bulletin shows the 'not latest' banner"
    )


def test_demo_banner_on_older_and_not_on_latest(page, demo_url):
    page.goto(bulletin(demo_url, "2024-06"))
    link = page.locator("p.tb-banner a")
    assert link.count() == 1
    link.click()
    page.wait_for_url(re.compile(rf"/bulletins/{DEMO_LATEST}\.html$"))
    assert page.locator("h1.tb-title").inner_text().startswith("2025年第12期")
    assert page.locator("p.tb-banner").count() == 0


# --------------------------------------------------------------------------- 5. prev / next


def test_prev_next_links_walk_the_bulletins(page, basic_url):
    page.goto(bulletin(basic_url, "2024-02"))
    assert page.locator("a.tb-next").get_attribute("rel") == "next"
    assert page.locator("a.tb-prev").get_attribute("rel") == "prev"
    page.locator("a.tb-next").click()
    page.wait_for_url(re.compile(r"/bulletins/2024-03\.html$"))
    assert page.locator("h1.tb-title").inner_text().startswith("2024年第3期")
    assert page.locator("a.tb-next").count() == 0, "the last bulletin has a next link"

    page.goto(bulletin(basic_url, "2024-02"))
    page.locator("a.tb-prev").click()
    page.wait_for_url(re.compile(r"/bulletins/2024-01\.html$"))
    assert page.locator("h1.tb-title").inner_text().startswith("2024年第1期")
    # 2024-01 goes back across the year gap to the first bulletin, 2023-03.
    page.locator("a.tb-prev").click()
    page.wait_for_url(re.compile(r"/bulletins/2023-03\.html$"))
    assert page.locator("h1.tb-title").inner_text().startswith("2023年第3期")
    assert page.locator("a.tb-prev").count() == 0, "the first bulletin has a previous link"
    assert page.locator("a.tb-next").count() == 1


# --------------------------------------------------------------------------- 6. 未报送


def assert_not_reported(page, group: str, unit: str) -> None:
    table = page.locator(f'table.tb-units-table[data-group="{group}"]')
    row = table.locator("tbody tr").filter(has=page.locator("th.tb-unit", has_text=unit))
    assert row.count() == 1, f"{unit}: expected one row in {group}, found {row.count()}"
    assert "tb-missing" in (row.get_attribute("class") or "").split(), (
        f"{unit}: row is not tr.tb-missing"
    )
    assert "未报送" in row.inner_text()
    assert row.is_visible()
    others = table.locator("tbody tr.tb-missing")
    assert others.count() == 1, f"{group}: other rows marked missing: {others.all_inner_texts()}"


def test_basic_unit_not_reported_is_kept_in_place(page, basic_url):
    page.goto(bulletin(basic_url, "2024-02"))
    assert_not_reported(page, "县区", "乙区")
    # Kept in place: 乙区 is still between 甲区 and 丙县.
    assert units_in_table(page, "县区") == ["甲区", "乙区", "丙县"]


def test_demo_unit_not_reported_is_kept_in_place(page, demo_url):
    page.goto(bulletin(demo_url, "2025-04"))
    assert_not_reported(page, "县区", "利津县")


# --------------------------------------------------------------------------- 7. screenshots


def test_demo_latest_screenshot_and_print(page, demo_url, tmp_path):
    page.goto(bulletin(demo_url, DEMO_LATEST))
    page.wait_for_function(ALL_CHARTS_ENHANCED, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    shot = tmp_path / "bulletin.png"
    page.screenshot(path=str(shot), full_page=True)
    width, height = png_size(shot)
    assert width == 1280 and height > 900, (width, height)
    assert shot.stat().st_size > 50_000, f"screenshot only {shot.stat().st_size} bytes"
    shutil.copy(shot, Path(tempfile.gettempdir()) / "tongbao-bulletin.png")

    assert page.locator(".md-header").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".md-header").is_hidden(), "Material header shown in print"
    sidebars = page.locator(".md-sidebar")
    for i in range(sidebars.count()):
        assert sidebars.nth(i).is_hidden(), f"sidebar #{i} shown in print"
    assert page.locator("h1.tb-title").is_visible()
    # the wide group table gives way to the print tables (three indicators each, A4)
    assert page.locator("table.tb-units-table").first.is_hidden()
    assert page.locator("table.tb-print-table").first.is_visible()
    assert page.locator("figure.tb-chart svg").first.is_visible()
    printed = tmp_path / "bulletin-print.png"
    page.screenshot(path=str(printed), full_page=True)
    assert printed.stat().st_size > 50_000
    shutil.copy(printed, Path(tempfile.gettempdir()) / "tongbao-bulletin-print.png")


PRINT_TABLES = """() => [...document.querySelectorAll('table.tb-print-table')].map(t => ({
    caption: t.caption.innerText.trim(),
    shown: t.getClientRects().length > 0,
    heads: [...t.tHead.rows].map(r => [...r.cells].map(c => c.innerText.trim())),
    rows: [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim())),
}))"""

PROJECT_LISTS = """() => [...document.querySelectorAll('table.tb-projects')].map(t => ({
    title: t.closest('.tb-table-wrap').previousElementSibling.innerText.trim(),
    rows: t.tBodies[0].rows.length,
    shown: [...t.tBodies[0].rows].filter(r => r.getClientRects().length > 0).length,
}))"""


def printed_number(value: float | None, unit: str) -> str:
    """A figure as the tables write it, recomputed here: two decimals for amounts, whole
    counts, thousands grouped from five integer digits."""
    if value is None:
        return "—"
    digits = 2 if unit in {"亿元", "万美元"} else 0
    text = f"{value:.{digits}f}"
    if len(text.split(".")[0].lstrip("-")) >= 5:
        text = f"{value:,.{digits}f}"
    return text


def test_demo_print_keeps_totals_targets_and_every_project_row(page, demo_url, tmp_path):
    """Printed from the browser, each group's table keeps 累计 and 目标 beside 完成率, 位次
    and 亮灯 (two indicators a table, A4), and the project lists are whole; on A4 nothing
    is set below 9 pt or runs off the paper."""
    page.goto(bulletin(demo_url, DEMO_LATEST))
    page.wait_for_load_state("networkidle")
    figures = page.request.get(urljoin(page.url, f"../data/{DEMO_LATEST}.json")).json()
    page.emulate_media(media="print")
    tables = page.evaluate(PRINT_TABLES)
    headline = [
        ("签约项目", "个", "signed_count"),
        ("签约金额", "亿元", "signed_amount"),
        ("开工项目", "个", "started_count"),
        ("实际到位资金", "亿元", "funds_in"),
        ("实际使用外资", "万美元", "fdi"),
        ("外出招商批次", "批次", "trips"),
    ]
    for group in GROUPS:
        units = [u for u in figures["units"] if u["group"] == group]
        parts = [t for t in tables if t["caption"].startswith(f"{group}（")]
        assert parts and all(t["shown"] for t in parts), f"{group}: print tables hidden"
        shown: list[str] = []
        for part in parts:
            names, columns = part["heads"]
            assert names[0] == "单位"
            indicators = names[1:]
            assert columns == ["累计", "目标", "完成率", "位次", "亮灯"] * len(indicators)
            shown += indicators
            assert [row[0] for row in part["rows"]] == [u["name"] for u in units]
            for unit, row in zip(units, part["rows"], strict=True):
                if not unit["reported"]:
                    assert row[1:] == ["未报送"]
                    continue
                for i, label in enumerate(indicators):
                    name, unit_word, key = next(h for h in headline if label == f"{h[0]}（{h[1]}）")
                    fig = unit["indicators"][key]
                    ytd, target = row[1 + 5 * i], row[2 + 5 * i]
                    assert ytd == printed_number(fig["ytd"], unit_word), (unit["name"], key)
                    assert target == printed_number(fig["target"], unit_word), (unit["name"], key)
        assert shown == [f"{n}（{u}）" for n, u, _ in headline], group

    # the project lists print every row the page lists (the page lists at most 20 of the
    # 亿元以上 projects and says how many more the .xlsx has)
    projects = figures["projects"]
    lists = {t["title"]: t for t in page.evaluate(PROJECT_LISTS)}
    expected = {
        "亿元以上项目": min(len(projects["big"]), 20),
        "世界500强项目": len(projects["f500"]),
        "本月新签约项目": len(projects["new_this_month"]),
    }
    assert {k: v["rows"] for k, v in lists.items()} == expected
    assert {k: v["shown"] for k, v in lists.items()} == expected
    assert expected["本月新签约项目"] > 10 and expected["亿元以上项目"] > 10  # the old cut

    # on A4: no type below 9 pt, nothing past the paper's right edge
    import pdfplumber

    printed = tmp_path / "bulletin.pdf"
    page.pdf(path=str(printed), format="A4", prefer_css_page_size=True)
    shutil.copy(printed, Path(tempfile.gettempdir()) / "tongbao-bulletin-print.pdf")
    with pdfplumber.open(printed) as pdf:
        words = []
        for sheet in pdf.pages:
            sizes = {round(c["size"], 1) for c in sheet.chars}
            assert min(sizes) >= 9.0, f"page {sheet.page_number}: type at {min(sizes)} pt"
            assert max(c["x1"] for c in sheet.chars) <= sheet.width - 20
            words += [w["text"] for w in sheet.extract_words()]
    assert words.count("目标") >= 2 * len(GROUPS) * 3


# --------------------------------------------------------------------------- 8. console


@pytest.mark.parametrize("site, month", [("basic", BASIC_LATEST), ("demo", DEMO_LATEST)])
def test_bulletin_has_no_console_errors(request, page, site, month):
    errors: list[str] = []
    page.on(
        "console",
        lambda m: m.type == "error" and errors.append(f"console: {m.text} ({m.location})"),
    )
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url} {r.failure}"))
    page.goto(bulletin(site_url(request, site), month))
    page.wait_for_function(ALL_CHARTS_ENHANCED, timeout=WAIT_MS)
    page.wait_for_load_state("networkidle")
    assert not errors, "\n".join(errors)


# --- search, sub-path and file:// (issue 6) ---------------------------------------

SUB_PATH = "/zsyz/tongbao"


def search(page, base: str, query: str) -> list[str]:
    """Run a query on the search page; the result links, relative to the site."""
    page.goto(urljoin(base, f"search.html?q={query}"))
    page.wait_for_function(
        "() => { const s = document.getElementById('tb-search-status').textContent;"
        " return s && !s.startsWith('正在'); }",
        timeout=WAIT_MS,
    )
    hrefs = page.eval_on_selector_all(
        "#tb-search-results a", "els => els.map(e => e.getAttribute('href'))"
    )
    return [urlsplit(h).path.removeprefix(SUB_PATH + "/") for h in hrefs]


def test_demo_search_finds_units_aliases_projects_and_commentary(browser, serve, demo_site):
    """Served from a sub-path, as on the intranet; the index is Pagefind's, offline."""
    base = serve(demo_site, SUB_PATH)
    latest = json.loads((demo_site / f"data/{DEMO_LATEST}.json").read_text(encoding="utf-8"))
    project = latest["projects"]["big"][0]
    commentary = (REPO / f"content/{DEMO_LATEST}.md").read_text(encoding="utf-8")
    assert "项目储备" in commentary
    context = browser.new_context()
    page = context.new_page()
    try:
        found = search(page, base, "东营区")
        assert found[0] == "units/DYQ.html" and f"bulletins/{DEMO_LATEST}.html" in found
        assert search(page, base, "垦利县")[0] == "units/KLQ.html"  # an alias of 垦利区
        found = search(page, base, project["name"])
        assert (
            f"bulletins/{DEMO_LATEST}.html" in found and f"units/{project['unit_id']}.html" in found
        )
        assert f"bulletins/{DEMO_LATEST}.html" in search(page, base, "项目储备")
        assert any(p.startswith("bulletins/2024-") for p in search(page, base, "2024年"))
        mixed = search(page, base, "东营区签约")
        assert mixed and all(p.startswith(("bulletins/", "units/")) for p in mixed)
    finally:
        context.close()


def test_demo_pages_work_from_a_sub_path(browser, serve, demo_site):
    base = serve(demo_site, SUB_PATH)
    context = browser.new_context()
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        for path in ("index.html", "units/DYQ.html", "about.html", f"bulletins/{DEMO_LATEST}.html"):
            page.goto(urljoin(base, path), wait_until="networkidle")
        page.wait_for_function(ALL_CHARTS_ENHANCED, timeout=WAIT_MS)
        page.click("a.tb-prev")
        assert page.url.startswith(base)
    finally:
        context.close()
    assert not failed, failed


def test_demo_opens_from_disk(browser, demo_site):
    """file://: pages, tables and static charts work; the search page offers its box
    (the offline index: tests/test_offline_search.py)."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto((demo_site / f"bulletins/{DEMO_LATEST}.html").as_uri())
        assert page.locator("table.tb-units-table").count() == 3
        # the static SVG, or the live view that replaced it (the vendored bundle loads from disk)
        page.locator("figure.tb-chart svg >> visible=true").first.wait_for(timeout=WAIT_MS)
        page.click("a.tb-prev")
        page.wait_for_load_state()
        page.locator("h1.tb-title").wait_for(timeout=WAIT_MS)  # a loaded machine is slow
        assert page.url.endswith(".html")
        page.goto((demo_site / "search.html").as_uri())
        assert page.locator("#tb-search-input").is_visible()
        assert page.locator("#tb-search-offline").is_hidden()
    finally:
        context.close()
