"""The command line: exit codes 0/1/2, the report on stderr, --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

from tongbao import cli


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args], capture_output=True, text=True, timeout=300
    )


def test_check_passes_with_warnings_and_fails_with_strict(basic_root: Path):
    ok = run("check", "--root", str(basic_root))
    assert ok.returncode == 0, ok.stderr
    assert "not-reported" in ok.stderr and "乙区未报送" in ok.stderr
    strict = run("check", "--strict", "--root", str(basic_root))
    assert strict.returncode == 1
    assert not (basic_root / "site").exists()


def test_check_reports_errors_by_file_and_exits_1(basic_root: Path):
    (basic_root / "data/2024-03/report.csv").write_text(
        "单位,签约项目\n甲区,五个\n丁镇,3\n", encoding="utf-8"
    )
    result = run("check", "--root", str(basic_root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "data/2024-03/report.csv"
    assert (
        "data/2024-03/report.csv:B2 签约项目: not-a-number: “五个”不是数字，请填写数字（单位：个）"
        in result.stderr
    )
    assert "data/2024-03/report.csv:A3 单位: unknown-unit" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path):
    assert run("publish").returncode == 2
    assert run("check", "--root", str(tmp_path)).returncode == 2  # no mkdocs.yml there


def test_every_command_and_option_is_in_the_readme():
    """Read from the parser itself, so a new command or option cannot go undocumented."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    parser = cli.parser()
    [command] = [a for a in parser._actions if a.dest == "command"]
    assert set(command.choices) >= {"build", "check", "serve", "new"}
    for name in command.choices:
        assert f"python build.py {name}" in readme or (
            name == "build" and "python build.py " in readme
        )
    options = [s for a in parser._actions for s in a.option_strings if s.startswith("--")]
    assert "--strict" in options
    for option in options:
        if option != "--help":
            assert option in readme, option
    for target in ("make site", "make test", "make serve", "make bench", "make golden"):
        assert target in readme


def test_build_shows_each_stage_on_stderr_and_timings_on_request(basic_root: Path):
    built = run("build", "--timings", "--root", str(basic_root))
    assert built.returncode == 0, built.stderr
    # not a terminal: one plain line per stage, no carriage returns or escapes
    stages = [line.split()[0] for line in built.stderr.splitlines() if line.startswith("  ")]
    for stage in ("读取数据", "校验与计算", "图表", "绘制", "页面", "MkDocs", "搜索索引"):
        assert stage in stages, built.stderr
    assert "\r" not in built.stderr and "\033" not in built.stderr
    timings = [line.split()[0] for line in built.stdout.splitlines() if line.startswith("  ")]
    assert timings[0] == "读取数据" and timings[-1] == "合计"
    quiet = run("build", "--quiet", "--root", str(basic_root))  # --quiet: no stage lines
    assert quiet.returncode == 0 and "MkDocs" not in quiet.stderr


def test_an_internal_fault_is_one_chinese_line_a_report_file_and_exit_3(
    basic_root: Path, monkeypatch, capsys
):
    from tongbao import cli, pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in tongbao")

    monkeypatch.setattr(pipeline, "check", broken)
    monkeypatch.chdir(basic_root)
    assert cli.main(["check"]) == cli.INTERNAL_FAULT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("tongbao 内部出错（不是数据的问题）")
    [saved] = list((basic_root / ".tongbao-cache").glob("tongbao-fault-*.txt"))
    assert saved.relative_to(basic_root).as_posix() in err  # a path relative to where it ran
    assert "RuntimeError: a bug in tongbao" in saved.read_text(encoding="utf-8")


def test_a_build_runs_with_few_collections_and_the_thresholds_come_back(
    basic_root: Path, monkeypatch
):
    """A one-shot check or build raises the collector's thresholds (tongbao.cli.
    few_collections) while it runs, still collects cycles, and restores them after,
    a fault included."""
    import gc
    import weakref

    from tongbao import cli, pipeline

    seen: list[tuple[int, ...]] = []
    collected: list[bool] = []
    real_check = pipeline.check

    class Node:
        pass

    def watched(*args, **kwargs):
        seen.append(gc.get_threshold())
        cycle = Node()
        cycle.self = cycle  # garbage only the cyclic collector frees
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        collected.append(gone() is None)
        return real_check(*args, **kwargs)

    before = gc.get_threshold()
    assert before != cli.ONE_SHOT_THRESHOLDS
    monkeypatch.setattr(pipeline, "check", watched)
    assert cli.main(["check", "--root", str(basic_root), "--quiet"]) == 0
    assert seen == [cli.ONE_SHOT_THRESHOLDS] and collected == [True]
    assert gc.isenabled() and gc.get_threshold() == before

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in tongbao")

    monkeypatch.setattr(pipeline, "check", broken)
    monkeypatch.chdir(basic_root)
    assert cli.main(["check"]) == cli.INTERNAL_FAULT
    assert gc.get_threshold() == before
