"""What a source notebook's hidden tests need, found by reading its cells (nothing is run).

A graded test cell reads names. Those a learner's solution cell defines (a code blank's
value) must come from the learner's kernel, as data: they are the cell's *exports*.
Those the instructor's own read-only cells define (``nb``, ``pd``, a table loaded above)
the grader computes itself, by running those cells: the *trusted* cells, which are
also the setup cell and every widget question, with whatever read-only cells they need.
"""
from __future__ import annotations

import ast
import builtins
import copy
from dataclasses import dataclass, field

from nbformat import NotebookNode
from nbgrader.preprocessors import ClearHiddenTests

from course.cells import grading, is_check, question_calls

BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class TestCell:
    """One graded test cell of the source notebook."""

    grade_id: str
    position: int  # its index among the source notebook's cells
    source: str  # as the instructor wrote it, hidden tests included
    visible: str  # as released to learners, hidden tests removed
    exports: tuple[str, ...]  # names whose values the learner's kernel sends


@dataclass
class Plan:
    """How to grade one notebook outside the learner's kernel."""

    tests: list[TestCell] = field(default_factory=list)
    trusted: set[int] = field(default_factory=set)  # positions of the cells the grader runs itself

    def test(self, grade_id: str) -> TestCell | None:
        return next((test for test in self.tests if test.grade_id == grade_id), None)


def plan(source_nb: NotebookNode) -> Plan:
    """The test cells of ``source_nb``, what each exports, and the cells the grader runs itself."""
    cells = [_Cell.of(cell) for cell in source_nb.cells]
    found = Plan()
    for position, cell in enumerate(cells):
        if cell.kind == "question":
            found.trusted |= _needed(cells, position, cell.reads)
        elif cell.kind == "test":
            exports = tuple(sorted(name for name in cell.free if not _trusted_definer(cells, position, name, found)))
            found.tests.append(TestCell(cell.grade_id, position, cell.source, released(source_nb.cells[position]), exports))
    return found


def released(cell: NotebookNode) -> str:
    """A test cell's source as nbgrader releases it: its hidden tests removed."""
    shown = copy.deepcopy(cell)
    ClearHiddenTests()._remove_hidden_test_region(shown)
    return shown.source


@dataclass(frozen=True)
class _Cell:
    kind: str  # "question", "test", "solution", "locked" or "other"
    grade_id: str
    source: str
    reads: frozenset[str]  # every name it loads
    free: frozenset[str]  # names it loads and never binds itself
    binds: frozenset[str]  # names it assigns, imports, defines or changes in place

    @classmethod
    def of(cls, cell: NotebookNode) -> "_Cell":
        meta = grading(cell)
        try:
            tree = ast.parse(cell.source) if cell.cell_type == "code" else ast.Module(body=[], type_ignores=[])
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])
        reads = frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load))
        binds = _binds(tree)
        return cls(_kind(cell), str(meta.get("grade_id", "")), cell.source, reads - BUILTINS, reads - BUILTINS - binds, binds)


def _kind(cell: NotebookNode) -> str:
    meta = grading(cell)
    if cell.cell_type != "code":
        return "other"
    if is_check(cell) and not meta.get("solution"):
        return "test"
    if meta.get("solution"):
        return "solution"
    return "question" if question_calls(cell.source) else "locked"


def _binds(tree: ast.AST) -> frozenset[str]:
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            base = node.value
            while isinstance(base, (ast.Subscript, ast.Attribute)):
                base = base.value
            if isinstance(base, ast.Name):  # ``table["x"] = …`` changes ``table``
                bound.add(base.id)
    return frozenset(bound)


def _definer(cells: list[_Cell], before: int, name: str) -> int | None:
    """The last cell above ``before`` that binds ``name`` (test cells bind nothing that lasts)."""
    return next((position for position in range(before - 1, -1, -1)
                 if cells[position].kind != "test" and name in cells[position].binds), None)


def _needed(cells: list[_Cell], position: int, names: frozenset[str]) -> set[int]:
    """``position`` and the read-only cells above it that define ``names``, and what those need in turn."""
    needed, todo = {position}, [(position, name) for name in names]
    while todo:
        below, name = todo.pop()
        definer = _definer(cells, below, name)
        if definer is None or definer in needed or cells[definer].kind not in ("locked", "question"):
            continue
        needed.add(definer)
        todo += [(definer, read) for read in cells[definer].reads]
    return needed


def _trusted_definer(cells: list[_Cell], position: int, name: str, found: Plan) -> bool:
    """Whether the grader computes ``name`` itself (a read-only cell defines it); if so, that cell joins the plan."""
    definer = _definer(cells, position, name)
    if definer is None or cells[definer].kind not in ("locked", "question"):
        return False
    wanted = _needed(cells, definer, cells[definer].reads)
    if _reads_an_answer(cells, wanted):
        return False  # it depends on a learner's answer: the learner's own value is what counts
    found.trusted |= wanted
    return True


def _reads_an_answer(cells: list[_Cell], positions: set[int]) -> bool:
    """Whether any of these cells reads a name that a learner's solution cell defines."""
    for position in positions:
        for name in cells[position].reads:
            definer = _definer(cells, position, name)
            if definer is not None and cells[definer].kind == "solution":
                return True
    return False
