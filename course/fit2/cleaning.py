"""Cleaning rules for a loaded export, one small function per rule.

Each rule returns a new table (the input is never changed) and removes exactly
what the matching check in :mod:`course.fit2.quality` marks:

* duplicate heart rates: same time and same device as an earlier reading → keep the first;
* impossible heart rates: missing, 0, or outside 30-220 bpm;
* very short exercises: under 1 minute (started by mistake);
* overlapping sleep: keep band records first, then longer ones; drop what overlaps a kept one;
* one device for steps: keep the band's steps. The phone and the band count the same
  steps; the band is worn all day (the phone stays on the table at home), so the band's
  count is the complete one and adding both would count steps twice.

Days are cut in Korean time (KST): a reading at 2021-06-01 23:30 UTC is 08:30 on
2021-06-02 in Korea, so it belongs to 2021-06-02.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from course.fit2 import formats as F
from course.fit2 import quality as Q
from course.fit2.errors import ArgumentError, allowed, require_columns
from course.fit2.loader import Export


def remove_duplicate_heart_rates(heart_rate: pd.DataFrame) -> pd.DataFrame:
    """Drop readings with the same time and device as an earlier row (keep the first)."""
    require_columns(heart_rate, ["time", "device_id"], "heart_rate")
    return heart_rate[~Q.duplicate_heart_rate_mask(heart_rate)].reset_index(drop=True)


def remove_impossible_heart_rates(heart_rate: pd.DataFrame, low: float = Q.HEART_RATE_RANGE[0],
                                  high: float = Q.HEART_RATE_RANGE[1]) -> pd.DataFrame:
    """Drop heart rates that are missing, 0, or outside ``low``-``high`` bpm (default 30-220)."""
    require_columns(heart_rate, ["bpm"], "heart_rate")
    if not low < high:
        raise ArgumentError("'low'는 'high'보다 작아야 해요.", f"low={low!r} must be below high={high!r}")
    return heart_rate[~Q.impossible_heart_rate_mask(heart_rate, low, high)].reset_index(drop=True)


def remove_short_exercises(exercise: pd.DataFrame, min_minutes: float = Q.MIN_EXERCISE_MINUTES) -> pd.DataFrame:
    """Drop exercises shorter than ``min_minutes`` (default 1 minute)."""
    require_columns(exercise, ["duration_min"], "exercise")
    if not min_minutes >= 0:
        raise ArgumentError("가장 짧은 운동 시간(분)은 0 이상이어야 해요.", f"min_minutes={min_minutes!r} must be >= 0")
    return exercise[~Q.short_exercise_mask(exercise, min_minutes)].reset_index(drop=True)


def remove_overlapping_sleep(sleep: pd.DataFrame) -> pd.DataFrame:
    """Drop sleep records that overlap a kept one (band first, then longer records)."""
    require_columns(sleep, ["start", "end", "device"], "sleep")
    return sleep[~Q.overlapping_sleep_mask(sleep)].reset_index(drop=True)


def keep_one_step_device(steps: pd.DataFrame, device: str = "band") -> pd.DataFrame:
    """Keep only the step rows of one kind of device (default the band), so no step counts twice.

    Steps of an export without device ids (every ``device`` missing) are kept as they are:
    the loader's quality report says the devices are unknown.
    """
    require_columns(steps, ["device"], "steps")
    if device not in F.DEVICE_KINDS:
        raise ArgumentError(f"'device'는 {allowed(F.DEVICE_KINDS)} 중 하나여야 해요.",
                            f"device={device!r}; allowed: {allowed(F.DEVICE_KINDS)}")
    if steps["device"].isna().all():  # no deviceuuid in the export: devices unknown, nothing to choose
        return steps.reset_index(drop=True)
    kept = steps[steps["device"] == device]
    if kept.empty and not steps.empty:
        present = sorted(str(d) for d in steps["device"].dropna().unique())
        raise ArgumentError(f"'{device}' 기기의 걸음 기록이 없어요. 있는 기기: {', '.join(present)}",
                            f"no step rows from device {device!r}; present: {present}")
    return kept.reset_index(drop=True)


def local_day(times: pd.Series) -> pd.Series:
    """The Korean calendar day of each time (midnight, without time zone).

    Times must carry a time zone (the loader's do). The day is cut in KST, not UTC.
    """
    if not isinstance(times, pd.Series) or not isinstance(times.dtype, pd.DatetimeTZDtype):
        raise ArgumentError("시간대가 있는 시각(예: export.heart_rate['time'])을 넣어 주세요.",
                            f"expected a tz-aware datetime Series, got {getattr(times, 'dtype', type(times))}")
    return times.dt.tz_convert(F.KST).dt.tz_localize(None).dt.normalize().rename("day")


def steps_per_day(steps: pd.DataFrame) -> pd.Series:
    """Total steps per Korean calendar day (by each bin's start time)."""
    require_columns(steps, ["start", "steps"], "steps")
    return steps["steps"].groupby(local_day(steps["start"])).sum()


def clean_export(export: Export, step_device: str = "band") -> Export:
    """Apply every rule above; the result's ``cleaning`` says how many rows each rule removed."""
    if not isinstance(export, Export):
        raise ArgumentError("load_export로 읽은 내보내기를 넣어 주세요.",
                            f"expected an Export from load_export, got {type(export).__name__}")
    heart_rate = remove_duplicate_heart_rates(export.heart_rate)
    tables = {
        "heart_rate": remove_impossible_heart_rates(heart_rate),
        "steps": keep_one_step_device(export.steps, step_device),
        "sleep": remove_overlapping_sleep(export.sleep),
        "exercise": remove_short_exercises(export.exercise),
    }
    removed = {
        "duplicate_heart_rates": len(export.heart_rate) - len(heart_rate),
        "impossible_heart_rates": len(heart_rate) - len(tables["heart_rate"]),
        "other_device_steps": len(export.steps) - len(tables["steps"]),
        "overlapping_sleeps": len(export.sleep) - len(tables["sleep"]),
        "short_exercises": len(export.exercise) - len(tables["exercise"]),
    }
    return dataclasses.replace(export, **tables, cleaning=removed)
