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
written in plain Korean into ``Export.quality.notes``.

It is about as fast as a bare ``pandas.read_csv`` of the same columns and needs less
memory (``benchmarks/fit2_loader.py``): only the columns it needs are read, by pyarrow
in parallel blocks (:mod:`course.fit2.rawcsv`), while the table before is placed in time
and tidied here; times are converted in bulk, each column is converted from Arrow once,
and the memory of a table's Arrow columns goes back as soon as they are converted.

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
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from course.fit2 import formats as F
from course.fit2 import quality as Q
from course.fit2.errors import ExportError
from course.fit2.exportfiles import open_export
from course.fit2.rawcsv import MEMORY, PREAMBLE_LINES, RawTable, TableFile, empty_table, read_table, to_series

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
        reads = _ReadAhead(found.files)  # the first file is read while the devices are looked up
        notes = list(found.notes)
        devices = _device_kinds(found.files)
        latest = _latest_time(found.stamp)
        loaded = {name: (table, placed) for name, table, placed in _load_tables(reads, devices, latest)}
        tables = {name: loaded[name][0] for name in SOURCES}  # back in the usual order
        placed = {name: loaded[name][1] for name in SOURCES}
        counts = {name: placed[name].counts for name in SOURCES}
        notes += [note for name in SOURCES for note in placed[name].notes]
        excluded = [(name, placed[name].file, *placed[name].dropped) for name in SOURCES]
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
        excluded=_excluded(excluded),
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


@dataclass(frozen=True)
class _Placed:
    """What load_export keeps of one measurement table besides the tidy table itself: the counts,
    the file, the lines and reasons of the excluded rows, and the notes on how it was read."""

    counts: Q.TableCounts
    file: str
    dropped: tuple[np.ndarray, np.ndarray]
    notes: list[Q.Note]


#: The order the tables are loaded in: the largest file first, while nothing else is held yet,
#: then a small one, read while the first is tidied (so the next large one waits until then).
_LOAD_ORDER = ("steps", "sleep", "heart_rate", "sleep_stages", "exercise", "stress")
#: Reads the next file while load_export places in time and tidies the table before.
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fit2-read")


class _ReadAhead:
    """The measurement tables' files read in :data:`_LOAD_ORDER` on the reader thread, one file
    ahead of the table taken last."""

    def __init__(self, files: dict[str, TableFile]) -> None:
        self._files, self._names, self._taken = files, iter(_LOAD_ORDER), set()
        self._next = self._start_next()

    def take(self) -> tuple[str, RawTable, list[Q.Note]]:
        """The next table's name, columns and reading notes (once its file is read)."""
        name, reading = self._next
        self._next = self._start_next()
        self._taken.add(name)
        try:
            return (name, *reading.result())
        except ExportError as error:
            raise self._error_before(name) or error

    def _start_next(self) -> tuple[str, Future[tuple[RawTable, list[Q.Note]]]] | None:
        name = next(self._names, None)
        return None if name is None else (name, _READER.submit(self._read, name))

    def _read(self, name: str) -> tuple[RawTable, list[Q.Note]]:
        source = SOURCES[name]
        return _read(self._files.get(source.table), source, _TABLE_NAMES[name])

    def _error_before(self, name: str) -> ExportError | None:
        """When table ``name`` cannot be read: the error of a table not read yet that comes before it
        in :data:`SOURCES` and cannot be read either (the error reported first is the same as when
        the files were read in that order)."""
        for earlier in SOURCES:
            if earlier == name:
                return None
            if earlier not in self._taken:
                try:
                    self._read(earlier)
                except ExportError as error:
                    return error
        return None


def _load_tables(reads: _ReadAhead, devices: dict[str, str],
                 latest: pd.Timestamp) -> Iterator[tuple[str, pd.DataFrame, _Placed]]:
    """Each measurement table placed in time and tidied, with what else load_export keeps of it."""
    for _ in _LOAD_ORDER:
        name, raw, notes = reads.take()
        columns, counts, dropped = _place_in_time(raw, SOURCES[name], latest)
        placed = _Placed(counts, raw.path.name, dropped, notes)
        del raw  # from here on only `columns` holds the file's Arrow columns, each until it is converted
        MEMORY.release_unused()  # the time columns are placed: their memory goes back to the system
        table = _TIDY[name](columns, devices)
        del columns  # so do the Arrow columns no tidy table needs
        MEMORY.release_unused()
        yield name, table, placed


def _read(path: TableFile | None, source: _Source, what: str) -> tuple[RawTable, list[Q.Note]]:
    """The table's columns and the notes on how they were read; an absent file gives an empty table."""
    if path is None:
        return _empty(source), [Q.Note("absent_table", source.table,
                                       f"{what} 파일({source.table})이 없어서 {what} 표는 비어 있어요. "
                                       "이 기능을 쓰지 않았다면 그럴 수 있어요.")]
    raw = read_table(path, source.table, source.columns, source.wanted_optional, source.dtypes)
    return raw, _file_notes(raw, source)


def _empty(source: _Source) -> RawTable:
    """No file: no rows, and every optional column absent."""
    return RawTable(empty_table((*source.columns, *source.wanted_optional), source.dtypes), Path(source.table),
                    source.wanted_optional)


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


def _offsets(raw: RawTable) -> tuple[np.ndarray, np.ndarray | None]:
    """Which rows have an impossible ``time_offset``, and the milliseconds to subtract from each
    row's times for UTC (None when every time is UTC already; legacy rows hold local time).

    Each distinct offset (the column is read as a dictionary) is parsed once. Without a
    ``time_offset`` column every time is Korean local time.
    """
    if "time_offset" in raw.absent:
        return np.zeros(raw.rows, dtype=bool), np.full(raw.rows, _KST_MINUTES * 60_000)
    offsets = raw.table.column("time_offset").combine_chunks(memory_pool=MEMORY)  # one dictionary
    parsed = [_parse_offset(text) for text in offsets.dictionary.to_pylist()] + [(np.nan, False)]
    codes = offsets.indices.fill_null(-1).to_numpy(zero_copy_only=False)  # -1: missing, the last entry
    minutes = np.array([m for m, _ in parsed])
    local = np.array([is_local for _, is_local in parsed]) & ~np.isnan(minutes)
    shift = (np.where(local, minutes, 0.0) * 60_000).astype(np.int64).take(codes) if local.any() else None
    impossible = np.isnan(minutes)
    if not impossible[:-1].any() and offsets.null_count == 0:  # the usual case: every offset is possible
        return np.zeros(len(codes), dtype=bool), shift
    return impossible.take(codes), shift


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
_TIME_MS = pa.timestamp("ms")
#: The int64 value of NaT: a time that could not be read.
_NAT = np.iinfo(np.int64).min


def _epoch_ms(times: pa.ChunkedArray) -> np.ndarray:
    """Milliseconds since 1970 (int64; :data:`_NAT` where unreadable) of a time column.

    The reader parsed the column already unless one value in the file was no time: then
    the text is parsed here (see :func:`_parse_times`).
    """
    if not pa.types.is_timestamp(times.type):
        times = _parse_times(times)
    return times.to_numpy(zero_copy_only=False).astype("datetime64[ms]", copy=False).view(np.int64)


def _parse_times(text: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """``YYYY-MM-DD HH:MM:SS.mmm`` → timestamp[ms]; unreadable → missing.

    Arrow's C++ ISO-8601 parser is 20x faster than pandas here, but fails for the whole
    column on one bad value: then values not shaped like a time become missing first,
    and only if that is not enough does pandas parse value by value.
    """
    try:
        return pc.cast(text, _TIME_MS)
    except _ARROW_ERRORS:
        shaped = pc.if_else(pc.match_substring_regex(text, _TIME_SHAPE), text, pa.scalar(None, pa.string()))
    try:
        return pc.cast(shaped, _TIME_MS)
    except _ARROW_ERRORS:
        parsed = pd.to_datetime(to_series(text), format="ISO8601", errors="coerce").astype("datetime64[ms]")
        return pa.array(parsed, type=_TIME_MS)


def _kst(utc_ms: np.ndarray) -> pd.Series:
    """UTC milliseconds (all readable; a writable array is turned into nanoseconds in place)
    → datetime64[ns, Asia/Seoul]."""
    ns = np.multiply(utc_ms, 1_000_000, out=utc_ms if utc_ms.flags.writeable else None)
    return pd.Series(pd.DatetimeIndex(ns.view("datetime64[ns]"), copy=False).tz_localize("UTC").tz_convert(F.KST))


class _Columns:
    """The kept rows of one table by short column name: the times in Korean time, and every other
    column filtered and converted from Arrow when it is taken (a column no tidy table needs never
    is). Such a column is handed out once, and its Arrow memory is let go at once."""

    def __init__(self, arrow: dict[str, pa.ChunkedArray], keep: pa.Array | None,
                 times: dict[str, pd.Series]) -> None:
        self._arrow, self._keep, self._times = arrow, keep, times

    def __getitem__(self, name: str) -> pd.Series:
        if name in self._times:
            return self._times[name]
        column = self._arrow.pop(name)
        return to_series(column if self._keep is None else pc.filter(column, self._keep, memory_pool=MEMORY))


def _place_in_time(raw: RawTable, source: _Source,
                   latest: pd.Timestamp) -> tuple[_Columns, Q.TableCounts, tuple[np.ndarray, np.ndarray]]:
    """Turn time columns into KST timestamps; exclude rows that cannot be placed.

    Returns the kept rows, the counts, and the file lines and reasons of the excluded rows.
    A missing ``end_time`` column becomes ``start_time + source.end_after``.
    """
    times = tuple(c for c in source.times if c not in raw.absent)
    utc, reason = _utc_times(raw, times, source.required_values, latest)
    bad = reason > 0
    keep = None
    if bad.any():
        keep = pa.array(~bad)
        utc = {column: ms[~bad] for column, ms in utc.items()}
    kst = {column: _kst(utc.pop(column)) for column in list(utc)}
    if "end_time" in source.times and "end_time" in raw.absent:
        kst["end_time"] = kst["start_time"] + source.end_after
    other = {c: raw.table.column(c) for c in raw.table.column_names if c not in ("time_offset", *source.times)}
    reasons = np.array(_REASONS, dtype=object)[reason[bad]]
    counts = Q.TableCounts(raw.path.name, len(bad), **Counter(reasons.tolist()))
    return _Columns(other, keep, kst), counts, (np.flatnonzero(bad) + PREAMBLE_LINES + 1, reasons)


def _excluded(dropped: list[tuple[str, str, np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """One row per excluded row: table, file, line and reason (from (table, file, lines, reasons))."""
    sizes = [len(lines) for _, _, lines, _ in dropped]
    return pd.DataFrame({
        "table": pd.array(np.repeat([d[0] for d in dropped], sizes).tolist(), dtype="str"),
        "file": pd.array(np.repeat([d[1] for d in dropped], sizes).tolist(), dtype="str"),
        "line": pd.array(np.concatenate([d[2] for d in dropped]), dtype="Int64"),
        "reason": pd.Series(np.concatenate([d[3] for d in dropped]), dtype=object),
    })


def _utc_times(raw: RawTable, times: tuple[str, ...], required_values: tuple[str, ...],
               latest: pd.Timestamp) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """UTC milliseconds (int64) of the time columns, and each row's first problem (0 = none)."""
    bad_offset, shift = _offsets(raw)
    reason = bad_offset.astype(np.int8)   # index into _REASONS: 1 is bad_offset
    low, high = (t.value // 1_000_000 for t in (F.EARLIEST_TIME, latest))
    utc = {}
    for column in times:
        ms = _epoch_ms(raw.table.column(column))
        unreadable = ms == _NAT
        if shift is not None:
            ms = np.where(unreadable, _NAT, ms - shift)
        _first_reason(reason, unreadable, 2)
        _first_reason(reason, (ms < low) | (ms > high), 3)
        utc[column] = ms
    for column in required_values:
        missing = pc.is_null(raw.table.column(column), nan_is_null=True, memory_pool=MEMORY)
        _first_reason(reason, missing.to_numpy(zero_copy_only=False), 4)
    return utc, reason


_REASONS = ("", "bad_offset", "bad_time", "far_date", "missing_value")


def _first_reason(reason: np.ndarray, problem: np.ndarray, code: int) -> None:
    """Give ``code`` to rows with ``problem`` that have no reason yet (each row counts once)."""
    if problem.any():
        reason[(reason == 0) & problem] = code


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


_DEVICE_DTYPE = pd.CategoricalDtype(F.DEVICE_KINDS)
_STAGE_DTYPE = pd.CategoricalDtype(tuple(F.SLEEP_STAGES.values()))
_EXERCISE_DTYPE = pd.CategoricalDtype(F.EXERCISE_KINDS)
_SOURCE_DTYPE = pd.CategoricalDtype(("all", *F.DEVICE_KINDS))


def _device_codes(device_ids: pd.Series, devices: dict[str, str]) -> np.ndarray:
    """Index into :data:`F.DEVICE_KINDS` of each row's kind of device (-1 where the id is missing)."""
    ids = device_ids if isinstance(device_ids.dtype, pd.CategoricalDtype) else device_ids.astype("category")
    kinds = [F.DEVICE_KINDS.index(devices.get(str(c), "other")) for c in ids.cat.categories]
    return np.array([*kinds, -1], dtype=np.int8).take(ids.cat.codes.to_numpy())


def _device_column(device_ids: pd.Series, devices: dict[str, str]) -> pd.Categorical:
    """Kind of device of each row (categorical band / phone / other)."""
    return pd.Categorical.from_codes(_device_codes(device_ids, devices), dtype=_DEVICE_DTYPE, validate=False)


def _devices(frame: _Columns, devices: dict[str, str]) -> dict[str, object]:
    """The ``device`` (kind) and ``device_id`` columns of a tidy table."""
    ids = frame["deviceuuid"]
    if not isinstance(ids.dtype, pd.CategoricalDtype):  # no deviceuuid column: all missing
        ids = ids.astype("category")
    if not pd.api.types.is_string_dtype(ids.cat.categories.dtype):  # ids that look like numbers
        ids = ids.cat.rename_categories(str)
    return {"device": _device_column(ids, devices), "device_id": ids}


# ---------------------------------------------------------------- tidy tables

def _minutes(delta: pd.Series) -> pd.Series:
    return delta.dt.total_seconds() / 60


def _codes(values: pd.Series, names: dict[int, str], dtype: pd.CategoricalDtype,
           other: str | None) -> pd.Categorical:
    """Numeric codes → named categories (unknown codes → ``other``, missing stays missing)."""
    numbers = values.to_numpy(dtype=np.float64)
    codes = np.full(len(numbers), -1 if other is None else dtype.categories.get_loc(other), dtype=np.int8)
    codes[np.isnan(numbers)] = -1
    for code, name in names.items():
        codes[numbers == code] = dtype.categories.get_loc(name)
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _table(columns: dict[str, object], time: str) -> pd.DataFrame:
    """A tidy table from its columns (no copies; all have the same RangeIndex), in time order."""
    frame = pd.DataFrame({name: getattr(c, "array", c) for name, c in columns.items()}, copy=False)
    if columns[time].is_monotonic_increasing:
        return frame
    return frame.sort_values(time, kind="stable", ignore_index=True)


def _tidy_heart_rate(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
    return _table({"time": f["start_time"], "bpm": f["heart_rate"], **_devices(f, devices),
                   "datauuid": f["datauuid"]}, "time")


def _tidy_steps(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "steps": f["count"].astype("int64"),
        "walk_steps": f["walk_step"].astype("Int64"), "run_steps": f["run_step"].astype("Int64"),
        "distance_m": f["distance"], "calories_kcal": f["calorie"], "speed_mps": f["speed"],
        **_devices(f, devices),
    }, "start")


def _tidy_sleep(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "asleep_min": f["sleep_duration"], "efficiency": f["efficiency"], "score": f["sleep_score"],
        "sleep_id": f["datauuid"], **_devices(f, devices),
    }, "start")


def _tidy_sleep_stages(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
    return _table({
        "start": f["start_time"], "end": f["end_time"], "duration_min": _minutes(f["end_time"] - f["start_time"]),
        "stage": _codes(f["stage"], F.SLEEP_STAGES, _STAGE_DTYPE, None),
        "sleep_id": f["sleep_id"], **_devices(f, devices),
    }, "start")


def _tidy_exercise(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
    from_times = _minutes(f["end_time"] - f["start_time"])
    return _table({
        "start": f["start_time"], "end": f["end_time"],
        "type": _codes(f["exercise_type"], F.EXERCISE_TYPES, _EXERCISE_DTYPE, "other"),
        "duration_min": (f["duration"] / 60_000).fillna(from_times),
        "calories_kcal": f["calorie"], "distance_m": f["distance"], "steps": f["count"].astype("Int64"),
        "mean_hr": f["mean_heart_rate"].replace(0.0, np.nan), "max_hr": f["max_heart_rate"].replace(0.0, np.nan),
        **_devices(f, devices), "datauuid": f["datauuid"],
    }, "start")


def _tidy_stress(f: _Columns, devices: dict[str, str]) -> pd.DataFrame:
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
                   {c: _FLOAT for c in _DAILY_COLUMNS if c != "deviceuuid"})
    kind = _device_codes(f.series("deviceuuid"), devices)
    all_devices = f.table.column("source_type").to_numpy() == F.ALL_DEVICES_SOURCE
    source = np.where(all_devices, 0, np.where(kind < 0, -1, kind + 1)).astype(np.int8)
    day = pd.to_datetime(f.series("day_time"), unit="ms").astype("datetime64[ns]")
    # by day, then source (as DataFrame.sort_values(["day", "source"]): missing values last)
    order = np.lexsort((np.where(source < 0, len(_SOURCE_DTYPE.categories), source),
                        np.where(day.isna(), np.iinfo(np.int64).max, day.to_numpy().view(np.int64))))
    return pd.DataFrame({
        "day": day.to_numpy()[order],
        "steps": f.series("count").astype("Int64").array[order],
        "distance_m": f.series("distance").to_numpy()[order],
        "calories_kcal": f.series("calorie").to_numpy()[order],
        "source": pd.Categorical.from_codes(source[order], dtype=_SOURCE_DTYPE, validate=False),
    })


# ---------------------------------------------------------------- person and quality

def _person(name: str, stamp: str, profile: TableFile | None) -> Person:
    match = F.FOLDER_PATTERN.match(name)
    user = match["user"] if match else name
    if profile is None:
        return Person(user, stamp)
    f = read_table(profile, F.USER_PROFILE, _PROFILE_COLUMNS[:1], _PROFILE_COLUMNS[1:], {"float_value": _FLOAT})
    first: dict[object, tuple[object, object]] = {}   # each key's first row: (text, number)
    for key, *values in zip(*(f.table.column(c).to_pylist() for c in _PROFILE_COLUMNS)):
        first.setdefault(key, tuple(values))
    text = {k: t for k, (t, _) in first.items() if t is not None}
    number = {k: n for k, (_, n) in first.items() if n is not None}
    return Person(user, stamp, text.get("birth_date"), _float(number.get("height")), _float(number.get("weight")))


def _kinds_present(device: pd.Series) -> tuple[str, ...]:
    """The kinds of device that occur, in category order (band, phone, other)."""
    codes = device.cat.codes.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(device.cat.categories))
    return tuple(str(kind) for kind in device.cat.categories[counts > 0])


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
        step_devices=_kinds_present(tables["steps"]["device"]),
        notes=notes,
    )
