"""08_fit2_dataset_lab (label and publish) through nbgrader's real autograde: exact scores for stated answers.

Items and points (9 in all): q1 choice 1, q2 labeling of six segments 3 (partial), q3 several
choices 2 (partial), q4 code blank 3 (four parts). The notebook loads and cleans the export
itself in its setup cell, and the dataset folder (fit2_dataset/) is rebuilt at autograde from
the saved widget answers and the learner's code blank, so the dataset item (q4) is graded on
what the re-run notebook writes.
"""
import pandas as pd
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "08_fit2_dataset_lab"

Q3 = [
    "합성 데이터인지, 실제로 잰 데이터인지",
    "데이터가 어디서 왔는지 (출처)",
    "열마다 뜻과 단위 (예: 심박은 bpm, 1분에 뛴 횟수)",
]


def rule_follower(folder):
    # Stated by hand: a careful learner who trusts the rule labels and forgets "synthetic".
    # q1 right: 1
    # q2 the indoor workout (seg3) called 휴식 as the rule does, seg6 left: 4 of 6: 3 * 4/6 = 2
    # q3 three of the four right, nothing wrong: 2 * 3/4 = 1.5
    # q4 its own card with synthetic=False: files, columns and labels pass, the card part
    #    fails: 3 * 3/4 = 2.25
    #                       total 1 + 2 + 1.5 + 2.25 = 6.75
    set_answers(folder, A, {
        "q1": "걸음이 분당 100보보다 적고 심박도 110회/분보다 낮아서, 규칙이 운동인 줄 몰랐어요.",
        "q2": {"seg1": "수면", "seg2": "걷기", "seg3": "휴식", "seg4": "휴식", "seg5": "걷기"},
        "q3": Q3,
    })
    set_cell(folder, A, "q4", 'written = write_dataset(dataset, "fit2_dataset", '
                              '{"title": "내 데이터셋", "source": "삼성 헬스", "synthetic": False})')


def hurried(folder):
    # Stated by hand: two segments labelled, then the whole table saved under another name.
    # q2 seg3 운동 and seg6 휴식 right, four left: 3 * 2/6 = 1
    # q4 write_dataset(labeled, "dataset", card_info): the folder name fails, and all 15 calendar
    #    days (15 * 1440 = 21,600 rows, not 13 * 1440 = 18,720) fail the label part; columns and
    #    the card pass: 3 * 2/4 = 1.5
    #                       total 1 + 1.5 = 2.5
    set_answers(folder, A, {"q2": {"seg3": "운동", "seg6": "휴식"}})
    set_cell(folder, A, "q4", 'written = write_dataset(labeled, "dataset", card_info)')


def test_sample_learners_and_stated_partial_answers_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {
        "full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes",
        "rules": rule_follower, "hurried": hurried,
    })
    # full: q1 1 + q2 3 + q3 2 + q4 3 = 9, the maximum course.start states; blank: nothing.
    # partial (items 1 and 3 right, 2 and 4 left): q1 1 + q3 2 = 3.
    # mistakes: q1 the first wrong choice: 0; q2 every segment 수면 (the key's first label),
    #   only seg1 right: 3 * 1/6 = 0.5; q3 every box ticked, 4 right and 2 wrong:
    #   2 * (4-2)/4 = 1; q4 a typo in 'written' (writte = …), so the check finds no 'written': 0.
    #   total 0.5 + 1 = 1.5
    assert got == pytest.approx({
        "full": 9.0, "blank": 0.0, "partial": 3.0, "mistakes": 1.5, "rules": 6.75, "hurried": 2.5,
    })
    assert item_scores(root, A, "rules") == pytest.approx({
        "q1_test": 1.0, "q2_test": 2.0, "q3_test": 1.5, "q4_test": 2.25,
    })
    assert item_scores(root, A, "hurried") == pytest.approx({
        "q1_test": 0.0, "q2_test": 1.0, "q3_test": 0.0, "q4_test": 1.5,
    })
    # the dataset was rebuilt at autograde from the saved answers: only seg3 and seg6 by hand
    written = pd.read_csv(root / "autograded" / "hurried" / A / "dataset" / "dataset.csv")
    manual = written[written["label_source"] == "manual"]
    assert len(written) == 21600 and len(manual) == 60  # 30 minutes (10:30-11:00) + 30 (21:00-21:30)
    assert set(manual["label"]) == {"exercise", "rest"}
