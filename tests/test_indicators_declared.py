"""Indicators as data: data/indicators.csv read like the other registers, and the
standard set (DATA.md) when there is none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tongbao.read.indicators import load_indicators
from tongbao.schema import CUMULATIVE, STANDARD_INDICATORS, STOCK, month_indicators

HEADER = "编码,指标名称,表头别名,计量单位,口径,小数位,考核,主要指标,图表,排序\n"


def write(root: Path, text: str, encoding: str = "utf-8") -> Path:
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data/indicators.csv").write_bytes(text.encode(encoding))
    return root


def test_without_the_file_the_standard_set_of_data_md_applies(tmp_path: Path):
    indicators, issues = load_indicators(tmp_path)
    assert issues == [] and indicators is STANDARD_INDICATORS
    table = [
        (i.key, i.name, i.unit, i.kind == STOCK, i.assessed, i.headline, i.chart)
        for i in indicators
    ]
    assert table == [  # DATA.md, "The standard set"
        ("signed_count", "签约项目", "个", False, True, True, False),
        ("signed_big_count", "其中亿元以上项目", "个", False, False, False, False),
        ("signed_amount", "签约金额", "亿元", False, True, True, True),
        ("started_count", "开工项目", "个", False, True, True, False),
        ("completed_count", "竣工投产项目", "个", False, False, False, False),
        ("funds_in", "实际到位资金", "亿元", False, True, True, True),
        ("funds_out_prov", "其中省外到位资金", "亿元", False, False, False, False),
        ("fdi", "实际使用外资", "万美元", False, True, True, True),
        ("trips", "外出招商批次", "批次", False, True, True, False),
        ("trip_persons", "外出招商人次", "人次", False, False, False, False),
        ("visits", "接待来访客商", "批次", False, False, False, False),
        ("negotiating_count", "在谈项目", "个", True, False, False, False),
    ]
    # the header spellings real submissions use are the standard set's aliases
    assert indicators.match("签约项目", "个数") == "signed_count"
    assert indicators.match("签约金额（万元）") == "signed_amount"
    assert indicators.match("实际利用外资") == "fdi"
    assert indicators.match("外出招商", "人次") == "trip_persons"
    assert indicators.match("引进人才") is None


def test_a_city_file_with_a_title_row_in_gbk_full_width_and_yes_no_spellings(tmp_path: Path):
    text = (
        "某市招商引资指标表,,,,,,,,,\n"
        + HEADER
        + "talent,引进人才,人才引进；引进人才数,人,累计,,Y,√,否,2\n"
        + "ｆｕｎｄｓ,到位资金,,亿元,累计,３,是,是,是,1\n"
        + "parks,在建园区,,个,时点,,,,,3\n"
    )
    indicators, issues = load_indicators(write(tmp_path, text, "gb18030"))
    assert issues == []
    assert [i.key for i in indicators] == ["funds", "talent", "parks"]  # by 排序
    funds, talent, parks = indicators
    assert (funds.unit, funds.digits, funds.assessed, funds.headline, funds.chart) == (
        "亿元",
        3,
        True,
        True,
        True,
    )
    assert (talent.unit, talent.digits, talent.assessed, talent.headline) == ("人", 0, True, True)
    assert talent.aliases == ("人才引进", "引进人才数")
    assert (parks.kind, parks.assessed, parks.headline, parks.chart) == (STOCK, False, False, False)
    assert funds.kind == talent.kind == CUMULATIVE
    assert indicators.match("人才引进(人)") == "talent"
    assert [i.key for i in indicators.assessed] == ["funds", "talent"]
    assert indicators.lead is funds


@pytest.mark.parametrize(
    "row, column, header, words",
    [
        ("signed,签约个数,,个,累计,,是,是,否,", "A", "编码", "重复"),
        ("other,签约金额,,亿元,累计,,是,是,否,", "B", "指标名称", "重复"),
        ("other,其他,签约金额,亿元,累计,,是,是,否,", "C", "表头别名", "签约金额"),
        ("other,其他,,亿元,合计,,是,是,否,", "E", "口径", "累计 或 时点"),
        ("other,其他,,亿元,累计,2.5,是,是,否,", "F", "小数位", "整数"),
        ("other,其他,,亿元,累计,12,是,是,否,", "F", "小数位", "整数"),
        ("other,其他,,亿元,累计,,可能,是,否,", "G", "考核", "是 或 否"),
        ("Other-1,其他,,亿元,累计,,是,是,否,", "A", "编码", "小写"),
        ("other,其他,,,累计,,是,是,否,", "D", "计量单位", "不能为空"),
    ],
)
def test_each_bad_row_is_a_bad_indicator_at_its_cell(tmp_path, row, column, header, words):
    text = (
        HEADER
        + "signed,签约项目,,个,累计,,是,是,否,\n"
        + "amount,签约金额,,亿元,累计,,是,是,是,\n"
        + row
        + "\n"
    )
    indicators, issues = load_indicators(write(tmp_path, text))
    assert len(issues) == 1, issues
    issue = issues[0]
    assert (issue.code, issue.file, issue.row, issue.column, issue.header) == (
        "bad-indicator",
        "data/indicators.csv",
        4,
        column,
        header,
    )
    assert words in issue.message
    assert [i.key for i in indicators] == ["signed", "amount"]  # the good rows still count


def test_a_file_without_its_required_columns_falls_back_and_says_which(tmp_path: Path):
    indicators, issues = load_indicators(write(tmp_path, "编码,指标名称\nx,某指标\n"))
    assert indicators is STANDARD_INDICATORS
    assert [i.code for i in issues] == ["bad-indicator"]
    assert "计量单位" in issues[0].message and "口径" in issues[0].message


def test_a_month_describes_its_indicators_and_older_figures_mean_the_standard_set():
    declared = [
        {
            "key": "talent",
            "name": "引进人才",
            "unit": "人",
            "kind": CUMULATIVE,
            "decimals": 1,
            "assessed": True,
            "headline": True,
            "chart": False,
        }
    ]
    (talent,) = month_indicators({"indicators": declared})
    assert (talent.key, talent.name, talent.unit, talent.digits, talent.assessed) == (
        "talent",
        "引进人才",
        "人",
        1,
        True,
    )
    assert month_indicators({"period": "2023-01"}) is STANDARD_INDICATORS
    assert [d for d in STANDARD_INDICATORS.declarations()][2] == {
        "key": "signed_amount",
        "name": "签约金额",
        "unit": "亿元",
        "kind": CUMULATIVE,
        "decimals": 2,
        "assessed": True,
        "headline": True,
        "chart": True,
    }


REPO = Path(__file__).resolve().parent.parent
# The project ledger's own names, which DATA.md spells like an indicator: its 签约金额
# column (`signed_amount`) and the 项目情况 summary's count of signed projects in the
# published JSON (`signed_count`). They are the ledger's, not the indicator's: a city
# without those indicators still has them. Only the ledger's files may spell them.
LEDGER_OWN = {
    "signed_amount": {
        "tongbao/read/ledger.py",
        "tongbao/compute/projects.py",
        "tongbao/compute/flags.py",
        "tongbao/charts/projects.py",
        "tongbao/document/model.py",
        "tongbao/document/sheet.py",
        "tongbao/exports/downloads.py",
        "tongbao/pages/views.py",
        "tongbao/bulletin/views.py",
        "templates/bulletin.md.j2",
        "templates/unit.md.j2",
    },
    "signed_count": {
        "tongbao/compute/projects.py",
        "tongbao/document/model.py",
        "tongbao/pages/views.py",
        "tongbao/bulletin/views.py",
        "templates/bulletin.md.j2",
    },
}


def test_no_indicator_key_is_spelled_outside_the_declarations():
    """Code and templates read the indicators from the declarations: a standard 编码 is
    written only in schema.py (the standard set), the demo and the tests."""
    files = [
        p
        for p in [*(REPO / "tongbao").rglob("*"), *(REPO / "templates").rglob("*")]
        if p.is_file()
        and p.suffix in {".py", ".j2", ".json", ".typ", ".html", ".js", ".md"}
        and "demo" not in p.relative_to(REPO).parts
        and p.relative_to(REPO).as_posix() != "tongbao/schema.py"
        and p.name != "guide.md"  # the clerk's guide quotes the standard set on purpose
    ]
    assert len(files) > 50
    found = []
    for path in files:
        rel = path.relative_to(REPO).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for key in STANDARD_INDICATORS.keys():
            if re.search(rf"(?<![A-Za-z0-9_]){key}(?![A-Za-z0-9_])", text):
                if rel not in LEDGER_OWN.get(key, set()):
                    found.append(f"{rel}: {key}")
    assert found == []
