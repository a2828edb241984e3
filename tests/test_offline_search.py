"""Search from disk: the bigram index script and the vendored MiniSearch, via file://."""

from __future__ import annotations

import json
from pathlib import Path

from tongbao.layout import OFFLINE_INDEX as INDEX_PATH
from tongbao.pages.offline_search import segment

REPO = Path(__file__).resolve().parent.parent
DEMO_LATEST = "2025-12"
WAIT_MS = 15_000
SAMPLES = [
    "东营区",
    "垦利县签约",
    "项目储备",
    "县",
    "Tesla 新能源汽车 2024年",
    "东营经济技术开发区（DYJK）",
    "",
]


def test_segment_makes_bigrams_of_chinese_and_words_of_latin():
    assert segment("东营区") == ["东营", "营区"]
    assert segment("县") == ["县"]
    assert segment("东营区签约 Tesla2024 年") == ["东营", "营区", "区签", "签约", "tesla2024", "年"]
    assert segment("——，。") == []


def test_index_script_holds_units_aliases_bulletins_and_projects(demo_site: Path):
    text = (demo_site / INDEX_PATH).read_text(encoding="utf-8")
    prefix = "self.tongbaoOfflineIndex = "
    assert text.startswith(prefix) and text.endswith(";\n")
    docs = json.loads(text[len(prefix) : -2])["docs"]
    kinds = {d["k"] for d in docs}
    assert kinds == {"单位", "通报", "项目"}
    klq = next(d for d in docs if d["u"] == "units/KLQ.html")
    assert {"垦利", "利县"} <= set(klq["n"].split())  # the alias 垦利县 is a name
    latest = next(d for d in docs if d["u"] == f"bulletins/{DEMO_LATEST}.html")
    assert {"项目", "储备"} <= set(latest["s"].split()) | set(latest["n"].split())
    for d in docs:  # tokens are those of the shown text, each once
        assert len(d["s"].split()) == len(set(d["s"].split()))


def search_from_disk(page, site: Path, query: str) -> list[str]:
    page.goto((site / "search.html").as_uri() + f"?q={query}")
    page.wait_for_function(
        "() => { const s = document.getElementById('tb-search-status').textContent;"
        " return s && !s.startsWith('正在'); }",
        timeout=WAIT_MS,
    )
    hrefs = page.eval_on_selector_all(
        "#tb-search-results a", "els => els.map(e => e.getAttribute('href'))"
    )
    root = site.as_uri() + "/"
    assert all(h.startswith(root) for h in hrefs), hrefs
    return [h[len(root) :] for h in hrefs]


def test_search_works_from_disk_with_no_request_outside_the_folder(browser, demo_site: Path):
    latest = json.loads((demo_site / f"data/{DEMO_LATEST}.json").read_text(encoding="utf-8"))
    project = latest["projects"]["big"][0]
    commentary = (REPO / f"content/{DEMO_LATEST}.md").read_text(encoding="utf-8")
    assert "项目储备" in commentary
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        found = search_from_disk(page, demo_site, "东营区")
        assert found[0] == "units/DYQ.html" and f"bulletins/{DEMO_LATEST}.html" in found
        assert page.locator("#tb-search-offline").is_hidden()
        assert page.locator("#tb-search-input").is_visible()
        assert search_from_disk(page, demo_site, "垦利县")[0] == "units/KLQ.html"  # alias
        found = search_from_disk(page, demo_site, project["name"])
        assert f"units/{project['unit_id']}.html#projects" in found, found
        found = search_from_disk(page, demo_site, "项目储备")
        assert f"bulletins/{DEMO_LATEST}.html" in found
        assert page.locator("#tb-search-results mark").first.inner_text() == "项目储备"
        assert search_from_disk(page, demo_site, "没有这个词语") == []
        # the query box works too, not only ?q=
        page.fill("#tb-search-input", "河口区")
        page.click("#tb-search-form button")
        page.wait_for_function(
            "() => document.getElementById('tb-search-status').textContent.startsWith('找到')"
        )
        assert (
            page.locator("#tb-search-results a")
            .first.get_attribute("href")
            .endswith("units/HKQ.html")
        )
        # the browser's tokenizer is the build's
        page.goto((demo_site / "search.html").as_uri())
        js = page.evaluate(
            "samples => samples.map(s => self.tongbaoOfflineSearch.segment(s))", SAMPLES
        )
        assert js == [segment(s) for s in SAMPLES]
    finally:
        context.close()
    assert not errors, errors
    root = demo_site.as_uri() + "/"
    outside = [u for u in requests if not u.startswith(root)]
    assert requests and not outside, outside
    assert any(u.endswith(INDEX_PATH) for u in requests)
