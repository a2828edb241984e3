"""The bureau's recipes: CI files, the pre-commit hook and the clerk's guide call real commands."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from tongbao import cli
from tongbao.formats import FILTERS
from tongbao.issues import Issue
from tongbao.read.numbers import parse_amount
from tongbao.schema import STANDARD_INDICATORS, UNIT_FIGURES

INDICATORS = STANDARD_INDICATORS.all

GITLAB = REPO / ".gitlab-ci.yml"
GITHUB = REPO / ".github/workflows/site.yml"
HOOK = REPO / "hooks/pre-commit"
GUIDE = REPO / "templates/guide.md"


def build_commands(text: str) -> list[list[str]]:
    """Every `python build.py …` command line in a text, as arguments."""
    found = []
    for match in re.finditer(r"python build\.py((?: [\w\-./<>]+)*)", text):
        found.append(shlex.split(match.group(1)))
    return found


def parses(args: list[str]) -> bool:
    try:
        cli.parser().parse_intermixed_args(args)
    except SystemExit:
        return False
    return True


def gitlab_scripts() -> dict[str, str]:
    config = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    return {
        name: "\n".join(job["script"])
        for name, job in config.items()
        if isinstance(job, dict) and "script" in job
    }


def github_steps() -> list[dict]:
    config = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = config.get("on", config.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers
    return [step for job in config["jobs"].values() for step in job["steps"]]


def test_gitlab_recipe_checks_strictly_builds_caches_and_publishes():
    config = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    scripts = gitlab_scripts()
    site = scripts["site"].splitlines()
    assert "python build.py check --strict" in site
    assert site.index("python build.py check --strict") < site.index("python build.py --strict")
    assert any("-c constraints.txt" in line for line in site)
    assert config["site"]["cache"]["key"]["files"] == ["constraints.txt"]
    assert ".tongbao-cache/" in config["site"]["cache"]["paths"]
    assert "site/" in config["site"]["artifacts"]["paths"]
    assert re.search(r'rsync .*site/ "\$PUBLISH_TARGET"', scripts["publish"])
    assert "$CI_DEFAULT_BRANCH" in config["publish"]["rules"][0]["if"]


def test_github_recipe_checks_strictly_builds_caches_and_publishes():
    steps = github_steps()
    runs = [step.get("run", "") for step in steps]
    assert "python build.py check --strict" in runs
    assert runs.index("python build.py check --strict") < runs.index("python build.py --strict")
    assert any("-c constraints.txt" in run for run in runs)
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".tongbao-cache"
    assert "hashFiles('constraints.txt')" in cache["with"]["key"]
    publish = next(s for s in steps if s.get("name") == "Publish")
    assert 'site/ "$PUBLISH_TARGET"' in publish["run"]
    assert publish["env"]["PUBLISH_TARGET"] == "${{ vars.PUBLISH_TARGET }}"
    assert "refs/heads/main" in publish["if"]


def test_recipes_hold_no_secret_and_call_only_real_commands():
    for path in (GITLAB, GITHUB, HOOK, GUIDE):
        text = path.read_text(encoding="utf-8")
        assert "PRIVATE KEY" not in text and "BEGIN " not in text
        commands = build_commands(text)
        assert commands, path
        for args in commands:
            assert parses(args), f"{path.name}: python build.py {' '.join(args)}"


def test_guide_names_only_commands_that_exist():
    text = GUIDE.read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z]+):", makefile, re.MULTILINE))
    for target in re.findall(r"`make (\w+)`", text):
        assert target in targets, target
    for option in re.findall(r"(--[a-z]+)", text):
        assert option in cli.parser()._option_string_actions, option
    for command in cli.COMMANDS[1:]:
        assert f"python build.py {command}" in text


def test_guide_lists_every_indicator_figure_and_filter():
    text = GUIDE.read_text(encoding="utf-8")
    for ind in INDICATORS:
        assert f"| `{ind.key}` | {ind.name} | {ind.unit} |" in text
    for key in UNIT_FIGURES:
        if key != "rank_tied":  # carried inside rank: the `rank` filter prints 并列
            assert f"`{key}`" in text, key
    for name in FILTERS:
        assert f"| `{name}` |" in text, name
    assert 'unit("' in text and "{{ summary }}" in text
    example = "data/2024-05/甲县.xlsx:Sheet1:F14 签约金额(亿元): not-a-number: “约5亿”不是数字，请填写数字（单位：亿元）"
    assert example in text


def test_guide_error_example_is_what_check_prints():
    message = parse_amount("约5亿", unit="亿元").message
    issue = Issue(
        "data/2024-05/甲县.xlsx",
        "Sheet1",
        14,
        "F",
        "not-a-number",
        message,
        header="签约金额(亿元)",
    )
    assert issue.format() in GUIDE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "staged", "counts"),
    [
        ("data/2024-06/广饶县.xlsx", ["data/2024-06/广饶县.xlsx"], True),
        ("data/2024-05/广饶县.xlsx", ["data/2024-06/广饶县.xlsx"], False),
        ("data/2024-06", ["data/2024-06/广饶县.xlsx"], True),  # a month-level problem
        ("content/2024-06.md", ["data/2024-06/广饶县.xlsx"], True),  # its figures changed
        ("content/2024-05.md", ["data/2024-06/广饶县.xlsx"], False),
        ("data/2024-05/广饶县.xlsx", ["data/units.csv"], True),  # the registry touches all
        ("data/2024-05/x.csv", ["data/2024-05"], True),
        ("", ["content/2024-06.md"], True),
    ],
)
def test_only_counts_problems_in_the_given_files(file, staged, counts):
    issue = Issue(file, "", None, "", "not-a-number", "x")
    assert cli.concerns(issue, staged) is counts


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )


def run_hook(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", "hooks/pre-commit"], cwd=repo, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_pre_commit_hook_fails_only_on_staged_problems(basic_root: Path):
    assert os.access(HOOK, os.X_OK)
    repo = basic_root
    (repo / "hooks").mkdir()
    shutil.copy(HOOK, repo / "hooks/pre-commit")
    shutil.copy(REPO / "build.py", repo / "build.py")
    (repo / ".venv").symlink_to(REPO / ".venv")
    git(repo, "init", "-q")
    git(repo, "config", "core.hooksPath", "hooks")
    (repo / "data/2024-01/report.csv").write_text(
        "单位,签约项目,签约金额(亿元)\n甲区,两个,10\n", encoding="utf-8"
    )
    git(repo, "add", "data", "content", "mkdocs.yml")
    git(repo, "commit", "-q", "--no-verify", "-m", "a month with an error, committed earlier")

    (repo / ".tongbao-cache").mkdir()  # shared with the hook's check, never removed by it

    # An unrelated, clean change: the old error is listed but does not block the commit.
    report = repo / "data/2024-03/report.csv"
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(repo, "add", "data/2024-03/report.csv")
    result = run_hook(repo)
    assert result.returncode == 0, result.stderr
    assert "data/2024-01/report.csv:B2" in result.stderr
    assert any((repo / ".tongbao-cache").iterdir())

    # A staged error blocks it, even when the working copy has since been fixed.
    report.write_text(report.read_text(encoding="utf-8").replace("丙县,1,5", "丙县,1,约5亿"))
    git(repo, "add", "data/2024-03/report.csv")
    report.write_text(report.read_text(encoding="utf-8").replace("约5亿", "5"))
    result = run_hook(repo)
    assert result.returncode == 1
    assert "data/2024-03/report.csv:C4 签约金额(亿元): not-a-number" in result.stderr
    assert "提交已取消" in result.stderr

    # Nothing about data or commentary staged: nothing to check.
    git(repo, "reset", "-q")
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    git(repo, "add", "notes.txt")
    assert run_hook(repo).returncode == 0
