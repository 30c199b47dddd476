"""10_crowd_work_job through nbgrader's real autograde: exact scores for stated answers."""
from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "10_crowd_work_job"

STEPS = [
    "플랫폼에 회원가입을 해요.",
    "본인 인증을 해요.",
    "작업 안내서(가이드)를 읽어요.",
    "자격 시험(테스트)을 봐요.",
    "실제 작업을 해요.",
    "검수 결과(승인·반려)를 확인해요.",
]
TASKS = {
    "건강검진 문진표를 사진으로 찍어 올려요.": "수집",
    "정해진 대본을 읽으며 얼굴과 목소리를 녹화해요.": "수집",
    "사진 속 물건 둘레에 네모 상자를 그려요.": "가공",
    "손 사진의 뼈마디에 점 20개를 차례로 찍어요.": "가공",
    "다른 작업자가 찍은 점이 안내서대로인지 보고 통과시키거나 돌려보내요.": "검수",
    "돌려보낼 때 그 까닭(반려 사유)을 골라 작업자에게 알려요.": "검수",
}
ADS = {
    "일을 시작하려면 교육비 30만 원을 먼저 보내 주세요.": "사기 의심",
    "작업 프로그램을 사야 일을 드려요.": "사기 의심",
    "하루 2시간, 월 200만 원 보장! 카카오톡으로 상담하세요.": "사기 의심",
    "보증금을 내면 일이 끝난 뒤 돌려 드려요.": "사기 의심",
    "작업 안내서를 읽고 자격 시험을 통과하면 작업에 참여할 수 있어요.": "믿을 만함",
    "작업비는 검수를 통과한 수량만큼, 세금 3.3%를 뗀 뒤 드려요.": "믿을 만함",
}


def a_hopeful_beginner(folder):
    # Stated by hand:
    # q1 (2): the test taken before reading the guide (steps 3 and 4 swapped): 4 of 6 in place -> 2 * 4/6 = 1.33
    # q2 (3): the review-reason task called 가공: 5 of 6 -> 3 * 5/6 = 2.5
    # q3 (1): right -> 1
    # q4 (1): 3.3% typed as 3.3 instead of 0.033 (34650) -> 0
    # q5 (1): 8600 -> 1
    # q6 (3): two true sentences and the "월 100만 원" one -> 3 * (2-1)/3 = 1
    # q7 (3): the deposit ad believed: 5 of 6 -> 3 * 5/6 = 2.5
    # q8 (1): right -> 1                                   total 1.33 + 2.5 + 1 + 0 + 1 + 1 + 2.5 + 1 = 10.33
    steps = STEPS[:2] + [STEPS[3], STEPS[2]] + STEPS[4:]
    set_answers(folder, A, {
        "q1": steps,
        "q2": {**TASKS, "돌려보낼 때 그 까닭(반려 사유)을 골라 작업자에게 알려요.": "가공"},
        "q3": "검수에서 안내서 기준에 맞지 않아 받아들여지지 않았다는 뜻이에요.",
        "q5": "8,600",
        "q6": [
            "일감이 많은 때와 적은 때가 있어서, 늘 일이 있지는 않아요.",
            "작업비는 검수를 통과한 작업만큼 받아요.",
            "누구나 하루 한두 시간으로 한 달에 100만 원 넘게 벌 수 있어요.",
        ],
        "q7": {**ADS, "보증금을 내면 일이 끝난 뒤 돌려 드려요.": "믿을 만함"},
        "q8": "AI 허브의 일자리 정보나 플랫폼의 모집 공고를 보고 온라인으로 지원해요.",
    })
    set_cell(folder, A, "q4", "tax = 10500 * 3.3\ntax")


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "hopeful": a_hopeful_beginner})
    # full: 2 + 3 + 1 + 1 + 1 + 3 + 3 + 1 = 15; blank: nothing.
    # partial: graded items 1, 3, 5, 7 in notebook order = q1 2 + q3 1 + q5 1 + q7 3 = 7.
    # mistakes: q1 the steps reversed, none in place: 0; q2 every task "수집", two of six: 3 * 2/6 = 1;
    #   q3 the first wrong choice: 0; q4 a typo in the name ('ta = ...', NameError): 0;
    #   q5 ten times the key: 0; q6 every box ticked, 3 right 2 wrong: 3 * (3-2)/3 = 1;
    #   q7 every ad "사기 의심" (the first label): four of six: 3 * 4/6 = 2; q8 the first (wrong) choice: 0 -> 4.
    assert got == {"full": 15.0, "blank": 0.0, "partial": 7.0, "mistakes": 4.0, "hopeful": 10.33}
    assert item_scores(root, A, "hopeful") == {
        "q1_test": 1.33, "q2_test": 2.5, "q3_test": 1.0, "q4_test": 0.0, "q5_test": 1.0, "q6_test": 1.0, "q7_test": 2.5, "q8_test": 1.0,
    }
