"""Progress and timings of a build: one object the stages report to.

On a terminal a long stage shows a live count on one line
(`  绘制图表 SVG   640/1200`); elsewhere (CI logs, pipes) each stage prints one
plain line when it ends. Every stage's wall time is kept for `--timings`,
whether or not anything is shown.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

REDRAW_S = 0.1  # at most ten redraws a second on a terminal


class Stage:
    def __init__(self, progress: Progress, name: str, total: int | None):
        self.progress, self.name, self.total = progress, name, total
        self.done = 0
        self.began = time.perf_counter()
        self._drawn = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        self.progress._draw(self)


class Progress:
    """Stages in the order they ran, with their seconds; shown when `stream` is given."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None):
        self.stream = stream
        self.live = stream is not None and (stream.isatty() if live is None else live)
        self.timings: dict[str, float] = {}

    @classmethod
    def on_stderr(cls, *, quiet: bool = False) -> Progress:
        return cls(None if quiet else sys.stderr)

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Stage]:
        stage = Stage(self, name, total)
        self._draw(stage, force=True)
        try:
            yield stage
        finally:
            seconds = time.perf_counter() - stage.began
            self.timings[name] = self.timings.get(name, 0.0) + seconds
            self._finish(stage, seconds)

    def record(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds

    def _count(self, stage: Stage) -> str:
        if stage.total is None:
            return f"{stage.done}" if stage.done else ""
        return f"{stage.done}/{stage.total}"

    def _draw(self, stage: Stage, *, force: bool = False) -> None:
        if not self.live or self.stream is None:  # live: there is a stream
            return
        now = time.perf_counter()
        if not force and now - stage._drawn < REDRAW_S and stage.done != stage.total:
            return
        stage._drawn = now
        line = f"  {stage.name:<20} {self._count(stage):>11}  {now - stage.began:6.1f} s"
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()

    def _finish(self, stage: Stage, seconds: float) -> None:
        if self.stream is None:
            return
        count = self._count(stage)
        line = f"  {stage.name:<20} {count:>11}  {seconds:6.1f} s"
        self.stream.write(f"\r{line}\033[K\n" if self.live else f"{line}\n")
        self.stream.flush()
