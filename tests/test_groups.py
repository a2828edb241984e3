"""Groups are data: any 单位类别 in units.csv, in the order of each group's first unit,
with 计入全市 deciding what adds into the city total (tests/cases/groups: the basic case
with its groups renamed 区县, 功能区, 市直部门; 功能区 does not count, 市直部门 does)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import BASIC_TODAY, CASES, copy_case

from tongbao import pipeline

UNITS_CSV = CASES / "groups" / "data" / "units.csv"


def register() -> list[dict]:
    with open(UNITS_CSV, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_groups() -> list[dict]:
    """Independently: each group where its first unit is by 排序, counting as 计入全市 says."""
    rows = sorted(register(), key=lambda r: int(r["排序"]))
    groups: dict[str, bool] = {}
    for r in rows:
        groups.setdefault(r["单位类别"], r["计入全市"] == "是")
    return [{"name": g, "counts_to_city": c} for g, c in groups.items()]


def report_values(period: str) -> dict[str, dict[str, float | None]]:
    """Unit name → the report's figures (its 合计 row and group subtotal rows left out)."""
    names = {r["单位名称"] for r in register()} | {"甲县"}  # 甲县: 甲区's alias
    path = CASES / "groups" / "data" / period / "report.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))

    def number(text: str) -> float | None:
        return None if text in {"-", ""} else float(text)

    return {
        ("甲区" if r["单位"] == "甲县" else r["单位"]): {
            "signed_count": number(r["签约项目"]),
            "signed_amount": number(r["签约金额(亿元)"]),
        }
        for r in rows
        if r["单位"] in names
    }


@pytest.fixture(scope="module")
def groups_site(tmp_path_factory) -> Path:
    root = copy_case("groups", tmp_path_factory.mktemp("groups"))
    checked = pipeline.build(root, today=BASIC_TODAY)
    assert not checked.report.errors, checked.report.format()
    # the report's subtotal rows named by the city's own groups (区县, 功能区) are no units
    assert "unknown-unit" not in checked.report.codes()
    return root / "site"


def test_each_months_json_lists_the_groups_in_the_registers_order(groups_site: Path):
    expected = expected_groups()
    assert [g["name"] for g in expected] == ["功能区", "区县", "市直部门"]
    for path in sorted((groups_site / "data").glob("????-??.json")):
        figures = json.loads(path.read_text(encoding="utf-8"))
        assert figures["groups"] == expected
        # the units come group by group in that order, by 排序 within a group
        order = [u["group"] for u in figures["units"]]
        assert order == sorted(order, key=[g["name"] for g in expected].index)
    latest = json.loads((groups_site / "data/2024-03.json").read_text(encoding="utf-8"))
    assert [u["unit_id"] for u in latest["units"]] == ["KFQ", "JQ", "YQ", "BX", "WL"]


@pytest.mark.parametrize("period", ["2024-01", "2024-03"])
def test_the_city_total_adds_the_units_that_count(groups_site: Path, period: str):
    figures = json.loads((groups_site / f"data/{period}.json").read_text(encoding="utf-8"))
    counted = {r["单位名称"] for r in register() if r["计入全市"] == "是"}
    values = report_values(period)
    assert "开发区" in values and "开发区" not in counted  # 功能区 reported, not added
    for key in ("signed_count", "signed_amount"):
        expected = sum(v[key] for name, v in values.items() if name in counted and v[key])
        assert figures["city"][key]["ytd"] == pytest.approx(expected)
    # the city's 签约项目 target (no 全市 row for it): the counted units' targets
    lines = (CASES / "groups/data/targets/2024.csv").read_text(encoding="utf-8").splitlines()
    targets = {r["单位"]: r for r in csv.DictReader(lines[1:])}  # under a title row
    assert figures["city"]["signed_count"]["target"] == pytest.approx(
        sum(float(targets[name]["签约项目市定目标"]) for name in counted)
    )


def test_ranks_are_made_within_each_group(groups_site: Path):
    figures = json.loads((groups_site / "data/2024-03.json").read_text(encoding="utf-8"))
    for group in ("功能区", "区县", "市直部门"):
        units = [u for u in figures["units"] if u["group"] == group]
        for u in units:
            row = u["indicators"]["signed_count"]
            assert row["rank"] == 1 + sum(
                1 for x in units if x["indicators"]["signed_count"]["rate"] > row["rate"]
            )
    # the one unit of a group is first in it
    assert [u["indicators"]["signed_count"]["rank"] for u in figures["units"]][0] == 1


def test_pages_tables_and_documents_follow_the_groups(groups_site: Path):
    import openpyxl
    import pdfplumber

    names = ["功能区", "区县", "市直部门"]
    for page in ("index.html", "bulletins/2024-03.html"):
        html = (groups_site / page).read_text(encoding="utf-8")
        assert re.findall(r'data-group="([^"]+)"', html) == names, page  # tables, 红黑榜
    about = (groups_site / "about.html").read_text(encoding="utf-8")
    assert "计入全市的已报送单位之和（区县、市直部门）；功能区的项目" in about
    assert "在功能区、区县、市直部门各自组内" in about
    [workbook] = (groups_site / "downloads/2024-03").glob("*.xlsx")
    book = openpyxl.load_workbook(workbook, read_only=True)
    assert book.sheetnames[:4] == [*names, "全市"]
    with pdfplumber.open(groups_site / "bulletins/2024-03.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    places = [text.find(f"（{n}）{g}") for n, g in zip("一二三", names, strict=True)]
    assert -1 not in places and places == sorted(places), places
    assert "功能区签约金额完成率" in text  # the group's chart, drawn and captioned
    for n, group in enumerate(names, start=1):
        chart = (groups_site / f"downloads/2024-03/chart-1-{n}.csv").read_text(encoding="utf-8-sig")
        units = [r["单位名称"] for r in register() if r["单位类别"] == group]
        assert {line.split(",")[0] for line in chart.splitlines()[1:]} == set(units)


def test_a_group_of_the_citys_own_needs_its_counts_to_city(tmp_path: Path):
    root = copy_case("groups", tmp_path)
    text = (root / "data/units.csv").read_text(encoding="utf-8")
    (root / "data/units.csv").write_text(
        text.replace("WL,文旅投促委,市直部门,是,", "WL,文旅投促委,市直部门,,"), encoding="utf-8"
    )
    report = pipeline.check(root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "bad-group"]
    assert (issue.file, issue.row, issue.column, issue.header) == (
        "data/units.csv",
        6,
        "D",
        "计入全市",
    )
    assert "市直部门" in issue.message


def test_a_group_cannot_take_the_city_totals_name(tmp_path: Path):
    root = copy_case("groups", tmp_path)
    text = (root / "data/units.csv").read_text(encoding="utf-8")
    (root / "data/units.csv").write_text(
        text.replace("WL,文旅投促委,市直部门,是,", "WL,文旅投促委,全市,是,"), encoding="utf-8"
    )
    report = pipeline.check(root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "bad-group"]
    assert (issue.row, issue.column, issue.header) == (6, "C", "单位类别")
    assert "全市" in issue.message
