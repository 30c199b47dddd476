"""07_fit2_data_lab through nbgrader's real autograde: exact scores for stated answers.

The dataset folder (fit2_dataset/) is rebuilt at autograde from the saved widget answers
and the learner's code blanks, so the dataset item (q9) is graded on what the re-run
notebook writes.
"""
import pandas as pd
import pytest

from helpers import autograde, course_copy, item_scores, set_answers, set_cell

A = "07_fit2_data_lab"

Q5 = [
    "휴대폰과 밴드가 같은 걸음을 따로 세어서, 둘을 더하면 같은 걸음을 두 번 세게 돼요.",
    "이 데이터에서는 밴드를 하루 종일 차고 있어서, 휴대폰보다 걸음을 빠짐없이 세요.",
    "휴대폰이 센 걸음은 개인정보라서 쓰면 안 돼요.",
]
Q8 = [
    "합성 데이터인지, 실제로 잰 데이터인지",
    "데이터가 어디서 왔는지 (출처)",
    "열마다 뜻과 단위 (예: 심박은 bpm, 1분에 뛴 횟수)",
]


def rule_follower(folder):
    # Stated by hand: a careful learner who trusts the rule labels and forgets "synthetic".
    # q1 right: 1
    # q2 the row count another way (shape[0] = 2275): 1
    # q3 forgot the 9 hours: 0
    # q4 impossible values removed from the table WITH duplicates: the range part passes,
    #    the row count (2269, not 2225) fails: 2 * 1/2 = 1
    # q5 two right reasons and one wrong: 2 * (2-1)/3 = 0.67
    # q6 right: 1
    # q7 the indoor workout (seg3) called 휴식 as the rule does, seg6 left: 4 of 6: 3 * 4/6 = 2
    # q8 three of the four right, nothing wrong: 2 * 3/4 = 1.5
    # q9 its own card with synthetic=False: files, columns and labels pass, the card part
    #    fails: 3 * 3/4 = 2.25
    #                       total 1 + 1 + 0 + 1 + 0.67 + 1 + 2 + 1.5 + 2.25 = 10.42
    set_answers(folder, A, {
        "q1": "com.samsung.health.sleep_stage",
        "q3": "6월 9일 23시 30분",
        "q5": Q5,
        "q6": "걸음이 분당 100보보다 적고 심박도 110회/분보다 낮아서, 규칙이 운동인 줄 몰랐어요.",
        "q7": {"seg1": "수면", "seg2": "걷기", "seg3": "휴식", "seg4": "휴식", "seg5": "걷기"},
        "q8": Q8,
    })
    set_cell(folder, A, "q2", "hr_rows = export.heart_rate.shape[0]\nhr_rows")
    set_cell(folder, A, "q4", "hr_clean = remove_impossible_heart_rates(export.heart_rate)\nhr_clean")
    set_cell(folder, A, "q9", 'written = write_dataset(dataset, "fit2_dataset", '
                              '{"title": "내 데이터셋", "source": "삼성 헬스", "synthetic": False})')


def hurried(folder):
    # Stated by hand: two segments labelled, then the whole table saved under another name.
    # q7 seg3 운동 and seg6 휴식 right, four left: 3 * 2/6 = 1
    # q9 write_dataset(labeled, "dataset", card_info): the folder name fails, and all 15 days
    #    (21,600 rows, not 18,720) fail the label part; columns and the card pass: 3 * 2/4 = 1.5
    #                       total 1 + 1.5 = 2.5
    set_answers(folder, A, {"q7": {"seg3": "운동", "seg6": "휴식"}})
    set_cell(folder, A, "q9", 'written = write_dataset(labeled, "dataset", card_info)')


def test_sample_learners_and_stated_partial_answers_score_exactly(tmp_path):
    root = course_copy(tmp_path, [A])
    got = autograde(root, A, {
        "full": "full", "blank": "blank", "partial": "partial", "mistakes": "mistakes",
        "rules": rule_follower, "hurried": hurried,
    })
    # full: 1 + 1 + 1 + 2 + 2 + 1 + 3 + 2 + 3 = 16; blank: nothing.
    # partial (items 1, 3, 5, 7, 9 right): q1 1 + q3 1 + q5 2 + q7 3 + q9 3 (the dataset is
    #   written from q7's right answers) = 10.
    # mistakes: q1, q3, q6 the first wrong choice: 0; q2 a typo in 'hr_rows': 0;
    #   q4 the call in quotes (a string, not a table): 0; q9 the exception left above: 0;
    #   q5 every box ticked, 2 * (3-2)/3 = 0.67; q7 every segment 수면 (the key's first label),
    #   only seg1 right, 3 * 1/6 = 0.5; q8 every box ticked, 2 * (4-2)/4 = 1.
    #   total 0.67 + 0.5 + 1 = 2.17
    assert got == pytest.approx({
        "full": 16.0, "blank": 0.0, "partial": 10.0, "mistakes": 2.17, "rules": 10.42, "hurried": 2.5,
    })
    assert item_scores(root, A, "rules") == pytest.approx({
        "q1_test": 1.0, "q2_test": 1.0, "q3_test": 0.0, "q4_test": 1.0, "q5_test": 0.67,
        "q6_test": 1.0, "q7_test": 2.0, "q8_test": 1.5, "q9_test": 2.25,
    })
    assert item_scores(root, A, "hurried") == pytest.approx({
        "q1_test": 0.0, "q2_test": 0.0, "q3_test": 0.0, "q4_test": 0.0, "q5_test": 0.0,
        "q6_test": 0.0, "q7_test": 1.0, "q8_test": 0.0, "q9_test": 1.5,
    })
    # the dataset was rebuilt at autograde from the saved answers: only seg3 and seg6 by hand
    written = pd.read_csv(root / "autograded" / "hurried" / A / "dataset" / "dataset.csv")
    manual = written[written["label_source"] == "manual"]
    assert len(written) == 21600 and len(manual) == 60
    assert set(manual["label"]) == {"exercise", "rest"}
