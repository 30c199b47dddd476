"""Synthetic Samsung Health exports of Galaxy Fit2 wearers, in the real file format.

:func:`generate_export` writes one folder per person, with every quirk of the real
export: UTF-8 with BOM, a metadata first line, prefixed / unprefixed / mixed headers,
one more field per data row than the header (a trailing comma), UTC times with
``time_offset`` ``UTC+0900``, ``day_time`` as epoch ms at UTC midnight, phone and band
both writing steps, and the data-quality problems of :class:`Problems`. ``legacy=True``
writes the older format instead: unprefixed columns without the newer version columns,
local-time timestamps, and ``time_offset`` in milliseconds (``32400000``).

Everything comes from one ``numpy`` Generator per person, seeded from ``seed``:
the same arguments always give byte-identical files (no clock, no system uuids).

Example
-------
>>> from datetime import date
>>> folders = generate_export("data/fit2", people=3, days=14, seed=5060, start=date(2021, 6, 1))
"""
from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from course.fit2 import formats as F
from course.fit2 import simulation as S
from course.fit2.errors import ArgumentError, allowed

MINUTE = S.MINUTE_MS
#: ``time_offset`` of every row, in minutes (Korea, UTC+9), and the broken value (UTC+28550).
KST_MIN = S.KST_OFFSET_MIN
BROKEN_OFFSET_MIN = 285 * 60 + 50


@dataclass(frozen=True)
class Problems:
    """Data-quality problems injected into each person's export.

    Rates are shares drawn independently per row (or per night / day) with the
    person's Generator, so the exact counts are fixed by the seed.

    * ``duplicate_heart_rates``: share of heart-rate readings written twice (the copy has
      the same time, device and value, a new ``datauuid`` and a later ``update_time``);
    * ``zero_heart_rates``: share of heart-rate readings written as ``0.0`` bpm;
    * ``broken_offsets``: number of heart-rate rows whose ``time_offset`` is ``UTC+28550``
      (``1029000000`` ms in the legacy format);
    * ``far_dates``: number of heart-rate rows dated exactly 100 years later;
    * ``overlapping_sleeps``: share of nights with an extra phone sleep record overlapping
      the band's;
    * ``short_exercises``: share of days with an exercise record shorter than one minute;
    * ``phone_steps``: whether the phone also writes step rows (steps counted twice).

    A problem row is never also a duplicate or a zero, so each count stands alone.
    """

    duplicate_heart_rates: float = 0.02
    zero_heart_rates: float = 0.005
    broken_offsets: int = 1
    far_dates: int = 1
    overlapping_sleeps: float = 0.15
    short_exercises: float = 0.1
    phone_steps: bool = True

    @classmethod
    def none(cls) -> "Problems":
        """No injected problems at all: a clean export (steps from the band only)."""
        return cls(0.0, 0.0, 0, 0, 0.0, 0.0, False)

    @classmethod
    def coerce(cls, value: "Problems | Mapping[str, float] | None") -> "Problems":
        """Accept a Problems, a mapping of some of its fields, or None (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, Mapping):
            names = [f.name for f in dataclasses.fields(cls)]
            unknown = sorted(set(value) - set(names))
            if unknown:
                raise ArgumentError(
                    f"problems에 모르는 항목이 있어요: {', '.join(unknown)}",
                    f"unknown problems key(s) {unknown}; allowed: {allowed(names)}")
            value = cls(**value)
        value._check()
        return value

    def _check(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(f.default, bool):
                ok = isinstance(value, bool)
            elif isinstance(f.default, int):
                ok = isinstance(value, int) and value >= 0
            else:
                ok = isinstance(value, (int, float)) and 0 <= value <= 1
            if not ok:
                raise ArgumentError(f"problems의 '{f.name}' 값({value!r})을 쓸 수 없어요.",
                                    f"problems.{f.name}={value!r}: rates must be in [0, 1], counts "
                                    "integers >= 0, phone_steps True/False")


def generate_export(
    out_dir: str | Path,
    people: int = 3,
    days: int = 14,
    seed: int = 5060,
    start: date = date(2021, 6, 1),
    legacy: bool = False,
    problems: Problems | Mapping[str, float] | None = None,
) -> list[Path]:
    """Write one synthetic Samsung Health export folder per person into ``out_dir``.

    Person ``i`` (from 0) uses ``numpy.random.default_rng([seed, i])``; their folder is
    ``samsunghealth_fit2user<i+1:02>_<14 digits>/``. Data covers ``days`` local days from
    ``start`` (from the first wake-up to the wake-up after the last night). Returns the
    folders, in person order.
    """
    _check_arguments(people, days, seed, start)
    problems = Problems.coerce(problems)
    out = Path(out_dir)
    return [_write_person(out, i, np.random.default_rng([seed, i]), days, start, legacy, problems)
            for i in range(people)]


def _check_arguments(people: int, days: int, seed: int, start: date) -> None:
    for name, value, low in (("people", people, 1), ("days", days, 1), ("seed", seed, 0)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
            raise ArgumentError(f"'{name}'에는 {low} 이상의 정수를 넣어 주세요.",
                                f"{name}={value!r}: expected an integer >= {low}")
    if not isinstance(start, date):
        raise ArgumentError("시작 날짜에는 날짜를 넣어 주세요 (예: 2021년 6월 1일).",
                            f"start={start!r}: expected a datetime.date")


@dataclass(frozen=True)
class _Devices:
    band: str
    phone: str
    combined: str


def _write_person(out: Path, index: int, rng: np.random.Generator, days: int, start: date,
                  legacy: bool, problems: Problems) -> Path:
    traits = S.Traits.draw(rng)
    devices = _Devices(*(_device_uuid(rng) for _ in range(3)))
    stamp = _export_stamp(rng, start + timedelta(days=days))
    life = S.live(rng, traits, start, days)
    band = S.band_steps(rng, traits, life)
    steps = {devices.band: band}
    if problems.phone_steps:
        steps[devices.phone] = S.phone_steps(rng, traits, life, band)
    hr = S.heart_rates(rng, traits, life)
    tables = {
        F.HEART_RATE: _heart_rate(rng, hr, devices, problems),
        F.STEP_COUNT: _step_count(rng, life, steps),
        F.DAY_SUMMARY: _day_summary(rng, life, steps),
        F.DAILY_TREND: _daily_trend(rng, life, band, devices),
        **_sleep(rng, life, devices, problems),
        F.EXERCISE_TABLE: _exercise(rng, life, band, hr, devices, problems),
        F.STRESS: _stress(rng, S.stress_scores(rng, life), devices),
        F.DEVICE_PROFILE: _device_profile(life, devices),
        F.USER_PROFILE: _user_profile(rng, life, devices, start),
    }
    folder = out / f"samsunghealth_fit2user{index + 1:02d}_{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    for table, columns in tables.items():
        _write_table(folder / F.file_name(table, stamp), table, columns, legacy)
    return folder


# ---------------------------------------------------------------- small helpers

def _device_uuid(rng: np.random.Generator) -> str:
    """A 10-character device id such as ``Cv7sH/e0hQ``."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(alphabet[i] for i in rng.integers(0, 64, 10))


def _uuids(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random version-4 UUID strings from the Generator."""
    raw = rng.integers(0, 256, (n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    text = raw.tobytes().hex()
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            for h in (text[i:i + 32] for i in range(0, 32 * n, 32))]


def _export_stamp(rng: np.random.Generator, day: date) -> str:
    """The folder's 14 digits: the export's local date and time; seconds may exceed 59, as in real exports."""
    hour, minute, second = rng.integers(9, 22), rng.integers(0, 60), rng.integers(0, 100)
    return f"{day:%Y%m%d}{hour:02d}{minute:02d}{second:02d}"


def _num(values: Iterable[float], decimals: int) -> list[str]:
    """Fixed-decimal text; NaN becomes an empty field."""
    return ["" if v != v else f"{v:.{decimals}f}" for v in values]


def _ints(values: Iterable[int]) -> list[str]:
    return [str(int(v)) for v in values]


def _later(rng: np.random.Generator, ms: np.ndarray, low_min: int, high_min: int) -> np.ndarray:
    """Upload times: ``low_min``-``high_min`` minutes after ``ms``, to the millisecond."""
    return ms + rng.integers(low_min * MINUTE, high_min * MINUTE, len(ms))


def _century_later(ms: int) -> int:
    """The same wall time 100 years later."""
    t = pd.Timestamp(ms, unit="ms")
    return int(t.replace(year=t.year + 100).value // 1_000_000)


def _local_day_ms(ms: np.ndarray) -> np.ndarray:
    """For each time, ``day_time`` of its KST date: epoch ms of that date at UTC midnight."""
    day = 24 * 60 * MINUTE
    return (ms + KST_MIN * MINUTE) // day * day


def _common(rng: np.random.Generator, n: int, device: str | Sequence[str], ms: np.ndarray,
            upload: tuple[int, int] = (1, 30)) -> dict[str, object]:
    """Columns every measurement row has: uuids, device, package, offset and upload times."""
    update = _later(rng, ms, *upload)
    return {
        "datauuid": _uuids(rng, n),
        "deviceuuid": [device] * n if isinstance(device, str) else list(device),
        "pkg_name": [F.PKG_NAME] * n,
        "time_offset": np.full(n, KST_MIN),
        "update_time": update,
        "create_time": update,
    }


# ---------------------------------------------------------------- tables

def _heart_rate(rng: np.random.Generator, hr: S.Readings, devices: _Devices,
                problems: Problems) -> dict[str, object]:
    n = len(hr.ms)
    bpm, ms, offset = hr.value.copy(), hr.ms.copy(), np.full(n, KST_MIN)
    zero = rng.random(n) < problems.zero_heart_rates
    dup = (rng.random(n) < problems.duplicate_heart_rates) & ~zero
    odd = rng.choice(np.flatnonzero(~zero & ~dup), problems.broken_offsets + problems.far_dates,
                     replace=False)
    bpm[zero] = 0.0
    offset[odd[: problems.broken_offsets]] = BROKEN_OFFSET_MIN
    for i in odd[problems.broken_offsets:]:
        ms[i] = _century_later(int(ms[i]))
    update = _later(rng, hr.ms, 1, 30)
    copies = np.flatnonzero(dup)
    rows = np.concatenate([np.arange(n), copies])
    order = np.lexsort((np.arange(rows.size) >= n, hr.ms[rows]))
    rows = rows[order]
    m = rows.size
    update_all = np.concatenate([update, _later(rng, update[copies], 1, 60)])[order]
    min_max = np.where(rng.random(m) < 0.1, "0.0", "")
    return {
        "tag_id": ["21313"] * m,
        "heart_beat_count": ["1"] * m,
        "start_time": ms[rows],
        "end_time": ms[rows],
        "update_time": update_all,
        "create_time": update_all,
        "max": min_max,
        "min": min_max,
        "time_offset": offset[rows],
        "deviceuuid": [devices.band] * m,
        "pkg_name": [F.PKG_NAME] * m,
        "datauuid": _uuids(rng, m),
        "heart_rate": _num(bpm[rows], 1),
    }


def _step_rows(life: S.Life, steps: Mapping[str, S.Steps]) -> tuple[np.ndarray, ...]:
    """All devices' step bins in time order: (start ms, count, run steps, device uuid)."""
    ms = np.concatenate([life.ms(s.minute) for s in steps.values()])
    count = np.concatenate([s.count for s in steps.values()])
    run = np.concatenate([s.run for s in steps.values()])
    device = np.concatenate([np.full(len(s.count), d) for d, s in steps.items()])
    order = np.argsort(ms, kind="stable")
    return ms[order], count[order], run[order], device[order]


def _step_measures(count: np.ndarray, run: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distance (m), calories (kcal), active duration (ms) and speed (m/s) of step bins."""
    walk = count - run
    distance = walk * 0.68 + run * 1.0
    calorie = walk * 0.04 + run * 0.065
    duration = np.minimum(60_000, (walk * 60_000 / 110 + run * 60_000 / 150).round()).astype(np.int64)
    speed = distance / np.maximum(duration, 1) * 1000
    return distance, calorie, duration, speed


def _step_count(rng: np.random.Generator, life: S.Life, steps: Mapping[str, S.Steps]) -> dict[str, object]:
    ms, count, run, device = _step_rows(life, steps)
    distance, calorie, duration, speed = _step_measures(count, run)
    return {
        "duration": _ints(duration),
        "version_code": ["4"] * len(ms),
        "run_step": _ints(run),
        "walk_step": _ints(count - run),
        "start_time": ms,
        "end_time": ms + MINUTE,
        "count": _ints(count),
        "speed": _num(speed, 4),
        "distance": _num(distance, 2),
        "calorie": _num(calorie, 3),
        **_common(rng, len(ms), device, ms + MINUTE),
    }


def _daily(life: S.Life, steps: Mapping[str, S.Steps]) -> pd.DataFrame:
    """Steps per device and KST day (``day_time``), as Samsung's daily tables hold them."""
    ms, count, run, device = _step_rows(life, steps)
    distance, calorie, duration, _ = _step_measures(count, run)
    frame = pd.DataFrame({"day_time": _local_day_ms(ms), "device": device, "count": count,
                          "run": run, "distance": distance, "calorie": calorie, "duration": duration})
    daily = frame.groupby(["day_time", "device"], sort=True).sum().reset_index()
    daily["speed"] = daily["distance"] / np.maximum(daily["duration"], 1) * 1000
    return daily


def _day_summary(rng: np.random.Generator, life: S.Life, steps: Mapping[str, S.Steps]) -> dict[str, object]:
    d = _daily(life, steps)
    n = len(d)
    day_ms = d["day_time"].to_numpy()
    return {
        "step_count": _ints(d["count"]),
        "active_time": _ints(d["duration"]),
        "recommendation": ["6000"] * n,
        "run_step_count": _ints(d["run"]),
        "source_package_name": [F.PKG_NAME] * n,
        "speed": _num(d["speed"], 4),
        "distance": _num(d["distance"], 2),
        "calorie": _num(d["calorie"], 3),
        "walk_step_count": _ints(d["count"] - d["run"]),
        "healthy_step": ["0"] * n,
        "day_time": _ints(day_ms),
        **_common(rng, n, list(d["device"]), day_ms + (24 * 60 - KST_MIN) * MINUTE, (5, 120)),
    }


def _daily_trend(rng: np.random.Generator, life: S.Life, band: S.Steps, devices: _Devices) -> dict[str, object]:
    """Per KST day: the all-devices total (source_type -2, counted once: the band's steps)."""
    d = _daily(life, {devices.combined: band})
    n = len(d)
    day_ms = d["day_time"].to_numpy()
    common = _common(rng, n, devices.combined, day_ms + (24 * 60 - KST_MIN) * MINUTE, (5, 120))
    del common["time_offset"]
    return {
        "source_pkg_name": [F.PKG_NAME] * n,
        "source_type": [str(F.ALL_DEVICES_SOURCE)] * n,
        "count": _ints(d["count"]),
        "speed": _num(d["speed"], 4),
        "distance": _num(d["distance"], 2),
        "calorie": _num(d["calorie"], 3),
        "day_time": _ints(day_ms),
        **common,
    }


def _sleep(rng: np.random.Generator, life: S.Life, devices: _Devices,
           problems: Problems) -> dict[str, dict[str, object]]:
    """Band sleep records with their stages, plus overlapping phone records."""
    stages = [S.sleep_stages(rng, bed, wake) for bed, wake in life.nights]
    nights = np.array(life.nights, dtype=np.int64).reshape(-1, 2)
    total = nights[:, 1] - nights[:, 0]
    awake = np.array([sum(e - s for s, e, c in night if c == 40001) for night in stages])
    n = len(nights)
    band = {
        "mental_recovery": _ints(rng.integers(40, 91, n)),
        "physical_recovery": _ints(rng.integers(40, 91, n)),
        "movement_awakening": _ints(rng.integers(10, 60, n)),
        "sleep_cycle": _ints([sum(c == 40004 for _, _, c in night) for night in stages]),
        "efficiency": _num(100 * (total - awake) / total, 1),
        "sleep_score": _ints(np.clip(rng.normal(72, 8, n).round(), 40, 95)),
        "sleep_duration": _ints(total - awake),
        "data_version": ["6"] * n,
        "start_time": life.ms(nights[:, 0]),
        "end_time": life.ms(nights[:, 1]),
        **_common(rng, n, devices.band, life.ms(nights[:, 1]), (5, 90)),
    }
    phone_nights = nights[rng.random(n) < problems.overlapping_sleeps]
    shift = rng.integers(-40, 21, (len(phone_nights), 2))
    phone_span = phone_nights + shift
    phone = {
        "start_time": life.ms(phone_span[:, 0]),
        "end_time": life.ms(phone_span[:, 1]),
        "sleep_duration": _ints(phone_span[:, 1] - phone_span[:, 0]),
        **_common(rng, len(phone_span), devices.phone, life.ms(phone_span[:, 1]), (5, 90)),
    }
    return {F.SLEEP_TABLE: _concat_rows(band, phone, "start_time"),
            F.SLEEP_STAGE: _stage_rows(rng, life, stages, band["datauuid"], devices)}


def _concat_rows(a: dict[str, object], b: dict[str, object], by: str) -> dict[str, object]:
    """Rows of ``a`` then ``b`` (missing columns empty), sorted by column ``by``."""
    na, nb = len(a[by]), len(b[by])
    merged = {k: list(a.get(k, [""] * na)) + list(b.get(k, [""] * nb)) for k in {**a, **b}}
    order = np.argsort(np.asarray(merged[by]), kind="stable")
    return {k: np.asarray(v)[order] if k in _TIME_COLUMNS | {"time_offset"} else [v[i] for i in order]
            for k, v in merged.items()}


def _stage_rows(rng: np.random.Generator, life: S.Life, stages: list[list[tuple[int, int, int]]],
                sleep_ids: Sequence[str], devices: _Devices) -> dict[str, object]:
    rows = [(s, e, c, sid) for night, sid in zip(stages, sleep_ids) for s, e, c in night]
    start, end, code, sleep_id = (list(x) for x in zip(*rows)) if rows else ([], [], [], [])
    end_ms = life.ms(np.array(end, dtype=np.int64))
    return {
        "start_time": life.ms(np.array(start, dtype=np.int64)),
        "end_time": end_ms,
        "sleep_id": sleep_id,
        "stage": _ints(code),
        **_common(rng, len(rows), devices.band, end_ms, (5, 90)),
    }


def _exercise(rng: np.random.Generator, life: S.Life, band: S.Steps, hr: S.Readings,
              devices: _Devices, problems: Problems) -> dict[str, object]:
    """Exercise sessions (with their steps and heart rates) and accidental sub-minute records."""
    rows = [_session_row(rng, life, band, hr, *s) for s in life.sessions if s[2] in S.EXERCISE_STATES]
    rows += _short_exercise_rows(rng, life, problems.short_exercises)
    rows.sort(key=lambda r: r["start"])
    start = np.array([r["start"] for r in rows], dtype=np.int64)
    end = np.array([r["end"] for r in rows], dtype=np.int64)
    n, seconds = len(rows), (end - start) / 1000
    distance = np.array([r["distance"] for r in rows], dtype=float)
    calorie = _num([r["calorie"] for r in rows], 3)
    return {
        "total_calorie": calorie,
        "source_type": ["4"] * n,
        "heart_rate_sample_count": _ints([r["hr"].size for r in rows]),
        "heart_rate_deviceuuid": [devices.band] * n,
        "duration": _ints(end - start),
        "start_time": start,
        "end_time": end,
        "exercise_type": _ints([r["type"] for r in rows]),
        **{f"{stat}_heart_rate": _num([getattr(np, stat)(r["hr"]) if r["hr"].size else 0.0 for r in rows], 1)
           for stat in ("mean", "max", "min")},
        "count": _ints([r["count"] for r in rows]),
        "distance": _num(distance, 2),
        "mean_speed": _num(distance / seconds, 4),
        "max_speed": _num(distance / seconds * rng.uniform(1.2, 1.5, n), 4),
        "calorie": calorie,
        **_common(rng, n, devices.band, end, (1, 15)),
    }


def _short_exercise_rows(rng: np.random.Generator, life: S.Life, rate: float) -> list[dict[str, object]]:
    """Exercises started by mistake around lunch time: 15-55 seconds, no heart rate."""
    rows = []
    for day in np.flatnonzero(rng.random(len(life.nights)) < rate):
        begin = int(life.ms(int(day) * S.DAY_MIN + int(rng.integers(12 * 60, 14 * 60))))
        rows.append({"type": 0, "start": begin, "end": begin + int(rng.integers(15_000, 55_000)),
                     "calorie": 0.4, "distance": np.nan, "count": 0, "hr": np.array([])})
    return rows


def _session_row(rng: np.random.Generator, life: S.Life, band: S.Steps, hr: S.Readings,
                 begin: int, end: int, kind: int) -> dict[str, object]:
    start_ms, end_ms = int(life.ms(begin)), int(life.ms(end))
    in_session = (band.minute >= begin) & (band.minute < end)
    count, run = int(band.count[in_session].sum()), int(band.run[in_session].sum())
    kcal_per_min = {S.EX_WALK: 4.0, S.EX_RUN: 9.5, S.EX_CUSTOM: 5.0}[kind]
    return {
        "type": S.EXERCISE_CODE[kind],
        "start": start_ms,
        "end": end_ms,
        "calorie": (end - begin) * kcal_per_min * rng.uniform(0.9, 1.1),
        "distance": np.nan if kind == S.EX_CUSTOM else (count - run) * 0.72 + run * 1.05,
        "count": count,
        "hr": hr.value[(hr.ms >= start_ms) & (hr.ms < end_ms)],
    }


def _stress(rng: np.random.Generator, stress: S.Readings, devices: _Devices) -> dict[str, object]:
    n = len(stress.ms)
    return {
        "start_time": stress.ms,
        "end_time": stress.ms,
        "tag_id": ["10000"] * n,
        "score": _num(stress.value, 1),
        **_common(rng, n, devices.band, stress.ms, (1, 30)),
    }


def _device_profile(life: S.Life, devices: _Devices) -> dict[str, object]:
    """The phone, the band and Samsung's 'Combined' pseudo-device."""
    created = np.full(3, life.t0_ms - 30 * 24 * 60 * MINUTE)
    return {
        "manufacturer": ["Samsung", "Samsung", "Combined"],
        "device_group": ["360001", "360003", "0"],
        "name": ["My Device", "Galaxy Fit2", "Combined"],
        "model": ["SM-G973N", "SM-R220", "Combined"],
        "fixed_name": ["Galaxy S10", "Galaxy Fit2", "Combined"],
        "deviceuuid": [devices.phone, devices.band, devices.combined],
        "pkg_name": [F.PKG_NAME] * 3,
        "datauuid": [f"00000000-0000-0000-0000-00000000000{i}" for i in range(1, 4)],
        "update_time": created,
        "create_time": created,
    }


def _user_profile(rng: np.random.Generator, life: S.Life, devices: _Devices, start: date) -> dict[str, object]:
    """Birth date (age 50-69 at ``start``), height and weight, country."""
    born = date(start.year - int(rng.integers(50, 70)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    created = np.full(4, life.t0_ms - 30 * 24 * 60 * MINUTE)
    return {
        "key": ["birth_date", "height", "weight", "country"],
        "text_value": [f"{born:%Y%m%d}", "", "", "KR"],
        "float_value": ["", f"{rng.uniform(150, 180):.1f}", f"{rng.uniform(50, 85):.1f}", ""],
        "deviceuuid": [devices.phone] * 4,
        "pkg_name": [F.PKG_NAME] * 4,
        "datauuid": [f"00000000-0000-0000-0000-0000000000{i:02x}" for i in range(10, 14)],
        "update_time": created,
        "create_time": created,
    }


# ---------------------------------------------------------------- writing

_TIME_COLUMNS = {"start_time", "end_time", "update_time", "create_time"}


def _times(ms: np.ndarray, legacy: bool) -> list[str]:
    """``YYYY-MM-DD HH:MM:SS.mmm``: UTC, or Korean local time in the legacy format."""
    ms = np.asarray(ms, dtype=np.int64) + (KST_MIN * MINUTE if legacy else 0)
    text = np.datetime_as_string(ms.astype("datetime64[ms]"), unit="ms")
    return [t[:10] + " " + t[11:] for t in text]


def _offsets(minutes: np.ndarray, legacy: bool) -> list[str]:
    """``UTC+0900``, or milliseconds (``32400000``) in the legacy format."""
    if legacy:
        return [str(int(m) * MINUTE) for m in minutes]
    return [f"UTC{'+' if m >= 0 else '-'}{abs(int(m)) // 60:02d}{abs(int(m)) % 60:02d}" for m in minutes]


def _render(column: str, values: object, n: int, legacy: bool) -> Iterable[str]:
    if values is None:
        return itertools.repeat("", n)
    if column in _TIME_COLUMNS:
        return _times(values, legacy)
    if column == "time_offset":
        return _offsets(values, legacy)
    return values


def _write_table(path: Path, table: str, columns: Mapping[str, object], legacy: bool) -> None:
    """BOM, metadata line, header, then rows with one trailing empty field."""
    fmt = F.TABLES[table]
    names = fmt.short_columns if legacy else fmt.columns
    keep = [i for i, c in enumerate(fmt.short_columns) if not (legacy and c in F.NEWER_COLUMNS)]
    n = len(columns["datauuid"])
    fields = [_render(fmt.short_columns[i], columns.get(fmt.short_columns[i]), n, legacy) for i in keep]
    lines = [f"{table},{F.APP_VERSION[legacy]},{fmt.number}", ",".join(names[i] for i in keep)]
    lines += [",".join(row) + "," for row in zip(*fields)]
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))
