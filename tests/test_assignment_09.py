"""09_crowd_worker_practicum through nbgrader's real autograde: exact scores for stated answers.

The file item (q7) is graded on the file name the learner typed only: the labels in the
file are q3's, already graded there, and are not graded a second time (the file itself
stays in the learner's grading sandbox, which grading throws away). The gold items of each
labeling task (course.labeling: d02, d04, d07, d09; s02, s03, s05, s08; a03, a06, a08)
measure quality and are not graded: q2 grades 8 digits, q3 6 sentences, q4 5 segments.
"""
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell


A = "09_crowd_worker_practicum"

DIGIT_KEY = {
    "d01": "1", "d02": "9", "d03": "7", "d04": "4", "d05": "1", "d06": "9",
    "d07": "7", "d08": "4", "d09": "1", "d10": "7", "d11": "4", "d12": "9",
}
SENTENCE_KEY = {
    "s01": "긍정", "s02": "긍정", "s03": "중립", "s04": "부정", "s05": "부정",
    "s06": "긍정", "s07": "중립", "s08": "긍정", "s09": "중립", "s10": "부정",
}
SEGMENT_KEY = {"a01": "수면", "a02": "수면", "a03": "걷기", "a04": "휴식", "a05": "운동", "a06": "휴식", "a07": "휴식", "a08": "수면"}
Q6 = [
    "작업자가 안내서대로 꼼꼼히 하는지 확인하려고요.",
    "정답을 모르는 나머지 항목의 품질도 짐작하려고요.",
    "작업 양을 늘려서 작업비를 더 주려고요.",
]


def careful_with_slips(folder):
    # Stated by hand: a careful learner who slips on the guideline's edge cases, all of them graded items.
    # q1 right: 1
    # q2 every digit but d01 (a hooked 1 read as 7) and d08 (a 4 read as 9): 6 of the 8 graded: 3 * 6/8 = 2.25
    # q3 every sentence but s04 (irony, 긍정) and s06 ("나쁘지 않았어요", 중립): 4 of the 6 graded: 2 * 4/6 = 1.33
    # q4 a01-a07 but a02 (waking up) and a05 (indoor workout) read as 휴식, a08 left: a01, a04, a07 of the
    #    5 graded: 2 * 3/5 = 1.2
    # q5 a wrong choice: 0
    # q6 two right reasons and one wrong: 3 * (2-1)/3 = 1
    # q7 file named labels.csv: the exact-name part fails, the ".csv" part passes: 2 * 1/2 = 1
    #                                         total 1 + 2.25 + 1.33 + 1.2 + 0 + 1 + 1 = 7.78
    segments = {item: label for item, label in SEGMENT_KEY.items() if item != "a08"}
    set_answers(folder, A, {
        "q1": "안내서의 기준을 따라요.",
        "q2": {**DIGIT_KEY, "d01": "7", "d08": "9"},
        "q3": {**SENTENCE_KEY, "s04": "긍정", "s06": "중립"},
        "q4": {**segments, "a02": "휴식", "a05": "휴식"},
        "q5": "두 사람이 모든 항목에 똑같은 레이블을 붙였어요.",
        "q6": Q6,
    })
    set_cell(folder, A, "q7", 'file_name = "labels.csv"')


def hurried(folder):
    # Stated by hand: only the sentences, two skipped (s03, s07) and s05 called 중립.
    # q3: of the 6 graded, s07 is missing (s03 and s05 are gold, not graded): 5 right: 2 * 5/6 = 1.67
    # q7: the file has the guideline's name: 2. (Only the name is graded here; the missing
    #     s07 costs points in q3, and the gold s03 and s05 show in the quality check.)
    #                                         total 1.67 + 2 = 3.67
    sentences = {item: label for item, label in SENTENCE_KEY.items() if item not in ("s03", "s07")}
    set_answers(folder, A, {"q3": {**sentences, "s05": "중립"}})
    set_cell(folder, A, "q7", 'file_name = "sentiment_labels.csv"')


def wrong_labels_right_file(folder):
    # Stated by hand: every sentence called 부정, the file made as the guideline says.
    # q3: of the 6 graded, s04 and s10 right (s05 is gold): 2 * 2/6 = 0.67
    # q7: graded on the file name only, not again on the labels: 2
    #                                         total 0.67 + 2 = 2.67
    set_answers(folder, A, {"q3": {item: "부정" for item in SENTENCE_KEY}})
    set_cell(folder, A, "q7", 'file_name = "sentiment_labels.csv"')


def file_name_only(folder):
    # Stated by hand: no label at all, only the file name typed as the guideline says.
    # q3: nothing labelled: 0 (the cell that writes the file says so, and writes nothing)
    # q7: the exact-name part and the ".csv" part both pass: 2 * 2/2 = 2 (no label is graded again)
    #                                         total 2
    set_cell(folder, A, "q7", 'file_name = "sentiment_labels.csv"')


def test_sample_learners_and_stated_partial_answers_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {
        "full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes",
        "slips": careful_with_slips, "hurried": hurried, "wronglabels": wrong_labels_right_file,
        "fileonly": file_name_only,
    })
    # full: 1 + 3 + 2 + 2 + 1 + 3 + 2 = 14; blank: nothing.
    # partial (items 1, 3, 5, 7 right): q1 1 + q3 2 + q5 1 + q7 2 = 6.
    # mistakes: every item given the key's first label (gold items too, which count for nothing):
    #   q2 all "1": of the 8 graded d01, d05 right, 3 * 2/8 = 0.75; q3 all 긍정: of the 6 graded s01, s06 right,
    #   2 * 2/6 = 0.67; q4 all 수면: of the 5 graded a01, a02 right, 2 * 2/5 = 0.8; q6 every box ticked,
    #   3 * (3-2)/3 = 1; q1 and q5 the first wrong choice: 0; q7 a typo in 'file_name': 0.
    #   total 0.75 + 0.67 + 0.8 + 1 = 3.22
    assert got == pytest.approx({
        "full": 14.0, "blank": 0.0, "partial": 6.0, "mistakes": 3.22, "slips": 7.78, "hurried": 3.67, "wronglabels": 2.67,
        "fileonly": 2.0,
    })
    assert item_scores(root, A, "slips") == pytest.approx({
        "q1_test": 1.0, "q2_test": 2.25, "q3_test": 1.33, "q4_test": 1.2, "q5_test": 0.0, "q6_test": 1.0, "q7_test": 1.0,
    })
    assert item_scores(root, A, "hurried") == pytest.approx({
        "q1_test": 0.0, "q2_test": 0.0, "q3_test": 1.67, "q4_test": 0.0, "q5_test": 0.0, "q6_test": 0.0, "q7_test": 2.0,
    })
    assert item_scores(root, A, "fileonly") == pytest.approx({
        "q1_test": 0.0, "q2_test": 0.0, "q3_test": 0.0, "q4_test": 0.0, "q5_test": 0.0, "q6_test": 0.0, "q7_test": 2.0,
    })
