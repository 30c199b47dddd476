"""nbgrader's real commands, run for the course: build, release, submit, grade, feedback.

Each step is one ``nbgrader`` command run in the course folder, with the virtual
environment's ``bin`` first on ``PATH`` (nbgrader calls ``alembic`` from there).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from course.answers import SUFFIX
from course.errors import CourseError
from course.paths import assignments, course_root


def environment() -> dict[str, str]:
    """The environment for nbgrader: this Python's ``bin`` first on ``PATH``."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    return env


def nbgrader(args: Sequence[str], root: Path | None = None, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` for the course; a failure raises ``CourseError`` with its log."""
    root = root or course_root()
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    done = subprocess.run(command, cwd=cwd or root, env=environment(), capture_output=True, text=True)
    if check and done.returncode != 0:
        raise CourseError(
            f"nbgrader '{args[0]}' 단계가 실패했어요. 아래 기록을 확인해 주세요.",
            f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-4000:]}",
        )
    return done


def validate_json(path: Path) -> None:
    """Refuse a notebook that is not readable JSON, naming the file."""
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CourseError(
            f"노트북 파일 '{path.name}'이(가) 손상되어 열 수 없어요. 백업본이나 새 복사본으로 다시 해 주세요.",
            f"not a readable notebook: {path}: {error}",
        ) from error


def remove_stray_answers(root: Path, assignment: str) -> list[Path]:
    """Answer files an instructor's test run left in ``source/``; they must never be released."""
    stray = sorted((root / "source" / assignment).glob(f"*{SUFFIX}*"))
    for path in stray:
        path.unlink()
    return stray


def build(names: Sequence[str] | None = None, root: Path | None = None, release_dir: str = "release", db_url: str | None = None) -> list[str]:
    """Generate the learners' release from ``source/`` (``nbgrader generate_assignment``)."""
    root = root or course_root()
    built = []
    for name in names or assignments(root):
        for notebook in (root / "source" / name).glob("*.ipynb"):
            validate_json(notebook)
        remove_stray_answers(root, name)
        extra = [f"--CourseDirectory.release_directory={release_dir}"]
        if db_url:
            extra.append(f"--CourseDirectory.db_url={db_url}")
        nbgrader(["generate_assignment", name, "--force", *extra], root)
        built.append(name)
    return built
