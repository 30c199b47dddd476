"""03_big_data_tasting_1 through nbgrader's real autograde: exact scores for stated answers."""
import ast

import nbformat
import pytest

from course.learners import items
from course.questions import Number
from helpers import REPO, autograde, course_copy, item_scores, set_answers, set_cell

A = "03_big_data_tasting_1"


def half_right(folder):
    # Stated by hand:
    # q1 four of five stories right ('라' put under 가치): 2 * 4/5 = 1.6
    # q2 five of six right (the HTML file put under 정형): 3 * 5/6 = 2.5
    # q3 six of eight right (both dates called 글자): 2 * 6/8 = 1.5
    # q4 right: 1; q5, q6 left blank: 0; q7 read from the wrong row (1952): 0
    # q8 sorted by population instead of life expectancy: one of two parts (all 142 countries kept) = 2 * 1/2 = 1
    # q9 not answered: 0.                                          total 1.6 + 2.5 + 1.5 + 1 + 1 = 7.6
    set_answers(folder, A, {
        "q1": {
            "가. 전국 버스의 10년 치 교통카드 기록이 아주아주 많아요.": "크기(Volume)",
            "나. 내비게이션이 1초도 쉬지 않고 새 교통 정보를 받아요.": "속도(Velocity)",
            "다. 병원 한 곳에 진료 기록 표, 엑스레이 사진, 의사의 목소리 메모가 함께 있어요.": "다양성(Variety)",
            "라. 걸음 수 기록에 '-500보'처럼 있을 수 없는 값이 섞여 있어서 확인해야 해요.": "가치(Value)",
            "마. 지난 판매 기록을 보고, 여름에 잘 팔릴 물건을 미리 준비해요.": "가치(Value)",
        },
        "q2": {
            "가계부를 적은 엑셀 표(스프레드시트)": "정형 데이터",
            "하루 걸음 수를 적은 CSV 파일": "정형 데이터",
            "스마트 밴드가 보낸 JSON 기록": "반정형 데이터",
            "웹 페이지를 만드는 HTML 파일": "정형 데이터",
            "손주 돌잔치 사진": "비정형 데이터",
            "전화 상담 목소리 녹음": "비정형 데이터",
        },
        "q3": {
            "7400 (하루 걸음 수)": "숫자",
            "78.6 (기대 수명)": "숫자",
            "제주시 (사는 곳)": "글자",
            "Korea, Rep. (나라 이름)": "글자",
            "2021-06-01 (잰 날)": "글자",
            "2021-07-15 (병원에 간 날)": "글자",
            "True (목표를 이루었나요?)": "참/거짓",
            "False (약을 먹었나요?)": "참/거짓",
        },
        "q4": "1,704",
        "q7": "47.453",
    })
    set_cell(folder, A, "q8", 'sort_column = "pop"\nlongest = year2007.sort_values(sort_column, ascending=False)\nlongest.head()')


def whole_years(folder):
    # Stated by hand: only q7 answered, as a whole number of years (78.623 with its decimals left off): 1 point.
    set_answers(folder, A, {"q7": "78"})


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {
        "full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "half": half_right, "years": whole_years,
    })
    # full: all 15 points; blank: nothing.
    # partial (items 1, 3, 5, 7, 9 of q1…q9 right): q1 2 + q3 2 + q5 1 + q7 1 + q9 1 = 7.
    # mistakes: every story, data and value put in the key's first category:
    #   q1 1 of 5 (2 * 1/5 = 0.4), q2 2 of 6 (3 * 2/6 = 1), q3 2 of 8 (2 * 2/8 = 0.5);
    #   number × 10 (q4, q7) and the first wrong choice (q9) earn 0; the code blanks
    #   (typo in 'population', '"Korea, Rep."' in extra quotes, exception left above q8) earn 0.
    #   total 0.4 + 1 + 0.5 = 1.9
    # years: q7 "78" is right (1 point), nothing else answered: 1.
    assert got == pytest.approx({"full": 15.0, "blank": 0.0, "partial": 7.0, "mistakes": 1.9, "half": 7.6, "years": 1.0})
    assert item_scores(root, A, "half") == pytest.approx({
        "q1_test": 1.6, "q2_test": 2.5, "q3_test": 1.5, "q4_test": 1.0, "q5_test": 0.0,
        "q6_test": 0.0, "q7_test": 0.0, "q8_test": 1.0, "q9_test": 0.0,
    })


@pytest.mark.parametrize("typed, points", [
    ("78", 1), ("78.6", 1), ("78.62", 1), ("78.623", 1), ("79", 1),  # 2007: 78.623, written with or without decimals, or rounded
    ("77", 0), ("77.045", 0), ("47.453", 0), ("786.23", 0),  # 2002's row (77.045), 1952's row, the decimal point missed
])
def test_q7_takes_the_2007_life_expectancy_with_or_without_decimals(typed, points):
    nb = nbformat.read(str(REPO / "source" / A / f"{A}.ipynb"), as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q7")
    call = next(n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "number")
    tolerance = next(ast.literal_eval(k.value) for k in call.keywords if k.arg == "tolerance")
    key = next(item.key for item in items(nb) if item.qid == "q7")
    assert Number("q7", "", points=1, tolerance=tolerance).score(typed, key) == points
