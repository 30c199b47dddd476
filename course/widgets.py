"""Large, plain answer widgets for first-time computer users.

Each question gets one frame: the prompt, big buttons or a box to type in, and a
status line that says in words and with an icon (never by colour alone) what happened.
The frame saves every answer through a callback the moment it is given.
"""
from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as w

from course.questions import Choice, MultiChoice, Number, Order, Question, SortInto, Text

FONT = "20px"
BUTTON = dict(width="auto", min_width="180px", height="auto", min_height="52px", margin="4px")
WIDE = w.Layout(width="100%", max_width="760px")


def big_button(label: str, **kwargs: Any) -> w.Button:
    """A button with large text and a generous click target."""
    button = w.Button(description=label, layout=w.Layout(**BUTTON), tooltip=label, **kwargs)
    button.style.font_size = FONT
    return button


def html_line(text: str = "", size: str = FONT) -> w.HTML:
    """A line of large text (``text`` is HTML)."""
    return w.HTML(value=f'<div style="font-size:{size};line-height:1.5">{text}</div>', layout=WIDE)


def status_html(icon: str, words: str, colour: str) -> str:
    """A status line: icon, words and colour say the same thing."""
    return f'<span style="color:{colour};font-weight:bold">{icon} {html.escape(words)}</span>'


class AnswerInput:
    """The part of a frame that collects one kind of answer.

    ``box`` is the widget to show; ``show(value)`` puts a saved value back on screen;
    ``on_answer`` is called with the new raw value when the learner answers.
    """

    def __init__(self, question: Question, on_answer: Callable[[Any], None]) -> None:
        self.question = question
        self.on_answer = on_answer
        self.box = self.build()

    def build(self) -> w.Widget:
        raise NotImplementedError

    def show(self, value: Any) -> None:
        raise NotImplementedError


class ButtonsInput(AnswerInput):
    """One big button per option; ``multi`` toggles several."""

    def build(self) -> w.Widget:
        self.multi = isinstance(self.question, MultiChoice)
        self.chosen: list[str] = []
        self.buttons = {option: big_button(option) for option in self.question.options}
        for option, button in self.buttons.items():
            button.on_click(lambda _, option=option: self.click(option))
        return w.VBox(list(self.buttons.values()))

    def click(self, option: str) -> None:
        if self.multi:
            chosen = [o for o in self.question.options if (o in self.chosen) != (o == option)]
        else:
            chosen = [option]
        self.show(chosen if self.multi else option)
        self.on_answer(list(chosen) if self.multi else option)

    def show(self, value: Any) -> None:
        self.chosen = list(value) if self.multi else [value]
        for option, button in self.buttons.items():
            picked = option in self.chosen
            button.button_style = "info" if picked else ""
            button.icon = "check" if picked else ""
            button.description = f"{option}  (선택함)" if picked else option


class TypedInput(AnswerInput):
    """A box to type a number or a short text, saved with a button or Enter."""

    def build(self) -> w.Widget:
        placeholder = "숫자를 써 주세요" if isinstance(self.question, Number) else "답을 써 주세요"
        self.field = w.Text(placeholder=placeholder, continuous_update=False, layout=w.Layout(width="320px", height="48px"))
        self.field.style.font_size = FONT
        self.field.observe(lambda change: self.submit(), names="value")
        save = big_button("저장하기", icon="save")
        save.on_click(lambda _: self.submit())
        unit = html_line(html.escape(getattr(self.question, "unit", "") or ""))
        unit.layout = w.Layout(width="auto")
        return w.HBox([self.field, unit, save])

    def submit(self) -> None:
        if self.field.value.strip():
            self.on_answer(self.field.value)

    def show(self, value: Any) -> None:
        self.field.value = str(value)


class OrderInput(AnswerInput):
    """The items in a column, each with 'up' and 'down' buttons."""

    def build(self) -> w.Widget:
        self.current = list(self.question.items)
        self.column = w.VBox()
        self.redraw()
        return self.column

    def move(self, index: int, step: int) -> None:
        target = index + step
        if 0 <= target < len(self.current):
            self.current[index], self.current[target] = self.current[target], self.current[index]
            self.redraw()
            self.on_answer(list(self.current))

    def redraw(self) -> None:
        rows = []
        for index, item in enumerate(self.current):
            up, down = big_button("위로", icon="arrow-up"), big_button("아래로", icon="arrow-down")
            up.layout.min_width = down.layout.min_width = "120px"
            up.on_click(lambda _, i=index: self.move(i, -1))
            down.on_click(lambda _, i=index: self.move(i, +1))
            label = html_line(f"<b>{index + 1}.</b> {html.escape(item)}")
            label.layout = w.Layout(width="360px")
            rows.append(w.HBox([label, up, down]))
        self.column.children = rows

    def show(self, value: Any) -> None:
        self.current = list(value)
        self.redraw()


class SortInput(AnswerInput):
    """Label a set: for each item, one big button per category."""

    def build(self) -> w.Widget:
        self.labels: dict[str, str] = {}
        self.rows: dict[str, dict[str, w.Button]] = {}
        rows = []
        for item in self.question.items:
            buttons = {category: big_button(category) for category in self.question.categories}
            for category, button in buttons.items():
                button.layout.min_width = "120px"
                button.on_click(lambda _, item=item, category=category: self.click(item, category))
            self.rows[item] = buttons
            label = html_line(self.question.shows.get(item) or f"<b>{html.escape(item)}</b>")
            label.layout = w.Layout(width="100%")
            rows.append(w.VBox([label, w.HBox(list(buttons.values()), layout=w.Layout(flex_flow="row wrap"))]))
        return w.VBox(rows)

    def click(self, item: str, category: str) -> None:
        self.labels[item] = category
        self.show(self.labels)
        self.on_answer(dict(self.labels))

    def show(self, value: Any) -> None:
        self.labels = dict(value)
        for item, buttons in self.rows.items():
            for category, button in buttons.items():
                picked = self.labels.get(item) == category
                button.button_style = "info" if picked else ""
                button.icon = "check" if picked else ""


INPUTS: dict[type, type[AnswerInput]] = {
    Choice: ButtonsInput,
    MultiChoice: ButtonsInput,
    Number: TypedInput,
    Text: TypedInput,
    Order: OrderInput,
    SortInto: SortInput,
}


def make_input(question: Question, on_answer: Callable[[Any], None]) -> AnswerInput:
    """The input widget for ``question``'s kind."""
    return INPUTS[type(question)](question, on_answer)
