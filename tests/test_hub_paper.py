"""The classroom's configurations agree: hub/jupyterhub_config.py (make hub), hub/values.yaml
(Zero to JupyterHub) and hub/Dockerfile, on the course id, the groups and the exchange."""
import json
import os

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

from course.hub import COURSE_ID, GRADERS, STUDENTS
from course.hub.config import KINDS, nbgrader_config
from course.jupyterlab import INSTRUCTOR_PLUGINS, THEMES
from helpers import REPO

HUB = REPO / "hub"
K8S_EXCHANGE = "/srv/nbgrader/exchange"


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """hub/jupyterhub_config.py loaded as JupyterHub loads it, with a classroom's settings file."""
    folder = tmp_path_factory.mktemp("settings")
    settings = {
        "state": str(folder), "bin": "/venv/bin", "proxy": "/venv/node/configurable-http-proxy",
        "port": 1, "hub_port": 2, "proxy_api_port": 3, "service_port": 4,
        "hub_db": "postgresql+psycopg://course@127.0.0.1:5/jupyterhub",
        "gradebook_db": "postgresql+psycopg://course@127.0.0.1:5/gradebook",
        "exchange": "/classroom/exchange", "course_root": "/classroom/home/grader-bigdata-worker/bigdata-worker",
        "grader": "grader-bigdata-worker", "instructors": ["instructor"], "learners": ["learner1", "learner2", "learner3"],
        "config_dirs": {"member": "/classroom/jupyter/member", "service": "/classroom/jupyter/service"},
        "service_token": "s", "admin_token": "a",
    }
    (folder / "settings.json").write_text(json.dumps(settings))
    os.environ["COURSE_HUB_SETTINGS"] = str(folder / "settings.json")
    try:
        return PyFileConfigLoader("jupyterhub_config.py", str(HUB)).load_config()
    finally:
        del os.environ["COURSE_HUB_SETTINGS"]


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((HUB / "values.yaml").read_text(encoding="utf-8"))


def test_the_course_id_is_one_everywhere(local, values):
    graded = PyFileConfigLoader("grader_config.py", str(REPO)).load_config()
    assert graded.CourseDirectory.course_id == COURSE_ID
    service = local.JupyterHub.services[0]
    assert service["name"] == COURSE_ID and service["environment"]["COURSE_DB_URL"].startswith("postgresql+psycopg://")
    assert list(values["hub"]["services"]) == [COURSE_ID]
    assert values["hub"]["db"]["type"] == "postgres"


def test_groups_and_their_roles_agree(local, values):
    assert set(local.JupyterHub.load_groups) == {GRADERS, STUDENTS}
    assert set(values["hub"]["config"]["JupyterHub"]["load_groups"]) == {GRADERS, STUDENTS}
    roles = {role["name"]: role for role in local.JupyterHub.load_roles}
    for group in (GRADERS, STUDENTS):
        assert roles[group]["groups"] == values["hub"]["loadRoles"][group]["groups"] == [group]
        assert roles[group]["scopes"] == values["hub"]["loadRoles"][group]["scopes"]
    assert roles[GRADERS]["scopes"] == [f"access:services!service={COURSE_ID}"]
    grader = local.JupyterHub.services[0]["user"]
    assert grader in local.JupyterHub.load_groups[GRADERS]["users"]
    assert grader in values["hub"]["config"]["JupyterHub"]["load_groups"][GRADERS]["users"]


def test_the_exchange_and_the_learner_tools_agree(values):
    singleuser = values["singleuser"]
    mounts = {m["name"]: m["mountPath"] for m in singleuser["storage"]["extraVolumeMounts"]}
    assert mounts["exchange"] == K8S_EXCHANGE
    files = singleuser["extraFiles"]
    # The very settings every local server gets, with the volume's path for the exchange.
    assert files["nbgrader-config"]["stringData"] == nbgrader_config(K8S_EXCHANGE)
    assert "c.Exchange.path_includes_course = True" in nbgrader_config(K8S_EXCHANGE)
    config_dir = singleuser["extraEnv"]["JUPYTER_CONFIG_PATH"]
    assert all(f["mountPath"].startswith(config_dir + "/") for f in files.values())
    assert sorted(files["page-config"]["data"]["disabledExtensions"]) == sorted(INSTRUCTOR_PLUGINS)
    assert files["server-config"]["data"] == {"ServerApp": KINDS["member"]["server"]}


def test_the_image_is_built_from_environment_yml_with_the_course_settings(values):
    dockerfile = (HUB / "Dockerfile").read_text(encoding="utf-8")
    runs = " ".join(line for line in dockerfile.replace("\\\n", " ").splitlines() if line.startswith("RUN"))
    assert "mamba env update --name base --file environment.yml" in runs and "python -m course setup" in runs
    hook = " ".join(values["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert f"course/lab/{THEMES.name}" in hook  # the large fonts, as install_fonts does locally
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    assert any(str(d).startswith("jupyterhub") for d in environment)  # jupyterhub-singleuser in the image
