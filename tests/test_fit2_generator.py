"""The synthetic export generator: determinism, the real format's quirks, plausible days, problems."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from course.fit2 import formats as F
from course.fit2.errors import ArgumentError
from course.fit2.generator import Problems, generate_export
from fit2_cases import SAMPLE_ARGS, SAMPLE_DIR, raw_rows, table_path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """One person, 3 days, default problems."""
    return generate_export(tmp_path_factory.mktemp("small"), people=1, days=3, seed=11)[0]


@pytest.fixture(scope="module")
def small_legacy(tmp_path_factory) -> Path:
    return generate_export(tmp_path_factory.mktemp("legacy"), people=1, days=3, seed=11, legacy=True)[0]


def test_committed_sample_regenerates_byte_for_byte(tmp_path):
    generate_export(tmp_path, **SAMPLE_ARGS)
    committed = {k: v for k, v in tree_bytes(SAMPLE_DIR).items() if k != "README.md"}
    assert tree_bytes(tmp_path) == committed
    assert len(committed) == 30  # 3 people x 10 tables


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path):
    a = generate_export(tmp_path / "a", people=2, days=2, seed=7)
    b = generate_export(tmp_path / "b", people=2, days=2, seed=7)
    c = generate_export(tmp_path / "c", people=2, days=2, seed=8)
    assert [p.name for p in a] == [p.name for p in b]
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")
    heart = "com.samsung.shealth.tracker.heart_rate"
    assert table_path(a[0], heart).read_bytes() != table_path(c[0], heart).read_bytes()
    assert table_path(a[0], heart).read_bytes() != table_path(a[1], heart).read_bytes()  # people differ


def test_folder_and_file_names(small):
    match = re.fullmatch(r"samsunghealth_fit2user01_(\d{14})", small.name)
    assert match
    stamp = match.group(1)
    names = sorted(p.name for p in small.iterdir())
    assert names == sorted(f"{t}.{stamp}.csv" for t in F.TABLES)


@pytest.mark.parametrize("table", sorted(F.TABLES))
def test_every_file_has_bom_metadata_header_and_trailing_field(small, table):
    path = table_path(small, table)
    data = path.read_bytes()
    assert data[:3] == b"\xef\xbb\xbf"
    lines = data[3:].decode("utf-8").split("\n")
    meta = lines[0].split(",")
    assert meta[0] == table and meta[1] == "7006011" and meta[2].isdigit()
    header = lines[1].split(",")
    assert header == list(F.TABLES[table].columns)
    rows = [line.split(",") for line in lines[2:] if line]
    assert rows, "every table has rows"
    assert {len(r) for r in rows} == {len(header) + 1}
    assert {r[-1] for r in rows} == {""}
    assert data.endswith(b",\n")


def test_headers_are_prefixed_unprefixed_and_mixed(small):
    prefixed = lambda t: [c.startswith("com.samsung.") for c in raw_rows(table_path(small, t))[0]]
    assert all(prefixed("com.samsung.shealth.tracker.heart_rate")[2:])
    assert not any(prefixed("com.samsung.health.sleep_stage"))
    mixed = prefixed("com.samsung.shealth.sleep")
    assert any(mixed) and not all(mixed)


def test_times_are_utc_with_offset_utc_plus_0900(small):
    header, rows = raw_rows(table_path(small, "com.samsung.shealth.tracker.pedometer_step_count"))
    start = header.index("com.samsung.health.step_count.start_time")
    offset = header.index("com.samsung.health.step_count.time_offset")
    assert {r[offset] for r in rows} == {"UTC+0900"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", r[start]) for r in rows)
    # data start on 2021-06-01 KST = 2021-05-31 from 15:00 UTC: the first rows carry the UTC date
    assert rows[0][start].startswith("2021-05-31")


def test_day_time_is_utc_midnight_of_the_korean_date(small):
    header, rows = raw_rows(table_path(small, "com.samsung.shealth.step_daily_trend"))
    days = [int(r[header.index("day_time")]) for r in rows]
    assert all(d % 86_400_000 == 0 for d in days)
    assert datetime.fromtimestamp(days[0] / 1000, timezone.utc).date() == date(2021, 6, 1)
    assert {r[header.index("source_type")] for r in rows} == {"-2"}


def test_steps_come_from_phone_and_band(small):
    header, rows = raw_rows(table_path(small, "com.samsung.shealth.tracker.pedometer_step_count"))
    devices = {r[header.index("com.samsung.health.step_count.deviceuuid")] for r in rows}
    p_header, profiles = raw_rows(table_path(small, "com.samsung.health.device_profile"))
    groups = {r[p_header.index("deviceuuid")]: r[p_header.index("device_group")] for r in profiles}
    assert {groups[d] for d in devices} == {"360001", "360003"}  # phone and band
    assert all(re.fullmatch(r"[A-Za-z0-9+/]{10}", d) for d in devices)
    start = header.index("com.samsung.health.step_count.start_time")
    end = header.index("com.samsung.health.step_count.end_time")
    assert all(r[start].endswith(":00.000") for r in rows)
    one_minute = timedelta(minutes=1)
    assert all(datetime.fromisoformat(r[end]) - datetime.fromisoformat(r[start]) == one_minute for r in rows)
    assert all(int(r[header.index("com.samsung.health.step_count.count")]) > 0 for r in rows)


def test_sleep_stages_link_to_sleep_records(small):
    s_header, sleeps = raw_rows(table_path(small, "com.samsung.shealth.sleep"))
    header, stages = raw_rows(table_path(small, "com.samsung.health.sleep_stage"))
    band = {r[s_header.index("com.samsung.health.sleep.datauuid")] for r in sleeps
            if r[s_header.index("sleep_score")]}
    assert {r[header.index("sleep_id")] for r in stages} == band
    assert {r[header.index("stage")] for r in stages} == {"40001", "40002", "40003", "40004"}


def test_heart_rate_every_ten_minutes_and_every_minute_during_exercise():
    from course.fit2 import load_export

    export = load_export(SAMPLE_DIR / "samsunghealth_fit2user02_20210615174258")
    times = export.heart_rate["time"].drop_duplicates()
    gaps = times.diff().dt.total_seconds().div(60).dropna()
    assert 8 <= gaps.median() <= 11
    sessions = export.exercise[export.exercise["duration_min"] >= 30]
    assert len(sessions) >= 3
    for _, session in sessions.iterrows():
        inside = times[(times >= session["start"]) & (times < session["end"])]
        assert abs(len(inside) - session["duration_min"]) <= 1  # one reading a minute


def test_sample_rhythm_is_plausible_for_age_50_to_69():
    from course.fit2 import clean_export, load_export

    for folder in sorted(SAMPLE_DIR.glob("samsunghealth_*")):
        export = clean_export(load_export(folder))
        band_sleep = export.sleep[export.sleep["device"] == "band"]
        bed_hour = band_sleep["start"].dt.hour + band_sleep["start"].dt.minute / 60
        assert ((bed_hour >= 22) | (bed_hour < 0.01)).all()
        assert band_sleep["duration_min"].between(6.5 * 60, 7.5 * 60).all()
        asleep = export.heart_rate[export.heart_rate["time"].dt.hour.between(2, 4)]["bpm"]
        assert 50 <= asleep.median() <= 72
        daily = export.steps.groupby(export.steps["start"].dt.date)["steps"].sum()
        assert 2_000 <= daily.median() <= 16_000
        assert export.exercise["type"].isin(["walking", "running", "custom"]).all()
        born = int(export.person.birth_date[:4])
        assert 50 <= 2021 - born <= 69


def test_legacy_variant_unprefixed_ms_offset_local_times(small, small_legacy):
    header, rows = raw_rows(table_path(small, "com.samsung.shealth.tracker.heart_rate"))
    l_header, l_rows = raw_rows(table_path(small_legacy, "com.samsung.shealth.tracker.heart_rate"))
    assert not any(c.startswith("com.samsung.") for c in l_header)
    assert "create_sh_ver" not in l_header and len(l_header) == len(header) - 4
    assert table_path(small_legacy, "com.samsung.shealth.tracker.heart_rate").read_bytes() \
        .decode("utf-8-sig").split("\n")[0] == "com.samsung.shealth.tracker.heart_rate,6305031,3"
    offsets = {r[l_header.index("time_offset")] for r in l_rows}
    assert "32400000" in offsets and "UTC+0900" not in offsets
    utc = datetime.fromisoformat(rows[0][header.index("com.samsung.health.heart_rate.start_time")])
    local = datetime.fromisoformat(l_rows[0][l_header.index("start_time")])
    assert local - utc == timedelta(hours=9)


def test_injected_problems_are_in_the_file(small):
    header, rows = raw_rows(table_path(small, "com.samsung.shealth.tracker.heart_rate"))
    offset = header.index("com.samsung.health.heart_rate.time_offset")
    start = header.index("com.samsung.health.heart_rate.start_time")
    assert [r[offset] for r in rows].count("UTC+28550") == 1
    assert sum(r[start].startswith("21") for r in rows) == 1  # 2121: a century away
    keys = [(r[start], r[header.index("com.samsung.health.heart_rate.deviceuuid")]) for r in rows]
    assert len(keys) > len(set(keys))  # duplicates


def test_problems_none_gives_a_clean_export(tmp_path):
    from course.fit2 import load_export

    export = load_export(generate_export(tmp_path, people=1, days=3, seed=11, problems=Problems.none())[0])
    q = export.quality
    assert (q.duplicate_heart_rates, q.impossible_heart_rates, q.overlapping_sleeps, q.short_exercises) == (0, 0, 0, 0)
    assert q.step_devices == ("band",)
    assert export.excluded.empty


def test_problem_rates_can_be_given_as_a_mapping(tmp_path):
    from course.fit2 import load_export

    folder = generate_export(tmp_path, people=1, days=2, seed=3,
                             problems={"duplicate_heart_rates": 0.5, "broken_offsets": 3})[0]
    export = load_export(folder)
    assert export.quality.tables["heart_rate"].bad_offset == 3
    assert export.quality.duplicate_heart_rates > 0.25 * len(export.heart_rate)


@pytest.mark.parametrize("kwargs, text", [
    ({"people": 0}, "people"),
    ({"days": 1.5}, "days"),
    ({"seed": -1}, "seed"),
    ({"start": "2021-06-01"}, "start"),
    ({"problems": {"zero_heart_rate": 0.1}}, "모르는 항목"),
    ({"problems": {"zero_heart_rates": 1.5}}, "zero_heart_rates"),
])
def test_bad_arguments_are_explained(tmp_path, kwargs, text):
    with pytest.raises(ArgumentError, match=text):
        generate_export(tmp_path, **kwargs)
