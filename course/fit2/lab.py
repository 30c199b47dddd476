"""Helpers for the Fit2 lab notebooks (07 and 08): look inside an export, draw one day, label segments.

The lab's heavy lifting (loading, cleaning, the minute table, rule labels, writing the
dataset) lives in the other modules of :mod:`course.fit2`; this module only adds what a
learner needs to *see* and *label* along the way:

* :func:`export_files`, :func:`metadata_line`, :func:`raw_rows`: the export folder as it
  is on disk (table files, the metadata line, raw UTC times);
* :func:`cleaning_table`: how many rows each cleaning rule removed, in Korean;
* :func:`select_days`: the rows of some Korean calendar days;
* :func:`day_figure`: one day's heart rate and steps, minute by minute, with label runs or
  the segments to label shaded;
* :func:`segment_summary`, :func:`segment_items`: each segment to label, as numbers and as
  HTML for ``nb.label``;
* :func:`manual_segments`: the learner's saved labels as segments for
  :func:`~course.fit2.dataset.apply_manual_labels`.

Segments are ``{item_id: (start, end)}`` with times such as ``"2021-06-10 07:20"`` in
Korean time; ``end`` is not included.

Example
-------
>>> from course.fit2 import clean_export, load_export, minute_table
>>> clean = clean_export(load_export("data/fit2/samsunghealth_fit2user03_20210615111291"))  # doctest: +SKIP
>>> day = select_days(minute_table(clean), "2021-06-10")                                     # doctest: +SKIP
>>> day_figure(day, segments={"seg1": ("2021-06-10 07:20", "2021-06-10 07:45")}).show()     # doctest: +SKIP
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from course.fit2 import formats as F
from course.fit2.cleaning import local_day
from course.fit2.dataset import KOREAN_LABELS, LABELS
from course.fit2.errors import ArgumentError, ExportError, require_columns
from course.fit2.loader import Export
from course.fit2.rawcsv import read_table

#: What each table of a Galaxy Fit2 wearer's export holds, in Korean.
TABLE_CONTENTS = {
    F.HEART_RATE: "심박수 (약 10분마다, 운동 중에는 1분마다)",
    F.STEP_COUNT: "걸음 수 (1분 단위, 기기마다 따로)",
    F.DAY_SUMMARY: "하루 걸음 요약 (기기마다)",
    F.DAILY_TREND: "하루 걸음 합계 (삼성 헬스가 계산한 값)",
    F.SLEEP_TABLE: "수면 기록 (잠든 시각, 깬 시각, 수면 점수)",
    F.SLEEP_STAGE: "수면 단계 (깸, 얕은 잠, 깊은 잠, 렘수면)",
    F.EXERCISE_TABLE: "운동 기록 (종류, 시작, 끝, 평균 심박)",
    F.STRESS: "스트레스 점수 (0~100)",
    F.DEVICE_PROFILE: "기기 목록 (휴대폰, 밴드)",
    F.USER_PROFILE: "사용자 정보 (생일, 키, 몸무게)",
}
#: Korean name of each activity label.
LABEL_NAMES = {english: korean for korean, english in KOREAN_LABELS.items()}
#: Shading colour of each activity label (light, so the lines stay readable).
LABEL_COLOURS = {"sleep": "#b4a7d6", "rest": "#d9ead3", "walk": "#9fc5e8", "exercise": "#f9cb9c"}
UNLABELLED_COLOUR = "#d0d0d0"
#: Korean name of each exercise type of the tidy exercise table.
EXERCISE_NAMES = {"walking": "걷기 운동", "running": "달리기", "custom": "사용자 지정 운동 (실내 운동, 체조 등)",
                  "other": "기타 운동"}
#: Names of the cleaning rules of :func:`~course.fit2.cleaning.clean_export`, in Korean.
CLEANING_NAMES = {
    "duplicate_heart_rates": "같은 시각에 두 번 기록된 심박수",
    "impossible_heart_rates": "불가능한 심박수 (0 또는 30~220 밖)",
    "other_device_steps": "휴대폰이 따로 센 걸음 기록",
    "overlapping_sleeps": "다른 기록과 겹치는 수면 기록",
    "short_exercises": "1분도 안 되는 운동 기록",
}
#: Fixed scales of the small segment charts, so segments can be compared by eye.
STEPS_MAX = 160
HR_RANGE = (40, 160)


# ---------------------------------------------------------------- the export on disk

def _table_file(folder: str | Path, table: str) -> Path:
    """The file ``<table>.<14 digits>.csv`` of ``folder`` (``stress`` never matches ``stress.histogram``)."""
    folder = Path(folder)
    pattern = re.compile(rf"^{re.escape(table)}\.{F.STAMP_PATTERN}\.csv$")
    found = sorted(p for p in folder.glob(f"{table}.*.csv") if pattern.match(p.name))
    if not found:
        raise ExportError(f"'{table}' 표의 파일이 폴더에 없어요.", f"no file {table}.<14 digits>.csv", file=folder)
    return found[0]


def export_files(folder: str | Path) -> pd.DataFrame:
    """One row per CSV file of an export folder: table name (the file name without
    ``.<14 digits>.csv``), what it holds (Korean), size in KB."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError("폴더를 찾을 수 없어요. 폴더 이름과 위치를 확인해 주세요.", f"no such folder: {folder}",
                          file=folder)
    rows = []
    for path in sorted(folder.glob("*.csv")):
        table = re.sub(rf"\.{F.STAMP_PATTERN}\.csv$", "", path.name)
        rows.append({"표 이름": table, "담긴 내용": TABLE_CONTENTS.get(table, "그 밖의 기록"),
                     "크기(KB)": round(path.stat().st_size / 1024, 1)})
    return pd.DataFrame(rows, columns=["표 이름", "담긴 내용", "크기(KB)"])


def metadata_line(folder: str | Path, table: str) -> str:
    """Line 1 of a table's file: ``<table name>,<app version>,<number>`` (not the header)."""
    path = _table_file(folder, table)
    with path.open(encoding="utf-8-sig") as file:
        return file.readline().rstrip("\r\n")


def raw_rows(folder: str | Path, table: str, columns: list[str], rows: int = 5) -> pd.DataFrame:
    """The first ``rows`` data rows of a table's file, exactly as written (text, times in UTC).

    ``columns`` are short column names (``start_time``, not
    ``com.samsung.health.heart_rate.start_time``).
    """
    return read_table(_table_file(folder, table), table, columns).frame.head(rows).reset_index(drop=True)


def cleaning_table(clean: Export) -> pd.DataFrame:
    """Rows each cleaning rule removed, from an export returned by ``clean_export``."""
    if not isinstance(clean, Export) or clean.cleaning is None:
        raise ArgumentError("clean_export로 정리한 내보내기를 넣어 주세요.",
                            "expected the Export returned by clean_export (its .cleaning is set)")
    return pd.DataFrame({"정리한 문제": [CLEANING_NAMES.get(k, k) for k in clean.cleaning],
                         "뺀 줄 수": list(clean.cleaning.values())})


# ---------------------------------------------------------------- days

def select_days(table: pd.DataFrame, first: str, last: str | None = None, column: str | None = None) -> pd.DataFrame:
    """Rows whose time falls on the Korean days ``first`` to ``last`` (both included; one day if no ``last``).

    ``column`` is the time column; by default ``time`` (minute tables, heart rate) or
    ``start`` (steps, sleep, exercise).
    """
    column = column or ("time" if "time" in table.columns else "start")
    require_columns(table, [column], "table")
    try:
        low, high = pd.Timestamp(first), pd.Timestamp(last or first)
    except (TypeError, ValueError):
        raise ArgumentError("날짜는 '2021-06-10'처럼 써 주세요.", f"cannot read dates {first!r}, {last!r}") from None
    if high < low:
        raise ArgumentError("끝 날짜가 첫 날짜보다 빨라요.", f"last={last!r} is before first={first!r}")
    days = local_day(table[column])
    return table[(days >= low.normalize()) & (days <= high.normalize())].reset_index(drop=True)


def _wall(times: pd.Series) -> pd.Series:
    """Korean wall-clock times without a time zone (what plotly should show)."""
    return times.dt.tz_convert(F.KST).dt.tz_localize(None)


def _kst(value: Any) -> pd.Timestamp:
    time = pd.Timestamp(value)
    return time.tz_localize(F.KST) if time.tzinfo is None else time.tz_convert(F.KST)


def _segment_times(segments: Mapping[str, tuple[Any, Any]]) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Check ``{item: (start, end)}`` and return KST timestamps."""
    if not isinstance(segments, Mapping):
        raise ArgumentError("구간은 {'seg1': ('시작', '끝'), ...} 모양의 사전으로 주세요.",
                            f"segments: expected a mapping item -> (start, end), got {type(segments).__name__}")
    times = {}
    for item, span in segments.items():
        try:
            start, end = (_kst(t) for t in span)
        except (TypeError, ValueError):
            raise ArgumentError(f"구간 '{item}'의 시각을 읽을 수 없어요. 예: ('2021-06-10 07:20', '2021-06-10 07:45')",
                                f"segment {item!r}: cannot read {span!r}") from None
        if not end > start:
            raise ArgumentError(f"구간 '{item}'의 끝이 시작보다 빨라요.", f"segment {item!r}: end {end} <= start {start}")
        times[item] = (start, end)
    return times


# ---------------------------------------------------------------- the day chart

def _runs(day: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """Consecutive rows with the same label, as (start, end, label); end is the next row's start."""
    labels = day["label"].astype(str).to_numpy()
    times = _wall(day["time"])
    step = times.iloc[1] - times.iloc[0] if len(times) > 1 else pd.Timedelta(minutes=1)
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    ends = np.r_[starts[1:], len(labels)]
    return [(times.iloc[s], times.iloc[e - 1] + step, labels[s]) for s, e in zip(starts, ends)]


def _shade(x0: pd.Timestamp, x1: pd.Timestamp, colour: str) -> dict:
    return {"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": colour, "opacity": 0.6, "line": {"width": 0}, "layer": "below"}


def day_figure(day: pd.DataFrame, segments: Mapping[str, tuple[Any, Any]] | None = None,
               labels: Mapping[str, str] | None = None, title: str = "") -> go.Figure:
    """One day of a minute table: heart rate (top) and steps per minute (bottom).

    Without ``segments``, runs of the table's ``label`` column (if any) are shaded in
    the label's colour. With ``segments`` (``{item: (start, end)}``), those are shaded
    and numbered instead, coloured by ``labels`` (``{item: label}``, Korean or English;
    grey where no label is given yet).
    """
    require_columns(day, ["time", "hr_mean", "steps"], "day")
    if day.empty:
        raise ArgumentError("그릴 줄이 없어요. 날짜를 확인해 주세요.", "day has no rows")
    times = _wall(day["time"])
    readings = day["hr_mean"].notna()
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    figure.add_trace(go.Scatter(x=times[readings], y=day.loc[readings, "hr_mean"], mode="lines+markers",
                                name="심박", line={"color": "#c01c28", "width": 2}, marker={"size": 5},
                                hovertemplate="%{x|%H:%M} 심박 %{y:.0f}회/분<extra></extra>"), row=1, col=1)
    figure.add_trace(go.Bar(x=times, y=day["steps"], name="걸음", marker={"color": "#1a5fb4", "line": {"width": 0}},
                            hovertemplate="%{x|%H:%M} 걸음 %{y}보<extra></extra>"), row=2, col=1)
    shapes, notes, shown = [], [], []
    if segments is not None:
        given = {item: KOREAN_LABELS.get(label, label) for item, label in (labels or {}).items()}
        for number, (item, (start, end)) in enumerate(_segment_times(segments).items(), 1):
            label = given.get(item)
            shapes.append(_shade(start.tz_localize(None), end.tz_localize(None),
                                 LABEL_COLOURS.get(label, UNLABELLED_COLOUR)))
            notes.append({"x": start.tz_localize(None) + (end - start) / 2, "y": 1.0, "xref": "x", "yref": "paper",
                          "text": f"<b>{number}</b>", "showarrow": False, "yanchor": "bottom", "font": {"size": 16}})
            shown.append(label)
    elif "label" in day.columns:
        for start, end, label in _runs(day):
            shapes.append(_shade(start, end, LABEL_COLOURS.get(label, UNLABELLED_COLOUR)))
            shown.append(label)
    for label in LABELS:  # a legend entry for each colour on the chart
        if label in shown:
            figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=LABEL_NAMES[label],
                                        marker={"size": 15, "symbol": "square", "color": LABEL_COLOURS[label]}))
    start = times.iloc[0].normalize()
    figure.update_layout(title=title, height=560, font={"size": 16}, shapes=shapes, annotations=notes,
                         bargap=0, legend={"orientation": "h", "y": -0.12}, margin={"t": 90})
    figure.update_xaxes(range=[start, times.iloc[-1] + pd.Timedelta(minutes=1)], tickformat="%H:%M", dtick=3 * 3600_000)
    figure.update_xaxes(title_text="시각 (한국 시간)", row=2, col=1)
    figure.update_yaxes(title_text="심박 (회/분)", range=list(HR_RANGE), row=1, col=1)
    figure.update_yaxes(title_text="1분 걸음 (보)", rangemode="tozero", row=2, col=1)
    return figure


# ---------------------------------------------------------------- segments to label

def segment_summary(day: pd.DataFrame, start: Any, end: Any, exercise: pd.DataFrame | None = None) -> dict[str, Any]:
    """The numbers a labeler looks at for the minutes ``start`` up to ``end`` of a minute table.

    Returns ``minutes``, ``steps`` (total), ``steps_per_min``, ``hr_mean`` (mean of the heart
    rates measured, NaN if none), ``hr_readings``, ``asleep_min`` (minutes inside a sleep
    record) and ``exercises`` (the exercise records that overlap, as (type, start, end)).
    """
    require_columns(day, ["time", "hr_mean", "steps", "asleep"], "day")
    start, end = _kst(start), _kst(end)
    rows = day[(day["time"] >= start) & (day["time"] < end)]
    if rows.empty:
        raise ArgumentError("이 구간에 해당하는 줄이 표에 없어요. 날짜와 시각을 확인해 주세요.",
                            f"no rows in [{start}, {end})")
    found = []
    if exercise is not None:
        require_columns(exercise, ["start", "end", "type"], "exercise")
        overlap = exercise[(exercise["start"] < end) & (exercise["end"] > start)]
        found = [(str(t), s.tz_convert(F.KST), e.tz_convert(F.KST))
                 for t, s, e in zip(overlap["type"], overlap["start"], overlap["end"])]
    hr = rows["hr_mean"].dropna()
    return {
        "minutes": len(rows),
        "steps": int(rows["steps"].sum()),
        "steps_per_min": float(rows["steps"].mean()),
        "hr_mean": float(hr.mean()) if len(hr) else float("nan"),
        "hr_readings": len(hr),
        "asleep_min": int(rows["asleep"].sum()),
        "exercises": found,
    }


def _scale(values: np.ndarray, low: float, high: float, top: float, height: float) -> np.ndarray:
    """y coordinates of ``values`` in a panel ``height`` tall whose top is at ``top``."""
    return top + height - np.clip((values - low) / (high - low), 0, 1) * height


def _strip_svg(rows: pd.DataFrame) -> str:
    """A small picture of a segment: heart-rate dots above, step bars below, fixed scales."""
    width, panel, gap = 360, 50, 10
    slot = width / len(rows)
    x = (np.arange(len(rows)) + 0.5) * slot
    hr = rows["hr_mean"].to_numpy(dtype=float)
    hr_y = _scale(hr, *HR_RANGE, top=0, height=panel)
    steps_y = _scale(rows["steps"].to_numpy(dtype=float), 0, STEPS_MAX, top=panel + gap, height=panel)
    bottom = 2 * panel + gap
    bars = "".join(f'<rect x="{xi - slot * 0.4:.1f}" y="{yi:.1f}" width="{slot * 0.8:.1f}" height="{bottom - yi:.1f}" '
                   'fill="#1a5fb4"/>' for xi, yi in zip(x, steps_y) if yi < bottom)
    dots = "".join(f'<circle cx="{xi:.1f}" cy="{yi:.1f}" r="4" fill="#c01c28"/>'
                   for xi, yi, v in zip(x, hr_y, hr) if v == v)
    text = 'font-size="13" fill="#333"'
    return (f'<svg width="{width}" height="{bottom}" role="img" aria-label="심박과 걸음 수 그림" '
            'style="border:1px solid #999;background:#fff">'
            f'<line x1="0" x2="{width}" y1="{panel + gap / 2}" y2="{panel + gap / 2}" stroke="#bbb"/>'
            f'{bars}{dots}<text x="4" y="14" {text}>심박</text><text x="4" y="{panel + gap + 14}" {text}>걸음</text></svg>')


def _clock(time: pd.Timestamp) -> str:
    return f"{time:%H:%M}"


def segment_html(day: pd.DataFrame, start: Any, end: Any, exercise: pd.DataFrame | None = None,
                 title: str = "") -> str:
    """One segment to label: a small chart and its numbers in Korean (nothing told by colour alone)."""
    numbers = segment_summary(day, start, end, exercise)
    start, end = _kst(start), _kst(end)
    rows = day[(day["time"] >= start) & (day["time"] < end)]
    heart = (f"평균 <b>{numbers['hr_mean']:.0f}회/분</b> ({numbers['hr_readings']}번 잼)"
             if numbers["hr_readings"] else "이 구간에는 잰 값이 없어요")
    if numbers["exercises"]:
        workout = "<b>있어요</b>: " + ", ".join(
            f"{html.escape(EXERCISE_NAMES.get(kind, kind))} {_clock(s)}~{_clock(e)}" for kind, s, e in numbers["exercises"])
    else:
        workout = "없어요"
    facts = [
        f"걸음: 모두 {numbers['steps']:,}보 · 분당 평균 <b>{numbers['steps_per_min']:.0f}보</b>",
        f"심박: {heart}",
        f"수면 기록 안: <b>{numbers['asleep_min']}분</b> / {numbers['minutes']}분",
        f"운동 기록: {workout}",
    ]
    heading = (f'<div style="font-size:20px;font-weight:bold">{html.escape(title)} · '
               f'{_clock(start)}~{_clock(end)} ({numbers["minutes"]}분)</div>')
    items = "".join(f"<li>{fact}</li>" for fact in facts)
    return (f'<div style="border:1px solid #999;border-radius:8px;padding:8px 12px;margin:4px 0;max-width:720px">'
            f'{heading}{_strip_svg(rows)}<ul style="font-size:18px;line-height:1.5;margin:4px 0">{items}</ul></div>')


def segment_items(day: pd.DataFrame, segments: Mapping[str, tuple[Any, Any]],
                  exercise: pd.DataFrame | None = None) -> dict[str, str]:
    """``{item: HTML}`` of every segment, numbered in order, for ``nb.label``."""
    return {item: segment_html(day, start, end, exercise, title=f"{number}번 구간")
            for number, (item, (start, end)) in enumerate(_segment_times(segments).items(), 1)}


def manual_segments(segments: Mapping[str, tuple[Any, Any]],
                    labels: Mapping[str, str] | None) -> list[tuple[pd.Timestamp, pd.Timestamp, str]]:
    """The labelled segments as ``(start, end, label)`` for ``apply_manual_labels``.

    ``labels`` is the learner's saved answer (``{item: label}``, or ``None`` before any);
    segments without a label are left out, so the rule labels stay there.
    """
    times = _segment_times(segments)
    if labels is None:
        return []
    if not isinstance(labels, Mapping):
        raise ArgumentError("레이블은 {'seg1': '걷기', ...} 모양이어야 해요.",
                            f"labels: expected a mapping item -> label, got {type(labels).__name__}")
    unknown = sorted(set(labels) - set(times))
    if unknown:
        raise ArgumentError(f"구간 목록에 없는 항목이 있어요: {', '.join(unknown)}", f"unknown segment(s) {unknown}")
    return [(*times[item], labels[item]) for item in times if item in labels]
