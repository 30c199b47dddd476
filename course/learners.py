"""Sample learners made from ``source/``: full, blank, partial and mistakes.

- ``full``: every solution and every answer key from the source notebook (and, in a
  labeling task, the gold items' known labels: a careful learner labels every item).
- ``blank``: the release untouched.
- ``partial``: the 1st, 3rd, 5th … graded items answered right, the others left alone.
- ``mistakes``: the errors beginners make: a wrong choice, a typo in a name, a number
  typed as text, an exception left above the answer, a reversed order, every box ticked.

:func:`answers_from` fills in any mix of right, wrong and blank items (the generated class
of ``course.classroom`` varies learners that way), and :func:`fill_in` may stamp each
widget answer with the time it was saved.

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
from typing import Any, Mapping

import nbformat
from nbformat import NotebookNode

from course.answers import answers_path
from course.cells import WIDGET_FACTORIES
from course.errors import CourseError
from course.numbering import item_title
from course.preprocessors import BLANK_LINE

KINDS = ("full", "blank", "partial", "mistakes")
OUTCOMES = ("right", "wrong", "blank")


@dataclass
class Item:
    """One graded item of a source notebook."""

    qid: str
    key: Any
    factory: str | None = None  # widget kind, or None for a code blank
    options: Any = None  # a choice's options, when written as a literal
    solution: str | None = None  # the source of a code blank's cell
    grade_id: str = ""  # the graded test cell that grades this item
    prompt: str | None = None  # the question's text, when written as a literal
    practice: Mapping[str, str] | None = None  # a labeling task's gold items: labelled too, never graded

    @property
    def answer(self) -> Any:
        """The whole right answer a careful learner gives: the key, and the gold items' labels."""
        return {**self.key, **self.practice} if self.practice else self.key


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
                factory, options, prompt = _definition(cells.get(qid), qid)
                found.append(Item(qid, key, factory, options, grade_id=meta["grade_id"], prompt=prompt,
                                  practice=_gold_labels(factory, key)))
            elif call.func.attr in ("grade_value", "grade_parts"):
                qid = ast.literal_eval(call.args[0])
                key = ast.literal_eval(call.args[2]) if call.func.attr == "grade_value" else None
                found.append(Item(qid, key, solution=cells[qid].source, grade_id=meta["grade_id"]))
    return found


def _definition(cell: NotebookNode | None, qid: str) -> tuple[str, Any, str | None]:
    if cell is None:
        raise CourseError(f"{item_title(qid)}를 만드는 칸이 없어요.", f"no cell with grade_id {qid!r} defines the question")
    for call in _calls(cell.source):
        if call.func.attr in WIDGET_FACTORIES and call.args and ast.literal_eval(call.args[0]) == qid:
            options = _literal(call.args[2]) if len(call.args) > 2 else None
            prompt = _literal(call.args[1]) if len(call.args) > 1 else None
            return call.func.attr, options, prompt
    raise CourseError(f"{item_title(qid)}의 정의를 찾을 수 없어요.", f"cell {qid!r} has no nb.<kind>({qid!r}, …) call")


def _gold_labels(factory: str, key: Any) -> dict[str, str] | None:
    """The gold items' labels of the course's labeling task a ``label`` key grades, if it is one."""
    if factory != "label" or not isinstance(key, dict):
        return None
    from course.labeling import task_for  # the labeling tasks load their data: only for labeling questions

    task = task_for(key)
    return dict(task.gold) if task else None


def _literal(node: ast.AST) -> Any:
    """A literal argument's value; ``None`` for one computed at run time."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
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


def wrong_widget(item: Item, rule: int = 0) -> Any:
    """A typical wrong widget answer for ``item``; ``rule`` picks one of several (0: the classic one)."""
    key = item.answer
    if item.factory == "choice":
        wrong = [option for option in item.options if option != key]
        return wrong[rule % len(wrong)]
    if item.factory == "multi":
        if rule % 2 == 0:  # every box ticked
            return list(item.options)
        return [*key[:-1], next(option for option in item.options if option not in key)]  # one swapped
    if item.factory == "number":
        return key * 10 if key and rule % 2 == 0 else key + 1
    if item.factory == "text":
        return "모르겠어요"
    if item.factory == "order":
        return list(reversed(key)) if rule % 2 == 0 else [key[1], key[0], *key[2:]]
    if item.factory in ("sort_into", "label"):
        labels = sorted(set(key.values()))
        if rule % 2 == 0:  # everything given the first label
            return {entry: next(iter(key.values())) for entry in key}
        slips = {entry for n, entry in enumerate(key) if (n + rule) % 3 == 0}  # a third of the items slip
        return {entry: labels[(labels.index(label) + 1) % len(labels)] if entry in slips else label for entry, label in key.items()}
    raise CourseError("모르는 문제 종류예요.", f"unknown factory {item.factory!r}")


def answers_from(outcomes: Mapping[str, str], graded: list[Item], rule: int = 0) -> tuple[dict[str, Any], dict[str, str]]:
    """``(widget answers, code cell sources)`` with each item ``right``, ``wrong`` or ``blank`` (the default).

    ``rule`` varies the wrong answers (0 gives the classic beginner mistakes).
    """
    widgets: dict[str, Any] = {}
    code: dict[str, str] = {}
    for position, item in enumerate(graded):
        outcome = outcomes.get(item.qid, "blank")
        if outcome not in OUTCOMES:
            raise CourseError("답의 종류는 right, wrong, blank 가운데 하나예요.", f"unknown outcome {outcome!r}; known: {OUTCOMES}")
        if outcome == "blank":
            continue
        right = outcome == "right"
        if item.solution is not None:
            code[item.qid] = right_code(item.solution) if right else wrong_code(item.solution, len(code) + rule)
        else:
            widgets[item.qid] = item.answer if right else wrong_widget(item, rule + position if rule else 0)
    return widgets, code


def outcomes_for(kind: str, count: int) -> list[str]:
    """The outcome (``right``, ``wrong``, ``blank``) of each of ``count`` items for the sample learner ``kind``."""
    if kind not in KINDS:
        raise CourseError(f"'{kind}'(이)라는 예시 학습자는 없어요.", f"unknown sample learner {kind!r}; known: {KINDS}")
    outcome = {"full": lambda n: "right", "blank": lambda n: "blank",
               "partial": lambda n: "blank" if n % 2 else "right", "mistakes": lambda n: "wrong"}[kind]
    return [outcome(n) for n in range(count)]


def answers_for(kind: str, graded: list[Item]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(widget answers, code cell sources)`` of the sample learner ``kind``."""
    return answers_from(dict(zip((item.qid for item in graded), outcomes_for(kind, len(graded)))), graded)


def fill_in(folder: Path, notebook: str, widgets: Mapping[str, Any], code: Mapping[str, str],
            saved_at: Mapping[str, str] | None = None) -> None:
    """Write answers into the released copy ``folder/<notebook>.ipynb`` and its answer file.

    ``saved_at`` gives a widget answer's save time (ISO 8601), as the widgets record it.
    """
    target = folder / f"{notebook}.ipynb"
    nb = nbformat.read(str(target), as_version=4)
    for grade_id, cell in _cells(nb).items():
        if grade_id in code:
            cell.source = code[grade_id]
    nbformat.write(nb, str(target))
    if widgets:
        times = saved_at or {}
        entries = {
            qid: {"value": value, "kind": "sample", **({"saved_at": times[qid], "first_saved_at": times[qid]} if qid in times else {})}
            for qid, value in widgets.items()
        }
        answers_path(notebook, folder).write_text(
            json.dumps({"format": 1, "notebook": notebook, "answers": entries}, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def write_learner(kind: str, source_nb_path: Path, folder: Path) -> None:
    """Turn the released copy of one notebook in ``folder`` into the learner ``kind``'s work."""
    graded = items(nbformat.read(str(source_nb_path), as_version=4))
    fill_in(folder, source_nb_path.stem, *answers_for(kind, graded))


def make_learner(kind: str, assignment: str, root: Path, dest: Path) -> Path:
    """Copy ``release/<assignment>`` to ``dest`` and fill it in as the learner ``kind``."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root / "release" / assignment, dest)
    for source_nb in sorted((root / "source" / assignment).glob("*.ipynb")):
        write_learner(kind, source_nb, dest)
    return dest
