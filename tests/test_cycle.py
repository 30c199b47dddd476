"""nbgrader's whole cycle with its real commands: exchange round trip, bad submissions, self-check."""
import csv
import json
import subprocess
import sys

from course import demo
from helpers import autograde, course_copy, item_scores, set_cell

A = "00_getting_started"


def test_exchange_round_trip_grades_feedback_and_export(tmp_path):
    root = course_copy(tmp_path, [A])
    lines = []
    rows = demo.run([A], root=root, report=lines.append)
    scores = {row["student_id"]: float(row["score"]) for row in rows}
    assert scores == {"full": 8.0, "blank": 0.0, "partial": 4.0, "mistakes": 2.0}  # as stated in test_assignment_00
    inbound = list((root / "exchange" / "bigdata-worker" / "inbound").iterdir())
    assert sorted(p.name.split("+")[0] for p in inbound) == ["blank", "full", "mistakes", "partial"]
    for learner in scores:  # feedback went back through the exchange to each learner
        fetched = list((root / ".demo" / learner / A / "feedback").rglob("*.html"))
        assert len(fetched) == 1
    page = (root / "feedback" / "full" / A / f"{A}.html").read_text(encoding="utf-8")
    assert "맞았어요" in page
    partial = (root / "feedback" / "partial" / A / f"{A}.html").read_text(encoding="utf-8")
    assert '<html lang="ko">' in partial and "점수: 4 / 8점" in partial  # the course's Korean feedback page
    assert "Student's answer" not in partial and "Score:" not in partial  # not nbgrader's English one
    with (root / "grades.csv").open(encoding="utf-8") as stream:
        assert len(list(csv.DictReader(stream))) == 4
    table = next(line for line in lines if line.startswith("assignment")).splitlines()  # the printed grade table
    assert table[0].split() == ["assignment", "(max)", "blank", "full", "mistakes", "partial"]
    assert table[1].split() == [A, "8", "0", "8", "2", "4"]


def test_a_corrupt_submission_is_named_and_the_others_are_still_graded(tmp_path):
    root = course_copy(tmp_path, [A])
    demo.build([A], root)
    demo.release([A], root)
    demo.learners_submit([A], ["full", "blank"], root)
    corrupt = root / "exchange" / "bigdata-worker" / "inbound"
    target = next(p for p in corrupt.iterdir() if p.name.startswith("blank+")) / f"{A}.ipynb"
    target.write_text('{"cells": [', encoding="utf-8")
    problems = demo.grade([A], root, report=lambda line: None)
    assert len(problems) == 1 and problems[0].startswith("blank:") and "손상" in problems[0] and f"{A}.ipynb" in problems[0]
    assert item_scores(root, A, "full")["q1_test"] == 1.0
    assert json.loads((root / "submitted" / "full" / A / f"{A}.answers.json").read_text(encoding="utf-8"))  # nothing lost


def test_an_endless_loop_loses_only_its_own_item(tmp_path):
    root = course_copy(tmp_path, [A])

    def loops(folder):
        from course.learners import write_learner
        write_learner("full", root / "source" / A / f"{A}.ipynb", folder)
        set_cell(folder, A, "q3", "while True:\n    pass")

    scores = autograde(root, A, {"looping": loops}, timeout=5)
    assert scores == {"looping": 7.0}  # 8 points less q3's 1
    assert item_scores(root, A, "looping")["q3_test"] == 0.0


def course_command(root, *args):
    env = {"COURSE_ROOT": str(root), "PATH": str(sys.prefix) + "/bin"}
    return subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, env=env, cwd=root)


def test_self_check_grades_a_copy_and_writes_feedback(tmp_path):
    root = course_copy(tmp_path, [A])
    mine = tmp_path / "mine"
    from course.learners import make_learner
    make_learner("partial", A, root, mine)
    done = course_command(root, "check", A, "--folder", str(mine))
    assert done.returncode == 0, done.stderr
    assert "점수 (score): 4 / 8" in done.stdout
    assert (root / "feedback" / "self" / A / f"{A}.html").exists()


def test_self_check_explains_bad_input(tmp_path):
    root = course_copy(tmp_path, [A])
    unknown = course_command(root, "check", "99_nothing")
    assert unknown.returncode == 2 and "과제가 없어요" in unknown.stderr and "unknown assignment" in unknown.stderr
    missing = course_command(root, "check", A, "--folder", str(tmp_path / "empty"))
    assert missing.returncode == 2 and "노트북" in missing.stderr and "없어요" in missing.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / f"{A}.ipynb").write_text("{", encoding="utf-8")
    corrupt = course_command(root, "check", A, "--folder", str(broken))
    assert corrupt.returncode == 2 and "손상" in corrupt.stderr and f"{A}.ipynb" in corrupt.stderr
    assert (broken / f"{A}.ipynb").read_text(encoding="utf-8") == "{"  # the learner's file is left as it was


def test_library_warnings_cost_no_points_but_other_stderr_still_does(tmp_path):
    from course.authoring import notebook, test, write

    root = course_copy(tmp_path, [])
    write(notebook([
        test("warned", 'import warnings\nwarnings.warn("an old pandas call", FutureWarning)', points=1),
        test("stderr", 'import sys\nprint("real trouble", file=sys.stderr)', points=1),
    ]), root / "source" / "99_warnings" / "99_warnings.ipynb")
    assert autograde(root, "99_warnings", {"kim": lambda folder: None}) == {"kim": 1.0}
    assert item_scores(root, "99_warnings", "kim") == {"warned": 1.0, "stderr": 0.0}
