"""The export loader: facts checked against the raw CSV text, every bad input explained."""
from __future__ import annotations

import collections
from datetime import datetime, timedelta

import pandas as pd
import pytest

from course.fit2 import formats as F
from course.fit2.errors import ExportError
from course.fit2.generator import generate_export
from course.fit2.loader import load_export
from fit2_cases import STAMP1, USER1, copy_export, kst, raw_rows, table_path

HR = "com.samsung.shealth.tracker.heart_rate"
STEPS = "com.samsung.shealth.tracker.pedometer_step_count"
P = "com.samsung.health.heart_rate."


@pytest.fixture(scope="module")
def export():
    return load_export(USER1)


@pytest.fixture(scope="module")
def raw_hr():
    return raw_rows(table_path(USER1, HR))


# ---------------------------------------------------------------- facts from the raw text

def test_one_known_row_in_korean_time(export, raw_hr):
    header, rows = raw_hr
    row = rows[0]  # file line 3
    assert row[header.index(P + "start_time")] == "2021-05-31 20:34:12.969"
    assert row[header.index(P + "heart_rate")] == "61.0"
    loaded = export.heart_rate.iloc[0]
    assert loaded["time"] == kst("2021-06-01 05:34:12.969")  # 20:34 UTC + 9 h
    assert loaded["bpm"] == 61.0
    assert loaded["device"] == "band"
    assert loaded["datauuid"] == row[header.index(P + "datauuid")]


def test_every_kept_row_matches_its_raw_line(export, raw_hr):
    header, rows = raw_hr
    start, bpm = header.index(P + "start_time"), header.index(P + "heart_rate")
    offset = header.index(P + "time_offset")
    by_hand = sorted((datetime.fromisoformat(r[start]) + timedelta(hours=9), float(r[bpm]))
                     for r in rows if r[offset] == "UTC+0900" and r[start].startswith("2021"))
    loaded = sorted(zip(export.heart_rate["time"].dt.tz_localize(None), export.heart_rate["bpm"]))
    assert loaded == by_hand


def test_row_counts_equal_raw_data_lines_minus_excluded(export, raw_hr):
    assert len(raw_hr[1]) == 2367
    assert len(export.heart_rate) == 2367 - 2  # one broken offset, one date in 2121
    assert len(export.steps) == len(raw_rows(table_path(USER1, STEPS))[1]) == 5283
    assert export.quality.tables["heart_rate"].rows_read == 2367
    assert export.quality.tables["heart_rate"].rows_kept == 2365


def test_duplicate_and_zero_counts_match_the_raw_file(export, raw_hr):
    header, rows = raw_hr
    keys = collections.Counter((r[header.index(P + "start_time")], r[header.index(P + "deviceuuid")])
                               for r in rows)
    duplicates_by_hand = sum(n - 1 for n in keys.values())
    zeros_by_hand = sum(r[header.index(P + "heart_rate")] == "0.0" for r in rows)
    # Problems() default: 2 % duplicates and 0.5 % zeros of ~2,310 readings (about 46 and 12
    # expected); seed 5060 draws 55 and 7 for fit2user01.
    assert duplicates_by_hand == 55 == export.quality.duplicate_heart_rates
    assert zeros_by_hand == 7 == export.quality.impossible_heart_rates


def test_excluded_rows_name_their_file_line_and_reason(export, raw_hr):
    header, rows = raw_hr
    broken = [n + 3 for n, r in enumerate(rows) if r[header.index(P + "time_offset")] == "UTC+28550"]
    far = [n + 3 for n, r in enumerate(rows) if r[header.index(P + "start_time")].startswith("2121")]
    assert broken == [347] and far == [96]
    assert sorted(export.excluded["line"].tolist()) == [96, 347]
    assert str(export.excluded["line"].dtype) == "Int64"  # line numbers print as 347, not 347.0
    excluded = export.excluded.set_index("line")
    assert excluded.loc[347, "reason"] == "bad_offset"
    assert excluded.loc[96, "reason"] == "far_date"
    assert set(excluded["file"]) == {f"{HR}.{STAMP1}.csv"}
    counts = export.quality.tables["heart_rate"]
    assert (counts.bad_offset, counts.far_date, counts.bad_time) == (1, 1, 0)


def test_tidy_schema_and_dtypes(export):
    time = F.TIME_DTYPE
    expected = {
        "heart_rate": {"time": time, "bpm": "float64", "device": "category", "device_id": "category"},
        "steps": {"start": time, "end": time, "steps": "int64", "distance_m": "float64",
                  "calories_kcal": "float64", "speed_mps": "float64", "device": "category"},
        "sleep": {"start": time, "end": time, "duration_min": "float64", "device": "category"},
        "sleep_stages": {"start": time, "end": time, "stage": "category"},
        "exercise": {"start": time, "end": time, "type": "category", "duration_min": "float64",
                     "calories_kcal": "float64", "mean_hr": "float64"},
        "stress": {"start": time, "end": time, "score": "float64"},
    }
    for table, columns in expected.items():
        frame = getattr(export, table)
        for column, dtype in columns.items():
            assert frame[column].dtype == dtype, (table, column)
    assert list(export.sleep_stages["stage"].cat.categories) == ["awake", "light", "deep", "rem"]
    assert set(export.exercise["type"]) <= {"walking", "running", "custom"}
    assert not pd.api.types.is_object_dtype(export.heart_rate["datauuid"].dtype) or pd.__version__ < "3"


def test_steps_keep_both_devices_and_daily_totals_match_band(export):
    assert export.quality.step_devices == ("band", "phone")
    band = export.steps[export.steps["device"] == "band"]
    header, rows = raw_rows(table_path(USER1, STEPS))
    # By hand: band rows whose UTC start lies in [2021-06-01 15:00, 2021-06-02 15:00) are 2021-06-02 in Korea.
    band_id = band["device_id"].iloc[0]
    start = header.index("com.samsung.health.step_count.start_time")
    count = header.index("com.samsung.health.step_count.count")
    device = header.index("com.samsung.health.step_count.deviceuuid")
    by_hand = sum(int(r[count]) for r in rows
                  if r[device] == band_id and "2021-06-01 15:00" <= r[start] < "2021-06-02 15:00")
    loaded = band[band["start"].dt.date == pd.Timestamp("2021-06-02").date()]["steps"].sum()
    assert loaded == by_hand
    daily = export.daily_steps.set_index("day")
    assert daily.loc["2021-06-02", "steps"] == by_hand
    assert (daily["source"] == "all").all()


def test_sleep_stages_and_exercise_values(export):
    first = export.sleep_stages.iloc[0]
    assert first["start"] == kst("2021-06-01 22:39") and first["stage"] == "light"
    assert set(export.sleep_stages["sleep_id"]) <= set(export.sleep["sleep_id"])
    run = export.exercise.iloc[0]
    assert run["type"] == "running" and run["start"] == kst("2021-06-01 16:00")
    assert run["duration_min"] == 45.0 and run["steps"] == 6417


def test_person_comes_from_folder_and_profile(export):
    assert export.person.user == "fit2user01"
    assert export.person.export_stamp == STAMP1
    assert export.person.birth_date == "19641120"
    assert export.person.height_cm == 167.4


def test_quality_summary_is_korean(export):
    summary = export.quality.summary()
    assert "같은 시각에 두 번 기록된 심박수: 55개" in summary
    assert "두 번 세게 돼요" in summary
    frame = export.quality.to_frame()
    assert frame.loc["heart_rate", "rows_kept"] == 2365


# ---------------------------------------------------------------- variants that must load the same

def test_legacy_export_loads_to_the_same_tidy_tables(tmp_path):
    modern = load_export(generate_export(tmp_path / "m", people=1, days=3, seed=21)[0])
    legacy = load_export(generate_export(tmp_path / "l", people=1, days=3, seed=21, legacy=True)[0])
    for table in ("heart_rate", "steps", "sleep", "sleep_stages", "exercise", "stress", "daily_steps"):
        pd.testing.assert_frame_equal(getattr(modern, table), getattr(legacy, table))
    assert legacy.quality == modern.quality
    assert legacy.quality.tables["heart_rate"].bad_offset == 1


def _rewrite(path, transform):
    """Apply ``transform(header_fields, rows) -> (header_fields, rows)`` keeping BOM, metadata and trailing commas."""
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    header, rows = lines[1].split(","), [line.split(",")[:-1] for line in lines[2:] if line]
    header, rows = transform(header, rows)
    text = "\n".join([lines[0], ",".join(header)] + [",".join(r) + "," for r in rows]) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def test_column_order_change_and_unprefixed_header_load_the_same(tmp_path, export):
    folder = copy_export(USER1, tmp_path)
    order = list(range(21))[::-1]
    _rewrite(table_path(folder, HR), lambda h, rows: ([F.short_name(h[i]) for i in order],
                                                      [[r[i] for i in order] for r in rows]))
    reordered = load_export(folder)
    pd.testing.assert_frame_equal(reordered.heart_rate, export.heart_rate)


def test_without_device_profile_the_band_is_the_heart_rate_device(tmp_path, export):
    folder = copy_export(USER1, tmp_path)
    table_path(folder, "com.samsung.health.device_profile").unlink()
    loaded = load_export(folder)
    pd.testing.assert_series_equal(loaded.steps["device"], export.steps["device"])
    assert loaded.quality.step_devices == ("band", "phone")


def test_parent_folder_with_one_export_inside(tmp_path):
    copy_export(USER1, tmp_path)
    assert load_export(tmp_path).person.user == "fit2user01"


# ---------------------------------------------------------------- bad input: a clear message

def _error(folder) -> ExportError:
    with pytest.raises(ExportError) as info:
        load_export(folder)
    return info.value


def test_missing_folder(tmp_path):
    error = _error(tmp_path / "samsunghealth_nobody_20210101000000")
    assert "폴더를 찾을 수 없어요" in str(error)
    assert "samsunghealth_nobody_20210101000000" in str(error)


def test_broken_zip_file_asks_to_download_again(tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04")
    error = _error(archive)
    assert "다시 내려받아 주세요" in str(error) and error.file == "export.zip"


def test_missing_required_table(tmp_path):
    folder = copy_export(USER1, tmp_path)
    table_path(folder, HR).unlink()
    error = _error(folder)
    assert "꼭 필요한 심박수 파일이 없어요" in str(error) and HR in str(error)


def test_truncated_file_names_file_and_last_line(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 70])  # cut inside the last row
    error = _error(folder)
    assert "잘렸어요" in str(error) and path.name in str(error)
    assert error.file == path.name and error.line == 2369  # 2 preamble lines + 2,367 rows


def test_cp949_encoding(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    fields = lines[9].split(",")
    fields[16] = "측정오류"  # the comment column, line 10
    lines[9] = ",".join(fields)
    path.write_bytes("\n".join(lines).encode("cp949"))
    error = _error(folder)
    assert "인코딩이 UTF-8이 아니에요" in str(error) and "CP949" in str(error)
    assert error.file == path.name and error.line == 10


def test_utf16_encoding(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, "com.samsung.shealth.stress")
    path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("utf-16"))
    error = _error(folder)
    assert "UTF-16" in str(error) and path.name in str(error)


def test_missing_required_column(tmp_path):
    folder = copy_export(USER1, tmp_path)
    drop = 20  # com.samsung.health.heart_rate.heart_rate
    _rewrite(table_path(folder, HR), lambda h, rows: (h[:drop], [r[:drop] for r in rows]))
    error = _error(folder)
    assert "꼭 있어야 할 열(heart_rate)이 없어요" in str(error) and HR in str(error)
    assert error.line == 2


@pytest.mark.parametrize("change, found", [(lambda f: f + ["x"], 23), (lambda f: f[1:], 21)])
def test_row_with_wrong_field_count_is_never_shifted(tmp_path, change, found):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    lines[49] = ",".join(change(lines[49].split(",")))  # file line 50
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    error = _error(folder)
    assert f"칸 수가 {found}개인데 22개여야 해요" in str(error)
    assert error.file == path.name and error.line == 50


def test_metadata_line_removed(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, STEPS)
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(path.read_bytes()[3:].split(b"\n")[1:]))
    error = _error(folder)
    assert "정보 줄" in str(error) and error.line == 1 and error.file == path.name


def test_text_in_a_number_column(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, HR)
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    fields = lines[29].split(",")
    fields[20] = "abc"  # heart_rate, line 30
    lines[29] = ",".join(fields)
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    error = _error(folder)
    assert "숫자가 아닌 값('abc')" in str(error) and error.line == 30


def test_row_level_problems_are_excluded_and_counted(tmp_path):
    folder = copy_export(USER1, tmp_path)

    def damage(header, rows):
        rows[0][14] = "UTC+9900"                       # absurd offset (line 3)
        rows[1][4] = rows[1][18] = "3021-05-31 20:44:06.786"  # a millennium away (line 4)
        rows[2][4] = rows[2][18] = "yesterday"          # unreadable time (line 5)
        rows[3][20] = ""                                # no heart rate (line 6)
        return header, rows

    _rewrite(table_path(folder, HR), damage)
    loaded = load_export(folder)
    reasons = loaded.excluded.set_index("line")["reason"]
    assert reasons.loc[[3, 4, 5, 6]].tolist() == ["bad_offset", "far_date", "bad_time", "missing_value"]
    counts = loaded.quality.tables["heart_rate"]
    assert (counts.bad_offset, counts.far_date, counts.bad_time, counts.missing_value) == (2, 2, 1, 1)
    assert len(loaded.heart_rate) == 2367 - 6
    assert loaded.heart_rate["time"].notna().all()


def test_files_of_two_exports_mixed(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, STEPS)
    path.rename(path.with_name(f"{STEPS}.20210701120000.csv"))
    error = _error(folder)
    assert "숫자 14자리가 서로 달라요" in str(error) and folder.name in str(error)


def test_empty_file(tmp_path):
    folder = copy_export(USER1, tmp_path)
    path = table_path(folder, "com.samsung.shealth.exercise")
    path.write_bytes(b"")
    error = _error(folder)
    assert "비어 있거나" in str(error) and error.file == path.name


def test_missing_optional_column_comes_back_empty(tmp_path):
    folder = copy_export(USER1, tmp_path)
    drop = 2  # run_step
    _rewrite(table_path(folder, STEPS), lambda h, rows: (h[:drop] + h[drop + 1:],
                                                         [r[:drop] + r[drop + 1:] for r in rows]))
    loaded = load_export(folder)
    assert loaded.steps["run_steps"].isna().all()
    assert len(loaded.steps) == 5283
