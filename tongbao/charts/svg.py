"""Static SVG for every chart, rendered at build time with vl-convert.

Chinese labels are measured with a real CJK font: Noto Sans SC (SIL Open
Font License 1.1) from the pinned `pylopdf-fonts-zh-cn` wheel. vl-convert
spends most of its time measuring text (about 0.5 ms a label, whatever the
label), and a large font or a font stack makes each measurement dearer, so:
- we register a subset holding only the characters the charts use (fontTools), each
  glyph's outline replaced by a speck: vl-convert measures a label by the glyphs'
  advances but turns every glyph into a path on the way, and CJK outlines made that
  a quarter of a chart's time;
- charts are measured with that one family, and the SVG is then given the
  spec's whole font stack, so readers without Noto get YaHei or PingFang;
- each SVG is cached by the hash of its spec, the font subset and the renderer;
- a build with many charts to draw renders them in worker processes while the
  pipeline goes on with other work (`start_rendering`).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .. import keys
from ..cache import Cache

FONT_FAMILY = "Noto Sans SC"
_registered: set[str] = set()


def font_source() -> Path:
    import pylopdf_fonts_zh_cn

    return pylopdf_fonts_zh_cn.sans_path()


_SPEC_CHARS: dict[str, frozenset[str]] = {}  # spec id → its characters (a process's)


def chart_text(specs: list[dict], ids: list[str] | None = None) -> str:
    """Every character any spec could draw (labels, titles, data values). `ids`: the specs'
    ids, under which each spec's characters are kept (a preview rebuilds with most of
    them unchanged)."""
    chars = set("0123456789.,%-+−—:：()（）月年亿元万美个批次人绿黄红 ")
    for index, spec in enumerate(specs):
        if ids is None:
            chars.update(json.dumps(spec, ensure_ascii=False))
            continue
        found = _SPEC_CHARS.get(ids[index])
        if found is None:
            if len(_SPEC_CHARS) > 50_000:  # a long day of previews: start afresh
                _SPEC_CHARS.clear()
            found = _SPEC_CHARS[ids[index]] = frozenset(json.dumps(spec, ensure_ascii=False))
        chars.update(found)
    return "".join(sorted(chars))


def make_font_subset(text: str, cache: Cache) -> Path:
    """A subset of Noto Sans SC with just `text`, made once per character set.

    Each subset has a family name of its own (`subset_family`): vl-convert keeps every
    font directory registered in a process for good, and a preview server or the test
    suite registers many subsets, so under the shared name a chart could be measured
    with an older subset that lacks its characters."""
    from fontTools import subset

    folder = cache.folder("fonts") / keys.font_subset(text, font_source().name)
    target = folder / "NotoSansSC-subset.otf"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.layout_features = ["*"]
        font = subset.load_font(str(font_source()), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        _hollow(font)
        family = subset_family(folder)
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):  # family, full name, typographic family
                record.string = family
            elif record.nameID == 6:  # PostScript name: no spaces
                record.string = family.replace(" ", "")
        tmp = target.with_suffix(".tmp")
        subset.save_font(font, str(tmp), options)
        tmp.replace(target)
    return folder


# one glyph outline for all: a speck at the origin (a glyph with no contour at all
# would leave usvg no path to draw, and the label would then be measured in a fallback)
_SPECK = [0, 0, "rmoveto", 1, 0, "rlineto", 0, 1, "rlineto", "endchar"]


def _hollow(font) -> None:
    """Every glyph's outline a speck, its advance (hmtx) and shaping tables untouched.

    The subset only ever measures (SVGs name the spec's font stack, not this font), and
    a text's width is its glyphs' advances: the same widths, drawn as cheap paths."""
    if "CFF " not in font:
        return
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    for name in top.CharStrings.keys():
        top.CharStrings[name].setProgram(list(_SPECK))
    for fd in getattr(top, "FDArray", None) or [top]:
        if hasattr(fd.Private, "Subrs"):
            del fd.Private.Subrs  # no outline calls a subroutine any more
    cff.GlobalSubrs.items = []


def subset_family(folder: Path | str) -> str:
    """The family name a subset is registered under (only ever used for measuring).

    Letters only: Vega writes the family unquoted into a CSS font string, where a word
    starting with a digit is not a name."""
    tag = Path(folder).name.translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"{FONT_FAMILY} {tag}"


_SCENEGRAPH_ATTRS = re.compile(
    r' (?:class|pointer-events|aria-hidden|role|aria-roledescription)="[^"]*"'
)


_EMPTY_TEXT = re.compile(r"<text [^>]*/>")
_FONT_ATTR = re.compile(r' font-family="([^"]*)"')
_ATTR_VALUE = re.compile(r'="[^"]*"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def slim(svg: str, font_stack: str | None = None) -> str:
    """Drop what only a live Vega view uses (scenegraph classes, pointer events) and
    attributes that restate defaults: about half the bytes of a static chart.

    The font, repeated on every <text>, is set once on the root (inherited) — as
    `font_stack` when given — and coordinates keep two decimals (hundredths of a pixel)."""
    svg = _SCENEGRAPH_ATTRS.sub("", svg)
    svg = svg.replace(' opacity="1"', "").replace('<path d="" display="none"/>', "")
    svg = _EMPTY_TEXT.sub("", svg)  # labels a label expression left blank
    families = set(_FONT_ATTR.findall(svg))
    if len(families) == 1:
        family = font_stack or families.pop()
        svg = _FONT_ATTR.sub("", svg).replace("<svg ", f'<svg font-family="{family}" ', 1)
    return _ATTR_VALUE.sub(lambda m: _LONG_DECIMAL.sub(r"\1", m.group(0)), svg)


def _register(fonts: str) -> None:
    import vl_convert as vlc

    if fonts not in _registered:
        vlc.register_font_directory(fonts)
        _registered.add(fonts)


def _render_one(fonts: str, spec: dict) -> str:
    import vl_convert as vlc

    _register(fonts)
    config = spec.get("config", {})
    measured = {**spec, "config": {**config, "font": subset_family(fonts)}}
    svg = vlc.vegalite_to_svg(measured, allowed_base_urls=[])
    return slim(svg, config.get("font") or FONT_FAMILY)


def javascript_bundle() -> str:
    """The Vega, Vega-Lite and vega-embed bundle pages load (vendored, never a CDN)."""
    import vl_convert as vlc

    return vlc.javascript_bundle()  # type: ignore[call-arg]  # the stub wants a snippet


def _warm_up() -> None:
    import vl_convert as vlc

    vlc.vegalite_to_svg({"mark": "point", "data": {"values": [{}]}}, allowed_base_urls=[])


def _render_batch(fonts: str, specs: list[dict]) -> list[str]:
    return [_render_one(fonts, spec) for spec in specs]


# Worker processes each pay Python's and vl-convert's start-up (~0.5 s). Below
# ONE_WORKER charts, drawing here is quicker; from it, one worker draws while this
# process writes the pages (a month added: ~30 charts); from POOL_THRESHOLD, as
# many workers as there are cores (two here: 1.2-1.4x one, as vl-convert already
# runs some of its work on a second thread).
ONE_WORKER = 8
POOL_THRESHOLD = 40
BATCH = 12  # charts a task: small enough to balance two workers, large enough to amortise


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2


def _workers(charts: int) -> int:
    """How many worker processes to draw `charts` with (0: in this process)."""
    if charts < ONE_WORKER or _cores() < 2:
        return 0
    return 1 if charts < POOL_THRESHOLD else min(2, _cores())


class KeptPool:
    """Worker processes that outlive a build: the preview server's session holds one, so
    its rebuilds draw their few charts without paying the workers' start-up each time."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(min(2, _cores()), mp_context=context)
        return self.pool

    def warm(self) -> None:
        """Start the workers now (Python, vl-convert), not when the first edit needs them."""
        if _cores() < 2:
            return
        pool = self.get()
        for _ in range(min(2, _cores())):
            pool.submit(_warm_up)

    def drop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class Rendering:
    """SVGs for a list of specs, being drawn; `result()` waits and returns them in order."""

    def __init__(
        self,
        specs: list[dict],
        cache: Cache,
        *,
        workers: int | None = None,
        first: Callable[[], object] | None = None,
        ids: list[str] | None = None,
        kept: KeptPool | None = None,
    ):
        """`first`: other slow work of the build's, run on a worker ahead of the charts
        when there are workers (`self.first` is then its future, else None). `kept`: a
        session's workers, used instead of starting a pool."""
        import vl_convert as vlc

        self.cache = cache
        # Cached SVGs are keyed on svg.py's own source too: changing how they are made
        # (e.g. `slim`) can never serve an old rendering.
        renderer = f"vl-convert {vlc.__version__}|{font_source().name}"  # type: ignore[attr-defined]
        self.ids = ids if ids is not None else [keys.spec_id(spec) for spec in specs]
        self.keys = [keys.svg(i, renderer) for i in self.ids]
        self.found: dict[str, str] = {}
        todo: dict[str, dict] = {}  # identical specs (an unchanged city line) are drawn once
        for key, spec in zip(self.keys, specs, strict=True):
            if key in self.found or key in todo:
                continue
            cached = cache.get("svg", key)
            if cached is not None:
                self.found[key] = cached.decode("utf-8")
            else:
                todo[key] = spec
        self.todo = list(todo)
        self.specs = [todo[k] for k in self.todo]
        # One subset for every chart's characters (not just those drawn now), so it stays
        # the same from build to build; not made at all when nothing is to be drawn.
        text = chart_text(specs, self.ids) if self.specs else ""
        self.fonts = str(make_font_subset(text, cache)) if self.specs else ""
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Future] = []
        self.batches: list[list[str]] = []  # the keys each future draws
        self.taken: set[int] = set()  # futures whose SVGs are in `found`
        self.first: Future | None = None
        # a kept pool takes any number of charts, unless this process was asked for
        self.kept_pool = kept
        self.kept = kept is not None and workers != 0 and _cores() >= 2
        workers = _workers(len(self.specs)) if workers is None else workers
        if self.kept and kept is not None and self.specs:
            self.pool = kept.get()  # started: any number of charts is worth sending
        elif workers > 0 and self.specs:
            # spawn, not fork: vl-convert's runtime has threads a forked child would inherit
            self.pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("spawn")
            )
        if self.pool is not None:
            if first is not None:
                self.first = self.pool.submit(first)
            # a kept pool is warm: smaller tasks keep both workers busy to the end
            batch = min(max(1, -(-len(self.specs) // 4)), BATCH) if self.kept else BATCH
            self.futures = [
                self.pool.submit(_render_batch, self.fonts, self.specs[i : i + batch])
                for i in range(0, len(self.specs), batch)
            ]
            self.batches = [self.todo[i : i + batch] for i in range(0, len(self.todo), batch)]

    @property
    def drawn(self) -> int:
        """How many charts were not in the cache."""
        return len(self.todo)

    def _keep(self, keys: list[str], svgs: list[str]) -> None:
        for key, svg in zip(keys, svgs, strict=True):
            self.cache.put("svg", key, svg.encode("utf-8"))
            self.found[key] = svg

    def _collect(self, wanted: set[str] | None, on_done: Callable[[int], None]) -> None:
        """Wait for the futures drawing `wanted` (None: all), then draw here whatever is
        still missing of it (no pool, or a pool that could not start)."""
        if self.pool is not None:
            try:
                if wanted is None:
                    left = [f for i, f in enumerate(self.futures) if i not in self.taken]
                    for future in as_completed(left):
                        on_done(len(future.result()))
                for index, future in enumerate(self.futures):
                    keys = self.batches[index]
                    if index in self.taken or (wanted is not None and wanted.isdisjoint(keys)):
                        continue
                    self._keep(keys, future.result())
                    self.taken.add(index)
            except BrokenProcessPool:
                # A worker could not start, e.g. the calling script has no
                # `if __name__ == "__main__":` guard (spawn re-runs it): draw here.
                self.close(broken=True)
        for key, spec in zip(self.todo, self.specs, strict=True):
            if key not in self.found and (wanted is None or key in wanted):
                self._keep([key], [_render_one(self.fonts, spec)])
                on_done(1)

    def ready(self, ids: Iterable[str]) -> dict[str, str]:
        """The SVGs of the specs `ids` (spec ids), waiting only for the work that draws
        them: the rest goes on drawing meanwhile (`result` waits for it)."""
        key_of = dict(zip(self.ids, self.keys, strict=True))
        wanted = {key_of[i] for i in ids}
        self._collect(wanted, lambda n: None)  # (the caller closes the pool, as for result)
        return {i: self.found[key_of[i]] for i in ids}

    def result(self, on_done: Callable[[int], None] | None = None) -> list[str]:
        """The SVGs in the order of the specs; `on_done(n)` hears of each n drawn."""
        try:
            self._collect(None, on_done or (lambda n: None))
        finally:
            self.close()
        self.todo, self.specs = [], []
        return [self.found[key] for key in self.keys]

    def close(self, *, broken: bool = False) -> None:
        if self.pool is not None:
            if not self.kept:
                self.pool.shutdown(wait=True, cancel_futures=True)
            elif broken and self.kept_pool is not None:
                self.kept_pool.drop()
            self.pool = None


def start_rendering(
    specs: list[dict],
    cache: Cache,
    *,
    workers: int | None = None,
    first: Callable[[], object] | None = None,
    ids: list[str] | None = None,
    kept: KeptPool | None = None,
) -> Rendering:
    """Begin drawing the SVGs of `specs` (in worker processes when there are many).
    `ids`: their `keys.spec_id`s, when the caller has them."""
    return Rendering(specs, cache, workers=workers, first=first, ids=ids, kept=kept)
