"""What a notebook cell is for: a question the learner answers, or the check under it.

The widget question is one call, ``nb.<kind>("q3", "문제 3 (2점). …", …)``; a graded
item's check is its test cell. Both are code a learner does not need to read: the
release shows them folded (``metadata.jupyter.source_hidden``) and the feedback page
shows the question's words, not its code.
"""
from __future__ import annotations

import ast
from typing import Any

from nbformat import NotebookNode

WIDGET_FACTORIES = {"choice", "multi", "number", "text", "order", "sort_into", "label"}
FINISH = "finish"  # ``nb.finish()``: the 채점받기 button that ends a notebook


def question_calls(source: str, kinds: set[str] = WIDGET_FACTORIES) -> list[ast.Call]:
    """The ``nb.<kind>(…)`` calls in ``source`` that draw a widget question (or another of ``kinds``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in kinds and isinstance(node.func.value, ast.Name) and node.func.value.id == "nb"
    ]


def question_prompt(source: str) -> str:
    """The words of the question drawn by ``source`` (empty when there is none)."""
    for call in question_calls(source):
        if len(call.args) > 1 and isinstance(call.args[1], ast.Constant) and isinstance(call.args[1].value, str):
            return call.args[1].value
    return ""


def grading(cell: NotebookNode) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_question(cell: NotebookNode) -> bool:
    """A read-only code cell that draws a widget question or the 채점받기 button."""
    meta = grading(cell)
    drawn = question_calls(cell.source, WIDGET_FACTORIES | {FINISH})
    return cell.cell_type == "code" and not meta.get("solution") and not meta.get("grade") and bool(drawn)


def is_check(cell: NotebookNode) -> bool:
    """A graded test cell: the check line under an answer, and the hidden test."""
    return cell.cell_type == "code" and bool(grading(cell).get("grade"))


def hide_code(nb: NotebookNode) -> int:
    """Fold the code of every question and check cell (it can be unfolded); returns how many."""
    folded = 0
    for cell in nb.cells:
        if is_question(cell) or is_check(cell):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            folded += 1
    return folded


def notebook_title(nb: NotebookNode) -> str:
    """The notebook's own title: its first Markdown heading, without the ``#``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""
