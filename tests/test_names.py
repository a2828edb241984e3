"""Names as settings: the words that name a city, its units and its bureau come from
mkdocs.yml and the registers, never from the package or the page templates."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import yaml
from conftest import BASIC_TODAY, REPO

from tongbao import pipeline
from tongbao.config import SETTING_BY_NAME
from tongbao.scaffold import GUIDE_SHEET, scaffold_month


def demo_words() -> set[str]:
    """The demo city's own words: its name (and its stem) and its counties' and districts'
    names and aliases, read from the demo's mkdocs.yml and units.csv."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    city = re.search(r"^\s+city:\s*(\S+)", text, re.M).group(1)  # type: ignore[union-attr]
    words = {city, city.removesuffix("市")}
    with open(REPO / "data/units.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["单位类别"] == "县区":
                words.add(row["单位名称"])
                words.update(a for a in re.split(r"[;；]", row["别名"]) if a)
    return words


def test_nothing_of_the_demo_city_is_in_the_package_or_the_templates():
    words = demo_words()
    assert {"东营市", "东营", "广饶县", "垦利县"} <= words  # the demo is what we think it is
    files = [p for p in (REPO / "tongbao").rglob("*.py") if "demo" not in p.parts]
    files += [
        p
        for p in (REPO / "templates").rglob("*")
        if p.is_file() and "vendor" not in p.parts and p.suffix in {".j2", ".md", ".typ", ".js"}
    ]
    found = [
        f"{p.relative_to(REPO)}: {w}"
        for p in files
        for w in sorted(words)
        if w in p.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_search_page_draws_its_examples_from_the_register(basic_site: Path):
    html = (basic_site / "search.html").read_text(encoding="utf-8")
    # basic: 甲区 (alias 甲县) is the first unit; the latest month is 2024-03
    assert "含别名，如“甲县”" in html
    assert "例如：甲区、甲县、项目储备、2024年、甲区签约。" in html


def test_templates_name_the_bureau_units_report_to(basic_root: Path):
    def guide_text(root: Path, period: str) -> str:
        book = openpyxl.load_workbook(root / f"data/{period}/甲区.xlsx")
        return "".join(str(c.value or "") for row in book[GUIDE_SHEET].iter_rows() for c in row)

    issuer = yaml.safe_load((basic_root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert issuer["extra"]["tongbao"]["issuer"] == "测试市投资促进局"
    scaffold_month(basic_root, "2024-04", today=BASIC_TODAY)
    assert "报送测试市投资促进局。" in guide_text(basic_root, "2024-04")  # no setting: the issuer

    text = (basic_root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace(
        "    issuer: 测试市投资促进局\n",
        "    issuer: 测试市投资促进局\n    report_to: 市招商服务中心\n",
    )
    (basic_root / "mkdocs.yml").write_text(text, encoding="utf-8")
    assert not pipeline.check(basic_root, today=BASIC_TODAY).report.errors  # a declared setting
    scaffold_month(basic_root, "2024-05", today=BASIC_TODAY)
    assert "报送市招商服务中心。" in guide_text(basic_root, "2024-05")


def test_the_guide_lists_the_report_to_setting(basic_site: Path):
    guide = (basic_site / "guide.html").read_text(encoding="utf-8")
    assert "report_to" in guide and SETTING_BY_NAME["report_to"].meaning in guide


def test_a_commentary_call_example_names_a_unit_of_the_register(basic_root: Path):
    (basic_root / "published/2024-03.json").unlink()  # a month not issued yet: a draft
    (basic_root / "content/2024-03.md").write_text(
        "---\nissue: 3\n---\n{{ unit('丙县', 2).signed_amount.ytd }}\n", encoding="utf-8"
    )
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.file == "content/2024-03.md"]
    assert 'unit("甲区")' in issue.message
