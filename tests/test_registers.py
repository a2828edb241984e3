"""Registers and month folders: required cells, duplicates, the future-month boundary,
and register errors that no longer hide the rest of the problems."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.periods import too_far_ahead
from tongbao.read.load import load_project

UNITS = "单位编码,单位名称,单位类别,计入全市,别名,参与排名,排序,启用月份,停用月份\n"
LEDGER = "项目编号,项目名称,责任单位,所属产业,项目类别,总投资(亿元),签约日期\n"


def errors(root: Path, today: date = BASIC_TODAY) -> list[tuple[str, str, int | None, str]]:
    report = pipeline.check(root, today=today).report
    return [(i.code, i.file, i.row, i.column) for i in report.errors]


def test_register_errors_no_longer_stop_the_run(basic_root: Path):
    units = basic_root / "data/units.csv"
    units.write_text(
        units.read_text(encoding="utf-8").replace("KFQ,开发区,市属开发区", "KFQ,开发区,"),
        encoding="utf-8",
    )
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目,签约金额(亿元)\n甲区,约5,40\n乙区,4,40\n丙县,1,5\n开发区,7,60\n文旅投促委,3,15\n",
        encoding="utf-8",
    )
    found = errors(basic_root)
    # both problems at once; 开发区's own rows are not reported again as unknown units
    assert ("missing-cell", "data/units.csv", 5, "C") in found
    assert ("not-a-number", "data/2024-03/report.csv", 2, "B") in found
    assert not [e for e in found if e[0] == "unknown-unit"], found


def test_a_missing_units_csv_is_one_error_and_the_rest_is_read(basic_root: Path):
    (basic_root / "data/units.csv").unlink()
    (basic_root / "content/2024-03.md").write_text("---\nissue: 第三期\n---\n", encoding="utf-8")
    found = errors(basic_root)
    assert ("missing-file", "data/units.csv", None, "") in found
    assert ("bad-front-matter", "content/2024-03.md", 2, "") in found
    assert not [e for e in found if e[0] == "unknown-unit"], found


def test_an_empty_name_and_a_duplicate_industry_code(basic_root: Path):
    (basic_root / "data/industries.csv").write_text(
        "产业编码,产业名称,别名\nIND1,石油化工,\nIND2,,\nIND1,新材料,\n", encoding="utf-8"
    )
    found = errors(basic_root)
    assert ("missing-cell", "data/industries.csv", 3, "B") in found
    assert ("duplicate-industry", "data/industries.csv", 4, "A") in found


def test_ledger_rows_need_number_name_and_unit(basic_root: Path):
    (basic_root / "data/industries.csv").write_text(
        "产业编码,产业名称,别名\nIND1,石油化工,\n", encoding="utf-8"
    )
    (basic_root / "data/2024-03/projects.csv").write_text(
        LEDGER + ",无编号项目,甲区,石油化工,工业,5,2024-03-02\n"
        "P2,,甲区,石油化工,工业,5,2024-03-02\nP3,无单位项目,,石油化工,工业,5,2024-03-02\n",
        encoding="utf-8",
    )
    found = [e for e in errors(basic_root) if e[0] == "missing-cell"]
    assert found == [
        ("missing-cell", "data/2024-03/projects.csv", 2, "A"),
        ("missing-cell", "data/2024-03/projects.csv", 3, "B"),
        ("missing-cell", "data/2024-03/projects.csv", 4, "C"),
    ]


def test_a_ledger_without_industries_csv_is_one_error_not_one_per_row(basic_root: Path):
    rows = "".join(f"P{n},项目{n},甲区,石油化工,工业,5,2024-03-02\n" for n in range(30))
    (basic_root / "data/2024-03/projects.csv").write_text(LEDGER + rows, encoding="utf-8")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    about_industries = [i for i in report.issues if "industr" in i.code or "产业" in i.message]
    assert [(i.code, i.file) for i in about_industries] == [("missing-file", "data/industries.csv")]


def test_missing_unit_column_lists_the_headers_found(basic_root: Path):
    (basic_root / "data/2024-03/report.csv").write_text(
        "2024年1-3月招商引资进展情况表\n区县,签约项目,签约金额(亿元)\n甲区,5,40\n", encoding="utf-8"
    )
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "missing-column"]
    assert "“区县”、“签约项目”、“签约金额(亿元)”" in issue.message


def test_units_csv_missing_a_column_lists_what_it_found(basic_root: Path):
    (basic_root / "data/units.csv").write_text("编码,名称,类别\nJQ,甲区,县区\n", encoding="utf-8")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "missing-column"]
    assert issue.file == "data/units.csv" and "“编码”、“名称”、“类别”" in issue.message


@pytest.mark.parametrize(
    ("period", "today", "too_far"),
    [
        ("2027-01", date(2026, 12, 1), False),
        ("2027-02", date(2026, 12, 1), True),
        ("2027-01", date(2026, 12, 31), False),
        ("2027-02", date(2026, 12, 31), True),
        ("2026-12", date(2026, 12, 1), False),
        ("2025-01", date(2024, 12, 15), False),
        ("2025-02", date(2024, 12, 15), True),
    ],
)
def test_the_future_month_boundary(period: str, today: date, too_far: bool):
    assert too_far_ahead(period, today) is too_far


@pytest.mark.parametrize(("folder", "too_far"), [("2024-05", False), ("2024-06", True)])
def test_a_future_month_folder_on_both_sides_of_the_boundary(
    basic_root: Path, folder: str, too_far: bool
):
    shutil.copytree(basic_root / "data/2024-03", basic_root / "data" / folder)
    _, issues = load_project(basic_root, today=date(2024, 4, 30))
    future = [i for i in issues if i.code == "future-month"]
    assert bool(future) is too_far
    if future:
        assert future[0].file == f"data/{folder}" and "2024-04-30" in future[0].message
