"""course.labeling: renderers, gold accuracy, Cohen's kappa, the dataset file and its quality check.

Every expected number below is worked out by hand in the comment beside it.
"""
import math

import nbformat
import pandas as pd
import pytest
from sklearn.datasets import load_digits

from course import labeling as L
from course.fit2 import lab
from course.errors import CourseError
from course.learners import items
from helpers import REPO

# A warning in a notebook cell reaches stderr and can zero a test cell: none allowed.
pytestmark = pytest.mark.filterwarnings("error")

PRACTICUM = REPO / "source" / "09_crowd_worker_practicum" / "09_crowd_worker_practicum.ipynb"
GRADED = {item.qid: item for item in items(nbformat.read(str(PRACTICUM), as_version=4))}  # keys from the hidden tests

#: The sentence task answered by the guideline: the hidden test's key and the gold items' labels.
SENTENCE_KEY = GRADED["q3"].answer


# --- measuring ----------------------------------------------------------------------------

def test_gold_accuracy_counts_a_missing_gold_item_as_wrong():
    gold = {"a": "긍정", "b": "부정", "c": "중립", "d": "긍정"}
    # a right, b wrong, c right, d not labelled: 2 of 4
    assert L.gold_accuracy({"a": "긍정", "b": "긍정", "c": "중립", "x": "부정"}, gold) == 0.5


def test_gold_accuracy_asks_for_labels_first():
    with pytest.raises(CourseError, match="아직 레이블을 붙이지 않았어요"):
        L.gold_accuracy(None, {"a": "긍정"})


def test_kappa_of_two_balanced_workers_agreeing_on_8_of_10():
    me = dict(zip("abcdefghij", ["긍정"] * 5 + ["부정"] * 5))
    other = {**me, "e": "부정", "f": "긍정"}
    # p_o = 8/10; each worker 5 긍정 + 5 부정, so p_e = .5*.5 + .5*.5 = .5; kappa = (.8-.5)/(1-.5) = .6
    assert L.cohens_kappa(me, other) == pytest.approx(0.6)


def test_kappa_with_three_unbalanced_labels():
    me = dict(zip("abcdef", ["긍정", "긍정", "긍정", "부정", "중립", "중립"]))
    other = dict(zip("abcdef", ["긍정", "긍정", "부정", "부정", "중립", "긍정"]))
    # p_o = 4/6 = 24/36; me 긍3 부1 중2, other 긍3 부2 중1: p_e = (3*3 + 1*2 + 2*1)/36 = 13/36
    # kappa = (24/36 - 13/36) / (1 - 13/36) = 11/23
    assert L.cohens_kappa(me, other) == pytest.approx(11 / 23)


def test_kappa_of_pressing_one_button_is_chance_level():
    # me: all 긍정; other: 긍,부,긍,부. p_o = 2/4; p_e = 1*(2/4) + 0*(2/4) = 1/2; kappa = 0
    assert L.cohens_kappa(dict.fromkeys("abcd", "긍정"), dict(zip("abcd", ["긍정", "부정"] * 2))) == 0


def test_kappa_only_counts_items_both_labelled_and_is_undefined_for_one_shared_label():
    assert L.cohens_kappa({"a": "긍정", "b": "부정"}, {"a": "긍정", "b": "부정", "c": "중립"}) == 1.0
    assert math.isnan(L.cohens_kappa({"a": "긍정", "b": "긍정"}, {"a": "긍정", "b": "긍정"}))
    with pytest.raises(CourseError, match="비교할 항목이 없어요"):
        L.cohens_kappa({"x": "긍정"}, {"a": "긍정"})


def test_confusion_figure_counts_reference_rows_against_my_columns():
    reference = {"a": "긍정", "b": "긍정", "c": "부정", "d": "중립"}
    mine = {"a": "긍정", "b": "부정", "c": "부정", "d": "긍정"}
    figure = L.confusion_figure(mine, reference, ["긍정", "부정", "중립"])
    # rows = reference: 긍정 -> (긍정 a, 부정 b); 부정 -> 부정 c; 중립 -> 긍정 d
    assert figure.data[0].z.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 0]]
    assert figure.layout.xaxis.title.text == "내 레이블"
    assert figure.layout.yaxis.title.text == "동료 작업자의 레이블"


def test_quality_table_shows_gold_and_kappa_or_says_not_done():
    task = L.sentences_task()
    table = L.quality_table([(task, SENTENCE_KEY), (L.digits_task(), None)])
    # gold all right; the peer labelled the 4 gold items and slipped on s03 (긍정): 3 of 4 agree.
    # Counts on them: mine 긍2 중1 부1, peer 긍3 부1: p_e = (2*3 + 1*0 + 1*1)/16 = 7/16,
    # kappa = (12/16 - 7/16)/(1 - 7/16) = 5/9 = .556 -> "0.56"
    assert table.loc["문장 감정"].tolist() == ["10 / 10", "4 / 4 (100%)", "0.56"]
    assert table.loc["손글씨 숫자"].tolist() == ["0 / 12", "아직 안 했어요", "아직 안 했어요"]


# --- the dataset file ----------------------------------------------------------------------

def test_written_file_reads_back_and_passes(tmp_path):
    task = L.sentences_task()
    path = L.write_labels(tmp_path / "sentiment_labels.csv", SENTENCE_KEY, task)
    table = L.read_labels(path)
    assert list(table.columns) == ["item_id", "label"] and len(table) == 10
    report = L.validate_labels(path, task)
    assert report.passed and report.problems == [] and report.gold_accuracy == 1.0
    assert "품질 검사를 통과했어요" in report._repr_html_()


def test_digit_labels_stay_text(tmp_path):
    task = L.digits_task()
    right = GRADED["q2"].answer
    path = L.write_labels(tmp_path / "digits.csv", right, task)
    assert L.read_labels(path)["label"].tolist() == [right[item] for item in task.items]
    assert L.validate_labels(path, task).gold_accuracy == 1.0


def test_missing_file(tmp_path):
    with pytest.raises(CourseError, match="'nothing.csv' 파일을 찾을 수 없어요"):
        L.validate_labels(tmp_path / "nothing.csv", L.sentences_task())


def test_not_a_csv_name(tmp_path):
    (tmp_path / "labels.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(CourseError, match="CSV 파일이 아니에요"):
        L.validate_labels(tmp_path / "labels.xlsx", L.sentences_task())


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04\xff\xfe\x00binary"])
def test_not_csv_content(tmp_path, content):
    (tmp_path / "labels.csv").write_bytes(content)
    with pytest.raises(CourseError, match="CSV 파일로 읽을 수 없어요"):
        L.validate_labels(tmp_path / "labels.csv", L.sentences_task())


def test_wrong_columns(tmp_path):
    (tmp_path / "labels.csv").write_text("id,answer\ns01,긍정\n", encoding="utf-8")
    with pytest.raises(CourseError, match=r"열 이름이 달라요.*\[id, answer\]"):
        L.validate_labels(tmp_path / "labels.csv", L.sentences_task())


def _report(tmp_path, text):
    (tmp_path / "labels.csv").write_text("item_id,label\n" + text, encoding="utf-8")
    return L.validate_labels(tmp_path / "labels.csv", L.sentences_task())


def test_missing_items_and_the_gold_they_cost(tmp_path):
    rows = "".join(f"{item},{label}\n" for item, label in SENTENCE_KEY.items() if item not in ("s03", "s07"))
    report = _report(tmp_path, rows)
    # s03 is gold, so 3 of 4 gold right = 75%: exactly the pass mark, not below it
    assert report.missing == ("s03", "s07") and report.gold_accuracy == 0.75
    assert report.problems == ["레이블이 없는 항목이 2개 있어요: s03, s07"]
    assert not report.passed


def test_an_empty_label_is_a_missing_item(tmp_path):
    rows = "".join(f"{item},{'' if item == 's10' else label}\n" for item, label in SENTENCE_KEY.items())
    assert _report(tmp_path, rows).missing == ("s10",)


def test_unknown_labels(tmp_path):
    rows = "".join(f"{item},{'좋음' if item == 's01' else label}\n" for item, label in SENTENCE_KEY.items())
    report = _report(tmp_path, rows)
    assert report.unknown == {"s01": "좋음"}
    assert report.problems == ["안내서에 없는 레이블이 있어요: s01 → '좋음'"]


def test_duplicated_and_extra_items(tmp_path):
    rows = "".join(f"{item},{label}\n" for item, label in SENTENCE_KEY.items()) + "s02,부정\nzz9,긍정\n"
    report = _report(tmp_path, rows)
    # the first s02 row (긍정, right) is the one checked
    assert report.duplicated == ("s02",) and report.extra == ("zz9",) and report.gold_accuracy == 1.0
    assert report.problems == ["두 번 이상 나온 항목이 있어요: s02", "작업 목록에 없는 항목이 있어요: zz9"]


def test_low_gold_accuracy(tmp_path):
    rows = "".join(f"{item},중립\n" for item in SENTENCE_KEY)
    report = _report(tmp_path, rows)
    # gold s02 긍정, s03 중립, s05 부정, s08 긍정: only s03 right = 25%
    assert report.gold_accuracy == 0.25
    assert report.problems == ["정답 문항 정확도가 25%로, 기준 75%보다 낮아요."]


def test_write_labels_refuses_what_it_cannot_write(tmp_path):
    task = L.sentences_task()
    with pytest.raises(CourseError, match="따옴표 안에"):
        L.write_labels(object(), SENTENCE_KEY, task)
    with pytest.raises(CourseError, match="CSV 파일이 아니에요"):
        L.write_labels(tmp_path / "labels.txt", SENTENCE_KEY, task)
    with pytest.raises(CourseError, match="아직 레이블을 붙이지 않았어요"):
        L.write_labels(tmp_path / "labels.csv", None, task)
    assert not (tmp_path / "labels.csv").exists()


# --- items and tasks ---------------------------------------------------------------------

def test_digit_html_is_an_8_by_8_grid():
    svg = L.digit_html(load_digits().images[0], title="1번")
    assert svg.count("<rect") == 64 and 'width="120"' in svg and "1번" in svg
    assert 'fill="rgb(255,255,255)"' in svg and 'fill="rgb(0,0,0)"' not in svg.split("<rect")[1]
    with pytest.raises(CourseError, match="8×8"):
        L.digit_html([[0, 1], [2, 3]])


def test_sentence_html_escapes_the_text():
    assert "&lt;b&gt;" in L.sentence_html("<b>좋아요</b>") and "<b>좋아요" not in L.sentence_html("<b>좋아요</b>")


def guideline_label(numbers: dict) -> str:
    """The segment rules of notebook 09's guideline, by the numbers under each segment card."""
    if numbers["asleep_min"] * 2 > numbers["minutes"]:
        return "수면"
    if numbers["exercises"] or numbers["steps_per_min"] >= 100:
        return "운동"
    return "걷기" if numbers["steps_per_min"] >= 40 else "휴식"


def test_segments_come_from_one_day_of_the_fit2_export_and_follow_the_guideline():
    day, exercise = L.segment_day()
    assert len(day) == 1440 and day["time"].iloc[0] == pd.Timestamp("2021-06-05 00:00", tz="Asia/Seoul")
    task = L.segments_task()
    right = GRADED["q4"].answer  # the hidden test's key and the gold labels
    for item, (start, end) in L.SEGMENTS.items():
        numbers = lab.segment_summary(day, start, end, exercise)
        assert 20 <= numbers["minutes"] <= 30, item
        assert guideline_label(numbers) == right[item], item
        assert f"{start[-5:]}~{end[-5:]}" in task.items[item]  # the card states the span
    assert set(right.values()) == set(task.categories)  # every label occurs


def test_the_guidelines_edge_cases_are_graded_and_the_peers_gold_slip_is_a_brisk_walk():
    day, exercise = L.segment_day()
    graded = GRADED["q4"].key
    waking = lab.segment_summary(day, *L.SEGMENTS["a02"], exercise)
    assert 0 < waking["minutes"] - waking["asleep_min"] < waking["asleep_min"] and graded["a02"] == "수면"  # mostly asleep
    workout = lab.segment_summary(day, *L.SEGMENTS["a05"], exercise)
    assert [kind for kind, _, _ in workout["exercises"]] == ["custom"] and workout["steps_per_min"] < 40
    assert graded["a05"] == "운동"
    walk = lab.segment_summary(day, *L.SEGMENTS["a03"], exercise)
    assert 40 <= walk["steps_per_min"] < 100 and not walk["exercises"]  # 걷기 by the guideline, read as 운동 by the peer
    assert L.segments_task().peer == {**L.SEGMENT_GOLD, "a03": "운동"}


def test_segments_figure_numbers_all_eight_segments():
    figure = L.segments_figure()
    assert [note.text for note in figure.layout.annotations] == [f"<b>{n}</b>" for n in range(1, 9)]
    assert len(figure.layout.shapes) == 8


@pytest.mark.parametrize("task", [L.digits_task(), L.sentences_task(), L.segments_task()], ids=lambda t: t.name)
def test_tasks_are_consistent(task):
    assert set(task.gold) < set(task.items) and set(task.peer) == set(task.gold)
    assert set(task.gold.values()) | set(task.peer.values()) <= set(task.categories)
    assert sum(task.peer[item] != label for item, label in task.gold.items()) == 1  # the peer slips once
    assert 0 < task.pass_mark <= 1


@pytest.mark.parametrize("qid", ["q2", "q3", "q4"])
def test_the_package_holds_no_graded_label(qid):
    key = GRADED[qid].key  # in the hidden test only
    task = L.task_for(key)
    assert task is not None and set(task.graded) == set(key)
    assert not set(task.gold) & set(key) and not set(task.peer) & set(key)
    assert GRADED[qid].practice == task.gold


def test_digit_gold_is_the_datasets_own_label():
    digits = load_digits()
    task = L.digits_task()
    assert task.gold == {item: str(digits.target[L.DIGIT_ITEMS[item]]) for item in L.DIGIT_GOLD}
    assert set(task.gold.values()) == {"1", "4", "7", "9"}
