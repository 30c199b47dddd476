"""Scores computed outside the learner's kernel: the nbgrader preprocessors that do it.

Plain nbgrader runs each hidden test inside the learner's kernel, after the learner's
code, and reads the score from what the cell printed. Learner code could then change
the grader, empty the test cells or read the keys. Here:

1. :class:`ExportInsteadOfTests` (last step of autograde's sanitising pass, so not even
   the sanitised notebook on disk holds a hidden test) puts in each graded test cell's
   place a one-line stub that only sends, as plain data, the learner's values that
   cell's test reads (:mod:`course.grading.export`). A deleted test cell is put back.
2. nbgrader's ``Execute`` runs the notebook in the learner's kernel, with the stubs.
3. :class:`ScoreOutside` (right after ``Execute``) runs the instructor's hidden tests
   in the grader's own process (:mod:`course.grading.trusted`), against the answers
   file as submitted and the values the stubs sent, and writes each test cell's
   outputs from that: what nbgrader's ``SaveAutoGrades`` then reads. The test cell
   shows the released check line, never the hidden test.
4. :class:`FlagChangedTests` records a deleted or edited test cell as a grading flag.
"""
from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from course.cells import grading, is_check
from course.grading import export, flags, testcells, trusted
from course.numbering import item_title


def test_cells(nb: NotebookNode) -> dict[str, NotebookNode]:
    """The graded test cells of ``nb`` by ``grade_id``."""
    return {grading(cell)["grade_id"]: cell for cell in nb.cells
            if is_check(cell) and not grading(cell).get("solution") and grading(cell).get("grade_id")}


def _claims(cell: NotebookNode) -> dict:
    """What a test cell's nbgrader metadata says about grading (its points, kind and version)."""
    meta = grading(cell)
    return {key: meta.get(key) for key in ("grade", "solution", "task", "points", "schema_version")}


class CoursePreprocessor(NbGraderPreprocessor):
    """A preprocessor that reads the assignment's source notebook and the learner's submission folder."""

    def coursedir(self) -> CourseDirectory:
        return CourseDirectory(parent=self)

    def source_folder(self, resources: dict) -> Path:
        """The instructor's folder of the assignment (``source/<assignment>``)."""
        coursedir = self.coursedir()
        return Path(coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"]))

    def source_notebook(self, resources: dict) -> NotebookNode:
        """The instructor's notebook (``source/<assignment>/<notebook>.ipynb``): the truth grading runs."""
        path = self.source_folder(resources) / f"{resources['nbgrader']['notebook']}.ipynb"
        return nbformat.read(str(path), as_version=4)

    def submitted_folder(self, resources: dict) -> Path:
        """The learner's submission as submitted (the learner's kernel never writes there)."""
        info = resources["nbgrader"]
        coursedir = self.coursedir()
        return Path(coursedir.format_path(coursedir.submitted_directory, info["student"], info["assignment"]))


class ExportInsteadOfTests(CoursePreprocessor):
    """Put a stub that exports the learner's values in each graded test cell's place (and back where deleted)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        source_nb = self.source_notebook(resources)
        plan = testcells.plan(source_nb)
        self.put_back_deleted(nb, source_nb, plan)
        for grade_id, cell in test_cells(nb).items():
            test = plan.test(grade_id)
            cell.source = export.stub(test.exports if test else ())
            cell.outputs = []
        return nb, resources

    def put_back_deleted(self, nb: NotebookNode, source_nb: NotebookNode, plan: testcells.Plan) -> None:
        """Insert each source test cell missing from ``nb`` after the cell that came before it in the source."""
        for test in plan.tests:
            if test.grade_id in test_cells(nb):
                continue
            self.log.warning("Test cell %s was deleted from the submission; it is put back and graded", test.grade_id)
            nb.cells.insert(self.place(nb, source_nb, test.position), copy.deepcopy(source_nb.cells[test.position]))

    @staticmethod
    def place(nb: NotebookNode, source_nb: NotebookNode, position: int) -> int:
        """Where a cell at ``position`` of the source goes in ``nb``: after its nearest kept predecessor."""
        where = {grading(cell).get("grade_id"): index for index, cell in enumerate(nb.cells) if grading(cell).get("grade_id")}
        for before in range(position - 1, -1, -1):
            grade_id = grading(source_nb.cells[before]).get("grade_id")
            if grade_id in where:
                return where[grade_id] + 1
        return 0


class ScoreOutside(CoursePreprocessor):
    """Score every graded test cell in the grader's process, from the submitted answers and the exported values."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        source_nb = self.source_notebook(resources)
        plan = testcells.plan(source_nb)
        cells = test_cells(nb)
        if any(flag["kind"] == "corrupt_notebook" for flag in flags.recorded(resources)):  # a link, not run: nothing counts
            for grade_id, cell in cells.items():
                test = plan.test(grade_id)
                cell.source, cell.execution_count = test.visible if test else "", None
                cell.outputs = trusted.error_outputs(AssertionError(f"{item_title(grade_id)}: 제출한 노트북을 채점할 수 없었어요."))
            return nb, resources
        exported = {test.grade_id: export.read(cells[test.grade_id].outputs, test.exports)
                    for test in plan.tests if test.grade_id in cells}
        working = Path(resources["metadata"]["path"])
        outputs, session = trusted.grade_notebook(source_nb, plan, exported, self.submitted_folder(resources), working,
                                                  self.source_folder(resources), self.log)
        for grade_id, cell in cells.items():
            test = plan.test(grade_id)
            if test is None:  # in the gradebook, not in source/: never full marks for an empty cell
                self.log.error("Test cell %s is not in the source notebook; it scores 0", grade_id)
            cell.source = test.visible if test else ""
            cell.outputs = outputs[grade_id] if test else trusted.error_outputs(AssertionError(
                f"{item_title(grade_id)}: 이 문제는 채점하지 못했어요. 강사에게 알려 주세요."))
            cell.execution_count = None
        if session is not None and session.store.problem:
            flags.add(resources, "answers_unreadable", session.store.problem, session.store.detail)
        return nb, resources


class FlagChangedTests(CoursePreprocessor):
    """Flag each graded test cell the learner deleted or edited (both were graded as the source has them)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        path = self.submitted_folder(resources) / f"{resources['nbgrader']['notebook']}.ipynb"
        try:
            submitted = test_cells(nbformat.read(str(path), as_version=4))
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.log.warning("Cannot compare the test cells of %s: %s", path, error)
            return nb, resources
        source_nb = self.source_notebook(resources)
        source_cells = test_cells(source_nb)
        for test in testcells.plan(source_nb).tests:
            title = item_title(test.grade_id)
            if test.grade_id not in submitted:
                flags.add(resources, "test_cell_deleted", f"{title}의 채점 칸이 지워져 있었어요. 원래 칸을 되살려서 채점했어요.",
                          f"test cell {test.grade_id} missing from the submission; put back from source", test.grade_id)
            elif (submitted[test.grade_id].source.strip() != test.visible.strip()
                  or _claims(submitted[test.grade_id]) != _claims(source_cells[test.grade_id])):
                self.log.warning("Test cell %s was edited in the submission; graded as in the source", test.grade_id)
                flags.add(resources, "test_cell_edited", f"{title}의 채점 칸이 바뀌어 있었어요. 원래 칸으로 채점했어요.",
                          f"test cell {test.grade_id} differs from the release; graded from source", test.grade_id)
        return nb, resources
