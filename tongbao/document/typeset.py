"""Typesetting a template with its data as JSON: the unit sheets and the slides.

The data (final text, from `sheet.py` and `slides.py`) and the charts' SVGs go in as
one JSON string through Typst's `sys.inputs`, which the template decodes: no data
value is ever spliced into Typst source, so a unit named `#a*b*` prints as written.
"""

from __future__ import annotations

import json
from pathlib import Path

from .pdf import compiler

PACKAGE_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "document"
UNIT_TEMPLATE = "unit.typ"
SLIDES_TEMPLATE = "slides.typ"


def template_path(root: Path, name: str) -> Path:
    """The bureau's own layout (templates/document/<name>) or the package's."""
    own = root / "templates" / "document" / name
    return own if own.is_file() else PACKAGE_TEMPLATES / name


def typeset(template: str, data: dict, *, fonts: dict[str, str], font_folders: list[str]) -> bytes:
    """A PDF of `template` with `data` (and the font family of each face, `fonts`)."""
    payload = json.dumps({**data, "fonts": fonts}, ensure_ascii=False, sort_keys=True)
    return compiler(tuple(font_folders)).compile(
        input=template.encode("utf-8"), sys_inputs={"data": payload}
    )
