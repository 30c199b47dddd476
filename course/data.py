"""Finding the course's data files (``data/`` beside the notebooks' course folder)."""
from __future__ import annotations

import os
from pathlib import Path

from course.errors import CourseError


def data_dir() -> Path:
    """``COURSE_DATA`` if set, else the ``data/`` folder of the course repository."""
    configured = os.environ.get("COURSE_DATA")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "data"


def data_path(*parts: str) -> Path:
    """The path of a shipped data file, with a clear message when it is missing.

    >>> data_path("fit2").name
    'fit2'
    """
    path = data_dir().joinpath(*parts)
    if not path.exists():
        raise CourseError(
            f"데이터 파일 '{'/'.join(parts)}'을(를) 찾을 수 없어요. 강사에게 알려 주세요.",
            f"missing data file {path} (set COURSE_DATA to the data folder)",
        )
    return path
