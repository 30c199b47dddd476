"""A plausible day-by-day life of one synthetic Fit2 wearer aged 50-69.

The simulation works minute by minute in Korean local time and returns plain
numpy records (times in UTC epoch milliseconds). It knows nothing about CSV
files: :mod:`course.fit2.generator` turns these records into an export.

The rhythm (every number is drawn from the person's own ``numpy`` Generator):

* resting heart rate 60-75 bpm, lower (−7) asleep, higher when moving;
* one night's sleep a day, starting 22:00-24:00 KST and lasting 6.5-7.5 h,
  with light / deep / REM / awake stages in ~90-minute cycles;
* a morning stroll (10-60 min after waking, 20-45 min long) and an evening stroll
  (18:30-20:00, 20-40 min) on most days, at 55-99 steps/min;
* on some days an exercise session of 30-60 min (brisk walking at 100-128
  steps/min, rarely running, or a "custom" workout), recorded as an exercise;
* scattered minutes with a few steps during the day (house work, errands);
* spot heart rates about every 10 minutes, one a minute during exercise;
* a stress score about every 50-90 minutes while awake and at rest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import numpy as np

MINUTE_MS = 60_000
DAY_MIN = 24 * 60
KST_OFFSET_MIN = 9 * 60

# Minute states.
SLEEP, REST, STROLL, EX_WALK, EX_RUN, EX_CUSTOM = range(6)
EXERCISE_STATES = (EX_WALK, EX_RUN, EX_CUSTOM)
#: exercise_type code of each exercise state (see formats.EXERCISE_TYPES).
EXERCISE_CODE = {EX_WALK: 1001, EX_RUN: 1002, EX_CUSTOM: 0}
#: heart rate above the resting rate, by state.
HR_LIFT = np.array([-7.0, 5.0, 22.0, 42.0, 68.0, 30.0])


@dataclass(frozen=True)
class Traits:
    """What makes one person's days their own."""

    resting_hr: float
    bedtime_min: float      # usual bedtime, minutes after local midnight (22:00-23:30)
    morning_walk_p: float
    evening_walk_p: float
    exercise_p: float
    fidget_p: float         # chance that an awake resting minute has a few steps
    phone_carry_p: float    # chance the phone is in a pocket during a resting minute

    @classmethod
    def draw(cls, rng: np.random.Generator) -> "Traits":
        return cls(
            resting_hr=rng.uniform(60, 75),
            bedtime_min=rng.uniform(22 * 60, 23.5 * 60),
            morning_walk_p=rng.uniform(0.5, 0.9),
            evening_walk_p=rng.uniform(0.4, 0.8),
            exercise_p=rng.uniform(0.25, 0.45),
            fidget_p=rng.uniform(0.18, 0.28),
            phone_carry_p=rng.uniform(0.15, 0.3),
        )


@dataclass
class Life:
    """Everything one person did, as arrays. Minute ``m`` is local midnight of day 0 plus m minutes."""

    t0_ms: int                   # UTC epoch ms of local midnight, day 0
    first: int                   # first minute worn (first wake-up)
    last: int                    # minute after the last one worn (last wake-up)
    state: np.ndarray            # state per minute
    nights: list[tuple[int, int]] = field(default_factory=list)           # (bed, wake) minutes
    sessions: list[tuple[int, int, int]] = field(default_factory=list)    # (start, end, state)

    def ms(self, minutes: np.ndarray | int) -> np.ndarray | int:
        """UTC epoch milliseconds of local minute(s)."""
        return self.t0_ms + np.asarray(minutes, dtype=np.int64) * MINUTE_MS


def local_midnight_ms(day: date) -> int:
    """UTC epoch ms of 00:00 KST on ``day``."""
    utc_midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return int(utc_midnight.timestamp() * 1000) - KST_OFFSET_MIN * MINUTE_MS


def live(rng: np.random.Generator, traits: Traits, start: date, days: int) -> Life:
    """Simulate ``days`` days from ``start``: nights, strolls and exercise, minute by minute."""
    state = np.full((days + 1) * DAY_MIN, REST, dtype=np.int8)
    beds = np.arange(-1, days) * DAY_MIN + np.clip(
        traits.bedtime_min + rng.normal(0, 20, days + 1), 22 * 60, 24 * 60 - 1).round()
    wakes = beds + rng.uniform(6.5 * 60, 7.5 * 60, days + 1).round()
    life = Life(local_midnight_ms(start), int(wakes[0]), int(wakes[-1]), state)
    for bed, wake in zip(beds[1:].astype(int), wakes[1:].astype(int)):
        state[bed:wake] = SLEEP
        life.nights.append((bed, wake))
    state[: life.first] = SLEEP
    for day in range(days):
        life.sessions.extend(_day_sessions(rng, traits, day * DAY_MIN, int(wakes[day])))
    for begin, end, kind in life.sessions:
        state[begin:end] = kind
    return life


def _day_sessions(rng: np.random.Generator, traits: Traits, midnight: int,
                  wake: int) -> list[tuple[int, int, int]]:
    """Strolls and exercise of one day, as (start minute, end minute, state)."""
    sessions = []
    if rng.random() < traits.morning_walk_p:
        sessions.append(_session(rng, wake, (10, 60), (20, 45), STROLL))
    if rng.random() < traits.exercise_p:
        window = (9 * 60 + 30, 11 * 60) if rng.random() < 0.5 else (15 * 60, 16 * 60 + 30)
        kind = rng.choice([EX_WALK, EX_RUN, EX_CUSTOM], p=[0.7, 0.1, 0.2])
        sessions.append(_session(rng, midnight, window, (30, 60), int(kind)))
    if rng.random() < traits.evening_walk_p:
        sessions.append(_session(rng, midnight, (18 * 60 + 30, 20 * 60), (20, 40), STROLL))
    return sessions


def _session(rng: np.random.Generator, origin: int, window: tuple[int, int],
             minutes: tuple[int, int], kind: int) -> tuple[int, int, int]:
    begin = origin + int(rng.integers(*window))
    return begin, begin + int(rng.integers(minutes[0], minutes[1] + 1)), kind


@dataclass
class Steps:
    """One-minute step bins of one device: only minutes with steps."""

    minute: np.ndarray
    count: np.ndarray
    run: np.ndarray      # run steps in the minute (the rest are walk steps)


def band_steps(rng: np.random.Generator, traits: Traits, life: Life) -> Steps:
    """Steps the band counts: strolls, exercise, scattered daytime minutes, rare night walks."""
    minutes = np.arange(life.first, life.last)
    st = life.state[minutes]
    hour = (minutes % DAY_MIN) // 60
    fidget = np.where((hour >= 8) & (hour < 21), traits.fidget_p, traits.fidget_p / 2)
    cadence = np.select(
        [st == STROLL, st == EX_WALK, st == EX_RUN],
        [np.clip(rng.normal(88, 7, st.size), 55, 99),
         np.clip(rng.normal(113, 5, st.size), 100, 128),
         np.clip(rng.normal(152, 7, st.size), 135, 175)],
        0.0,
    )
    pause = rng.random(st.size) < 0.08
    cadence = np.where(pause, cadence * rng.uniform(0.2, 0.6, st.size), cadence)
    scattered = np.clip(np.exp(rng.normal(2.4, 0.8, st.size)), 1, 60)
    draw = rng.random(st.size)
    scattered_on = ((st == REST) & (draw < fidget)) | ((st == SLEEP) & (draw < 0.003)) \
        | ((st == EX_CUSTOM) & (draw < 0.3))
    count = np.where(cadence > 0, cadence, np.where(scattered_on, scattered, 0)).round().astype(np.int64)
    keep = count > 0
    run = np.where(st == EX_RUN, count, 0)
    return Steps(minutes[keep], count[keep], run[keep])


def phone_steps(rng: np.random.Generator, traits: Traits, life: Life, band: Steps) -> Steps:
    """Steps the phone also counts when it is carried: most strolls and exercise, some errands."""
    st = life.state[band.minute]
    carried = rng.random(st.size) < np.where(st == REST, traits.phone_carry_p,
                                             np.where(st == SLEEP, 0.0, 0.85))
    count = np.maximum(1, (band.count * rng.uniform(0.85, 1.05, st.size)).round()).astype(np.int64)
    run = np.minimum(band.run, count)
    return Steps(band.minute[carried], count[carried], run[carried])


@dataclass
class Readings:
    """Point measurements (heart rate or stress)."""

    ms: np.ndarray
    value: np.ndarray


def heart_rates(rng: np.random.Generator, traits: Traits, life: Life) -> Readings:
    """Spot readings about every 10 minutes, and one a minute during exercise."""
    spots = np.arange(life.first, life.last, 10)
    spot_ms = life.ms(spots) + rng.integers(0, MINUTE_MS, spots.size)
    spot_ms = spot_ms[~np.isin(life.state[spots], EXERCISE_STATES)]
    dense = np.flatnonzero(np.isin(life.state, EXERCISE_STATES))
    dense_ms = life.ms(dense) + rng.integers(0, MINUTE_MS, dense.size)
    ms = np.sort(np.concatenate([spot_ms, dense_ms]))
    st = life.state[(ms - life.t0_ms) // MINUTE_MS]
    bpm = traits.resting_hr + HR_LIFT[st] + rng.normal(0, 4, ms.size)
    return Readings(ms, np.clip(bpm.round(), 40, 190))


def stress_scores(rng: np.random.Generator, life: Life) -> Readings:
    """A stress score (1-99) about every 50-90 minutes while awake and resting."""
    gaps = rng.uniform(50, 90, (life.last - life.first) // 50 + 1).cumsum()
    minutes = (life.first + gaps[gaps < life.last - life.first]).astype(np.int64)
    minutes = minutes[life.state[minutes] == REST]
    ms = life.ms(minutes) + rng.integers(0, MINUTE_MS, minutes.size)
    return Readings(ms, np.clip(rng.normal(32, 14, minutes.size).round(), 1, 99))


def sleep_stages(rng: np.random.Generator, bed: int, wake: int) -> list[tuple[int, int, int]]:
    """Stages of one night as (start minute, end minute, code 40001-40004), ~90-minute cycles."""
    stages: list[tuple[int, int, int]] = []
    now, cycle = bed, 0
    plan = [(40002, 5, 15)]
    while now < wake:
        if not plan:
            deep = (20, 40) if cycle == 0 else (15, 30) if cycle == 1 else (0, 10)
            rem = (5, 10) if cycle == 0 else (15, 30)
            plan = [(40002, 20, 35), (40003, *deep), (40002, 10, 20), (40004, *rem)]
            if rng.random() < 0.6:
                plan.append((40001, 2, 10))
            cycle += 1
        code, low, high = plan.pop(0)
        length = int(rng.integers(low, high + 1))
        if length:
            end = min(now + length, wake)
            stages.append((now, end, code))
            now = end
    return stages
