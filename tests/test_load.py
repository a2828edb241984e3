"""The messy real-world cases of DATA.md, each loading to numbers worked out by hand.

Workbooks are made here with openpyxl (real merged cells, hidden sheets, number
formats); cached formula values are written into the XML the way Excel stores them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import BASIC_TODAY
from make_fixtures import save  # tests/cases/make_fixtures.py, on sys.path via conftest

from tongbao.read.load import load_project
from tongbao.read.numbers import parse_amount, parse_date, parse_flag
from tongbao.read.sheets import decode_csv_bytes


def month_values(root: Path, period: str = "2024-03") -> dict:
    data, issues = load_project(root, today=BASIC_TODAY)
    errors = [i.format() for i in issues if i.level == "error"]
    assert not errors, errors
    return {data.registry.by_id[u].name: v for u, v in data.months[period].values.items()}, issues


def replace_report(root: Path, build) -> Path:
    folder = root / "data/2024-03"
    for path in folder.iterdir():
        path.unlink()
    wb = openpyxl.Workbook()
    build(wb)
    target = folder / "report.xlsx"
    save(wb, target)
    return target


def test_title_rows_merged_two_row_header_subtotals_total_and_footnotes(basic_root: Path):
    def build(wb):
        ws = wb.active
        ws.title = "1-3月"
        ws.append(["2024年1-3月全市招商引资进展情况表"])
        ws.merge_cells("A1:H1")
        ws.append(["填报单位：市投资促进局", None, None, None, None, None, "单位：万元"])
        ws.append(["序号", "单位", "签约项目", None, None, None, "外出招商", None])
        ws.append([None, None, "个数", "其中亿元以上", "金额(亿元)", None, "批次", "人次"])
        ws.merge_cells("A3:A4")
        ws.merge_cells("B3:B4")
        ws.merge_cells("C3:E3")
        ws.merge_cells("G3:H3")
        ws.append([None, "一、县区", None, None, None, None, None, None])
        ws.append([1, "甲区", 5, 2, 40, None, 3, 12])
        ws.append([2, "乙区", 4, 1, 40.5, None, "-", None])
        ws.append([3, "丙县", 1, 0, 5, None, 0, 0])
        ws.append([None, "小计", 10, 3, 85.5, None, 3, 12])
        ws.append([None, "二、市属开发区", None, None, None, None, None, None])
        ws.append([4, "开发区", 7, 3, 60, None, 2, 8])
        ws.append([None, None, None, None, None, None, None, None])
        ws.append([5, "文旅投促委", 3, 1, 15, None, 1, 2])
        ws.append([None, "合计", 17, 6, 145.5, None, 5, 20])
        ws.append(["注：本表为1-3月累计数。"])
        ws.append(["填报人：张三", None, "审核人：李四"])

    replace_report(basic_root, build)
    values, issues = month_values(basic_root)
    assert values["甲区"] == {
        "signed_count": 5,
        "signed_big_count": 2,
        "signed_amount": 40,
        "trips": 3,
        "trip_persons": 12,
    }
    assert values["乙区"]["signed_amount"] == 40.5  # the header's (亿元) beats the title's 万元
    assert values["乙区"]["trips"] is None  # "-": not reported, never 0
    assert values["丙县"]["trips"] == 0  # an explicit 0 is 0
    assert set(values) == {"甲区", "乙区", "丙县", "开发区", "文旅投促委"}
    assert not [i for i in issues if i.code == "totals-mismatch"]


def test_total_row_first_and_a_mismatch_is_a_warning_with_the_figures(basic_root: Path):
    def build(wb):
        ws = wb.active
        ws.append(["单位", "签约项目", "签约金额（亿元）"])
        ws.append(["合计", 17, 150])
        for row in (
            ["甲区", 5, 40],
            ["乙区", 4, 40],
            ["丙县", 1, 5],
            ["开发区", 7, 60],
            ["文旅投促委", 3, 15],
        ):
            ws.append(row)

    replace_report(basic_root, build)
    values, issues = month_values(basic_root)
    assert values["开发区"]["signed_amount"] == 60
    mismatch = [i for i in issues if i.code == "totals-mismatch"]
    assert len(mismatch) == 1  # 签约项目 17 matches the counted units; 签约金额 does not
    assert (mismatch[0].row, mismatch[0].column, mismatch[0].level) == (2, "C", "warning")
    assert (
        "150" in mismatch[0].message
        and "145.00" in mismatch[0].message
        and "160.00" in mismatch[0].message
    )


def test_wan_yuan_headers_and_title_units_convert_amounts_only(basic_root: Path):
    def build(wb):
        ws = wb.active
        ws.append(["2024年1-3月情况（单位：万元）"])
        ws.append(
            ["单位名称", "签约项目", "签约金额", "实际到位资金(万元)", "实际使用外资(万美元)"]
        )
        ws.append(["甲区", 5, 400000, 12345, 800])
        for name in ("乙区", "丙县", "开发区", "文旅投促委"):
            ws.append([name, 1, 10000, 10000, 1])

    replace_report(basic_root, build)
    values, _ = month_values(basic_root)
    assert values["甲区"] == {
        "signed_count": 5,
        "signed_amount": 40,
        "funds_in": pytest.approx(1.2345),
        "fdi": 800,
    }


def test_numbers_as_text_units_by_code_alias_and_full_width(basic_root: Path):
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目,签约金额(亿元),实际到位资金(亿元)\n"
        ' 甲县 ,5个,"1,234.5",12.3亿元\n'
        "ＹＱ,４,１２３４．５,8000万元\n"
        "BX,1,5,—\n"
        "经开区,7,60,/\n"
        "文旅投促委,3,15,无\n",
        encoding="utf-8-sig",
    )
    values, _ = month_values(basic_root)
    assert values["甲区"] == {"signed_count": 5, "signed_amount": 1234.5, "funds_in": 12.3}
    assert values["乙区"] == {
        "signed_count": 4,
        "signed_amount": 1234.5,
        "funds_in": pytest.approx(0.8),
    }
    assert values["丙县"]["funds_in"] is None and values["开发区"]["funds_in"] is None
    assert values["文旅投促委"]["funds_in"] is None


def test_gbk_csv_and_several_files_in_a_month(basic_root: Path):
    folder = basic_root / "data/2024-03"
    (folder / "report.csv").unlink()
    (folder / "县区.csv").write_bytes(
        "单位,签约项目,签约金额(亿元)\r\n甲区,5,40\r\n乙区,4,40\r\n丙县,1,5\r\n".encode("gbk")
    )
    (folder / "开发区.csv").write_text(
        "单位,签约金额(亿元),签约项目\n开发区,60,7\n文旅投促委,15,3\n", encoding="utf-8"
    )
    (folder / "~$县区.xlsx").write_bytes(b"lock")
    (folder / "说明.md").write_text("附言", encoding="utf-8")
    values, issues = month_values(basic_root)
    assert values["丙县"] == {"signed_count": 1, "signed_amount": 5}
    assert values["开发区"] == {"signed_count": 7, "signed_amount": 60}
    ignored = sorted(i.file for i in issues if i.code == "ignored-file")
    assert ignored == ["data/2024-03/~$县区.xlsx", "data/2024-03/说明.md"]


def test_formula_cells_are_read_by_cached_value_and_hidden_sheets_are_ignored(basic_root: Path):
    folder = basic_root / "data/2024-03"
    (folder / "report.csv").unlink()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报表"
    ws.append(["单位", "签约项目", "签约金额(亿元)"])
    ws.append(["甲区", 5, "=20*2"])
    for row in (["乙区", 4, 40], ["丙县", 1, 5], ["开发区", 7, 60], ["文旅投促委", 3, 15]):
        ws.append(row)
    guide = wb.create_sheet("填报说明")
    guide.append(["请按表头填写，金额单位为亿元。"])
    hidden = wb.create_sheet("旧表")
    hidden.append(["单位", "签约项目"])
    hidden.append(["丁镇", 1])
    hidden.sheet_state = "hidden"
    save(wb, folder / "report.xlsx", cached={"C2": "40"})
    values, _ = month_values(basic_root)
    assert values["甲区"]["signed_amount"] == 40  # the cached value of =20*2


def test_month_with_no_values_yet_is_skipped_with_a_notice(basic_root: Path):
    folder = basic_root / "data/2024-04"
    folder.mkdir()
    (folder / "report.csv").write_text("单位,签约项目\n甲区,\n乙区,\n", encoding="utf-8")
    data, issues = load_project(basic_root, today=BASIC_TODAY)
    assert "2024-04" not in data.months
    assert [(i.code, i.level) for i in issues if i.file == "data/2024-04"] == [
        ("not-collected", "notice")
    ]


def test_targets_dash_is_no_target_and_city_row(basic_root: Path):
    data, _ = load_project(basic_root, today=BASIC_TODAY)
    year = data.targets[2024]
    assert year.units["BX"]["signed_amount"] == 60
    assert year.units_self["BX"]["signed_amount"] is None  # "-"
    assert year.units_self["WL"]["signed_amount"] is None  # empty
    assert year.city == {"signed_count": None, "signed_amount": 600}


@pytest.mark.parametrize(
    ("raw", "unit", "factor", "value"),
    [
        ("1,234.5", "亿元", 1, 1234.5),
        ("１２３４．５", "亿元", 1, 1234.5),
        ("12.3亿元", "亿元", 1, 12.3),
        ("8000万元", "亿元", 1, 0.8),
        ("5个", "个", 1, 5),
        (" 7 ", "个", 1, 7),
        (3, "亿元", 1e-4, 3e-4),
        ("3", "亿元", 1e-4, 3e-4),
        ("8000万元", "亿元", 1e-4, 0.8),
        (0, "个", 1, 0),
        ("0", "亿元", 1, 0),
        ("-", "亿元", 1, None),
        ("—", "个", 1, None),
        ("/", "个", 1, None),
        ("无", "个", 1, None),
        ("", "个", 1, None),
        (None, "个", 1, None),
        ("350万美元", "万美元", 1, 350),
    ],
)
def test_parse_amount(raw, unit, factor, value):
    parsed = parse_amount(raw, unit=unit, factor=factor)
    assert parsed.code is None
    assert parsed.value == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("约5亿", "not-a-number"),
        ("-3", "negative-value"),
        (-0.5, "negative-value"),
        ("5个", "not-a-number"),
        ("12%", "not-a-number"),
        ("abc", "not-a-number"),
    ],
)
def test_parse_amount_problems(raw, code):
    # "5个" in a 亿元 column is not an amount
    assert parse_amount(raw, unit="亿元").code == code


def test_dates_and_flags():
    assert (
        parse_date("2024-05-04")
        == parse_date("2024.5.4")
        == parse_date("2024年5月4日")
        == date(2024, 5, 4)
    )
    assert parse_date("明年") == "明年" and parse_date("") is None
    assert [parse_flag(v) for v in ("是", "√", "Y", 1, None, "否", "也许")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        None,
    ]


def test_csv_decoding_order():
    text = "单位,签约项目"
    assert decode_csv_bytes(("\ufeff" + text).encode("utf-8")) == text
    assert decode_csv_bytes(text.encode("utf-8")) == text
    assert decode_csv_bytes(text.encode("gbk")) == text
    assert decode_csv_bytes("𠀀".encode("gb18030")) == "𠀀"
