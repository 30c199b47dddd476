"""A self-learner grades their own copy of an assignment with nbgrader's autograder.

The copy is graded as one submission of a class is (:func:`course.grading.parallel.grade`,
a batch of one), then ``nbgrader generate_feedback`` writes its page. It is one's own work
on one's own computer, so unless ``COURSE_SANDBOX`` says otherwise it is sandboxed where
bubblewrap runs and graded unsandboxed, with a warning and a flag, where it cannot.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook

from course.cycle import build, nbgrader, validate_json
from course.errors import CourseError
from course.grading.parallel import grade
from course.grading.writer import gradebook_url
from course.hub import COURSE_ID
from course.paths import WORK, course_root, notebooks

SELF = "self"


@dataclass
class Result:
    """A self-check's outcome: points and where the feedback is."""

    score: float
    max_score: float
    feedback: list[Path]


def check(assignment: str, folder: Path | None = None, root: Path | None = None) -> Result:
    """Autograde ``folder`` (default ``work/<assignment>``) and write its feedback HTML."""
    root = root or course_root()
    expected = notebooks(assignment, "source", root)
    folder = Path(folder or root / WORK / assignment)
    missing = [nb.name for nb in expected if not (folder / nb.name).exists()]
    if missing:
        raise CourseError(
            f"'{folder}' 폴더에 노트북 {', '.join(missing)}이(가) 없어요. 'make lab'으로 과제를 먼저 열어 주세요.",
            f"missing notebook(s) {missing} in {folder}",
        )
    for nb in expected:
        validate_json(folder / nb.name)
    os.environ.setdefault("COURSE_SANDBOX", "auto")
    build([assignment], root)
    submission = root / "submitted" / SELF / assignment
    if submission.exists():
        shutil.rmtree(submission)
    shutil.copytree(folder, submission, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    [outcome] = grade(root, [assignment], workers=1, force=True, students=[SELF])
    if not outcome.ok:
        raise CourseError(outcome.korean, outcome.english)
    nbgrader(["generate_feedback", assignment, f"--student={SELF}", "--force"], root)
    with Gradebook(gradebook_url(root), course_id=COURSE_ID) as gradebook:
        graded = gradebook.find_submission(assignment, SELF)
        score, max_score = graded.score, graded.max_score
    feedback = sorted((root / "feedback" / SELF / assignment).glob("*.html"))
    return Result(score, max_score, feedback)
