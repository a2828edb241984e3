"""The 数据规范 page: every file, front-matter key, setting and issue code, from the declarations."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import REPO

from tongbao.codes import CODES
from tongbao.config import SETTINGS
from tongbao.pages.contract import contract_page
from tongbao.read.frontmatter import FIELDS
from tongbao.read.indicators import INDICATOR_COLUMNS
from tongbao.read.ledger import LEDGER_COLUMNS
from tongbao.read.registry import INDUSTRY_COLUMNS, UNIT_COLUMNS
from tongbao.schema import STANDARD_INDICATORS

INDICATORS = STANDARD_INDICATORS.all


def test_the_page_lists_every_declaration():
    page = contract_page(STANDARD_INDICATORS)
    for code in CODES:
        assert f"| `{code.code}` |" in page and code.fix in page
    for field in FIELDS:
        assert f"| `{field.key}` |" in page
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in page
    for header in [*UNIT_COLUMNS, *INDUSTRY_COLUMNS, *LEDGER_COLUMNS, *INDICATOR_COLUMNS]:
        assert f"| {header} |" in page
    for ind in INDICATORS:
        assert f"| `{ind.key}` | {ind.name} |" in page
    assert (
        "| `signed_amount` | 签约金额 | 亿元 | 1月至本月累计 | 2 | 是 | 是 | 是 | 签约项目金额、签约项目签约金额 |"
        in page
    )
    assert "2027-01 可以，2027-02 不行" in page  # the future-month rule, stated exactly


def test_the_built_site_has_the_page_in_its_navigation(basic_site: Path):
    page = (basic_site / "data.html").read_text(encoding="utf-8")
    assert "bad-config" in page and "missing-cell" in page
    assert 'href="data.html"' in (basic_site / "about.html").read_text(encoding="utf-8")


def test_nothing_a_user_reads_points_outside_the_repository():
    found = subprocess.run(
        ["grep", "-rn", r"DATA\.md\|BULLETIN\.md\|shared/", "README.md", "tongbao", "templates"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert found.stdout == ""


def test_every_issue_code_in_the_source_is_declared():
    """A code written as Issue(…, "some-code", …) anywhere in the package is in CODES."""
    declared = {c.code for c in CODES}
    used = set()
    for path in (REPO / "tongbao").rglob("*.py"):
        for match in re.finditer(
            r'(?:Issue[.(a-z_]*|FileProblem\.of)\((?:[^()]|\([^()]*\))*?"([a-z]+(?:-[a-z0-9]+)+)"',
            path.read_text(encoding="utf-8"),
        ):
            used.add(match.group(1))
    assert used and used <= declared, used - declared
