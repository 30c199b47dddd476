"""09_crowd_worker_practicum through nbgrader's real autograde: exact scores for stated answers.

The labeled dataset file is rebuilt at autograde from the saved widget answers. The file
item (q7) is graded on the file name the learner typed only: the labels in the file are
q3's, already graded there, and are not graded a second time.
"""
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

from course import labeling

A = "09_crowd_worker_practicum"

SENTENCE_KEY = {
    "s01": "긍정", "s02": "긍정", "s03": "중립", "s04": "부정", "s05": "부정",
    "s06": "긍정", "s07": "중립", "s08": "긍정", "s09": "중립", "s10": "부정",
}
Q6 = [
    "작업자가 안내서대로 꼼꼼히 하는지 확인하려고요.",
    "정답을 모르는 나머지 항목의 품질도 짐작하려고요.",
    "작업 양을 늘려서 작업비를 더 주려고요.",
]


def like_the_peer(folder):
    # Stated by hand: a careful learner who slips where the peer worker slips.
    # q1 right: 1
    # q2 the peer's digits: 10 of 12 (d01 hooked 1 read as 7, d08 4 read as 9): 3 * 10/12 = 2.5
    # q3 the peer's sentences: 8 of 10 (s04 irony, s06 "나쁘지 않았어요"): 2 * 8/10 = 1.6
    # q4 a01-a07 as the peer (a02 waking up and a05 indoor workout as 휴식), a08 left: 5 of 8: 2 * 5/8 = 1.25
    # q5 a wrong choice: 0
    # q6 two right reasons and one wrong: 3 * (2-1)/3 = 1
    # q7 file named labels.csv: the exact-name part fails, the ".csv" part passes: 2 * 1/2 = 1
    #                                         total 1 + 2.5 + 1.6 + 1.25 + 0 + 1 + 1 = 8.35
    segments = {item: label for item, label in labeling.segments_task().peer.items() if item != "a08"}
    set_answers(folder, A, {
        "q1": "안내서의 기준을 따라요.",
        "q2": dict(labeling.digits_task().peer),
        "q3": dict(labeling.SENTENCE_PEER),
        "q4": segments,
        "q5": "두 사람이 모든 항목에 똑같은 레이블을 붙였어요.",
        "q6": Q6,
    })
    set_cell(folder, A, "q7", 'file_name = "labels.csv"')


def hurried(folder):
    # Stated by hand: only the sentences, two skipped (s03, s07) and s05 called 중립.
    # q3: 7 of 10 right: 2 * 7/10 = 1.4
    # q7: the file has the guideline's name: 2. (Only the name is graded here; the two missing
    #     sentences and the wrong s05 cost points in q3.)
    #                                         total 1.4 + 2 = 3.4
    sentences = {item: label for item, label in SENTENCE_KEY.items() if item not in ("s03", "s07")}
    set_answers(folder, A, {"q3": {**sentences, "s05": "중립"}})
    set_cell(folder, A, "q7", 'file_name = "sentiment_labels.csv"')


def wrong_labels_right_file(folder):
    # Stated by hand: every sentence called 부정, the file made as the guideline says.
    # q3: s04, s05, s10 right, 3 of 10: 2 * 3/10 = 0.6
    # q7: graded on the file name only, not again on the labels: 2
    #                                         total 0.6 + 2 = 2.6
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
        "peerlike": like_the_peer, "hurried": hurried, "wronglabels": wrong_labels_right_file,
        "fileonly": file_name_only,
    })
    # full: 1 + 3 + 2 + 2 + 1 + 3 + 2 = 14; blank: nothing.
    # partial (items 1, 3, 5, 7 right): q1 1 + q3 2 + q5 1 + q7 2 = 6.
    # mistakes: every item given the key's first label:
    #   q2 all "1": d01, d05, d09 right, 3 * 3/12 = 0.75; q3 all 긍정: s01, s02, s06, s08 right,
    #   2 * 4/10 = 0.8; q4 all 수면: a01, a02, a08 right, 2 * 3/8 = 0.75; q6 every box ticked,
    #   3 * (3-2)/3 = 1; q1 and q5 the first wrong choice: 0; q7 a typo in 'file_name': 0.
    #   total 0.75 + 0.8 + 0.75 + 1 = 3.3
    assert got == pytest.approx({
        "full": 14.0, "blank": 0.0, "partial": 6.0, "mistakes": 3.3, "peerlike": 8.35, "hurried": 3.4, "wronglabels": 2.6,
        "fileonly": 2.0,
    })
    assert item_scores(root, A, "peerlike") == pytest.approx({
        "q1_test": 1.0, "q2_test": 2.5, "q3_test": 1.6, "q4_test": 1.25, "q5_test": 0.0, "q6_test": 1.0, "q7_test": 1.0,
    })
    assert item_scores(root, A, "hurried") == pytest.approx({
        "q1_test": 0.0, "q2_test": 0.0, "q3_test": 1.4, "q4_test": 0.0, "q5_test": 0.0, "q6_test": 0.0, "q7_test": 2.0,
    })
    assert item_scores(root, A, "fileonly") == pytest.approx({
        "q1_test": 0.0, "q2_test": 0.0, "q3_test": 0.0, "q4_test": 0.0, "q5_test": 0.0, "q6_test": 0.0, "q7_test": 2.0,
    })
    # the file was rebuilt from the saved answers at autograde
    written = root / "autograded" / "hurried" / A / "sentiment_labels.csv"
    assert labeling.validate_labels(written, labeling.sentences_task()).missing == ("s03", "s07")
