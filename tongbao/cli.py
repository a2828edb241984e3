"""The command line: a thin layer over `pipeline`. Exit codes: 0 ok, 1 data errors, 2 usage."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline
from .site import BuildFailed

USAGE_ERROR = 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="tongbao：招商引资月度通报生成器")
    p.add_argument(
        "command",
        nargs="?",
        default="build",
        choices=["build", "check"],
        help="build（默认）：检查数据并生成 site/；check：只检查数据和评述",
    )
    p.add_argument("--strict", action="store_true", help="警告也视为错误（CI 使用）")
    p.add_argument("--quiet", action="store_true", help="只输出错误和警告")
    p.add_argument(
        "--root", type=Path, default=Path("."), help="项目根目录（含 data/、content/、mkdocs.yml）"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return USAGE_ERROR if exc.code else 0
    root = args.root.resolve()
    if not (root / "mkdocs.yml").exists():
        print(
            f"找不到 {args.root / 'mkdocs.yml'}：请在项目根目录运行，或用 --root 指定",
            file=sys.stderr,
        )
        return USAGE_ERROR
    try:
        if args.command == "check":
            checked = pipeline.check(root)
        else:
            checked = pipeline.build(root, strict=args.strict)
    except BuildFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    report = checked.report
    if report.issues and (not args.quiet or report.errors or report.warnings):
        print(report.format(include_notices=not args.quiet), file=sys.stderr)
    if report.failed(strict=args.strict):
        print(
            "发现问题，未生成网站；上次发布的 site/ 保持不变。"
            if args.command == "build"
            else "检查未通过。",
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        done = (
            "检查通过"
            if args.command == "check"
            else f"已生成 {len(checked.published)} 期通报到 site/"
        )
        print(done)
    return 0
