"""The instructor's class report: figures on a small hand-built class, stated by hand."""
import math
import re

import pandas as pd
import pytest

from course.labeling import LabelTask
from course.report import analysis, render
from course.report.analysis import CompletionRule
from course.report.data import ANSWER_COLUMNS, FLAG_COLUMNS, ITEM_COLUMNS, SCORE_COLUMNS, SUBMITTED_COLUMNS, ClassData, frame

# Assignment "A": q1 a choice (key 나, 1 point), q2 a multiple answer (key w, x; 2 points), q3 a code blank (1 point).
ITEMS = frame([
    ["A", "A", "q1_test", "q1", "choice", "문제 1. 고르세요", ["가", "나", "다"], "나", 1.0],
    ["A", "A", "q2_test", "q2", "multi", "문제 2. 모두 고르세요", ["w", "x", "y", "z"], ["w", "x"], 2.0],
    ["A", "A", "q3_test", "q3", None, None, None, None, 1.0],
    ["B", "B", "b1_test", "b1", None, None, None, None, 2.0],
], ITEM_COLUMNS)
POINTS = {  # learner: (q1, q2, q3); totals 4, 3, 2, 1, 1
    "s1": (1, 2, 1), "s2": (0, 2, 1), "s3": (1, 1, 0), "s4": (0, 1, 0), "s5": (1, 0, 0),
}


def scores_a():
    rows = [[s, "A", "A", g, p, m] for s, points in POINTS.items() for g, p, m in zip(["q1_test", "q2_test", "q3_test"], points, [1, 2, 1])]
    return frame(rows, SCORE_COLUMNS)


def test_difficulty_is_the_share_of_points_earned_and_discrimination_the_upper_lower_27_percent_index():
    result = analysis.item_analysis(scores_a()).set_index("grade_id")
    # 5 learners: groups of max(1, round(0.27 * 5)) = 1; upper s1 (4 points); lower: s4 and s5 tie at 1, s5 by id
    assert result["n"].tolist() == [5, 5, 5]
    assert result.loc["q1_test", "difficulty"] == pytest.approx(3 / 5)  # 1+0+1+0+1 of 5
    assert result.loc["q2_test", "difficulty"] == pytest.approx(6 / 10)  # 2+2+1+1+0 of 10
    assert result.loc["q3_test", "difficulty"] == pytest.approx(2 / 5)
    assert result.loc["q1_test", "discrimination"] == pytest.approx(0.0)  # s1 right, s5 right
    assert result.loc["q2_test", "discrimination"] == pytest.approx(1.0)  # s1 2/2, s5 0/2
    assert result.loc["q3_test", "discrimination"] == pytest.approx(1.0)


def test_discrimination_with_eight_learners_compares_the_top_two_with_the_bottom_two():
    # y sets the ranking (20, 18, … 6 points); x is right for s1, s3, s4, s5, s6.
    x = [1, 0, 1, 1, 1, 1, 0, 0]
    rows = []
    for n in range(8):
        rows += [[f"s{n + 1}", "A", "A", "x", x[n], 1], [f"s{n + 1}", "A", "A", "y", 20 - 2 * n, 20]]
    result = analysis.item_analysis(frame(rows, SCORE_COLUMNS)).set_index("grade_id")
    # round(0.27 * 8) = 2: upper s1, s2 (x: 1, 0), lower s7, s8 (x: 0, 0)
    assert result.loc["x", "discrimination"] == pytest.approx(0.5)
    assert result.loc["x", "difficulty"] == pytest.approx(5 / 8)
    assert result.loc["y", "discrimination"] == pytest.approx((20 + 18) / 40 - (8 + 6) / 40)


def answer_rows(qid, values):
    return [[s, "A", "A", qid, v, pd.NaT, pd.NaT] for s, v in values.items()]


def test_options_are_counted_and_the_most_picked_wrong_one_stands_out():
    answers = frame(
        answer_rows("q1", {"s1": "나", "s2": "다", "s3": "나", "s4": "다", "s5": "나"})
        + answer_rows("q2", {"s1": ["w", "x"], "s2": ["w", "x"], "s3": ["w", "y"], "s4": ["w", "x", "y", "z"]}),
        ANSWER_COLUMNS,
    )
    counts = analysis.option_counts(ITEMS, answers).set_index(["qid", "option"])
    assert counts.loc["q1", "count"].to_dict() == {"가": 0, "나": 3, "다": 2}
    assert counts.loc["q1", "right"].to_dict() == {"가": False, "나": True, "다": False}
    assert counts.loc["q1", "top_wrong"].to_dict() == {"가": False, "나": False, "다": True}
    assert counts.loc["q2", "count"].to_dict() == {"w": 4, "x": 3, "y": 2, "z": 1}
    assert counts.loc["q2", "answered"].tolist() == [4, 4, 4, 4]
    assert counts.loc["q2", "top_wrong"].to_dict() == {"w": False, "x": False, "y": True, "z": False}


def test_labeling_quality_is_gold_accuracy_and_kappa_with_the_peer():
    task = LabelTask("작업", ("A", "B"), {f"i{n}": "" for n in range(1, 5)}, gold={"i1": "A", "i2": "B"},
                     peer={"i1": "A", "i2": "B", "i3": "A", "i4": "B"})
    answers = frame([
        ["s1", "A", "A", "q9", {"i1": "A", "i2": "B", "i3": "A", "i4": "B"}, pd.NaT, pd.NaT],
        ["s2", "A", "A", "q9", {"i1": "A", "i2": "A", "i3": "A", "i4": "B"}, pd.NaT, pd.NaT],
        ["s3", "A", "A", "q9", {"i1": "B", "i2": "A", "i3": "B", "i4": "A"}, pd.NaT, pd.NaT],
    ], ANSWER_COLUMNS)
    quality = analysis.labeling_quality(answers, {("A", "q9"): task}).set_index("student")
    assert quality["gold_accuracy"].to_dict() == {"s1": 1.0, "s2": 0.5, "s3": 0.0}
    # s2: agreement 3/4; by chance (2·3 + 2·1) / 16 = 1/2; kappa (3/4 − 1/2) / (1 − 1/2) = 0.5
    assert quality.loc["s1", "kappa"] == pytest.approx(1.0)
    assert quality.loc["s2", "kappa"] == pytest.approx(0.5)
    assert quality.loc["s3", "kappa"] == pytest.approx(-1.0)
    assert quality["labelled"].tolist() == [4, 4, 4]


def t(clock):
    return pd.Timestamp(f"2021-06-01 {clock}", tz="UTC")


def test_time_on_task_adds_the_gaps_between_saves_and_leaves_out_breaks():
    answers = frame([
        ["s1", "A", "A", "q1", "나", t("10:00"), t("10:00")],
        ["s1", "A", "A", "q2", ["w"], t("10:05"), t("10:20")],  # answered at 10:05, changed at 10:20
        ["s1", "A", "A", "q3", 1, t("10:50"), t("10:50")],  # 30 minutes exactly: still work
        ["s1", "A", "A", "q4", 2, t("11:30"), t("11:32")],  # 40 minutes: a break, left out
        ["s2", "A", "A", "q1", "가", t("10:00"), t("10:00")],  # one time only: cannot be measured
    ], ANSWER_COLUMNS)
    minutes = analysis.time_on_task(answers).set_index("student")
    assert minutes.loc["s1", "minutes"] == pytest.approx(5 + 15 + 30 + 2)
    assert minutes.loc["s1", "times"] == 6  # 10:00, 10:05, 10:20, 10:50, 11:30, 11:32
    assert math.isnan(minutes.loc["s2", "minutes"])
    shorter = analysis.time_on_task(answers, pd.Timedelta(minutes=20)).set_index("student")
    assert shorter.loc["s1", "minutes"] == pytest.approx(5 + 15 + 2)


def small_class():
    scores = frame(scores_a().values.tolist() + [["s1", "B", "B", "b1_test", 2, 2], ["s3", "B", "B", "b1_test", 2, 2]], SCORE_COLUMNS)
    submitted = frame([[s, "A", None] for s in POINTS] + [["s1", "B", None], ["s3", "B", None], ["s4", "B", None]], SUBMITTED_COLUMNS)
    flags = frame([["s4", "B", "B", None, "not_graded", "채점 결과가 없어요.", "no autograded result"]], FLAG_COLUMNS)
    return ClassData(["A", "B"], list(POINTS), {"A": "0. 가", "B": "1. 나"}, ITEMS, scores, submitted,
                     frame([], ANSWER_COLUMNS), flags)


def test_completion_rows_follow_the_stated_rule():
    data = small_class()
    # max 4 + 2 = 6; s1 6 (all handed in), s2 3 (no B), s3 4, s4 1 (B handed in, not graded: 0), s5 1 (no B)
    rows = analysis.completion(data, CompletionRule(share=0.6, every_module=True)).set_index("학습자")
    assert rows["점수"].to_dict() == {"s1": 6, "s2": 3, "s3": 4, "s4": 1, "s5": 1}
    assert rows["수료"].to_dict() == {"s1": "예", "s2": "아니요", "s3": "예", "s4": "아니요", "s5": "아니요"}
    assert rows.loc["s2", "사유"] == "점수 50% (기준 60%); 미제출: 1. 나"  # the assignment's title
    assert rows.loc["s4", "사유"] == "점수 17% (기준 60%)"
    assert rows["제출한 과목 수"].to_dict() == {"s1": 2, "s2": 1, "s3": 2, "s4": 2, "s5": 1}
    lenient = analysis.completion(data, CompletionRule(share=0.5, every_module=False)).set_index("학습자")
    assert lenient["수료"].to_dict() == {"s1": "예", "s2": "예", "s3": "예", "s4": "아니요", "s5": "아니요"}


def test_learners_below_the_threshold_are_named_lowest_first():
    low = analysis.below(small_class(), 0.6)
    assert [(s.student, round(s.share, 3), s.missing) for s in low] == [
        ("s4", round(1 / 6, 3), ()), ("s5", round(1 / 6, 3), ("B",)), ("s2", 0.5, ("B",))]


def test_the_page_is_one_korean_self_contained_file_with_plotly_once():
    text, done = render(small_class(), threshold=0.6)
    assert text.count("* plotly.js (cartesian - minified)") == 1 and text.count("<script") == 1 + 2  # the library; progress and item charts (no answers: no time chart)
    assert "<script src=" not in text and "<link" not in text  # nothing fetched from elsewhere
    assert '<html lang="ko">' in text and "font-size: 20px" in text
    for heading in ["진도", "문항 분석", "자주 고른 오답", "레이블 품질", "학습 시간", "채점 표시", "수료 기준"]:
        assert heading in text
    assert "채점 결과가 없어요" in text and "s4" in text
    assert len(done) == 5


def test_the_embedded_plotly_js_has_the_major_version_of_the_python_package_s():
    from plotly.offline import get_plotlyjs

    from course.report.page import PLOTLY_JS

    def major(text):
        return re.search(r"plotly\.js (?:\([^)]*\) )?v(\d+)\.", text[:200]).group(1)

    assert major(PLOTLY_JS.read_text(encoding="utf-8")) == major(get_plotlyjs())


def test_flags_are_read_and_a_submission_without_a_result_is_flagged_not_graded(tmp_path):
    import json

    from course.report.data import _flags

    for student in ("s1", "s2", "s3"):
        (tmp_path / "submitted" / student / "A").mkdir(parents=True)
        (tmp_path / "submitted" / student / "A" / "A.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "autograded" / "s2" / "A").mkdir(parents=True)
    (tmp_path / "autograded" / "s2" / "A" / "A.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "autograded" / "s2" / "A" / "grading-flags.json").write_text(json.dumps({
        "student": "s2", "assignment": "A", "flags": [
            {"notebook": "A", "item": "q3_test", "kind": "cell_timeout", "message": "시간이 너무 오래 걸렸어요.", "detail": "60 s"}]}),
        encoding="utf-8")
    (tmp_path / "autograded" / "s3" / "A").mkdir(parents=True)
    (tmp_path / "autograded" / "s3" / "A" / "A.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "autograded" / "s3" / "A" / "grading-flags.json").write_text('{"flags": []}', encoding="utf-8")
    flags = _flags(tmp_path, ["A"])
    assert flags[["student", "notebook", "item", "kind"]].fillna({"item": "–"}).values.tolist() == [
        ["s1", "A", "–", "not_graded"],  # submitted, nothing autograded, no flags file
        ["s2", "A", "q3_test", "cell_timeout"],  # as the flags file says
    ]  # s3: graded, an empty flags list


def test_the_report_through_nbgrader_s_real_autograde(tmp_path):
    from helpers import autograde, course_copy

    from course.report import labeling_tasks, write_report

    names = ["00_getting_started", "09_crowd_worker_practicum"]
    root = course_copy(tmp_path, names)
    learners = {kind: kind for kind in ("full", "blank", "partial", "mistakes")}
    for name in names:
        autograde(root, name, learners)
    written = write_report(root, names)

    from course.report.data import load
    data = load(root, names)
    assert data.students == ["blank", "full", "mistakes", "partial"]
    result = analysis.item_analysis(data.scores).set_index(["assignment", "grade_id"])
    # 00: totals full 8, partial 4, mistakes 2, blank 0 -> upper group full, lower group blank
    assert result.loc[("00_getting_started", "q1_test"), "difficulty"] == pytest.approx(2 / 4)  # full, partial right
    assert result.loc[("00_getting_started", "q1_test"), "discrimination"] == pytest.approx(1.0)
    assert result.loc[("00_getting_started", "q2_test"), "difficulty"] == pytest.approx(1 / 4)  # partial leaves item 2 blank
    counts = analysis.option_counts(data.items, data.answers).set_index(["assignment", "qid", "option"])["count"]
    assert counts.loc[("00_getting_started", "q1")].to_dict() == {"Ctrl + Z": 1, "Shift + Enter": 2, "Esc": 0}
    assert counts.loc[("00_getting_started", "q4")].tolist() == [2, 1, 2, 2]  # full: the 3 right; mistakes: all 4
    quality = analysis.labeling_quality(data.answers, labeling_tasks(data))
    sentences = quality[quality["qid"] == "q3"].set_index("student")
    # full labels the gold items right; the peer labelled them with one slip (s03): agree on 3 of 4;
    # chance (2·3 + 1·0 + 1·1) / 16 = 7/16; kappa (12/16 − 7/16) / (9/16) = 5/9
    assert sentences.loc["full", "kappa"] == pytest.approx(5 / 9)
    assert sentences.loc["partial", "gold_accuracy"] == 1.0  # partial answers items 1, 3, 5 …: q3 is the 3rd
    # mistakes: all 긍정, gold s02 and s08 right of 4; the peer's 긍정 on 3 of 4 is all chance: kappa 0
    assert sentences.loc["mistakes", "gold_accuracy"] == 0.5 and sentences.loc["mistakes", "kappa"] == pytest.approx(0.0)
    assert "blank" not in sentences.index  # nothing labelled
    assert data.flags.empty  # every submission graded, no flags files

    text = written.page.read_text(encoding="utf-8")
    assert "가장 많이 고른 오답" in text and "문장 감정" in text and "0. 주피터 시작하기" in text
    rows = written.completion.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "학습자,제출한 과목 수,전체 과목 수,점수,만점,득점률(%),수료,사유"
    assert [row.split(",")[0] for row in rows[1:]] == ["blank", "full", "mistakes", "partial"]
    assert rows[2].startswith("full,2,2,") and ",100.0,예," in rows[2]


def test_no_gradebook_yet_is_said_plainly_and_nothing_is_created(tmp_path):
    from helpers import course_copy

    from course.errors import CourseError
    from course.report import write_report

    root = course_copy(tmp_path, ["00_getting_started"])
    with pytest.raises(CourseError, match="채점 기록"):
        write_report(root)
    assert not (root / "gradebook.db").exists() and not (root / "reports").exists()
