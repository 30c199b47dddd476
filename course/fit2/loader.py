"""Load a Samsung Health export into tidy tables in Korean time.

:func:`load_export` reads the six tables of a Galaxy Fit2 wearer (heart rate,
steps, sleep, sleep stages, exercise, stress) plus the optional daily step totals,
and returns an :class:`Export`: tidy ``pandas`` tables with short English column
names, correct dtypes and every time as a tz-aware ``Asia/Seoul`` timestamp.

Real exports come in many shapes, and the loader takes them as they come (see
:mod:`course.fit2.exportfiles` for where the files may be, :mod:`course.fit2.rawcsv`
for the shapes of a file): only heart rate and steps must be there, ``time_offset``,
``deviceuuid``, ``datauuid`` and (for steps and stress) ``end_time`` may be missing.
It never shifts a column; everything it read differently from the usual export is
written in plain Korean into ``Export.quality.notes``. Only the columns it needs are
read, by pyarrow's multi-threaded CSV reader (``benchmarks/fit2_loader.py``).

Times are stored in UTC with a ``time_offset`` (``UTC+0900``) in current exports,
and as local time with an offset in milliseconds (``32400000``) in old ones; the
loader handles both, row by row. Rows it cannot place in time are excluded and
listed in ``Export.excluded``; problems the learner should clean are kept and
counted in ``Export.quality``.

Example
-------
>>> export = load_export("data/fit2/samsunghealth_fit2user01_20210615155566")
>>> export.heart_rate.head()            # doctest: +SKIP
>>> print(export.quality.summary())     # doctest: +SKIP
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from course.fit2 import formats as F
from course.fit2 import quality as Q
from course.fit2.exportfiles import open_export
from course.fit2.rawcsv import RawTable, TableFile, read_table

_FLOAT = "float64"


@dataclass(frozen=True)
class Person:
    """Who the export belongs to, as far as the export says (all optional but ``user``)."""

    user: str
    export_stamp: str
    birth_date: str | None = None
    height_cm: float | None = None
    weight_kg: float | None = None


@dataclass(frozen=True)
class Export:
    """One person's export as tidy tables. Times are ``datetime64[ns, Asia/Seoul]``;
    ``device`` is a category band / phone / other, ``device_id`` the raw ``deviceuuid``
    (both missing when the file has no ``deviceuuid``: the device is unknown).

    * ``heart_rate``: time, bpm, device, device_id, datauuid
    * ``steps`` (one-minute bins, every device): start, end, steps, walk_steps, run_steps,
      distance_m, calories_kcal, speed_mps, device, device_id
    * ``sleep``: start, end, duration_min, asleep_min, efficiency, score, sleep_id, device, device_id
    * ``sleep_stages``: start, end, duration_min, stage (awake / light / deep / rem), sleep_id,
      device, device_id
    * ``exercise``: start, end, type (walking / running / custom / other), duration_min,
      calories_kcal, distance_m, steps, mean_hr, max_hr (missing when 0), device, device_id, datauuid
    * ``stress``: start, end, score (0-100), device, device_id
    * ``daily_steps`` (Samsung's own daily totals): day (the Korean date), steps, distance_m,
      calories_kcal, source (all = every device counted once)
    * ``excluded``: rows the loader could not place in time: table, file, line, reason
    """

    heart_rate: pd.DataFrame
    steps: pd.DataFrame
    sleep: pd.DataFrame
    sleep_stages: pd.DataFrame
    exercise: pd.DataFrame
    stress: pd.DataFrame
    daily_steps: pd.DataFrame
    quality: Q.QualityReport
    person: Person
    folder: Path
    excluded: pd.DataFrame = field(repr=False)
    cleaning: dict[str, int] | None = None   # set by cleaning.clean_export: rows removed per rule


@dataclass(frozen=True)
class _Source:
    """What to read from one table file. ``time_offset``, ``deviceuuid`` and ``datauuid``
    are always optional; ``end_time`` is optional where ``end_after`` says how long a
    record without it lasts."""

    table: str
    columns: tuple[str, ...]                 # required short names
    optional: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()            # read as float64
    times: tuple[str, ...] = ("start_time", "end_time")
    required_values: tuple[str, ...] = ()    # rows missing one of these are excluded
    end_after: pd.Timedelta | None = None    # end_time may be missing: end = start + this

    @property
    def wanted_optional(self) -> tuple[str, ...]:
        ids = ("time_offset", "deviceuuid", "datauuid")
        return (*ids, *("end_time",) * (self.end_after is not None), *self.optional)

    @property
    def dtypes(self) -> dict[str, str]:
        return {"time_offset": "category", "deviceuuid": "category", **{c: "timestamp" for c in self.times},
                **{c: _FLOAT for c in self.numbers}}


#: What load_export reads from each measurement table (by tidy table name).
SOURCES = {
    "heart_rate": _Source(F.HEART_RATE, ("start_time", "heart_rate"), (), ("heart_rate",), ("start_time",),
                          ("heart_rate",)),
    "steps": _Source(F.STEP_COUNT, ("start_time", "count"),
                     ("walk_step", "run_step", "distance", "calorie", "speed"),
                     ("count", "walk_step", "run_step", "distance", "calorie", "speed"),
                     required_values=("count",), end_after=pd.Timedelta(minutes=1)),
    "sleep": _Source(F.SLEEP_TABLE, ("start_time", "end_time"), ("sleep_duration", "efficiency", "sleep_score"),
                     ("sleep_duration", "efficiency", "sleep_score")),
    "sleep_stages": _Source(F.SLEEP_STAGE, ("start_time", "end_time", "stage"), ("sleep_id",), ("stage",),
                            required_values=("stage",)),
    "exercise": _Source(F.EXERCISE_TABLE, ("start_time", "end_time", "exercise_type"),
                        ("duration", "calorie", "distance", "count", "mean_heart_rate", "max_heart_rate"),
                        ("exercise_type", "duration", "calorie", "distance", "count", "mean_heart_rate",
                         "max_heart_rate")),
    "stress": _Source(F.STRESS, ("start_time", "score"), (), ("score",), required_values=("score",),
                      end_after=pd.Timedelta(0)),
}
_DEVICE_COLUMNS = ("deviceuuid", "device_group")
_PROFILE_COLUMNS = ("key", "text_value", "float_value")          # the first is required
_DAILY_COLUMNS = ("day_time", "count", "source_type", "deviceuuid", "distance", "calorie")  # the first 3
#: Short names of the columns load_export reads from each table file, in reading order.
COLUMNS_READ = {**{s.table: (*s.columns, *s.wanted_optional) for s in SOURCES.values()},
                F.DEVICE_PROFILE: _DEVICE_COLUMNS, F.USER_PROFILE: _PROFILE_COLUMNS, F.DAILY_TREND: _DAILY_COLUMNS}
#: Every table file load_export reads (the six tables, then the optional ones).
TABLES_READ = tuple(COLUMNS_READ)
#: What each table holds, in Korean, for the notes of the quality report.
_TABLE_NAMES = {"heart_rate": "심박수", "steps": "걸음 수", "sleep": "수면", "sleep_stages": "수면 단계",
                "exercise": "운동", "stress": "스트레스"}


def load_export(path: str | Path) -> Export:
    """Read a Samsung Health export: its folder (``samsunghealth_<user>_<14 digits>``), a
    folder holding it one or two levels down, or the ``.zip`` of either.

    Only heart rate and steps must be there; other tables that are absent come back
    empty. Whatever was read differently from the usual export (an absent table or
    column, another file layout, two exports mixed) is written in Korean into
    ``quality.notes``. Raises :class:`~course.fit2.errors.ExportError` with a Korean
    message naming the file (and line) for a missing folder or required table, a
    wrong encoding, a truncated file, a missing required column or a row with the
    wrong number of fields.
    """
    with open_export(path) as found:
        notes = list(found.notes)
        devices = _device_kinds(found.files)
        latest = _latest_time(found.stamp)
        tables, counts, excluded = {}, {}, []
        for name, source in SOURCES.items():
            raw = _read(found.files.get(source.table), source, notes, _TABLE_NAMES[name])
            frame, counts[name], dropped = _place_in_time(raw, source, latest)
            tables[name] = _TIDY[name](frame, devices)
            excluded.append(dropped.assign(table=name))
        if not devices:
            devices = _devices_without_profile(tables)
        daily = _daily_steps(found.files.get(F.DAILY_TREND), devices)
        person = _person(found.name, found.stamp, found.files.get(F.USER_PROFILE))
    return Export(
        **tables,
        daily_steps=daily,
        quality=_quality(tables, counts, _merge_layout_notes(notes)),
        person=person,
        folder=found.location,
        excluded=pd.concat(excluded, ignore_index=True)[["table", "file", "line", "reason"]].astype({"line": "Int64"}),
    )


def _latest_time(stamp: str) -> pd.Timestamp:
    """Nothing is measured after the export: the end of the day after the stamp's date (UTC)."""
    day = pd.to_datetime(stamp[:8], format="%Y%m%d", errors="coerce")
    return pd.Timestamp("2100-01-01", tz="UTC") if pd.isna(day) else day.tz_localize("UTC") + pd.Timedelta(days=2)


# ---------------------------------------------------------------- reading and timing

_KST_MINUTES = 9 * 60  # the offset of times written without a time_offset (Korean local time)
_COLUMN_NOTES = {
    "time_offset": "시간대(time_offset) 열이 없어요. 시각을 한국 시간으로 적힌 것으로 보고 읽었어요. "
                   "외국에서 잰 기록이 있다면 그 시각은 틀릴 수 있어요.",
    "deviceuuid": "기기 번호(deviceuuid) 열이 없어서, 밴드와 휴대폰 가운데 어느 기기가 쟀는지 알 수 없어요. "
                  "기기는 '모름'(빈 값)으로 두었어요.",
    "datauuid": "기록 번호(datauuid) 열이 없어요. 기록 번호 없이 읽었어요.",
}
#: Layout differences of a file (rawcsv.LAYOUTS), in Korean; one note per kind lists the tables.
_LAYOUT_NOTES = {
    "no_trailing_field": "줄 끝에 빈 칸(마지막 쉼표)이 없어요. 칸 수가 열 이름 수와 같아서 그대로 읽었어요.",
    "header_comma": "열 이름 줄도 쉼표로 끝나요. 빈 열 이름은 빼고 읽었어요.",
    "crlf": "줄 끝이 윈도우 방식(CR LF)이에요. 그대로 읽었어요.",
    "quotes": "따옴표로 묶인 칸이 있어요. 따옴표 안의 쉼표는 칸을 나누지 않는 것으로 읽었어요.",
}


def _read(path: TableFile | None, source: _Source, notes: list[Q.Note], what: str) -> RawTable:
    """The table's columns; an absent file gives an empty table (and a note)."""
    if path is None:
        notes.append(Q.Note("absent_table", source.table,
                            f"{what} 파일({source.table})이 없어서 {what} 표는 비어 있어요. "
                            "이 기능을 쓰지 않았다면 그럴 수 있어요."))
        return _empty(source)
    raw = read_table(path, source.table, source.columns, source.wanted_optional, source.dtypes)
    notes.extend(_file_notes(raw, source))
    return raw


def _empty(source: _Source) -> RawTable:
    dtypes = {c: "datetime64[ms]" if t == "timestamp" else t for c, t in source.dtypes.items()}
    columns = {c: pd.Series(dtype=dtypes.get(c, "str")) for c in (*source.columns, *source.wanted_optional)}
    return RawTable(columns, Path(source.table), source.wanted_optional)


def _file_notes(raw: RawTable, source: _Source) -> list[Q.Note]:
    """A note for each optional column the file lacks, and one per layout difference."""
    notes = []
    for column in raw.absent:
        if column == "end_time":
            text = ("끝 시각 열이 없어서, 끝 시각을 시작 시각과 같게 두었어요." if not source.end_after
                    else f"끝 시각 열이 없어서, 시작하고 {source.end_after.seconds // 60}분 뒤에 "
                         "끝난 것으로 두었어요.")
        else:
            text = _COLUMN_NOTES.get(column, f"'{column}' 열이 없어서 그 값은 비워 두었어요.")
        notes.append(Q.Note(f"absent_column:{column}", raw.path.name, f"'{raw.path.name}' 파일: {text}"))
    notes += [Q.Note(kind, source.table, "") for kind in raw.layout]
    return notes


def _merge_layout_notes(notes: list[Q.Note]) -> tuple[Q.Note, ...]:
    """Layout notes become one note per kind, naming its tables; other notes stay as they are."""
    tables: dict[str, list[str]] = {}
    for note in notes:
        if note.kind in _LAYOUT_NOTES:
            tables.setdefault(note.kind, []).append(note.where)
    merged = [Q.Note(kind, ", ".join(where), f"{_LAYOUT_NOTES[kind]} (표: {', '.join(where)})")
              for kind, where in tables.items()]
    return tuple(dict.fromkeys(n for n in notes if n.kind not in _LAYOUT_NOTES)) + tuple(merged)


def _offset_minutes(offsets: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Offsets in minutes (NaN if impossible) and whether each row's times are local (legacy ms)."""
    codes, uniques = pd.factorize(offsets)
    parsed = [_parse_offset(str(u)) for u in uniques] + [(np.nan, False)]
    minutes = np.array([p[0] for p in parsed])[codes]
    local = np.array([p[1] for p in parsed])[codes]
    return minutes, local


def _parse_offset(text: str) -> tuple[float, bool]:
    """``UTC+0900`` → (540, False); ``32400000`` (ms, legacy) → (540, True); impossible → (NaN, ...)."""
    match = re.fullmatch(r"UTC([+-])(\d{2})(\d{2})", text)
    if match:
        minutes = (int(match[2]) * 60 + int(match[3])) * (1 if match[1] == "+" else -1)
        local, ok = False, int(match[3]) < 60
    elif re.fullmatch(r"-?\d+", text):
        minutes, local = int(text) / 60_000, True
        ok = minutes == int(minutes)
    else:
        return np.nan, False
    low, high = F.OFFSET_RANGE_MIN
    return (float(minutes), local) if ok and low <= minutes <= high else (np.nan, local)


_TIME_SHAPE = r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})?$"
_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError)


def _parse_times(text: pd.Series) -> pd.Series:
    """``YYYY-MM-DD HH:MM:SS.mmm`` → datetime64[ms]; unreadable → NaT. Times the reader
    already parsed (every value in the file was a time) pass through.

    Arrow's C++ ISO-8601 parser is 20x faster than pandas here, but fails for the whole
    column on one bad value: then values not shaped like a time become missing first,
    and only if that is not enough does pandas parse value by value.
    """
    if pd.api.types.is_datetime64_dtype(text.dtype):
        return text.astype("datetime64[ms]")
    if not pd.api.types.is_string_dtype(text.dtype):  # e.g. an all-empty column
        text = text.astype("string")
    array = pa.array(text, type=pa.string(), from_pandas=True)
    try:
        return _arrow_ms(array, text.index)
    except _ARROW_ERRORS:
        shaped = pc.if_else(pc.match_substring_regex(array, _TIME_SHAPE), array, pa.scalar(None, pa.string()))
    try:
        return _arrow_ms(shaped, text.index)
    except _ARROW_ERRORS:
        return pd.to_datetime(text, format="ISO8601", errors="coerce").astype("datetime64[ms]")


def _arrow_ms(array: pa.Array, index: pd.Index) -> pd.Series:
    parsed = pc.cast(array, pa.timestamp("ms"))
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=index, dtype="datetime64[ms]")


def _place_in_time(raw: RawTable, source: _Source,
                   latest: pd.Timestamp) -> tuple[dict[str, pd.Series], Q.TableCounts, pd.DataFrame]:
    """Turn time columns into KST timestamps; exclude rows that cannot be placed (with reasons).

    A missing ``end_time`` column becomes ``start_time + source.end_after``.
    """
    times = tuple(c for c in source.times if c not in raw.absent)
    utc, reason = _utc_times(raw, times, source.required_values, latest)
    bad = reason > 0
    kept = {c: s for c, s in raw.columns.items() if c not in ("time_offset", *source.times)}
    if bad.any():
        kept = {c: s[~bad].reset_index(drop=True) for c, s in kept.items()}
        utc = {column: times[~bad] for column, times in utc.items()}
    for column, times in utc.items():
        kept[column] = pd.Series(pd.DatetimeIndex(times.astype("datetime64[ns]")).tz_localize("UTC").tz_convert(F.KST))
    if "end_time" in source.times and "end_time" in raw.absent:
        kept["end_time"] = kept["start_time"] + source.end_after
    reasons = np.array(_REASONS, dtype=object)[reason[bad]]
    dropped = pd.DataFrame({"file": raw.path.name, "line": raw.line_numbers(np.flatnonzero(bad)),
                            "reason": reasons})
    counts = Q.TableCounts(raw.path.name, len(bad), **pd.Series(reasons).value_counts().to_dict())
    return kept, counts, dropped


def _utc_times(raw: RawTable, times: tuple[str, ...], required_values: tuple[str, ...],
               latest: pd.Timestamp) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """UTC datetime64[ms] arrays of the time columns, and each row's first problem (0 = none).

    Without a ``time_offset`` column every time is Korean local time.
    """
    frame = raw.columns
    if "time_offset" in raw.absent:
        minutes, local = np.full(raw.rows, float(_KST_MINUTES)), np.ones(raw.rows, dtype=bool)
    else:
        minutes, local = _offset_minutes(frame["time_offset"])
    reason = np.where(np.isnan(minutes), 1, 0)   # index into _REASONS
    low, high = (np.datetime64(t.tz_localize(None), "ms") for t in (F.EARLIEST_TIME, latest))
    utc = {}
    for column in times:
        utc[column] = _parse_times(frame[column]).to_numpy()
        if local.any():  # legacy rows hold local time: subtract their offset
            utc[column] = utc[column] - pd.to_timedelta(np.where(local, minutes, 0.0), unit="min").to_numpy()
        reason = _first_reason(reason, np.isnat(utc[column]), 2)
        reason = _first_reason(reason, (utc[column] < low) | (utc[column] > high), 3)
    for column in required_values:
        reason = _first_reason(reason, frame[column].isna().to_numpy(), 4)
    return utc, reason


_REASONS = ("", "bad_offset", "bad_time", "far_date", "missing_value")


def _first_reason(reason: np.ndarray, problem: np.ndarray, code: int) -> np.ndarray:
    """Give ``code`` to rows with ``problem`` that have no reason yet (each row counts once)."""
    return np.where((reason == 0) & problem, code, reason)


# ---------------------------------------------------------------- devices

def _device_kinds(files: dict[str, TableFile]) -> dict[str, str]:
    """deviceuuid → 'band' / 'phone' / 'other', from device_profile's device_group (if the file exists)."""
    path = files.get(F.DEVICE_PROFILE)
    if path is None:
        return {}
    frame = read_table(path, F.DEVICE_PROFILE, _DEVICE_COLUMNS, dtypes={"device_group": _FLOAT}).frame
    return {str(d): F.DEVICE_GROUPS.get(int(g), "other") if g == g else "other"
            for d, g in zip(frame["deviceuuid"], frame["device_group"])}


def _devices_without_profile(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """No device_profile file: the band measured the heart rates, the phone did not (relabels ``device``)."""
    band = set(tables["heart_rate"]["device_id"].astype(str))
    devices = {str(d): "band" if str(d) in band else "phone"
               for frame in tables.values() for d in frame["device_id"].cat.categories}
    for frame in tables.values():
        frame["device"] = _device_column(frame["device_id"], devices)
    return devices


def _device_column(device_ids: pd.Series, devices: dict[str, str]) -> pd.Categorical:
    """Kind of device of each row (categorical band / phone / other)."""
    ids = device_ids.astype("category")
    kinds = [F.DEVICE_KINDS.index(devices.get(str(c), "other")) for c in ids.cat.categories]
    codes = np.array([*kinds, -1], dtype=np.int8)[ids.cat.codes.to_numpy()]
    return pd.Categorical.from_codes(codes, categories=F.DEVICE_KINDS)


def _devices(frame: dict[str, pd.Series], devices: dict[str, str]) -> dict[str, object]:
    ids = frame["deviceuuid"].astype("category")
    if not pd.api.types.is_string_dtype(ids.cat.categories.dtype):  # ids that look like numbers
        ids = ids.cat.rename_categories(str)
    return {"device": _device_column(ids, devices), "device_id": ids}


# ---------------------------------------------------------------- tidy tables

def _minutes(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / 60


def _codes(values: pd.Series, names: dict[int, str], categories: tuple[str, ...],
           other: str | None) -> pd.Categorical:
    """Numeric codes → named categories (unknown codes → ``other``, missing stays missing)."""
    mapped = values.map({float(code): name for code, name in names.items()})
    if other is not None:
        mapped = mapped.where(values.isna() | mapped.notna(), other)
    return pd.Categorical(mapped, categories=categories)


def _table(columns: dict[str, object], time: str) -> pd.DataFrame:
    """A tidy table from its columns (no copies), in time order."""
    frame = pd.DataFrame(columns, copy=False)
    if frame[time].is_monotonic_increasing:
        return frame
    return frame.sort_values(time, kind="stable", ignore_index=True)


def _tidy_heart_rate(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    return _table({"time": f["start_time"], "bpm": f["heart_rate"], **_devices(f, devices),
                   "datauuid": f["datauuid"]}, "time")


def _tidy_steps(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "steps": f["count"].astype("int64"),
        "walk_steps": f["walk_step"].astype("Int64"), "run_steps": f["run_step"].astype("Int64"),
        "distance_m": f["distance"], "calories_kcal": f["calorie"], "speed_mps": f["speed"],
        **_devices(f, devices),
    }, "start")


def _tidy_sleep(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "asleep_min": f["sleep_duration"], "efficiency": f["efficiency"], "score": f["sleep_score"],
        "sleep_id": f["datauuid"], **_devices(f, devices),
    }, "start")


def _tidy_sleep_stages(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "stage": _codes(f["stage"], F.SLEEP_STAGES, tuple(F.SLEEP_STAGES.values()), None),
        "sleep_id": f["sleep_id"], **_devices(f, devices),
    }, "start")


def _tidy_exercise(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    from_times = _minutes(f["end_time"] - f["start_time"])
    return _table({
        "start": f["start_time"], "end": f["end_time"],
        "type": _codes(f["exercise_type"], F.EXERCISE_TYPES, F.EXERCISE_KINDS, "other"),
        "duration_min": (f["duration"] / 60_000).fillna(from_times),
        "calories_kcal": f["calorie"], "distance_m": f["distance"], "steps": f["count"].astype("Int64"),
        "mean_hr": f["mean_heart_rate"].replace(0.0, np.nan), "max_hr": f["max_heart_rate"].replace(0.0, np.nan),
        **_devices(f, devices), "datauuid": f["datauuid"],
    }, "start")


def _tidy_stress(f: dict[str, pd.Series], devices: dict[str, str]) -> pd.DataFrame:
    return _table({"start": f["start_time"], "end": f["end_time"], "score": f["score"],
                   **_devices(f, devices)}, "start")


_TIDY = {"heart_rate": _tidy_heart_rate, "steps": _tidy_steps, "sleep": _tidy_sleep,
         "sleep_stages": _tidy_sleep_stages, "exercise": _tidy_exercise, "stress": _tidy_stress}


def _daily_steps(path: TableFile | None, devices: dict[str, str]) -> pd.DataFrame:
    """Samsung's own daily totals; ``day_time`` is the KST date written as UTC midnight."""
    columns = {"day": "datetime64[ns]", "steps": "Int64", "distance_m": _FLOAT, "calories_kcal": _FLOAT}
    if path is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()} | {"source": pd.Categorical([])})
    f = read_table(path, F.DAILY_TREND, _DAILY_COLUMNS[:3], _DAILY_COLUMNS[3:],
                   {c: _FLOAT for c in _DAILY_COLUMNS if c != "deviceuuid"}).frame
    kind = _device_column(f["deviceuuid"], devices).astype(object)
    source = np.where(f["source_type"] == F.ALL_DEVICES_SOURCE, "all", kind)
    return pd.DataFrame({
        "day": pd.to_datetime(f["day_time"], unit="ms").astype("datetime64[ns]"),
        "steps": f["count"].astype("Int64"), "distance_m": f["distance"], "calories_kcal": f["calorie"],
        "source": pd.Categorical(source, categories=("all", *F.DEVICE_KINDS)),
    }).sort_values(["day", "source"], ignore_index=True)


# ---------------------------------------------------------------- person and quality

def _person(name: str, stamp: str, profile: TableFile | None) -> Person:
    match = F.FOLDER_PATTERN.match(name)
    user = match["user"] if match else name
    if profile is None:
        return Person(user, stamp)
    f = read_table(profile, F.USER_PROFILE, _PROFILE_COLUMNS[:1], _PROFILE_COLUMNS[1:],
                   {"float_value": _FLOAT}).frame.drop_duplicates("key").set_index("key")
    text = f["text_value"].dropna().to_dict()
    number = f["float_value"].dropna().to_dict()
    return Person(user, stamp, text.get("birth_date"), _float(number.get("height")), _float(number.get("weight")))


def _float(value: object) -> float | None:
    return None if value is None else float(value)


def _quality(tables: dict[str, pd.DataFrame], counts: dict[str, Q.TableCounts],
             notes: tuple[Q.Note, ...]) -> Q.QualityReport:
    return Q.QualityReport(
        tables=counts,
        duplicate_heart_rates=int(Q.duplicate_heart_rate_mask(tables["heart_rate"]).sum()),
        impossible_heart_rates=int(Q.impossible_heart_rate_mask(tables["heart_rate"]).sum()),
        overlapping_sleeps=int(Q.overlapping_sleep_mask(tables["sleep"]).sum()),
        short_exercises=int(Q.short_exercise_mask(tables["exercise"]).sum()),
        step_devices=tuple(str(d) for d in tables["steps"]["device"].dropna().unique().sort_values()),
        notes=notes,
    )
