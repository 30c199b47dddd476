"""Sample learners made from ``source/``: full, blank, partial and mistakes.

- ``full``: every solution and every answer key from the source notebook.
- ``blank``: the release untouched.
- ``partial``: the 1st, 3rd, 5th … graded items answered right, the others left alone.
- ``mistakes``: the errors beginners make: a wrong choice, a typo in a name, a number
  typed as text, an exception left above the answer, a reversed order, every box ticked.

Keys are read from the source's hidden tests (``nb.grade("q1", KEY)``,
``nb.grade_value("q3", value, KEY)``; ``nb.grade_parts("q4", …)`` marks the code blank of
cell ``q4``) without running anything.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from course.answers import answers_path
from course.cells import WIDGET_FACTORIES
from course.errors import CourseError
from course.numbering import item_title
from course.preprocessors import BLANK_LINE

KINDS = ("full", "blank", "partial", "mistakes")


@dataclass
class Item:
    """One graded item of a source notebook."""

    qid: str
    key: Any
    factory: str | None = None  # widget kind, or None for a code blank
    options: Any = None  # a choice's options, when written as a literal
    solution: str | None = None  # the source of a code blank's cell


def _cells(nb: NotebookNode) -> dict[str, NotebookNode]:
    return {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")}


def _calls(source: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)]


def items(source_nb: NotebookNode) -> list[Item]:
    """The graded items of a source notebook, in order, with their keys."""
    cells = _cells(source_nb)
    found = []
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade") or cell.cell_type != "code":
            continue
        for call in _calls(cell.source):
            if call.func.attr == "grade":
                qid, key = ast.literal_eval(call.args[0]), ast.literal_eval(call.args[1])
                factory, options = _definition(cells.get(qid), qid)
                found.append(Item(qid, key, factory, options))
            elif call.func.attr in ("grade_value", "grade_parts"):
                qid = ast.literal_eval(call.args[0])
                key = ast.literal_eval(call.args[2]) if call.func.attr == "grade_value" else None
                found.append(Item(qid, key, solution=cells[qid].source))
    return found


def _definition(cell: NotebookNode | None, qid: str) -> tuple[str, Any]:
    if cell is None:
        raise CourseError(f"{item_title(qid)}를 만드는 칸이 없어요.", f"no cell with grade_id {qid!r} defines the question")
    for call in _calls(cell.source):
        if call.func.attr in WIDGET_FACTORIES and call.args and ast.literal_eval(call.args[0]) == qid:
            options = _literal(call.args[2]) if len(call.args) > 2 else None
            return call.func.attr, options
    raise CourseError(f"{item_title(qid)}의 정의를 찾을 수 없어요.", f"cell {qid!r} has no nb.<kind>({qid!r}, …) call")


def _literal(node: ast.AST) -> Any:
    """A literal argument's value; ``None`` for one computed at run time."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def right_code(solution: str) -> str:
    """A code blank answered right: the source line without its BLANK marker."""
    return BLANK_LINE.sub(lambda m: f"{m.group('target')} {m.group('solution')}", solution)


def wrong_code(solution: str, rule: int) -> str:
    """A code blank answered with one of three beginner mistakes (by ``rule % 3``)."""
    match = BLANK_LINE.search(solution)
    if match is None:
        raise CourseError("빈칸 줄이 없는 답 칸이에요.", "mistakes need a '### BLANK' line")
    target, value = match.group("target").rstrip("= \t"), match.group("solution")
    if rule % 3 == 0:  # a typo in the name: the last letter of its first word dropped
        line = re.sub(r"\w+", lambda m: m.group()[:-1] if len(m.group()) > 1 else m.group() * 2, target, count=1) + f" = {value}"
    elif rule % 3 == 1:  # a number typed as text
        line = f'{target} = "{value}"'
    else:  # the stub's exception left above the answer
        line = f"raise NotImplementedError()\n{target} = {value}"
    return solution[: match.start()] + line + solution[match.end():]


def wrong_widget(item: Item) -> Any:
    """A typical wrong widget answer for ``item``."""
    key = item.key
    if item.factory == "choice":
        return next(option for option in item.options if option != key)
    if item.factory == "multi":
        return list(item.options)
    if item.factory == "number":
        return key * 10 if key else 1
    if item.factory == "text":
        return "모르겠어요"
    if item.factory == "order":
        return list(reversed(key))
    if item.factory in ("sort_into", "label"):
        first = next(iter(key.values()))
        return {entry: first for entry in key}
    raise CourseError("모르는 문제 종류예요.", f"unknown factory {item.factory!r}")


def answers_for(kind: str, graded: list[Item]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(widget answers, code cell sources)`` of the sample learner ``kind``."""
    if kind not in KINDS:
        raise CourseError(f"'{kind}'(이)라는 예시 학습자는 없어요.", f"unknown sample learner {kind!r}; known: {KINDS}")
    widgets: dict[str, Any] = {}
    code: dict[str, str] = {}
    for position, item in enumerate(graded):
        if kind == "blank" or (kind == "partial" and position % 2):
            continue
        right = kind in ("full", "partial")
        if item.solution is not None:
            code[item.qid] = right_code(item.solution) if right else wrong_code(item.solution, len(code))
        else:
            widgets[item.qid] = item.key if right else wrong_widget(item)
    return widgets, code


def write_learner(kind: str, source_nb_path: Path, folder: Path) -> None:
    """Turn the released copy of one notebook in ``folder`` into the learner ``kind``'s work."""
    graded = items(nbformat.read(str(source_nb_path), as_version=4))
    widgets, code = answers_for(kind, graded)
    target = folder / source_nb_path.name
    nb = nbformat.read(str(target), as_version=4)
    for grade_id, cell in _cells(nb).items():
        if grade_id in code:
            cell.source = code[grade_id]
    nbformat.write(nb, str(target))
    if widgets:
        stem = source_nb_path.stem
        entries = {qid: {"value": value, "kind": "sample"} for qid, value in widgets.items()}
        answers_path(stem, folder).write_text(
            json.dumps({"format": 1, "notebook": stem, "answers": entries}, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def make_learner(kind: str, assignment: str, root: Path, dest: Path) -> Path:
    """Copy ``release/<assignment>`` to ``dest`` and fill it in as the learner ``kind``."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root / "release" / assignment, dest)
    for source_nb in sorted((root / "source" / assignment).glob("*.ipynb")):
        write_learner(kind, source_nb, dest)
    return dest
