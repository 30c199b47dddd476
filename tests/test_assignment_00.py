"""00_getting_started through nbgrader's real autograde: exact scores for stated answers."""
from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "00_getting_started"


def half_right(folder):
    # Stated by hand: q1 right (1), q2 wrong (0), q3 right (1),
    # q4 two right + one wrong of three (3 * (2-1)/3 = 1), q5 two of four in place (2 * 2/4 = 1).
    set_answers(folder, A, {
        "q1": "Shift + Enter",
        "q2": "8",
        "q4": ["인터넷으로 어디서나 할 수 있어요.", "결과물의 완성도와 품질을 검사해요.", "특별한 자격증이 꼭 있어야 해요."],
        "q5": ["답하기", "저장하기", "피드백 읽기", "제출하기"],
    })
    set_cell(folder, A, "q3", "steps_total = 5200 + 6800 + 7400\nsteps_total")


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "half": half_right})
    # full: all 8 points; blank: nothing; partial: q1 + q3 + q5 = 1 + 1 + 2;
    # mistakes: wrong choice, wrong number, a typo in the name, every box ticked (3 * (3-1)/3 = 2), order reversed.
    assert got == {"full": 8.0, "blank": 0.0, "partial": 4.0, "mistakes": 2.0, "half": 4.0}
    assert item_scores(root, A, "half") == {"q1_test": 1.0, "q2_test": 0.0, "q3_test": 1.0, "q4_test": 1.0, "q5_test": 1.0}
