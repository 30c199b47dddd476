"""The class report's figures, computed from :class:`course.report.data.ClassData` frames.

Definitions (stated on the page too):

- **Difficulty** (정답률) of a graded item: points earned by every learner who handed the
  assignment in, divided by the points they could have earned (0 to 1; higher is easier).
- **Discrimination** (변별도): the upper-lower 27 % index (Kelley). Learners who handed the
  assignment in are ranked by their total on it (ties by learner id); the top and bottom
  ``max(1, round(0.27 · n))`` form the upper and lower groups; the index is the upper
  group's mean share of the item's points minus the lower group's (−1 to 1; 0.3 or more
  separates well, below 0.2 deserves a look). Undefined (NaN) with fewer than 2 learners.
- **Time on task** per notebook: the saved answers' times (first and last save of each
  question) in order; the sum of the gaps between neighbours, leaving out every gap longer
  than ``gap`` (a break). Undefined with fewer than two distinct times.
- **Completion**: at least ``share`` of all points of the report's assignments (one not
  handed in counts 0), and, when ``every_module``, every assignment handed in.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from course.labeling import LabelTask, cohens_kappa, gold_accuracy
from course.report.data import ClassData

UPPER_LOWER = 0.27
CHOICE_FACTORIES = ("choice", "multi")


def totals(data: ClassData) -> pd.DataFrame:
    """Learner × assignment: points earned; NaN when not handed in, 0 when handed in but not graded."""
    points = data.scores.groupby(["student", "assignment"])["score"].sum().unstack()
    points = points.reindex(index=data.students, columns=data.assignments)
    handed = pd.DataFrame(False, index=points.index, columns=points.columns)
    for row in data.submitted.itertuples():
        if row.student in handed.index and row.assignment in handed.columns:
            handed.loc[row.student, row.assignment] = True
    return points.fillna(0.0).where(handed)


def maximum(data: ClassData) -> pd.Series:
    """Each assignment's maximum points (from the gradebook's graded cells)."""
    return data.items.groupby("assignment")["max_score"].sum().reindex(data.assignments)


def shares(data: ClassData) -> pd.DataFrame:
    """Learner × assignment: share of the points earned (0 to 1), NaN when not handed in."""
    return totals(data) / maximum(data)


@dataclass(frozen=True)
class Standing:
    """A learner's overall standing."""

    student: str
    points: float
    max_points: float
    handed_in: int
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


def standings(data: ClassData) -> list[Standing]:
    """Every learner's points over all the report's assignments (one not handed in counts 0)."""
    points, top = totals(data), maximum(data).fillna(0)
    return [
        Standing(student, float(points.loc[student].fillna(0).sum()), float(top.sum()), int(points.loc[student].notna().sum()),
                 tuple(name for name in data.assignments if pd.isna(points.loc[student, name])))
        for student in data.students
    ]


def below(data: ClassData, threshold: float) -> list[Standing]:
    """The learners whose overall share is below ``threshold``, lowest first."""
    return sorted((s for s in standings(data) if s.share < threshold), key=lambda s: (s.share, s.student))


def item_analysis(scores: pd.DataFrame) -> pd.DataFrame:
    """Per graded cell: learners ``n``, ``difficulty`` and upper-lower 27 % ``discrimination``."""
    rows = []
    for (assignment, notebook), group in scores.groupby(["assignment", "notebook"], sort=False):
        totals_ = group.groupby("student")["score"].sum()
        ranked = sorted(totals_.index, key=lambda s: (-totals_[s], s))
        size = max(1, int(UPPER_LOWER * len(ranked) + 0.5))
        upper, lower = ranked[:size], ranked[-size:]
        for grade_id, cells in group.groupby("grade_id", sort=False):
            share = (cells.set_index("student")["score"] / cells.set_index("student")["max_score"]).fillna(0)
            difficulty = cells["score"].sum() / cells["max_score"].sum() if cells["max_score"].sum() else float("nan")
            discrimination = share[upper].mean() - share[lower].mean() if len(ranked) >= 2 else float("nan")
            rows.append([assignment, notebook, grade_id, len(cells), difficulty, discrimination])
    return pd.DataFrame(rows, columns=["assignment", "notebook", "grade_id", "n", "difficulty", "discrimination"])


def _picked(value: Any, factory: str) -> list[str]:
    if factory == "multi":
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else []
    return [str(value)]


def option_counts(items: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Per choice question and option: how many learners picked it, whether it is right, the top distractor.

    For a multiple-answer question (``multi``) every ticked box counts; ``right`` means the
    option belongs to the key. ``top_wrong`` marks the wrong option picked most (all tied
    ones; none when no wrong option was picked).
    """
    rows = []
    questions = items[items["factory"].isin(CHOICE_FACTORIES) & items["options"].notna()]
    for question in questions.itertuples():
        given = answers[(answers["assignment"] == question.assignment) & (answers["qid"] == question.qid)]
        picks = [option for value in given["value"] for option in _picked(value, question.factory)]
        key = set(question.key) if question.factory == "multi" else {question.key}
        counts = {option: picks.count(option) for option in question.options}
        wrong = [counts[o] for o in question.options if o not in key]
        top = max(wrong, default=0)
        for option in question.options:
            rows.append([question.assignment, question.qid, question.prompt, option, counts[option], len(given),
                         option in key, option not in key and top > 0 and counts[option] == top])
    return pd.DataFrame(rows, columns=["assignment", "qid", "prompt", "option", "count", "answered", "right", "top_wrong"])


def labeling_quality(answers: pd.DataFrame, tasks: Mapping[tuple[str, str], LabelTask]) -> pd.DataFrame:
    """Per learner and labeling task: labelled items, gold accuracy and Cohen's kappa with the task's peer worker
    (on the gold items the peer labelled).

    ``tasks`` maps ``(assignment, qid)`` of a labeling question to its task; the figures
    are those of ``course.labeling`` (the same the learner sees in the notebook).
    """
    rows = []
    for (assignment, qid), task in tasks.items():
        given = answers[(answers["assignment"] == assignment) & (answers["qid"] == qid)]
        for answer in given.itertuples():
            labels = answer.value if isinstance(answer.value, Mapping) else {}
            mine = {item: label for item, label in labels.items() if item in task.items}
            accuracy = gold_accuracy(mine, task.gold) if mine else float("nan")
            kappa = cohens_kappa(mine, task.peer) if set(mine) & set(task.peer) else float("nan")
            rows.append([answer.student, assignment, qid, task.name, len(mine), len(task.items), accuracy, kappa])
    return pd.DataFrame(rows, columns=["student", "assignment", "qid", "task", "labelled", "items", "gold_accuracy", "kappa"])


def time_on_task(answers: pd.DataFrame, gap: pd.Timedelta = pd.Timedelta(minutes=30)) -> pd.DataFrame:
    """Minutes on task per learner and notebook, from the answers' save times (breaks longer than ``gap`` left out)."""
    rows = []
    for (student, assignment, notebook), group in answers.groupby(["student", "assignment", "notebook"], sort=True):
        times = pd.concat([group["first_saved_at"], group["saved_at"]]).dropna().drop_duplicates().sort_values()
        steps = times.diff().dropna()
        minutes = steps[steps <= gap].sum().total_seconds() / 60 if len(times) >= 2 else float("nan")
        rows.append([student, assignment, notebook, len(times), minutes])
    return pd.DataFrame(rows, columns=["student", "assignment", "notebook", "times", "minutes"])


@dataclass(frozen=True)
class CompletionRule:
    """The programme's completion rule: a share of all points, and optionally every module handed in."""

    share: float = 0.6
    every_module: bool = True

    def describe(self) -> str:
        """The rule in Korean, for the page and the CSV's readers."""
        parts = [f"전체 점수의 {self.share:.0%} 이상"]
        if self.every_module:
            parts.append("모든 과목 제출")
        return " 그리고 ".join(parts)


def completion(data: ClassData, rule: CompletionRule) -> pd.DataFrame:
    """One row per learner: what they handed in, their points, and whether they complete by ``rule``."""
    rows = []
    for standing in standings(data):
        reasons = []
        if standing.share < rule.share:
            reasons.append(f"점수 {standing.share:.0%} (기준 {rule.share:.0%})")
        if rule.every_module and standing.missing:
            reasons.append("미제출: " + ", ".join(data.titles.get(name, name) for name in standing.missing))
        rows.append({
            "학습자": standing.student,
            "제출한 과목 수": standing.handed_in,
            "전체 과목 수": len(data.assignments),
            "점수": round(standing.points, 2),
            "만점": round(standing.max_points, 2),
            "득점률(%)": round(100 * standing.share, 1) if not math.isnan(standing.share) else 0.0,
            "수료": "예" if not reasons else "아니요",
            "사유": "; ".join(reasons),
        })
    return pd.DataFrame(rows, columns=["학습자", "제출한 과목 수", "전체 과목 수", "점수", "만점", "득점률(%)", "수료", "사유"])
