"""Shared test tools: a private copy of the course, sample learners, nbgrader's real autograde."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Callable, Mapping

import nbformat
import psutil
from nbgrader.api import Gradebook

from course.cycle import build, nbgrader
from course.learners import write_learner

REPO = Path(__file__).resolve().parent.parent
COURSE_FILES = ("grader_config.py", "nbgrader_config.py")

Learner = Callable[[Path], None] | str


def course_copy(tmp: Path, assignments: list[str] | None = None) -> Path:
    """A private course folder (config, source, release) so tests never touch the repo's gradebook."""
    root = tmp / "course"
    root.mkdir()
    for name in COURSE_FILES:
        shutil.copy(REPO / name, root / name)
    for folder in ("source", "release"):
        for assignment in assignments or [p.name for p in (REPO / folder).iterdir() if p.is_dir()]:
            if (REPO / folder / assignment).exists():
                shutil.copytree(REPO / folder / assignment, root / folder / assignment, ignore=shutil.ignore_patterns("*.answers.json*"))
    return root


def set_answers(folder: Path, notebook: str, answers: Mapping[str, Any]) -> None:
    """Write a learner's widget answers by hand, as the widgets would save them."""
    entries = {qid: {"value": value, "kind": "test"} for qid, value in answers.items()}
    (folder / f"{notebook}.answers.json").write_text(
        json.dumps({"format": 1, "notebook": notebook, "answers": entries}, ensure_ascii=False), encoding="utf-8"
    )


def set_cell(folder: Path, notebook: str, grade_id: str, source: str) -> None:
    """Replace the source of the cell ``grade_id`` in a learner's notebook."""
    path = folder / f"{notebook}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]
    assert cells, f"no cell {grade_id} in {path}"
    cells[0].source = source
    nbformat.write(nb, str(path))


def autograde(root: Path, assignment: str, learners: Mapping[str, Learner], timeout: int | None = None) -> dict[str, float]:
    """Submit each learner's copy of the release, run ``nbgrader autograde``, return scores.

    A learner is a sample-learner kind (``"full"``, ``"blank"``, ``"partial"``,
    ``"mistakes"``) or a function that edits the copied release folder.
    """
    build([assignment], root)
    for student, learner in learners.items():
        folder = root / "submitted" / student / assignment
        shutil.copytree(root / "release" / assignment, folder)
        if isinstance(learner, str):
            for source_nb in sorted((root / "source" / assignment).glob("*.ipynb")):
                write_learner(learner, source_nb, folder)
        else:
            learner(folder)
    extra = [f"--Execute.timeout={timeout}"] if timeout else []
    nbgrader(["autograde", assignment, "--force", *extra], root, check=False)
    return scores(root, assignment)


def scores(root: Path, assignment: str) -> dict[str, float]:
    """Every graded learner's total for ``assignment``, from nbgrader's gradebook."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bigdata-worker") as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(assignment)}


def item_scores(root: Path, assignment: str, student: str) -> dict[str, float]:
    """Points per graded cell (``grade_id`` → score) of one learner."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bigdata-worker") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: grade.score for nb in submission.notebooks for grade in nb.grades}


def tree_hash(folder: Path) -> str:
    """One hash of every path, link target and file content under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def outside(root: Path) -> dict:
    """What learner code must not change: source, release, every submission, the gradebook's schema."""
    with sqlite3.connect(root / "gradebook.db") as db:
        schema = sorted(db.execute("select type, name, sql from sqlite_master").fetchall(), key=str)
    return {folder: tree_hash(root / folder) for folder in ("source", "release", "submitted")} | {"schema": schema}


def running(marker: str) -> list:
    """Processes with ``marker`` as one of their arguments."""
    return [p for p in psutil.process_iter(["cmdline"]) if marker in (p.info["cmdline"] or [])]
