"""Figures of the basic case, computed by hand (see the comments), compared key by key.

The case (tests/cases/basic): 县区 甲区 (alias 甲县), 乙区, 丙县; 市属开发区 开发区;
产业投促委 文旅投促委 (not counted into the city). Targets 2024: 签约项目 12/12/6/24/10,
签约金额 120/120/60/240/100 (自定 150 and 100 for 甲区 and 乙区), a 全市 row with
签约金额 600 and no 签约项目 target. 乙区 did not report 2024-02; 2023-03 is the
base year (甲区 written as its alias 甲县, 丙县 with a zero base, 开发区 missing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.compute.indicators import Settings, light_for, rank_within_group


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    from conftest import copy_case

    root = copy_case("basic", tmp_path_factory.mktemp("ind"))
    return pipeline.check(root, today=BASIC_TODAY).figures


def unit(figures: dict, period: str, name: str) -> dict:
    return next(u for u in figures[period]["units"] if u["name"] == name)


def test_march_unit_figures_by_hand(figures):
    jq = unit(figures, "2024-03", "甲区")["indicators"]["signed_amount"]
    assert jq["ytd"] == 40 and jq["month"] == 15  # 40 − February's 25
    assert jq["target"] == 120 and jq["target_self"] == 150
    assert jq["rate"] == pytest.approx(40 / 120)
    assert jq["gap_pp"] == pytest.approx((40 / 120 - 3 / 12) * 100)  # +8.33
    assert jq["yoy"] == pytest.approx((40 - 32) / 32)  # base written as alias 甲县
    assert (jq["rank"], jq["rank_tied"], jq["rank_change"], jq["light"]) == (1, True, 0, "green")

    yq = unit(figures, "2024-03", "乙区")["indicators"]["signed_amount"]
    assert yq["month"] is None  # February not reported: no monthly value
    assert (yq["rank"], yq["rank_tied"], yq["rank_change"]) == (1, True, None)
    assert yq["yoy"] == pytest.approx(-0.2)

    bx = unit(figures, "2024-03", "丙县")["indicators"]["signed_amount"]
    assert bx["month"] == 0 and bx["yoy"] is None  # zero base: no 同比
    assert bx["gap_pp"] == pytest.approx((5 / 60 - 0.25) * 100)  # −16.67: yellow
    assert (bx["rank"], bx["rank_tied"], bx["rank_change"], bx["light"]) == (3, False, -1, "yellow")

    kfq = unit(figures, "2024-03", "开发区")["indicators"]["signed_amount"]
    assert kfq["gap_pp"] == pytest.approx(0) and kfq["light"] == "green"  # at time progress
    assert kfq["yoy"] is None  # base year value was "-": missing, not 0
    assert (kfq["rank"], kfq["rank_change"]) == (1, 0)  # a group of one ranks it 1


def test_march_city_figures_by_hand(figures):
    city = figures["2024-03"]["city"]
    amount = city["signed_amount"]
    assert amount["ytd"] == 145  # 40+40+5+60; the committee's 15 is not added
    assert amount["month"] == 35  # like for like: 15+0+20, 乙区 left out (no February)
    assert amount["target"] == 600  # the 全市 row
    assert amount["rate"] == pytest.approx(145 / 600)
    assert amount["gap_pp"] == pytest.approx((145 / 600 - 0.25) * 100)
    assert amount["yoy"] == pytest.approx((85 - 82) / 82)  # 甲乙丙 both years; 开发区 has no base
    count = city["signed_count"]
    assert count["ytd"] == 17 and count["month"] == 4
    assert count["target"] == 54  # no 全市 cell: sum of counted units' targets 12+12+6+24
    assert count["yoy"] == pytest.approx((17 - 15) / 15)
    assert figures["2024-03"]["city_excluded"]["signed_amount"]["month"] == ["乙区"]


def test_time_progress_and_header_figures(figures):
    march = figures["2024-03"]
    assert march["months"] == 3 and march["time_progress"] == pytest.approx(0.25)
    assert (march["issue"], march["issued"]) == (3, "2024-04-10")
    assert figures["2024-01"]["issue"] == 1  # no commentary: 期号 defaults to the month


def test_january_month_is_the_ytd_and_has_no_rank_change(figures):
    jq = unit(figures, "2024-01", "甲区")["indicators"]["signed_amount"]
    assert jq["month"] == jq["ytd"] == 10
    assert jq["rank_change"] is None


def test_not_reported_unit_keeps_targets_only(figures):
    yq = unit(figures, "2024-02", "乙区")
    assert yq["reported"] is False
    row = yq["indicators"]["signed_amount"]
    assert (row["target"], row["target_self"]) == (120, 100)
    assert all(row[k] is None for k in ("ytd", "month", "rate", "gap_pp", "yoy", "rank", "light"))
    assert row["rank_tied"] is False


def test_flags_by_hand(figures):
    march = [(f["code"], f["unit_id"], f["indicator"]) for f in figures["2024-03"]["flags"]]
    assert march == [
        ("self-target-below-city", "YQ", "signed_amount"),
        ("last-in-group", "BX", "signed_count"),
        ("last-in-group", "BX", "signed_amount"),
    ]
    messages = [f["message"] for f in figures["2024-03"]["flags"]]
    assert "丙县签约项目完成率居县区末位（连续3个月）" in messages
    february = {(f["code"], f["unit_id"]) for f in figures["2024-02"]["flags"]}
    assert ("not-reported", "YQ") in february
    january = {(f["code"], f["unit_id"]) for f in figures["2024-01"]["flags"]}
    assert ("zero-signings", "BX") in january


def test_ranking_rules():
    assert rank_within_group({"a": 0.5, "b": 0.7, "c": 0.5, "d": None, "e": 0.1}) == {
        "b": (1, False),
        "a": (2, True),
        "c": (2, True),
        "d": (None, False),
        "e": (4, False),
    }
    assert rank_within_group({"a": 0.1 + 0.2, "b": 0.3}) == {"a": (1, True), "b": (1, True)}


@pytest.mark.parametrize(
    ("gap", "light"),
    [(0, "green"), (5, "green"), (-0.01, "yellow"), (-19.99, "yellow"), (-20, "red"), (None, None)],
)
def test_lights(gap, light):
    assert light_for(gap, Settings()) == light


def test_settings_from_mkdocs_yml():
    s = Settings.from_config(
        {"target_basis": "self", "lights": {"green_from_pp": -5, "red_below_pp": -10}}
    )
    assert (s.target_basis, light_for(-4, s), light_for(-7, s), light_for(-10, s)) == (
        "self",
        "green",
        "yellow",
        "red",
    )


def test_published_json_matches_the_computation(basic_site: Path, figures):
    published = json.loads((basic_site / "data/2024-03.json").read_text(encoding="utf-8"))
    assert published["city"]["signed_amount"]["rate"] == pytest.approx(145 / 600, abs=1e-6)
    assert published["period"] == "2024-03" and published["time_progress"] == pytest.approx(0.25)
    assert [u["unit_id"] for u in published["units"]] == ["JQ", "YQ", "BX", "KFQ", "WL"]


SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "tongbao/figures.schema.json").read_text()
)


def test_every_published_json_validates_against_the_committed_schema(
    basic_site: Path, demo_site: Path
):
    import jsonschema

    files = sorted((basic_site / "data").glob("????-??.json")) + sorted(
        (demo_site / "data").glob("????-??.json")
    )
    assert len(files) == 4 + 24
    for path in files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), SCHEMA)


def test_demo_invariants(demo_site: Path):
    """City YTD = sum of counted reporting units; ranks are a permutation with ties; rate = ytd/target."""
    import csv

    with open(
        Path(__file__).resolve().parent.parent / "data/units.csv", encoding="utf-8-sig"
    ) as handle:
        counted = {
            r["单位编码"]
            for r in csv.DictReader(handle)
            if (r["计入全市"] or ("否" if r["单位类别"] == "产业投促委" else "是")) == "是"
        }
    for path in sorted((demo_site / "data").glob("????-??.json")):
        month = json.loads(path.read_text(encoding="utf-8"))
        for key, city in month["city"].items():
            values = [
                u["indicators"][key]["ytd"]
                for u in month["units"]
                if u["unit_id"] in counted
                and u["reported"]
                and u["indicators"][key]["ytd"] is not None
            ]
            assert city["ytd"] == pytest.approx(sum(values), abs=1e-4), (path.name, key)
        for group in {u["group"] for u in month["units"]}:
            for key in month["city"]:
                rows = [u["indicators"][key] for u in month["units"] if u["group"] == group]
                ranked = sorted((r for r in rows if r["rank"] is not None), key=lambda r: r["rank"])
                for place, row in enumerate(ranked, start=1):
                    better = sum(1 for r in ranked if r["rate"] > row["rate"] + 1e-9)
                    assert row["rank"] == better + 1
                    assert row["rank_tied"] == (
                        sum(1 for r in ranked if abs(r["rate"] - row["rate"]) < 1e-9) > 1
                    )
                    assert place >= row["rank"]
                for row in rows:
                    if row["rate"] is not None:
                        assert row["rate"] == pytest.approx(row["ytd"] / row["target"], abs=1e-6)


def _month(period: str, ranks: dict[str, int | None]) -> dict:
    """Figures of a month with one group and its units' signed_amount places."""
    units = [
        {"unit_id": u, "group": "县区", "indicators": {"signed_amount": {"rank": rank}}}
        for u, rank in ranks.items()
    ]
    return {"period": period, "units": units}


def test_last_place_streak_counts_back_through_the_months_with_or_without_shared_lasts():
    from tongbao.compute.flags import Lasts, last_place_streak

    months = {
        "2024-01": _month("2024-01", {"甲": 1, "乙": 2}),
        "2024-02": _month("2024-02", {"甲": 2, "乙": 1}),
        "2024-03": _month("2024-03", {"甲": 2, "乙": 1, "丙": None}),
        "2024-04": _month("2024-04", {"甲": 2, "乙": 2}),  # all tied… for second: both last
        "2024-05": _month("2024-05", {"甲": 1, "乙": 1}),  # all first: nobody is last
    }
    lasts = Lasts()
    for period, expected in [("2024-02", 1), ("2024-03", 2), ("2024-04", 3), ("2024-05", 0)]:
        current = months[period]
        alone = last_place_streak("甲", "signed_amount", period, current, months)
        shared = last_place_streak("甲", "signed_amount", period, current, months, lasts)
        assert alone == shared == expected
    assert last_place_streak("乙", "signed_amount", "2024-04", months["2024-04"], months) == 1
    # an entry is kept for the figures it was made from: other figures of a month are read anew
    changed = _month("2024-03", {"甲": 1, "乙": 2})
    assert last_place_streak("甲", "signed_amount", "2024-03", changed, months, lasts) == 0
    assert lasts.of(changed, "signed_amount") == {"乙"}
