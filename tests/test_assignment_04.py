"""04_big_data_tasting_2 through nbgrader's real autograde: exact scores for stated answers."""
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "04_big_data_tasting_2"


def half_right(folder):
    # Stated by hand:
    # q1 two right picks and one wrong of three: 3 * (2 - 1)/3 = 1
    # q2 1987 (69.8 is not yet 70): 0;  q3 right: 1
    # q4 two of four right (line and histogram swapped): 2 * 2/4 = 1
    # q5 a bar chart with the right axes: one of two parts = 2 * 1/2 = 1
    # q6 not answered: 0;  q7 right: 2
    # q8 a scatter plot (points, no line) with the right axes: one of two parts = 2 * 1/2 = 1
    # q9 right: 1.                                      total 1 + 1 + 1 + 1 + 2 + 1 + 1 = 8
    set_answers(folder, A, {
        "q1": ["늘고 줄어드는 흐름을 한눈에 볼 수 있어요.", "큰 값과 작은 값을 쉽게 비교할 수 있어요.", "데이터에 없던 값이 새로 생겨요."],
        "q2": "1987",
        "q3": "70~75살",
        "q4": {
            "2007년 여섯 나라의 인구를 나란히 비교하고 싶어요.": "막대 그래프(bar)",
            "한국의 인구가 1952년부터 2007년까지 어떻게 변했는지 보고 싶어요.": "히스토그램(histogram)",
            "인구가 많은 나라일수록 1인당 국내총생산도 큰지 보고 싶어요.": "산점도(scatter)",
            "142개 나라의 1인당 국내총생산이 어느 구간에 많이 모여 있는지 보고 싶어요.": "선 그래프(line)",
        },
        "q9": "10",
    })
    set_cell(folder, A, "q5", 'fig_gdp = px.bar(korea, x="year", y="gdpPercap")\nfig_gdp.show()')
    set_cell(folder, A, "q7", 'group_column = "month"\nby_month = steps.groupby(group_column, observed=True)["steps"].mean().round().reset_index()\nby_month')
    set_cell(folder, A, "q8", 'fig_month = px.scatter(by_month, x="month", y="steps")\nfig_month.show()')


def test_sample_learners_and_a_stated_partial_answer_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {"full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes", "half": half_right})
    # full: all 15 points; blank: nothing.
    # partial (items 1, 3, 5, 7, 9 of q1…q9 right): q1 3 + q3 1 + q5 2 + q7 2 + q9 1 = 9.
    # mistakes: every box ticked in q1 (3 * (3 - 1)/3 = 2); every question put under the key's first
    #   chart in q4 (1 of 4: 2 * 1/4 = 0.5); numbers × 10 (q2, q9) and the first wrong choice (q3, q6)
    #   earn 0; the code blanks (typo in 'fig_gdp', '"month"' in extra quotes, exception left above
    #   q8) earn 0.                                     total 2 + 0.5 = 2.5
    assert got == pytest.approx({"full": 15.0, "blank": 0.0, "partial": 9.0, "mistakes": 2.5, "half": 8.0})
    assert item_scores(root, A, "half") == pytest.approx({
        "q1_test": 1.0, "q2_test": 0.0, "q3_test": 1.0, "q4_test": 1.0, "q5_test": 1.0,
        "q6_test": 0.0, "q7_test": 2.0, "q8_test": 1.0, "q9_test": 1.0,
    })
