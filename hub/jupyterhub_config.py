"""JupyterHub 6 for the course on one machine (``make hub``; see hub/README.md).

The classroom command (``python -m course hub``) starts PostgreSQL, creates the accounts,
writes a settings file and starts ``jupyterhub -f hub/jupyterhub_config.py`` as root with
``COURSE_HUB_SETTINGS`` naming that file. The course follows nbgrader's JupyterHub docs and
its ``demos/demo_multiple_classes``: a course service run by the grader account, the
``formgrade-<course>`` and ``nbgrader-<course>`` groups, ``JupyterHubAuthPlugin`` and
``Exchange.path_includes_course`` (in the servers' ``nbgrader_config.py``, course/hub/config.py).
"""
import json
import os
from pathlib import Path

from course.hub import COURSE_ID, GRADERS, STUDENTS
from course.hub.classroom import ADMIN_SERVICE

c = get_config()  # noqa: F821
settings = json.loads(Path(os.environ["COURSE_HUB_SETTINGS"]).read_text(encoding="utf-8"))
state = Path(settings["state"])
bin_dir = settings["bin"]
path = os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"])

# The hub, its proxy (configurable-http-proxy from npm) and its database, all on 127.0.0.1.
c.JupyterHub.bind_url = f"http://127.0.0.1:{settings['port']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings['hub_port']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy"]]
c.JupyterHub.db_url = settings["hub_db"]
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# Real Unix accounts log in with their own password; only the class may log in.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False  # no login session bookkeeping (containers have none)
c.Authenticator.allowed_users = set(settings["instructors"] + settings["learners"])

# Each member's own server runs as their account, in their home, with JupyterLab.
c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [str(Path(bin_dir) / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": path,
    "JUPYTER_CONFIG_PATH": settings["config_dirs"]["member"],
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}

# Groups and what they may do (nbgrader's demo): graders open the course service
# (formgrader); students discover it (the course list, JupyterHubAuthPlugin).
c.JupyterHub.load_groups = {
    GRADERS: {"users": settings["instructors"] + [settings["grader"]]},  # the formgrader asks about its own user
    STUDENTS: {"users": settings["instructors"] + settings["learners"]},
}
c.JupyterHub.load_roles = [
    {"name": "instructor", "users": settings["instructors"], "scopes": ["admin:users", "admin:servers"]},
    {"name": "server", "scopes": ["inherit"]},  # the course list asks the hub about services as its user
    {"name": GRADERS, "groups": [GRADERS], "scopes": [f"access:services!service={COURSE_ID}"]},
    {"name": STUDENTS, "groups": [STUDENTS], "scopes": ["list:services", f"read:services!service={COURSE_ID}"]},
    {"name": f"{COURSE_ID}-service", "services": [COURSE_ID],
     "scopes": ["list:users", "read:users", "list:groups", "read:groups", f"admin:groups!group={STUDENTS}"]},
    {"name": ADMIN_SERVICE, "services": [ADMIN_SERVICE],
     "scopes": ["admin:users", "admin:servers", "admin:server_state", "tokens", "access:servers", "list:users",
                "read:users"]},
]
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{settings['service_port']}",
        "command": [str(Path(bin_dir) / "jupyterhub-singleuser")],
        "user": settings["grader"],
        "cwd": settings["course_root"],
        "oauth_no_confirm": True,
        "environment": {
            "PATH": path,
            "HOME": str(Path(settings["course_root"]).parent),
            "JUPYTER_CONFIG_PATH": settings["config_dirs"]["service"],
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "COURSE_ROOT": settings["course_root"],
            "COURSE_EXCHANGE": settings["exchange"],
            "COURSE_DB_URL": settings["gradebook_db"],
            "PYTHONWARNINGS": "ignore::DeprecationWarning",
        },
        "api_token": settings["service_token"],
    },
    {"name": ADMIN_SERVICE, "api_token": settings["admin_token"]},  # the classroom command and its tests
]
