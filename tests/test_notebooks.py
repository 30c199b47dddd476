"""Every source notebook: valid nbgrader metadata, totals that add up, a release in sync with no key."""
import ast
import json
import re

import nbformat
import pytest

from course.cycle import build, nbgrader
from course.learners import items
from helpers import REPO, course_copy

SOURCES = sorted((REPO / "source").glob("*/*.ipynb"))
#: Each assignment's graded notebook is named after it; any other notebook is an ungraded extra.
GRADED = [p for p in SOURCES if p.stem == p.parent.name]
EXTRAS = [p for p in SOURCES if p.stem != p.parent.name]
ALLOWED = {"grade", "solution", "locked", "task", "grade_id", "points", "checksum", "cell_type", "schema_version"}


def nbgrader_cells(nb):
    return [c for c in nb.cells if "nbgrader" in c.metadata]


def start_call(nb):
    for cell in nb.cells:
        for node in ast.walk(ast.parse(cell.source)) if cell.cell_type == "code" else []:
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "start":
                return ast.literal_eval(node.args[0]), {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    raise AssertionError("no course.start(...) call")


@pytest.mark.parametrize("path", GRADED, ids=lambda p: p.parent.name)
def test_metadata_is_valid_and_totals_add_up(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    cells = nbgrader_cells(nb)
    ids = [c.metadata.nbgrader["grade_id"] for c in cells]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    for cell in cells:
        meta = cell.metadata.nbgrader
        assert set(meta) <= ALLOWED and meta["schema_version"] == 3
        assert re.fullmatch(r"[a-zA-Z0-9_-]+", meta["grade_id"])
        if meta["grade"]:
            assert meta["points"] > 0
    graded = [c for c in cells if c.metadata.nbgrader["grade"]]
    name, totals = start_call(nb)
    assert name == path.stem == path.parent.name
    assert totals["items"] == len(graded)
    assert totals["points"] == sum(c.metadata.nbgrader["points"] for c in graded)
    assert 4 <= len(graded) <= 10
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "source is kept with outputs cleared"


@pytest.mark.parametrize("path", EXTRAS, ids=lambda p: p.stem)
def test_an_extra_notebook_is_ungraded_valid_and_cleared(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    assert not any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells), "only the main notebook is graded"
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "source is kept with outputs cleared"
    assert re.fullmatch(r"[a-z0-9_]+", path.stem), "an ASCII file name"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_every_graded_item_has_a_key_the_sample_learners_can_read(path):
    nb = nbformat.read(str(path), as_version=4)
    graded = items(nb)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) >= len([c for c in tests if "nb.grade(" in c.source or "nb.grade_value(" in c.source])


def test_release_is_in_sync_with_source(tmp_path):
    root = course_copy(tmp_path)
    build(root=root, release_dir="regenerated", db_url=f"sqlite:///{tmp_path / 'check.db'}")
    for released in sorted((REPO / "release").rglob("*")):
        if released.is_file():
            fresh = root / "regenerated" / released.relative_to(REPO / "release")
            assert fresh.exists(), f"{released} is not generated from source any more"
            assert fresh.read_bytes() == released.read_bytes(), f"{released} differs from source: run 'make build'"
    generated = {p.relative_to(root / "regenerated") for p in (root / "regenerated").rglob("*") if p.is_file()}
    committed = {p.relative_to(REPO / "release") for p in (REPO / "release").rglob("*") if p.is_file()}
    assert generated == committed


def test_release_carries_no_solution_or_key():
    for path in (REPO / "release").rglob("*"):
        assert not path.name.endswith(".answers.json"), f"an answer file was released: {path}"
        if path.suffix == ".ipynb":
            text = path.read_text(encoding="utf-8")
            for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "### BLANK", "nb.grade("):
                assert marker not in text, f"{marker!r} in {path}"


def test_one_line_blanks_reach_the_release():
    nb = json.loads((REPO / "release/00_getting_started/00_getting_started.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["metadata"]["nbgrader"].get("grade_id") == "q3")
    assert "".join(cell["source"]).startswith("steps_total = ___")


def test_course_config_loads_without_errors(tmp_path):
    root = course_copy(tmp_path, ["00_getting_started"])
    done = nbgrader(["generate_assignment", "00_getting_started", "--force"], root)
    assert "Exception while loading config" not in done.stderr
    assert "ERROR" not in done.stderr
