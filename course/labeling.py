"""Labeling practice for crowd work: items to label, gold checks, agreement and the dataset file.

Notebook 09 (크라우드 워커 실전) gives three small labeling tasks, each a :class:`LabelTask`:

* :func:`digits_task`: 12 handwritten digits (1, 4, 7, 9) from scikit-learn's bundled
  ``load_digits`` (real data; the reference label is the dataset's own);
* :func:`sentences_task`: 10 short Korean sentences written for the course, to label
  긍정 / 부정 / 중립;
* :func:`segments_task`: 8 activity segments (수면 / 휴식 / 걷기 / 운동) of one day of
  the course's synthetic Galaxy Fit2 export (``data/fit2``), loaded, cleaned and cut with
  :mod:`course.fit2`. The notebook labels it "합성 데이터(synthetic, 실제가 아닌 만든 데이터)".

A task hides **gold items** (정답 문항: items whose right label is known) among the
others, and carries the labels a **peer worker** (동료 작업자) gave them, to measure
agreement. Gold items measure quality and are not graded, as on a crowd-work platform;
the right labels of the graded items are written only in the hidden tests of ``source/``,
which the grader runs outside the learner's kernel. This module, which the learner's
kernel imports, holds no graded answer.
The functions here render items as HTML for ``nb.label``, measure a learner's work
(:func:`gold_accuracy`, :func:`cohens_kappa`, :func:`confusion_figure`,
:func:`quality_table`) and write and check the learner's dataset file
(:func:`write_labels`, :func:`read_labels`, :func:`validate_labels`).

Example
-------
>>> task = sentences_task()
>>> answers = {item: "중립" for item in task.items}
>>> gold_accuracy(answers, task.gold)
0.25
"""
from __future__ import annotations

import html
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.datasets import load_digits
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from course.data import data_path
from course.errors import CourseError
from course.fit2.cleaning import clean_export
from course.fit2.dataset import minute_table
from course.fit2.lab import day_figure, segment_items, select_days
from course.fit2.loader import load_export

#: The columns of a labeled dataset file, in order.
COLUMNS = ("item_id", "label")
#: Text encoding of the dataset file: UTF-8 with a byte-order mark, so Excel shows Korean right.
ENCODING = "utf-8-sig"

Answers = Mapping[str, str]


# --- HTML renderers for nb.label ------------------------------------------------------

def _titled(title: str, body: str) -> str:
    heading = f'<div style="font-size:20px;font-weight:bold">{html.escape(title)}</div>' if title else ""
    return f"<div>{heading}{body}</div>"


def digit_html(image: Any, title: str = "", size: int = 120) -> str:
    """An 8×8 grey-scale digit image (values 0–16, as in ``load_digits``) as a crisp inline SVG.

    Dark squares are ink. ``size`` is the width and height in pixels.

    >>> digit_html(load_digits().images[0]).count("<rect")
    64
    """
    pixels = np.asarray(image, dtype=float)
    if pixels.shape != (8, 8):
        raise CourseError("숫자 그림은 8×8 칸이어야 해요.", f"expected an 8x8 image, got shape {pixels.shape}")
    shades = np.clip(255 - pixels * 255 / 16, 0, 255).round().astype(int)
    squares = "".join(
        f'<rect x="{col}" y="{row}" width="1" height="1" fill="rgb({v},{v},{v})"/>'
        for (row, col), v in np.ndenumerate(shades)
    )
    svg = (
        f'<svg width="{size}" height="{size}" viewBox="0 0 8 8" shape-rendering="crispEdges" role="img" '
        f'aria-label="손글씨 숫자 그림" style="border:1px solid #999;background:#fff">{squares}</svg>'
    )
    return _titled(title, svg)


def sentence_html(text: str, title: str = "") -> str:
    """A sentence to label, in large type inside a quiet box (the text is HTML-escaped)."""
    box = (
        '<div style="font-size:22px;line-height:1.6;padding:8px 14px;margin:4px 0;max-width:700px;'
        f'border-left:6px solid #1a5fb4;background:#f6f8fc">“{html.escape(text)}”</div>'
    )
    return _titled(title, box)


# --- the tasks -----------------------------------------------------------------------

@dataclass(frozen=True)
class LabelTask:
    """One labeling task.

    ``items`` maps an item id to the HTML that shows it; ``categories`` are the allowed
    labels; ``gold`` holds the known labels of the hidden gold items (not graded);
    ``peer`` the labels a peer worker gave the gold items; ``pass_mark`` the gold
    accuracy a submission needs.
    """

    name: str
    categories: tuple[str, ...]
    items: Mapping[str, str]
    gold: Mapping[str, str]
    peer: Mapping[str, str]
    pass_mark: float = 0.75

    @property
    def graded(self) -> tuple[str, ...]:
        """The items that are graded: all but the gold ones."""
        return tuple(item for item in self.items if item not in self.gold)


#: item id -> index into ``load_digits()`` (digits 1, 4, 7 and 9, mixed).
DIGIT_ITEMS = {
    "d01": 1505, "d02": 849, "d03": 283, "d04": 1735, "d05": 349, "d06": 1166,
    "d07": 263, "d08": 919, "d09": 1050, "d10": 222, "d11": 1754, "d12": 1795,
}
DIGIT_GOLD = ("d02", "d04", "d07", "d09")
#: The peer worker's slip on the gold items: a 9 whose loop is closed read as 4.
DIGIT_PEER_SLIPS = {"d02": "4"}


@lru_cache(maxsize=1)
def digits_task() -> LabelTask:
    """12 handwritten digits from ``load_digits`` (real data), to label 1, 4, 7 or 9.

    The gold items' labels are the dataset's own, as are the graded ones in the hidden
    test: a public dataset's labels stay as public as the dataset.
    """
    digits = load_digits()
    gold = {item: str(digits.target[DIGIT_ITEMS[item]]) for item in DIGIT_GOLD}
    items = {
        item: digit_html(digits.images[index], title=f"{n}번")
        for n, (item, index) in enumerate(DIGIT_ITEMS.items(), 1)
    }
    return LabelTask("손글씨 숫자", ("1", "4", "7", "9"), items, gold, {**gold, **DIGIT_PEER_SLIPS})


#: Sentences written for the course (not collected from anyone).
SENTENCES = {
    "s01": "배송은 조금 늦었지만 물건은 아주 마음에 들어요.",
    "s02": "직원분이 친절하게 설명해 주셔서 고마웠어요.",
    "s03": "오늘 오후 3시에 보건소에서 독감 예방 접종을 해요.",
    "s04": "참 잘하셨네요. 두 시간이나 기다리게 하시다니.",
    "s05": "화면 글씨가 너무 작아서 읽기가 힘들어요.",
    "s06": "맛이 나쁘지 않았어요. 다음에 또 올게요.",
    "s07": "이 약은 밥 먹고 30분 뒤에 먹나요?",
    "s08": "손주가 보내 준 사진을 보고 하루 종일 웃었어요.",
    "s09": "버스가 10분마다 온다고 안내판에 쓰여 있어요.",
    "s10": "기다리던 검사 결과가 또 미뤄졌대요. 정말 답답해요.",
}
SENTENCE_GOLD = {"s02": "긍정", "s03": "중립", "s05": "부정", "s08": "긍정"}
#: The peer worker's labels of the gold items: one slip, a plain schedule (s03) read as good news.
SENTENCE_PEER = {**SENTENCE_GOLD, "s03": "긍정"}


@lru_cache(maxsize=1)
def sentences_task() -> LabelTask:
    """10 short Korean sentences written for the course, to label 긍정, 부정 or 중립."""
    items = {item: sentence_html(text, title=f"{n}번") for n, (item, text) in enumerate(SENTENCES.items(), 1)}
    return LabelTask("문장 감정", ("긍정", "부정", "중립"), items, dict(SENTENCE_GOLD), dict(SENTENCE_PEER))


#: The Fit2 wearer and day the activity segments come from: the course's synthetic
#: Samsung Health export in ``data/fit2`` (made by :mod:`course.fit2.generator`).
SEGMENT_PERSON = "samsunghealth_fit2user02_20210615174258"
SEGMENT_DAY = "2021-06-05"
#: item id -> (start, end) in Korean time, in the order of the day; ``end`` not included.
SEGMENTS = {
    item: (f"{SEGMENT_DAY} {start}", f"{SEGMENT_DAY} {end}")
    for item, start, end in (
        ("a01", "01:00", "01:30"), ("a02", "05:35", "05:55"), ("a03", "06:00", "06:20"),
        ("a04", "07:00", "07:30"), ("a05", "09:40", "10:10"), ("a06", "13:00", "13:30"),
        ("a07", "20:05", "20:30"), ("a08", "23:25", "23:55"),
    )
}
#: The gold items' labels by notebook 09's guideline (checked against the data in the tests).
SEGMENT_GOLD = {"a03": "걷기", "a06": "휴식", "a08": "수면"}
#: The peer worker's slip on the gold items: a brisk walk (75 steps a minute, no exercise record) read as 운동.
SEGMENT_PEER_SLIPS = {"a03": "운동"}


@lru_cache(maxsize=1)
def segment_day() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The minute table of ``SEGMENT_DAY`` and the exercise records, loaded and cleaned with :mod:`course.fit2`."""
    clean = clean_export(load_export(data_path("fit2", SEGMENT_PERSON)))
    return select_days(minute_table(clean), SEGMENT_DAY), clean.exercise


def segments_figure() -> go.Figure:
    """The whole day of the segments, with the eight segments shaded and numbered."""
    day, _ = segment_day()
    return day_figure(day, segments=SEGMENTS, title="레이블을 붙일 여덟 구간 (6월 5일 하루)")


@lru_cache(maxsize=1)
def segments_task() -> LabelTask:
    """8 segments of one day of the Fit2 export, to label 수면, 휴식, 걷기 or 운동."""
    day, exercise = segment_day()
    items = segment_items(day, SEGMENTS, exercise)
    return LabelTask("활동 구간", ("수면", "휴식", "걷기", "운동"), items, dict(SEGMENT_GOLD), {**SEGMENT_GOLD, **SEGMENT_PEER_SLIPS})


def tasks() -> tuple[LabelTask, ...]:
    """Every labeling task of the course (the instructor's report finds a question's task among them)."""
    return digits_task(), sentences_task(), segments_task()


def task_for(items: Any) -> LabelTask | None:
    """The task whose graded items are exactly ``items`` (ids, or a mapping keyed by them, as a
    hidden test's key is); ``None`` if none is."""
    wanted = set(items)
    return next((task for task in tasks() if set(task.graded) == wanted), None)


# --- measuring the work ----------------------------------------------------------------

def _answers(answers: Any) -> dict[str, str]:
    if answers is None:
        raise CourseError(
            "아직 레이블을 붙이지 않았어요. 위의 레이블 작업을 먼저 해 주세요.", "no answers saved (None)"
        )
    if not isinstance(answers, Mapping):
        raise CourseError(
            "레이블은 {항목: 레이블} 모양이어야 해요.", f"expected a mapping item -> label, got {type(answers).__name__}"
        )
    return {str(item): str(label) for item, label in answers.items()}


def gold_accuracy(answers: Answers | None, gold: Answers) -> float:
    """Share of the gold items labelled as the gold says (0 to 1); an unlabelled gold item is wrong.

    >>> gold_accuracy({"a": "긍정", "b": "부정"}, {"a": "긍정", "b": "긍정", "c": "중립"})
    0.3333333333333333
    """
    mine = _answers(answers)
    if not gold:
        raise CourseError("정답 문항이 없어서 정확도를 잴 수 없어요.", "empty gold set")
    return sum(mine.get(item) == label for item, label in gold.items()) / len(gold)


def _paired(answers: Answers | None, reference: Answers) -> tuple[list[str], list[str], list[str]]:
    mine = _answers(answers)
    items = [item for item in reference if item in mine]
    if not items:
        raise CourseError("비교할 항목이 없어요. 레이블을 먼저 붙여 주세요.", "no item labelled in both")
    return items, [mine[item] for item in items], [str(reference[item]) for item in items]


def cohens_kappa(answers: Answers | None, reference: Answers) -> float:
    """Cohen's kappa between two workers' labels, on the items both labelled.

    1 is full agreement, 0 is no more agreement than chance. When both workers gave
    every item one and the same label, kappa is undefined and ``nan`` is returned.

    >>> cohens_kappa({"a": "긍정", "b": "부정"}, {"a": "긍정", "b": "부정"})
    1.0
    """
    _, mine, theirs = _paired(answers, reference)
    if len(set(mine) | set(theirs)) == 1:
        return float("nan")
    return float(cohen_kappa_score(theirs, mine))


def confusion_figure(answers: Answers | None, reference: Answers, labels: Sequence[str]) -> go.Figure:
    """A heat map counting items by (reference label, my label): agreement lies on the diagonal."""
    _, mine, theirs = _paired(answers, reference)
    labels = [str(label) for label in labels]
    counts = confusion_matrix(theirs, mine, labels=labels)
    figure = go.Figure(go.Heatmap(
        z=counts, x=labels, y=labels, text=counts, texttemplate="%{text}", textfont={"size": 24},
        colorscale="Blues", showscale=False,
        hovertemplate="동료: %{y}<br>나: %{x}<br>항목 수: %{z}<extra></extra>",
    ))
    figure.update_layout(
        title={"text": "내 레이블과 동료 레이블 비교 (칸의 숫자 = 항목 수)", "y": 0.97, "yanchor": "top"},
        font_size=18, width=600, height=500, margin={"t": 130},
        xaxis={"title": "내 레이블", "type": "category", "side": "top"},
        yaxis={"title": "동료 작업자의 레이블", "type": "category", "autorange": "reversed"},
    )
    return figure


def quality_table(work: Sequence[tuple[LabelTask, Answers | None]]) -> pd.DataFrame:
    """One row per task: how many items are labelled, gold accuracy and kappa with the peer on the gold items."""
    rows = []
    for task, answers in work:
        mine = {} if answers is None else _answers(answers)
        row = {"작업": task.name, "레이블 붙인 항목": f"{sum(item in mine for item in task.items)} / {len(task.items)}"}
        if mine:
            accuracy = gold_accuracy(mine, task.gold)
            kappa = cohens_kappa(mine, task.peer) if set(mine) & set(task.peer) else float("nan")
            row["정답 문항 맞힘"] = f"{round(accuracy * len(task.gold))} / {len(task.gold)} ({accuracy:.0%})"
            row["동료와의 카파"] = "계산할 수 없어요" if math.isnan(kappa) else f"{kappa:.2f}"
        else:
            row["정답 문항 맞힘"] = row["동료와의 카파"] = "아직 안 했어요"
        rows.append(row)
    return pd.DataFrame(rows).set_index("작업")


# --- the learner's dataset file ------------------------------------------------------------

def _csv_path(path: Any) -> Path:
    if not isinstance(path, (str, Path)):
        raise CourseError(
            "파일 이름은 따옴표 안에 글자로 써 주세요 (예: \"sentiment_labels.csv\").",
            f"path must be str or Path, got {type(path).__name__}",
        )
    path = Path(path)
    if path.suffix.lower() != ".csv":
        raise CourseError(
            f"'{path.name}'은(는) CSV 파일이 아니에요. 파일 이름은 .csv 로 끝나야 해요.", f"not a .csv name: {path}"
        )
    return path


def write_labels(path: str | Path, answers: Answers | None, task: LabelTask) -> Path:
    """Write the labelled items of ``task`` to a CSV file with columns ``item_id,label``.

    Items come in the task's order; unlabelled items are left out (the check then
    names them). Returns the path written.
    """
    path = _csv_path(path)
    mine = _answers(answers)
    rows = [(item, mine[item]) for item in task.items if item in mine]
    pd.DataFrame(rows, columns=list(COLUMNS)).to_csv(path, index=False, encoding=ENCODING)
    return path


def read_labels(path: str | Path) -> pd.DataFrame:
    """Read a labeled dataset file: a CSV with exactly the columns ``item_id,label`` (as text)."""
    path = _csv_path(path)
    if not path.is_file():
        raise CourseError(
            f"'{path.name}' 파일을 찾을 수 없어요. 파일을 만드는 칸을 먼저 실행해 주세요.", f"missing file: {path}"
        )
    try:
        table = pd.read_csv(path, dtype=str, encoding=ENCODING, skipinitialspace=True)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CourseError(
            f"'{path.name}'을(를) CSV 파일로 읽을 수 없어요. 쉼표로 나눈 글자 파일이어야 해요.",
            f"unreadable CSV {path}: {error}",
        ) from error
    if tuple(table.columns) != COLUMNS:
        found = ", ".join(map(str, table.columns))
        raise CourseError(
            f"'{path.name}'의 열 이름이 달라요. item_id, label 두 열이어야 하는데, 지금은 [{found}]이에요.",
            f"columns {list(table.columns)} != {list(COLUMNS)}",
        )
    return table.apply(lambda column: column.str.strip())


@dataclass(frozen=True)
class LabelReport:
    """What the quality check found in a labeled dataset file.

    ``missing``: task items with no label; ``unknown``: item -> a label not allowed;
    ``duplicated``: items on more than one row; ``extra``: ids not in the task;
    ``gold_accuracy``: share of gold items labelled right (a missing one is wrong).
    """

    path: Path
    rows: int
    missing: tuple[str, ...]
    unknown: Mapping[str, str]
    duplicated: tuple[str, ...]
    extra: tuple[str, ...]
    gold_accuracy: float
    pass_mark: float

    @property
    def problems(self) -> list[str]:
        """A Korean sentence for each problem found; empty when the file is fine."""
        found = []
        if self.missing:
            found.append(f"레이블이 없는 항목이 {len(self.missing)}개 있어요: {', '.join(self.missing)}")
        if self.unknown:
            pairs = ", ".join(f"{item} → '{label}'" for item, label in self.unknown.items())
            found.append(f"안내서에 없는 레이블이 있어요: {pairs}")
        if self.duplicated:
            found.append(f"두 번 이상 나온 항목이 있어요: {', '.join(self.duplicated)}")
        if self.extra:
            found.append(f"작업 목록에 없는 항목이 있어요: {', '.join(self.extra)}")
        if self.gold_accuracy < self.pass_mark:
            found.append(f"정답 문항 정확도가 {self.gold_accuracy:.0%}로, 기준 {self.pass_mark:.0%}보다 낮아요.")
        return found

    @property
    def passed(self) -> bool:
        """Whether the file passes the quality check."""
        return not self.problems

    def _repr_html_(self) -> str:
        lines = [f"📄 파일: <b>{html.escape(self.path.name)}</b> ({self.rows}줄)",
                 f"🎯 정답 문항 정확도: <b>{self.gold_accuracy:.0%}</b> (기준 {self.pass_mark:.0%} 이상)"]
        lines += [f"❌ {html.escape(problem)}" for problem in self.problems]
        lines.append("✅ 품질 검사를 통과했어요! 제출할 수 있어요." if self.passed else "✋ 고칠 점이 있어요. 위의 ❌ 줄을 보세요.")
        return '<div style="font-size:20px;line-height:1.7">' + "<br>".join(lines) + "</div>"


def validate_labels(path: str | Path, task: LabelTask) -> LabelReport:
    """Check a labeled dataset file against ``task``, as a crowd-work platform does before paying.

    A missing or unreadable file, or wrong columns, raise ``CourseError`` (nothing else
    can be checked); every other problem is listed in the returned report's ``problems``.
    """
    table = read_labels(path).dropna(subset=["item_id"])
    labelled = table.dropna(subset=["label"])
    counts = table["item_id"].value_counts()
    first = labelled.drop_duplicates("item_id").set_index("item_id")["label"]
    return LabelReport(
        path=Path(path),
        rows=len(table),
        missing=tuple(item for item in task.items if item not in first.index),
        unknown={item: label for item, label in first.items() if item in task.items and label not in task.categories},
        duplicated=tuple(item for item, count in counts.items() if count > 1),
        extra=tuple(item for item in first.index if item not in task.items),
        gold_accuracy=gold_accuracy(first.to_dict(), task.gold),
        pass_mark=task.pass_mark,
    )
