"""The package's own exception: a Korean message for learners, English detail for instructors."""
from __future__ import annotations


class CourseError(Exception):
    """A problem the learner or instructor can act on.

    ``korean`` is the plain-Korean sentence shown to learners; ``english`` is the
    technical detail for instructors and logs. ``str(error)`` gives both, Korean first.

    Example
    -------
    >>> raise CourseError("파일을 찾을 수 없어요.", "missing file: data/x.csv")
    Traceback (most recent call last):
    ...
    course.errors.CourseError: 파일을 찾을 수 없어요. (missing file: data/x.csv)
    """

    def __init__(self, korean: str, english: str = "") -> None:
        self.korean = korean
        self.english = english
        super().__init__(f"{korean} ({english})" if english else korean)
