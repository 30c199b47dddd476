"""The demo's generated class: reproducible from its seed, varied, with save times on every answer."""
import json
import shutil

import nbformat

from course.classroom import Classroom
from course.learners import KINDS, answers_for, items
from helpers import REPO

A = "00_getting_started"


def test_the_class_is_the_four_sample_learners_then_varied_ones_the_same_for_the_same_seed():
    one, again, other = Classroom(30, 7), Classroom(30, 7), Classroom(30, 8)
    assert one.ids[:4] == list(KINDS) and one.ids[4] == "learner05" and len(one.ids) == 30
    assert one.members == again.members and one.members != other.members
    skills = {round(member.skill, 2) for member in one.members.values() if member.kind is None}
    assert len(skills) > 20  # varied
    graded = items(nbformat.read(str(REPO / "source" / A / f"{A}.ipynb"), as_version=4))
    works = [one.work(learner, graded, A, 0) for learner in one.ids[4:]]
    assert len({tuple(sorted(work.outcomes.items())) for work in works}) > 10  # different mixes of right, wrong, blank
    assert one.work("full", graded, A, 0).widgets == answers_for("full", graded)[0]


def test_answers_are_written_with_save_times_in_one_sitting(tmp_path):
    folder = tmp_path / A
    shutil.copytree(REPO / "release" / A, folder)
    Classroom(30, 7).answer("full", REPO / "source" / A / f"{A}.ipynb", folder, position=2)
    entries = json.loads((folder / f"{A}.answers.json").read_text(encoding="utf-8"))["answers"]
    times = [entry["saved_at"] for entry in entries.values()]
    assert sorted(entries) == ["q1", "q2", "q4", "q5"]  # the widget items (q3 is a code blank)
    assert all(time.startswith("2021-06-03T") for time in times)  # the third assignment's day
    assert times == sorted(times) and all(entry["first_saved_at"] == entry["saved_at"] for entry in entries.values())
