"""The tamper and fault corpus: every case graded as it deserves, in one batch, by each grader.

One class of assignment 00 (8 points: q1 1, q2 1, q3 1, q4 3, q5 2) hands in one
submission per case: the attacks that scored 6-8 of 8 on plain nbgrader or damaged the
course, the cheats of nbgrader's own corpus (``nbgrader/tests/apps/files``), adapted to
this notebook, clumsy learners' faults, and honest work. The whole class is graded in
one batch, once by plain ``nbgrader autograde`` with the course configuration and once by
``course grade`` on 2 Dask workers. For every case the score it deserves is stated by
hand beside it. Around each batch: ``source/``, ``release/`` and every submission are
byte-identical, the gradebook gains no table or trigger, no process a learner started is
left, the batch finishes, and no hidden test reaches an autograded notebook or a
feedback page.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
import pytest

from course.cycle import build, nbgrader
from course.grading import export, flags, sandbox, testcells
from course.grading.parallel import grade
from course.learners import write_learner
from course.report.data import load
from helpers import REPO, course_copy, item_scores, outside, running, scores, set_answers, set_cell

A = "00_getting_started"
ITEMS = ("q1_test", "q2_test", "q3_test", "q4_test", "q5_test")
RIGHT_Q3 = "steps_total = 5200 + 6800 + 7400\nsteps_total"
# No right answer: q1 a wrong key, q2 one course short, q4 only the wrong statement (0 right, 1 wrong: 0),
# q5 no step in its place (the key is 답하기, 저장하기, 제출하기, 피드백 읽기).
WRONG = {"q1": "Esc", "q2": "8", "q4": ["특별한 자격증이 꼭 있어야 해요."], "q5": ["저장하기", "답하기", "피드백 읽기", "제출하기"]}
RIGHT_Q1_Q2 = {"q1": "Shift + Enter", "q2": "9"}
# Each attempt prints "<name> blocked <error>" or "<name> LEAKED <what it got>".
ATTEMPT = '''
import os
def need(found):
    if not found:
        raise LookupError("nothing there")
    return found
def attempt(name, action):
    try:
        print(name, "LEAKED", repr(action())[:200])
    except Exception as error:
        print(name, "blocked", type(error).__name__)
'''
CELL_TIMEOUT, NOTEBOOK_TIMEOUT = 10, 25  # seconds, for this batch (COURSE_CELL_TIMEOUT, COURSE_NOTEBOOK_TIMEOUT)


@dataclass(frozen=True)
class Case:
    """One submission: what the learner did, the score it deserves, and the flags it must get.

    ``plain`` is the score under plain ``nbgrader autograde`` where it differs (``None``:
    nbgrader does not grade it; the class report names it instead).
    """

    learner: Callable[[Path, Path], None]
    score: float
    flags: tuple[tuple[str, str | None], ...] = ()
    plain: float | None | str = "same"
    course_flags: tuple[tuple[str, str | None], ...] | None = None  # ``course grade``'s flags where they differ
    items: dict[str, float] = field(default_factory=dict)  # per-item scores stated by hand, where it matters


def full(folder: Path, root: Path) -> None:
    write_learner("full", root / "source" / A / f"{A}.ipynb", folder)


def sample(kind: str):
    return lambda folder, root: write_learner(kind, root / "source" / A / f"{A}.ipynb", folder)


def full_with(code: str):
    """Every right answer, and ``code`` run first in the q3 answer cell."""
    def learner(folder: Path, root: Path) -> None:
        full(folder, root)
        set_cell(folder, A, "q3", f"{ATTEMPT}\n{code}\n{RIGHT_Q3}")
    return learner


def wrong_with(code: str):
    """No right answer, and ``code`` in the q3 answer cell."""
    def learner(folder: Path, root: Path) -> None:
        set_answers(folder, A, WRONG)
        set_cell(folder, A, "q3", code)
    return learner


def edit(change: Callable[[nbformat.NotebookNode], None], answers: dict | None = None, q3: str | None = None):
    """``change`` the submitted notebook itself, with ``answers`` and a q3 cell."""
    def learner(folder: Path, root: Path) -> None:
        set_answers(folder, A, answers or {})
        if q3:
            set_cell(folder, A, "q3", q3)
        path = folder / f"{A}.ipynb"
        nb = nbformat.read(str(path), as_version=4)
        change(nb)
        nbformat.write(nb, str(path))
    return learner


def cell(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def drop_tests(*grade_ids: str):
    def change(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    return change


def strip_metadata(grade_id: str):
    def change(nb):
        del cell(nb, grade_id).metadata["nbgrader"]
    return change


def set_source(grade_id: str, source: str):
    def change(nb):
        cell(nb, grade_id).source = source
    return change


def schema_too_new(nb):
    cell(nb, "q1_test").metadata.nbgrader["schema_version"] = 99


def points_as_text(nb):
    cell(nb, "q1_test").metadata.nbgrader["points"] = "many"


def linked_file(folder: Path, root: Path) -> None:
    full(folder, root)
    (folder / "notes.txt").symlink_to(root / "source" / A / f"{A}.ipynb")
    set_cell(folder, A, "q3", f'{ATTEMPT}\nattempt("linked-file", lambda: open("notes.txt").read(200))\n{RIGHT_Q3}')


def linked_notebook(folder: Path, root: Path) -> None:
    full(folder, root)
    (folder / f"{A}.ipynb").unlink()
    (folder / f"{A}.ipynb").symlink_to(root / "source" / A / f"{A}.ipynb")


def shadow_course(folder: Path, root: Path) -> None:
    set_answers(folder, A, WRONG)
    (folder / "course.py").write_text(
        "class Anything:\n    def __getattr__(self, name):\n        return lambda *args, **kwargs: None\n\n"
        "def start(*args, **kwargs):\n    return Anything()\n", encoding="utf-8")


def unreadable_answers(folder: Path, root: Path) -> None:
    (folder / f"{A}.answers.json").write_text("{not json", encoding="utf-8")
    set_cell(folder, A, "q3", RIGHT_Q3)


def own_data_file(folder: Path, root: Path) -> None:  # nbgrader's open_relative_file: a file handed in is read
    full(folder, root)
    (folder / "my_steps.txt").write_text("19400\n", encoding="utf-8")
    set_cell(folder, A, "q3", 'steps_total = int(open("my_steps.txt").read())\nsteps_total')


def slow_notebook(folder: Path, root: Path) -> None:
    """Ten cells of 3 s after the last graded item: no cell too long, the notebook is."""
    full(folder, root)
    path = folder / f"{A}.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    last = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    nb.cells[last + 1:last + 1] = [nbformat.v4.new_code_cell("import time\ntime.sleep(3)") for _ in range(10)]
    nbformat.write(nb, str(path))


def renamed(folder: Path, root: Path) -> None:  # JupyterLab's copy: "…-Copy1.ipynb", the original gone
    full(folder, root)
    (folder / f"{A}.ipynb").rename(folder / f"{A}-Copy1.ipynb")


def missing(folder: Path, root: Path) -> None:  # the answers saved, the notebook deleted
    full(folder, root)
    (folder / f"{A}.ipynb").unlink()


def corrupt(folder: Path, root: Path) -> None:
    full(folder, root)
    path = folder / f"{A}.ipynb"
    path.write_bytes(path.read_bytes()[:5000])  # cut off mid-file, as by a full disk


READ = '''
root = {root!r}
attempt("gradebook", lambda: open(os.path.join(root, "gradebook.db"), "rb").read(16))
attempt("gradebook-relative", lambda: open("../../../gradebook.db", "rb").read(16))
attempt("hidden-tests", lambda: open(os.path.join(root, "source", "{a}", "{a}.ipynb")).read(200))
attempt("own-notebook", lambda: open("{a}.ipynb").read(200))
attempt("release", lambda: os.listdir(os.path.join(root, "release")))
attempt("classmate", lambda: os.listdir(os.path.join(root, "submitted", "z_honest")))
attempt("classmates", lambda: need([n for n in os.listdir("../..") if n != "a_read"]))
attempt("exchange", lambda: os.listdir(os.path.join(root, "exchange")))
attempt("secret-env", lambda: os.environ["COURSE_TEST_SECRET"])
attempt("home", lambda: need([n for n in os.listdir(os.path.expanduser("~")) if n != ".ipython"]))
attempt("shadow", lambda: open("/etc/shadow").read(10) or need(""))
'''
WRITE = '''
import sqlite3
root = {root!r}
attempt("write-source", lambda: open(os.path.join(root, "source", "{a}", "evil.py"), "w").write("x"))
attempt("write-release", lambda: open(os.path.join(root, "release", "{a}", "evil.py"), "w").write("x"))
attempt("write-classmate", lambda: open(os.path.join(root, "submitted", "z_honest", "{a}", "{a}.answers.json"), "w").write("{{}}"))
attempt("write-gradebook", lambda: sqlite3.connect(os.path.join(root, "gradebook.db")).execute("create table evil (x)"))
attempt("write-course", lambda: open(os.path.join({course!r}, "evil.py"), "w").write("x"))
open("planted.txt", "w").write("stays in the kernel's own copy")
'''
NETWORK = '''
import socket
attempt("network", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3))
attempt("dns", lambda: socket.getaddrinfo("example.com", 80))
'''
PROCESSES = '''
import subprocess
started = []
try:
    for _ in range(300):  # bounded: the sandbox's task limit must stop it first
        started.append(subprocess.Popen(["sleep", "3141"]))
except OSError as error:
    print("tasks stopped at", len(started), type(error).__name__)
for process in started:
    process.kill()
    process.wait()
subprocess.Popen(["sleep", "2718"], start_new_session=True)  # meant to outlive grading
if os.fork() == 0:
    os.setsid()
    os.execv("/bin/sleep", ["sleep", "2719"])
'''
PEEK = """import glob
for path in [*glob.glob("*.ipynb"), *glob.glob("../../../source/*/*.ipynb"), "../../../gradebook.db"]:
    try:
        print(open(path, "rb").read().decode("utf-8", "ignore"))
    except OSError as error:
        print(error)
print(In)
get_ipython().input_transformers_post.append(lambda lines: print("NEXT CELL", lines) or lines)
steps_total = 5200 + 6800 + 7400"""
FORGED = ("from IPython.display import display\n"
          f"display({{{export.MIME!r}: {{'values': {{'steps_total': {{'type': 'int', 'value': '19400'}}}}}}}}, raw=True)\n"
          "steps_total = 1")


def corpus(root: Path, port: int) -> dict[str, Case]:
    """The cases by learner id; the score each deserves, worked out by hand, beside it."""
    course_dir = str(Path(sandbox.course.__file__).parent)
    no_q3 = dict.fromkeys(ITEMS, 1.0) | {"q3_test": 0.0, "q4_test": 3.0, "q5_test": 2.0}
    return {
        # --- reaching outside the kernel: blocked; every right answer still counts (8) --------------
        "a_read": Case(full_with(READ.format(root=str(root), a=A)), 8),
        "b_write": Case(full_with(WRITE.format(root=str(root), a=A, course=course_dir)), 8),
        "c_network": Case(full_with(NETWORK.format(port=port)), 8),
        "d_processes": Case(full_with(PROCESSES), 8),
        "e_linked_file": Case(linked_file, 8),  # a link to the instructor's notebook: nbgrader copies it, the kernel never sees it
        "f_side_effects": Case(full_with('open("side-effect.txt", "w").write("x")'), 8),  # nbgrader's side-effects.ipynb
        "g_own_file": Case(own_data_file, 8),  # nbgrader's open_relative_file.ipynb: legitimate, it must keep working
        # --- resources: the cell that overreaches loses its item (8 - 1), the rest is graded -----------
        "h_memory": Case(full_with("big = bytearray(3 * 1024 ** 3)"), 7, (("memory", "q3"),), items=no_q3),
        "i_print": Case(full_with('print("x" * (30 * 1024 * 1024))'), 8, (("output_cut", "q3"),)),
        "j_loop": Case(full_with("while True:\n    pass"), 7, (("cell_timeout", "q3"),), items=no_q3),  # nbgrader's infinite-loop
        "k_loop_printing": Case(full_with("while True:\n    print('x' * 1000)"), 7, (("cell_timeout", "q3"),), items=no_q3),
        "l_slow": Case(slow_notebook, 8, (("notebook_timeout", None),)),  # the time runs out after the last graded item
        "m_exit": Case(full_with("os._exit(1)"), 7, (("kernel_died", "q3"),), items=no_q3),  # answers saved before it count
        # --- cheating the grader, with no right answer: 0 --------------------------------------------
        "n_monkeypatch": Case(wrong_with("import course.notebook\n"
                                         "course.notebook.Notebook.grade = lambda *args, **kwargs: 99\n"
                                         "course.notebook.Notebook.grade_value = lambda *args, **kwargs: 99\n"
                                         "steps_total = 1"), 0),
        "o_transformer": Case(wrong_with("get_ipython().input_transformers_cleanup.append(lambda lines: [])\nsteps_total = 1"), 0),
        "p_always_equal": Case(wrong_with("class Same(int):\n    def __eq__(self, other):\n        return True\n\n"
                                          "steps_total = Same(1)"), 0),
        "q_forged_export": Case(wrong_with(FORGED), 0),  # only the test cell's own export is read
        "r_shadow_module": Case(shadow_course, 0),  # a course.py beside the notebook breaks the learner's own kernel only
        "s_sys_exit": Case(wrong_with("import sys\nsys.exit()"), 0),
        # nbgrader's submitted-cheat-attempt(-alternative).ipynb: tracebacks silenced, so failed tests print nothing
        "t_no_traceback": Case(wrong_with("import IPython.core.interactiveshell\n"
                                          "IPython.core.interactiveshell.InteractiveShell.showtraceback = lambda *a, **k: None\n"
                                          "steps_total = 1"), 0),
        "u_no_traceback_none": Case(wrong_with("import IPython.core.interactiveshell\n"
                                               "IPython.core.interactiveshell.InteractiveShell.showtraceback = None\n"
                                               "steps_total = 1"), 0),
        # --- the notebook's own cells changed -------------------------------------------------------
        # nbgrader's submitted-grade-cell-changed.ipynb: q1's test replaced by a print: graded from source/, q1 wrong: 0
        "v_test_edited": Case(edit(set_source("q1_test", 'print("Success!")'), WRONG), 0, (("test_cell_edited", "q1_test"),)),
        # two tests deleted, q1 right and q2 wrong: both put back and graded: 1
        "w_tests_deleted": Case(edit(drop_tests("q1_test", "q2_test"), {"q1": "Shift + Enter", "q2": "8"}), 1,
                                (("test_cell_deleted", "q1_test"), ("test_cell_deleted", "q2_test")),
                                items=dict.fromkeys(ITEMS, 0.0) | {"q1_test": 1.0}),
        # nbgrader's test-no-metadata.ipynb: q1's test made an ordinary cell, q1 right: the test is put back: 1 + q2 1
        "x_metadata_stripped": Case(edit(strip_metadata("q1_test"), RIGHT_Q1_Q2), 2, (("test_cell_deleted", "q1_test"),)),
        # nbgrader's submitted-locked-cell-changed.ipynb: the read-only setup cell broken: source/'s is run: 1 + 1 + q3 1
        "y_locked_changed": Case(edit(set_source("setup", "nb = None"), RIGHT_Q1_Q2, RIGHT_Q3), 3),
        # nbgrader's too-new.ipynb: a metadata version from the future on a test cell stopped plain nbgrader's whole
        # batch; the version is set right, the test graded from source/ and flagged as edited: q1 1, q2 1, q3 1
        "y_schema_too_new": Case(edit(schema_too_new, RIGHT_Q1_Q2, RIGHT_Q3), 3, (("test_cell_edited", "q1_test"),)),
        # metadata that does not validate (points as text): removed; the test graded from source/, flagged: 3
        "y_metadata_invalid": Case(edit(points_as_text, RIGHT_Q1_Q2, RIGHT_Q3), 3, (("test_cell_edited", "q1_test"),)),
        # --- faults of a clumsy learner -------------------------------------------------------------
        "za_peek": Case(wrong_with(PEEK), 1),  # reads what it can reach (no hidden test there), q3 right: 1
        "zb_unreadable_answers": Case(unreadable_answers, 1, (("answers_unreadable", None),)),  # no widget answer, q3 right
        # a link to the instructor's notebook: refused; course grade never sends a link to its workers, so it is missing there
        "zc_linked_notebook": Case(linked_notebook, 0, (("corrupt_notebook", None),), course_flags=(("missing_notebook", None),)),
        "zd_corrupt": Case(corrupt, 0, (("not_graded", None),), plain=None),
        "ze_renamed": Case(renamed, 8, (("renamed_notebook", None),), plain=None),  # plain nbgrader: "No notebooks found"
        "zf_missing": Case(missing, 0, (("missing_notebook", None),), plain=None),  # plain nbgrader never sees the folder
        # --- honest work ------------------------------------------------------------------------------
        "zg_blank": Case(sample("blank"), 0),
        "zh_partial": Case(sample("partial"), 4),  # test_assignment_00: q1, q2 right, q3 blank, q4 1 of 3, q5 1 of 2
        "zi_right_q1_q2_q3": Case(edit(lambda nb: None, RIGHT_Q1_Q2, RIGHT_Q3), 3),
        "z_honest": Case(full, 8),
    }


def hidden_lines() -> list[str]:
    """The code lines of every hidden test of 00's source."""
    nb = nbformat.read(str(REPO / "source" / A / f"{A}.ipynb"), as_version=4)
    lines = []
    for test in testcells.plan(nb).tests:
        hidden = re.search(r"BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", test.source, re.S)
        lines += [line.strip() for line in hidden.group(1).splitlines() if len(line.strip()) > 12 and not line.strip().startswith("#")]
    return lines


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 and the connections it received."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    server.close()


def plain_autograde(root: Path) -> None:
    nbgrader(["autograde", A, "--force"], root, check=False)


def course_grade(root: Path) -> None:
    grade(root, [A], workers=2, force=True)


@pytest.mark.parametrize("grader", [plain_autograde, course_grade], ids=["nbgrader-autograde", "course-grade"])
def test_every_corpus_case_is_graded_as_deserved_in_one_batch(grader, tmp_path, monkeypatch, listener):
    port, accepted = listener
    root = course_copy(tmp_path, [A])
    cases = corpus(root, port)
    assert len(cases) >= 24
    build([A], root)
    for student, case in cases.items():
        folder = root / "submitted" / student / A
        shutil.copytree(root / "release" / A, folder)
        case.learner(folder, root)
    before = outside(root)
    for name, value in {"COURSE_TEST_SECRET": "s3cr3t", "COURSE_CELL_TIMEOUT": str(CELL_TIMEOUT),
                        "COURSE_NOTEBOOK_TIMEOUT": str(NOTEBOOK_TIMEOUT)}.items():
        monkeypatch.setenv(name, value)

    grader(root)

    assert outside(root) == before
    assert not accepted and not running("3141") and not running("2718") and not running("2719")
    plain = grader is plain_autograde
    got = scores(root, A)
    report = load(root, [A]).flags
    for student, case in cases.items():
        deserved = case.plain if plain and case.plain != "same" else case.score
        if deserved is None:  # not graded by plain nbgrader: no score, or nbgrader's 0, and the report names it
            assert got.get(student, 0.0) == 0.0, student
            assert "not_graded" in set(report[report["student"] == student]["kind"]), student
            continue
        assert got.get(student) == deserved, (student, got.get(student), deserved)
        if case.items:
            assert item_scores(root, A, student) == case.items, student
        kinds = set(zip(report[report["student"] == student]["kind"], report[report["student"] == student]["item"]))
        kinds = {(kind, item if isinstance(item, str) else None) for kind, item in kinds}
        wanted = case.flags if plain or case.course_flags is None else case.course_flags
        assert set(wanted) <= kinds, (student, kinds)
        if not wanted:
            assert kinds == set(), (student, kinds)

    def said(student: str, grade_id: str) -> str:
        nb = nbformat.read(str(root / "autograded" / student / A / f"{A}.ipynb"), as_version=4)
        return "\n".join(o.get("text", "") + o.get("evalue", "") for o in cell(nb, grade_id).outputs)

    def attempts(student: str) -> dict[str, str]:
        found = [line.split() for line in said(student, "q3").splitlines()]
        return {words[0]: words[1] for words in found if len(words) >= 2 and words[1] in ("blocked", "LEAKED")}

    assert set(attempts("a_read").values()) == {"blocked"} and len(attempts("a_read")) == 11, attempts("a_read")
    assert set(attempts("b_write").values()) == {"blocked"} and len(attempts("b_write")) == 5, attempts("b_write")
    assert attempts("c_network") == {"network": "blocked", "dns": "blocked"}
    assert attempts("e_linked_file") == {"linked-file": "blocked"}
    stopped = [line for line in said("d_processes", "q3").splitlines() if line.startswith("tasks stopped at")]
    assert stopped and int(stopped[0].split()[3]) < 128
    for student, planted in (("b_write", "planted.txt"), ("f_side_effects", "side-effect.txt")):
        assert not (root / "autograded" / student / A / planted).exists()  # writes stayed in the kernel's copy
    assert (root / "autograded" / "i_print" / A / f"{A}.ipynb").stat().st_size < 3 * 2 ** 20 and "잘랐어요" in said("i_print", "q3")
    assert "아쉽지만 틀렸어요" in said("n_monkeypatch", "q1_test")  # graded, not skipped
    assert "이 칸까지 실행되지 않아서" in said("o_transformer", "q3_test")
    assert "답이 숫자가 아니에요" in said("p_always_equal", "q3_test")
    linked = root / "autograded" / "zc_linked_notebook" / A / f"{A}.ipynb"
    assert not linked.exists() or "19400" not in linked.read_text(encoding="utf-8")

    # The learner reads every flag in plain Korean on the feedback page.
    nbgrader(["generate_feedback", A, "--force"], root)
    pages = {path.parent.parent.name: path.read_text(encoding="utf-8") for path in (root / "feedback").rglob("*.html")}
    assert "채점할 때 있었던 일" in pages["j_loop"] and f"{CELL_TIMEOUT}초 안에 끝나지 않아서" in pages["j_loop"]
    assert "채점할 때 있었던 일" not in pages["z_honest"]
    if not plain:
        assert "'00_getting_started-Copy1.ipynb'(으)로 바뀌어 있어서" in pages["ze_renamed"]
        missing_flags = flags.read(root / "autograded" / "zf_missing" / A)
        assert [f["kind"] for f in missing_flags] == ["missing_notebook"] and "노트북이 없어서" in missing_flags[0]["message"]
    texts = [*pages.values(), *(path.read_text(encoding="utf-8") for path in (root / "autograded").rglob("*.ipynb"))]
    for line in ["BEGIN HIDDEN TESTS", *hidden_lines()]:
        for text in texts:
            assert line not in text and html.escape(line) not in text and json.dumps(line)[1:-1] not in text, line


# --- the rules behind two of the cases -------------------------------------------------------------

def test_a_renamed_notebook_is_paired_only_when_nothing_else_could_be_meant(tmp_path):
    from course.grading.notebooks import match

    made = []

    def folder(*names, link=None):
        where = tmp_path / str(len(made))
        made.append(where)
        where.mkdir()
        for name in names:
            (where / f"{name}.ipynb").write_text("{}", encoding="utf-8")
        if link:
            (where / f"{link}.ipynb").symlink_to(tmp_path)
        return where

    graded, known = ["07_fit2_data_lab"], ["07_fit2_data_lab", "my_data"]
    copy = folder("07_fit2_data_lab-Copy1", "my_data")
    assert match(graded, known, copy) == ({"07_fit2_data_lab": copy / "07_fit2_data_lab-Copy1.ipynb"}, [])
    assert match(graded, known, folder("07_fit2_data_lab")) == ({}, [])  # my_data has no points: not missing
    assert match(graded, known, folder("a", "b")) == ({}, ["07_fit2_data_lab"])  # two candidates: neither is taken
    assert match(graded, known, folder(link="a")) == ({}, ["07_fit2_data_lab"])  # a link is never taken
    assert match(graded, known, folder()) == ({}, ["07_fit2_data_lab"])


def test_the_feedback_page_says_each_flag_of_its_own_notebook_once(tmp_path):
    flags.write(tmp_path, "a", [{"kind": "cell_timeout", "message": "멈췄어요.", "detail": "", "item": "q3"}] * 2)
    flags.write(tmp_path, "b", [{"kind": "memory", "message": "메모리를 너무 많이 썼어요.", "detail": "", "item": None}])
    assert flags.notes(tmp_path, "a") == ["멈췄어요."]
    assert flags.notes("", "a") == [] and flags.notes(tmp_path / "nowhere", "a") == []
