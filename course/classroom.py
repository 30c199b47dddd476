"""A generated class for the demo: the four sample learners and varied others, the same for the same seed.

The first four members are the sample learners of :mod:`course.learners` (``full``,
``blank``, ``partial``, ``mistakes``); the others (``learner05`` …) each get a skill (the
chance of a right answer), a care (the chance of answering an item at all) and a pace
(the chance of handing an assignment in), and answer item by item by those chances, with
varied wrong answers. Every widget answer is stamped with a save time: one sitting per
assignment, a few minutes per answer, now and then a long break.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from typing import Any, Sequence

import nbformat
import pandas as pd

from course.learners import KINDS, Item, answers_from, fill_in, items, outcomes_for
from course.report.data import ANSWER_COLUMNS, ITEM_COLUMNS, SCORE_COLUMNS, SUBMITTED_COLUMNS, ClassData, frame, item_row, title

KST = timezone(timedelta(hours=9))
FIRST_DAY = datetime(2021, 6, 1, 10, 0, tzinfo=KST)  # the first class day; one assignment a day


@dataclass(frozen=True)
class Member:
    """One learner of the generated class; ``kind`` is a sample learner's kind, else ``None``."""

    id: str
    kind: str | None
    skill: float = 1.0
    care: float = 1.0
    pace: float = 1.0


@dataclass(frozen=True)
class Work:
    """One learner's answers to one notebook: each item's outcome, the answers, their save times."""

    outcomes: dict[str, str]
    widgets: dict[str, Any]
    code: dict[str, str]
    times: dict[str, str]


@dataclass(frozen=True)
class Classroom:
    """``size`` learners drawn from ``seed``."""

    size: int = 30
    seed: int = 5060

    @cached_property
    def members(self) -> dict[str, Member]:
        rng = random.Random(self.seed)
        found = {kind: Member(kind, kind) for kind in KINDS[: self.size]}
        for number in range(len(found) + 1, self.size + 1):
            name = f"learner{number:02d}"
            found[name] = Member(name, None, skill=rng.uniform(0.45, 0.98), care=rng.uniform(0.75, 1.0), pace=rng.uniform(0.6, 1.0))
        return found

    @property
    def ids(self) -> list[str]:
        return list(self.members)

    def _rng(self, *parts: object) -> random.Random:
        return random.Random("-".join(map(str, (self.seed, *parts))))

    def hands_in(self, learner: str, assignment: str, position: int) -> bool:
        """Whether ``learner`` hands in the ``position``-th assignment (everyone hands in the first)."""
        member = self.members[learner]
        return position == 0 or self._rng(learner, assignment, "in").random() < member.pace

    def work(self, learner: str, graded: list[Item], notebook: str, position: int) -> Work:
        """What ``learner`` answers in ``notebook`` (the ``position``-th assignment), item by item."""
        member = self.members[learner]
        rng = self._rng(learner, notebook)
        if member.kind:
            outcomes = dict(zip((item.qid for item in graded), outcomes_for(member.kind, len(graded))))
            rule = 0
        else:
            outcomes = {
                item.qid: "blank" if rng.random() > member.care else ("right" if rng.random() < member.skill else "wrong")
                for item in graded
            }
            rule = 0 if rng.random() < 0.5 else rng.randrange(1, 7)
        widgets, code = answers_from(outcomes, graded, rule)
        return Work(outcomes, widgets, code, self._times(rng, list(widgets), position))

    def answer(self, learner: str, source_nb: Path, folder: Path, position: int) -> None:
        """Fill in ``learner``'s copy of ``source_nb`` in ``folder`` (the ``position``-th assignment)."""
        work = self.work(learner, items(nbformat.read(str(source_nb), as_version=4)), source_nb.stem, position)
        fill_in(folder, source_nb.stem, work.widgets, work.code, work.times)

    @staticmethod
    def _times(rng: random.Random, qids: list[str], position: int) -> dict[str, str]:
        """Save times: a sitting from the assignment's day, 1–8 minutes an answer, sometimes a 40–90 minute break."""
        moment = FIRST_DAY + timedelta(days=position, minutes=rng.uniform(0, 120))
        times = {}
        for qid in qids:
            moment += timedelta(minutes=rng.uniform(1, 8) + (rng.uniform(40, 90) if rng.random() < 0.1 else 0))
            times[qid] = moment.isoformat(timespec="seconds")
        return times


def scored_here(classroom: Classroom, root: Path, names: Sequence[str]) -> ClassData:
    """The class's work as the report reads it, scored here instead of by nbgrader.

    A right item earns its points, a wrong or blank one none. For the report's benchmark
    and browser test, where grading 30 learners × 9 notebooks with nbgrader takes many minutes.
    """
    items_, scores, submitted, answers = [], [], [], []
    for position, name in enumerate(names):
        for source_nb in sorted((root / "source" / name).glob("*.ipynb")):
            nb = nbformat.read(str(source_nb), as_version=4)
            points = {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
                      for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
            graded = items(nb)
            items_ += [item_row(name, source_nb.stem, item.grade_id, item, points[item.grade_id]) for item in graded]
            for learner in classroom.ids:
                if not classroom.hands_in(learner, name, position):
                    continue
                work = classroom.work(learner, graded, source_nb.stem, position)
                submitted.append([learner, name, None])
                scores += [[learner, name, source_nb.stem, item.grade_id,
                            points[item.grade_id] if work.outcomes[item.qid] == "right" else 0.0, points[item.grade_id]]
                           for item in graded]
                answers += [[learner, name, source_nb.stem, qid, value, work.times[qid], work.times[qid]]
                            for qid, value in work.widgets.items()]
    answers_ = frame(answers, ANSWER_COLUMNS)
    for column in ("first_saved_at", "saved_at"):
        answers_[column] = pd.to_datetime(answers_[column], utc=True)
    return ClassData(list(names), classroom.ids, {name: title(root, name) for name in names}, frame(items_, ITEM_COLUMNS),
                     frame(scores, SCORE_COLUMNS), frame(submitted, SUBMITTED_COLUMNS), answers_)
