"""The bulletin's charts as a reader without colour sees them (charts 3 and 5), and
chart 2 drawn for every indicator declared for it (实际使用外资 included)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import altair as alt
import pytest
import vl_convert as vlc
from conftest import BASIC_TODAY

from tongbao import charts, pipeline, schema
from tongbao.cache import Cache
from tongbao.charts import month, projects, svg


@pytest.fixture(scope="module")
def basic_figures(tmp_path_factory) -> dict[str, dict]:
    from conftest import copy_case

    root = copy_case("basic", tmp_path_factory.mktemp("charts"))
    return pipeline.check(root, today=BASIC_TODAY).figures


def drawn(chart, tmp_path: Path) -> str:
    """The chart's static SVG, as the build draws it."""
    return svg.start_rendering([chart.spec], Cache(tmp_path / "svg"), workers=0).result()[0]


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


# --------------------------------------------------------------------------- chart 3


def test_chart_3_tells_completion_and_both_targets_apart_by_outline_and_dash(
    basic_figures, tmp_path
):
    march = basic_figures["2024-03"]
    chart = month.actual_vs_targets(march, schema.month_indicators(march).lead)
    alt.Chart.from_dict(chart.spec, validate=True)
    encoding = chart.spec["encoding"]
    for channel in ("color", "stroke", "strokeDash"):
        assert encoding[channel]["field"] == "类别", channel
    dashes = dict(
        zip(
            encoding["strokeDash"]["scale"]["domain"],
            encoding["strokeDash"]["scale"]["range"],
            strict=True,
        )
    )
    assert dashes["自定目标"] != dashes["完成"] and dashes["自定目标"] != dashes["市定目标"]
    fills = dict(
        zip(encoding["color"]["scale"]["domain"], encoding["color"]["scale"]["range"], strict=True)
    )
    assert len(set(fills.values())) == 3
    # one legend, showing fill, outline and dash together
    legends = vlc.vegalite_to_vega(chart.spec)["legends"]
    assert len(legends) == 1
    assert {"fill", "stroke", "strokeDash"} <= set(legends[0])

    # the SVG: one dashed bar per unit with a 自定目标 (recounted from the JSON), plus the
    # legend's square; the legend names all three
    self_set = [
        u
        for u in march["units"]
        if u["reported"] and u["indicators"]["signed_amount"]["target_self"] is not None
    ]
    assert len(self_set) == 3  # 甲区, 乙区, 开发区
    image = drawn(chart, tmp_path)
    assert image.startswith("<svg")
    assert image.count('stroke-dasharray="3,2"') == len(self_set) + 1
    for word in ("完成", "市定目标", "自定目标"):
        assert f">{word}</text>" in image


# --------------------------------------------------------------------------- chart 5

LEDGER = {
    "by_unit": [
        {"name": "甲区", "categories": {"工业": 9, "文化旅游": 1}},
        {"name": "乙区", "categories": {"现代服务业": 2, "文化旅游": 2}},
        {"name": "丙县", "categories": {"工业": 0, "现代服务业": 5}},
    ],
    "by_category": [
        {"name": "工业", "count": 9},
        {"name": "现代服务业", "count": 7},
        {"name": "文化旅游", "count": 3},
    ],
}


def test_chart_5_names_each_wide_enough_segment_on_the_bar(tmp_path):
    chart = projects.project_mix_by_unit(LEDGER)
    alt.Chart.from_dict(chart.spec, validate=True)
    marks = [layer["mark"]["type"] for layer in layers(chart.spec)]
    assert marks == ["bar", "text"]
    text = layers(chart.spec)[1]["encoding"]
    assert text["text"]["field"] == "标注"
    assert text["x"]["stack"] == "normalize" and text["x"]["bandPosition"] == 0.5
    # stacked in the same order as the bars, so each name sits on its own segment
    assert text["order"] == layers(chart.spec)[0]["encoding"]["order"]
    labels = {(r["单位"], r["项目类别"]): r["标注"] for r in chart.spec["datasets"]["rows"]}
    assert labels == {
        ("甲区", "工业"): "工业",  # 90% of the bar
        ("甲区", "文化旅游"): "",  # 10% of 360 px: four characters do not fit
        ("乙区", "现代服务业"): "现代服务业",  # half the bar
        ("乙区", "文化旅游"): "文化旅游",
        ("丙县", "现代服务业"): "现代服务业",  # 丙县's zero 工业 is no segment
    }
    # the CSV is the data only, without the labels
    assert all(set(r) == {"单位", "项目类别", "项目数"} for r in chart.rows)

    image = drawn(chart, tmp_path)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", image)
    # 工业 once on a bar + once in the legend; 现代服务业 twice on bars + legend
    assert texts.count("工业") == 2 and texts.count("现代服务业") == 3
    assert texts.count("文化旅游") == 2  # 乙区's segment and the legend


# --------------------------------------------------------------------------- chart 2


def test_chart_2_is_drawn_for_each_indicator_declared_for_it(basic_figures):
    declared = [ind.key for ind in schema.STANDARD_INDICATORS if ind.chart]
    assert declared == ["signed_amount", "funds_in", "fdi"]  # the standard set (DATA.md)
    march = basic_figures["2024-03"]
    ids = [c.chart_id for c in charts.charts_for_month(march, basic_figures)]
    # the basic case has no 到位资金 or 外资 figures: only 签约金额 is drawn
    assert [i for i in ids if i.startswith("chart-2-")] == ["chart-2-signed_amount"]

    # the month's own declarations say which indicators get chart 2
    declarations = [dict(d, chart=d["key"] == "signed_count") for d in march["indicators"]]
    made = {
        c.chart_id: c
        for c in charts.charts_for_month(dict(march, indicators=declarations), basic_figures)
    }
    assert [i for i in made if i.startswith("chart-2-")] == ["chart-2-signed_count"]
    line = made["chart-2-signed_count"]
    this_year = {r["月份"]: r["累计"] for r in line.rows if r["系列"] == "本年"}
    assert this_year == {
        m: basic_figures[f"2024-0{m}"]["city"]["signed_count"]["ytd"] for m in (1, 2, 3)
    }
    assert "全市签约项目累计" in line.summary


def test_demo_has_chart_2_for_foreign_investment_with_its_csv(demo_site: Path):
    months = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in (demo_site / "data").glob("????-??.json")
    }
    raw = (demo_site / "downloads/2025-12/chart-2-fdi.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["月份", "系列", "累计"]
    by_series: dict[str, dict[int, float]] = {}
    for row in rows:
        by_series.setdefault(row["系列"], {})[int(row["月份"])] = float(row["累计"])
    target = months["2025-12"]["city"]["fdi"]["target"]
    for m in range(1, 13):
        assert by_series["本年"][m] == pytest.approx(months[f"2025-{m:02d}"]["city"]["fdi"]["ytd"])
        assert by_series["上年"][m] == pytest.approx(months[f"2024-{m:02d}"]["city"]["fdi"]["ytd"])
        assert by_series["目标进度"][m] == pytest.approx(target * m / 12, abs=1e-6)
    html = (demo_site / "bulletins/2025-12.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="tb-chart" id="chart-2-fdi">.*?</figure>', html, re.S)
    assert figure, "no chart 2 for 实际使用外资 on the page"
    assert "<svg" in figure.group(0) and "全市实际使用外资累计走势" in figure.group(0)
    assert 'href="../downloads/2025-12/chart-2-fdi.csv"' in figure.group(0)
    assert "万美元" in figure.group(0)  # the axis is in the indicator's unit


def test_about_page_says_which_indicators_get_chart_2(basic_site: Path):
    html = (basic_site / "about.html").read_text(encoding="utf-8")
    table = html[html.index('<table class="tb-table tb-about">') :]
    table = table[: table.index("</table>")]
    heads = re.findall(r"<th[^>]*>([^<]+)</th>", table)
    assert heads[-1] == "累计走势图"
    rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", table)]
    assert len(rows) == len(schema.STANDARD_INDICATORS)
    assert [r[0] for r in rows if r[-1] == "是"] == ["签约金额", "实际到位资金", "实际使用外资"]
    assert {r[-1] for r in rows} == {"是", ""}
