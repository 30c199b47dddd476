"""06_healthcare_ai_cases through nbgrader's real autograde: exact scores for stated answers."""
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "06_healthcare_ai_cases"


def some_right(folder):
    # Stated by hand:
    # q1 all six right (2), q2 right (1),
    # q3 multi: one of the two right statements, nothing wrong -> 2 * (1 - 0)/2 = 1
    # q4 multi: both right plus one wrong -> 2 * (2 - 1)/2 = 1
    # q5 sort: 3 of 6 right (이름, 전화번호, 걸음 수) -> 2 * 3/6 = 1
    # q6 grade_parts: 이름 and 전화번호 dropped, 주민등록번호 kept, other columns kept -> 3 of 4 parts = 1.5
    # q7 grade_parts: every age made "50대" -> bands in the column yes, right bands no -> 1 of 2 parts = 1
    # q8 multi: two of the three purposes and targeted ads -> 2 * (2 - 1)/3 = 0.67
    # total 2 + 1 + 1 + 1 + 1 + 1.5 + 1 + 0.67 = 9.17
    set_answers(folder, A, {
        "q1": {"하루 걸음 수": "웨어러블 데이터", "잠잔 시간": "웨어러블 데이터", "손목에서 잰 심박수": "웨어러블 데이터",
               "혈액 검사 결과": "진료 기록 데이터", "의사의 진단 기록": "진료 기록 데이터", "엑스레이 사진": "진료 기록 데이터"},
        "q2": "체질량지수가 클수록 1년 뒤 진행 수치도 큰 편이에요.",
        "q3": ["이 데이터에서는 체질량지수가 큰 환자가 1년 뒤 진행 수치도 큰 편이었어요."],
        "q4": ["제주 귤피(귤껍질) 연구", "석창포 발효 기술 연구", "항공 노선 운영"],
        "q8": ["통계 작성", "과학적 연구", "한 사람 한 사람에게 맞춤 광고 보내기"],
        "q5": {"이름": "지워요", "전화번호": "지워요", "주민등록번호": "그대로 둬요", "나이": "그대로 둬요", "걸음 수": "그대로 둬요", "심박수": "지워요"},
    })
    set_cell(folder, A, "q6", 'safe = people.drop(columns=["이름", "전화번호"])\nsafe')
    set_cell(folder, A, "q7", 'safe["나이"] = safe["나이"].map(lambda age: "50대")\nsafe')


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "some": some_right})
    # full: all 15 points; blank: nothing (safe = ___ fails every part of q6 and q7).
    # partial (items 1,3,5,7 answered right): q1 2 + q3 2 + q5 2 = 6; q7's right line fails
    #   because q6 was left blank (safe is still ___), so q7 earns 0.
    # mistakes: q1 every item under "웨어러블 데이터" -> 3 of 6 = 1; q5 every column "지워요" -> 3 of 6 = 1;
    #   q2 wrong choice 0; q3 and q4 every box ticked -> (2 - 2)/2 = 0;
    #   q6 a typo in the name (saf = ...) 0; q7 the solution in quotes (a syntax error) 0;
    #   q8 every box ticked -> 2 * (3 - 2)/3 = 0.67. 1 + 1 + 0.67 = 2.67.
    # (partial leaves q8, the 8th item, alone.)
    assert got == pytest.approx({"full": 15.0, "blank": 0.0, "partial": 6.0, "mistakes": 2.67, "some": 9.17})
    assert item_scores(root, A, "some") == pytest.approx({
        "q1_test": 2.0, "q2_test": 1.0, "q3_test": 1.0, "q4_test": 1.0, "q5_test": 1.0, "q6_test": 1.5, "q7_test": 1.0, "q8_test": 0.67,
    })
