"""course.ml: the helpers of notebooks 05 and 06 (labels, label noise, de-identification)."""
import numpy as np
import pandas as pd
import pytest

from course import ml
from course.errors import CourseError
from course.notebook import ___


def test_flip_labels_changes_exactly_the_share_and_never_to_the_right_label():
    labels = np.arange(200) % 10
    flipped = ml.flip_labels(labels, 0.25, np.random.default_rng(3))
    changed = flipped != labels
    assert changed.sum() == 50
    assert set(flipped) <= set(range(10))
    assert (labels == np.arange(200) % 10).all(), "the input is left untouched"
    assert (ml.flip_labels(labels, 0.0, np.random.default_rng(0)) == labels).all()


def test_label_noise_curve_is_deterministic_and_falls_as_labels_go_wrong():
    curve = ml.label_noise_curve(percents=[0, 25, 50], repeats=1)
    assert list(curve.columns) == [ml.WRONG, ml.ACCURACY]
    assert curve[ml.WRONG].tolist() == [0, 25, 50]
    accuracies = curve[ml.ACCURACY].tolist()
    assert accuracies[0] > accuracies[1] > accuracies[2]
    assert 70 < accuracies[0] <= 100
    assert curve.equals(ml.label_noise_curve(percents=[0, 25, 50], repeats=1))


def test_accuracy_at_looks_values_up_and_explains_a_wrong_percent():
    curve = pd.DataFrame({ml.WRONG: [0, 5, 10], ml.ACCURACY: [84.0, 80.0, 75.0]})
    assert ml.accuracy_at(curve, 5) == 80.0
    assert ml.accuracy_at(curve, 10.0) == 75.0
    for wrong in ("5", 7, True, ___):
        with pytest.raises(CourseError):
            ml.accuracy_at(curve, wrong)
    with pytest.raises(CourseError, match="빈칸"):
        ml.accuracy_at(curve, ___)


def test_noise_figure_and_explorer_show_the_chosen_point():
    curve = pd.DataFrame({ml.WRONG: [0, 5, 10], ml.ACCURACY: [84.0, 80.0, 75.0]})
    fig = ml.noise_figure(curve, 5)
    assert "5%" in fig.layout.title.text and "80%" in fig.layout.title.text
    assert list(fig.data[1].x) == [5] and list(fig.data[1].y) == [80.0]
    explorer = ml.noise_explorer(curve)
    slider = explorer.children[0]
    assert (slider.min, slider.max, slider.step, slider.value) == (0, 10, 5, 0)


def test_digit_picture_places_the_digits_where_the_boxes_say():
    picture = ml.digit_picture([3, 7])
    assert picture.shape == (12, 22)
    assert picture[:2].sum() == 0 and picture[:, :2].sum() == 0
    assert picture[2:10, 12:20].sum() > 0


def test_draw_boxes_draws_each_box_over_its_pixels():
    annotation = {"objects": [{"label": "3", "x": 3, "y": 2, "width": 6, "height": 8}]}
    fig = ml.draw_boxes(ml.digit_picture([3]), annotation)
    shape = fig.layout.shapes[0]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (2.5, 8.5, 1.5, 9.5)
    assert "3" in fig.layout.annotations[0].text


def test_char_table_numbers_every_letter_from_zero():
    table = ml.char_table("만 보")
    assert list(table.columns) == [0, 1, 2]
    assert table.loc["글자"].tolist() == ["만", "␣", "보"]


def test_draw_segments_and_show_predictions_make_figures():
    segments = pd.DataFrame({"시작": ["07:00", "07:30"], "끝": ["07:30", "07:50"], "레이블": ["걷기", "달리기"]})
    assert len(ml.draw_segments(segments).data) == 2
    fig = ml.show_predictions(np.zeros((6, 8, 8)), [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 0])
    titles = sorted(a.text for a in fig.layout.annotations)
    assert "정답 6 · AI 0 ✗" in titles and "정답 1 · AI 1" in titles


def test_made_up_people_is_the_documented_synthetic_table():
    people = ml.made_up_people()
    assert list(people.columns) == ["이름", "전화번호", "주민등록번호", "나이", "걸음 수", "심박수"]
    assert len(people) == 6
    assert people["전화번호"].str.startswith("010-0000-").all()
    assert people["주민등록번호"].str.endswith("******").all()
    assert people["나이"].between(50, 69).all()


def test_age_band_generalises_and_leaves_a_band_alone():
    assert [ml.age_band(a) for a in (50, 57, 59.9, 60, 69)] == ["50대", "50대", "50대", "60대", "60대"]
    assert ml.age_band("60대") == "60대"
    for wrong in ("예순", None, True):
        with pytest.raises(CourseError):
            ml.age_band(wrong)
    people = ml.made_up_people()
    assert people["나이"].map(ml.age_band).tolist() == ["50대", "60대", "60대", "50대", "60대", "50대"]
