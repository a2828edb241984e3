"""Accessibility: WCAG 2.1 AA contrast of the theme colours, scoped table headers, chart
SVGs with a name and a description, and an axe-core audit of the built demo's pages.

axe-core is vendored for the tests only (tests/vendor/axe.min.js, version in
tests/vendor/VENDOR.txt) and injected into each page by Playwright.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tongbao.pages.access import label_svg, scope_header_cells

REPO = Path(__file__).resolve().parent.parent
CSS = REPO / "templates" / "assets" / "tongbao.css"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AA_TEXT = 4.5
DEMO_LATEST = "2025-12"


# --------------------------------------------------------------------------- contrast


def channel(value: int) -> float:
    """sRGB channel → linear light (WCAG 2.1 relative luminance definition)."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def parse_colour(text: str) -> tuple[tuple[int, int, int], float]:
    """#rgb, #rrggbb or #rrggbbaa → (rgb, alpha)."""
    text = text.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    rgb = tuple(int(text[i : i + 2], 16) for i in (0, 2, 4))
    alpha = int(text[6:8], 16) / 255 if len(text) == 8 else 1.0
    return rgb, alpha  # type: ignore[return-value]


def over(fg: str, bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """A possibly translucent colour as painted over an opaque background."""
    rgb, alpha = parse_colour(fg)
    return tuple(round(alpha * f + (1 - alpha) * b) for f, b in zip(rgb, bg, strict=True))  # type: ignore[return-value]


def theme_colours() -> dict[str, str]:
    """The custom properties tongbao.css sets (the last value of each wins, as in CSS)."""
    found = re.findall(r"(--[a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{3,8})\s*;", CSS.read_text("utf-8"))
    return dict(found)


def test_contrast_formula_matches_known_pairs():
    white, black = (255, 255, 255), (0, 0, 0)
    assert contrast(white, black) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    # #767676 is the lightest grey that passes AA on white (4.54:1)
    assert contrast(parse_colour("#767676")[0], white) == pytest.approx(4.54, abs=0.01)
    # Material's own red (#ef5350) under white header text fails AA: the reason for the theme
    assert contrast(parse_colour("#ef5350")[0], white) < AA_TEXT


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("--md-primary-bg-color", "--md-primary-fg-color"),  # header and tabs text
        ("--md-primary-bg-color--light", "--md-primary-fg-color"),  # header's dimmer text
        ("--md-primary-bg-color", "--md-primary-fg-color--dark"),
        ("--md-primary-bg-color", "--md-primary-fg-color--light"),
        ("--md-typeset-a-color", "#ffffff"),  # links
        ("--md-accent-fg-color", "#ffffff"),  # links hovered
        ("--tb-red", "#ffffff"),
        ("--tb-green", "#ffffff"),
        ("--tb-yellow", "#ffffff"),
        ("--tb-muted", "#ffffff"),
        ("--tb-muted", "#f3f4f6"),  # notes in table headers' grey
        ("--tb-red", "#fff3e0"),  # links and words in the orange banner
    ],
)
def test_theme_colours_meet_wcag_aa(fg: str, bg: str):
    colours = theme_colours()
    background = parse_colour(colours.get(bg, bg))[0]
    foreground = over(colours[fg], background)
    ratio = contrast(foreground, background)
    assert ratio >= AA_TEXT, f"{fg} on {bg}: {ratio:.2f}:1 < {AA_TEXT}:1"


def test_header_red_stays_a_red():
    """The bureau red look is kept: the header colour is a red, not a dark grey."""
    (r, g, b), _ = parse_colour(theme_colours()["--md-primary-fg-color"])
    assert r > 150 and g < 60 and b < 60


# --------------------------------------------------------------------------- markup


def test_header_cells_get_col_in_thead_and_row_elsewhere():
    html = (
        "<table><thead><tr><th>单位</th><th colspan='2'>签约</th></tr></thead>"
        '<tbody><tr><th class="x">东营区</th><td>1</td><th scope="row">x</th></tr></tbody></table>'
        "<table><tr><th>无表头分组</th></tr></table>"
    )
    out = scope_header_cells(html)
    assert out == (
        '<table><thead><tr><th scope="col">单位</th><th scope="col" colspan=\'2\'>签约</th></tr>'
        '</thead><tbody><tr><th scope="row" class="x">东营区</th><td>1</td><th scope="row">x</th>'
        '</tr></tbody></table><table><tr><th scope="row">无表头分组</th></tr></table>'
    )
    assert scope_header_cells("<thead><p>no cells</p>") == "<thead><p>no cells</p>"


def test_chart_svg_gets_role_title_and_description_escaped():
    svg = '<svg class="marks" width="10" role="graphics-document"><g></g></svg>'
    out = label_svg(svg, title="签约金额<完成率>", description="最高的是东营区&河口区", ident="c1")
    assert out.startswith(
        '<svg class="marks" width="10" role="img" aria-labelledby="c1-title c1-desc">'
        '<title id="c1-title">签约金额&lt;完成率&gt;</title>'
        '<desc id="c1-desc">最高的是东营区&amp;河口区</desc><g></g>'
    )
    assert out.count("role=") == 1


def test_every_demo_chart_and_table_is_labelled(demo_site: Path):
    for page in [demo_site / f"bulletins/{DEMO_LATEST}.html", demo_site / "units/DYQ.html"]:
        html = page.read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="tb-chart".*?</figure>', html, flags=re.S)
        assert figures, page
        for figure in figures:
            svg = re.search(r"<svg[^>]*>", figure).group(0)
            assert 'role="img"' in svg, svg
            title = re.search(r"<title id=\"[^\"]+\">([^<]+)</title>", figure).group(1)
            desc = re.search(r"<desc id=\"[^\"]+\">([^<]+)</desc>", figure).group(1)
            summary = re.search(r'<span class="tb-chart-summary">([^<]+)</span>', figure).group(1)
            assert title.strip() and desc == summary
        cells = re.findall(r"<th\b[^>]*>", html)
        assert cells and all("scope=" in c for c in cells), [c for c in cells if "scope=" not in c]


# --------------------------------------------------------------------------- axe-core

PAGES = [
    "index.html",
    f"bulletins/{DEMO_LATEST}.html",
    "units/DYQ.html",
    "bulletins/index.html",
    "search.html?q=东营区",
    "about.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(browser, serve, demo_site, path):
    base = serve(demo_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(urljoin(base, path), wait_until="networkidle")
        if path.startswith("search"):
            page.wait_for_function(
                "() => document.querySelectorAll('#tb-search-results li').length > 0"
            )
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations'],"
            " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
            " 'best-practice']}})"
        )
    finally:
        context.close()
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, f"{path}:\n" + "\n".join(bad)
