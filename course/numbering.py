"""One number per graded item, the same wherever a learner reads it.

A graded item's id is ``q<N>`` (its test cell ``q<N>_test``), numbered in the
notebook's order; the learner reads "문제 N" in the question, in the check line under
the answer and on the feedback page. The id itself is never shown.
"""
from __future__ import annotations

import re

ITEM_ID = re.compile(r"^q(\d+)(?:_test)?$")


def item_number(grade_id: str) -> int | None:
    """``"q3"`` or ``"q3_test"`` -> 3; any other id -> ``None``."""
    match = ITEM_ID.match(grade_id or "")
    return int(match.group(1)) if match else None


def item_title(grade_id: str) -> str:
    """What a learner reads for an item: "문제 3" (an id without a number reads "채점 항목")."""
    number = item_number(grade_id)
    return f"문제 {number}" if number is not None else "채점 항목"
