"""From a cleaned export to a labelled, documented, training-ready dataset.

1. :func:`resample` (or :func:`minute_table`) puts heart rate, steps and sleep on one
   regular time grid in Korean time;
2. :func:`label_by_rule` labels every row sleep / rest / walk / exercise by fixed rules;
3. :func:`apply_manual_labels` lets a person correct segments, as a crowd worker does;
4. :func:`write_dataset` writes CSV and Parquet files with a data card.

Labelling rules (per row, in this order; steps are per minute of the row):

* ``sleep``: the row is asleep (at least half of it inside a sleep record);
* ``exercise``: at least 100 steps/min (a cadence of moderate intensity, about 3 METs)
  or a mean heart rate of at least 110 bpm;
* ``walk``: at least 40 steps/min;
* ``rest``: everything else.

The rules suit 1-minute rows; on hourly rows they only describe the hour as a whole.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from course.fit2 import formats as F
from course.fit2.errors import ArgumentError, allowed, require_columns
from course.fit2.loader import Export
from course.fit2.quality import QualityReport

#: Row lengths :func:`resample` accepts, in minutes.
FREQUENCIES = {"1min": 1, "5min": 5, "10min": 10, "15min": 15, "30min": 30, "1h": 60}
LABELS = ("sleep", "rest", "walk", "exercise")
#: Korean names a learner may type instead of the English labels.
KOREAN_LABELS = {"수면": "sleep", "휴식": "rest", "걷기": "walk", "운동": "exercise"}
EXERCISE_STEPS_PER_MIN = 100
EXERCISE_MIN_HR = 110
WALK_STEPS_PER_MIN = 40
_NS_PER_MIN = 60 * 10**9


def resample(export: Export, freq: str = "1min") -> pd.DataFrame:
    """One row per ``freq`` (``"1min"`` … ``"1h"``) in Korean time, whole days from midnight.

    Columns: ``time`` (row start, KST), ``hr_mean`` (mean bpm of the readings in the row,
    NaN if none), ``steps`` (sum), ``asleep`` (at least half the row inside a sleep record).
    Pass a cleaned export: steps from two devices would be counted twice, so they are refused.
    """
    minutes = _frequency(freq)
    if not isinstance(export, Export):
        raise ArgumentError("load_export로 읽은 내보내기를 넣어 주세요.",
                            f"expected an Export, got {type(export).__name__}")
    if export.steps["device"].nunique() > 1:
        raise ArgumentError("걸음 수가 두 기기에서 왔어요. 먼저 clean_export(또는 keep_one_step_device)를 써 주세요.",
                            "steps come from several devices; clean the export first")
    start, bins = _grid(export, minutes)
    hr_sum, hr_count = _binned(export.heart_rate["time"], start, minutes, bins, export.heart_rate["bpm"])
    steps, _ = _binned(export.steps["start"], start, minutes, bins, export.steps["steps"])
    asleep = _asleep_minutes(export.sleep, start, bins * minutes).reshape(bins, minutes).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        hr_mean = hr_sum / hr_count
    return pd.DataFrame({
        "time": pd.date_range(start, periods=bins, freq=f"{minutes}min").astype(F.TIME_DTYPE),
        "hr_mean": hr_mean.round(1),
        "steps": steps.astype(np.int64),
        "asleep": asleep * 2 >= minutes,
    })


def minute_table(export: Export) -> pd.DataFrame:
    """:func:`resample` with one row per minute."""
    return resample(export, "1min")


def _frequency(freq: str) -> int:
    if freq not in FREQUENCIES:
        raise ArgumentError(f"'freq'는 {allowed(FREQUENCIES)} 중 하나여야 해요.",
                            f"freq={freq!r}; allowed: {allowed(FREQUENCIES)}")
    return FREQUENCIES[freq]


def _grid(export: Export, minutes: int) -> tuple[pd.Timestamp, int]:
    """First KST midnight and number of rows covering every heart rate and step."""
    times = pd.concat([export.heart_rate["time"], export.steps["start"], export.steps["end"]])
    if times.empty:
        raise ArgumentError("심박수와 걸음 기록이 하나도 없어요.", "no heart-rate or step rows to resample")
    first = times.min().tz_convert(F.KST).normalize()
    last = times.max().tz_convert(F.KST).normalize() + pd.Timedelta(days=1)
    return first, int((last - first) / pd.Timedelta(minutes=minutes))


def _offsets(times: pd.Series, start: pd.Timestamp) -> np.ndarray:
    """Nanoseconds from ``start``."""
    return times.to_numpy(dtype="datetime64[ns]").view("int64") - start.tz_convert("UTC").tz_localize(None).value


def _binned(times: pd.Series, start: pd.Timestamp, minutes: int, bins: int,
            values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Sum and count of ``values`` per row (missing values ignored)."""
    ok = values.notna().to_numpy()
    index = _offsets(times, start)[ok] // (minutes * _NS_PER_MIN)
    weights = values.to_numpy(dtype=float)[ok]
    return np.bincount(index, weights, bins), np.bincount(index, minlength=bins)


def _asleep_minutes(sleep: pd.DataFrame, start: pd.Timestamp, total: int) -> np.ndarray:
    """1 for each minute of the grid that lies inside any sleep record, else 0."""
    begin = np.clip(-(-_offsets(sleep["start"], start) // _NS_PER_MIN), 0, total)
    end = np.clip(-(-_offsets(sleep["end"], start) // _NS_PER_MIN), 0, total)
    change = np.zeros(total + 1, dtype=np.int64)
    np.add.at(change, begin, 1)
    np.add.at(change, end, -1)
    return (np.cumsum(change)[:total] > 0).astype(np.int64)


def label_by_rule(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``label`` (sleep / rest / walk / exercise, by the module's rules) and ``label_source`` = 'rule'."""
    require_columns(table, ["time", "hr_mean", "steps", "asleep"], "table")
    minutes = (table["time"].iloc[1] - table["time"].iloc[0]) / pd.Timedelta(minutes=1) if len(table) > 1 else 1
    per_minute = table["steps"] / minutes
    label = np.select(
        [table["asleep"].to_numpy(dtype=bool),
         ((per_minute >= EXERCISE_STEPS_PER_MIN) | (table["hr_mean"] >= EXERCISE_MIN_HR)).to_numpy(),
         (per_minute >= WALK_STEPS_PER_MIN).to_numpy()],
        ["sleep", "exercise", "walk"], "rest")
    return table.assign(label=pd.Categorical(label, categories=LABELS), label_source="rule")


def apply_manual_labels(table: pd.DataFrame, segments: Iterable) -> pd.DataFrame:
    """Set ``label`` for rows whose time lies in [start, end) of each segment; later segments win.

    ``segments`` holds ``(start, end, label)`` triples (or a DataFrame with those columns);
    times without a time zone are read as Korean time; labels may be English or Korean
    (수면 / 휴식 / 걷기 / 운동). Changed rows get ``label_source`` = 'manual'.
    """
    require_columns(table, ["time"], "table")
    if isinstance(segments, pd.DataFrame):
        require_columns(segments, ["start", "end", "label"], "segments")
        segments = segments[["start", "end", "label"]].itertuples(index=False)
    out = table.copy()
    if "label" not in out:
        out["label"] = pd.Categorical([None] * len(out), categories=LABELS)
        out["label_source"] = None
    for number, segment in enumerate(segments, start=1):
        start, end, label = _segment(number, segment, table["time"])
        inside = (out["time"] >= start) & (out["time"] < end)
        out.loc[inside, "label"] = label
        out.loc[inside, "label_source"] = "manual"
    return out


def _segment(number: int, segment: object, times: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Check one (start, end, label) segment and return it with KST times and an English label."""
    try:
        start, end, label = segment
    except (TypeError, ValueError):
        raise ArgumentError(f"{number}번째 구간은 (시작, 끝, 레이블) 세 값이어야 해요.",
                            f"segment {number}: expected (start, end, label), got {segment!r}") from None
    start, end = _kst(number, start, "start"), _kst(number, end, "end")
    label = KOREAN_LABELS.get(label, label)
    if label not in LABELS:
        raise ArgumentError(f"{number}번째 구간의 레이블 '{label}'은 쓸 수 없어요. "
                            f"{allowed(LABELS)} 또는 {allowed(KOREAN_LABELS)} 중에서 골라 주세요.",
                            f"segment {number}: unknown label {label!r}; allowed: {allowed(LABELS)}")
    if not end > start:
        raise ArgumentError(f"{number}번째 구간의 끝({end:%Y-%m-%d %H:%M})이 시작보다 빨라요.",
                            f"segment {number}: end {end} is not after start {start}")
    if times.empty or end <= times.min() or start > times.max():
        raise ArgumentError(f"{number}번째 구간이 표의 시간 범위 밖에 있어요.",
                            f"segment {number}: [{start}, {end}) does not overlap the table")
    return start, end, label


def _kst(number: int, value: object, name: str) -> pd.Timestamp:
    try:
        time = pd.Timestamp(value)
    except (TypeError, ValueError):
        time = pd.NaT
    if pd.isna(time):
        raise ArgumentError(f"{number}번째 구간의 {name} 시각('{value}')을 읽을 수 없어요. "
                            "예: '2021-06-01 07:30'", f"segment {number}: cannot read {name}={value!r}")
    return time.tz_localize(F.KST) if time.tzinfo is None else time.tz_convert(F.KST)


# ---------------------------------------------------------------- writing

CARD_KEYS = {"title": True, "source": True, "synthetic": True, "description": False, "creator": False,
             "license": False, "quality": False, "deidentified": False}
#: What each column of a dataset means, and its unit.
COLUMN_DOCS = {
    "time": ("row start, Korean Standard Time (Asia/Seoul)", "timestamp"),
    "hr_mean": ("mean heart rate of the readings in the row", "bpm"),
    "steps": ("steps in the row, one device (the band)", "steps"),
    "asleep": ("at least half of the row inside a sleep record", "true/false"),
    "label": ("activity: sleep / rest / walk / exercise", "category"),
    "label_source": ("who set the label: 'rule' or 'manual' (a person)", "text"),
}


def write_dataset(table: pd.DataFrame, out_dir: str | Path, card_info: Mapping[str, object]) -> dict[str, Path]:
    """Write ``dataset.csv``, ``dataset.parquet``, ``datacard.json`` and ``datacard.md`` into ``out_dir``.

    ``card_info`` needs ``title``, ``source`` (where the data came from) and ``synthetic``
    (True/False); it may add ``description``, ``creator``, ``license``, ``quality``
    (the export's QualityReport, or a dict) and ``deidentified`` (True for a real person's
    data with the profile and device ids removed). Returns the written paths by kind.
    """
    require_columns(table, ["time"], "table")
    if table.empty:
        raise ArgumentError("빈 표는 데이터셋으로 저장할 수 없어요.", "table has no rows")
    card = _card(table, _check_card_info(card_info))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out / "dataset.csv", "parquet": out / "dataset.parquet",
             "card_json": out / "datacard.json", "card_md": out / "datacard.md"}
    table.to_csv(paths["csv"], index=False)
    table.to_parquet(paths["parquet"], index=False)
    paths["card_json"].write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    paths["card_md"].write_text(_card_markdown(card), encoding="utf-8")
    return paths


def _check_card_info(card_info: Mapping[str, object]) -> dict[str, object]:
    if not isinstance(card_info, Mapping):
        raise ArgumentError("'card_info'에는 사전(dict)을 넣어 주세요.",
                            f"card_info: expected a dict, got {type(card_info).__name__}")
    unknown = sorted(set(card_info) - set(CARD_KEYS))
    missing = [k for k, needed in CARD_KEYS.items() if needed and k not in card_info]
    if unknown or missing:
        raise ArgumentError(
            f"card_info 항목을 확인해 주세요. 빠진 것: {', '.join(missing) or '없음'}, 모르는 것: {', '.join(unknown) or '없음'}",
            f"card_info missing {missing}, unknown {unknown}; allowed: {allowed(CARD_KEYS)}")
    for key in ("synthetic", "deidentified"):
        if not isinstance(card_info.get(key, False), bool):
            raise ArgumentError(f"card_info의 '{key}'에는 True나 False를 넣어 주세요.",
                                f"{key}={card_info[key]!r}: expected a bool")
    info = dict(card_info)
    if isinstance(info.get("quality"), QualityReport):
        info["quality"] = info["quality"].to_dict()
    return info


def _card(table: pd.DataFrame, info: dict[str, object]) -> dict[str, object]:
    """The data card as plain data: what, where from, schema, units, labels, quality."""
    if info["synthetic"]:
        provenance = "Synthetic data (합성 데이터): generated by the course's Fit2 generator, not measured on a person. "
    elif info.get("deidentified"):
        provenance = ("Real, de-identified data (실제 데이터, 가명처리): measured on a person; the profile "
                      "(birth date, height, weight) and device ids were removed before it was shown or saved. ")
    else:
        provenance = "Measured data. "
    provenance += f"Source: {info['source']}"
    labels = table["label"].value_counts().to_dict() if "label" in table else {}
    return {
        **{k: info[k] for k in ("title", "description", "creator", "license") if k in info},
        "synthetic": info["synthetic"],
        **({"deidentified": info["deidentified"]} if "deidentified" in info else {}),
        "provenance": provenance,
        "rows": len(table),
        "time_range": {"start": table["time"].min().isoformat(), "end": table["time"].max().isoformat(),
                       "time_zone": F.KST},
        "columns": [{"name": c, "dtype": str(table[c].dtype),
                     "description": COLUMN_DOCS.get(c, ("", ""))[0], "unit": COLUMN_DOCS.get(c, ("", ""))[1]}
                    for c in table.columns],
        "labels": {str(k): int(v) for k, v in labels.items()},
        "quality": info.get("quality", {}),
        "files": ["dataset.csv", "dataset.parquet"],
    }


def _card_markdown(card: Mapping[str, object]) -> str:
    lines = [f"# {card['title']}", "", card.get("description", ""), "",
             f"**Provenance:** {card['provenance']}", "",
             f"Rows: {card['rows']}; time range {card['time_range']['start']} to {card['time_range']['end']} "
             f"({card['time_range']['time_zone']}).", "",
             "| column | dtype | unit | description |", "|---|---|---|---|"]
    lines += [f"| {c['name']} | {c['dtype']} | {c['unit']} | {c['description']} |" for c in card["columns"]]
    if card["labels"]:
        lines += ["", "## Labels", ""] + [f"- {k}: {v}" for k, v in card["labels"].items()]
    if card["quality"]:
        lines += ["", "## Quality (from the loader)", "", "```json",
                  json.dumps(card["quality"], ensure_ascii=False, indent=2), "```"]
    return "\n".join(lines) + "\n"
