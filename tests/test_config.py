"""config.py: extra.tongbao declared once, checked before anything runs, shown on the guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BASIC_TODAY

from tongbao import pipeline
from tongbao.bulletin.model import SiteText
from tongbao.config import SETTINGS, load_config, load_settings
from tongbao.pages.make import SETTINGS_MARK

REPO = Path(__file__).resolve().parent.parent


def with_settings(root: Path, block: str) -> Path:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    head = text[: text.index("  tongbao:")]
    (root / "mkdocs.yml").write_text(head + "  tongbao:\n" + block, encoding="utf-8")
    return root


def test_the_repository_settings_are_clean_and_typed():
    config, issues = load_config(REPO)
    assert issues == []
    assert config.settings.red_below_pp == -20.0 and config.settings.target_basis == "city"
    assert SiteText.from_config(config).city == "东营市"


def test_a_misspelt_key_names_file_line_and_the_closest_key(basic_root: Path):
    with_settings(basic_root, "    city: 测试市\n    lights:\n      red_below: -10\n")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "bad-config"]
    assert (issue.file, issue.row, issue.header) == (
        "mkdocs.yml",
        51,  # `  tongbao:` is line 48, then city, lights, red_below
        "extra.tongbao.lights.red_below",
    )
    assert "lights.red_below_pp" in issue.message


@pytest.mark.parametrize(
    ("section", "words"),
    [
        ({"lights": {"red_below_pp": "负二十"}}, "应为数字"),
        ({"target_basis": "自定义"}, "只能是：city 或 市定 / self 或 自定"),
        ({"red_below_pp": -20}, "是否是 lights.red_below_pp"),
        ({"lights": {"green_from_pp": -30}}, "应低于 green_from_pp"),
        ({"lights": 5}, "下应为若干"),
        ({"city": {"name": "x"}}, "应为一段文字"),
    ],
)
def test_wrong_values_are_refused_with_the_key(section: dict, words: str):
    config, issues = load_settings(section)
    assert len(issues) == 1 and words in issues[0].message, issues
    assert issues[0].code == "bad-config" and issues[0].file == "mkdocs.yml"
    # a refused value keeps the default: the rest of the check still runs sensibly
    assert config.settings.red_below_pp == -20.0 and config.settings.target_basis == "city"


def test_accepted_spellings():
    config, issues = load_settings(
        {"target_basis": "自定", "lights": {"green_from_pp": "－５", "red_below_pp": -15}}
    )
    assert issues == []
    assert (config.settings.target_basis, config.settings.green_from_pp) == ("self", -5.0)
    assert config.settings.red_below_pp == -15.0


def test_a_yaml_syntax_error_names_its_line(basic_root: Path):
    with_settings(basic_root, "    city: 测试市\n    issuer: [测试市投资促进局\n")
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    [issue] = [i for i in report.errors if i.code == "bad-config"]
    assert issue.row in (50, 51) and "YAML" in issue.message


def test_settings_are_checked_and_the_data_still_is(basic_root: Path):
    """Config problems come first, and every other problem is still reported with them."""
    with_settings(basic_root, "    target_basis: 自定义\n")
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目\n甲区,约5\n", encoding="utf-8"
    )
    report = pipeline.check(basic_root, today=BASIC_TODAY).report
    assert report.errors[0].code == "bad-config"
    assert "not-a-number" in {i.code for i in report.errors}


def test_the_guide_lists_every_declared_setting():
    guide = (REPO / "templates" / "guide.md").read_text(encoding="utf-8")
    assert SETTINGS_MARK in guide


def test_the_built_guide_page_lists_every_setting(basic_site: Path):
    html = (basic_site / "guide.html").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"<code>{setting.name}</code>" in html
        assert setting.meaning in html
