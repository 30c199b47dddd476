"""Scores computed outside the learner's kernel (course.grading.outside), through nbgrader's real autograde.

Values cross the kernel's edge as data; code blanks and ``grade_parts`` cannot be faked.
Every learner below gives the answers stated beside it; the score each deserves is worked
out by hand. The whole tamper corpus, in one batch, is tests/test_tamper_corpus.py.
"""
import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import plotly.express as px
import pytest

from course.cycle import nbgrader
from course.grading import export, testcells
from course.grading.values import Unsupported, from_plain, to_plain
from course.notebook import ___, Blank
from helpers import REPO, autograde, course_copy, item_scores, set_cell

A = "00_getting_started"
B = "03_big_data_tasting_1"
ITEMS_00 = ("q1_test", "q2_test", "q3_test", "q4_test", "q5_test")


def trade(value):
    return json.loads(json.dumps(to_plain(value)))  # through JSON, as it leaves the kernel


# --- values cross as data ---------------------------------------------------------------------

@pytest.mark.parametrize("value", [None, True, 19400, 2**80, 34.8, "Korea, Rep.", [1, (2, "셋")], {"a": 1, 2: [None]},
                                   np.float64(0.75), np.int64(7), np.bool_(False)])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = from_plain(trade(value))
    assert back == value and type(back) is type(value)


def test_a_float_comes_back_exactly_and_nan_too():
    assert from_plain(trade(0.1 + 0.2)) == 0.1 + 0.2
    assert np.isnan(from_plain(trade(float("nan"))))


def test_tables_keep_dtypes_index_and_names_so_equals_works():
    gapminder = px.data.gapminder()
    korea = gapminder[gapminder["country"] == "Korea, Rep."]  # an index of 840..851, not 0..11
    assert from_plain(trade(korea)).equals(korea)
    population = from_plain(trade(gapminder["pop"]))
    assert population.equals(gapminder["pop"]) and population.name == "pop"
    assert from_plain(trade(korea.columns)).equals(korea.columns)
    mixed = pd.DataFrame({"kind": pd.Categorical(["a", "b"]), "n": pd.array([1, None], dtype="Int64"),
                          "text": pd.Series(["x", "y"], dtype=object)}, index=pd.Index(["r1", "r2"], name="row"))
    back = from_plain(trade(mixed))
    assert back.equals(mixed) and list(back.dtypes) == list(mixed.dtypes) and back.index.name == "row"


def test_arrays_and_figures_come_back_as_data():
    assert np.array_equal(from_plain(trade(np.arange(6).reshape(2, 3))), np.arange(6).reshape(2, 3))
    gapminder = px.data.gapminder()
    korea = gapminder[gapminder["country"] == "Korea, Rep."]
    figure = from_plain(trade(px.line(korea, x="year", y="gdpPercap")))
    assert figure.data[0].type == "scatter" and "lines" in figure.data[0].mode
    assert figure.layout.xaxis.title.text == "year" and list(figure.data[0].y) == korea["gdpPercap"].tolist()


def test_the_blank_comes_back_as_the_graders_blank():
    assert from_plain(trade(___)) is ___ and isinstance(from_plain(trade(___)), Blank)


class AlwaysEqual:
    def __eq__(self, other):
        return True


class SameInt(int):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [AlwaysEqual(), SameInt(3), [AlwaysEqual()], {"x": AlwaysEqual()}, {1, 2},
                                   pd.DataFrame({"x": [AlwaysEqual()]}), np.array([AlwaysEqual()]), lambda: True])
def test_anything_else_crosses_as_unsupported_and_fails_every_check(value):
    back = from_plain(trade(value))
    assert isinstance(back, Unsupported)
    assert not back == 3 and back != 3 and not back
    with pytest.raises(AttributeError):
        back.equals(3)


@pytest.mark.parametrize("data", [None, "x", {"type": "int"}, {"type": "int", "value": "1" * 5000},
                                  {"type": "ndarray", "value": "not base64!"}, {"type": "DataFrame", "value": "AAAA"},
                                  {"type": "Figure", "value": '{"data": [{"type": "nonsense"}]}'}, {"type": "eval", "value": "1"}])
def test_malformed_data_from_a_kernel_is_unsupported_never_a_crash(data):
    assert isinstance(from_plain(data), Unsupported)


def test_a_stub_reports_only_the_names_its_test_reads():
    values = {"steps_total": to_plain(19400), "nb": to_plain(99), "gone": export.UNDEFINED}
    outputs = [{"output_type": "display_data", "data": {export.MIME: {"values": values, "files": {}}}}]
    assert export.read(outputs, ["steps_total", "gone"]).values == {"steps_total": {"type": "int", "value": "19400"}}
    assert export.read([{"output_type": "stream", "text": "hi"}], ["steps_total"]) is None  # the stub never ran
    assert export.stub([]) == "" and "steps_total" in export.stub(["steps_total"])


def test_files_a_value_names_travel_with_it_and_land_only_inside_the_folder(tmp_path, monkeypatch):
    kernel, grader = tmp_path / "kernel", tmp_path / "grader"
    (kernel / "fit2_dataset").mkdir(parents=True)
    grader.mkdir()
    (kernel / "fit2_dataset" / "dataset.csv").write_text("time,label\n1,수면\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not the learner's", encoding="utf-8")
    monkeypatch.chdir(kernel)
    values = {"written": to_plain({"csv": Path("fit2_dataset/dataset.csv"), "up": Path("../secret.txt")})}
    files = export.packed_files(values)
    assert list(files) == ["fit2_dataset/dataset.csv"]  # a file outside the notebook's folder stays behind
    instructor = tmp_path / "source"
    instructor.mkdir()
    (instructor / "SOURCES.md").write_text("the instructor's", encoding="utf-8")
    (grader / "SOURCES.md").write_text("the instructor's", encoding="utf-8")
    packed = files["fit2_dataset/dataset.csv"]
    forged = {**files, "../escape.txt": packed, "other.ipynb": packed, "SOURCES.md": packed}
    assert export.restore_files(forged, grader, instructor) == [grader / "fit2_dataset" / "dataset.csv"]
    assert (grader / "fit2_dataset" / "dataset.csv").read_text(encoding="utf-8") == "time,label\n1,수면\n"
    assert not (tmp_path / "escape.txt").exists() and not (grader / "other.ipynb").exists()
    assert (grader / "SOURCES.md").read_text(encoding="utf-8") == "the instructor's"


def test_the_plan_exports_only_what_solution_cells_define():
    def plan(assignment):
        return testcells.plan(nbformat.read(str(REPO / "source" / assignment / f"{assignment}.ipynb"), as_version=4))

    assert {t.grade_id: t.exports for t in plan(A).tests if t.exports} == {"q3_test": ("steps_total",)}
    assert {t.grade_id: t.exports for t in plan(B).tests if t.exports} == {
        "q5_test": ("population",), "q6_test": ("country_name", "korea"), "q8_test": ("longest", "sort_column")}
    tasting = plan("04_big_data_tasting_2")  # `steps` comes from a read-only cell: the grader loads it itself
    assert [t.exports for t in tasting.tests if t.grade_id == "q7_test"] == [("by_month",)]
    assert "nb.grade(" not in "".join(t.visible for t in tasting.tests)


# --- the attacks through nbgrader's real autograde: tests/test_tamper_corpus.py ------------------


# --- code blanks and grade_parts (03) -------------------------------------------------------------

ANYTHING = """class Anything:
    name = "pop"
    def __eq__(self, other):
        return Anything()
    def __bool__(self):
        return True
    def __len__(self):
        return 142
    def __getitem__(self, key):
        return Anything()
    def all(self):
        return True
    def equals(self, other):
        return True
    def tolist(self):
        return Anything()

population = Anything()"""


def fakes_every_blank(folder):
    set_cell(folder, B, "q5", ANYTHING)
    set_cell(folder, B, "q6", 'country_name = "Korea, Rep."\nkorea = Anything()')
    set_cell(folder, B, "q8", 'sort_column = "lifeExp"\nlongest = Anything()')


def patches_grade_parts(folder):
    set_cell(folder, B, "q5", "import course.notebook\ncourse.notebook.Notebook.grade_parts = lambda *args, **kwargs: 99\n"
                              'population = df["country"]')


def test_fakes_and_patches_earn_nothing_in_code_blanks_and_grade_parts(tmp_path):
    root = course_copy(tmp_path, [B])
    got = autograde(root, B, {"full": "full", "fakes": fakes_every_blank, "patches": patches_grade_parts})
    # Stated by hand: full 15 (test_assignment_03). fakes: no widget answer; q5, q6 and q8 hold objects that
    # equal and contain everything: each crosses as an unsupported value and fails every part: 0.
    # patches: grade_parts replaced in the kernel, q5 the country column: both parts wrong, 0; nothing else: 0.
    assert got == {"full": 15.0, "fakes": 0.0, "patches": 0.0}
    assert item_scores(root, B, "full")["q8_test"] == 2.0


def test_a_test_cell_missing_from_source_scores_nothing_rather_than_full_marks(tmp_path):
    import shutil

    from course.cycle import build
    from course.learners import write_learner

    root = course_copy(tmp_path, [A])
    build([A], root)
    folder = root / "submitted" / "full" / A
    shutil.copytree(root / "release" / A, folder)
    write_learner("full", root / "source" / A / f"{A}.ipynb", folder)
    source = root / "source" / A / f"{A}.ipynb"
    nb = nbformat.read(str(source), as_version=4)
    nb.cells = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") != "q5_test"]
    nbformat.write(nb, str(source))  # the gradebook still has q5_test; source/ no longer grades it
    nbgrader(["autograde", A, "--force"], root, check=False)
    # Stated by hand: full answers, but q5 (2 points) has no hidden test left to run: 8 - 2 = 6.
    assert item_scores(root, A, "full") == dict.fromkeys(ITEMS_00, 1.0) | {"q4_test": 3.0, "q5_test": 0.0}
