"""The preview's quick path: a commentary edit shown without building the whole site.

A full build of the demo takes seconds, mostly MkDocs and Pagefind over every page.
When the clerk saves only commentary (content/YYYY-MM.md) with the same front matter,
nothing but the text of those bulletins changes: figures, charts, tables, navigation
and every other page stay as the last build made them. The commentary sits in the
page as an HTML block that MkDocs never parses (a placeholder, see `tree`), so the
new page is the last built page with that block swapped: byte for byte what a full
build would write. The quick path renders the page's Markdown with the old and the
new text (through the same cached `bulletin_page` as the build), checks that they
differ only inside such blocks, and swaps them in the served HTML.

Whenever that cannot be shown to hold, it answers None and the preview builds the
whole site as before: a changed front matter, a new or removed file, an issued or
withdrawn month (its text is compared with its record), a commentary with any problem (the check's list of problems must come from the full check), a
block that does not occur exactly once. The search index and the downloads are not
touched: the preview rebuilds the whole site once the clerk stops saving.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from jinja2 import Environment

from .. import charts, formats, keys, layout, periods
from ..bulletin.commentary import render_commentary
from ..bulletin.model import Bulletin, SiteText
from ..cache import Cache
from ..pages.make import bulletin_markdown, bulletin_page, page_shared, template_environment
from ..pages.tree import INLINE, expand
from ..pipeline import Checked, Session
from ..pipeline.rendering import bulletin_of
from ..read.calendar import next_planned
from ..read.load import load_commentary

COMMENTARY_FILE = re.compile(r"content/(\d{4}-\d{2})\.md")


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set:
    """Watched files added, removed or modified between two polls (see serve.watched_files)."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def commentary_periods(changed: set[str], after: dict[str, tuple[int, int]]) -> list[str] | None:
    """The months whose commentary file alone changed (and still exists), or None."""
    found = []
    for path in sorted(changed):
        match = COMMENTARY_FILE.fullmatch(path)
        if match is None or path not in after or not periods.is_period(match.group(1)):
            return None
        found.append(match.group(1))
    return found or None


def update(
    root: Path,
    checked: Checked,
    changed: set[str],
    current: dict[str, tuple[int, int]],
    site_dir: Path,
    *,
    session: Session,
) -> list[str] | None:
    """The months shown by the quick path after a save of `changed` files, or None.
    `session`: the preview server's (its kept products and templates)."""
    months = commentary_periods(changed, current)
    if months is None:
        return None
    try:
        cache = session.cache(root)
        written = update_commentary(root, checked, months, site_dir, cache, session=session)
    except Exception:  # whatever went wrong, the full build decides what to show
        return None
    return None if written is None else months


def update_commentary(
    root: Path,
    checked: Checked,
    changed: list[str],
    site_dir: Path,
    cache: Cache,
    *,
    session: Session | None = None,
) -> list[Path] | None:
    """Swap the new commentary of `changed` months into the built pages in `site_dir`.

    `checked` is what the last full build checked; it is updated to the new text.
    Returns the pages written, or None when only a full build can show the edit."""
    data = checked.data
    if data is None or not changed:
        return None
    root = root.resolve()
    # mkdocs.yml as the last full build checked it (a commentary-only save leaves it alone)
    site_text = SiteText.from_config(checked.config)
    shared = page_shared(root, checked.settings, site_text)
    env = environment(root, shared, (session or Session()).environments)
    registry = keys.registry(root)
    figures, published = checked.figures, checked.published
    labels = {p: formats.issue_label(p, figures[p]["issue"]) for p in published}
    charts.load_templates(cache)
    writes: dict[Path, str] = {}
    accepted = {}
    for period in changed:
        old = data.commentary.get(period)
        if old is None or period not in published or period not in checked.figure_digests:
            return None
        if period in checked.issued or period in checked.withdrawn:
            return None  # its text is held to its record (a 更正说明 may follow): a full build
        item, problems = load_commentary(root / "content" / f"{period}.md", root)
        if problems or item is None or item.meta != old.meta or item.file != old.file:
            return None
        digest = checked.figure_digests[period]
        texts = []
        for version in (old, item):
            text, problems = cache.memo(
                "commentary",
                keys.commentary(digest, registry, version.file, version.body, version.body_line),
                functools.partial(render_commentary, version, figures[period], data.registry),
            )
            if problems or text is None:
                return None
            texts.append(text)
        if texts[0] != checked.commentary.get(period):
            return None  # the build did not show what we would swap out
        # the old page as the build made it (cached); the new one is left to the
        # full build to cache, with its figures JSON and chart CSVs
        shown = bulletin(checked, period, texts[0], cache)
        page, inline, _ = bulletin_page(
            env, shown, published, labels, site_text, checked.settings, shared, cache
        )
        edited = bulletin(checked, period, texts[1], cache)
        pages = [
            (page, inline),
            bulletin_markdown(env, edited, published, labels, site_text, checked.settings),
        ]
        path = site_dir / layout.html(layout.bulletin_page(period))
        try:
            built = path.read_text(encoding="utf-8")
        except OSError:
            return None
        patched = swap_blocks(built, *pages[0], *pages[1])
        if patched is None:
            return None
        if patched != built:
            writes[path] = patched
        accepted[period] = (item, texts[1])
    for path, text in writes.items():
        temporary = path.with_name(f".{path.name}.quick")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    for period, (item, text) in accepted.items():
        data.commentary[period] = item
        checked.commentary[period] = text
    return sorted(writes)


def environment(root: Path, shared: str, kept: dict) -> Environment:
    """The pages' Jinja environment, kept in the session (`kept`) while the templates
    and settings (`shared`) stay the same: compiling the bulletin template is most of a
    quick update's time."""
    key = (root, shared)
    if key not in kept:
        kept.clear()  # one at a time: an edited template or setting makes a new one
        kept[key] = template_environment(root)
    return kept[key]


def bulletin(checked: Checked, period: str, commentary: str, cache: Cache) -> Bulletin:
    """The month as `pipeline.render` hands it to the pages (its workbook is not shown)."""
    assert checked.data is not None
    figures = checked.figures
    made = bulletin_of(
        checked,
        period,
        charts=charts.charts_for_month_kept(
            cache, checked.figure_keys[period], figures[period], figures
        ),
        workbook=b"",
        commentary=commentary,
    )
    if period == checked.published[-1]:
        made.next_planned = next_planned(checked.calendar, period)
    return made


def swap_blocks(
    built: str, old_page: str, old_inline: dict[str, str], new_page: str, new_inline: dict[str, str]
) -> str | None:
    """The built HTML with the new page's blocks where the old page's were, or None
    unless the two pages differ only in their blocks and each old block occurs once."""
    old_parts, new_parts = INLINE.split(old_page), INLINE.split(new_page)
    if len(old_parts) != len(new_parts):
        return None
    spans = []
    for index, (old, new) in enumerate(zip(old_parts, new_parts, strict=True)):
        if index % 2 == 0:  # Markdown between placeholders: what MkDocs makes the page of
            if old != new:
                return None
            continue
        if old == new:
            continue
        try:
            before, after = expand(old_inline[old], old_inline), expand(new_inline[new], new_inline)
        except KeyError:  # a block holding a chart: not ours to redraw here
            return None
        at = built.find(before)
        if at < 0 or built.find(before, at + 1) >= 0:
            return None
        spans.append((at, at + len(before), after))
    spans.sort()
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
        return None
    out, last = [], 0
    for start, end, text in spans:
        out += [built[last:start], text]
        last = end
    return "".join(out) + built[last:]
