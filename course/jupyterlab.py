"""JupyterLab for the course: senior-friendly settings, the learner's own copies, the server."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from course.cycle import environment
from course.paths import WORK, assignments, course_root

OVERRIDES = Path(__file__).parent / "lab" / "overrides.json"
THEMES = Path(__file__).parent / "lab" / "themes.jupyterlab-settings"
# nbgrader's JupyterLab plugins that are not a learner's: hidden from learners (``disabledExtensions``).
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader"]
# nbgrader's plugins that work through an exchange (a hub); no use to a self-learner or the grader.
EXCHANGE_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list"]


def settings_dir() -> Path:
    """Where JupyterLab reads ``overrides.json`` for this Python environment."""
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"


def user_settings_dir(root: Path) -> Path:
    """The course's own JupyterLab user settings (``JUPYTERLAB_SETTINGS_DIR`` of ``course lab``)."""
    return root / ".lab-settings"


def install_settings(root: Path) -> list[Path]:
    """Korean interface (environment-wide ``overrides.json``) and large fonts.

    JupyterLab 4 applies theme font overrides from user settings only, so the fonts go
    into the course's own user-settings folder; a learner's later changes there are kept.
    """
    overrides = settings_dir() / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, overrides)
    fonts = user_settings_dir(root) / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    if not fonts.exists():
        fonts.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEMES, fonts)
    return [overrides, fonts]


def prepare_work(root: Path) -> list[str]:
    """Copy each released assignment into ``work/`` once; a learner's copy is never replaced."""
    copied = []
    for name in assignments(root):
        mine = root / WORK / name
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
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root
        command.append("--allow-root")
    return command


def serve(port: int | None = None, browser: bool = True, extra: Sequence[str] = ()) -> int:
    """Set up and run JupyterLab until it is stopped (Ctrl+C)."""
    root = course_root()
    install_settings(root)
    prepare_work(root)
    # The open tabs (workspace) are kept with the course too, so one course copy never
    # reopens the notebooks of another.
    env = {
        **environment(),
        "JUPYTERLAB_SETTINGS_DIR": str(user_settings_dir(root)),
        "JUPYTERLAB_WORKSPACES_DIR": str(user_settings_dir(root) / "workspaces"),
    }
    return subprocess.call([*lab_command(root, port, browser), *extra], cwd=root, env=env)
