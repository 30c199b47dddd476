"""01_fourth_industrial_era through nbgrader's real autograde: exact scores for stated answers."""
from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "01_fourth_industrial_era"

STEAM = "증기기관으로 기계를 돌려요 (기계화)"
ELECTRIC = "전기로 공장을 돌려 물건을 많이 만들어요 (대량 생산)"
COMPUTER = "컴퓨터와 인터넷으로 일을 자동으로 해요 (정보화)"
CONNECTED = "AI·사물인터넷·빅데이터로 모든 것이 연결돼요 (지능화)"


def some_right(folder):
    # Stated by hand:
    # q1 (2): the first two in place, the last two swapped -> 2 * 2/4 = 1
    # q2 (3): four of six descriptions labelled right -> 3 * 4/6 = 2
    # q3 (2): one of the two right reasons, nothing wrong -> 2 * (1-0)/2 = 1
    # q4 (1): the blank filled right -> 1
    # q5 (1): "513,000" typed with a comma is read as 513000 -> 1
    # q6 (1): a wrong choice -> 0                         total 6
    set_answers(folder, A, {
        "q1": [STEAM, ELECTRIC, CONNECTED, COMPUTER],
        "q2": {
            "내 사진을 인터넷 저장 공간에 두고 어느 기기에서나 봐요.": "클라우드",
            "사진을 보고 고양이인지 개인지 알아맞혀요.": "AI",
            "설계 파일대로 재료를 한 층씩 쌓아 의자 모형을 만들어요.": "3D 프린팅",
            "냉장고가 문이 열린 것을 재서 인터넷으로 휴대폰에 알려요.": "IoT",
            "공장에서 기계 팔이 스스로 부품을 옮기고 조립해요.": "AI",
            "수많은 카드 결제 기록을 모아 어느 동네에서 무엇이 잘 팔리는지 찾아요.": "클라우드",
        },
        "q3": ["AI는 데이터로 배우기 때문이에요."],
        "q5": "513,000",
        "q6": "AI가 스스로 모든 데이터를 정리하기 때문이에요.",
    })
    set_cell(folder, A, "q4", "invest_growth = 58.2 - 23.4\ninvest_growth")


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "some": some_right})
    # full: 2 + 3 + 2 + 1 + 1 + 1 = 10; blank: nothing.
    # partial: graded items 1, 3, 5 in notebook order = q1 + q3 + q5 = 2 + 2 + 1 = 5.
    # mistakes: q1 reversed (no item in place) 0; q2 every item given the key's first label ("클라우드"),
    #   one of six right: 3 * 1/6 = 0.5;
    #   q3 every box ticked (2 right - 2 wrong) 0; q4 a typo in the name (NameError) 0;
    #   q5 513000 * 10 = 0; q6 a wrong choice 0 -> 0.5.
    assert got == {"full": 10.0, "blank": 0.0, "partial": 5.0, "mistakes": 0.5, "some": 6.0}
    assert item_scores(root, A, "some") == {
        "q1_test": 1.0, "q2_test": 2.0, "q3_test": 1.0, "q4_test": 1.0, "q5_test": 1.0, "q6_test": 0.0,
    }
