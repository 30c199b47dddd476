"""One notebook's session: its questions, their saved answers, progress and grading.

A notebook starts with ``nb = course.start("00_getting_started", points=10, items=5)``;
questions are declared in one line each (``q1 = nb.choice("q1", "...", [...])``) and
graded by the instructor's hidden test (``nb.grade("q1", key)``).

The grader runs the same cells in its own process, never in the learner's kernel:
inside :func:`grading`, ``course.start`` opens a headless session that draws no widget
and reads the submitted answers without ever writing them (``course.grading.trusted``).
"""
from __future__ import annotations

import html
import numbers
import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

import ipywidgets as w
from IPython.display import display

from course import charts, friendly
from course.answers import AnswerStore
from course.errors import CourseError
from course.grading import Score, fail
from course.numbering import item_title
from course.questions import Choice, MultiChoice, Number, Order, Question, SortInto, Text
from course.widgets import big_button, html_line, make_input, status_html

BLANK_TEXT = "___"
_GRADING: ContextVar[Path | None] = ContextVar("course_grading_folder", default=None)


class Blank:
    """What ``___`` holds until the learner fills the blank in."""

    def __repr__(self) -> str:
        return BLANK_TEXT


___ = Blank()


def answer_html(answer: Any) -> str:
    """A practice answer written for people: one line per item, not a Python literal."""
    if isinstance(answer, dict):
        return "".join(f"<br>· {html.escape(str(k))} → {html.escape(str(v))}" for k, v in answer.items())
    if isinstance(answer, (list, tuple)):
        return " → ".join(html.escape(str(item)) for item in answer)
    return html.escape(str(answer))


class QuestionView:
    """A question on screen: prompt, input, status line and (practice) check and hints."""

    def __init__(self, question: Question, notebook: "Notebook") -> None:
        self.question = question
        self.notebook = notebook
        self.hints_shown = 0
        self.status = html_line()
        self.input = make_input(question, self.answer)
        saved = notebook.store.get(question.qid)
        if saved is not None:
            self.input.show(saved)
            self.say("💾", "저장된 답을 다시 불러왔어요.", "#1a5fb4")
        self.extra = html_line(size="18px")
        self.frame = w.VBox([html_line(f"<b>{question.prompt}</b>"), self.input.box, self.status, self.buttons(), self.extra])
        self.frame.add_class("course-question")
        self.frame.add_class(f"course-{type(question).__name__.lower()}")  # e.g. course-sortinto, for styling and tests

    @property
    def value(self) -> Any:
        """The saved answer (``None`` when not answered yet)."""
        return self.notebook.store.get(self.question.qid)

    def buttons(self) -> w.Widget:
        hint = big_button("힌트 보기", icon="lightbulb-o")
        hint.on_click(lambda _: self.hint())
        row = [hint] if self.question.hints else []
        if self.question.practice:
            check = big_button("확인하기", icon="check-circle")
            check.on_click(lambda _: self.check())
            row.insert(0, check)
        return w.HBox(row)

    def answer(self, raw: Any) -> None:
        """Save a new answer; a malformed one is explained, and the old one kept."""
        try:
            value = self.question.normalise(raw)
        except CourseError as error:
            self.say("⚠️", error.korean, "#a51d2d")
            return
        saved = raw if isinstance(self.question, Number | Text) else value
        self.notebook.store.save(self.question.qid, saved, self.question.kind)
        if self.question.practice:
            self.check()
        else:
            self.say("✔", "답을 저장했어요. 채점은 제출한 뒤에 해요. 바꾸고 싶으면 다시 고르면 돼요.", "#1a5fb4")
        self.notebook.update_progress()

    def check(self) -> None:
        """Practice questions: say at once whether the saved answer is right."""
        if not self.question.practice:
            self.say("ℹ️", "이 문제는 제출한 뒤에 채점해요. 답이 저장되어 있는지만 확인해요.", "#1a5fb4")
            return
        value = self.value
        left = len(self.question.items) - len(value) if isinstance(self.question, SortInto) and value else 0
        if value is None:
            self.say("✋", "아직 답하지 않았어요.", "#a51d2d")
        elif left > 0:
            self.say("✏️", f"좋아요. 아직 {left}개 남았어요. 모두 고르면 맞았는지 알려 드려요.", "#1a5fb4")
        elif self.question.score(value, self.question.answer) >= self.question.points:
            self.say("⭕", "맞았어요! 잘하셨어요.", "#26a269")
        else:
            self.say("❌", "아직 아니에요. 힌트를 보고 다시 해 보세요.", "#a51d2d")

    def hint(self) -> None:
        """Show the next hint; after the last one, a practice question shows its answer."""
        hints = list(self.question.hints)
        if self.hints_shown < len(hints):
            self.hints_shown += 1
            shown = hints[: self.hints_shown]
            self.extra.value = "".join(
                f'<div style="font-size:18px">💡 힌트 {n}: {html.escape(text)}</div>' for n, text in enumerate(shown, 1)
            )
        elif self.question.practice:
            self.extra.value += f'<div style="font-size:18px">📖 정답: {answer_html(self.question.answer)}</div>'
        else:
            self.extra.value += '<div style="font-size:18px">채점하는 문제라서 정답은 제출한 뒤 피드백에서 알려 드려요.</div>'

    def say(self, icon: str, words: str, colour: str) -> None:
        self.status.value = f'<div style="font-size:20px">{status_html(icon, words, colour)}</div>'

    def _ipython_display_(self) -> None:
        display(self.frame)


class Notebook:
    """The course session of one notebook; ``headless`` for the grader (no widgets, answers read only)."""

    def __init__(self, name: str, points: float, items: int, folder: str | os.PathLike | None = None,
                 headless: bool = False) -> None:
        self.name = name
        self.points = points
        self.items = items
        self.headless = headless
        self.store = AnswerStore(name, folder, read_only=headless)
        self.asked: dict[str, Question] = {}
        self.questions: dict[str, QuestionView] = {}  # what the learner sees of each question
        self.filled: set[str] = set()  # items answered in a code blank, as their checks found them
        if not headless:
            self.bar = w.IntProgress(value=0, min=0, max=max(items, 1), layout=w.Layout(width="420px", height="32px"))
            self.bar_label = html_line()

    # --- declaring questions -------------------------------------------------
    def add(self, question: Question) -> QuestionView | None:
        """Register ``question`` and return its view (display it as a cell's last line); none when headless."""
        self.asked[question.qid] = question
        if self.headless:
            return None
        view = QuestionView(question, self)
        self.questions[question.qid] = view
        self.update_progress()
        return view

    def choice(self, qid: str, prompt: str, options: Sequence[str], **options_: Any) -> QuestionView:
        """One answer among ``options``."""
        return self.add(Choice(qid, prompt, options=list(options), **options_))

    def multi(self, qid: str, prompt: str, options: Sequence[str], **options_: Any) -> QuestionView:
        """Every answer that applies among ``options``."""
        return self.add(MultiChoice(qid, prompt, options=list(options), **options_))

    def number(self, qid: str, prompt: str, **options: Any) -> QuestionView:
        """A number; ``tolerance=`` and ``unit=`` are optional."""
        return self.add(Number(qid, prompt, **options))

    def text(self, qid: str, prompt: str, **options: Any) -> QuestionView:
        """A short text answer."""
        return self.add(Text(qid, prompt, **options))

    def order(self, qid: str, prompt: str, items: Sequence[str], **options: Any) -> QuestionView:
        """Put ``items`` in the right order."""
        return self.add(Order(qid, prompt, items=list(items), **options))

    def sort_into(self, qid: str, prompt: str, items: Sequence[str], categories: Sequence[str], **options: Any) -> QuestionView:
        """Label each of ``items`` with one of ``categories``."""
        return self.add(SortInto(qid, prompt, items=list(items), categories=list(categories), **options))

    def label(self, qid: str, prompt: str, items: Mapping[str, str], categories: Sequence[str], **options: Any) -> QuestionView:
        """A labeling task: ``items`` maps an item id to the HTML that shows it (an image, a sentence)."""
        return self.add(SortInto(qid, prompt, items=list(items), categories=list(categories), shows=dict(items), **options))

    # --- progress ------------------------------------------------------------
    def progress(self) -> w.Widget | None:
        """A bar of answered graded items over all of them, kept up to date (none when headless)."""
        if self.headless:
            return None
        self.update_progress()
        title = html_line(f"<b>이 노트북: 채점 문제 {self.items}개, 모두 {self.points:g}점</b>")
        box = w.VBox([title, w.HBox([self.bar, self.bar_label])])
        box.add_class("course-progress")
        return box

    def answered(self) -> int:
        saved = self.store.load()
        widgets = {qid for qid, question in self.asked.items() if not question.practice and qid in saved}
        return len(widgets | self.filled)

    def update_progress(self) -> None:
        if self.headless:
            return
        done = self.answered()
        self.bar.value = min(done, self.bar.max)
        self.bar_label.value = f'<div style="font-size:20px">&nbsp;{done} / {self.items} 문제 답함</div>'

    def answer(self, number: int) -> Any:
        """The saved answer of 문제 ``number`` (``None`` when not answered yet)."""
        return self.store.get(f"q{number}")

    def finish(self) -> Any:
        """The notebook's last cell: the 채점받기 button (on a hub, where to submit)."""
        from course.selfgrade import finish

        return finish(self.name)

    # --- grading (hidden tests) ------------------------------------------------
    def grade(self, qid: str, key: Any) -> Score:
        """Grade the saved answer of widget question ``qid`` against ``key``.

        Returns the points earned (nbgrader reads them as partial credit); raises
        ``AssertionError`` with a Korean sentence when nothing is earned.
        """
        if qid not in self.asked:
            fail(f"{item_title(qid)}의 칸이 실행되지 않았어요. 위에서부터 모든 칸을 실행해 주세요.")
        question = self.asked[qid]
        value = self.store.get(qid)
        if value is None:
            fail(f"{item_title(qid)}: 아직 답하지 않았어요.")
        return self._award(question, question.score(value, key))

    def grade_value(self, qid: str, value: Any, key: Any, points: float = 1.0, tolerance: float = 0.0) -> Score:
        """Grade a value the learner computed in a one-line code blank."""
        if isinstance(value, Blank):
            fail(f"{item_title(qid)}: 빈칸(___)이 아직 비어 있어요.")
        if isinstance(key, numbers.Real) and not isinstance(key, bool):
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                fail(f"{item_title(qid)}: 답이 숫자가 아니에요(지금은 {friendly.kind_of(value)}). 따옴표 없이 숫자로 써 주세요.")
            question: Question = Number(qid, "", points=points, tolerance=tolerance)
        else:
            question = Question(qid, "", points=points)
        return self._award(question, question.score(value, key))

    def grade_parts(self, qid: str, parts: Mapping[str, Callable[[], bool]], points: float = 1.0) -> Score:
        """Grade an item made of parts: each part is a Korean description and a check.

        A check is a function returning ``True`` when that part is right; one that raises
        (a blank left, a missing column) counts as wrong. The points are shared equally
        among the parts, and the feedback names each part that is not right yet.
        """
        passed = []
        for description, check in parts.items():
            try:
                ok = bool(check())
            except Exception:  # a learner's value of the wrong kind is a wrong part, not a crash
                ok = False
            passed.append(ok)
            if not ok:
                print(f"✗ {description}")
        earned = round(points * sum(passed) / len(passed), 2) if parts else 0.0
        return self._award(Question(qid, "", points=points), earned)

    def _award(self, question: Question, earned: float) -> Score:
        if earned <= 0:
            fail(f"{item_title(question.qid)}: 아쉽지만 틀렸어요. 피드백을 보고 다시 생각해 보세요.")
        return Score(earned, question.points)

    def check(self, qid: str) -> None:
        """A visible check for a graded widget item: is an answer saved? (no key shown)"""
        value = self.store.get(qid)
        question = self.asked.get(qid)
        if value is None:
            print(f"✋ {item_title(qid)}: 아직 답하지 않았어요. 위에서 답을 골라 주세요.")
        elif isinstance(question, SortInto) and len(value) < len(question.items):
            total = len(question.items)
            print(f"✏️ {item_title(qid)}: {total}개 가운데 {len(value)}개를 골랐어요. 남은 {total - len(value)}개도 골라 주세요.")
        else:
            print(f"✔ {item_title(qid)}: 답이 저장되어 있어요. 채점은 제출한 뒤에 해요.")

    def check_filled(self, qid: str, value: Any, kind: type | tuple[type, ...] | None = None) -> None:
        """A practice check for item ``qid``'s code blank: filled in, of the right kind (no key shown).

        A filled blank counts as answered in the progress bar until a later check finds it empty.
        """
        if isinstance(value, Blank):
            print(f"✋ {item_title(qid)}: 빈칸(___)을 아직 채우지 않았어요.")
            self.filled.discard(qid)
        elif kind is not None and not isinstance(value, kind):
            print(f"⚠️ {item_title(qid)}: 답의 종류가 달라요(지금은 {friendly.kind_of(value)}). 숫자인지, 글자인지 다시 확인해 주세요.")
            self.filled.discard(qid)
        else:
            print(f"✔ {item_title(qid)}: 빈칸을 채웠어요. 채점은 제출한 뒤에 해요.")
            self.filled.add(qid)
        self.update_progress()


@contextmanager
def grading(folder: str | os.PathLike) -> Iterator[None]:
    """Headless grading: meanwhile ``start`` opens sessions that read the answers submitted in ``folder``."""
    token = _GRADING.set(Path(folder))
    try:
        yield
    finally:
        _GRADING.reset(token)


def start(name: str, points: float, items: int) -> Notebook:
    """Start a notebook's course session: friendly errors on, large chart text, answers restored.

    Also defines ``___`` (the blank to fill in) in the notebook. Inside :func:`grading`,
    only a headless session over the submitted answers.
    """
    folder = _GRADING.get()
    if folder is not None:
        return Notebook(name, points, items, folder, headless=True)
    notebook = Notebook(name, points, items)
    friendly.install()
    charts.use_large_text()
    friendly.define_blank(BLANK_TEXT, ___)
    notebook.store.load()
    if notebook.store.problem:
        display(html_line(status_html("⚠️", notebook.store.problem, "#a51d2d")))
    return notebook
