"""The Jupyter configuration a hub's servers start with, written into folders on ``JUPYTER_CONFIG_PATH``.

Two kinds of server, two folders:

- ``member``: every learner's and instructor's own server. nbgrader's learner side (the
  Assignments panel, Validate, the course list) with the shared exchange; the instructor
  tools hidden (``disabledExtensions``) and the formgrader server extension off.
- ``service``: the course service, run by the grader account on the course folder, where
  instructors release, grade and write assignments (formgrader, Create Assignment). Its
  pages may be framed by the hub's own origin, so the formgrader's iframe loads under
  JupyterHub >= 4.1 (which sends ``frame-ancestors 'none'`` unless a server says otherwise).

The Korean interface comes from the environment's ``overrides.json`` (``course setup``);
the large fonts are a user setting copied into each home (``install_fonts``).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from course.hub import COURSE_ID
from course.jupyterlab import EXCHANGE_PLUGINS, INSTRUCTOR_PLUGINS, THEMES, UPLOAD_MB

FORMGRADER_EXTENSION = "nbgrader.server_extensions.formgrader"
FRAME_POLICY = "frame-ancestors 'self'"
KINDS = {
    "member": {"disabled": INSTRUCTOR_PLUGINS, "server": {
        "jpserver_extensions": {FORMGRADER_EXTENSION: False},
        # 07's my_data upload sends the export .zip in one websocket message (tornado's default: 10 MB).
        "tornado_settings": {"websocket_max_message_size": UPLOAD_MB * 1024 * 1024},
    }},
    "service": {"disabled": EXCHANGE_PLUGINS,
                "server": {"tornado_settings": {"headers": {"Content-Security-Policy": FRAME_POLICY}}}},
}


def nbgrader_config(exchange: str) -> str:
    """nbgrader's settings for every server on the hub (as in nbgrader's multiple-classes demo)."""
    return "\n".join([
        "# nbgrader on JupyterHub: one shared exchange, courses told apart by path, courses from hub groups.",
        "from nbgrader.auth import JupyterHubAuthPlugin",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {COURSE_ID!r}",
        f"c.Exchange.root = {exchange!r}",
        "c.Exchange.path_includes_course = True",
        "c.Authenticator.plugin_class = JupyterHubAuthPlugin",
        "",
    ])


def write_config_dirs(folder: Path, exchange: str) -> dict[str, Path]:
    """One readable config folder per kind of server in ``folder``; returns ``{kind: path}``."""
    made = {}
    for kind, settings in KINDS.items():
        target = folder / kind
        (target / "labconfig").mkdir(parents=True, exist_ok=True)
        (target / "nbgrader_config.py").write_text(nbgrader_config(exchange), encoding="utf-8")
        (target / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": settings["server"]}, indent=1))
        page = {"disabledExtensions": {plugin: True for plugin in settings["disabled"]}}
        (target / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1))
        made[kind] = target
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return made


def install_fonts(home: Path) -> Path:
    """The course's large fonts as the user's own JupyterLab setting (kept if already there)."""
    fonts = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension" / THEMES.name
    if not fonts.exists():
        fonts.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEMES, fonts)
    return fonts
