"""Question kinds: what an answer looks like, how it is normalised and scored.

Pure logic, no widgets, so each rule is easy to test. A question never holds a graded
answer key: the key appears only in the instructor's hidden test (``Notebook.grade``)
or, for an ungraded practice question, in ``answer=``.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from course.errors import CourseError


def normalise_text(value: Any) -> str:
    """Fold width (full-width -> half-width), case and runs of spaces.

    >>> normalise_text("  Ｃｒｏｗｄ   Work ")
    'crowd work'
    """
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"\s+", " ", text).strip()


def parse_number(value: Any) -> float:
    """Read a number a person typed: ``"903,000"``, ``" 34.8 "``, ``"１２"``.

    Raises ``CourseError`` with a Korean message when it is not a number.
    """
    if isinstance(value, bool):
        raise CourseError("숫자로 답해 주세요.", f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
        try:
            number = float(text)
        except ValueError:
            raise CourseError(
                f"'{value}'은(는) 숫자가 아니에요. 숫자만 써 주세요 (예: 34.8).", f"not a number: {value!r}"
            ) from None
    if not math.isfinite(number):
        raise CourseError("보통의 숫자로 답해 주세요.", f"not finite: {value!r}")
    return number


@dataclass
class Question:
    """Base class. ``points`` is what the item is worth; ``partial`` allows part credit."""

    qid: str
    prompt: str
    points: float = 1.0
    partial: bool = False
    hints: Sequence[str] = ()
    answer: Any = None  # only for ungraded practice questions
    kind: str = field(default="question", init=False)

    @property
    def practice(self) -> bool:
        """A practice question carries its own answer and is not graded."""
        return self.answer is not None

    def normalise(self, value: Any) -> Any:
        """Turn a raw answer into the saved form; raise ``CourseError`` if it cannot be."""
        return value

    def fraction(self, value: Any, key: Any) -> float:
        """Share of the item that ``value`` gets right against ``key`` (0 to 1)."""
        return 1.0 if self.normalise(value) == self.normalise(key) else 0.0

    def score(self, value: Any, key: Any) -> float:
        """Points earned: all or nothing unless ``partial``; no answer earns nothing."""
        if value is None:
            return 0.0
        try:
            share = self.fraction(value, key)
        except CourseError:
            return 0.0
        if not self.partial:
            share = 1.0 if share >= 1.0 else 0.0
        return round(self.points * share, 2)


@dataclass
class Choice(Question):
    """Pick one of ``options``."""

    options: Sequence[str] = ()
    kind: str = field(default="choice", init=False)

    def normalise(self, value: Any) -> str:
        if value not in self.options:
            raise CourseError("보기 가운데 하나를 골라 주세요.", f"{value!r} is not one of {list(self.options)}")
        return value


@dataclass
class MultiChoice(Question):
    """Pick every option that applies; part credit counts right picks minus wrong ones."""

    options: Sequence[str] = ()
    kind: str = field(default="multi", init=False)

    def normalise(self, value: Any) -> list[str]:
        if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
            raise CourseError("보기를 하나 이상 골라 주세요.", f"expected a list of options, got {value!r}")
        unknown = [item for item in value if item not in self.options]
        if unknown:
            raise CourseError("보기에 없는 답이 있어요.", f"unknown options {unknown}")
        return [option for option in self.options if option in set(value)]

    def fraction(self, value: Any, key: Any) -> float:
        chosen, wanted = set(self.normalise(value)), set(self.normalise(key))
        right, wrong = len(chosen & wanted), len(chosen - wanted)
        return max(0.0, (right - wrong) / len(wanted)) if wanted else float(not chosen)


@dataclass
class Number(Question):
    """A number, right within ``tolerance`` (absolute)."""

    tolerance: float = 0.0
    unit: str = ""
    kind: str = field(default="number", init=False)

    def normalise(self, value: Any) -> float:
        return parse_number(value)

    def fraction(self, value: Any, key: Any) -> float:
        return 1.0 if abs(self.normalise(value) - parse_number(key)) <= self.tolerance + 1e-9 else 0.0


@dataclass
class Text(Question):
    """A short text; spaces, width and case do not matter. ``key`` may list several forms."""

    kind: str = field(default="text", init=False)

    def normalise(self, value: Any) -> str:
        text = normalise_text(value)
        if not text:
            raise CourseError("답을 한 단어 이상 써 주세요.", "empty text")
        return text

    def fraction(self, value: Any, key: Any) -> float:
        accepted = key if isinstance(key, (list, tuple, set)) else [key]
        return 1.0 if self.normalise(value) in {normalise_text(k) for k in accepted} else 0.0


@dataclass
class Order(Question):
    """Put ``items`` in order; part credit is the share of items in their right place."""

    items: Sequence[str] = ()
    kind: str = field(default="order", init=False)

    def normalise(self, value: Any) -> list[str]:
        if not isinstance(value, (list, tuple)) or sorted(value) != sorted(self.items):
            raise CourseError("모든 항목을 한 번씩 순서대로 놓아 주세요.", f"not a permutation of {list(self.items)}: {value!r}")
        return list(value)

    def fraction(self, value: Any, key: Any) -> float:
        mine, right = self.normalise(value), self.normalise(key)
        return sum(a == b for a, b in zip(mine, right)) / len(right)


@dataclass
class SortInto(Question):
    """Label a set: put each of ``items`` into one of ``categories``.

    The answer is ``{item: category}``; part credit is the share of items labelled
    right. An item left unlabelled counts as wrong.
    """

    items: Sequence[str] = ()
    categories: Sequence[str] = ()
    shows: Mapping[str, str] = field(default_factory=dict)  # item -> HTML to show instead of its name
    kind: str = field(default="sort", init=False)

    def normalise(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise CourseError("항목마다 분류를 골라 주세요.", f"expected a mapping, got {type(value).__name__}")
        unknown_items = set(value) - set(self.items)
        unknown_labels = {label for label in value.values() if label not in self.categories}
        if unknown_items or unknown_labels:
            raise CourseError(
                "목록에 없는 항목이나 분류가 있어요.", f"unknown items {sorted(unknown_items)}, labels {sorted(unknown_labels)}"
            )
        return {item: value[item] for item in self.items if item in value}

    def fraction(self, value: Any, key: Any) -> float:
        mine, right = self.normalise(value), self.normalise(key)
        return sum(mine.get(item) == label for item, label in right.items()) / len(right)
