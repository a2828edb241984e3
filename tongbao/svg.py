"""Static SVG for every chart, rendered at build time with vl-convert.

Chinese labels are measured with a real CJK font: Noto Sans SC (SIL Open
Font License 1.1) from the pinned `pylopdf-fonts-zh-cn` wheel. vl-convert
spends most of its time measuring text through the registered fonts, and a
large font makes each measurement dear, so we register a subset holding only
the characters the charts use (fontTools), and cache each SVG by the hash of
its spec, the font subset and the renderer's version.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .cache import Cache

FONT_FAMILY = "Noto Sans SC"
# Cached SVGs are keyed on this module's own source too: changing how they are made
# (e.g. `slim`) can never serve an old rendering.
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
_registered: set[str] = set()


def font_source() -> Path:
    import pylopdf_fonts_zh_cn

    return pylopdf_fonts_zh_cn.sans_path()


def chart_text(specs: list[dict]) -> str:
    """Every character any spec could draw (labels, titles, data values)."""
    chars = set("0123456789.,%-+−—:：()（）月年亿元万美个批次人绿黄红 ")
    for spec in specs:
        chars.update(json.dumps(spec, ensure_ascii=False))
    return "".join(sorted(chars))


def font_subset(text: str, cache: Cache) -> Path:
    """A subset of Noto Sans SC with just `text`, made once per character set."""
    from fontTools import subset

    key = hashlib.sha256((text + font_source().name).encode()).hexdigest()[:16]
    folder = cache.folder("fonts") / key
    target = folder / "NotoSansSC-subset.otf"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the family name vl-convert matches on
        options.notdef_outline = True
        options.layout_features = ["*"]
        font = subset.load_font(str(font_source()), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        tmp = target.with_suffix(".tmp")
        subset.save_font(font, str(tmp), options)
        tmp.replace(target)
    return folder


_SCENEGRAPH_ATTRS = re.compile(
    r' (?:class|pointer-events|aria-hidden|role|aria-roledescription)="[^"]*"'
)


_FONT_ATTR = re.compile(r' font-family="([^"]*)"')
_ATTR_VALUE = re.compile(r'="[^"]*"')
_LONG_DECIMAL = re.compile(r"(\d\.\d\d)\d+")


def slim(svg: str) -> str:
    """Drop what only a live Vega view uses (scenegraph classes, pointer events) and
    attributes that restate defaults: about half the bytes of a static chart.

    The font stack, repeated on every <text>, is set once on the root (inherited), and
    coordinates keep two decimals (hundredths of a pixel)."""
    svg = _SCENEGRAPH_ATTRS.sub("", svg)
    svg = svg.replace(' opacity="1"', "").replace('<path d="" display="none"/>', "")
    families = set(_FONT_ATTR.findall(svg))
    if len(families) == 1:
        svg = _FONT_ATTR.sub("", svg).replace("<svg ", f'<svg font-family="{families.pop()}" ', 1)
    return _ATTR_VALUE.sub(lambda m: _LONG_DECIMAL.sub(r"\1", m.group(0)), svg)


def _render_one(fonts: str, spec: dict) -> str:
    import vl_convert as vlc

    if fonts not in _registered:
        vlc.register_font_directory(fonts)
        _registered.add(fonts)
    return slim(vlc.vegalite_to_svg(spec, allowed_base_urls=[]))


def render_svgs(specs: list[dict], cache: Cache) -> list[str]:
    """SVG for each spec, in order; unchanged specs come from the cache."""
    import vl_convert as vlc

    fonts = font_subset(chart_text(specs), cache)
    version = f"vl-convert {vlc.__version__}|{fonts.name}|{_CODE}"
    keys = [
        hashlib.sha256(
            f"{version}|{json.dumps(spec, sort_keys=True, ensure_ascii=False)}".encode()
        ).hexdigest()
        for spec in specs
    ]
    out: list[str | None] = []
    for key in keys:
        cached = cache.get("svg", key)
        out.append(cached.decode("utf-8") if cached is not None else None)
    missing = [i for i, svg in enumerate(out) if svg is None]
    # identical specs (e.g. an unchanged city line) are rendered once
    unique = list(dict.fromkeys(keys[i] for i in missing))
    first = {keys[i]: i for i in reversed(missing)}
    # One process: a pool of two measured no faster here (each worker pays imports,
    # font registration and vl-convert's first call; FACTS.md saw 1.0-1.13x).
    made = {key: _render_one(str(fonts), specs[first[key]]) for key in unique}
    for key, svg in made.items():
        cache.put("svg", key, svg.encode("utf-8"))
    return [svg if svg is not None else made[keys[i]] for i, svg in enumerate(out)]
