"""Errors of the Fit2 lab: what went wrong, in Korean for learners and English for instructors."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from course.errors import CourseError


class ExportError(CourseError):
    """A Samsung Health export that cannot be read as it is.

    ``file`` is the file (or folder) name and ``line`` the 1-based line number in
    that file when the problem is on one line. Both also appear in the message,
    so a learner can open the file and look.

    Example
    -------
    >>> raise ExportError("파일이 중간에 잘려 있어요.", "truncated row", file="a.csv", line=7)
    Traceback (most recent call last):
    ...
    course.fit2.errors.ExportError: 'a.csv' 7번째 줄: 파일이 중간에 잘려 있어요. (a.csv, line 7: truncated row)
    """

    def __init__(self, korean: str, english: str, *, file: str | Path | Any, line: int | None = None) -> None:
        self.file = Path(file).name if isinstance(file, str) else file.name  # also a zipfile.Path
        self.line = line
        self.message = korean  # without the file and line
        where_ko = f"'{self.file}'" + (f" {line}번째 줄" if line else "")
        where_en = self.file + (f", line {line}" if line else "")
        super().__init__(f"{where_ko}: {korean}", f"{where_en}: {english}")


class ArgumentError(CourseError, ValueError):
    """A function of the lab was called with a value it cannot use.

    The message names the argument and, where there is a fixed set, the allowed values.
    """


def allowed(values: Iterable[object]) -> str:
    """Format allowed values for a message: ``'a', 'b', 'c'``."""
    return ", ".join(repr(v) for v in values)


def require_columns(table: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    """Check that argument ``name`` is a DataFrame with ``columns``; else a clear ArgumentError."""
    if not isinstance(table, pd.DataFrame):
        raise ArgumentError(f"'{name}'에는 표를 넣어 주세요.",
                            f"{name}: expected a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ArgumentError(f"'{name}' 표에 {', '.join(missing)} 열이 없어요. 맞는 표를 넣었는지 확인해 주세요.",
                            f"{name}: missing column(s) {missing}; has {list(table.columns)}")
