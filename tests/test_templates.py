"""Templates are inputs: a broken page template (Jinja) or document layout (Typst) is a
`bad-template` problem naming the file and line; the build exits 1 and site/ stays."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from tongbao.issues import BadTemplate
from tongbao.pages.rendering import render, template_environment


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=300
    )


def site_state(site: Path) -> dict[str, tuple[str, int]]:
    """Every published file's content hash and modification time."""
    return {
        p.relative_to(site).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def own_template(root: Path, name: str, line: int, text: str) -> Path:
    """The package's template `name` copied into the project, its line `line` replaced."""
    target = root / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = (REPO / "templates" / name).read_text(encoding="utf-8").split("\n")
    lines[line - 1] = text
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def test_a_broken_template_stops_the_build_with_file_and_line_and_keeps_site(basic_root: Path):
    built = run("build", "--quiet", "--root", str(basic_root))
    assert built.returncode == 0, built.stderr
    before = site_state(basic_root / "site")
    assert any(p.endswith(".pdf") for p in before)

    # a runtime error (no such attribute) on line 5 of a page template
    page = own_template(basic_root, "unit.md.j2", 5, "{{ u.nonexistent.x }}")
    failed = run("build", "--quiet", "--root", str(basic_root))
    assert failed.returncode == 1, failed.stderr
    assert "templates/unit.md.j2:第5行: bad-template: 页面模板第 5 行出错（Jinja）" in failed.stderr
    assert "nonexistent" in failed.stderr  # Jinja's own words
    assert "内部出错" not in failed.stderr and "Traceback" not in failed.stderr
    assert site_state(basic_root / "site") == before
    page.unlink()

    # Typst: adding a string to a length on line 9 of the document layout
    layout = own_template(basic_root, "document/bulletin.typ", 9, '#let caption-size = 14pt + "x"')
    failed = run("build", "--quiet", "--root", str(basic_root))
    assert failed.returncode == 1, failed.stderr
    assert (
        "templates/document/bulletin.typ:第9行: bad-template: 公文版式第 9 行出错（Typst）"
        in failed.stderr
    )
    assert "cannot add length and string" in failed.stderr
    assert site_state(basic_root / "site") == before

    # a function the body calls, renamed away: the layout's fault, though no line of it fails
    text = (REPO / "templates/document/bulletin.typ").read_text(encoding="utf-8")
    assert "#let para(" in text
    layout.write_text(text.replace("#let para(", "#let paragraph("), encoding="utf-8")
    failed = run("build", "--quiet", "--root", str(basic_root))
    assert failed.returncode == 1, failed.stderr
    assert "templates/document/bulletin.typ: bad-template:" in failed.stderr
    assert "unknown variable: para" in failed.stderr
    assert site_state(basic_root / "site") == before

    layout.unlink()  # repaired: the build goes on again
    assert run("build", "--quiet", "--root", str(basic_root)).returncode == 0


def environment(tmp_path: Path, **files: str):
    (tmp_path / "templates").mkdir()
    for name, text in files.items():
        (tmp_path / "templates" / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return template_environment(tmp_path)


def test_syntax_errors_name_the_file_that_has_them_even_when_included(tmp_path: Path):
    env = environment(tmp_path, page_j2="a\n{% include 'part.j2' %}\n", part_j2="x\ny\n{% if %}\n")
    with pytest.raises(BadTemplate) as caught:
        render(env, "page.j2")
    issue = caught.value.issue
    assert (issue.file, issue.row, issue.code) == ("templates/part.j2", 3, "bad-template")
    assert "Expected an expression" in issue.message


def test_an_unknown_filter_under_a_condition_is_found_when_rendered(tmp_path: Path):
    # Jinja leaves a filter inside {% if %} to be looked up when the branch runs
    env = environment(tmp_path, page_j2="a\nb\n{% if go %}{{ 3 | nosuch }}{% endif %}\n")
    assert render(env, "page.j2", go=False) == "a\nb\n\n"
    with pytest.raises(BadTemplate) as caught:
        render(env, "page.j2", go=True)
    assert (caught.value.issue.file, caught.value.issue.row) == ("templates/page.j2", 3)
    assert "nosuch" in caught.value.issue.message
