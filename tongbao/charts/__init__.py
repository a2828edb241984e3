"""Charts: Altair specs drawn from one month's figures, each with its data and a sentence.

- `base`: a Chart, and the Altair templates each kind of chart is filled from (kept in
  the build cache, so a warm build never imports Altair)
- `month`: the seven charts of a bulletin (`projects`: charts 5-7, from the ledger)
- `unit`: a unit page's line
"""

from .base import FONT_STACK, TEMPLATES, Chart, load_templates, save_templates
from .month import charts_for_month, charts_for_month_kept
from .unit import charts_for_unit, lead_history, month_labels, unit_progress

__all__ = [
    "FONT_STACK",
    "TEMPLATES",
    "Chart",
    "charts_for_month",
    "charts_for_month_kept",
    "charts_for_unit",
    "load_templates",
    "month_labels",
    "save_templates",
    "unit_progress",
    "lead_history",
]
