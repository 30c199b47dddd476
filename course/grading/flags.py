"""Grading flags: what went wrong while one notebook was graded, per learner and item.

A preprocessor records a flag with ``add(resources, kind, message, detail, item)``;
``WriteFlags``, last in ``Autograde.autograde_preprocessors``, writes the notebook's
flags to ``grading-flags.json`` in the learner's autograded folder, where the class
report, the grade export and the feedback page read them. ``message`` is the plain
Korean sentence the learner reads; ``detail`` is English, for the instructor.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, MutableMapping

from nbgrader.preprocessors import NbGraderPreprocessor

KEY = "course_flags"  # where flags wait in nbconvert's resources
FILE = "grading-flags.json"  # beside the autograded notebook
#: every kind a flag may have; the report's Korean names for them are course.report.page.FLAG_KINDS.
KINDS = frozenset({
    "kernel_died", "cell_timeout", "notebook_timeout", "memory", "output_cut", "missing_notebook",
    "renamed_notebook", "corrupt_notebook", "answers_unreadable", "test_cell_deleted", "test_cell_edited",
    "sandbox_unavailable",
})


def add(resources: MutableMapping[str, Any], kind: str, message: str, detail: str = "", item: str | None = None) -> dict:
    """Record one flag for the notebook being graded; ``item`` is a ``grade_id`` or ``None``."""
    if kind not in KINDS:
        raise ValueError(f"unknown flag kind {kind!r}; known: {sorted(KINDS)}")
    flag = {"kind": kind, "message": message, "detail": detail, "item": item}
    resources.setdefault(KEY, []).append(flag)
    return flag


def recorded(resources: MutableMapping[str, Any]) -> list[dict]:
    """The flags recorded so far for the notebook being graded."""
    return list(resources.get(KEY, []))


def read(folder: Path) -> list[dict]:
    """The flags written in ``folder`` (all notebooks); an unreadable file counts as none."""
    try:
        flags = json.loads((folder / FILE).read_text(encoding="utf-8"))["flags"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [flag for flag in flags if isinstance(flag, dict)] if isinstance(flags, list) else []


def notes(folder: str | Path, notebook: str) -> list[str]:
    """The Korean sentences of ``notebook``'s flags in ``folder``, once each: what its feedback page says."""
    if not folder:  # a page rendered without its folder (nbconvert's metadata.path unset)
        return []
    said = [flag.get("message", "") for flag in read(Path(str(folder))) if flag.get("notebook") in (notebook, None)]
    return [message for message in dict.fromkeys(said) if isinstance(message, str) and message]


def write(folder: Path, notebook: str, flags: list[dict]) -> Path:
    """Replace ``notebook``'s entries in ``folder/grading-flags.json``, keeping other notebooks'."""
    kept = [flag for flag in read(folder) if flag.get("notebook") != notebook]
    return _save(folder, kept + [{**flag, "notebook": notebook} for flag in flags])


def extend(folder: Path, flags: list[dict]) -> Path:
    """Add ``flags``, each naming its ``notebook``, to ``folder/grading-flags.json`` (those of a whole submission)."""
    for flag in flags:
        if flag["kind"] not in KINDS:
            raise ValueError(f"unknown flag kind {flag['kind']!r}")
    return _save(folder, [*flags, *read(folder)])


def _save(folder: Path, entries: list[dict]) -> Path:
    path = folder / FILE
    if entries or path.exists():
        partial = path.with_name(f".{FILE}.partial")
        partial.write_text(json.dumps({"flags": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, path)
    return path


class WriteFlags(NbGraderPreprocessor):
    """Write the graded notebook's flags beside it (last in the autograde preprocessors)."""

    def preprocess(self, nb, resources):
        folder = Path(resources["metadata"]["path"])
        write(folder, resources["nbgrader"]["notebook"], recorded(resources))
        return nb, resources
