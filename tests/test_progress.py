"""Build progress: a live count on a terminal, one plain line per stage elsewhere."""

from __future__ import annotations

import io

from tongbao.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    progress = Progress(out)
    with progress.stage("绘制 SVG", 3) as stage:
        for _ in range(3):
            stage.advance()
    with progress.stage("MkDocs"):
        pass
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in out.getvalue() and "\033" not in out.getvalue()
    assert lines[0].split()[:3] == ["绘制", "SVG", "3/3"]
    assert lines[1].split()[0] == "MkDocs"
    assert list(progress.timings) == ["绘制 SVG", "MkDocs"]
    assert all(seconds >= 0 for seconds in progress.timings.values())


def test_a_terminal_gets_one_line_redrawn_in_place():
    out = Terminal()
    with Progress(out).stage("页面 pages", 2) as stage:
        stage.advance()
        stage.advance()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert "\r" in text and "2/2" in text.splitlines()[-1]


def test_silent_progress_still_keeps_the_times():
    progress = Progress()  # what the library uses by default: no output at all
    with progress.stage("读取数据 load"):
        pass
    progress.record("未改动 unchanged", 0.5)
    assert progress.timings["未改动 unchanged"] == 0.5 and "读取数据 load" in progress.timings
