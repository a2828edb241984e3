"""`make bench` keeps working: a two-month archive through every step, one JSON line out."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO


def test_bench_runs_every_step_and_prints_one_json_line(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/bench.py"), "--months", "2", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert list(figures) == [
        "months",
        "cold_s",
        "noop_s",
        "add_month_s",
        "edit_cell_s",
        "mkdocs_floor_s",
        "floor_mkdocs_s",
        "floor_pagefind_s",
        "floor_pagefind_bare_s",
        "floor_s",
        "preview_commentary_s",
        "preview_cell_s",
        "add_month_per_floor",
        "cold_per_floor",
        "cold_kept_s",
        "cold_kept_ratio",
        "peak_rss_mb",
    ]
    assert figures["months"] == 2 and all(v > 0 for v in figures.values())
    # the floor is its two parts (each rounded to 0.01 s)
    assert abs(figures["floor_s"] - figures["floor_mkdocs_s"] - figures["floor_pagefind_s"]) < 0.02
    assert "preview (build.py serve" in done.stdout  # the preview was measured over HTTP
    assert "slowest stages (s): " in done.stdout  # each build's --timings, summarised
    assert (tmp_path / "archive/site/bulletins/2016-03.html").exists()  # the added month
