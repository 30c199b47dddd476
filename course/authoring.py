"""Build nbgrader notebooks from Python: cells with valid ``metadata.nbgrader``.

For course authors and tests. nbgrader's Create Assignment toolbar in JupyterLab
writes the same metadata; this module makes it for notebooks written as code.

>>> nb = notebook([markdown("intro", "# 안녕하세요"), test("q1_test", "assert True", points=1)])
>>> nb.cells[1].metadata.nbgrader["points"]
1
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SCHEMA_VERSION = 3


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def markdown(grade_id: str, text: str) -> NotebookNode:
    """A read-only text cell."""
    return new_markdown_cell(text.strip("\n"), metadata=_meta(grade_id, locked=True), id=grade_id)


def given(grade_id: str, source: str) -> NotebookNode:
    """A read-only code cell the learner runs (imports, questions, examples)."""
    return new_code_cell(source.strip("\n"), metadata=_meta(grade_id, locked=True), id=grade_id)


def answer(grade_id: str, source: str) -> NotebookNode:
    """An editable code cell: a learner's blank (``x = 1  ### BLANK`` -> ``x = ___``)."""
    return new_code_cell(source.strip("\n"), metadata=_meta(grade_id, solution=True), id=grade_id)


def test(grade_id: str, source: str, points: float) -> NotebookNode:
    """A graded, read-only test cell; its ``### BEGIN HIDDEN TESTS`` part never reaches learners."""
    return new_code_cell(source.strip("\n"), metadata=_meta(grade_id, grade=True, locked=True, points=points), id=grade_id)


def notebook(cells: list[NotebookNode]) -> NotebookNode:
    """A Python 3 notebook holding ``cells``."""
    nb = new_notebook(cells=cells)
    nb.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata.language_info = {"name": "python"}
    return nb


def write(nb: NotebookNode, path: str | Path) -> Path:
    """Validate and write ``nb`` to ``path``."""
    nbformat.validate(nb)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path
