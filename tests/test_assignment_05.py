"""05_ai_data_structures through nbgrader's real autograde: exact scores for stated answers."""
import nbformat

from course import ml
from course.learners import items
from helpers import REPO, autograde, course_copy, item_scores, set_answers, set_cell

A = "05_ai_data_structures"


def some_right(folder):
    # Stated by hand:
    # q1 sort: 3 of 4 items right ("평균 심박수" put under 레이블) -> 2 * 3/4 = 1.5
    # q2 right (1), q3 wrong start offset (0), q4 code right (1), q5 right (1),
    # q6 sort: 2 of 4 right (글자 범위 and 시간 구간 swapped) -> 2 * 2/4 = 1
    # q7 not answered (0), q8 the accuracy read as 53 from the chart (key 53.1, tolerance 1) (1),
    # q9 right (1)
    # total 1.5 + 1 + 0 + 1 + 1 + 1 + 0 + 1 + 1 = 7.5
    set_answers(folder, A, {
        "q1": {"1분 동안 걸음 수": "특징(입력)", "평균 심박수": "레이블(정답)", "팔 움직임의 세기": "특징(입력)", "활동 종류 (걷기·달리기·쉬기)": "레이블(정답)"},
        "q2": "상자 3",
        "q3": "10",
        "q5": "20",
        "q6": {"사진마다 '고양이'인지 '개'인지 고르기": "분류", "도로 사진 속 자동차마다 네모 그리기": "상자", "문장 속 사람 이름에 표시하기": "시간 구간", "심박수 기록에서 운동한 시간 표시하기": "글자 범위"},
        "q8": "53",
        "q9": "점점 떨어져요.",
    })
    set_cell(folder, A, "q4", "word = sentence[14:18]\nword")


def next_row(folder):
    # q8 read from the neighbouring row (35 % wrong labels: 51.6, more than 1 away from 53.1) -> 0;
    # nothing else answered -> 0. Total 0.
    set_answers(folder, A, {"q8": "51.6"})


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes",
                              "some": some_right, "next_row": next_row})
    # full: all 11 points (2 + 1 + 1 + 1 + 1 + 2 + 1 + 1 + 1); blank: nothing.
    # partial (items 1,3,5,7,9 right): q1 2 + q3 1 + q5 1 + q7 1 + q9 1 = 6.
    # mistakes: q1 every item under "특징(입력)" -> 3 of 4 right = 2 * 3/4 = 1.5;
    #   q6 every item under "분류" -> 1 of 4 right = 2 * 1/4 = 0.5; wrong choices and numbers
    #   (q2, q3 90, q5 200, q7, q8 531, q9) 0; q4 a typo in the name (wor = ...) 0.
    #   1.5 + 0.5 = 2.
    assert got == {"full": 11.0, "blank": 0.0, "partial": 6.0, "mistakes": 2.0, "some": 7.5, "next_row": 0.0}
    assert item_scores(root, A, "some") == {
        "q1_test": 1.5, "q2_test": 1.0, "q3_test": 0.0, "q4_test": 1.0, "q5_test": 1.0,
        "q6_test": 1.0, "q7_test": 0.0, "q8_test": 1.0, "q9_test": 1.0,
    }


def test_the_q8_key_is_the_accuracy_the_learner_reads_at_30_percent():
    # The key in the hidden test is written by hand; it must be what the notebook's table shows.
    nb = nbformat.read(str(REPO / "source" / A / f"{A}.ipynb"), as_version=4)
    key = next(item.key for item in items(nb) if item.qid == "q8")
    assert key == ml.accuracy_at(ml.label_noise_curve(), 30)
