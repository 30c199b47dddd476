"""The one writer: the only code of a grading batch that opens the course's real gradebook.

SQLite is not safe for concurrent writers, and a PostgreSQL gradebook should not see
a hundred workers either, so tasks never touch it. Through nbgrader's own API
(:class:`nbgrader.api.Gradebook`), for SQLite and PostgreSQL alike, the writer

- reads what a batch needs: an assignment's definition (copied into the private SQLite
  gradebook each task grades against) and a learner's extension;
- stores each task's :class:`~course.grading.task.Graded` as ``nbgrader autograde``
  would have: the student, the submission and its timestamp, each grade's
  ``auto_score`` and ``needs_manual_grade``, each comment's ``auto_comment``, the late
  penalty, and copies the autograded folder to ``autograded/<student>/<assignment>``.

The formgrader, ``nbgrader export`` and ``generate_feedback`` read exactly these.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Sequence

from nbgrader.api import Base, Gradebook, MissingEntry
from sqlalchemy import create_engine, text

from course.errors import CourseError
from course.grading.task import Graded, NotebookGrades, unpack
from course.hub import COURSE_ID


def gradebook_url(root: Path) -> str:
    """The gradebook the course configuration names: ``COURSE_DB_URL`` (a hub's PostgreSQL), else SQLite in ``root``."""
    return os.environ.get("COURSE_DB_URL") or f"sqlite:///{root / 'gradebook.db'}"


def _copy_definition(source: Gradebook, target: Gradebook, name: str) -> None:
    """Copy assignment ``name`` (notebooks, graded, solution, task and source cells) between gradebooks."""
    assignment = source.find_assignment(name)
    target.update_or_create_assignment(name, duedate=assignment.duedate)
    for notebook in assignment.notebooks:
        where = (notebook.name, name)
        target.update_or_create_notebook(*where, kernelspec=notebook.kernelspec)
        for cell in notebook.grade_cells:
            target.update_or_create_grade_cell(cell.name, *where, max_score=cell.max_score, cell_type=cell.cell_type)
        for cell in notebook.solution_cells:
            target.update_or_create_solution_cell(cell.name, *where)
        for cell in notebook.task_cells:
            target.update_or_create_task_cell(cell.name, *where, max_score=cell.max_score, cell_type=cell.cell_type)
        for cell in notebook.source_cells:
            target.update_or_create_source_cell(cell.name, *where, cell_type=cell.cell_type, locked=cell.locked,
                                                source=cell.source, checksum=cell.checksum)


def _empty_gradebook(db_url: str, version: str) -> None:
    """nbgrader's tables and its schema version, as ``Gradebook`` creates them for a new database."""
    engine = create_engine(db_url)
    try:
        Base.metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:version)"), {"version": version})
    finally:
        engine.dispose()


class Writer:
    """``with Writer(db_url) as writer``: one connection to the real gradebook for a whole batch."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.gradebook: Gradebook | None = None

    def __enter__(self) -> Writer:
        self.gradebook = Gradebook(self.db_url, COURSE_ID)
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.gradebook.close()

    def definitions(self, assignments: Sequence[str]) -> dict[str, bytes]:
        """Per assignment, a private SQLite gradebook holding only its definition, as bytes.

        Each starts as an empty gradebook of the real one's schema version, made as
        nbgrader makes one but without running the ``alembic`` command (seconds each).
        """
        for assignment in assignments:
            try:
                self.gradebook.find_assignment(assignment)
            except MissingEntry:
                raise CourseError(
                    f"성적표에 과제 '{assignment}'이(가) 아직 없어요. 'make build'로 과제를 먼저 만들어 주세요.",
                    f"assignment {assignment!r} is not in the gradebook {self.db_url.split('@')[-1]}: run nbgrader generate_assignment",
                ) from None
        version = self.gradebook.db.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        with tempfile.TemporaryDirectory(prefix="course-definition-") as tmp:
            found = {}
            for assignment in assignments:
                path = Path(tmp) / f"{assignment}.db"
                _empty_gradebook(f"sqlite:///{path}", version)
                with Gradebook(f"sqlite:///{path}", COURSE_ID) as private:
                    _copy_definition(self.gradebook, private, assignment)
                found[assignment] = path.read_bytes()
            return found

    def extension(self, student: str, assignment: str) -> timedelta | None:
        """The extension the instructor gave ``student`` for ``assignment``, if any."""
        try:
            return self.gradebook.find_submission(assignment, student).extension
        except MissingEntry:
            return None

    def store(self, graded: Graded, root: Path) -> None:
        """Store one task's result in the gradebook and its autograded folder under ``root``."""
        gradebook = self.gradebook
        gradebook.update_or_create_student(graded.student)
        if graded.timestamp:
            gradebook.update_or_create_submission(graded.assignment, graded.student, timestamp=graded.timestamp)
        else:
            gradebook.update_or_create_submission(graded.assignment, graded.student)
        for name, grades in graded.notebooks.items():
            self._store_notebook(gradebook.find_submission_notebook(name, graded.assignment, graded.student), grades)
        gradebook.db.commit()
        folder = root / "autograded" / graded.student / graded.assignment
        if folder.exists():
            shutil.rmtree(folder)
        if graded.ok:
            unpack(graded.autograded, folder)

    @staticmethod
    def _store_notebook(notebook, grades: NotebookGrades) -> None:
        """As nbgrader's ``SaveAutoGrades``: a grader's manual score still asks for review."""
        for grade in notebook.grades:
            grade.auto_score = grades.scores.get(grade.name)
            grade.needs_manual_grade = grade.manual_score is not None or grades.needs_manual_grade.get(grade.name, True)
        for comment in notebook.comments:
            comment.auto_comment = grades.comments.get(comment.name)
        notebook.late_submission_penalty = grades.late_penalty
        notebook.flagged = bool(notebook.flagged or grades.flagged)
