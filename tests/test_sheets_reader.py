"""The .xlsx reader: real workbooks in, the exact `Sheet` grids the rest of the code relies on.

Workbooks are made with openpyxl; what openpyxl cannot write (cached formula values,
values left inside a merged area, cells that exist only through a comment) is written
into the XML the way Excel or other tools store it. Every workbook under data/ and
tests/cases/ must read exactly as openpyxl reads it (`reference_sheets`, kept here), and
without falling back to openpyxl; the few places where the reader shows what Excel shows
rather than what openpyxl reads are tested last.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from conftest import CASES, REPO
from make_fixtures import save  # tests/cases/make_fixtures.py, on sys.path via conftest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tongbao.read import xlsx
from tongbao.read.sheets import FileProblem, Sheet, column_letter, read_sheets
from tongbao.read.xlsx import read_xlsx
from tongbao.schema import normalize_text

# fixtures that are deliberately not workbooks (a lock file, a broken file)
NOT_WORKBOOKS = ("ignored-file", "unreadable-file")
WORKBOOKS = sorted(
    [
        *(REPO / "data").rglob("*.xlsx"),
        *(p for p in CASES.rglob("*.xlsx") if not set(NOT_WORKBOOKS) & set(p.parts)),
    ],
    key=lambda p: str(p.relative_to(REPO)),
)


@pytest.fixture(autouse=True)
def fast_only(request, monkeypatch):
    """The fast reader must read every workbook here itself, unless a test expects otherwise."""
    if "openpyxl_fallback" in request.fixturenames:
        return

    def refuse(path: Path, rel: str) -> list[Sheet]:
        raise AssertionError(f"{rel} was left to openpyxl")

    monkeypatch.setattr(xlsx, "_read_xlsx_openpyxl", refuse)


@pytest.fixture
def openpyxl_fallback(monkeypatch) -> list[str]:
    """The files the fast reader left to openpyxl."""
    left, original = [], xlsx._read_xlsx_openpyxl

    def spy(path: Path, rel: str) -> list[Sheet]:
        left.append(rel)
        return original(path, rel)

    monkeypatch.setattr(xlsx, "_read_xlsx_openpyxl", spy)
    return left


# What openpyxl (`data_only=True`) makes of a workbook: the reader tongbao used first, kept
# as its fallback. Taken before any test swaps it for a spy.
reference_sheets = xlsx._read_xlsx_openpyxl


def typed(rows: list[list[object]]) -> list[list[tuple[str, object]]]:
    """Values with their types: 5 and 5.0 are equal in Python but print differently."""
    return [[(type(v).__name__, v) for v in row] for row in rows]


def assert_same(got: list[Sheet], expected: list[Sheet]) -> None:
    assert [s.name for s in got] == [s.name for s in expected]
    for new, old in zip(got, expected, strict=True):
        assert new.file == old.file
        assert typed(new.rows) == typed(old.rows), new.name
        assert new.row_numbers == old.row_numbers, new.name
        assert new.errors == old.errors, new.name
        # openpyxl keeps merged ranges in a set: the order carries no meaning
        assert sorted(new.merged) == sorted(old.merged), new.name


def add_part(path: Path, part: str, text: str) -> None:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, text)


def use_shared_strings(path: Path) -> None:
    """Move sheet1's texts into xl/sharedStrings.xml, as Excel stores them (openpyxl inlines)."""
    texts: list[str] = []

    def share(match: re.Match) -> str:
        ref, attributes, text = match.groups()
        if text.startswith("<t>") and text[3:-4] != text[3:-4].strip():
            text = '<t xml:space="preserve">' + text[3:]  # Excel marks any edge white space
        texts.append(text)
        return f'<c r="{ref}"{attributes} t="s"><v>{len(texts) - 1}</v></c>'

    inline = r'<c r="([A-Z]+[0-9]+)"([^>]*?) t="inlineStr"><is>(.*?)</is></c>'
    patch_part(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(inline, share, xml))
    main = "http://schemas.openxmlformats.org"
    add_part(
        path,
        "xl/sharedStrings.xml",
        f'<sst xmlns="{main}/spreadsheetml/2006/main">'
        + "".join(f"<si>{t}</si>" for t in texts)
        + "</sst>",
    )
    patch_part(
        path,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    patch_part(
        path,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            "</Relationships>",
            f'<Relationship Id="rIdSst" Type="{main}/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
    )


def patch_part(path: Path, part: str, edit: Callable[[str], str]) -> None:
    """Rewrite one XML part inside a saved workbook (what openpyxl will not write)."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                edited = edit(data.decode())
                assert edited != data.decode(), "the patch changed nothing"
                data = edited.encode()
            zout.writestr(info, data)


def one_sheet(path: Path) -> Sheet:
    (sheet,) = read_xlsx(path, "data/2024-03/report.xlsx")
    assert_same([sheet], reference_sheets(path, "data/2024-03/report.xlsx"))
    return sheet


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_committed_workbook_reads_as_openpyxl_reads_it(path: Path):
    rel = path.relative_to(REPO).as_posix()
    assert_same(read_xlsx(path, rel), reference_sheets(path, rel))


def test_only_visible_worksheets_in_workbook_order(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.title = "报表"
    wb.active.append(["单位", "签约项目"])
    for title, state in [("旧表", "hidden"), ("说明", "visible"), ("内部", "veryHidden")]:
        ws = wb.create_sheet(title)
        ws.append([title])
        ws.sheet_state = state
    wb.move_sheet("说明", offset=-2)  # 说明 first: workbook order, not creation order
    save(wb, tmp_path / "r.xlsx")
    sheets = read_xlsx(tmp_path / "r.xlsx", "data/2024-03/r.xlsx")
    assert [(s.name, s.file, s.rows) for s in sheets] == [
        ("说明", "data/2024-03/r.xlsx", [["说明"]]),
        ("报表", "data/2024-03/r.xlsx", [["单位", "签约项目"]]),
    ]
    assert_same(sheets, reference_sheets(tmp_path / "r.xlsx", "data/2024-03/r.xlsx"))


def test_leading_empty_rows_and_columns_keep_excel_positions(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"] = "单位", "签约项目"
    ws["B4"], ws["C4"] = "甲区", 5
    ws["C6"] = 7
    save(wb, tmp_path / "r.xlsx")
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sheet.rows == [
        [None, None, None],
        [None, None, None],
        [None, "单位", "签约项目"],
        [None, "甲区", 5],
        [None, None, None],
        [None, None, 7],
    ]
    assert sheet.row_numbers == [1, 2, 3, 4, 5, 6]
    assert (sheet.errors, sheet.merged) == (set(), [])
    assert sheet.origin(3, 2).row == 4 and sheet.origin(3, 2).column == "C"


def test_cell_values_and_their_types(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "单位",
            "整数",
            "小数",
            "文本数字",
            "全角",
            "日期",
            "日期",
            "时刻",
            "是否",
            "空",
            "零",
            "空格",
        ]
    )
    ws.append(
        [
            " 甲区 ",
            5,
            12.5,
            "1,234.5",
            "１２３４．５",
            datetime(2024, 5, 4),
            date(2024, 5, 6),
            datetime(2024, 5, 4, 13, 30),
            True,
            None,
            0,
            "  ",  # openpyxl writes it without xml:space="preserve"
        ]
    )
    ws.append(["乙区", 40.0, -3, "8000万元", "—", None, None, None, False, None, 1 / 3, "\t"])
    ws["F3"].number_format = "yyyy/m/d"  # a date format on an empty cell: still None
    save(wb, tmp_path / "r.xlsx")
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert typed(sheet.rows[1:]) == typed(
        [
            [
                " 甲区 ",
                5,
                12.5,
                "1,234.5",
                "１２３４．５",
                datetime(2024, 5, 4),
                datetime(2024, 5, 6),  # a date-formatted cell is a datetime, as in openpyxl
                datetime(2024, 5, 4, 13, 30),
                True,
                None,
                0,
                "  ",
            ],
            # 40.0 is stored as <v>40</v>: an int, like any integer Excel writes
            ["乙区", 40, -3, "8000万元", "—", None, None, None, False, None, 1 / 3, "\t"],
        ]
    )


def test_formulas_read_by_cached_value_or_none(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "签约项目", "签约金额(亿元)", "文本"])
    ws.append(["甲区", "=2+3", "=20*2", '=A2&""'])
    ws.append(["乙区", "=1/4", "=C2*2", "=A3"])
    save(wb, tmp_path / "r.xlsx", cached={"B2": "5", "C2": "40", "B3": "0.25"})
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            '<c r="D2"><f>A2&amp;""</f><v />', '<c r="D2" t="str"><f>A2&amp;""</f><v>甲区</v>'
        ),
    )
    sheet = one_sheet(tmp_path / "r.xlsx")
    # C3 and D3 were never calculated (no cached value): empty, not the formula text
    assert typed(sheet.rows[1:]) == typed([["甲区", 5, 40, "甲区"], ["乙区", 0.25, None, None]])
    assert sheet.errors == set()


def test_error_cells_keep_the_error_text_and_are_listed(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "签约项目", "签约金额(亿元)"])
    ws.append(["甲区", 5, "=C3/0"])
    ws.append(["乙区", "#N/A", 7])  # openpyxl writes the error type itself (t="e")
    ws.append(["丙县", "#REF!", "=#REF!*2"])
    save(wb, tmp_path / "r.xlsx", cached={"C2": "#DIV/0!", "C4": "#REF!"})
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sheet.rows[1:] == [
        ["甲区", 5, "#DIV/0!"],
        ["乙区", "#N/A", 7],
        ["丙县", "#REF!", "#REF!"],
    ]
    assert sheet.errors == {(1, 2), (2, 1), (3, 1), (3, 2)}
    assert sheet.origin(1, 2).row == 2 and sheet.origin(1, 2).column == "C"


def test_an_error_value_calamine_does_not_know_is_left_to_openpyxl(
    tmp_path: Path, openpyxl_fallback: list[str]
):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "签约金额(亿元)"])
    ws.append(["甲区", "=WEBSERVICE(A1)"])
    save(wb, tmp_path / "r.xlsx", cached={"B2": "#GETTING_DATA"})
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sheet.rows == [["单位", "签约金额(亿元)"], ["甲区", "#GETTING_DATA"]]
    assert sheet.errors == {(1, 1)}
    assert openpyxl_fallback == ["data/2024-03/report.xlsx"]


def merged_report(ws) -> None:
    """The bureau's shape: a title merged across, 单位 merged down, 签约项目 over three columns."""
    ws["A1"] = "2024年1-3月招商引资进展情况表"
    ws.merge_cells("A1:E1")
    ws["A3"], ws["B3"], ws["E3"] = "单位", "签约项目", "外出招商批次"
    ws["B4"], ws["C4"], ws["D4"] = "个数", "其中亿元以上", "金额(亿元)"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:D3")
    ws.merge_cells("E3:E4")
    ws.append(["甲区", 5, 2, 40.5, 3])


def test_merged_two_row_header(tmp_path: Path):
    wb = openpyxl.Workbook()
    merged_report(wb.active)
    save(wb, tmp_path / "r.xlsx")
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sorted(sheet.merged) == [(0, 0, 0, 4), (2, 0, 3, 0), (2, 1, 2, 3), (2, 4, 3, 4)]
    assert sheet.rows == [
        ["2024年1-3月招商引资进展情况表", None, None, None, None],
        [None, None, None, None, None],
        ["单位", "签约项目", None, None, "外出招商批次"],
        [None, "个数", "其中亿元以上", "金额(亿元)", None],
        ["甲区", 5, 2, 40.5, 3],
    ]


def test_values_left_inside_a_merged_area_are_hidden_as_excel_hides_them(tmp_path: Path):
    wb = openpyxl.Workbook()
    merged_report(wb.active)
    save(wb, tmp_path / "r.xlsx")
    # other tools keep the old contents of merged-over cells; Excel shows only the first
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace('<c r="E3"', '<c r="C3"><v>9</v></c><c r="E3"').replace(
            '<c r="B4"', '<c r="A4" t="e"><v>#N/A</v></c><c r="B4"'
        ),
    )
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sheet.rows[2:4] == [
        ["单位", "签约项目", None, None, "外出招商批次"],
        [None, "个数", "其中亿元以上", "金额(亿元)", None],
    ]
    assert sheet.errors == set()


def test_blank_cells_that_exist_widen_the_grid_as_in_openpyxl(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "签约项目"])
    ws.append(["甲区", 5])
    ws["D5"].border = Border(bottom=Side(style="thin"))  # formatted, never filled
    ws["F2"].font = Font(bold=True)
    ws["A7"].comment = Comment("请填写全称", "市投资促进局")
    save(wb, tmp_path / "r.xlsx")
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert len(sheet.rows) == 7 and {len(row) for row in sheet.rows} == {6}
    assert sheet.rows[:2] == [["单位", "签约项目"] + [None] * 4, ["甲区", 5] + [None] * 4]
    assert all(v is None for row in sheet.rows[2:] for v in row)


def test_comments_and_links_on_cells_the_sheet_does_not_list(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "签约项目"])
    ws["C9"].comment = Comment("备注", "市投资促进局")
    save(wb, tmp_path / "r.xlsx")
    # openpyxl writes <c r="C9"/> for a comment; Excel does not: the comment part alone names C9
    link = '<hyperlinks><hyperlink ref="J4" location="Sheet!A1" display="目录"/></hyperlinks>'
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<c r="C9"[^>]*/>', "", xml).replace(
            "<pageMargins", link + "<pageMargins"
        ),
    )
    (sheet,) = read_xlsx(tmp_path / "r.xlsx", "r.xlsx")
    (expected,) = reference_sheets(tmp_path / "r.xlsx", "r.xlsx")
    assert (len(sheet.rows), len(sheet.rows[0])) == (9, 10)
    # On purpose unlike openpyxl, which shows a link's target in an empty linked cell (a
    # cell cleared with Delete keeps its link): the cell is empty, as Excel shows it.
    assert expected.rows[3][9] == "Sheet!A1"
    expected.rows[3][9] = None
    assert_same([sheet], [expected])


def test_an_empty_sheet_has_no_rows(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.title = "空"
    wb.create_sheet("报表").append(["单位"])
    save(wb, tmp_path / "r.xlsx")
    sheets = read_xlsx(tmp_path / "r.xlsx", "r.xlsx")
    assert [(s.name, s.rows, s.row_numbers) for s in sheets] == [
        ("空", [], []),
        ("报表", [["单位"]], [1]),
    ]
    assert_same(sheets, reference_sheets(tmp_path / "r.xlsx", "r.xlsx"))


def test_a_broken_workbook_is_an_unreadable_file(tmp_path: Path, openpyxl_fallback: list[str]):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(FileProblem) as caught:
        read_xlsx(path, "data/2024-03/report.xlsx")
    issue = caught.value.issue
    assert (issue.file, issue.code) == ("data/2024-03/report.xlsx", "unreadable-file")
    assert issue.message == "无法读取该 Excel 文件（BadZipFile），请用 Excel 打开后另存为 .xlsx"
    assert openpyxl_fallback == ["data/2024-03/report.xlsx"]  # openpyxl names the problem


def test_a_zip_that_is_not_a_workbook_is_an_unreadable_file(
    tmp_path: Path, openpyxl_fallback: list[str]
):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileProblem) as caught:
        read_xlsx(path, "data/2024-03/report.xlsx")
    assert caught.value.issue.code == "unreadable-file"
    assert (
        caught.value.issue.message
        == "无法读取该 Excel 文件（KeyError），请用 Excel 打开后另存为 .xlsx"
    )
    assert openpyxl_fallback == ["data/2024-03/report.xlsx"]


def test_an_empty_file_is_reported_as_empty(tmp_path: Path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"")
    with pytest.raises(FileProblem) as caught:
        read_sheets(path, "data/2024-03/report.xlsx")
    assert caught.value.issue.code == "empty-file"


def test_times_are_times(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["时刻", time(9, 30)])
    save(wb, tmp_path / "r.xlsx")
    assert one_sheet(tmp_path / "r.xlsx").rows == [["时刻", time(9, 30)]]


def test_shared_strings_as_excel_writes_them(tmp_path: Path):
    wb = openpyxl.Workbook()
    merged_report(wb.active)
    wb.active.append([" 乙区 ", "  ", "5个", "１２．５", "东营区"])
    save(wb, tmp_path / "r.xlsx")
    use_shared_strings(tmp_path / "r.xlsx")
    patch_part(  # a phonetic guide, as CJK Excel keeps beside a text: not part of the value
        tmp_path / "r.xlsx",
        "xl/sharedStrings.xml",
        lambda xml: xml.replace(
            "<si><t>东营区</t></si>",
            '<si><t>东营区</t><rPh sb="0" eb="3"><t>dong ying qu</t></rPh></si>',
        ),
    )
    sheet = one_sheet(tmp_path / "r.xlsx")
    assert sheet.rows[0][0] == "2024年1-3月招商引资进展情况表"
    assert sheet.rows[5] == [" 乙区 ", "  ", "5个", "１２．５", "东营区"]


def test_workbook_with_the_1904_date_system(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.append(["签约日期", datetime(2024, 5, 4), date(2024, 5, 6), 3])
    save(wb, tmp_path / "r.xlsx")
    assert one_sheet(tmp_path / "r.xlsx").rows == [
        ["签约日期", datetime(2024, 5, 4), datetime(2024, 5, 6), 3]
    ]


def test_chart_sheets_are_not_grids(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报表"
    ws.append(["甲区", 5])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=1))
    wb.create_chartsheet("图表", 0).add_chart(chart)
    save(wb, tmp_path / "r.xlsx")
    assert one_sheet(tmp_path / "r.xlsx").rows == [["甲区", 5]]


def test_cells_without_a_reference_are_left_to_openpyxl(
    tmp_path: Path, openpyxl_fallback: list[str]
):
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "签约项目"])
    wb.active.append(["甲区", 5])
    save(wb, tmp_path / "r.xlsx")
    # allowed by the format, written by some tools: cells numbered by their order in the row
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(r'<c r="[A-Z]+[0-9]+"', "<c", xml),
    )
    assert one_sheet(tmp_path / "r.xlsx").rows == [["单位", "签约项目"], ["甲区", 5]]
    assert openpyxl_fallback == ["data/2024-03/report.xlsx"]


def test_a_number_calamine_cannot_parse_is_left_to_openpyxl(
    tmp_path: Path, openpyxl_fallback: list[str]
):
    wb = openpyxl.Workbook()
    wb.active.append(["甲区", 5])
    save(wb, tmp_path / "r.xlsx")
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<v>5</v>", "<v> 5 </v>"),
    )
    assert one_sheet(tmp_path / "r.xlsx").rows == [["甲区", 5]]
    assert openpyxl_fallback == ["data/2024-03/report.xlsx"]


# Where openpyxl and Excel disagree, the reader shows what Excel shows.


def test_chinese_builtin_date_formats_are_dates(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.append(["签约日期", datetime(2024, 5, 4), datetime(2024, 5, 6)])
    wb.active["B1"].number_format = 'yyyy"年"m"月"d"日"'
    wb.active["C1"].number_format = 'yyyy"年"m"月"'
    save(wb, tmp_path / "r.xlsx")
    # A Chinese Excel stores its own date styles by number alone (ids 27–36, 50–58), with
    # no format code in the file; openpyxl knows no code for them and gives the day number.
    builtin = iter(["31", "57"])  # for the two custom formats, in the order openpyxl wrote them
    patch_part(
        tmp_path / "r.xlsx",
        "xl/styles.xml",
        lambda xml: re.sub(
            r'(<xf numFmtId=")1[6-9][0-9]"',
            lambda m: m.group(1) + next(builtin) + '"',
            re.sub(r"<numFmts.*?</numFmts>", "", xml),
        ),
    )
    (sheet,) = read_xlsx(tmp_path / "r.xlsx", "r.xlsx")
    (expected,) = reference_sheets(tmp_path / "r.xlsx", "r.xlsx")
    assert expected.rows == [["签约日期", 45416, 45418]]
    assert sheet.rows == [["签约日期", datetime(2024, 5, 4), datetime(2024, 5, 6)]]


def test_escaped_control_characters_in_text_are_decoded(tmp_path: Path):
    wb = openpyxl.Workbook()
    wb.active.append(["单位", "签约金额(亿元)"])
    save(wb, tmp_path / "r.xlsx")
    # Excel writes a carriage return inside a cell (text pasted from Windows) as _x000D_
    patch_part(
        tmp_path / "r.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace("<t>签约金额(亿元)</t>", "<t>签约金额_x000D_\n(亿元)</t>"),
    )
    (sheet,) = read_xlsx(tmp_path / "r.xlsx", "r.xlsx")
    (expected,) = reference_sheets(tmp_path / "r.xlsx", "r.xlsx")
    assert expected.rows == [["单位", "签约金额_x000D_\n(亿元)"]]
    assert sheet.rows == [["单位", "签约金额\r\n(亿元)"]]
    assert normalize_text(sheet.rows[0][1]) == "签约金额(亿元)"  # so the header is recognised


def test_column_letters_match_excel():
    assert [column_letter(n) for n in (1, 26, 27, 52, 703, 16384)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "AAA",
        "XFD",
    ]
    assert all(column_letter(n) == get_column_letter(n) for n in range(1, 18279))
