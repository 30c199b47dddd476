"""A class from a roster file: names become accounts, mistakes are explained in Korean."""
import pytest

from course.errors import CourseError
from course.hub.roster import read_roster
from helpers import REPO


def write(tmp_path, text):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_sample_roster_has_one_instructor_and_three_learners():
    members = read_roster(REPO / "hub" / "roster.csv", prefix="t1")
    assert [(m.name, m.instructor) for m in members] == [
        ("t1instructor", True), ("t1learner1", False), ("t1learner2", False), ("t1learner3", False)]


@pytest.mark.parametrize("text, korean, english", [
    ("name,role\n김영희,learner\nboss,instructor\n", "계정 이름으로 쓸 수 없어요", ":2:"),
    ("name,role\nkim,student\nboss,instructor\n", "instructor 또는 learner", "role 'student'"),
    ("name,role\nkim,learner\n", "강사가 없어요", "at least one member must be an instructor"),
    ("name,role\nkim,learner\nkim,instructor\n", "같은 이름", "unique"),
])
def test_a_bad_roster_is_explained(tmp_path, text, korean, english):
    with pytest.raises(CourseError) as error:
        read_roster(write(tmp_path, text))
    assert korean in error.value.korean and english in error.value.english
