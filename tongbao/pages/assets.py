"""The files every page loads: stylesheet, enhancer, search and the vendored Vega bundle."""

from __future__ import annotations

from concurrent.futures import Future

from .. import keys
from ..cache import Cache
from ..charts.svg import javascript_bundle
from . import offline_search
from .common import PACKAGE_TEMPLATES


def assets(cache: Cache, bundle: Future | None = None) -> dict[str, str | bytes]:
    """Stylesheet, enhancer and the vendored Vega bundle (never a CDN). `bundle`: the
    bundle being made elsewhere (vl-convert takes ~3 s to write it)."""
    key = keys.vega_bundle()
    made = cache.get("assets", key)
    if made is None:
        made = (bundle.result() if bundle else javascript_bundle()).encode("utf-8")
        cache.put("assets", key, made)
    return {
        "assets/tongbao.css": (PACKAGE_TEMPLATES / "assets" / "tongbao.css").read_bytes(),
        "assets/tongbao.js": (PACKAGE_TEMPLATES / "assets" / "tongbao.js").read_bytes(),
        "assets/search.js": (PACKAGE_TEMPLATES / "assets" / "search.js").read_bytes(),
        "assets/vendor/vega-bundle.js": made,
    } | offline_search.assets()
