#!/usr/bin/env python3
"""Time the build on a synthetic archive: cold, no change, one month added, one cell edited.

    python scripts/bench.py [--months N] [--keep DIR] [--profile]      (make bench)

Generates N + 1 months of the demo's shape from 2016-01 with `tongbao.demo`
(not timed) and holds the last month back, so the cold build covers N months
and "add_month" adds month N + 1. Each build runs `build.py --root ROOT --quiet`
in a fresh process; wall time is measured around it and peak RSS comes from
`os.wait4` (the child's own high-water mark, or a reaped grandchild's if higher:
processes running side by side are not summed). The last line of output is one
JSON object for tracking runs over time.

The first cold build writes each issued month's record and keeps its PDF as issued
(published/YYYY-MM.pdf); `cold_kept` is a second cold build (cache and site deleted)
with those PDFs present, which typesets no issued month: `cold_kept_s`, and
`cold_kept_ratio` = cold_kept / cold.

The floor is what any comparable site pays: a bare `mkdocs build` of the pages the
last build generated plus a bare Pagefind run over the pages the site publishes
(`floor_s` = `floor_mkdocs_s` + `floor_pagefind_s`; `mkdocs_floor_s` is the MkDocs
part, kept for older runs; `floor_pagefind_bare_s` is Pagefind over the bare MkDocs
output, whose pages lack the tables: the Pagefind part of earlier runs' floor). The preview figures run `build.py serve` on a free port of 127.0.0.1 and
poll the served page over HTTP, as a browser would: `preview_commentary_s` from
saving a commentary edit of the newest issue, `preview_cell_s` from saving a data
cell of it, to the page showing the change.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tongbao import periods
from tongbao.demo import generate, list_periods
from tongbao.publish.search_source import pagefind_command

REPO = Path(__file__).resolve().parent.parent
START = "2016-01"
CACHE_DIR = ".tongbao-cache"  # tongbao.cache.CACHE_DIR: where the generated docs live too
EDIT_COLUMN = ("外出招商", "外出招商批次")  # merged header top, or a flat header
EDIT_UNITS = ("东营区", "河口区", "垦利区", "广饶县", "利津县")  # counted in the 合计 row


@dataclass
class Run:
    stage: str
    wall_s: float
    peak_rss_mb: float
    note: str = ""  # the last line the build printed on stderr (its issue count)


class BenchFailed(Exception):
    pass


def timed(stage: str, command: list[str], *, cwd: Path, logs: Path, chatty: bool = False) -> Run:
    """Run `command` in a fresh process: wall time and the peak RSS that wait4 reports."""
    out, err = logs / f"{stage}.out", logs / f"{stage}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    said = err.read_text(encoding="utf-8", errors="replace").strip()
    if child.returncode != 0:
        raise BenchFailed(f"{stage}: exit {child.returncode}\n{said[-3000:]}")
    # `build.py --quiet` prints only warnings and errors; MkDocs prints Material's EOL notice.
    note = f"stderr: {said.splitlines()[-1][:100]} ({err})" if said and not chatty else ""
    return Run(stage, wall, usage.ru_maxrss / 1024, note)  # ru_maxrss is in KiB on Linux


def build_command(root: Path) -> list[str]:
    # --timings: each build's stage times land in logs/<stage>.out (see stage_times)
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "--quiet", "--timings"]


def stage_times(out: Path, top: int = 4) -> str:
    """The slowest stages a build reported with --timings, e.g. "SVG 25.1, xlsx 8.0"."""
    rows = []
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-1] == "s" and parts[0] != "合计":
            try:
                rows.append((float(parts[-2]), parts[-3]))
            except ValueError:
                continue
    rows.sort(reverse=True)
    return ", ".join(f"{name} {seconds:.1f}" for seconds, name in rows[:top])


def clear_cache(root: Path) -> None:
    for name in (CACHE_DIR, "site"):
        shutil.rmtree(root / name, ignore_errors=True)


def hold_back(root: Path, period: str, aside: Path) -> list[tuple[Path, Path]]:
    """Move what a new month brings (its data folder, its commentary, and a new year's
    targets when it is the year's first month here) out of the archive."""
    year = periods.year_of(period)
    moves = [root / "data" / period, root / "content" / f"{period}.md"]
    if not any(
        periods.is_period(p.name) and periods.year_of(p.name) == year
        for p in (root / "data").iterdir()
        if p.name != period
    ):
        moves.append(root / "data" / "targets" / f"{year}.xlsx")
    done = []
    for path in moves:
        if path.exists():
            target = aside / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
            done.append((target, path))
    return done


def pick_edit_month(periods: list[str], root: Path) -> str:
    """Of `periods` (all before the added month), one sent as the bureau's summary workbook,
    preferably a December (the year's last YTD figure, so a +1 keeps the next month's YTD
    from falling), from the middle of the archive."""
    past = [p for p in periods if (root / "data" / p / "report.xlsx").exists()]
    if not past:
        raise BenchFailed("no past month has a report.xlsx to edit: use more --months")
    decembers = [p for p in past if p.endswith("-12")]
    pool = decembers or past
    return pool[len(pool) // 2]


def edit_cell(path: Path) -> str:
    """+1 on one unit's 外出招商批次, and on the 合计 row so the checksum still holds."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = next(
        (c for row in ws.iter_rows(max_row=6) for c in row if c.value in EDIT_COLUMN), None
    )
    if header is None:
        raise BenchFailed(f"{path}: no {EDIT_COLUMN[0]} column")
    rows = {ws.cell(r, 1).value: r for r in range(header.row + 1, ws.max_row + 1)}
    unit = next(
        (
            u
            for u in EDIT_UNITS
            if u in rows and isinstance(ws.cell(rows[u], header.column).value, int | float)
        ),
        None,
    )
    if unit is None:
        raise BenchFailed(f"{path}: no county with a numeric {EDIT_COLUMN[0]} figure")
    for name in (unit, "合计"):
        cell = ws.cell(rows[name], header.column) if name in rows else None
        if cell is not None and isinstance(cell.value, int | float):
            cell.value += 1
    wb.save(path)
    return f"{unit} {EDIT_COLUMN[0]}批次 +1"


def record_corrections(root: Path, edited: str) -> list[str]:
    """An edited past month changes published figures: as a clerk would, run `check`
    (not timed) and record a revision in every month it names as `published-changed`,
    so that the timed build publishes the correction."""
    import re

    command = [sys.executable, str(REPO / "build.py"), "check", "--root", str(root), "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=root)
    months = sorted(set(re.findall(r"published-changed: (\d{4}-\d{2}) ", done.stderr)))
    for period in months:
        path = root / "content" / f"{period}.md"
        text = path.read_text(encoding="utf-8")
        head, sep, rest = text.partition("\n---\n")
        if not text.startswith("---") or not sep:
            raise BenchFailed(f"{path}: no front matter to add a revision to")
        item = f"  - date: 2099-01-01\n    note: 更正{edited}数据（基准测试）\n"
        if "\nrevisions:\n" in head + "\n":
            head = head.replace("\nrevisions:\n", "\nrevisions:\n" + item.rstrip("\n") + "\n", 1)
            path.write_text(f"{head}\n---\n{rest}", encoding="utf-8")
        else:
            path.write_text(f"{head}\nrevisions:\n{item}---\n{rest}", encoding="utf-8")
    return months


def nav_yaml(docs: Path, root: Path) -> str:
    """The nav tongbao passes to MkDocs, rebuilt from the docs tree and units.csv."""
    lines = ["nav:", "  - 首页: index.md"]
    bulletins = sorted(p.name for p in (docs / "bulletins").glob("????-??.md"))
    if bulletins:
        lines.append(f"  - 最新通报: bulletins/{bulletins[-1]}")
    lines.append("  - 往期通报: bulletins/index.md")
    with (root / "data" / "units.csv").open(encoding="utf-8-sig", newline="") as handle:
        units = sorted(csv.DictReader(handle), key=lambda row: int(row["排序"] or 0))
    pages = [(u["单位名称"], f"units/{u['单位编码']}.md") for u in units]
    pages = [(name, page) for name, page in pages if (docs / page).exists()]
    if pages:
        lines.append("  - 单位:")
        lines += [f"    - {json.dumps(name, ensure_ascii=False)}: {page}" for name, page in pages]
    return "\n".join(lines) + "\n"


def mkdocs_floor(root: Path, work: Path, logs: Path) -> Run:
    """A bare `mkdocs build` of the pages the last build generated: the floor under any build."""
    docs = root / CACHE_DIR / "build" / "docs"
    if not (docs / "index.md").exists():
        raise BenchFailed(f"no generated docs in {docs}: has the pipeline moved them?")
    # Later keys win in YAML: append our docs_dir and nav to the bureau's own settings.
    config = work / "mkdocs-floor.yml"
    config.write_text(
        (root / "mkdocs.yml").read_text(encoding="utf-8")
        + f"\ndocs_dir: {json.dumps(str(docs))}\n"
        + nav_yaml(docs, root),
        encoding="utf-8",
    )
    site = work / "floor-site"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    return timed("mkdocs_floor", command, cwd=root, logs=logs, chatty=True)  # Material's EOL box


def pagefind_floor(root: Path, work: Path, logs: Path) -> tuple[Run, Run]:
    """A bare Pagefind run (tongbao's own command) over the pages the site publishes (a
    copy of site/ without its index): the floor. Also over the bare MkDocs output, whose
    pages hold only placeholders where the tables go (less to index than any comparable
    site): `floor_pagefind_bare_s`, what earlier runs called the Pagefind floor."""
    pages = work / "floor-pagefind-site"
    shutil.rmtree(pages, ignore_errors=True)
    shutil.copytree(root / "site", pages, ignore=shutil.ignore_patterns("pagefind"))
    published = timed("floor_pagefind", pagefind_command(pages), cwd=work, logs=logs)
    bare = pagefind_command(work / "floor-site")
    return published, timed("floor_pagefind_bare", bare, cwd=work, logs=logs)


# --- the preview, as a browser polling the served page sees it ---------------------

POLL_S = 0.02  # how often the client asks for the version (the reload script: 0.25 s)
PREVIEW_TIMEOUT_S = 900.0  # the first build of a big archive is a cold one for this site
RELOAD_SCRIPT = re.compile(rb"<script>\(function\(\)\{var v=\d+;.*?</script>", re.DOTALL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def shown(url: str) -> tuple[int, bytes]:
    """The served page without the preview's reload script (it names the version)."""
    status, body = get(url)
    return status, RELOAD_SCRIPT.sub(b"", body)


def wait_settled(base: str, server: subprocess.Popen, timeout: float) -> None:
    """Until the preview has built and nothing is pending (no build due or running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchFailed(f"the preview server ended (exit {server.returncode})")
        status, body = get(base + "__tongbao_version")
        if status == 200:
            state = json.loads(body)
            if not state.get("pending"):
                if not state.get("ok"):
                    raise BenchFailed("the preview shows the check's problems")
                return
        time.sleep(0.1)
    raise BenchFailed(f"the preview did not settle within {timeout:.0f} s")


def version(base: str) -> int | None:
    status, body = get(base + "__tongbao_version")
    return json.loads(body)["version"] if status == 200 else None


def time_to_show(base: str, page: str, change, seen) -> float:
    """Seconds from `change()` (a save) to `seen(status, body)` holding for the page, as the
    preview's reload script sees it: it polls the small version endpoint (here every
    POLL_S) and loads the page when the version changes. (Loading the whole page every
    POLL_S instead, as this bench once did, had the server send a 230 KB page fifty times
    a second from the process that is building it: no browser does that.)"""
    shown_version = version(base)
    began = time.perf_counter()
    change()
    deadline = began + PREVIEW_TIMEOUT_S
    while time.perf_counter() < deadline:
        now = version(base)
        if now is not None and now != shown_version:
            shown_version = now
            status, body = shown(page)
            if seen(status, body):
                return time.perf_counter() - began
        time.sleep(POLL_S)
    raise BenchFailed(f"{page} did not show the edit within {PREVIEW_TIMEOUT_S:.0f} s")


def add_revision(path: Path, note: str) -> None:
    """A revision in the front matter: the clerk's word that published figures change."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n---\n")
    if not text.startswith("---") or not sep:
        raise BenchFailed(f"{path}: no front matter to add a revision to")
    item = f"  - date: 2099-01-01\n    note: {note}\n"
    if "\nrevisions:\n" in head + "\n":
        head = head.replace("\nrevisions:\n", "\nrevisions:\n" + item.rstrip("\n") + "\n", 1)
        path.write_text(f"{head}\n---\n{rest}", encoding="utf-8")
    else:
        path.write_text(f"{head}\nrevisions:\n{item}---\n{rest}", encoding="utf-8")


def pick_newest_workbook(root: Path) -> str:
    months = sorted(
        p.name
        for p in (root / "data").iterdir()
        if periods.is_period(p.name) and (p / "report.xlsx").exists()
    )
    if not months:
        raise BenchFailed("no month has a report.xlsx to edit")
    return months[-1]


def preview(root: Path, month: str, logs: Path) -> tuple[float, float]:
    """preview_commentary_s (on `month`, the newest issue) and preview_cell_s (on the
    newest month sent as a summary workbook)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page = f"{base}bulletins/{month}.html"
    command = [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root)]
    with (logs / "preview.out").open("wb") as out:
        server = subprocess.Popen([*command, "--port", str(port)], cwd=root, stdout=out, stderr=out)
    try:
        wait_settled(base, server, PREVIEW_TIMEOUT_S)
        commentary = root / "content" / f"{month}.md"
        # The newest issue is recorded: a change to its text needs the clerk's revision
        # note (saved first, not timed), or the preview shows published-changed.
        add_revision(commentary, "更正评述（基准测试）")
        wait_settled(base, server, PREVIEW_TIMEOUT_S)
        marker = f"基准测试评述{time.time_ns()}"
        original = commentary.read_text(encoding="utf-8")
        commentary_s = time_to_show(
            base,
            page,
            lambda: commentary.write_text(f"{original}\n\n{marker}\n", encoding="utf-8"),
            lambda status, body: status == 200 and marker.encode() in body,
        )
        wait_settled(base, server, PREVIEW_TIMEOUT_S)
        # The newest month sent as a summary workbook; its issue and every later one are
        # recorded: a changed figure needs the clerk's revision note (saved and shown
        # first, not timed), or the preview shows the check's problems.
        edited = pick_newest_workbook(root)
        workbook = root / "data" / edited / "report.xlsx"
        later = sorted(p.stem for p in (root / "content").glob("*.md") if p.stem >= edited)
        for period in later:
            add_revision(root / "content" / f"{period}.md", "更正数据（基准测试）")
        wait_settled(base, server, PREVIEW_TIMEOUT_S)
        page = f"{base}bulletins/{edited}.html"
        _, before = shown(page)
        cell_s = time_to_show(
            base,
            page,
            lambda: edit_cell(workbook),
            lambda status, body: status == 200 and body != before,
        )
        wait_settled(base, server, PREVIEW_TIMEOUT_S)
        return commentary_s, cell_s
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def profile(root: Path, work: Path) -> None:
    """One more cold build under a profiler; not part of the figures."""
    clear_cache(root)
    build = [str(REPO / "build.py"), "--root", str(root), "--quiet"]
    has_pyinstrument = (
        subprocess.run([sys.executable, "-c", "import pyinstrument"], capture_output=True)
    ).returncode == 0
    if has_pyinstrument:
        report = work / "profile.txt"
        subprocess.run(
            [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report), *build],
            cwd=root,
            check=True,
        )
        print(report.read_text(encoding="utf-8"))
        print(f"profile: {report}")
        return
    print(
        "pyinstrument is not installed (it is not a tongbao dependency): "
        f"`{sys.executable} -m pip install pyinstrument` for a call tree. "
        "Falling back to cProfile (top 30 by cumulative time):"
    )
    stats = work / "cold.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), *build], cwd=root, check=True
    )
    import pstats

    pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(30)
    print(f"profile: {stats} (python -m pstats {stats})")


def prepare(root: Path, months: int) -> tuple[list[str], list[tuple[Path, Path]]]:
    """The archive: N + 1 generated months, the last one held back for add_month."""
    months_made = [periods.period_of(y, m) for y, m in list_periods(START, months + 1)]
    print(f"generating {months_made[0]}..{months_made[-1]} into {root} (not timed)…", flush=True)
    began = time.perf_counter()
    generate(root, start=START, months=months + 1)
    shutil.copyfile(REPO / "mkdocs.yml", root / "mkdocs.yml")
    print(f"  generated in {time.perf_counter() - began:.1f} s", flush=True)
    held = hold_back(root, months_made[-1], root.parent / "held-back")
    return months_made, held


def bench(root: Path, months: int, *, work: Path, want_profile: bool) -> list[Run]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    made, held = prepare(root, months)
    new, built = made[-1], made[:-1]
    runs = []

    def step(stage: str) -> None:
        print(f"{stage}…", end=" ", flush=True)
        run = timed(stage, build_command(root), cwd=root, logs=logs)
        runs.append(run)
        print(f"{run.wall_s:.2f} s" + (f"  {run.note}" if run.note else ""), flush=True)
        print(f"  slowest stages (s): {stage_times(logs / f'{stage}.out')}", flush=True)

    clear_cache(root)
    step("cold")
    # The PDFs as issued are kept (published/YYYY-MM.pdf, written by the first build with
    # the records): a cold build with them present typesets no issued month again.
    kept = len(list((root / "published").glob("*.pdf")))
    clear_cache(root)
    step("cold_kept")
    print(f"  with {kept} issued PDFs kept in published/: {kept_ratio(runs):.2f} of cold")
    step("noop")
    for source, target in held:
        source.rename(target)
    shutil.rmtree(root.parent / "held-back")
    step("add_month")
    if not (root / "site" / "bulletins" / f"{new}.html").exists():
        print(f"  warning: site/bulletins/{new}.html missing after add_month")
    month = pick_edit_month(built, root)
    page = root / "site" / "bulletins" / f"{month}.html"
    before = page.read_bytes() if page.exists() else None
    print(f"edit_cell: {month} report.xlsx, {edit_cell(root / 'data' / month / 'report.xlsx')}")
    corrected = record_corrections(root, month)
    print(f"  revisions recorded (not timed) for {', '.join(corrected) or 'no month'}")
    step("edit_cell")
    if before is not None and page.read_bytes() == before:
        print(f"  warning: site/bulletins/{month}.html did not change after the edit")
    print("mkdocs_floor…", end=" ", flush=True)
    runs.append(mkdocs_floor(root, work, logs))
    print(f"{runs[-1].wall_s:.2f} s", flush=True)
    print("floor_pagefind…", end=" ", flush=True)
    runs += pagefind_floor(root, work, logs)
    print(f"{runs[-2].wall_s:.2f} s (over the bare MkDocs output: {runs[-1].wall_s:.2f} s)")
    print(f"preview (build.py serve, the newest issue {new})…", flush=True)
    commentary_s, cell_s = preview(root, new, logs)
    runs.append(Run("preview_commentary", commentary_s, 0.0))
    runs.append(Run("preview_cell", cell_s, 0.0))
    print(f"  commentary {commentary_s:.2f} s, data cell {cell_s:.2f} s", flush=True)
    if want_profile:
        profile(root, work)
    return runs


def kept_ratio(runs: list[Run]) -> float:
    """The cold build with the issued PDFs kept, over the first cold build (without)."""
    wall = {r.stage: r.wall_s for r in runs}
    return wall["cold_kept"] / wall["cold"]


def summary(runs: list[Run], months: int) -> str:
    lines = [f"{'stage':<20}{'wall s':>10}{'peak RSS MB':>14}"]
    lines += [f"{r.stage:<20}{r.wall_s:>10.2f}{r.peak_rss_mb:>14.1f}" for r in runs]
    wall = {r.stage: r.wall_s for r in runs}
    figures: dict[str, int | float] = {"months": months}
    for stage in ("cold", "noop", "add_month", "edit_cell", "mkdocs_floor"):
        figures[f"{stage}_s"] = round(wall[stage], 2)
    figures["floor_mkdocs_s"] = round(wall["mkdocs_floor"], 2)
    figures["floor_pagefind_s"] = round(wall["floor_pagefind"], 2)
    figures["floor_pagefind_bare_s"] = round(wall["floor_pagefind_bare"], 2)
    floor = wall["mkdocs_floor"] + wall["floor_pagefind"]
    figures["floor_s"] = round(floor, 2)
    figures["preview_commentary_s"] = round(wall["preview_commentary"], 2)
    figures["preview_cell_s"] = round(wall["preview_cell"], 2)
    # this machine's speed drifts: the figures that compare across runs are per floor
    figures["add_month_per_floor"] = round(wall["add_month"] / floor, 2)
    figures["cold_per_floor"] = round(wall["cold"] / floor, 2)
    figures["cold_kept_s"] = round(wall["cold_kept"], 2)
    figures["cold_kept_ratio"] = round(kept_ratio(runs), 2)
    figures["peak_rss_mb"] = round(max(r.peak_rss_mb for r in runs), 2)
    return "\n".join(lines) + "\n" + json.dumps(figures, separators=(",", ":"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--months", type=int, default=120, metavar="N", help="months built cold (default 120)"
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate into DIR (new or empty) and keep it"
    )
    parser.add_argument("--profile", action="store_true", help="also profile one cold build")
    args = parser.parse_args(argv)
    if args.months < 1:
        parser.error("--months must be at least 1")
    if args.keep:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: not empty (the bench deletes its cache and site)")
        work = args.keep.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="tongbao-bench-"))
    try:
        runs = bench(work / "archive", args.months, work=work, want_profile=args.profile)
    except BenchFailed as exc:
        print(f"\nbench failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.keep:
        print(f"archive kept in {work / 'archive'} (logs in {work / 'logs'})")
    print(summary(runs, args.months))
    return 0


if __name__ == "__main__":
    sys.exit(main())
