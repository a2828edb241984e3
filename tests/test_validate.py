"""Every error and warning code has a fixture that must produce it, at the right place.

Each folder under tests/cases/errors/<code>/ overlays files (files/) on a copy
of the basic case; expect.json names the code, file, sheet, row and column.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import BASIC_TODAY, CASES, copy_case

from tongbao import pipeline
from tongbao.codes import CODE_BY_NAME, CODES

ERROR_CASES = sorted(p.name for p in (CASES / "errors").iterdir() if p.is_dir())


def overlay(case: str, tmp_path: Path) -> tuple[Path, dict]:
    root = copy_case("basic", tmp_path)
    folder = CASES / "errors" / case
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    for rel in expect.get("remove", []):
        (root / rel).unlink()
    shutil.copytree(folder / "files", root, dirs_exist_ok=True)
    return root, expect


def test_every_declared_code_has_a_fixture_and_every_fixture_is_declared():
    """A folder per code (`bad-date`), and one per further level a code declares
    (`bad-date@ledger`: the same code where it is only a warning)."""
    declared = {c.code for c in CODES}
    assert len(declared) == len(CODES), "a code is declared twice"
    assert declared == {case.split("@")[0] for case in ERROR_CASES}
    levels_with_a_fixture = set()
    for case in ERROR_CASES:
        expect = json.loads((CASES / "errors" / case / "expect.json").read_text(encoding="utf-8"))
        code = CODE_BY_NAME[case.split("@")[0]]
        assert expect["code"] == code.code
        assert expect["level"] == (code.level if "@" not in case else code.also)
        levels_with_a_fixture.add((code.code, expect["level"]))
    assert levels_with_a_fixture == {(c.code, level) for c in CODES for level in c.levels}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_fixture_fails_with_its_code_and_place(case: str, tmp_path: Path):
    root, expect = overlay(case, tmp_path)
    report = pipeline.check(root, today=BASIC_TODAY).report
    found = [i for i in report.issues if i.code == expect["code"]]
    assert found, f"{case}: expected {expect['code']}, got:\n{report.format()}"
    issue = found[0]
    assert issue.level == expect["level"]
    assert issue.file == expect["file"]
    assert issue.sheet == expect.get("sheet", "")
    if not expect.get("row_any"):
        assert issue.row == expect["row"]
    assert issue.column == expect["column"]
    assert issue.header == expect.get("header", issue.header)
    assert issue.message and all(ord(c) < 128 for c in issue.code)
    # every problem any fixture raises is declared, at its declared level
    assert {(i.code, i.level) for i in report.issues} <= {
        (c.code, level) for c in CODES for level in c.levels
    }
    if expect["level"] == "error":
        # the fixture has exactly this one kind of error, and check fails because of it
        assert {i.code for i in report.errors} == {expect["code"]}, report.format()
        assert report.failed()
    elif expect["level"] == "warning":
        assert not report.errors, report.format()
        assert report.failed(strict=True)
    else:  # a notice: nothing to fix, nothing fails
        assert not report.errors, report.format()
        assert {i.code for i in report.warnings} == {"not-reported"}, report.format()


def test_basic_case_is_clean_but_for_its_one_not_reported_unit(basic_root: Path):
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    assert [(i.code, i.file) for i in report.errors + report.warnings] == [
        ("not-reported", "data/2024-02")
    ]


def test_messages_say_how_to_fix(tmp_path: Path):
    root, _ = overlay("not-a-number", tmp_path)
    issue = next(
        i for i in pipeline.check(root, today=BASIC_TODAY).report.issues if i.code == "not-a-number"
    )
    assert issue.format() == (
        "data/2024-03/report.csv:C3 签约金额(亿元): not-a-number: “约5亿”不是数字，请填写数字（单位：亿元）"
    )


def test_unknown_unit_suggests_close_names(tmp_path: Path):
    root = copy_case("basic", tmp_path)
    (root / "data/2024-03/report.csv").write_text(
        "单位,签约项目\n甲 区,5\n乙县,4\n", encoding="utf-8"
    )
    report = pipeline.check(root, today=BASIC_TODAY).report
    unknown = [i for i in report.issues if i.code == "unknown-unit"]
    assert len(unknown) == 1 and unknown[0].row == 3  # "甲 区" resolves: spaces are folded
    assert "乙区" in unknown[0].message


def test_all_problems_in_all_files_are_reported_at_once(tmp_path: Path):
    root = copy_case("basic", tmp_path)
    for case in ("not-a-number", "future-month", "unknown-reference"):
        shutil.copytree(CASES / "errors" / case / "files", root, dirs_exist_ok=True)
    report = pipeline.check(root, today=BASIC_TODAY).report
    assert {"not-a-number", "future-month", "unknown-reference"} <= {i.code for i in report.errors}
    text = report.format()
    # grouped by file, errors before warnings
    assert text.index("content/2024-03.md") < text.index("data/2024-02")


def test_confirmed_not_reported_and_explained_decrease_are_notices(tmp_path: Path):
    root, _ = overlay("ytd-decreased", tmp_path)  # 甲区 签约金额 40 → 20 in March
    (root / "content/2024-02.md").write_text(
        "---\nunreported: [乙区]\n---\n正文\n", encoding="utf-8"
    )
    (root / "content/2024-03.md").write_text(
        "---\nissue: 3\nissued: 2024-04-10\nrevisions:\n  - date: 2024-04-20\n"
        "    note: 甲县核减签约金额20亿元\n---\n正文\n",
        encoding="utf-8",
    )
    report = pipeline.check(root, today=BASIC_TODAY).report
    assert not report.warnings and not report.errors, report.format()
    assert {("not-reported", "notice"), ("ytd-decreased", "notice")} <= {
        (i.code, i.level) for i in report.issues
    }


def test_a_blank_template_row_is_not_reported(basic_root: Path):
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目,签约金额(亿元)\n甲区,5,40\n乙区,,\n丙县,1,5\n开发区,7,60\n文旅投促委,3,15\n",
        encoding="utf-8",
    )
    checked = pipeline.check(basic_root, today=BASIC_TODAY)
    issues = {(i.code, i.file, i.level) for i in checked.report.issues}
    assert ("not-reported", "data/2024-03", "warning") in issues
    assert ("empty-row", "data/2024-03/report.csv", "notice") in issues
    yq = next(u for u in checked.figures["2024-03"]["units"] if u["unit_id"] == "YQ")
    assert yq["reported"] is False
