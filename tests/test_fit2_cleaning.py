"""Cleaning rules and dataset tools, each on tiny hand-made tables with hand-written answers."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from course.fit2 import (
    ArgumentError,
    apply_manual_labels,
    clean_export,
    keep_one_step_device,
    label_by_rule,
    load_export,
    local_day,
    minute_table,
    remove_duplicate_heart_rates,
    remove_impossible_heart_rates,
    remove_overlapping_sleep,
    remove_short_exercises,
    resample,
    steps_per_day,
    write_dataset,
)
from course.fit2 import formats as F
from fit2_cases import USER1, hr_frame, kst, sleep_frame, steps_frame, tiny_export

# ---------------------------------------------------------------- cleaning rules


def test_duplicate_heart_rates_same_time_and_device_keep_first():
    hr = hr_frame(["2021-06-01 08:00:00", "2021-06-01 08:00:00", "2021-06-01 08:00:00", "2021-06-01 08:10:00"],
                  [70, 71, 72, 73], device_ids=["B", "B", "P", "B"])
    cleaned = remove_duplicate_heart_rates(hr)
    assert cleaned["bpm"].tolist() == [70, 72, 73]  # 71 repeats B at 08:00; P is another device
    assert len(hr) == 4  # the input is not changed


def test_impossible_heart_rates_outside_30_to_220():
    hr = hr_frame(["2021-06-01 08:00"] * 7, [0, 29, 30, 75, 220, 221, float("nan")])
    assert remove_impossible_heart_rates(hr)["bpm"].tolist() == [30, 75, 220]
    assert remove_impossible_heart_rates(hr, low=40, high=100)["bpm"].tolist() == [75]
    with pytest.raises(ArgumentError, match="'low'는 'high'보다 작아야 해요"):
        remove_impossible_heart_rates(hr, low=100, high=40)


def test_short_exercises_under_one_minute():
    exercise = pd.DataFrame({"duration_min": [0.5, 0.99, 1.0, 30.0]})
    assert remove_short_exercises(exercise)["duration_min"].tolist() == [1.0, 30.0]


def test_overlapping_sleep_keeps_band_then_longer():
    sleep = sleep_frame([
        ("2021-06-01 23:00", "2021-06-02 06:00"),   # band night: kept
        ("2021-06-01 22:40", "2021-06-02 06:10"),   # phone, longer but phone: dropped
        ("2021-06-02 14:00", "2021-06-02 14:30"),   # band nap, overlaps nothing: kept
        ("2021-06-02 05:00", "2021-06-02 05:30"),   # band, inside the night: dropped
        ("2021-06-02 06:00", "2021-06-02 06:20"),   # band, starts when the night ends: kept
    ], devices=["band", "phone", "band", "band", "band"])
    kept = remove_overlapping_sleep(sleep)
    assert kept["start"].tolist() == [kst("2021-06-01 23:00"), kst("2021-06-02 14:00"), kst("2021-06-02 06:00")]


def test_keep_one_step_device_prefers_the_band():
    steps = steps_frame(["2021-06-01 08:00", "2021-06-01 08:00", "2021-06-01 08:01"], [50, 48, 30],
                        devices=["band", "phone", "band"])
    assert keep_one_step_device(steps)["steps"].tolist() == [50, 30]
    assert keep_one_step_device(steps, "phone")["steps"].tolist() == [48]
    with pytest.raises(ArgumentError, match="'watch'"):
        keep_one_step_device(steps, "watch")
    with pytest.raises(ArgumentError, match="'other' 기기의 걸음 기록이 없어요"):
        keep_one_step_device(steps, "other")


def test_rules_explain_a_wrong_table():
    with pytest.raises(ArgumentError, match="'heart_rate' 표에 bpm 열이 없어요"):
        remove_impossible_heart_rates(pd.DataFrame({"steps": [1]}))
    with pytest.raises(ArgumentError, match="표를 넣어 주세요"):
        remove_duplicate_heart_rates([70, 71])


def test_day_is_cut_in_korean_time():
    times = pd.Series(pd.to_datetime(["2021-06-01 14:59", "2021-06-01 15:00", "2021-06-01 23:30"]))
    days = local_day(times.dt.tz_localize("UTC"))
    assert days.tolist() == [pd.Timestamp("2021-06-01"), pd.Timestamp("2021-06-02"), pd.Timestamp("2021-06-02")]
    with pytest.raises(ArgumentError, match="시간대가 있는 시각"):
        local_day(times)


def test_steps_per_day_uses_korean_days():
    steps = steps_frame(["2021-06-01 23:59", "2021-06-02 00:00", "2021-06-02 08:30"], [10, 20, 30])
    per_day = steps_per_day(steps)
    assert per_day.to_dict() == {pd.Timestamp("2021-06-01"): 10, pd.Timestamp("2021-06-02"): 50}


def test_clean_export_counts_what_each_rule_removed():
    export = load_export(USER1)
    clean = clean_export(export)
    assert clean.cleaning == {"duplicate_heart_rates": 55, "impossible_heart_rates": 7,
                              "other_device_steps": 1367, "overlapping_sleeps": 1, "short_exercises": 0}
    assert len(clean.heart_rate) == 2365 - 55 - 7
    assert set(clean.steps["device"]) == {"band"}
    assert len(export.heart_rate) == 2365  # the loaded export is untouched


# ---------------------------------------------------------------- resampling and labels


def test_minute_table_joins_heart_rate_steps_and_sleep():
    export = tiny_export(
        heart_rate=hr_frame(["2021-06-01 00:00:30", "2021-06-01 00:00:50", "2021-06-01 00:05:10"], [60, 70, 90]),
        steps=steps_frame(["2021-06-01 00:01", "2021-06-01 00:05"], [100, 7]),
        sleep=sleep_frame([("2021-06-01 00:02", "2021-06-01 00:04")]),
    )
    table = minute_table(export)
    assert len(table) == 24 * 60  # one whole Korean day
    assert table["time"].iloc[0] == kst("2021-06-01 00:00")
    head = table.head(6)
    assert head["hr_mean"].tolist()[:1] == [65.0] and head["hr_mean"].iloc[5] == 90.0
    assert head["hr_mean"].iloc[1:5].isna().all()
    assert head["steps"].tolist() == [0, 100, 0, 0, 0, 7]
    assert head["asleep"].tolist() == [False, False, True, True, False, False]
    assert table["time"].dtype == F.TIME_DTYPE


def test_hourly_resample_sums_and_means():
    export = tiny_export(
        heart_rate=hr_frame(["2021-06-01 07:10", "2021-06-01 07:50", "2021-06-01 08:05"], [60, 80, 100]),
        steps=steps_frame(["2021-06-01 07:00", "2021-06-01 07:59", "2021-06-01 08:00"], [40, 60, 5]),
        sleep=sleep_frame([("2021-06-01 00:00", "2021-06-01 06:31")]),
    )
    hours = resample(export, "1h")
    assert len(hours) == 24
    assert hours.loc[7, ["hr_mean", "steps"]].tolist() == [70.0, 100]
    assert hours.loc[8, ["hr_mean", "steps"]].tolist() == [100.0, 5]
    assert hours["asleep"].tolist()[:8] == [True] * 7 + [False]  # 06:00-06:31 is asleep for 31 of 60 min


def test_resample_refuses_bad_freq_and_double_counted_steps():
    export = tiny_export(steps=steps_frame(["2021-06-01 08:00", "2021-06-01 08:00"], [5, 5], ["band", "phone"]))
    with pytest.raises(ArgumentError, match="두 기기"):
        resample(export)
    with pytest.raises(ArgumentError, match="'freq'는"):
        resample(tiny_export(), "2h")


def test_label_by_rule_thresholds():
    table = pd.DataFrame({
        "time": pd.date_range("2021-06-01 08:00", periods=6, freq="1min", tz=F.KST),
        "hr_mean": [55.0, 120.0, 115.0, 95.0, 70.0, None],
        "steps": [0, 120, 0, 50, 39, 100],
        "asleep": [True, False, False, False, False, False],
    })
    labels = label_by_rule(table)["label"].tolist()
    assert labels == ["sleep", "exercise", "exercise", "walk", "rest", "exercise"]
    assert label_by_rule(table)["label_source"].unique().tolist() == ["rule"]


def test_label_by_rule_uses_steps_per_minute_on_hourly_rows():
    table = pd.DataFrame({"time": pd.date_range("2021-06-01", periods=3, freq="1h", tz=F.KST),
                          "hr_mean": [80.0, 80.0, 80.0], "steps": [6000, 2400, 2399], "asleep": [False] * 3})
    assert label_by_rule(table)["label"].tolist() == ["exercise", "walk", "rest"]


def _labelled() -> pd.DataFrame:
    table = pd.DataFrame({"time": pd.date_range("2021-06-01 07:00", periods=4, freq="1min", tz=F.KST),
                          "hr_mean": [70.0] * 4, "steps": [0] * 4, "asleep": [False] * 4})
    return label_by_rule(table)


def test_manual_labels_override_rule_labels():
    out = apply_manual_labels(_labelled(), [("2021-06-01 07:01", "2021-06-01 07:03", "걷기"),
                                            (kst("2021-06-01 07:02"), kst("2021-06-01 07:03"), "exercise")])
    assert out["label"].tolist() == ["rest", "walk", "exercise", "rest"]
    assert out["label_source"].tolist() == ["rule", "manual", "manual", "rule"]


def test_manual_labels_from_a_dataframe_and_utc_times():
    segments = pd.DataFrame({"start": ["2021-05-31 22:00+00:00"], "end": ["2021-05-31 22:02+00:00"],
                             "label": ["sleep"]})
    assert apply_manual_labels(_labelled(), segments)["label"].tolist() == ["sleep", "sleep", "rest", "rest"]


@pytest.mark.parametrize("segment, message", [
    (("2021-06-01 07:00", "2021-06-01 07:02", "napping"), "레이블 'napping'은 쓸 수 없어요"),
    (("2021-06-01 07:02", "2021-06-01 07:00", "rest"), "끝\\(2021-06-01 07:00\\)이 시작보다 빨라요"),
    (("2021-06-02 07:00", "2021-06-02 08:00", "rest"), "시간 범위 밖"),
    (("어제", "2021-06-01 07:02", "rest"), "start 시각\\('어제'\\)을 읽을 수 없어요"),
    (("2021-06-01 07:00", "rest"), "세 값이어야 해요"),
])
def test_bad_segments_are_explained(segment, message):
    with pytest.raises(ArgumentError, match=message):
        apply_manual_labels(_labelled(), [segment])


# ---------------------------------------------------------------- writing a dataset


def test_write_dataset_files_and_card(tmp_path):
    export = load_export(USER1)
    table = label_by_rule(resample(clean_export(export), "1h"))
    paths = write_dataset(table, tmp_path / "out", {"title": "Fit2 hourly", "source": "data/fit2 fit2user01",
                                                    "synthetic": True, "quality": export.quality})
    assert sorted(p.name for p in paths.values()) == ["datacard.json", "datacard.md", "dataset.csv",
                                                     "dataset.parquet"]
    back = pd.read_parquet(paths["parquet"])
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    assert pd.read_csv(paths["csv"])["steps"].sum() == table["steps"].sum()
    card = json.loads(paths["card_json"].read_text(encoding="utf-8"))
    assert card["synthetic"] is True and card["provenance"].startswith("Synthetic data")
    assert card["rows"] == len(table) == 15 * 24
    assert [c["name"] for c in card["columns"]] == list(table.columns)
    assert {c["name"]: c["unit"] for c in card["columns"]}["hr_mean"] == "bpm"
    assert card["quality"]["duplicate_heart_rates"] == 55
    assert sum(card["labels"].values()) == len(table)
    assert "Synthetic data" in paths["card_md"].read_text(encoding="utf-8")


@pytest.mark.parametrize("info, message", [
    ({"title": "t", "source": "s"}, "빠진 것: synthetic"),
    ({"title": "t", "source": "s", "synthetic": True, "autor": "x"}, "모르는 것: autor"),
    ({"title": "t", "source": "s", "synthetic": "yes"}, "True나 False"),
])
def test_write_dataset_checks_card_info(tmp_path, info, message):
    with pytest.raises(ArgumentError, match=message):
        write_dataset(_labelled(), tmp_path, info)
    assert not (tmp_path / "dataset.csv").exists()
