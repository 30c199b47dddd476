"""JupyterLab for the course: senior-friendly settings, the learner's own copies, the server."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from course.cycle import environment
from course.home import URL as HOME_URL
from course.paths import WORK, assignments, course_root

OVERRIDES = Path(__file__).parent / "lab" / "overrides.json"
THEMES = Path(__file__).parent / "lab" / "themes.jupyterlab-settings"
CUSTOM_CSS = Path(__file__).parent / "lab" / "custom.css"

# nbgrader's JupyterLab plugins (ids from the installed @jupyter/nbgrader 0.9 package).
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader")
EXCHANGE_PLUGINS = ("@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list")
# Alone, a learner also needs neither the Nbgrader menu (its items open the panels above)
# nor the English "Validate" toolbar button: 채점받기 grades the notebook instead.
SELF_LEARNER_PLUGINS = ("@jupyter/nbgrader:menu", "@jupyter/nbgrader:validate-assignment")


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


def learner_config_dir(root: Path) -> Path:
    """The Jupyter configuration folder of ``course lab`` (its ``JUPYTER_CONFIG_DIR``)."""
    return user_settings_dir(root) / "config"


def install_learner_mode(root: Path) -> Path:
    """Learner mode for a self-learner: no instructor tools and no exchange panels,
    the course home page, folded question code without its first line, and the app
    exposed to the page so 채점받기 can save the notebook.

    Written as Jupyter configuration files (JupyterLab's ``labconfig/page_config.json``,
    a server config and ``custom/custom.css``); returns their folder.
    """
    folder = learner_config_dir(root)
    disabled = [*INSTRUCTOR_PLUGINS, *EXCHANGE_PLUGINS, *SELF_LEARNER_PLUGINS]
    files = {
        folder / "labconfig" / "page_config.json": {"disabledExtensions": {plugin: True for plugin in disabled}},
        folder / "jupyter_server_config.json": {
            "ServerApp": {"jpserver_extensions": {"course.home": True}},
            "LabApp": {"expose_app_in_browser": True, "custom_css": True},
        },
    }
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=1), encoding="utf-8")
    (folder / "custom").mkdir(exist_ok=True)
    shutil.copyfile(CUSTOM_CSS, folder / "custom" / "custom.css")
    return folder


#: A file chosen with an upload widget (07's my_data notebook) reaches the kernel in one websocket
#: message, which tornado limits to 10 MB unless told otherwise; a year's export .zip can be larger.
UPLOAD_MB = 200
UPLOAD_LIMIT = f'--ServerApp.tornado_settings={{"websocket_max_message_size": {UPLOAD_MB * 1024 * 1024}}}'


def lab_command(root: Path, port: int | None = None, browser: bool = True) -> list[str]:
    """The command that serves JupyterLab on the course folder, opened at the course home page."""
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", f"--LabApp.default_url={HOME_URL}"]
    if port:
        command.append(f"--ServerApp.port={port}")
    if not browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root
        command.append("--allow-root")
    command.append(UPLOAD_LIMIT)
    return command


def serve(port: int | None = None, browser: bool = True, extra: Sequence[str] = ()) -> NoReturn:
    """Set up, then become JupyterLab (``exec``) until it is stopped.

    The command replaces itself with the server rather than starting it as a child, so
    Ctrl+C or a SIGTERM from a supervisor reaches JupyterLab itself, which then stops
    its kernels: nothing is left running behind a stopped ``course lab``.
    """
    root = course_root()
    install_settings(root)
    prepare_work(root)
    config = install_learner_mode(root)
    # The open tabs (workspace) are kept with the course too, so one course copy never
    # reopens the notebooks of another.
    env = {
        **environment(),
        "JUPYTERLAB_SETTINGS_DIR": str(user_settings_dir(root)),
        "JUPYTERLAB_WORKSPACES_DIR": str(user_settings_dir(root) / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(config),
    }
    os.chdir(root)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [*lab_command(root, port, browser), *extra], env)
