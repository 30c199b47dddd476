"""02_fourth_industrial_daily_life through nbgrader's real autograde: exact scores for stated answers."""
from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "02_fourth_industrial_daily_life"


def a_careful_beginner(folder):
    # Stated by hand:
    # q1 (1): right -> 1
    # q2 (3): two right rules and one wrong one of three -> 3 * (2-1)/3 = 1
    # q3 (4): six of eight items labelled right (the recommendation and the kiosk wrong) -> 4 * 6/8 = 3
    # q4 (4): five of eight labelled, all right; three left unlabelled count as wrong -> 4 * 5/8 = 2.5
    # q5 (1): 3 / 4 typed instead of 6 / 8, the same value -> 1          total 8.5
    set_answers(folder, A, {
        "q1": "데이터 하나하나에 붙이는 정답 표시예요.",
        "q2": ["항목마다 레이블을 하나만 붙여요.", "헷갈리면 아무거나 빨리 골라요.", "모든 항목에 빠짐없이 레이블을 붙여요."],
        "q3": {
            "동영상 앱이 내가 본 영상을 바탕으로 볼 만한 영상을 골라 줘요.": "빅데이터",
            "손목의 웨어러블 밴드가 심박수와 걸음 수를 재서 휴대폰으로 보내요.": "IoT",
            "스마트폰을 새로 바꿔도 연락처와 사진이 인터넷 계정에 보관되어 있어 그대로 나와요.": "클라우드",
            "내비게이션이 수많은 차의 이동 기록을 모아 지금 막히는 길을 찾아요.": "빅데이터",
            "스마트 스피커에 말로 물으면 알아듣고 대답해요.": "AI",
            "원격 진료(멀리서 받는 진료)에서 집의 혈압계가 잰 값을 인터넷으로 병원에 보내요.": "IoT",
            "가게들의 키오스크(무인 주문기) 주문 기록을 모두 모아 손님이 많은 시간대를 찾아요.": "클라우드",
            "찍은 사진이 인터넷 저장 공간에 자동으로 올라가 컴퓨터에서도 봐요.": "클라우드",
        },
        "q4": {
            "내비게이션으로 길을 찾아요.": "위치 기록",
            "스마트 스피커에 \"오늘 날씨 알려 줘\"라고 말해요.": "목소리 기록",
            "손목에 웨어러블 밴드를 차고 걸어요.": "건강 기록",
            "음식점 키오스크로 비빔밥을 주문해요.": "주문·시청 기록",
            "지도 앱에서 \"내 위치\" 버튼을 눌러 지금 있는 곳을 봐요.": "위치 기록",
        },
    })
    set_cell(folder, A, "q5", "accuracy = 3 / 4\naccuracy")


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "careful": a_careful_beginner})
    # full: 1 + 3 + 4 + 4 + 1 = 13; blank: nothing.
    # partial: graded items 1, 3, 5 in notebook order = q1 + q3 + q5 = 1 + 4 + 1 = 6.
    # mistakes: q1 a wrong choice 0; q2 every box ticked 3 * (3-2)/3 = 1;
    #   q3 every item given the key's first label ("AI"), two of eight right: 4 * 2/8 = 1;
    #   q4 likewise every item "위치 기록", two of eight: 4 * 2/8 = 1;
    #   q5 a typo in the name (NameError) 0 -> 3.
    assert got == {"full": 13.0, "blank": 0.0, "partial": 6.0, "mistakes": 3.0, "careful": 8.5}
    assert item_scores(root, A, "careful") == {"q1_test": 1.0, "q2_test": 1.0, "q3_test": 3.0, "q4_test": 2.5, "q5_test": 1.0}
