"""Widgets answer, save and restore: every kind, through the widgets' Python API."""
import pytest

from course.notebook import Notebook


@pytest.fixture
def fresh(tmp_path):
    """A factory of notebook sessions on one folder: a second call is a restarted kernel."""
    return lambda: Notebook("nb", points=10, items=6, folder=tmp_path)


def test_choice_is_saved_and_restored(fresh):
    view = fresh().choice("q1", "?", ["가", "나", "다"])
    view.input.buttons["나"].click()
    again = fresh().choice("q1", "?", ["가", "나", "다"])
    assert again.value == "나"
    assert again.input.buttons["나"].button_style == "info" and again.input.buttons["가"].button_style == ""
    assert "선택함" in again.input.buttons["나"].description  # said in words, not colour alone


def test_multi_choice_toggles_and_restores(fresh):
    view = fresh().multi("q2", "?", ["a", "b", "c"])
    for option in ["a", "c", "a", "b"]:
        view.input.buttons[option].click()
    assert fresh().multi("q2", "?", ["a", "b", "c"]).input.chosen == ["b", "c"]


def test_number_keeps_what_was_typed_and_rejects_text(fresh):
    view = fresh().number("q3", "?")
    view.input.field.value = "903,000"
    view.input.field.value = "구십"  # not a number: explained, the old answer kept
    assert "숫자" in view.status.value
    again = fresh().number("q3", "?")
    assert again.value == "903,000" and again.input.field.value == "903,000"


def test_text_is_restored(fresh):
    view = fresh().text("q4", "?")
    view.input.field.value = "크라우드 워크"
    assert fresh().text("q4", "?").input.field.value == "크라우드 워크"


def test_order_moves_and_restores(fresh):
    view = fresh().order("q5", "?", ["1", "2", "3"])
    view.input.move(2, -1)  # '3' up one place
    again = fresh().order("q5", "?", ["1", "2", "3"])
    assert again.value == ["1", "3", "2"] and again.input.current == ["1", "3", "2"]


def test_sort_into_labels_and_restores(fresh):
    view = fresh().sort_into("q6", "?", ["kiosk", "band"], ["IoT", "AI"])
    view.input.rows["kiosk"]["AI"].click()
    view.input.rows["band"]["IoT"].click()
    again = fresh().sort_into("q6", "?", ["kiosk", "band"], ["IoT", "AI"])
    assert again.value == {"kiosk": "AI", "band": "IoT"}
    assert again.input.rows["band"]["IoT"].button_style == "info"


def test_progress_counts_graded_answers_only(fresh):
    nb = fresh()
    nb.choice("p1", "?", ["a", "b"], answer="a").input.buttons["a"].click()
    graded = nb.choice("q1", "?", ["a", "b"])
    nb.progress()
    assert nb.bar.value == 0
    graded.input.buttons["b"].click()
    assert nb.bar.value == 1 and "1 / 6" in nb.bar_label.value


def test_progress_counts_a_filled_code_blank_until_it_is_emptied_again(fresh, capsys):
    from course.notebook import ___

    nb = fresh()
    nb.progress()
    nb.check_filled("q2", 5200 + 6800, (int, float))
    assert nb.bar.value == 1 and "1 / 6" in nb.bar_label.value
    nb.check_filled("q2", 5200 + 6800, (int, float))  # the same check run again counts once
    assert nb.bar.value == 1
    nb.check_filled("q3", "12000", (int, float))  # the wrong kind: explained, not counted
    assert nb.bar.value == 1 and "종류가 달라요" in capsys.readouterr().out
    nb.check_filled("q2", ___)  # the learner cleared the blank again
    assert nb.bar.value == 0 and "빈칸" in capsys.readouterr().out


def test_practice_feedback_and_hints_then_answer(fresh):
    view = fresh().choice("p1", "?", ["a", "b"], answer="b", hints=["첫째", "둘째"])
    view.input.buttons["a"].click()
    assert "❌" in view.status.value and "아직 아니에요" in view.status.value
    view.hint()
    assert "첫째" in view.extra.value and "둘째" not in view.extra.value
    view.hint()
    view.hint()
    assert "정답: b" in view.extra.value
    view.input.buttons["b"].click()
    assert "맞았어요" in view.status.value


def test_graded_question_never_shows_a_verdict_or_key(fresh):
    view = fresh().choice("q1", "?", ["a", "b"], hints=["힌트"])
    view.input.buttons["a"].click()
    for _ in range(3):
        view.hint()
    assert "맞았어요" not in view.status.value and "아직 아니에요" not in view.status.value
    assert "정답:" not in view.extra.value and "제출한 뒤" in view.extra.value


def test_practice_sorting_says_how_many_are_left_before_judging(fresh):
    view = fresh().sort_into("p2", "?", ["a", "b", "c"], ["X", "Y"], answer={"a": "X", "b": "Y", "c": "X"})
    view.input.rows["a"]["X"].click()
    assert "2개 남았어요" in view.status.value and "아직 아니에요" not in view.status.value
    view.input.rows["b"]["Y"].click()
    view.input.rows["c"]["Y"].click()
    assert "아직 아니에요" in view.status.value
    view.hint()  # no hints: the answer, one line per item
    assert "a → X" in view.extra.value and "{" not in view.extra.value
