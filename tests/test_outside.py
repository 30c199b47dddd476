"""Scores computed outside the learner's kernel (course.grading.outside), through nbgrader's real autograde.

Every learner below gives the answers stated beside it; the score each deserves is worked
out by hand. The attacks are the ones that scored 6-8 of 8 points on plain nbgrader.
"""
import html
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import plotly.express as px
import pytest

from course.cycle import nbgrader
from course.grading import export, flags, testcells
from course.grading.values import Unsupported, from_plain, to_plain
from course.notebook import ___, Blank
from helpers import REPO, autograde, course_copy, item_scores, set_answers, set_cell

A = "00_getting_started"
B = "03_big_data_tasting_1"
ITEMS_00 = ("q1_test", "q2_test", "q3_test", "q4_test", "q5_test")
# No right answer: q1 a wrong key, q2 one course short, q4 only the wrong statement (0 right, 1 wrong: 0),
# q5 no step in its place (key 답하기, 저장하기, 제출하기, 피드백 읽기).
WRONG = {"q1": "Esc", "q2": "8", "q4": ["특별한 자격증이 꼭 있어야 해요."], "q5": ["저장하기", "답하기", "피드백 읽기", "제출하기"]}
RIGHT_Q1_Q2 = {"q1": "Shift + Enter", "q2": "9"}


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


# --- attacks through nbgrader's real autograde --------------------------------------------------

def wrong_with(code):
    """No right answer, and ``code`` in the q3 code blank's cell."""
    def learner(folder):
        set_answers(folder, A, WRONG)
        set_cell(folder, A, "q3", code)
    return learner


def shadow_course(folder):
    set_answers(folder, A, WRONG)
    (folder / "course.py").write_text(
        "class Anything:\n    def __getattr__(self, name):\n        return lambda *args, **kwargs: None\n\n"
        "def start(*args, **kwargs):\n    return Anything()\n", encoding="utf-8")


def drop_cells(folder, *grade_ids):
    path = folder / f"{A}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.cells = [cell for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    nbformat.write(nb, str(path))


def deletes_two_tests(folder):
    set_answers(folder, A, {"q1": "Shift + Enter", "q2": "8"})
    drop_cells(folder, "q1_test", "q2_test")


def edits_a_test(folder):
    set_answers(folder, A, WRONG)
    set_cell(folder, A, "q1_test", 'print("맞았어요")')


def honest(folder):
    set_answers(folder, A, RIGHT_Q1_Q2)
    set_cell(folder, A, "q3", "steps_total = 5200 + 6800 + 7400\nsteps_total")


PEEK = """import glob
for path in [*glob.glob("*.ipynb"), *glob.glob("../../../source/*/*.ipynb"), "../../../gradebook.db"]:
    try:
        print(open(path, "rb").read().decode("utf-8", "ignore"))
    except OSError as error:
        print(error)
print(In)
get_ipython().input_transformers_post.append(lambda lines: print("NEXT CELL", lines) or lines)
steps_total = 5200 + 6800 + 7400"""


def unreadable_answers(folder):
    (folder / f"{A}.answers.json").write_text("{not json", encoding="utf-8")
    set_cell(folder, A, "q3", "steps_total = 5200 + 6800 + 7400\nsteps_total")
FORGED = export.MIME
ATTACKS = {
    "monkeypatch": wrong_with("import course.notebook\n"
                              "course.notebook.Notebook.grade = lambda *args, **kwargs: 99\n"
                              "course.notebook.Notebook.grade_value = lambda *args, **kwargs: 99\n"
                              "steps_total = 1"),
    "transformer": wrong_with("get_ipython().input_transformers_cleanup.append(lambda lines: [])\nsteps_total = 1"),
    "alwaysequal": wrong_with("class Same(int):\n    def __eq__(self, other):\n        return True\n\nsteps_total = Same(1)"),
    "forged": wrong_with("from IPython.display import display\n"
                         f"display({{{FORGED!r}: {{'values': {{'steps_total': {{'type': 'int', 'value': '19400'}}}}}}}}, raw=True)\n"
                         "steps_total = 1"),
    "shadow": shadow_course,
    "sysexit": wrong_with("import sys\nsys.exit()"),
    "deleted": deletes_two_tests,
    "edited": edits_a_test,
    "peek": wrong_with(PEEK),
    "unreadable": unreadable_answers,
    "honest": honest,
}


def hidden_lines(assignment):
    """The code lines of every hidden test of ``assignment``'s source."""
    nb = nbformat.read(str(REPO / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    lines = []
    for test in testcells.plan(nb).tests:
        hidden = re.search(r"BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", test.source, re.S)
        lines += [line.strip() for line in hidden.group(1).splitlines() if len(line.strip()) > 12 and not line.strip().startswith("#")]
    return lines


def test_no_attack_earns_a_point_and_honest_work_still_counts(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, ATTACKS)
    # Stated by hand. Every attacker gives no right answer (WRONG, and a wrong or missing q3), so 0, whatever
    # the attack did to the grader, the test cells or the value of steps_total:
    #   monkeypatch: course's grading functions replaced in the kernel: the kernel grades nothing;
    #   transformer: every later cell emptied, the stubs too: q3's value never comes back (0), widgets from the file;
    #   alwaysequal: an int that equals everything crosses as an unsupported value;
    #   forged: a made-up export in the answer cell is not read (only the test cell's own is); steps_total is 1;
    #   shadow: a course.py beside the notebook breaks the learner's own kernel only;
    #   sysexit: the kernel stops that cell, not the grading.
    # deleted: q1_test and q2_test deleted, both put back and graded: q1 right 1, q2 wrong 0: 1.
    # edited: q1_test replaced by a print: graded as the source has it, q1 wrong: 0.
    # peek: reads the notebooks it can reach, the gradebook and the kernel's history (no hidden test there), q3 right: 1.
    # unreadable: an answer file that is not JSON: no widget answer (flagged), q3 right: 1.
    # honest: q1 1, q2 1, q3 1: 3.
    assert got == {"monkeypatch": 0.0, "transformer": 0.0, "alwaysequal": 0.0, "forged": 0.0, "shadow": 0.0,
                   "sysexit": 0.0, "deleted": 1.0, "edited": 0.0, "peek": 1.0, "unreadable": 1.0, "honest": 3.0}
    assert item_scores(root, A, "deleted") == dict.fromkeys(ITEMS_00, 0.0) | {"q1_test": 1.0}
    assert item_scores(root, A, "honest") == dict.fromkeys(ITEMS_00, 0.0) | {"q1_test": 1.0, "q2_test": 1.0, "q3_test": 1.0}

    def said(student, grade_id):
        nb = nbformat.read(str(root / "autograded" / student / A / f"{A}.ipynb"), as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        return [o.get("evalue", "") + o.get("text", "") for o in cell.outputs]

    assert any("아쉽지만 틀렸어요" in line for line in said("monkeypatch", "q1_test"))  # graded, not skipped
    assert any("이 칸까지 실행되지 않아서" in line for line in said("transformer", "q3_test"))
    assert any("답이 숫자가 아니에요" in line for line in said("alwaysequal", "q3_test"))
    kinds = {student: sorted(flag["kind"] for flag in flags.read(root / "autograded" / student / A)) for student in ATTACKS}
    assert kinds["deleted"] == ["test_cell_deleted", "test_cell_deleted"]
    assert kinds["edited"] == ["test_cell_edited"] and kinds["unreadable"] == ["answers_unreadable"]
    assert kinds["honest"] == [] and kinds["monkeypatch"] == []

    nbgrader(["generate_feedback", A, "--force"], root)
    pages = list((root / "feedback").rglob("*.html"))
    assert len(pages) == len(ATTACKS)
    assert "이 칸까지 실행되지 않아서" in (root / "feedback" / "transformer" / A / f"{A}.html").read_text(encoding="utf-8")
    texts = [path.read_text(encoding="utf-8") for path in [*pages, *(root / "autograded").rglob("*.ipynb")]]
    for line in ["BEGIN HIDDEN TESTS", *hidden_lines(A)]:
        for text in texts:
            assert line not in text and html.escape(line) not in text and json.dumps(line)[1:-1] not in text, line


def test_answers_saved_before_os_exit_still_count(tmp_path):
    root = course_copy(tmp_path, [A])

    def exits(folder):
        set_answers(folder, A, RIGHT_Q1_Q2)
        set_cell(folder, A, "q3", "import os\nos._exit(1)")

    # Stated by hand: q1 and q2 right in the saved answers (1 + 1); the kernel dies in q3's cell, so q3 is 0,
    # and q4, q5 were never answered: 2.
    assert autograde(root, A, {"exits": exits}) == {"exits": 2.0}


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
