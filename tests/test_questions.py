"""Each question kind's normalisation and scoring, with expected values worked out by hand."""
import pytest

from course.errors import CourseError
from course.questions import Choice, MultiChoice, Number, Order, SortInto, Text, normalise_text, parse_number


@pytest.mark.parametrize("raw, expected", [
    ("  Ｃｒｏｗｄ   Work ", "crowd work"),  # full-width letters, case, runs of spaces
    ("크라우드\t워크", "크라우드 워크"),
    ("ＡＩ", "ai"),
])
def test_text_is_normalised_for_width_case_and_spaces(raw, expected):
    assert normalise_text(raw) == expected


@pytest.mark.parametrize("raw, expected", [("903,000", 903000.0), (" 34.8 ", 34.8), ("１２", 12.0), (7, 7.0)])
def test_numbers_people_type_are_read(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["삼십", "", "1.2.3", True, float("nan")])
def test_non_numbers_get_a_korean_message(raw):
    with pytest.raises(CourseError) as error:
        parse_number(raw)
    assert "숫자" in error.value.korean


def test_choice_scores_all_or_nothing_and_rejects_unknown_options():
    q = Choice("q", "?", options=["가", "나"], points=2)
    assert q.score("나", "나") == 2
    assert q.score("가", "나") == 0
    assert q.score(None, "나") == 0
    assert q.score("다", "나") == 0
    with pytest.raises(CourseError):
        q.normalise("다")


def test_multi_choice_part_credit_subtracts_wrong_picks():
    q = MultiChoice("q", "?", options=["a", "b", "c", "d"], points=3, partial=True)
    key = ["a", "c", "d"]
    assert q.score(["a", "c", "d"], key) == 3
    assert q.score(["a", "c"], key) == 2          # 2 right of 3
    assert q.score(["a", "b", "c"], key) == 1     # (2 right - 1 wrong) / 3
    assert q.score(["a", "b", "c", "d"], key) == 2  # (3 - 1) / 3
    assert q.score(["b"], key) == 0
    assert MultiChoice("q", "?", options=["a", "b"], points=1).score(["a"], ["a", "b"]) == 0  # no partial: all or nothing


def test_number_uses_absolute_tolerance():
    q = Number("q", "?", tolerance=0.05)
    assert q.score("34.8", 34.8) == 1
    assert q.score(34.84, 34.8) == 1
    assert q.score(34.9, 34.8) == 0
    assert q.score("서른", 34.8) == 0


def test_text_accepts_listed_forms():
    q = Text("q", "?")
    assert q.score("  Crowd  work", ["crowd work", "크라우드 워크"]) == 1
    assert q.score("크라우드워크", ["crowd work", "크라우드 워크"]) == 0
    with pytest.raises(CourseError):
        q.normalise("   ")


def test_order_part_credit_is_the_share_in_place():
    q = Order("q", "?", items=["1", "2", "3", "4"], points=2, partial=True)
    assert q.score(["1", "2", "3", "4"], ["1", "2", "3", "4"]) == 2
    assert q.score(["1", "2", "4", "3"], ["1", "2", "3", "4"]) == 1
    assert q.score(["4", "3", "2", "1"], ["1", "2", "3", "4"]) == 0
    with pytest.raises(CourseError):
        q.normalise(["1", "2", "3"])


def test_sort_into_part_credit_counts_unlabelled_items_as_wrong():
    q = SortInto("q", "?", items=["a", "b", "c", "d"], categories=["X", "Y"], points=4, partial=True)
    key = {"a": "X", "b": "Y", "c": "X", "d": "Y"}
    assert q.score(key, key) == 4
    assert q.score({"a": "X", "b": "Y", "c": "Y"}, key) == 2  # c wrong, d missing
    with pytest.raises(CourseError):
        q.normalise({"a": "Z"})
    with pytest.raises(CourseError):
        q.normalise({"e": "X"})


@pytest.mark.parametrize("solution, typo", [
    ("steps_total = 5200 + 6800  ### BLANK", "steps_tota = 5200 + 6800"),
    ('safe["나이"] = safe["나이"].map(f)  ### BLANK', 'saf["나이"] = safe["나이"].map(f)'),
    ("x = 3  ### BLANK", "xx = 3"),
])
def test_the_mistakes_learner_misspells_the_name_it_assigns(solution, typo):
    from course.learners import wrong_code
    assert wrong_code(solution, 0) == typo
    assert wrong_code(solution, 1).endswith('"' + solution.split("=", 1)[1].split("###")[0].strip() + '"')
    assert wrong_code(solution, 2).startswith("raise NotImplementedError()\n")
