"""course.fit2.lab: the lab notebook's helpers for looking at an export, drawing a day and labeling segments."""
import shutil

import pandas as pd
import pytest

from course.fit2 import (ArgumentError, ExportError, apply_manual_labels, clean_export, label_by_rule,
                         load_export, minute_table)
from course.fit2 import formats as F
from course.fit2 import lab
from fit2_cases import SAMPLE_DIR

USER3 = SAMPLE_DIR / "samsunghealth_fit2user03_20210615111291"
DAY = "2021-06-10"
SEGMENTS = {
    "seg1": ("2021-06-10 03:00", "2021-06-10 03:30"),   # asleep
    "seg2": ("2021-06-10 07:20", "2021-06-10 07:45"),   # morning stroll
    "seg3": ("2021-06-10 10:30", "2021-06-10 11:00"),   # inside a 'custom' workout, 10:20-11:08
}


@pytest.fixture(scope="module")
def clean():
    return clean_export(load_export(USER3))


@pytest.fixture(scope="module")
def table(clean):
    return minute_table(clean)


@pytest.fixture(scope="module")
def day(table):
    return lab.select_days(table, DAY)


def test_export_files_lists_every_table_with_what_it_holds():
    files = lab.export_files(USER3)
    assert list(files.columns) == ["표 이름", "담긴 내용", "크기(KB)"]
    assert len(files) == 10 and (files["크기(KB)"] > 0).all()
    assert "그 밖의 기록" not in set(files["담긴 내용"])
    assert set(files["표 이름"]) == set(lab.TABLE_CONTENTS)
    row = files[files["표 이름"] == F.SLEEP_STAGE].iloc[0]
    assert row["담긴 내용"] == lab.TABLE_CONTENTS[F.SLEEP_STAGE]
    with pytest.raises(ExportError, match="폴더를 찾을 수 없어요"):
        lab.export_files(SAMPLE_DIR / "no_such_export")


def test_metadata_line_is_line_one_without_the_bom():
    assert lab.metadata_line(USER3, F.HEART_RATE) == f"{F.HEART_RATE},7006011,3"


def test_a_table_name_never_matches_a_longer_table_with_the_same_prefix(tmp_path):
    folder = tmp_path / USER3.name
    shutil.copytree(USER3, folder)
    (folder / f"{F.STRESS}.histogram.20210615111291.csv").write_text("\ufeffcom.samsung.shealth.stress.histogram,1,1\n",
                                                                   encoding="utf-8")
    assert lab.metadata_line(folder, F.STRESS) == f"{F.STRESS},7006011,6"
    with pytest.raises(ExportError, match="파일이 폴더에 없어요"):
        lab.metadata_line(folder, "com.samsung.health.floors_climbed")


def test_raw_rows_keep_the_utc_text_the_loader_turns_into_korean_time():
    raw = lab.raw_rows(USER3, F.HEART_RATE, ["start_time", "time_offset"], rows=3)
    assert list(raw.columns) == ["start_time", "time_offset"] and len(raw) == 3
    assert raw.loc[0, "start_time"] == "2021-05-31 21:37:56.344" and raw.loc[0, "time_offset"] == "UTC+0900"
    loaded = load_export(USER3).heart_rate["time"].iloc[0]
    assert loaded == pd.Timestamp("2021-06-01 06:37:56.344", tz=F.KST)


def test_cleaning_table_names_every_rule_in_korean(clean):
    shown = lab.cleaning_table(clean)
    assert list(shown["뺀 줄 수"]) == list(clean.cleaning.values())
    assert shown["정리한 문제"].tolist()[0] == "같은 시각에 두 번 기록된 심박수"
    with pytest.raises(ArgumentError, match="clean_export"):
        lab.cleaning_table(load_export(USER3))


def test_select_days_cuts_whole_korean_days(table, clean):
    day = lab.select_days(table, DAY)
    assert len(day) == 1440
    assert day["time"].iloc[0] == pd.Timestamp("2021-06-10 00:00", tz=F.KST)
    assert len(lab.select_days(table, "2021-06-02", "2021-06-14")) == 13 * 1440
    workouts = lab.select_days(clean.exercise, DAY)  # a table with 'start', not 'time'
    assert workouts["type"].tolist() == ["custom"]
    with pytest.raises(ArgumentError, match="끝 날짜"):
        lab.select_days(table, "2021-06-10", "2021-06-09")
    with pytest.raises(ArgumentError, match="2021-06-10"):
        lab.select_days(table, "yesterday")


def test_day_figure_draws_heart_rate_readings_and_every_minute_of_steps(day):
    figure = lab.day_figure(day, title="6월 10일")
    heart, steps = figure.data[0], figure.data[1]
    assert heart.type == "scatter" and len(heart.x) == day["hr_mean"].notna().sum()
    assert steps.type == "bar" and len(steps.x) == 1440 and list(steps.y) == day["steps"].tolist()
    assert pd.Timestamp(steps.x[0]) == pd.Timestamp("2021-06-10 00:00")  # Korean wall-clock time, no time zone
    assert not figure.layout.shapes and len(figure.data) == 2


def test_day_figure_shades_runs_of_rule_labels_with_a_legend_entry_per_colour(table):
    day = lab.select_days(label_by_rule(table), DAY)
    figure = lab.day_figure(day)
    changes = (day["label"] != day["label"].shift()).sum()
    assert len(figure.layout.shapes) == changes
    assert {trace.name for trace in figure.data[2:]} == {"수면", "휴식", "걷기"}  # no exercise by rule that day
    colours = {shape.fillcolor for shape in figure.layout.shapes}
    assert colours == {lab.LABEL_COLOURS[label] for label in ("sleep", "rest", "walk")}


def test_day_figure_numbers_segments_and_colours_the_labelled_ones(day):
    figure = lab.day_figure(day, segments=SEGMENTS, labels={"seg3": "운동", "seg1": "sleep"})
    assert [shape.fillcolor for shape in figure.layout.shapes] == [
        lab.LABEL_COLOURS["sleep"], lab.UNLABELLED_COLOUR, lab.LABEL_COLOURS["exercise"]]
    assert [note.text for note in figure.layout.annotations] == ["<b>1</b>", "<b>2</b>", "<b>3</b>"]
    assert pd.Timestamp(figure.layout.shapes[2].x0) == pd.Timestamp("2021-06-10 10:30")
    with pytest.raises(ArgumentError, match="끝이 시작보다"):
        lab.day_figure(day, segments={"bad": ("2021-06-10 11:00", "2021-06-10 10:00")})


def test_segment_summary_gives_the_numbers_a_labeler_looks_at(day, clean):
    sleep = lab.segment_summary(day, *SEGMENTS["seg1"], clean.exercise)
    assert sleep["minutes"] == 30 and sleep["asleep_min"] == 30 and sleep["steps"] == 0 and not sleep["exercises"]
    stroll = lab.segment_summary(day, *SEGMENTS["seg2"], clean.exercise)
    assert stroll["minutes"] == 25 and stroll["steps"] == 2011 and stroll["steps_per_min"] == pytest.approx(80.44)
    workout = lab.segment_summary(day, *SEGMENTS["seg3"], clean.exercise)
    assert workout["hr_readings"] == 30 and workout["steps_per_min"] < 40 and workout["hr_mean"] < 110
    (kind, start, end), = workout["exercises"]
    assert (kind, f"{start:%H:%M}", f"{end:%H:%M}") == ("custom", "10:20", "11:08")
    assert lab.segment_summary(day, *SEGMENTS["seg3"])["exercises"] == []
    with pytest.raises(ArgumentError, match="줄이 표에 없어요"):
        lab.segment_summary(day, "2021-06-11 10:00", "2021-06-11 10:30")


def test_segment_items_show_each_segment_numbered_with_its_facts_in_words(day, clean):
    items = lab.segment_items(day, SEGMENTS, exercise=clean.exercise)
    assert list(items) == ["seg1", "seg2", "seg3"]
    assert "1번 구간 · 03:00~03:30 (30분)" in items["seg1"] and "수면 기록 안: <b>30분</b> / 30분" in items["seg1"]
    assert "분당 평균 <b>80보</b>" in items["seg2"] and "운동 기록: 없어요" in items["seg2"]
    assert "운동 기록: <b>있어요</b>: 사용자 지정 운동" in items["seg3"] and "10:20~11:08" in items["seg3"]
    assert items["seg3"].count("<circle") == 30 and "<svg" in items["seg1"]


def test_manual_segments_turn_saved_labels_into_edits_for_apply_manual_labels(table):
    assert lab.manual_segments(SEGMENTS, None) == []
    edits = lab.manual_segments(SEGMENTS, {"seg3": "운동", "seg1": "수면"})
    assert [label for _, _, label in edits] == ["수면", "운동"]  # in segment order, unlabelled ones left out
    labeled = apply_manual_labels(label_by_rule(table), edits)
    manual = labeled[labeled["label_source"] == "manual"]
    assert len(manual) == 60 and set(manual["label"]) == {"sleep", "exercise"}
    with pytest.raises(ArgumentError, match="seg9"):
        lab.manual_segments(SEGMENTS, {"seg9": "휴식"})
    with pytest.raises(ArgumentError, match="사전"):
        lab.manual_segments([("2021-06-10 03:00", "2021-06-10 03:30")], None)
