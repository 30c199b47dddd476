"""JupyterLab for the course: senior-friendly settings, the learner's own copies, the server."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from course.cycle import environment
from course.paths import assignments, course_root

OVERRIDES = Path(__file__).parent / "lab" / "overrides.json"


def settings_dir() -> Path:
    """Where JupyterLab reads ``overrides.json`` for this Python environment."""
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def install_settings() -> Path:
    """Korean interface and large fonts for every JupyterLab of this environment."""
    target = settings_dir() / "overrides.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, target)
    return target


def prepare_work(root: Path) -> list[str]:
    """Copy each released assignment into ``work/`` once; a learner's copy is never replaced."""
    copied = []
    for name in assignments(root):
        mine = root / "work" / name
        if not mine.exists() and (root / "release" / name).exists():
            shutil.copytree(root / "release" / name, mine)
            copied.append(name)
    return copied


def lab_command(root: Path, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that serves JupyterLab on the course folder, opened at ``work/``."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", "--LabApp.default_url=/lab/tree/work"]
    if port:
        command.append(f"--ServerApp.port={port}")
    if not browser:
        command.append("--no-browser")
    return command


def serve(port: int | None = None, browser: bool = True, extra: Sequence[str] = ()) -> int:
    """Set up and run JupyterLab until it is stopped (Ctrl+C)."""
    root = course_root()
    install_settings()
    prepare_work(root)
    return subprocess.call([*lab_command(root, port, browser), *extra], cwd=root, env=environment())
