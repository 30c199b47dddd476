"""Small helpers for the AI notebooks (05 and 06): labels, a label-noise experiment,
and a made-up table for practising de-identification.

Everything here is fast (well under a second) and deterministic: the same call gives
the same numbers on every run, so a notebook can be graded.

>>> age_band(57)
'50대'
>>> list(made_up_people().columns)
['이름', '전화번호', '주민등록번호', '나이', '걸음 수', '심박수']
"""
from __future__ import annotations

import json
import numbers
from typing import Any, Iterable, Mapping, Sequence

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from course.errors import CourseError
from course.notebook import Blank

WRONG = "틀린 레이블(%)"
ACCURACY = "정확도(%)"
TEST_SHARE = 0.25  # the share of the digits kept aside as test data, as in notebook 05
SEED = 0


# --- showing labels -------------------------------------------------------------
def show_json(data: Any) -> None:
    """Print ``data`` as indented JSON text, Korean letters kept readable.

    >>> show_json({"label": "3", "x": 2})
    {
      "label": "3",
      "x": 2
    }
    """
    print(json.dumps(data, ensure_ascii=False, indent=2))


def digit_picture(indices: Sequence[int], margin: int = 2, gap: int = 2) -> np.ndarray:
    """A small grey picture with the 8×8 handwritten digits ``load_digits().images[i]`` in a row.

    The picture has ``margin`` empty pixels around and ``gap`` between the digits, so the
    digit number ``k`` (from 0) starts at column ``margin + k * (8 + gap)`` and row ``margin``.

    >>> digit_picture([3, 7]).shape
    (12, 22)
    """
    images = load_digits().images
    width = 2 * margin + len(indices) * 8 + (len(indices) - 1) * gap
    picture = np.zeros((8 + 2 * margin, width))
    for k, index in enumerate(indices):
        left = margin + k * (8 + gap)
        picture[margin : margin + 8, left : left + 8] = images[index]
    return picture


def draw_boxes(picture: np.ndarray, annotation: Mapping[str, Any]) -> go.Figure:
    """The picture with each object's box (``x``, ``y``, ``width``, ``height`` in pixels,
    from the top-left corner) drawn on it and its ``label`` written above the box."""
    fig = px.imshow(picture, color_continuous_scale="gray_r")
    fig.update_layout(coloraxis_showscale=False, height=360, margin=dict(l=10, r=10, t=40, b=10), font_size=18)
    for number, box in enumerate(annotation["objects"], 1):
        x0, y0 = box["x"] - 0.5, box["y"] - 0.5  # a pixel's centre sits on its integer coordinate
        fig.add_shape(type="rect", x0=x0, y0=y0, x1=x0 + box["width"], y1=y0 + box["height"], line=dict(color="#e01b24", width=3))
        fig.add_annotation(x=x0 + box["width"] / 2, y=y0, yshift=14, text=f"상자 {number}: {box['label']}", showarrow=False, font=dict(color="#e01b24", size=18))
    return fig


def char_table(text: str) -> pd.DataFrame:
    """One row of the letters of ``text`` under their positions (0, 1, 2, …); a space shows as ␣.

    >>> char_table("제주 시").iloc[0].tolist()
    ['제', '주', '␣', '시']
    """
    return pd.DataFrame([["␣" if c == " " else c for c in text]], index=["글자"])


def draw_segments(segments: pd.DataFrame, start: str = "시작", end: str = "끝", label: str = "레이블") -> go.Figure:
    """Time-segment labels (``"07:30"``-style start and end times of one day) as bars on a time line."""
    day = "2000-01-01 "  # any day: only the clock times are shown
    table = segments.assign(**{start: pd.to_datetime(day + segments[start]), end: pd.to_datetime(day + segments[end])})
    fig = px.timeline(table, x_start=start, x_end=end, y=label, color=label)
    fig.update_xaxes(tickformat="%H:%M", dtick=10 * 60 * 1000)
    fig.update_layout(height=320, font_size=18, showlegend=False)
    return fig


def show_predictions(images: np.ndarray, truth: Iterable[int], predicted: Iterable[int]) -> go.Figure:
    """Small digit pictures, each titled with its right answer and the model's answer."""
    fig = px.imshow(np.asarray(images), facet_col=0, facet_col_wrap=5, color_continuous_scale="gray_r", facet_col_spacing=0.02)
    titles = [f"정답 {t} · AI {p}{'' if t == p else ' ✗'}" for t, p in zip(truth, predicted)]
    for annotation in fig.layout.annotations:  # each facet's title reads "facet_col=<index>"
        annotation.text = titles[int(annotation.text.split("=")[1])]
    rows = (len(titles) + 4) // 5
    fig.update_layout(coloraxis_showscale=False, height=200 * rows + 40, margin=dict(l=10, r=10, t=40, b=10), font_size=16)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig


# --- the label-noise experiment -------------------------------------------------
def flip_labels(labels: np.ndarray, share: float, rng: np.random.Generator, n_classes: int = 10) -> np.ndarray:
    """A copy of ``labels`` where ``round(share * len(labels))`` of them, chosen at random,
    are changed to another class (never to the right one).

    >>> flipped = flip_labels(np.zeros(10, dtype=int), 0.3, np.random.default_rng(0))
    >>> int((flipped != 0).sum())
    3
    """
    flipped = np.array(labels, copy=True)
    count = round(share * len(flipped))
    chosen = rng.choice(len(flipped), size=count, replace=False)
    flipped[chosen] = (flipped[chosen] + rng.integers(1, n_classes, size=count)) % n_classes
    return flipped


def label_noise_curve(percents: Iterable[int] = range(0, 55, 5), repeats: int = 3) -> pd.DataFrame:
    """Test accuracy of a decision tree trained on digits whose training labels are partly wrong.

    The handwritten digits (``load_digits``) are split as in notebook 05 (a quarter kept
    as test data, ``random_state=0``). For each percentage, that share of the *training*
    labels is changed to a wrong digit; a ``DecisionTreeClassifier(random_state=0)`` is
    trained and scored on the untouched test data. Each point is the mean of ``repeats``
    runs with different wrong labels (seeds 0, 1, …). Runs in about a second.

    Returns a table with the columns ``틀린 레이블(%)`` and ``정확도(%)`` (rounded to 0.1).
    """
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(digits.data, digits.target, test_size=TEST_SHARE, random_state=SEED)
    rows = []
    for percent in percents:
        scores = []
        for repeat in range(repeats):
            noisy = flip_labels(y_train, percent / 100, np.random.default_rng(repeat))
            model = DecisionTreeClassifier(random_state=SEED).fit(x_train, noisy)
            scores.append(model.score(x_test, y_test))
        rows.append({WRONG: int(percent), ACCURACY: round(100 * float(np.mean(scores)), 1)})
    return pd.DataFrame(rows)


def accuracy_at(curve: pd.DataFrame, percent: Any) -> float:
    """The accuracy (%) the curve holds for ``percent`` wrong labels.

    Raises ``CourseError`` (in Korean) when ``percent`` is not one of the curve's values.
    """
    allowed = curve[WRONG].tolist()
    if isinstance(percent, Blank):
        raise CourseError("빈칸(___)에 숫자를 먼저 써 주세요 (예: 30).", "the blank is not filled in")
    if isinstance(percent, bool) or not isinstance(percent, numbers.Real) or percent not in allowed:
        raise CourseError(
            f"틀린 레이블 비율은 {allowed[0]}부터 {allowed[-1]}까지, {allowed[1] - allowed[0]}씩 커지는 숫자로 써 주세요 (따옴표 없이, 예: 30).",
            f"percent must be one of {allowed}, got {percent!r}",
        )
    return float(curve.loc[curve[WRONG] == percent, ACCURACY].iloc[0])


def noise_figure(curve: pd.DataFrame, percent: int) -> go.Figure:
    """The curve as a line chart, with the point for ``percent`` marked and named in the title."""
    accuracy = accuracy_at(curve, percent)
    fig = px.line(curve, x=WRONG, y=ACCURACY, markers=True, range_y=[0, 100])
    fig.add_trace(go.Scatter(x=[percent], y=[accuracy], mode="markers", marker=dict(size=22, color="#e01b24"), showlegend=False))
    fig.update_layout(title=f"틀린 레이블 {percent}% → 시험 정확도 {accuracy:g}%", height=420, font_size=18)
    return fig


def noise_explorer(curve: pd.DataFrame) -> w.Widget:
    """A slider over the curve's percentages; moving it redraws the chart (values are only looked up)."""
    percents = curve[WRONG].tolist()
    slider = w.IntSlider(
        value=percents[0], min=percents[0], max=percents[-1], step=percents[1] - percents[0],
        description="틀린 레이블 %", continuous_update=False,
        style={"description_width": "140px"}, layout=w.Layout(width="560px", height="48px"),
    )
    out = w.Output()

    def redraw(_: Any = None) -> None:
        with out:  # ipywidgets' own pattern: what is shown inside goes into the Output widget
            out.clear_output(wait=True)
            noise_figure(curve, slider.value).show()

    slider.observe(redraw, names="value")
    redraw()
    return w.VBox([slider, out])


# --- de-identification ------------------------------------------------------------
def made_up_people() -> pd.DataFrame:
    """A made-up (synthetic) table of six people: name, phone, an ID in the shape of a
    Korean resident registration number, age, daily steps and resting heart rate.

    No row describes a real person: the names are common example names, the phone
    numbers use the 010-0000-xxxx pattern, and the IDs hide their last six digits.
    """
    return pd.DataFrame({
        "이름": ["홍길동", "김영희", "이철수", "박순자", "최민호", "정미경"],
        "전화번호": ["010-0000-0001", "010-0000-0002", "010-0000-0003", "010-0000-0004", "010-0000-0005", "010-0000-0006"],
        "주민등록번호": ["640312-1******", "580927-2******", "530115-1******", "690804-2******", "600522-1******", "620219-2******"],
        "나이": [57, 63, 68, 52, 61, 59],
        "걸음 수": [8120, 5430, 4210, 10350, 7020, 6650],
        "심박수": [72, 68, 75, 64, 70, 77],
    })


def age_band(age: Any) -> str:
    """An age made less exact: 57 → '50대' (the fifties). A band is returned unchanged.

    >>> age_band(63), age_band("60대")
    ('60대', '60대')
    """
    if isinstance(age, str) and age.endswith("대"):
        return age
    if isinstance(age, bool) or not isinstance(age, numbers.Real):
        raise CourseError("나이는 숫자여야 해요 (예: 57).", f"age must be a number, got {age!r}")
    return f"{int(age) // 10 * 10}대"
