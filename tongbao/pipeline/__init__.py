"""The pipeline: the one place that knows the order of the stages.

read → compute (figures, the record, release) → bulletin (commentary) → charts →
exports and pages → document → publish (stage the site, then finish and swap).
`check` runs the first half (nothing is written), `build` all of it.
"""

from __future__ import annotations

from ..config import Settings
from .building import build
from .checking import Checked, check, check_published, is_draft
from .rendering import render
from .session import Session

__all__ = [
    "Checked",
    "Session",
    "Settings",
    "build",
    "check",
    "check_published",
    "is_draft",
    "render",
]
