"""What the preview's browser gets besides the built pages: the state shown, the
script that reloads a page after a rebuild, the bar of drafts and warnings, and the
page of problems while the check fails."""

from __future__ import annotations

import html
from dataclasses import dataclass

VERSION_PATH = "/__tongbao_version"


@dataclass(frozen=True)
class State:
    """What the server shows after the latest build."""

    version: int = 0
    problem: str | None = None  # the report (or failure) text while the site is not built
    warnings: str = ""  # warnings of a successful build, shown in a bar
    drafts: tuple[str, ...] = ()  # draft months (draft: true)
    drafts_shown: bool = False  # whether the preview shows them (the published site never does)
    built_at: str = ""
    # the pages of the months not issued (drafts, 印发日期 ahead): shown with the 送审稿 banner
    unissued: frozenset[str] = frozenset()


def reload_script(version: int) -> str:
    """Poll the version; reload the page when a rebuild has finished."""
    poll = (
        "function poll(){"
        f'fetch("{VERSION_PATH}",{{cache:"no-store"}}).then(function(r){{return r.json()}})'
        ".then(function(s){if(s.version!==v){location.reload()}else{setTimeout(poll,250)}})"
        ".catch(function(){setTimeout(poll,2000)})}"
    )
    return f"<script>(function(){{var v={int(version)};{poll}setTimeout(poll,250)}})();</script>"


def preview_bar(state: State) -> str:
    """A bar at the bottom of previewed pages: drafts shown and warnings, if any."""
    if not state.drafts and not state.warnings:
        return ""
    parts = []
    if state.drafts:
        shown = "本预览包含草稿（正式发布时不显示）" if state.drafts_shown else "草稿不在预览中显示"
        parts.append(f"{shown}：{'、'.join(state.drafts)}")
    body = ""
    if state.warnings:
        count = state.warnings.count("[警告]")
        parts.append(f"{count} 个警告")
        body = f"<pre style='white-space:pre-wrap;max-height:40vh;overflow:auto;margin:.5em 0 0'>{html.escape(state.warnings)}</pre>"
    summary = html.escape("；".join(parts), quote=False)
    return (
        "<details id='tongbao-preview-bar' style='position:fixed;left:0;right:0;bottom:0;z-index:9999;"
        "background:#fff8e1;border-top:2px solid #f0b400;padding:.4em 1em;font-size:14px'>"
        f"<summary>预览：{summary}</summary>{body}</details>"
    )


def error_page(state: State) -> str:
    text = html.escape(state.problem or "")
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>检查未通过 - 预览</title>
<style>body{{font:15px/1.6 sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#222}}
h1{{color:#b71c1c;font-size:1.4em}}pre{{white-space:pre-wrap;background:#fff3f3;border:1px solid #e0b4b4;padding:1em}}</style>
</head><body>
<h1>检查未通过，预览暂停</h1>
<p>请按下面的提示改正文件并保存；改好后本页会自动刷新为网站（{html.escape(state.built_at)} 检查）。</p>
<pre>{text}</pre>
</body></html>
"""


def inject(page: bytes, snippet: str) -> bytes:
    """Add the snippet just before </body> (or at the end) of an HTML response."""
    data = snippet.encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + data if at < 0 else page[:at] + data + page[at:]


REVIEW_BANNER = (
    "<div class='tb-review-banner' role='note' style='background:#fdecea;color:#b71c1c;"
    "border-bottom:2px solid #e60000;padding:.5em 1em;text-align:center;font-weight:bold'>"
    "送审稿：本期尚未签发印发，仅供审核（正式网站上没有这一条）</div>"
)


def with_review_banner(page: bytes) -> bytes:
    """The 送审稿 banner at the top of a month's page not yet issued (a draft, or its
    印发日期 still ahead): in the preview and in `build.py review`'s site."""
    data = REVIEW_BANNER.encode("utf-8")
    lower = page.lower()
    at = lower.find(b"<body")
    end = lower.find(b">", at) if at >= 0 else -1
    return data + page if end < 0 else page[: end + 1] + data + page[end + 1 :]
