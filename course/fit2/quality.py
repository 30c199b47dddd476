"""Data-quality checks of a loaded export, and the report that counts what they find.

The loader excludes rows it cannot place in time (broken offset, unreadable or
impossible date, missing value) and counts them per table. Problems a learner
should see and fix in the cleaning step (duplicates, impossible heart rates,
overlapping sleep, very short exercises, steps from two devices) stay in the
tables and are only counted here. The masks below are the single definition of
each problem: :mod:`course.fit2.cleaning` removes exactly what they mark.
"""
from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

#: Heart rates outside this range (bpm) are impossible for a resting or exercising adult.
HEART_RATE_RANGE = (30, 220)
#: Exercises shorter than this (minutes) were started by mistake.
MIN_EXERCISE_MINUTES = 1.0

#: Why the loader excluded a row: Korean and English.
REASONS = {
    "bad_offset": ("시간대(time_offset)가 불가능한 값", "impossible time_offset"),
    "bad_time": ("시간을 읽을 수 없음", "unreadable time"),
    "far_date": ("있을 수 없는 날짜(너무 먼 과거나 미래)", "date outside the possible range"),
    "missing_value": ("꼭 필요한 값이 비어 있음", "required value missing"),
}


@dataclass(frozen=True)
class Note:
    """Something the loader did to read an export that is not shaped as usual.

    ``kind`` names the relaxation, ``where`` the table, file or folder it concerns,
    ``message`` says in plain Korean what was done (the learner reads it in the report).
    """

    kind: str
    where: str
    message: str


@dataclass(frozen=True)
class TableCounts:
    """Rows of one table: read from the file, excluded (by reason) and kept."""

    file: str
    rows_read: int
    bad_offset: int = 0
    bad_time: int = 0
    far_date: int = 0
    missing_value: int = 0

    @property
    def rows_kept(self) -> int:
        return self.rows_read - self.bad_offset - self.bad_time - self.far_date - self.missing_value


@dataclass(frozen=True)
class QualityReport:
    """What the loader found. Counts of problems left in the tables are for the cleaning step."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    duplicate_heart_rates: int = 0
    impossible_heart_rates: int = 0
    overlapping_sleeps: int = 0
    short_exercises: int = 0
    step_devices: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row per table: rows read, excluded by reason, kept."""
        rows = [{"table": name, **asdict(c), "rows_kept": c.rows_kept} for name, c in self.tables.items()]
        return pd.DataFrame(rows).set_index("table")

    def to_dict(self) -> dict[str, object]:
        """Plain data (for a data card or a grader)."""
        return {**asdict(self), "step_devices": list(self.step_devices),
                "notes": [asdict(n) for n in self.notes]}

    def summary(self) -> str:
        """A few plain Korean sentences for learners."""
        excluded = sum(c.rows_read - c.rows_kept for c in self.tables.values())
        lines = [
            f"읽을 수 없어 뺀 줄: {excluded}개",
            f"같은 시각에 두 번 기록된 심박수: {self.duplicate_heart_rates}개",
            f"불가능한 심박수(0 또는 {HEART_RATE_RANGE[0]}~{HEART_RATE_RANGE[1]} 밖): {self.impossible_heart_rates}개",
            f"다른 기록과 겹치는 수면 기록: {self.overlapping_sleeps}개",
            f"1분도 안 되는 운동 기록: {self.short_exercises}개",
            f"걸음 수를 기록한 기기: {', '.join(self.step_devices) or '없음'}",
        ]
        if len(self.step_devices) > 1:
            lines.append("걸음 수가 기기마다 따로 기록되어 있어요. 합치면 두 번 세게 돼요.")
        if self.notes:
            lines += ["", "읽으면서 알아 둘 점:"] + [f"- {n.message}" for n in self.notes]
        return "\n".join(lines)


def duplicate_heart_rate_mask(heart_rate: pd.DataFrame) -> pd.Series:
    """True for a reading whose time and device already appeared in an earlier row.

    In time order (as the loader gives it) only rows that share their time with a neighbour
    can be duplicates, so only those few are compared.
    """
    if not heart_rate["time"].is_monotonic_increasing:
        return heart_rate.duplicated(subset=["time", "device_id"], keep="first")
    time = heart_rate["time"].to_numpy(dtype="datetime64[ns]").view("int64")
    tied = np.zeros(len(time), dtype=bool)
    tied[1:] = time[1:] == time[:-1]
    tied[:-1] |= tied[1:]
    duplicate = np.zeros(len(time), dtype=bool)
    if tied.any():
        device = pd.factorize(heart_rate["device_id"])[0]  # a missing id is one more value, as for duplicated
        pairs = pd.DataFrame({"time": time[tied], "device": device[tied]})
        duplicate[tied] = pairs.duplicated(keep="first").to_numpy()
    return pd.Series(duplicate, index=heart_rate.index)


def impossible_heart_rate_mask(heart_rate: pd.DataFrame, low: float = HEART_RATE_RANGE[0],
                               high: float = HEART_RATE_RANGE[1]) -> pd.Series:
    """True for a heart rate that is missing, 0, or outside ``low``-``high`` bpm."""
    return ~heart_rate["bpm"].between(low, high)


def short_exercise_mask(exercise: pd.DataFrame, min_minutes: float = MIN_EXERCISE_MINUTES) -> pd.Series:
    """True for an exercise shorter than ``min_minutes``."""
    return exercise["duration_min"] < min_minutes


def overlapping_sleep_mask(sleep: pd.DataFrame) -> pd.Series:
    """True for a sleep record that overlaps a record we keep.

    Rule: band records first (the band is worn in bed; the phone only guesses),
    then longer records first; a record is kept if it overlaps no record kept before it.
    """
    start = sleep["start"].to_numpy(dtype="datetime64[ns]").view("int64")
    end = sleep["end"].to_numpy(dtype="datetime64[ns]").view("int64")
    order = np.lexsort((start, start - end, (sleep["device"] != "band").to_numpy()))
    kept_starts: list[int] = []   # kept records never overlap, so sorted starts mean sorted ends
    kept_ends: list[int] = []
    drop = np.zeros(len(sleep), dtype=bool)
    for row in order:
        i = bisect.bisect_left(kept_starts, end[row])
        if i and kept_ends[i - 1] > start[row]:
            drop[row] = True
        else:
            kept_starts.insert(i, start[row])
            kept_ends.insert(i, end[row])
    return pd.Series(drop, index=sleep.index)
