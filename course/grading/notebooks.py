"""Which submitted notebook is which: a renamed notebook is graded under its name, a missing one recorded.

A learner can rename the notebook by accident (JupyterLab's "이름 바꾸기", or a copy that
came back as ``… (1).ipynb``) or lose it. Plain nbgrader skips a notebook it does not
know, scores a missing one 0 without a word, and fails a submission whose only notebook
was renamed ("No notebooks found"; the class report then shows it as not graded).

``course grade`` grades each submission in a course folder of its own
(:mod:`course.grading.task`), so before nbgrader runs, :func:`settle` pairs the
assignment's notebooks with the submitted ones there. When exactly one of the
assignment's notebooks is missing and exactly one submitted notebook (a regular file,
not a link) has an unknown name, that one is the missing one, renamed: it is graded under
its own name and flagged ``renamed_notebook``. A notebook still missing is flagged
``missing_notebook`` and scores 0, as nbgrader scores it. The learner's real submission
is never changed.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence


def notebooks(root: Path, assignment: str) -> tuple[list[str], list[str]]:
    """The assignment's notebooks in ``source/`` (stems): those with points, and all of them."""
    graded, known = [], []
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        known.append(path.stem)
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        if any((cell.get("metadata", {}).get("nbgrader") or {}).get("points") for cell in cells):
            graded.append(path.stem)
    return graded, known


def match(graded: Sequence[str], known: Sequence[str], folder: Path) -> tuple[dict[str, Path], list[str]]:
    """The renamed notebooks of the submission ``folder`` (name → submitted file) and the missing ones.

    Only a notebook with points can be missing; an ungraded one (07's ``my_data``) left out is no loss.
    """
    submitted = sorted(folder.glob("*.ipynb"))
    present = {path.stem for path in submitted}
    missing = [name for name in graded if name not in present]
    unknown = [path for path in submitted if path.stem not in known and path.is_file() and not path.is_symlink()]
    if len(missing) == 1 and len(unknown) == 1:
        return {missing[0]: unknown[0]}, []
    return {}, missing


def renamed_flag(name: str, submitted: Path) -> dict:
    return {"kind": "renamed_notebook", "item": None, "notebook": name,
            "message": f"제출한 노트북의 이름이 '{submitted.name}'(으)로 바뀌어 있어서 '{name}.ipynb'(으)로 보고 채점했어요. "
                       "다음에는 노트북 이름을 바꾸지 말아 주세요.",
            "detail": f"{submitted.name} graded as {name}.ipynb"}


def missing_flag(name: str) -> dict:
    return {"kind": "missing_notebook", "item": None, "notebook": name,
            "message": f"제출한 과제에 '{name}.ipynb' 노트북이 없어서 이 노트북은 0점이에요. 노트북을 저장한 뒤 다시 제출해 주세요.",
            "detail": f"{name}.ipynb was not submitted"}


def settle(root: Path, assignment: str, folder: Path) -> list[dict]:
    """Give a renamed notebook in ``folder`` (a private copy of a submission) its own name; the flags to record."""
    renamed, missing = match(*notebooks(root, assignment), folder)
    for name, path in renamed.items():
        path.rename(folder / f"{name}.ipynb")
    return [renamed_flag(name, path) for name, path in renamed.items()] + [missing_flag(name) for name in missing]
