"""environment.yml lists exactly the packages and version ranges of pyproject.toml."""
import re
import tomllib

import yaml

from helpers import REPO


def split(requirement):
    """``(name, version range)``; pip extras such as ``[binary]`` have no conda counterpart and are dropped."""
    name, spec = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(split(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
    conda = [d for d in environment if isinstance(d, str) and not d.startswith(("python", "pip"))]
    pip = next(d["pip"] for d in environment if isinstance(d, dict))
    listed = dict(split(r) for r in conda + [p for p in pip if not p.startswith("-e")])
    assert listed == wanted
    assert "-e ." in pip  # the course package itself
