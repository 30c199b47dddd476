"""What the class report reads: nbgrader's gradebook, the submitted answer files, the grading flags.

Everything is read, nothing is written or moved: an unreadable answer file is noted as a
flag and left where it is. The result is a :class:`ClassData` of plain data frames, which
:mod:`course.report.analysis` turns into figures without knowing where they came from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import nbformat
import pandas as pd
from nbgrader.api import Gradebook, MissingEntry

from course.answers import SUFFIX, read_entries
from course.errors import CourseError
from course.learners import Item, items as source_items

FLAGS_FILE = "grading-flags.json"
NOT_GRADED = "not_graded"  # a submitted notebook with no autograded result (the report's own kind)

ITEM_COLUMNS = ["assignment", "notebook", "grade_id", "qid", "factory", "prompt", "options", "key", "max_score"]
SCORE_COLUMNS = ["student", "assignment", "notebook", "grade_id", "score", "max_score"]
SUBMITTED_COLUMNS = ["student", "assignment", "timestamp"]
ANSWER_COLUMNS = ["student", "assignment", "notebook", "qid", "value", "first_saved_at", "saved_at"]
FLAG_COLUMNS = ["student", "assignment", "notebook", "item", "kind", "message", "detail"]


def frame(rows: list, columns: list[str]) -> pd.DataFrame:
    """A data frame with ``columns`` even when there are no rows."""
    return pd.DataFrame(rows, columns=columns)


@dataclass
class ClassData:
    """A class's work, one frame per source.

    - ``items``: one row per graded cell (``grade_id``) with its question (``qid``, widget
      ``factory``, ``prompt``, ``options``, answer ``key``) and ``max_score``;
    - ``scores``: one row per learner and graded cell of a graded submission;
    - ``submitted``: one row per learner and assignment handed in (``timestamp`` may be missing);
    - ``answers``: one row per saved widget answer, with ``first_saved_at`` and ``saved_at``;
    - ``flags``: the grading flags (``grading-flags.json``) plus ``not_graded`` ones.
    """

    assignments: list[str]
    students: list[str]
    titles: dict[str, str] = field(default_factory=dict)
    items: pd.DataFrame = field(default_factory=lambda: frame([], ITEM_COLUMNS))
    scores: pd.DataFrame = field(default_factory=lambda: frame([], SCORE_COLUMNS))
    submitted: pd.DataFrame = field(default_factory=lambda: frame([], SUBMITTED_COLUMNS))
    answers: pd.DataFrame = field(default_factory=lambda: frame([], ANSWER_COLUMNS))
    flags: pd.DataFrame = field(default_factory=lambda: frame([], FLAG_COLUMNS))


GRADEBOOK = "gradebook.db"  # nbgrader's default gradebook, in the course folder


def load(root: Path, assignments: Sequence[str], db_url: str | None = None, course_id: str = "bigdata-worker") -> ClassData:
    """Read the class's work on ``assignments`` from the course folder ``root``."""
    if db_url is None and not (root / GRADEBOOK).exists():
        raise CourseError(f"아직 채점 기록({GRADEBOOK})이 없어요. 과제를 먼저 채점해 주세요 (nbgrader autograde).",
                          f"no gradebook at {root / GRADEBOOK}; pass --db-url for another one")
    with Gradebook(db_url or f"sqlite:///{root / GRADEBOOK}", course_id=course_id) as gradebook:
        items = _items(root, gradebook, assignments)
        scores, graded = _scores(gradebook, assignments)
        students = {student.id for student in gradebook.students}
    submitted = _submitted(root, assignments, graded)
    students |= set(submitted["student"])
    return ClassData(
        assignments=list(assignments),
        students=sorted(students),
        titles={name: title(root, name) for name in assignments},
        items=items,
        scores=scores,
        submitted=submitted,
        answers=_answers(root, assignments),
        flags=_flags(root, assignments),
    )


def title(root: Path, assignment: str) -> str:
    """An assignment's title: the first heading of its source notebook ("0. 주피터 시작하기"), else its id."""
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type == "markdown" and cell.source.startswith("# "):
                return cell.source.splitlines()[0][2:].strip()
    return assignment


def questions(root: Path, assignment: str, notebook: str) -> dict[str, Item]:
    """The questions of a source notebook, by the ``grade_id`` of the cell that grades them."""
    source = root / "source" / assignment / f"{notebook}.ipynb"
    return {item.grade_id: item for item in source_items(nbformat.read(str(source), as_version=4))} if source.exists() else {}


def item_row(assignment: str, notebook: str, grade_id: str, item: Item | None, max_score: float) -> list:
    """One row of ``ClassData.items``; a graded cell with no known question is its own question."""
    if item is None:
        return [assignment, notebook, grade_id, grade_id, None, None, None, None, float(max_score)]
    return [assignment, notebook, grade_id, item.qid, item.factory, item.prompt, item.options, item.key, float(max_score)]


def _items(root: Path, gradebook: Gradebook, assignments: Sequence[str]) -> pd.DataFrame:
    rows = []
    for name in assignments:
        try:
            notebooks = gradebook.find_assignment(name).notebooks
        except MissingEntry:
            continue
        for notebook in notebooks:
            found = questions(root, name, notebook.name)
            order = {grade_id: n for n, grade_id in enumerate(found)}  # the source's order
            rows += [item_row(name, notebook.name, cell.name, found.get(cell.name), cell.max_score)
                     for cell in sorted(notebook.grade_cells, key=lambda c: (order.get(c.name, len(order)), c.name))]
    return frame(rows, ITEM_COLUMNS)


def _scores(gradebook: Gradebook, assignments: Sequence[str]) -> tuple[pd.DataFrame, list[list]]:
    rows, graded = [], []
    for name in assignments:
        try:
            submissions = gradebook.assignment_submissions(name)
        except MissingEntry:
            continue
        for submission in submissions:
            graded.append([submission.student.id, name, submission.timestamp])
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows.append([submission.student.id, name, notebook.name, grade.name, float(grade.score), float(grade.max_score)])
    return frame(rows, SCORE_COLUMNS), graded


def _submitted(root: Path, assignments: Sequence[str], graded: list[list]) -> pd.DataFrame:
    """Graded submissions, plus those in ``submitted/`` that nbgrader never graded."""
    known = {(student, name) for student, name, _ in graded}
    rows = list(graded)
    for name in assignments:
        for folder in sorted((root / "submitted").glob(f"*/{name}")):
            student = folder.parent.name
            if (student, name) not in known and folder.is_dir():
                stamp = folder / "timestamp.txt"
                rows.append([student, name, pd.to_datetime(stamp.read_text().strip(), errors="coerce") if stamp.exists() else None])
    return frame(rows, SUBMITTED_COLUMNS)


def _answers(root: Path, assignments: Sequence[str]) -> pd.DataFrame:
    rows = []
    for name in assignments:
        for path in sorted((root / "submitted").glob(f"*/{name}/*{SUFFIX}")):
            try:
                entries = read_entries(path)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # reported by the grading flags ("answers_unreadable"), never moved from here
            notebook = path.name[: -len(SUFFIX)]
            for qid, entry in entries.items():
                rows.append([path.parent.parent.name, name, notebook, qid, entry["value"],
                             entry.get("first_saved_at") or entry.get("saved_at"), entry.get("saved_at")])
    answers = frame(rows, ANSWER_COLUMNS)
    for column in ("first_saved_at", "saved_at"):
        answers[column] = pd.to_datetime(answers[column], utc=True, errors="coerce", format="ISO8601")
    return answers


def _flags(root: Path, assignments: Sequence[str]) -> pd.DataFrame:
    """The flags files of every graded submission, and a ``not_graded`` flag per submitted notebook without a result."""
    rows = []
    for name in assignments:
        for folder in sorted((root / "submitted").glob(f"*/{name}")):
            student = folder.parent.name
            graded = root / "autograded" / student / name
            found = _read_flags(graded / FLAGS_FILE, student, name)
            rows += found
            flagged = {row[2] for row in found}
            renamed = any(row[4] == "renamed_notebook" for row in found)  # graded under the assignment's name
            if not graded.is_dir() and not any(folder.glob("*.ipynb")):  # plain nbgrader never sees such a folder
                rows.append([student, name, None, None, NOT_GRADED, "제출한 과제에 노트북이 없어요.",
                             f"submitted/{student}/{name} holds no notebook"])
            for notebook in sorted(folder.glob("*.ipynb")):
                if not (graded / notebook.name).exists() and notebook.stem not in flagged and not renamed:
                    rows.append([student, name, notebook.stem, None, NOT_GRADED, "채점 결과가 없어요.",
                                 f"submitted/{student}/{name}/{notebook.name} has no autograded result"])
    return frame(rows, FLAG_COLUMNS)


def _read_flags(path: Path, student: str, name: str) -> list[list]:
    if not path.exists():
        return []
    try:
        flags = json.loads(path.read_text(encoding="utf-8"))["flags"]
        return [[student, name, flag.get("notebook"), flag.get("item"), flag["kind"], flag.get("message", ""), flag.get("detail", "")]
                for flag in flags]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return [[student, name, None, None, "flags_unreadable", "채점 표시 파일을 읽을 수 없어요.", f"{path}: {error}"]]
