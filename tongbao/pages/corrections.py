"""What the record makes a bulletin show: its 更正说明 and its 已撤回 notice."""

from __future__ import annotations

from .. import formats
from ..compute.revisions import Correction, Withdrawal


def correction_view(correction: Correction | None) -> dict | None:
    """更正说明: the revision, each changed 期号/印发日期/title as its own line, every
    figure that differs from the record, and every changed sentence (原文 → 更正后)."""
    if correction is None:
        return None
    return {
        "date": formats.date_label(correction.revised_on.isoformat()),
        "recorded": formats.date_label(correction.recorded_on.isoformat()),
        "note": correction.note,
        "details": [
            {"name": d.name, "published": d.published, "corrected": d.corrected}
            for d in correction.details
        ],
        "rows": [
            {
                "unit": c.unit,
                "indicator": c.indicator_name or "—",
                "figure": c.figure_name,
                "published": c.show(c.published),
                "corrected": c.show(c.corrected),
            }
            for c in correction.changes
        ],
        "text": [
            {"before": t.before or "（无）", "after": t.after or "（删去）"}
            for t in correction.text
        ],
    }


def withdrawal_view(withdrawal: Withdrawal | None) -> dict | None:
    """已撤回: the day and the reason, at the top of the bulletin as issued."""
    if withdrawal is None:
        return None
    return {"date": formats.date_label(withdrawal.on.isoformat()), "reason": withdrawal.reason}
