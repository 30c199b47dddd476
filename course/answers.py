"""Answers saved beside the notebook as data.

Widget state lives in the browser and in notebook metadata, and nbgrader throws both
away when it re-runs a submission in a fresh kernel. So every answer is written to
``<notebook>.answers.json`` in the notebook's folder the moment it is given. The file is
submitted with the notebook, restored when the notebook runs again, and is exactly what
the hidden tests grade.

Each entry keeps the answer's ``value``, its question ``kind``, when it was last saved
(``saved_at``) and when the question was first answered (``first_saved_at``, kept across
later changes; older files lack it): the instructor's report estimates time on task from them.
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from course.errors import CourseError

SUFFIX = ".answers.json"
FORMAT_VERSION = 1
READ_ONLY_LIMIT = 16 * 2**20  # bytes: a larger submitted answer file is not read by the grader


def answers_path(notebook: str, folder: str | os.PathLike | None = None) -> Path:
    """Where the answers of ``notebook`` (its name without ``.ipynb``) are kept."""
    return Path(folder or os.getcwd()) / f"{notebook}{SUFFIX}"


def read_entries(path: Path) -> dict[str, dict]:
    """The entries of an answer file, ``{question_id: {"value": …, "kind": …, "saved_at": …}}``.

    Read only: an unreadable file raises ``ValueError``, ``KeyError`` or ``TypeError`` and
    stays where it is (the instructor's report reads submissions this way).
    """
    answers = json.loads(Path(path).read_text(encoding="utf-8"))["answers"]
    if not isinstance(answers, dict):
        raise TypeError("'answers' is not an object")
    return {qid: entry for qid, entry in answers.items() if isinstance(entry, dict) and "value" in entry}


def refuse_for_grading(path: Path) -> None:
    """Raise ``ValueError`` for a submitted answer file the grader must not read: a link, or too large."""
    if path.is_symlink():
        raise ValueError("the answer file is a symbolic link")
    if path.stat().st_size > READ_ONLY_LIMIT:
        raise ValueError(f"the answer file is over {READ_ONLY_LIMIT} bytes")


class AnswerStore:
    """The saved answers of one notebook, keyed by question id.

    Reads are fresh from disk, so a grader sees what is on disk, not what a kernel
    remembers. Writes are atomic (temporary file, then rename), so a crash never
    leaves half a file. A file that cannot be read is kept aside, never deleted;
    a ``read_only`` store (the grader's) leaves it where it is and only notes it.
    """

    def __init__(self, notebook: str, folder: str | os.PathLike | None = None, read_only: bool = False) -> None:
        self.notebook = notebook
        self.path = answers_path(notebook, folder)
        self.read_only = read_only
        self.problem: str | None = None
        self.detail = ""  # the technical reason behind ``problem``, for the instructor

    def load(self) -> dict[str, Any]:
        """Return ``{question_id: value}``; an unreadable file is moved aside (unless read-only) and noted."""
        if not self.path.exists():
            return {}
        unreadable = (ValueError, KeyError, TypeError, OSError) if self.read_only else (ValueError, KeyError, TypeError)
        try:
            if self.read_only:
                refuse_for_grading(self.path)
            entries = read_entries(self.path)
        except unreadable as error:
            if self.read_only:
                self.problem = f"제출한 답 파일 '{self.path.name}'을(를) 읽을 수 없어서, 위젯 문제의 답이 없는 것으로 채점했어요."
                self.detail = f"unreadable answers file {self.path.name}: {error}"
                return {}
            kept = self._set_aside()
            self.problem = (
                f"저장된 답 파일을 읽을 수 없어서 '{kept.name}'(으)로 옮겨 두었어요. 답을 다시 골라 주세요."
            )
            return {}
        return {qid: entry["value"] for qid, entry in entries.items()}

    def get(self, question_id: str, default: Any = None) -> Any:
        """The saved value of one question, or ``default`` when none is saved."""
        return self.load().get(question_id, default)

    def save(self, question_id: str, value: Any, kind: str) -> None:
        """Save one answer, keeping every other saved answer as it was."""
        if self.read_only:
            raise CourseError("채점 중에는 답을 바꿀 수 없어요.", f"read-only answers {self.path}")
        entries = self._entries()
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        before = entries.get(question_id, {})
        entries[question_id] = {
            "value": value,
            "kind": kind,
            "saved_at": now,
            "first_saved_at": before.get("first_saved_at") or before.get("saved_at") or now,
        }
        payload = {"format": FORMAT_VERSION, "notebook": self.notebook, "answers": entries}
        self._write(json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True))

    def _entries(self) -> dict[str, dict]:
        return read_entries(self.path) if self.load() else {}

    def _write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".answers-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise CourseError(
                "답을 저장하지 못했어요. 폴더에 쓸 수 있는지 확인해 주세요.",
                f"cannot write {self.path}: {error}",
            ) from error

    def _set_aside(self) -> Path:
        number = 1
        while (kept := self.path.with_name(f"{self.path.name}.unreadable-{number}")).exists():
            number += 1
        os.replace(self.path, kept)
        return kept
