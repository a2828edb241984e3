"""`build.py new`: Excel templates that read back without a warning, and a draft commentary."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import BASIC_TODAY

from tongbao import cli, pipeline
from tongbao.scaffold import DATA_ROW, GUIDE_SHEET, HEADER_ROW, scaffold_month
from tongbao.schema import STANDARD_INDICATORS

INDICATORS = STANDARD_INDICATORS.all

UNITS = {"甲区": "JQ", "乙区": "YQ", "丙县": "BX", "开发区": "KFQ", "文旅投促委": "WL"}


def month_issues(checked: pipeline.Checked, period: str, *, levels=("error", "warning")) -> list:
    return [
        i
        for i in checked.report.issues
        if i.level in levels
        and (i.file.startswith(f"data/{period}") or i.file == f"content/{period}.md")
    ]


def fill(path: Path, values: dict[str, float]) -> None:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    for col, ind in enumerate(INDICATORS, start=2):
        sheet.cell(DATA_ROW, col).value = values[ind.key]
    workbook.save(path)


def test_template_round_trip(basic_root: Path):
    done = scaffold_month(basic_root, "2024-04", today=BASIC_TODAY)
    assert sorted(p.name for p in done.templates) == sorted(f"{name}.xlsx" for name in UNITS)
    assert not done.from_data and not done.kept_folder

    sheet = openpyxl.load_workbook(basic_root / "data/2024-04/甲区.xlsx").worksheets[0]
    assert sheet.cell(1, 1).value == "2024年1-4月招商引资进展情况表"
    header = [sheet.cell(HEADER_ROW, c).value for c in range(1, len(INDICATORS) + 2)]
    assert header[:4] == ["单位", "签约项目(个)", "其中亿元以上项目(个)", "签约金额(亿元)"]
    assert header[1:] == [f"{ind.name}({ind.unit})" for ind in INDICATORS]
    assert sheet.cell(DATA_ROW, 1).value == "甲区"
    assert sheet.cell(DATA_ROW, 4).number_format == "0.00"
    assert sheet.cell(DATA_ROW, 2).number_format == "0"
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    assert rules[f"D{DATA_ROW}"].type == "decimal" and rules[f"D{DATA_ROW}"].formula1 == "0"
    assert rules[f"D{DATA_ROW}"].operator == "greaterThanOrEqual"
    assert rules[f"B{DATA_ROW}"].type == "whole"
    assert GUIDE_SHEET in openpyxl.load_workbook(basic_root / "data/2024-04/甲区.xlsx").sheetnames

    # Scaffolded but empty: not yet collected (a notice), not an error or a warning.
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert month_issues(checked, "2024-04") == []
    assert "not-collected" in checked.report.codes()
    assert "2024-04" not in checked.figures

    # Every unit fills its template: the month loads without a single warning.
    filled = {}
    for i, (name, unit_id) in enumerate(UNITS.items()):
        values = {ind.key: (10 + i if ind.is_count else 100.25 + i) for ind in INDICATORS}
        fill(basic_root / f"data/2024-04/{name}.xlsx", values)
        filled[unit_id] = values
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert month_issues(checked, "2024-04", levels=("error", "warning", "notice")) == [], (
        checked.report.format()
    )
    assert checked.data.months["2024-04"].values == filled  # 100.25 etc. are exact in binary
    # The draft's {{ summary }} now reads the month's own figures.
    assert "1—4月，全市签约项目" in checked.commentary["2024-04"]
    assert "2024-04" not in checked.published  # draft: true


def test_draft_skeleton(basic_root: Path):
    scaffold_month(basic_root, "2024-04", today=BASIC_TODAY)
    text = (basic_root / "content/2024-04.md").read_text(encoding="utf-8")
    assert text.startswith("---\nissue: 4 ")
    assert "\ndraft: true" in text and "\nissued: " in text
    for section in ("## 一、总体情况", "## 二、存在问题", "## 三、下步工作"):
        assert section in text
    assert "{{ city.signed_amount.ytd | yi }}" in text
    assert 'unit("甲区").signed_amount.rank | rank' in text


def test_new_on_a_folder_with_data_starts_the_draft_from_its_figures(basic_root: Path):
    # March as before it was issued: no commentary and no record yet
    (basic_root / "content/2024-03.md").unlink()
    (basic_root / "published/2024-03.json").unlink()
    before = sorted((basic_root / "data/2024-03").iterdir())
    done = scaffold_month(basic_root, "2024-03", today=BASIC_TODAY)
    assert done.kept_folder and done.from_data and done.templates == []
    assert sorted((basic_root / "data/2024-03").iterdir()) == before
    text = done.draft.read_text(encoding="utf-8")
    assert "签约金额 {{ city.signed_amount.ytd | yi }}" in text
    assert "{{ city.signed_amount.rate | pct }}" in text
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    assert month_issues(checked, "2024-03", levels=("error",)) == []
    rendered = checked.commentary["2024-03"]
    assert "1—3月，全市签约项目 17 个" in rendered  # 5+4+1+7 (committee not counted)
    assert "签约金额 145.00亿元" in rendered


def test_units_outside_their_active_months_get_no_template(basic_root: Path):
    units = basic_root / "data/units.csv"
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            "YQ,乙区,县区,,,,2,,", "YQ,乙区,县区,,,,2,,2024-03"
        ),
        encoding="utf-8",
    )
    done = scaffold_month(basic_root, "2024-04", today=BASIC_TODAY)
    assert "乙区.xlsx" not in {p.name for p in done.templates}
    assert len(done.templates) == 4


def test_new_refuses_to_overwrite(basic_root: Path, capsys):
    args = ["new", "2024-04", "--root", str(basic_root)]
    assert cli.main(args) == 0
    draft = basic_root / "content/2024-04.md"
    template = basic_root / "data/2024-04/甲区.xlsx"
    draft.write_text(draft.read_text(encoding="utf-8") + "\n已写的评述\n", encoding="utf-8")
    kept = draft.read_bytes(), template.read_bytes()
    capsys.readouterr()
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "content/2024-04.md 已存在，不会覆盖" in err
    assert (draft.read_bytes(), template.read_bytes()) == kept


@pytest.mark.parametrize("month", [None, "2024-13", "24-04", "2024-4", "2204-05", "六月"])
def test_bad_month_is_a_usage_error(basic_root: Path, month, capsys):
    args = ["new", "--root", str(basic_root)] + ([month] if month else [])
    assert cli.main(args) == 2
    assert "月份" in capsys.readouterr().err
    assert not (basic_root / "content/2024-04.md").exists()
    assert sorted(p.name for p in (basic_root / "data").iterdir()) == [
        "2023-03",
        "2024-01",
        "2024-02",
        "2024-03",
        "targets",
        "units.csv",
    ]
