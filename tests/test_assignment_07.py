"""07_fit2_data_lab (acquire and clean) through nbgrader's real autograde: exact scores for stated answers.

Items and points (8 in all): q1 choice 1, q2 code blank 1, q3 choice 1, q4 code blank 2 (two
parts), q5 several choices 2 (partial), q6 number 1. Labeling and the dataset are in
08_fit2_dataset_lab (tests/test_assignment_08.py).
"""
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "07_fit2_data_lab"

Q5 = [
    "휴대폰과 밴드가 같은 걸음을 따로 세어서, 둘을 더하면 같은 걸음을 두 번 세게 돼요.",
    "이 데이터에서는 밴드를 하루 종일 차고 있어서, 휴대폰보다 걸음을 빠짐없이 세요.",
    "휴대폰이 센 걸음은 개인정보라서 쓰면 안 돼요.",
]


def rule_follower(folder):
    # Stated by hand: a careful learner who forgets the time zone and the duplicates.
    # q1 right: 1
    # q2 the row count another way (shape[0] = 2275): 1
    # q3 forgot the 9 hours: 0
    # q4 the table WITH duplicates put into the tool: the range part passes, the row count
    #    (2275 - 6 = 2269, not 2275 - 44 - 6 = 2225) fails: 2 * 1/2 = 1
    # q5 two right reasons and one wrong: 2 * (2-1)/3 = 0.67
    # q6 "2,225" typed with a comma, which is read as 2225: 1
    #                       total 1 + 1 + 0 + 1 + 0.67 + 1 = 4.67
    set_answers(folder, A, {
        "q1": "com.samsung.health.sleep_stage",
        "q3": "6월 9일 23시 30분",
        "q5": Q5,
        "q6": "2,225",
    })
    set_cell(folder, A, "q2", "hr_rows = export.heart_rate.shape[0]\nhr_rows")
    set_cell(folder, A, "q4", "before = export.heart_rate\nhr_clean = remove_impossible_heart_rates(before)\nhr_clean")


def hurried(folder):
    # Stated by hand: the number typed in by hand, one box ticked, the impossible values forgotten.
    # q2 hr_rows = 2275 typed (the right number, however it got there): 1
    # q5 one right reason only: 2 * 1/3 = 0.67
    # q6 only the duplicates subtracted, 2275 - 44 = 2231: 0
    #                       total 1 + 0.67 + 0 = 1.67
    set_answers(folder, A, {"q5": Q5[:1], "q6": 2231})
    set_cell(folder, A, "q2", "hr_rows = 2275\nhr_rows")


def test_sample_learners_and_stated_partial_answers_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {
        "full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes",
        "rules": rule_follower, "hurried": hurried,
    })
    # full: q1 1 + q2 1 + q3 1 + q4 2 + q5 2 + q6 1 = 8, the maximum course.start states; blank: nothing.
    # partial (items 1, 3, 5 right, 2, 4, 6 left): q1 1 + q3 1 + q5 2 = 4.
    # mistakes: q1, q3 the first wrong choice: 0; q2 a typo in 'hr_rows' (hr_row = …): 0;
    #   q4 the table's name typed in quotes (a text, not a table): the tool stops, 0;
    #   q5 every box ticked, 3 right and 2 wrong: 2 * (3-2)/3 = 0.67; q6 ten times the key (22250): 0.
    #   total 0.67
    assert got == pytest.approx({
        "full": 8.0, "blank": 0.0, "partial": 4.0, "mistakes": 0.67, "rules": 4.67, "hurried": 1.67,
    })
    assert item_scores(root, A, "rules") == pytest.approx({
        "q1_test": 1.0, "q2_test": 1.0, "q3_test": 0.0, "q4_test": 1.0, "q5_test": 0.67, "q6_test": 1.0,
    })
    assert item_scores(root, A, "hurried") == pytest.approx({
        "q1_test": 0.0, "q2_test": 1.0, "q3_test": 0.0, "q4_test": 0.0, "q5_test": 0.67, "q6_test": 0.0,
    })
