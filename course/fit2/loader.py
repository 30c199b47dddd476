"""Load a Samsung Health export folder into tidy tables in Korean time.

:func:`load_export` reads the six tables of a Galaxy Fit2 wearer (heart rate,
steps, sleep, sleep stages, exercise, stress) plus the optional daily step totals,
and returns an :class:`Export`: tidy ``pandas`` tables with short English column
names, correct dtypes and every time as a tz-aware ``Asia/Seoul`` timestamp.

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
from course.fit2.errors import ExportError
from course.fit2.rawcsv import RawTable, read_table

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
    ``device`` is a category band / phone / other, ``device_id`` the raw ``deviceuuid``.

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
    """What to read from one table file."""

    table: str
    columns: tuple[str, ...]                 # required short names
    optional: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()            # read as float64
    times: tuple[str, ...] = ("start_time", "end_time")
    required_values: tuple[str, ...] = ()    # rows missing one of these are excluded


_SOURCES = {
    "heart_rate": _Source(F.HEART_RATE, ("start_time", "time_offset", "deviceuuid", "heart_rate"),
                          ("datauuid",), ("heart_rate",), ("start_time",), ("heart_rate",)),
    "steps": _Source(F.STEP_COUNT, ("start_time", "end_time", "time_offset", "deviceuuid", "count"),
                     ("walk_step", "run_step", "distance", "calorie", "speed"),
                     ("count", "walk_step", "run_step", "distance", "calorie", "speed"),
                     required_values=("count",)),
    "sleep": _Source(F.SLEEP_TABLE, ("start_time", "end_time", "time_offset", "deviceuuid", "datauuid"),
                     ("sleep_duration", "efficiency", "sleep_score"),
                     ("sleep_duration", "efficiency", "sleep_score")),
    "sleep_stages": _Source(F.SLEEP_STAGE, ("start_time", "end_time", "time_offset", "deviceuuid",
                                            "sleep_id", "stage"), (), ("stage",),
                            required_values=("stage",)),
    "exercise": _Source(F.EXERCISE_TABLE, ("start_time", "end_time", "time_offset", "deviceuuid",
                                           "exercise_type"),
                        ("duration", "calorie", "distance", "count", "mean_heart_rate",
                         "max_heart_rate", "datauuid"),
                        ("exercise_type", "duration", "calorie", "distance", "count", "mean_heart_rate",
                         "max_heart_rate")),
    "stress": _Source(F.STRESS, ("start_time", "end_time", "time_offset", "deviceuuid", "score"), (),
                      ("score",), required_values=("score",)),
}
_OPTIONAL_TABLES = (F.DEVICE_PROFILE, F.USER_PROFILE, F.DAILY_TREND)
#: Every table file load_export reads (the six required tables, then the optional ones).
TABLES_READ = (*(s.table for s in _SOURCES.values()), *_OPTIONAL_TABLES)


def load_export(folder: str | Path) -> Export:
    """Read a Samsung Health export folder (``samsunghealth_<user>_<14 digits>``).

    Raises :class:`~course.fit2.errors.ExportError` with a Korean message naming
    the file (and line) for a missing folder or table, a wrong encoding, a
    truncated file, a changed column set or a row with the wrong number of fields.
    """
    folder = _find_folder(Path(folder))
    files, stamp = _find_files(folder)
    devices = _device_kinds(files)
    latest = _latest_time(stamp)
    tables, counts, excluded = {}, {}, []
    for name, source in _SOURCES.items():
        raw = _read(files[source.table], source)
        frame, counts[name], dropped = _place_in_time(raw, source, latest)
        tables[name] = _TIDY[name](frame, devices)
        excluded.append(dropped.assign(table=name))
    if not devices:
        devices = _devices_without_profile(tables)
    return Export(
        **tables,
        daily_steps=_daily_steps(files.get(F.DAILY_TREND), devices),
        quality=_quality(tables, counts),
        person=_person(folder, stamp, files.get(F.USER_PROFILE)),
        folder=folder,
        excluded=pd.concat(excluded, ignore_index=True)[["table", "file", "line", "reason"]].astype({"line": "Int64"}),
    )


# ---------------------------------------------------------------- finding files

def _find_folder(path: Path) -> Path:
    if path.suffix.lower() == ".zip" and path.is_file():
        raise ExportError("압축 파일이에요. 먼저 압축을 풀고 풀린 폴더를 넣어 주세요.",
                          "a zip file: extract it first", file=path)
    if not path.is_dir():
        raise ExportError("폴더를 찾을 수 없어요. 폴더 이름과 위치를 확인해 주세요.",
                          f"no such folder: {path}", file=path)
    inner = sorted(p for p in path.iterdir() if p.is_dir() and p.name.startswith("samsunghealth_"))
    if not any(path.glob("*.csv")) and len(inner) == 1:
        return inner[0]
    return path


def _find_files(folder: Path) -> tuple[dict[str, Path], str]:
    """Map each known table to its file; all files must share one 14-digit stamp."""
    files: dict[str, Path] = {}
    stamps = set()
    for table in F.TABLES:
        pattern = re.compile(rf"^{re.escape(table)}\.({F.STAMP_PATTERN})\.csv$")
        found = sorted(p for p in folder.glob(f"{table}.*.csv") if pattern.match(p.name))
        if len(found) > 1:
            raise ExportError("같은 표의 파일이 두 개 이상 있어요. 내보내기 하나만 폴더에 넣어 주세요.",
                              f"several files for {table}: {[p.name for p in found]}", file=folder)
        if found:
            files[table] = found[0]
            stamps.add(pattern.match(found[0].name).group(1))
    for source in _SOURCES.values():
        if source.table not in files:
            raise ExportError(
                f"꼭 필요한 파일이 폴더에 없어요: '{source.table}.<숫자 14자리>.csv'",
                f"required table file missing: {source.table}.<14 digits>.csv", file=folder)
    if len(stamps) > 1:
        raise ExportError("파일 이름의 숫자 14자리가 서로 달라요. 두 번 내보낸 파일이 섞였어요.",
                          f"files from different exports: {sorted(stamps)}", file=folder)
    return files, stamps.pop()


def _latest_time(stamp: str) -> pd.Timestamp:
    """Nothing is measured after the export: the end of the day after the stamp's date (UTC)."""
    day = pd.to_datetime(stamp[:8], format="%Y%m%d", errors="coerce")
    return pd.Timestamp("2100-01-01", tz="UTC") if pd.isna(day) else day.tz_localize("UTC") + pd.Timedelta(days=2)


# ---------------------------------------------------------------- reading and timing

def _read(path: Path, source: _Source) -> RawTable:
    return read_table(path, source.table, source.columns, source.optional,
                      {c: _FLOAT for c in source.numbers})


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
    """``YYYY-MM-DD HH:MM:SS.mmm`` → datetime64[ms]; unreadable → NaT.

    Arrow's C++ ISO-8601 parser is 20x faster than pandas here, but fails for the whole
    column on one bad value: then values not shaped like a time become missing first,
    and only if that is not enough does pandas parse value by value.
    """
    if not pd.api.types.is_string_dtype(text.dtype):  # e.g. an all-empty column, read as numbers
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
                   latest: pd.Timestamp) -> tuple[pd.DataFrame, Q.TableCounts, pd.DataFrame]:
    """Turn time columns into KST timestamps; exclude rows that cannot be placed (with reasons)."""
    utc, reason = _utc_times(raw.frame, source, latest)
    bad = reason > 0
    kept = raw.frame.drop(columns=["time_offset", *source.times])
    if bad.any():
        kept = kept.loc[~bad]
        utc = {column: times[~bad] for column, times in utc.items()}
    for column, times in utc.items():
        kept[column] = pd.DatetimeIndex(times.astype("datetime64[ns]"), tz="UTC").tz_convert(F.KST)
    reasons = np.array(_REASONS, dtype=object)[reason[bad]]
    dropped = pd.DataFrame({"file": raw.path.name, "line": raw.line_numbers(np.flatnonzero(bad)),
                            "reason": reasons})
    counts = Q.TableCounts(raw.path.name, len(bad), **pd.Series(reasons).value_counts().to_dict())
    return kept.reset_index(drop=True), counts, dropped


def _utc_times(frame: pd.DataFrame, source: _Source,
               latest: pd.Timestamp) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """UTC datetime64[ms] arrays of the time columns, and each row's first problem (0 = none)."""
    minutes, local = _offset_minutes(frame["time_offset"])
    reason = np.where(np.isnan(minutes), 1, 0)   # index into _REASONS
    low, high = (np.datetime64(t.tz_localize(None), "ms") for t in (F.EARLIEST_TIME, latest))
    utc = {}
    for column in source.times:
        utc[column] = _parse_times(frame[column]).to_numpy()
        if local.any():  # legacy rows hold local time: subtract their offset
            utc[column] = utc[column] - pd.to_timedelta(np.where(local, minutes, 0.0), unit="min").to_numpy()
        reason = _first_reason(reason, np.isnat(utc[column]), 2)
        reason = _first_reason(reason, (utc[column] < low) | (utc[column] > high), 3)
    for column in source.required_values:
        reason = _first_reason(reason, frame[column].isna().to_numpy(), 4)
    return utc, reason


_REASONS = ("", "bad_offset", "bad_time", "far_date", "missing_value")


def _first_reason(reason: np.ndarray, problem: np.ndarray, code: int) -> np.ndarray:
    """Give ``code`` to rows with ``problem`` that have no reason yet (each row counts once)."""
    return np.where((reason == 0) & problem, code, reason)


# ---------------------------------------------------------------- devices

def _device_kinds(files: dict[str, Path]) -> dict[str, str]:
    """deviceuuid → 'band' / 'phone' / 'other', from device_profile's device_group (if the file exists)."""
    path = files.get(F.DEVICE_PROFILE)
    if path is None:
        return {}
    frame = read_table(path, F.DEVICE_PROFILE, ("deviceuuid", "device_group"),
                       dtypes={"device_group": _FLOAT}).frame
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


def _devices(frame: pd.DataFrame, devices: dict[str, str]) -> dict[str, object]:
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


def _tidy_heart_rate(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    return _table({"time": f["start_time"], "bpm": f["heart_rate"], **_devices(f, devices),
                   "datauuid": f["datauuid"]}, "time")


def _tidy_steps(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "steps": f["count"].astype("int64"),
        "walk_steps": f["walk_step"].astype("Int64"), "run_steps": f["run_step"].astype("Int64"),
        "distance_m": f["distance"], "calories_kcal": f["calorie"], "speed_mps": f["speed"],
        **_devices(f, devices),
    }, "start")


def _tidy_sleep(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "asleep_min": f["sleep_duration"], "efficiency": f["efficiency"], "score": f["sleep_score"],
        "sleep_id": f["datauuid"], **_devices(f, devices),
    }, "start")


def _tidy_sleep_stages(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "stage": _codes(f["stage"], F.SLEEP_STAGES, tuple(F.SLEEP_STAGES.values()), None),
        "sleep_id": f["sleep_id"], **_devices(f, devices),
    }, "start")


def _tidy_exercise(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    from_times = _minutes(f["end_time"] - f["start_time"])
    return _table({
        "start": f["start_time"], "end": f["end_time"],
        "type": _codes(f["exercise_type"], F.EXERCISE_TYPES, F.EXERCISE_KINDS, "other"),
        "duration_min": (f["duration"] / 60_000).fillna(from_times),
        "calories_kcal": f["calorie"], "distance_m": f["distance"], "steps": f["count"].astype("Int64"),
        "mean_hr": f["mean_heart_rate"].replace(0.0, np.nan), "max_hr": f["max_heart_rate"].replace(0.0, np.nan),
        **_devices(f, devices), "datauuid": f["datauuid"],
    }, "start")


def _tidy_stress(f: pd.DataFrame, devices: dict[str, str]) -> pd.DataFrame:
    return _table({"start": f["start_time"], "end": f["end_time"], "score": f["score"],
                   **_devices(f, devices)}, "start")


_TIDY = {"heart_rate": _tidy_heart_rate, "steps": _tidy_steps, "sleep": _tidy_sleep,
         "sleep_stages": _tidy_sleep_stages, "exercise": _tidy_exercise, "stress": _tidy_stress}


def _daily_steps(path: Path | None, devices: dict[str, str]) -> pd.DataFrame:
    """Samsung's own daily totals; ``day_time`` is the KST date written as UTC midnight."""
    columns = {"day": "datetime64[ns]", "steps": "Int64", "distance_m": _FLOAT, "calories_kcal": _FLOAT}
    if path is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()} | {"source": pd.Categorical([])})
    f = read_table(path, F.DAILY_TREND, ("day_time", "count", "source_type", "deviceuuid"),
                   ("distance", "calorie"), {c: _FLOAT for c in ("day_time", "count", "source_type",
                                                                  "distance", "calorie")}).frame
    kind = _device_column(f["deviceuuid"], devices).astype(object)
    source = np.where(f["source_type"] == F.ALL_DEVICES_SOURCE, "all", kind)
    return pd.DataFrame({
        "day": pd.to_datetime(f["day_time"], unit="ms").astype("datetime64[ns]"),
        "steps": f["count"].astype("Int64"), "distance_m": f["distance"], "calories_kcal": f["calorie"],
        "source": pd.Categorical(source, categories=("all", *F.DEVICE_KINDS)),
    }).sort_values(["day", "source"], ignore_index=True)


# ---------------------------------------------------------------- person and quality

def _person(folder: Path, stamp: str, profile: Path | None) -> Person:
    match = F.FOLDER_PATTERN.match(folder.name)
    user = match["user"] if match else folder.name
    if profile is None:
        return Person(user, stamp)
    f = read_table(profile, F.USER_PROFILE, ("key",), ("text_value", "float_value"),
                   {"float_value": _FLOAT}).frame.drop_duplicates("key").set_index("key")
    text = f["text_value"].dropna().to_dict()
    number = f["float_value"].dropna().to_dict()
    return Person(user, stamp, text.get("birth_date"), _float(number.get("height")), _float(number.get("weight")))


def _float(value: object) -> float | None:
    return None if value is None else float(value)


def _quality(tables: dict[str, pd.DataFrame], counts: dict[str, Q.TableCounts]) -> Q.QualityReport:
    return Q.QualityReport(
        tables=counts,
        duplicate_heart_rates=int(Q.duplicate_heart_rate_mask(tables["heart_rate"]).sum()),
        impossible_heart_rates=int(Q.impossible_heart_rate_mask(tables["heart_rate"]).sum()),
        overlapping_sleeps=int(Q.overlapping_sleep_mask(tables["sleep"]).sum()),
        short_exercises=int(Q.short_exercise_mask(tables["exercise"]).sum()),
        step_devices=tuple(str(d) for d in tables["steps"]["device"].dropna().unique().sort_values()),
    )
