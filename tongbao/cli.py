"""The command line: a thin layer over `pipeline`.

Exit codes: 0 ok, 1 data errors, 2 usage, 3 a fault inside tongbao (one Chinese line
says so and where the full report was written; never a bare traceback)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path

from . import layout, periods, pipeline
from .cache import CACHE_DIR
from .issues import Issue, Report
from .progress import Progress
from .publish.site import BuildFailed

USAGE_ERROR = 2
INTERNAL_FAULT = 3
COMMANDS = ("build", "check", "serve", "new", "review")
# A change to these can raise a problem in any file: with them staged, every problem counts.
PROJECT_FILES = ("mkdocs.yml", "data/units.csv", "data/industries.csv")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="tongbao：招商引资月度通报生成器",
        epilog="退出码：0 成功，1 数据或评述有错误（new：该月已存在），2 用法错误，3 tongbao 内部出错",
    )
    p.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=COMMANDS,
        help="build（默认）：检查数据并生成 site/；check：只检查数据和评述；"
        "serve：在 127.0.0.1 预览，修改后自动刷新；new 月份：生成该月的报表模板和评述草稿；"
        "review 月份：生成送审稿（带水印和签发单的 PDF）和含该月的预览网站，写入 review/月份/",
    )
    p.add_argument("month", nargs="?", help="new 或 review 的月份，如 2024-06")
    p.add_argument("--strict", action="store_true", help="警告也视为错误（CI 使用）")
    p.add_argument("--quiet", action="store_true", help="只输出错误和警告")
    p.add_argument(
        "--root", type=Path, default=Path("."), help="项目根目录（含 data/、content/、mkdocs.yml）"
    )
    p.add_argument("--timings", action="store_true", help="构建结束后列出各阶段用时")
    p.add_argument("--port", type=int, default=8000, help="serve 的端口（默认 8000）")
    p.add_argument(
        "--only",
        nargs="+",
        metavar="PATH",
        help="check 只因这些文件或文件夹中的问题失败（git 提交前检查使用）；其他问题照常列出",
    )
    return p


def usage(message: str) -> int:
    print(f"build.py: {message}", file=sys.stderr)
    return USAGE_ERROR


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except KeyboardInterrupt:
        print("已中断；上次发布的 site/ 保持不变。", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - whatever the input, the clerk never meets a traceback
        return report_fault(argv)


def _root_of(argv: list[str] | None) -> Path:
    """The --root of the command that failed (its cache folder keeps the report)."""
    args = list(argv if argv is not None else sys.argv[1:])
    for i, arg in enumerate(args):
        if arg == "--root" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--root="):
            return Path(arg.split("=", 1)[1])
    return Path(".")


def _relative(path: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # Windows: another drive
        return str(path)


def report_fault(argv: list[str] | None) -> int:
    """Write the traceback to a file and say, in one line, that the fault is tongbao's."""
    import tempfile
    import traceback
    from datetime import datetime

    text = "".join(traceback.format_exc())
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"tongbao-fault-{stamp}.txt"
    body = f"build.py {' '.join(argv if argv is not None else sys.argv[1:])}\n\n{text}"
    where = None
    for folder in (_root_of(argv) / CACHE_DIR, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(body, encoding="utf-8")
            where = folder / name
            break
        except OSError:
            continue
    shown = _relative(where) if where else "（无法写入报告文件）"
    print(
        f"tongbao 内部出错（不是数据的问题），上次发布的 site/ 保持不变；完整报告已写入 {shown}，"
        "请把它发给维护人员",
        file=sys.stderr,
    )
    return INTERNAL_FAULT


def run(argv: list[str] | None = None) -> int:
    try:
        # intermixed: `new --root DIR 2024-06` reads the month as well as `new 2024-06 --root DIR`
        args = parser().parse_intermixed_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    if args.month is not None and args.command not in ("new", "review"):
        return usage(f"{args.command} 不需要月份参数“{args.month}”")
    if args.only and args.command != "check":
        return usage("--only 只能与 check 一起使用")
    if not 0 <= args.port <= 65535:
        return usage(f"端口 {args.port} 无效，应为 0—65535")
    root = args.root.resolve()
    if not (root / "mkdocs.yml").exists():
        print(
            f"找不到 {args.root / 'mkdocs.yml'}：请在项目根目录运行，或用 --root 指定",
            file=sys.stderr,
        )
        return USAGE_ERROR
    if args.command == "new":
        return new_month(root, args.month, quiet=args.quiet)
    if args.command == "review":
        return review_month(root, args.month, quiet=args.quiet)
    if args.command == "serve":
        return serve_preview(root, port=args.port, strict=args.strict)
    try:
        with few_collections():
            if args.command == "check":
                checked = pipeline.check(root)
            else:
                checked = pipeline.build(
                    root, strict=args.strict, progress=Progress.on_stderr(quiet=args.quiet)
                )
    except BuildFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    report = checked.report
    if report.issues and (not args.quiet or report.errors or report.warnings):
        print(report.format(include_notices=not args.quiet), file=sys.stderr)
    counted = limit_to(report, args.only) if args.only else report
    if counted.failed(strict=args.strict):
        print(
            "发现问题，未生成网站；上次发布的 site/ 保持不变。"
            if args.command == "build"
            else "检查未通过。",
            file=sys.stderr,
        )
        return 1
    if counted is not report and report.failed(strict=args.strict):
        print("以上问题不在 --only 所列文件中，不影响本次检查。", file=sys.stderr)
    if not args.quiet:
        done = (
            "检查通过"
            if args.command == "check"
            else f"已生成 {len(checked.published)} 期通报到 site/"
        )
        print(done)
    for written in checked.recorded:
        if written == layout.issued_pdf(Path(written).stem):  # the PDF as issued
            print(f"已保存印发版 PDF {written}：请把它与发布记录一起提交（之后该月不再重新排版）")
            continue
        print(
            f"已写入发布记录 {written}：请把它与该月数据一起提交（之后对已发布数字的改动都会被发现）"
        )
    if args.timings:
        for stage, seconds in checked.timings.items():
            print(f"  {stage:<24} {seconds:7.2f} s")
    return 0


# The cyclic collector's thresholds for one build or check (the first, the youngest
# generation's, is Python's 700 by default).
ONE_SHOT_THRESHOLDS = (50_000, 20, 100)


@contextlib.contextmanager
def few_collections() -> Iterator[None]:
    """Within it, Python's cyclic garbage collector runs seldom.

    A build loads ten years of months and figures (millions of objects) and keeps them
    to its end. With the default thresholds the collector passes over all of them again
    and again as they are loaded, and each full pass frees nothing: on a 120-month
    archive that was a second of an add-a-month build. Reference counting still frees
    everything else at once; cycles are still collected, only in larger batches."""
    before = gc.get_threshold()
    gc.set_threshold(*ONE_SHOT_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def concerns(issue: Issue, paths: list[str]) -> bool:
    """Whether a problem lies in (or about) one of the given files or folders.

    A month-level problem (file `data/2024-06`) concerns every file in that
    month; a changed data file also concerns that month's commentary, whose
    figures it feeds.
    """
    if not issue.file:
        return True
    for raw in paths:
        path = raw.replace("\\", "/").strip("/")
        if path.startswith("./"):
            path = path[2:]
        if path in PROJECT_FILES:
            return True
        if issue.file == path or issue.file.startswith(path + "/"):
            return True
        if path.startswith(issue.file + "/"):
            return True
        parts = path.split("/")
        if len(parts) >= 2 and parts[0] == "data" and issue.file == f"content/{parts[1]}.md":
            return True
    return False


def limit_to(report: Report, paths: list[str]) -> Report:
    return Report([i for i in report.issues if concerns(i, paths)])


def new_month(root: Path, month: str | None, *, quiet: bool) -> int:
    from . import scaffold

    if month is None:
        return usage("new 需要月份，例如：python build.py new 2024-06")
    period = scaffold.parse_month(month)
    if period is None:
        return usage(f"月份“{month}”不是 YYYY-MM 格式，例如：python build.py new 2024-06")
    if periods.too_far_ahead(period):
        return usage(f"月份 {period} 晚于下个月，可能是年份或月份写错了")
    try:
        done = scaffold.scaffold_month(root, period)
    except scaffold.Refused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if not quiet:
        if done.kept_folder:
            print(f"data/{period}/ 中已有文件，未生成模板，原文件保持不变。")
        else:
            print(f"已生成 {len(done.templates)} 个单位的报表模板：data/{period}/")
            for path in done.templates:
                print(f"  {path.relative_to(root).as_posix()}")
        start = "本月数据生成的概述" if done.from_data else "评述框架（本月还没有数据）"
        print(f"已生成评述草稿 content/{period}.md（draft: true），内含{start}。")
        if done.calendar is not None:
            print(
                f"已在 data/calendar.csv 中添加 {period} 一行：报送截止 {done.calendar.due}，"
                f"计划印发 {done.calendar.planned}（请按实际安排修改）。"
            )
        if not done.kept_folder:
            print(
                "把模板发给各单位填报；收回的文件按原文件名放回该文件夹，然后运行 python build.py check。"
            )
    return 0


def serve_preview(root: Path, *, port: int, strict: bool) -> int:
    import signal
    import threading

    from .preview import serve

    stop = threading.Event()
    # `kill` (SIGTERM) ends the preview like Ctrl+C does: its temporary folder is removed.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        serve.serve(root, port=port, stop_event=stop, strict=strict)
    except OSError as exc:
        print(
            f"无法在 127.0.0.1:{port} 启动预览（{exc.strerror or exc}）；"
            "端口可能已被占用，请用 --port 指定其他端口",
            file=sys.stderr,
        )
        return USAGE_ERROR
    except KeyboardInterrupt:
        pass
    return 0


def review_month(root: Path, month: str | None, *, quiet: bool) -> int:
    """The 送审稿 for sign-off: review/YYYY-MM/ (tongbao/preview/review.py)."""
    from . import scaffold
    from .preview.review import review

    if month is None:
        return usage("review 需要月份，例如：python build.py review 2024-06")
    period = scaffold.parse_month(month)
    if period is None:
        return usage(f"月份“{month}”不是 YYYY-MM 格式，例如：python build.py review 2024-06")
    with few_collections():
        done = review(root, period, progress=Progress.on_stderr(quiet=quiet))
    report = done.checked.report
    if report.issues and (not quiet or report.errors or report.warnings):
        print(report.format(include_notices=not quiet), file=sys.stderr)
    if report.failed():
        print("发现问题，未生成送审稿。", file=sys.stderr)
        return 1
    if done.pdf is None:
        print(f"没有 {period} 的数据（data/{period}/），无法生成送审稿。", file=sys.stderr)
        return 1
    print(f"已生成送审稿 {layout.review_pdf(period)}（每页有“送审稿”水印，文末附签发单）")
    print(f"该月网页的预览在 {layout.review_site(period)}/（不会发布；site/ 未改动）")
    return 0
