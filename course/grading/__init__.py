"""What a hidden test cell returns or raises, in the form nbgrader reads."""
from __future__ import annotations

from typing import NoReturn


class Score:
    """Points earned by one graded item.

    nbgrader reads a test cell's last ``text/plain`` output as the points earned
    (partial credit), so ``repr`` is the bare number; the HTML form is the sentence a
    learner reads in the feedback.
    """

    def __init__(self, earned: float, points: float) -> None:
        self.earned = earned
        self.points = points

    def __float__(self) -> float:
        return float(self.earned)

    def __repr__(self) -> str:
        return f"{self.earned:g}"

    def _repr_html_(self) -> str:
        if self.earned >= self.points:
            return f"<b>⭕ 맞았어요: {self.earned:g}점 / {self.points:g}점</b>"
        return f"<b>🔸 부분 점수: {self.earned:g}점 / {self.points:g}점</b>"


def fail(korean: str) -> NoReturn:
    """End a hidden test with no points and a sentence the learner can act on."""
    raise AssertionError(korean)
