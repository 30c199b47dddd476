"""The instructor's cells, run in the grader's own process: the hidden tests, scored outside the kernel.

For one notebook, :func:`grade_notebook` builds a fresh namespace from the SOURCE
notebook: it runs the setup cell and the widget questions (and the read-only cells they
need) in the headless grading mode of :func:`course.notebook.grading`, where answers
are read from the submitted answer file. Then it runs each hidden test with the values
the learner's kernel exported bound to their names, and returns what the test printed,
returned or raised as notebook outputs, in the form nbgrader's ``SaveAutoGrades`` reads
(a number as the last ``text/plain`` for partial credit, an ``error`` for 0).
"""
from __future__ import annotations

import ast
import contextlib
import io
import logging
import warnings
from pathlib import Path
from typing import Any, Mapping

from nbformat import NotebookNode
from nbformat.v4 import new_output

from course import friendly
from course.grading.export import Sent, restore_files
from course.grading.testcells import Plan, TestCell
from course.grading.values import from_plain
from course.notebook import Notebook, grading
from course.numbering import item_title

def not_run(grade_id: str) -> list[NotebookNode]:
    """The outputs of a test whose code blank's values never came back from the learner's kernel."""
    return error_outputs(AssertionError(
        f"{item_title(grade_id)}: 채점할 때 노트북이 이 칸까지 실행되지 않아서 빈칸의 답을 읽지 못했어요. "
        "위에서부터 모든 칸을 다시 실행해서, 중간에 멈추거나 지워진 칸이 없는지 확인해 주세요."
    ))


def grade_notebook(source_nb: NotebookNode, plan: Plan, exported: Mapping[str, Sent | None], answers: Path,
                   working: Path, instructor: Path, log: logging.Logger) -> tuple[dict[str, list[NotebookNode]], Notebook | None]:
    """Each test cell's outputs (by ``grade_id``), and the grading session the setup cell started.

    ``exported`` holds, per test cell, what its stub sent (``None``: nothing came).
    Answers are read from the folder ``answers``; the cells run in ``working``, as the
    notebook did (its data files are there); the files the values bring land there too,
    except over the instructor's own (``instructor``: the assignment's ``source/`` folder).
    A read-only cell that fails is logged to ``log``.
    """
    namespace: dict[str, Any] = {"__name__": "__main__"}
    outputs: dict[str, list[NotebookNode]] = {}
    tests = {test.position: test for test in plan.tests}
    with grading(answers), contextlib.chdir(working), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for position in sorted(plan.trusted | set(tests)):
            if position in tests:
                test = tests[position]
                outputs[test.grade_id] = grade_test(test, namespace, exported.get(test.grade_id), instructor)
            else:
                run_trusted(source_nb.cells[position], namespace, log)
    session = namespace.get("nb")
    return outputs, session if isinstance(session, Notebook) else None


def grade_test(test: TestCell, namespace: Mapping[str, Any], sent: Sent | None, instructor: Path) -> list[NotebookNode]:
    """Run one hidden test with the learner's values bound (and the files they name back in place); its outputs."""
    if test.exports and sent is None:
        return not_run(test.grade_id)
    scope = dict(namespace)
    if sent is not None:
        restore_files(sent.files, Path.cwd(), instructor)
        scope.update({name: from_plain(value) for name, value in sent.values.items() if name in test.exports})
    return execute(test.source, scope)


def run_trusted(cell: NotebookNode, namespace: dict[str, Any], log: logging.Logger) -> None:
    """Run one of the instructor's read-only cells, quietly; a failure is logged, not raised."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(cell.source, "<course cell>", "exec"), namespace)
    except Exception:  # the hidden test that needs this cell then fails with its own Korean sentence
        log.exception("Source cell %s failed while grading outside the kernel", cell.metadata.get("nbgrader", {}).get("grade_id"))


def execute(source: str, scope: dict[str, Any]) -> list[NotebookNode]:
    """Run ``source`` as a notebook cell would: its printed text, then its last expression's value or its error.

    Warnings are silenced around it (a library's FutureWarning must not cost points);
    anything else written to stderr is kept, and costs the cell its points, as in nbgrader.
    """
    printed, complained = io.StringIO(), io.StringIO()
    result: Any = None
    error: BaseException | None = None
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(complained):
        try:
            body, last = split_last_expression(ast.parse(source))
            exec(compile(body, "<hidden test>", "exec"), scope)
            if last is not None:
                result = eval(compile(last, "<hidden test>", "eval"), scope)
        except Exception as raised:  # a failed check, or a learner's value of the wrong kind
            error = raised
    streams = (("stdout", printed.getvalue()), ("stderr", complained.getvalue()))  # nbgrader: stderr scores 0, as in a kernel
    outputs = [new_output("stream", name=name, text=text) for name, text in streams if text]
    if error is not None:
        return outputs + error_outputs(error)
    if result is not None:
        outputs.append(result_output(result))
    return outputs


def split_last_expression(tree: ast.Module) -> tuple[ast.Module, ast.Expression | None]:
    """The cell's statements, and its last line when that is an expression (whose value the cell shows)."""
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        return ast.Module(body=tree.body[:-1], type_ignores=[]), ast.Expression(body=tree.body[-1].value)
    return tree, None


def result_output(value: Any) -> NotebookNode:
    """A cell's shown value: ``text/plain`` (a Score's bare number) and its HTML sentence when it has one."""
    data = {"text/plain": repr(value)}
    html = getattr(value, "_repr_html_", None)
    if callable(html):
        data["text/html"] = html()
    return new_output("execute_result", data=data, execution_count=None)


def error_outputs(error: BaseException) -> list[NotebookNode]:
    """The plain-Korean box above an error, and the error itself (no traceback: it would show the hidden test)."""
    line = f"{type(error).__name__}: {error}"
    box = new_output("display_data", data={"text/html": friendly.explanation_html(error, line), "text/plain": line})
    return [box, new_output("error", ename=type(error).__name__, evalue=str(error), traceback=[friendly.SEE_ABOVE])]
