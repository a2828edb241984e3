"""Commentary runs in a sandbox: documented figures and filters only, errors name the line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import formats, pipeline
from tongbao.bulletin.commentary import demote_headings


def check_with(root: Path, body: str, front: str = "issue: 3\n"):
    """March with this commentary, not issued: the basic case's record of March is set
    aside (an issued month's text is held to it, see test_record_changes.py)."""
    (root / "content/2024-03.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    (root / "published/2024-03.json").unlink(missing_ok=True)
    return pipeline.check(root, today=BASIC_TODAY)


def test_figures_and_filters_are_filled_in(basic_root: Path):
    body = (
        "{{ city.signed_amount.ytd | yi }} {{ city.signed_amount.rate | pct }} "
        "{{ city.signed_amount.gap_pp | pp }} {{ city.signed_amount.yoy | yoy }} "
        "{{ unit('丙县').signed_amount.rank | rank }} {{ unit('甲县').signed_amount.rank | rank }} "
        "{{ unit('开发区').signed_amount.yoy | yoy }} {{ city.signed_count.ytd }}\n"
    )
    checked = check_with(basic_root, body)
    assert not checked.report.errors, checked.report.format()
    assert checked.commentary["2024-03"] == (
        "145.00亿元 24.17% 欠序时进度0.83个百分点 同比增长3.66% 第3位 并列第1位 — 17\n"
    )


def test_summary_and_flags_are_available(basic_root: Path):
    checked = check_with(basic_root, "{{ summary }}\n")
    assert checked.commentary["2024-03"].startswith(
        "1—3月，全市签约项目17个，完成年度目标54个的31.48%"
    )


@pytest.mark.parametrize(
    ("body", "line", "code"),
    [
        ("第一行\n\n{{ city.signed_amount.growth }}\n", 6, "unknown-reference"),
        ("{{ city.profit.ytd }}\n", 4, "unknown-reference"),
        ("{{ unit('丁镇').signed_amount.ytd }}\n", 4, "unknown-reference"),
        ("{{ ''.__class__ }}\n", 4, "unsafe-reference"),
        ("x\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 5, "unsafe-reference"),
        ("{{ config }}\n", 4, "unknown-reference"),
        ("{{ self }}\n", 4, "unknown-reference"),
        ("{{ os.system('ls') }}\n", 4, "unknown-reference"),
        ("{{ lipsum.__globals__ }}\n", 4, "unknown-reference"),
        ("{{ cycler.__init__.__globals__.os }}\n", 4, "unknown-reference"),
        ("{% for x in range(10) %}{% endfor %}\n", 4, "unsafe-reference"),
        ("{{ city.signed_amount.ytd | attr('__class__') }}\n", 4, "unknown-reference"),
        ("{{ city['signed_amount'] }}\n", 4, "unknown-reference"),
    ],
)
def test_probes_are_refused_with_file_and_line(basic_root: Path, body: str, line: int, code: str):
    report = check_with(basic_root, body).report
    problems = [i for i in report.errors if i.file == "content/2024-03.md"]
    assert [(i.code, i.row) for i in problems] == [(code, line)], report.format()


def test_a_missing_figure_prints_a_dash(basic_root: Path):
    checked = check_with(basic_root, "外资{{ city.fdi.ytd }}，{{ city.fdi.ytd | usd }}\n")
    assert checked.commentary["2024-03"] == "外资—，—\n"


def test_data_values_in_commentary_are_escaped(basic_root: Path):
    checked = check_with(basic_root, "{{ flags }}\n")
    assert "<" not in checked.commentary["2024-03"].replace("&lt;", "")


def test_filters_on_missing_values_print_a_dash():
    assert [f(None) for f in formats.FILTERS.values()] == ["—"] * len(formats.FILTERS)
    assert formats.usd(1550) == "1550.00万美元"
    assert formats.yoy(-0.0892) == "同比下降8.92%" and formats.pp(4.123) == "超序时进度4.12个百分点"
    assert formats.rank(2, True) == "并列第2位"


def test_headings_move_under_the_bulletin_section():
    assert demote_headings("## 一、总体情况\n```\n# not a heading\n```\n") == (
        "### 一、总体情况\n```\n# not a heading\n```"
    )
