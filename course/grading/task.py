"""One submission graded by nbgrader's own ``nbgrader autograde``, in a course folder of its own.

A task's input and output are bytes, small tar archives, so it runs on any Dask worker
that has the course's environment installed, with no folder shared with the instructor:

- the *assignment bundle*, made once per batch: the course configuration
  (``grader_config.py``, ``nbgrader_config.py``), ``source/<assignment>/`` and a private
  SQLite gradebook holding only that assignment's definition (copied from the real
  gradebook, SQLite or PostgreSQL, by :mod:`course.grading.writer`);
- the *submission*: the learner's ``submitted/<student>/<assignment>/`` folder.

The task lays them out as a course folder in a temporary directory, runs
``nbgrader autograde <assignment> --student=<student> --force`` there with the course
configuration (so the sandboxed kernel and every grading setting apply), and returns
:class:`Graded`: what nbgrader stored in the private gradebook and the autograded folder
(with any ``grading-flags.json`` in it) as bytes. The real gradebook is never opened here.

Before nbgrader runs, a renamed notebook is given its own name in the task's copy, and a
submission without any of the assignment's notebooks is scored 0 without running
nbgrader (:mod:`course.grading.notebooks`); both are flagged.
"""
from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.utils import parse_utc

from course.cycle import environment
from course.grading import flags
from course.grading.notebooks import settle
from course.grading.warm import warm_nbgrader
from course.hub import COURSE_ID
CONFIG_FILES = ("grader_config.py", "nbgrader_config.py")
PRIVATE_GRADEBOOK = "gradebook.db"
LOG_TAIL = 4000  # characters of nbgrader's log kept for a failed submission


@dataclass(frozen=True)
class NotebookGrades:
    """What autograde stored for one notebook: per cell, and for the whole notebook."""

    scores: dict[str, float | None]  # grade cell → auto_score
    needs_manual_grade: dict[str, bool]  # grade cell → needs_manual_grade
    comments: dict[str, str | None]  # solution or task cell → auto_comment
    late_penalty: float | None = None
    flagged: bool = False


@dataclass(frozen=True)
class Graded:
    """One task's result. ``ok`` is nbgrader's success; ``log`` its output when it failed."""

    student: str
    assignment: str
    ok: bool
    timestamp: datetime | None = None
    notebooks: dict[str, NotebookGrades] = field(default_factory=dict)
    autograded: bytes = b""  # tar.gz of autograded/<student>/<assignment>
    log: str = ""
    seconds: float = 0.0


def pack(folder: Path) -> bytes:
    """``folder``'s regular files and folders as a tar.gz (links are left out: they could point anywhere)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for top, folders, files in os.walk(folder):  # os.walk does not follow links to folders
            here = Path(top)
            for name in sorted(folders) + sorted(files):
                path = here / name
                if path.is_symlink() or not (path.is_dir() or path.is_file()):
                    continue
                archive.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
    return buffer.getvalue()


def unpack(data: bytes, folder: Path) -> None:
    """Unpack a :func:`pack` archive into ``folder`` (tarfile's ``data`` filter: nothing lands outside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(folder, filter="data")


def _grant_extension(db_url: str, student: str, assignment: str, extension: timedelta) -> None:
    """Give the private gradebook the learner's extension, so the late penalty is nbgrader's own."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student)
        gradebook.update_or_create_submission(assignment, student, extension=extension)


def _stored(db_url: str, student: str, assignment: str) -> tuple[datetime | None, dict[str, NotebookGrades]]:
    """The submission's timestamp and per-notebook grades, as autograde left them in the private gradebook."""
    with Gradebook(db_url, COURSE_ID) as gradebook:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            return None, {}
        notebooks = {
            notebook.name: NotebookGrades(
                scores={grade.name: grade.auto_score for grade in notebook.grades},
                needs_manual_grade={grade.name: grade.needs_manual_grade for grade in notebook.grades},
                comments={comment.name: comment.auto_comment for comment in notebook.comments},
                late_penalty=notebook.late_submission_penalty,
                flagged=bool(notebook.flagged),
            )
            for notebook in submission.notebooks
        }
        return submission.timestamp, notebooks


def _nothing_to_grade(root: Path, student: str, assignment: str) -> bool:
    """No notebook of the assignment was submitted: nbgrader would fail ("No notebooks found")."""
    submitted = root / "submitted" / student / assignment
    return not any((submitted / path.name).exists() for path in (root / "source" / assignment).glob("*.ipynb"))


def _record_missing(root: Path, db_url: str, student: str, assignment: str) -> bool:
    """Score every notebook of a submission without one 0, as nbgrader scores a missing notebook."""
    submitted, folder = root / "submitted" / student / assignment, root / "autograded" / student / assignment
    stamp = submitted / "timestamp.txt"
    with Gradebook(db_url, COURSE_ID) as gradebook:
        gradebook.update_or_create_student(student)
        when = {"timestamp": parse_utc(stamp.read_text(encoding="utf-8").strip())} if stamp.exists() else {}
        submission = gradebook.update_or_create_submission(assignment, student, **when)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score, grade.needs_manual_grade = 0, False
        gradebook.db.commit()
    folder.mkdir(parents=True)
    if stamp.exists():
        shutil.copyfile(stamp, folder / stamp.name)
    return True


def autograde_environment(root: Path) -> dict[str, str]:
    """nbgrader's environment for the private course folder: its gradebook, never the real one."""
    env = environment()
    env.pop("COURSE_DB_URL", None)
    env["COURSE_ROOT"] = str(root)
    return env


def grade_submission(bundle: bytes, submission: bytes, student: str, assignment: str,
                     extension: timedelta | None = None) -> Graded:
    """Autograde one submission (the Dask task); see the module's docstring."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-grade-") as tmp:
        root = Path(tmp)
        unpack(bundle, root)
        unpack(submission, root / "submitted" / student / assignment)
        db_url = f"sqlite:///{root / PRIVATE_GRADEBOOK}"
        if extension:
            _grant_extension(db_url, student, assignment, extension)
        found = settle(root, assignment, root / "submitted" / student / assignment)
        folder = root / "autograded" / student / assignment
        log = root / "autograde.log"
        if _nothing_to_grade(root, student, assignment):
            ok = _record_missing(root, db_url, student, assignment)
        else:
            argv = ["autograde", assignment, f"--student={student}", "--force",
                    f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url={db_url}"]
            code = warm_nbgrader().run(argv, root, autograde_environment(root), log)
            ok = code == 0 and folder.is_dir()
        if ok and found:
            flags.extend(folder, found)
        timestamp, notebooks = _stored(db_url, student, assignment)
        return Graded(
            student, assignment, ok, timestamp, notebooks,
            autograded=pack(folder) if ok else b"",
            log="" if ok else log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:],
            seconds=time.monotonic() - started,
        )
