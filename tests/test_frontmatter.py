"""Front matter read the way a clerk writes it; commentary in any encoding a clerk saves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.compute.record import issued_on
from tongbao.read.frontmatter import parse_front_matter


def front(text: str):
    return parse_front_matter(f"---\n{text}---\n正文\n")


@pytest.mark.parametrize(
    "written",
    ["2024-06-10", "2024年6月10日", "2024.6.10", "2024/6/10", "２０２４年６月１０日", "2024-6-10"],
)
def test_issued_in_every_spelling(written: str):
    parsed = front(f"issued: {written}\n")
    assert parsed.problems == [] and parsed.meta == {"issued": date(2024, 6, 10)}


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("false", False),
        ("yes", True),
        ("no", False),
        ("是", True),
        ("否", False),
        ("", None),
    ],
)
def test_draft_in_every_spelling(written: str, value):
    parsed = front(f"draft: {written}\n")
    assert parsed.problems == [] and parsed.meta.get("draft") is value


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("issue: 3\nissued: 2024-02-30\n", 3, "不是有效的日期"),
        ("issue: 第二期\n", 2, "正整数"),
        ("issue: 0\n", 2, "正整数"),
        ("issue: -3\n", 2, "正整数"),
        ("draft: 不发\n", 2, "true/false"),
        ("issue: 3\nauthor: 张三\n", 3, "没有“author”这项设置"),
        ("revisions:\n  - date: 2024-13-01\n    note: 改\n", 2, "修订日期"),
        ("revisions:\n  - date: 2024-07-01\n", 2, "note"),
        ("revisions: 改了\n", 2, "列表"),
        ("issue: [3\n", 3, "YAML"),
        ("withdrawn: 2024-07-05\n", 2, "reason"),
        ("withdrawn:\n  date: 2024-07-05\n", 2, "reason（撤回原因）"),
        ("withdrawn:\n  date: 2024-02-30\n  reason: 口径有误\n", 2, "撤回日期"),
        ("withdrawn:\n  date: 2024-07-05\n  reason: 有误\n  by: 张三\n", 2, "“by”"),
    ],
)
def test_impossible_values_name_the_line(text: str, line: int, words: str):
    parsed = front(text)
    assert [p[0] for p in parsed.problems] == [line], parsed.problems
    assert words in parsed.problems[0][1]


def test_issue_is_read_in_decimal_and_revisions_as_dates():
    parsed = front("issue: 010\nrevisions:\n  - date: 2024年7月2日\n    note: 核减\n")
    assert parsed.meta == {"issue": 10, "revisions": [{"date": date(2024, 7, 2), "note": "核减"}]}


def test_withdrawn_is_a_date_as_clerks_write_it_and_a_reason():
    parsed = front("withdrawn:\n  date: 2024年7月5日\n  reason: 数据口径有误，另行印发\n")
    assert parsed.problems == []
    assert parsed.meta == {
        "withdrawn": {"date": date(2024, 7, 5), "reason": "数据口径有误，另行印发"}
    }


def test_an_unclosed_front_matter_is_said():
    parsed = parse_front_matter("---\nissue: 3\n正文\n")
    assert parsed.problems and parsed.problems[0][0] == 1


def check_with(root: Path, raw: bytes):
    """March with this commentary, not yet held to a record: the basic case's record of
    March would make every other text a change of what was issued (test_record*.py)."""
    (root / "content/2024-03.md").write_bytes(raw)
    (root / "published/2024-03.json").unlink()
    return pipeline.check(root, today=BASIC_TODAY)


def test_draft_no_in_chinese_publishes_the_month(basic_root: Path):
    checked = check_with(basic_root, "---\nissue: 3\ndraft: 否\n---\n正文\n".encode())
    assert "2024-03" in checked.published and not checked.report.errors


def test_a_chinese_issue_date_reaches_the_figures(basic_root: Path):
    checked = check_with(basic_root, "---\nissue: 3\nissued: 2024年4月8日\n---\n正文\n".encode())
    assert checked.figures["2024-03"]["issued"] == "2024-04-08"
    assert checked.figures["2024-03"]["issue"] == 3


@pytest.mark.parametrize(("draft", "issued"), [("否", True), ("no", True), ("是", False)])
def test_the_record_reads_the_declared_values(basic_root: Path, draft: str, issued: bool):
    """record.issued_on sees dates and 是/否 as the clerk wrote them: `draft: 否` with a
    Chinese 印发日期 is an issued month, compared with its record; `draft: 是` is not."""
    text = f"---\nissue: 3\nissued: 2024年4月10日\ndraft: {draft}\n---\n正文\n"
    checked = check_with(basic_root, text.encode())
    assert checked.issued.get("2024-03") == (date(2024, 4, 10) if issued else None)
    assert issued_on(parse_front_matter(text).meta) == (date(2024, 4, 10) if issued else None)
    assert not checked.report.errors, checked.report.format()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_commentary_in_any_encoding_a_windows_editor_saves(basic_root: Path, encoding: str):
    text = "---\nissue: 3\n---\n全市签约金额 {{ city.signed_amount.ytd | yi }}，甲区表现突出。\n"
    checked = check_with(basic_root, text.encode(encoding))
    assert not checked.report.errors, checked.report.format()
    assert "甲区表现突出" in checked.commentary["2024-03"]


def test_commentary_in_neither_encoding_is_one_error(basic_root: Path):
    checked = check_with(basic_root, b"---\nissue: 3\n---\n\xff\xfe\x00\x81\x30")
    assert [(i.code, i.file) for i in checked.report.errors] == [
        ("bad-encoding", "content/2024-03.md")
    ]


@pytest.mark.parametrize(
    ("expression", "code", "words"),
    [
        ("{{ city.signed_amount.ytd / 0 }}", "bad-expression", "除数为 0"),
        ('{{ unit("丙县").signed_amount.target_self * 2 }}', "bad-expression", "缺失"),
        ("{{ city.signed_amount.ytd | yi(2) }}", "bad-expression", "不用加括号"),
        ("{{ summary | pct }}", "bad-expression", "格式只用于数字"),
        ("{{ city.signed_amount.ytd ** 999999 }}", "bad-expression", "过大"),
        ("{{ city.signed_amount.ytd + }}", "bad-expression", "写法有误"),
        ("{{ foo }}", "unknown-reference", "foo"),
        ("{{ city.signed_amount.__class__ }}", "unsafe-reference", "__class__"),
    ],
)
def test_a_failing_expression_is_an_issue_at_its_line(
    basic_root: Path, expression: str, code: str, words: str
):
    body = f"---\nissue: 3\n---\n第一段。\n\n第二段 {expression}。\n"
    report = check_with(basic_root, body.encode()).report
    found = [i for i in report.errors if i.file == "content/2024-03.md"]
    assert [(i.code, i.row) for i in found] == [(code, 6)], report.format()
    assert words in found[0].message


def test_all_commentary_problems_of_all_months_in_one_run(basic_root: Path):
    (basic_root / "content/2024-01.md").write_text(
        '---\nissue: 第一期\n---\n{{ city.nothing.ytd }}\n{{ unit("丁县").signed_amount.ytd }}\n',
        encoding="utf-8",
    )
    (basic_root / "content/2024-02.md").write_text(
        "---\nissued: 2024-02-30\n---\n{{ city.signed_amount.ytd / 0 }}\n", encoding="utf-8"
    )
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    assert {(i.file, i.row, i.code) for i in report.errors} == {
        ("content/2024-01.md", 2, "bad-front-matter"),
        ("content/2024-01.md", 4, "unknown-reference"),
        ("content/2024-01.md", 5, "unknown-reference"),
        ("content/2024-02.md", 2, "bad-front-matter"),
        ("content/2024-02.md", 4, "bad-expression"),
    }
