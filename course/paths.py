"""Where the course's folders are."""
from __future__ import annotations

import os
from pathlib import Path

from course.errors import CourseError


TEMPLATES = Path(__file__).parent / "templates"  # nbconvert templates (the Korean feedback page)
FEEDBACK_FILTERS = {  # the functions the feedback template calls (HTMLExporter.filters)
    "item_title": "course.numbering.item_title",
    "question_prompt": "course.cells.question_prompt",
    "notebook_title": "course.cells.notebook_title",
    "grading_notes": "course.grading.flags.notes",
}
WORK = "work"  # the folder of the learner's own copies of the released assignments


def course_root() -> Path:
    """The folder holding ``grader_config.py``: ``COURSE_ROOT``, else the repository."""
    candidates = [os.environ.get("COURSE_ROOT"), Path(__file__).resolve().parent.parent, Path.cwd()]
    for candidate in candidates:
        if candidate and (Path(candidate) / "grader_config.py").exists():
            return Path(candidate).resolve()
    raise CourseError(
        "강의 폴더를 찾을 수 없어요. 저장소 폴더 안에서 실행해 주세요.",
        "no grader_config.py found (set COURSE_ROOT to the course folder)",
    )


def assignments(root: Path | None = None) -> list[str]:
    """Every assignment id, in course order (the ids start with their number)."""
    source = (root or course_root()) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))


def notebooks(assignment: str, folder: str = "source", root: Path | None = None) -> list[Path]:
    """The notebooks of one assignment in ``folder`` (``source``, ``release`` …)."""
    root = root or course_root()
    known = assignments(root)
    if assignment not in known:
        raise CourseError(
            f"'{assignment}'(이)라는 과제가 없어요. 있는 과제: {', '.join(known)}",
            f"unknown assignment {assignment!r}; known: {known}",
        )
    found = sorted(p for p in (root / folder / assignment).glob("*.ipynb"))
    if not found:
        raise CourseError(
            f"'{folder}/{assignment}' 폴더에 노트북이 없어요.", f"no notebook in {folder}/{assignment}"
        )
    return found
