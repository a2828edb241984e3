"""附表下载: the bulletin's .xlsx, read back with openpyxl: sheets, headers, numbers, bytes."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from tongbao.exports.downloads import FIGURE_COLUMNS, PROJECT_COLUMNS, bulletin_workbook
from tongbao.schema import STANDARD_INDICATORS

INDICATORS = STANDARD_INDICATORS.all

TITLE = "测试市招商引资工作通报"
WIDTH = len(FIGURE_COLUMNS)
AMOUNT = 3 + [ind.key for ind in INDICATORS].index("signed_amount") * WIDTH  # its 累计 column
COUNT = 3  # signed_count, the first indicator


def figure(ytd=None, **more) -> dict:
    empty = dict.fromkeys(("month", "target_self", "rate", "gap_pp", "yoy", "rank", "light"))
    return {**empty, "ytd": ytd, "target": 100.0, "rank_tied": False, "rank_change": None} | more


def unit(name: str, group: str, *, reported: bool = True, **by_key: dict) -> dict:
    indicators = {ind.key: by_key.get(ind.key, figure()) for ind in INDICATORS}
    return {"unit_id": name, "name": name, "group": group, "reported": reported} | {
        "indicators": indicators
    }


def project(project_id: str, name: str, amount: float) -> dict:
    row = {key: f"{key}-{project_id}" for key, _ in PROJECT_COLUMNS}
    row |= {"project_id": project_id, "name": name, "signed_on": "2024-03-05"}
    return row | {"total_investment": amount * 2, "signed_amount": amount}


FIGURES = {
    "period": "2024-03",
    "city": {
        ind.key: {
            "ytd": 12.5,
            "month": 2.0,
            "target": 50.0,
            "rate": 0.25,
            "gap_pp": 0.0,
            "yoy": None,
        }
        for ind in INDICATORS
    },
    "units": [
        unit(
            "甲区",
            "县区",
            signed_amount=figure(
                40.0,
                month=10.5,
                rate=0.4,
                gap_pp=15.0,
                yoy=-0.1,
                rank=1,
                rank_tied=True,
                light="green",
            ),
            signed_count=figure(7, target=20.0, rate=0.35, rank=2, light="yellow"),
        ),
        unit("乙区", "县区", reported=False),
        unit("文旅投促委", "产业投促委", signed_amount=figure(3.25, rank=1)),
    ],
    "projects": {
        "big": [project("P1", "=SUM(A1:A9) 文旅综合体", 12.0), project("P2", "http://港口", 3.5)],
        "f500": [],
        "new_this_month": [project("P2", "http://港口", 3.5)],
    },
}


@pytest.fixture(scope="module")
def data() -> bytes:
    return bulletin_workbook(FIGURES, title=TITLE)


@pytest.fixture(scope="module")
def wb(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_a_sheet_per_group_with_units_then_city_then_projects(wb):
    assert wb.sheetnames == [
        "县区",
        "产业投促委",  # 市属开发区 has no unit here: no sheet
        "全市",
        "亿元以上项目",
        "世界500强项目",
        "本月新签约项目",
    ]
    assert [wb["县区"].cell(r, 1).value for r in range(4, 6)] == ["甲区", "乙区"]
    assert wb["县区"].max_row == 5 and wb["产业投促委"]["A4"].value == "文旅投促委"


def test_title_and_two_header_rows_with_merged_indicator_names(wb):
    ws = wb["县区"]
    assert ws["A1"].value == f"{TITLE} 2024年1—3月 县区"
    assert ws["A1"].font.b and ws["A1"].font.sz == 12
    assert [ws["A2"].value, ws["B2"].value, ws["A3"].value, ws["B3"].value] == [
        "单位",
        "报送",
        None,
        None,
    ]
    expected = set()
    for i, ind in enumerate(INDICATORS):
        first = 3 + i * WIDTH
        assert ws.cell(2, first).value == f"{ind.name}({ind.unit})"
        assert ws.cell(2, first).alignment.horizontal == "center"
        assert [ws.cell(3, first + j).value for j in range(WIDTH)] == [
            label for _, label in FIGURE_COLUMNS
        ]
        expected.add(f"{get_column_letter(first)}2:{get_column_letter(first + WIDTH - 1)}2")
    assert {str(r) for r in ws.merged_cells.ranges} == expected
    assert ws.max_column == 2 + len(INDICATORS) * WIDTH
    assert ws.freeze_panes == "C4"


def test_figures_are_numbers_with_number_formats(wb):
    ws = wb["县区"]
    row = [ws.cell(4, AMOUNT + j) for j in range(WIDTH)]
    assert [c.value for c in row] == [40, 10.5, 100, None, 0.4, 15, -0.1, "并列第1", "绿"]
    assert [c.number_format for c in row] == [
        "0.00",
        "0.00",
        "0.00",
        "0.00",  # empty, but formatted like its column
        "0.00%",
        "0.00",
        "0.00%",
        "General",
        "General",
    ]
    count = [ws.cell(4, COUNT + j) for j in range(WIDTH)]
    assert [c.value for c in count[:3]] == [7, None, 20] and isinstance(count[0].value, int)
    assert [c.number_format for c in count[:3]] == ["0", "0", "0"]
    assert [c.value for c in count[7:]] == ["第2", "黄"]


def test_unit_not_reported_keeps_targets_and_no_figures(wb):
    ws = wb["县区"]
    assert ws["B4"].value == "是" and ws["B5"].value == "未报送"
    values = [ws.cell(5, AMOUNT + j).value for j in range(WIDTH)]
    assert values == [None, None, 100, None, None, None, None, None, None]


def test_city_sheet(wb):
    ws = wb["全市"]
    assert [c.value for c in ws[1]] == [
        "指标",
        "单位",
        "累计",
        "本月",
        "目标",
        "完成率",
        "进度差(个百分点)",
        "同比",
    ]
    assert [c.value for c in ws[2]] == ["签约项目", "个", 12.5, 2, 50, 0.25, 0, None]
    assert [c.number_format for c in ws[2]][5:] == ["0.00%", "0.00", "0.00%"]
    assert ws.max_row == 1 + len(INDICATORS)


def test_project_sheets_keep_text_as_text(wb):
    ws = wb["亿元以上项目"]
    assert [c.value for c in ws[1]] == [label for _, label in PROJECT_COLUMNS]
    first = {label: c for (_, label), c in zip(PROJECT_COLUMNS, ws[2], strict=True)}
    assert (
        first["项目名称"].value == "=SUM(A1:A9) 文旅综合体" and first["项目名称"].data_type == "s"
    )
    assert ws["B3"].value == "http://港口" and not ws["B3"].hyperlink
    assert first["总投资(亿元)"].value == 24 and first["签约金额(亿元)"].value == 12
    assert first["签约金额(亿元)"].number_format == "0.00"
    assert first["签约日期"].value == "2024-03-05"  # as published in the figures JSON
    assert ws.freeze_panes == "A2"
    assert wb["世界500强项目"].max_row == 1 and wb["本月新签约项目"]["A2"].value == "P2"


def test_column_widths(wb):
    ws = wb["县区"]
    widths = {
        get_column_letter(i): d.width
        for d in ws.column_dimensions.values()
        for i in range(d.min, d.max + 1)
    }
    assert widths["A"] == 24 and "B" not in widths
    assert {widths[get_column_letter(c)] for c in range(3, ws.max_column + 1)} == {10}
    projects = wb["亿元以上项目"].column_dimensions
    assert projects["B"].width == 36 and projects["G"].width == 28


def test_no_ledger_no_project_sheets():
    figures = {key: value for key, value in FIGURES.items() if key != "projects"}
    wb = openpyxl.load_workbook(io.BytesIO(bulletin_workbook(figures, title=TITLE)))
    assert wb.sheetnames == ["县区", "产业投促委", "全市"]


def test_same_figures_same_bytes(data: bytes):
    assert bulletin_workbook(FIGURES, title=TITLE) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2  # created and modified, not the clock


def _stock_workbook(monkeypatch, figures: dict) -> bytes:
    """The workbook as XlsxWriter's own worksheets write it, cell by cell."""
    import tongbao.exports.downloads as downloads
    from tongbao.exports.workbook import xlsxwriter_workbook

    monkeypatch.setattr(downloads, "xlsxwriter_workbook", lambda **_: xlsxwriter_workbook())
    return bulletin_workbook(figures, title=TITLE)


def test_row_sheets_write_the_bytes_of_xlsxwriters_own(monkeypatch, data: bytes):
    stock = _stock_workbook(monkeypatch, FIGURES)
    assert data == stock
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "worksheets/sheet1.xml" in " ".join(z.namelist())


def test_row_sheet_cells_of_every_kind_match_xlsxwriter():
    """put_row against write_* cell by cell: text, blanks with and without a format, numbers,
    a bool, a date, a text over XlsxWriter's length check, a row and a column with formats."""
    from datetime import datetime

    from tongbao.exports.workbook import RowSheet, xlsxwriter_bytes, xlsxwriter_workbook

    long_text = "长" * 20_000
    rows = [
        ["单位", "", None, 3, 2.5, -0.125, 10**15, True, datetime(2024, 5, 4), "=A1", long_text],
        [None, "a & <b>", 0, 0.1 + 0.2, " 空格 ", None, 1e-9],
    ]

    def book_bytes(fast: bool) -> bytes:
        book = xlsxwriter_workbook(worksheet_class=RowSheet if fast else None)
        number, date_format = (
            book.add_format({"num_format": "0.00"}),
            book.add_format({"num_format": "yyyy-mm-dd"}),
        )
        ws = book.add_worksheet("表")
        ws.set_column(6, 6, 12, number)  # a column's own format reaches its unformatted cells
        ws.set_row(1, None, number)  # and a row's
        ws.set_column_pixels(1, 3, 70)
        ws.freeze_panes(1, 1)
        cell_formats = [None, number, number, None, number, None, None, None, date_format]
        for r, values in enumerate(rows):
            if fast:
                ws.put_row(r, values, cell_formats)
                continue
            for c, value in enumerate(values):
                fmt = cell_formats[c] if c < len(cell_formats) else None
                if value is None or value == "":
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, fmt)
                else:
                    ws.write(r, c, value, fmt)
        ws.write_string(40, 2, "远处的一格")  # a later block of 16 rows: its own spans
        return xlsxwriter_bytes(book)

    fast = book_bytes(True)
    assert fast == book_bytes(False)
    sheet = openpyxl.load_workbook(io.BytesIO(fast))["表"]
    assert [c.value for c in sheet[1]][:8] == ["单位", None, None, 3, 2.5, -0.125, 10**15, True]
    assert sheet["I1"].value == datetime(2024, 5, 4) and sheet["J1"].value == "=A1"
    assert sheet["J1"].data_type == "s" and len(sheet["K1"].value) == 20_000
    assert sheet["B1"].number_format == "0.00" and sheet["C2"].number_format == "0.00"
    assert sheet["B2"].value == "a & <b>" and sheet["C41"].value == "远处的一格"
