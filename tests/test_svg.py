"""Static SVG: worker processes draw exactly what one process draws, and the cache is keyed
on the spec."""

from __future__ import annotations

import re
from pathlib import Path

from tongbao import charts, keys
from tongbao.cache import Cache
from tongbao.charts import svg
from tongbao.schema import STANDARD_INDICATORS

LEAD = STANDARD_INDICATORS["signed_amount"]  # a unit page line's indicator


def small_specs(n: int) -> list[dict]:
    """Chart-shaped specs with Chinese labels, made through the real chart config."""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": {"font": charts.FONT_STACK},
        "mark": "bar",
        "encoding": {
            "x": {"field": "v", "type": "quantitative"},
            "y": {"field": "单位", "type": "nominal"},
        },
    }
    return [
        {**spec, "data": {"values": [{"单位": f"东营区{i}", "v": i}, {"单位": "利津县", "v": 1}]}}
        for i in range(n)
    ]


def test_worker_processes_draw_what_one_process_draws(tmp_path: Path):
    # This process first registers a subset lacking the characters drawn below (as a
    # preview server does over a day): it must not be used to measure them.
    other = [{**small_specs(1)[0], "data": {"values": [{"单位": "河口", "v": 1}]}}]
    svg.start_rendering(other, Cache(tmp_path / "other"), workers=0).result()
    specs = small_specs(svg.POOL_THRESHOLD)
    pooled = svg.start_rendering(specs, Cache(tmp_path / "a"), workers=2)
    assert pooled.pool is not None, "enough charts to draw: workers should be used"
    alone = svg.start_rendering(specs, Cache(tmp_path / "b"), workers=0)
    assert alone.pool is None
    drawn, expected = pooled.result(), alone.result()
    assert drawn == expected
    assert all(s.startswith("<svg") and "东营区" in s for s in drawn)
    # measured with the registered family, published with the whole stack
    assert all(f'font-family="{charts.FONT_STACK}"' in s for s in drawn)


def test_the_charts_asked_for_first_are_ready_before_the_rest(tmp_path: Path):
    """`ready` waits only for the batch drawing the charts asked for (the documents'),
    while the workers go on with the rest; `result` then has them all, as drawn alone."""
    specs = small_specs(svg.BATCH * 3)
    expected = svg.start_rendering(specs, Cache(tmp_path / "alone"), workers=0).result()
    drawing = svg.start_rendering(specs, Cache(tmp_path / "pooled"), workers=1)
    assert len(drawing.futures) == 3
    first = keys.spec_id(specs[1])
    assert drawing.ready([first]) == {first: expected[1]}
    assert drawing.taken == {0}  # only the first batch was waited for
    assert drawing.result() == expected
    # without workers the charts asked for are drawn at once, the others later
    alone = svg.start_rendering(specs[:3], Cache(tmp_path / "here"), workers=0)
    assert alone.ready([keys.spec_id(specs[2])]) == {keys.spec_id(specs[2]): expected[2]}
    assert len(alone.found) == 1
    assert alone.result() == expected[:3]


def test_a_kept_pool_serves_every_build_until_it_is_let_go(tmp_path: Path):
    """The preview server's workers outlive a build: a second build's few charts go to the
    same warm workers, drawn as one process draws them; leaving lets them go."""
    specs = small_specs(3)
    expected = svg.start_rendering(specs, Cache(tmp_path / "alone"), workers=0).result()
    kept = svg.KeptPool()
    kept.warm()
    try:
        first = svg.start_rendering(specs[:2], Cache(tmp_path / "a"), kept=kept)
        assert first.pool is not None, "a kept pool takes even a couple of charts"
        pool = kept.pool
        assert first.result() == expected[:2]
        second = svg.start_rendering(specs, Cache(tmp_path / "b"), kept=kept)
        assert second.pool is pool  # the same workers, still running
        assert second.result() == expected
        assert kept.pool is pool
        alone = svg.start_rendering(specs, Cache(tmp_path / "c"), kept=kept, workers=0)
        assert alone.pool is None  # asked for this process: still drawn here
        other = svg.start_rendering(specs[:2], Cache(tmp_path / "d"))
        assert other.pool is None  # a build without the session's workers starts none
        assert other.result() == expected[:2]
    finally:
        kept.drop()
    assert kept.pool is None


def test_cached_svgs_are_keyed_on_the_spec(tmp_path: Path):
    cache = Cache(tmp_path)
    specs = small_specs(3)
    first = svg.start_rendering(specs, cache, workers=0)
    assert first.drawn == 3
    first.result()
    again = svg.start_rendering(specs, cache, workers=0)
    assert again.drawn == 0  # all from the cache
    # same characters (so the same font subset), another value: only that chart is drawn
    changed = [*specs[:2], {**specs[2], "data": {"values": [{"单位": "利津县", "v": 7}]}}]
    third = svg.start_rendering(changed, cache, workers=0)
    assert third.drawn == 1
    assert third.result()[2] != first.result()[2]
    # a new character elsewhere makes a new font subset, but the other charts are still
    # measured alike with it: only the changed chart is drawn
    renamed = [*specs[:2], {**specs[2], "data": {"values": [{"单位": "垦利区", "v": 5}]}}]
    assert svg.start_rendering(renamed, cache, workers=0).drawn == 1


def test_any_subset_holding_a_charts_characters_draws_it_alike(tmp_path: Path):
    """Why the SVG cache key leaves out the font subset (see svg.Rendering)."""
    specs = small_specs(2)
    small = svg.make_font_subset(svg.chart_text(specs), Cache(tmp_path / "small"))
    wider = svg.make_font_subset(
        svg.chart_text(specs) + "垦利区河口广饶县开发招商引资", Cache(tmp_path / "w")
    )
    assert small != wider
    for spec in specs:
        assert svg._render_one(str(small), spec) == svg._render_one(str(wider), spec)
    duplicate = svg.start_rendering([specs[0], specs[0]], Cache(None), workers=0)
    assert duplicate.drawn == 1  # identical specs are drawn once


def test_the_measuring_font_measures_as_its_real_outlines_would(tmp_path: Path, monkeypatch):
    """The registered subset's glyphs are specks (svg._hollow): every label, title and
    legend is still measured by the real advances, so each chart comes out the same."""
    history = [(f"2025-{m:02d}", {"rate": m / 12 * 0.9}) for m in range(1, 13)]
    specs = [*small_specs(1), charts.unit_progress("东营区（开发区）", history, LEAD).spec]
    text = svg.chart_text(specs)
    hollow = svg.make_font_subset(text, Cache(tmp_path / "hollow"))
    with monkeypatch.context() as patched:
        patched.setattr(svg, "_hollow", lambda font: None)
        # one more character: another subset, registered under a family of its own
        real = svg.make_font_subset(text + "亿", Cache(tmp_path / "real"))
    hollow_file, real_file = (f / "NotoSansSC-subset.otf" for f in (hollow, real))
    assert hollow_file.stat().st_size < real_file.stat().st_size / 2  # outlines are gone
    for spec in specs:
        drawn = svg._render_one(str(hollow), spec)
        assert drawn == svg._render_one(str(real), spec)
        assert "东营区（开发区）" in drawn or "东营区0" in drawn


def test_a_ten_year_unit_history_labels_years_not_months(tmp_path: Path):
    history = [
        (f"{y}-{m:02d}", {"rate": m / 12 * 0.9}) for y in range(2016, 2026) for m in range(1, 13)
    ]
    chart = charts.unit_progress("东营区", history, LEAD)
    drawn = svg.start_rendering([chart.spec], Cache(tmp_path), workers=0).result()[0]
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", drawn)
    years = [t for t in labels if re.fullmatch(r"20\d\d年", t)]
    assert years == [f"{y}年" for y in range(2016, 2026)]
    assert not any(re.fullmatch(r"20\d\d-\d\d", t) for t in labels)  # no monthly smear
    # a plain line: no dot for each of the 240 values, a tick at each January only, and
    # a dot on the latest month (in a January, the new year's line is that dot)
    assert drawn.count("<path") < len(history) / 2
    line, latest = chart.spec["layer"]
    assert line["encoding"]["x"]["axis"]["values"] == [f"{y}-01" for y in range(2016, 2026)]
    assert latest["mark"]["type"] == "point"
    assert {"filter": "datum['月份'] == \"2025-12\""} in latest["transform"]
    short = charts.unit_progress("东营区", history[:6], LEAD)
    drawn = svg.start_rendering([short.spec], Cache(tmp_path), workers=0).result()[0]
    months = [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", drawn) if t.startswith("2016-")]
    assert months == [f"2016-{m:02d}" for m in range(1, 7)]  # a short history: every month
    assert drawn.count("<path") >= 2 * 6  # and a point on each value


def test_how_many_workers_draw(monkeypatch):
    monkeypatch.setattr(svg.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert svg._workers(svg.ONE_WORKER - 1) == 0  # a few charts: drawn in this process
    assert svg._workers(29) == 1  # a month added: one worker, while pages are written
    assert svg._workers(1200) == 2  # a cold archive: both cores
    monkeypatch.setattr(svg.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert svg._workers(1200) == 0
