"""The 채점받기 button that ends each notebook for a learner working alone.

One click saves the notebook (the kernel cannot save it: the button asks JupyterLab
to, through the app that ``course lab`` exposes to the page), grades the saved copy
exactly as an instructor would (``course.selfcheck.check``: nbgrader's autograde and
feedback) and shows the score and each item's result in Korean. On a hub, learners
submit through the 과제 목록 instead, and the cell says so.
"""
from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import nbformat
from IPython.display import Javascript, display

from course.cells import is_check
from course.errors import CourseError
from course.home import URL as HOME_URL
from course.numbering import item_title
from course.paths import course_root
from course.widgets import big_button, html_line, status_html

SAVE_WAIT = 15.0  # seconds to wait for JupyterLab to write the notebook
GO_HOME = Javascript(  # the course home page (course.home), under the server's base address
    "const config = JSON.parse(document.getElementById('jupyter-config-data').textContent);"
    f"window.location.href = config.baseUrl + {json.dumps(HOME_URL.lstrip('/'))};"
)


def on_hub() -> bool:
    """A JupyterHub session: learners submit through nbgrader's 과제 목록."""
    return bool(os.environ.get("JUPYTERHUB_USER"))


def lab_command(command: str, args: dict | None = None) -> Javascript:
    """Run a JupyterLab command in the learner's page (``window.jupyterapp``, set by ``course lab``)."""
    return Javascript(f"window.jupyterapp && window.jupyterapp.commands.execute({json.dumps(command)}, {json.dumps(args or {})});")


@dataclass
class ItemResult:
    """One graded item as the learner reads it."""

    title: str
    score: float
    max_score: float
    notes: list[str]

    def html(self) -> str:
        if self.score >= self.max_score:
            icon, colour = "⭕", "#26a269"
        elif self.score > 0:
            icon, colour = "🔸", "#c64600"
        else:
            icon, colour = "❌", "#a51d2d"
        notes = "".join(f"<div style='margin-left:2em'>{html.escape(note)}</div>" for note in self.notes)
        return f"<div>{status_html(icon, f'{self.title}: {self.score:g} / {self.max_score:g}점', colour)}{notes}</div>"


def item_results(autograded: Path, scores: dict[str, tuple[float, float]]) -> list[ItemResult]:
    """Each graded item of an autograded notebook, in the notebook's order, with what the grader said."""
    nb = nbformat.read(str(autograded), as_version=4)
    results = []
    for cell in nb.cells:
        if not is_check(cell):
            continue
        grade_id = cell.metadata.nbgrader.grade_id
        notes = []
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                notes.append(output.evalue)
            elif output.output_type == "stream":
                notes += [line for line in output.text.splitlines() if line.startswith("✗")]
        score, max_score = scores.get(grade_id, (0.0, float(cell.metadata.nbgrader.get("points", 0))))
        results.append(ItemResult(item_title(grade_id), score, max_score, notes))
    return results


def grade_scores(root: Path, assignment: str, student: str) -> dict[str, tuple[float, float]]:
    """``grade_id`` -> (score, max_score) of one graded submission, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bigdata-worker") as gradebook:
        submission = gradebook.find_submission(assignment, student)
        return {grade.name: (grade.score, grade.max_score) for nb in submission.notebooks for grade in nb.grades}


class GradeButton:
    """The last cell of a notebook: a large 채점받기 button and the result under it."""

    def __init__(self, notebook: str, folder: Path | None = None) -> None:
        self.notebook = notebook
        self.folder = Path(folder or os.getcwd())
        self.status = html_line()
        self.result = html_line(size="20px")
        self.page = w.Output()  # where JupyterLab commands are sent from
        self.button = big_button("채점받기", icon="check-square-o", button_style="success")
        self.button.on_click(lambda _: self.grade())
        self.feedback = big_button("자세한 피드백 열기", icon="file-text-o")
        self.feedback.layout.display = "none"
        self.feedback.on_click(lambda _: self.open_feedback())
        self.feedback_page: Path | None = None
        home = big_button("과정 첫 화면으로", icon="home")
        home.on_click(lambda _: self.go_home())
        self.frame = w.VBox([self.button, self.status, self.result, w.HBox([self.feedback, home]), self.page])
        self.frame.add_class("course-grade")

    def say(self, icon: str, words: str, colour: str = "#1a5fb4") -> None:
        self.status.value = f'<div style="font-size:20px">{status_html(icon, words, colour)}</div>'

    def save(self) -> bool:
        """Ask JupyterLab to save the notebook; ``True`` once the file on disk is newer."""
        path = self.folder / f"{self.notebook}.ipynb"
        before = path.stat().st_mtime if path.exists() else 0.0
        with self.page:
            display(lab_command("docmanager:save"))
        deadline = time.monotonic() + SAVE_WAIT
        while time.monotonic() < deadline:
            if path.exists() and path.stat().st_mtime > before:
                return True
            time.sleep(0.2)
        return False

    def grade(self) -> None:
        from course.selfcheck import SELF, check

        self.button.disabled = True
        self.result.value = ""
        self.feedback.layout.display = "none"
        try:
            self.say("💾", "노트북을 저장하고 있어요.")
            saved = self.save()
            self.say("⏳", "채점하고 있어요. 1~2분쯤 걸려요. 기다려 주세요.")
            root = course_root()
            assignment = self.folder.name
            outcome = check(assignment, self.folder, root)
            autograded = root / "autograded" / SELF / assignment / f"{self.notebook}.ipynb"
            items = item_results(autograded, grade_scores(root, assignment, SELF))
        except CourseError as error:
            self.say("⚠️", error.korean, "#a51d2d")
            return
        finally:
            self.button.disabled = False
        unsaved = "" if saved else "<div>(저장이 확인되지 않아서 마지막으로 저장된 노트북을 채점했어요.)</div>"
        self.result.value = (
            f"<div style='font-size:26px;font-weight:bold'>점수: {outcome.score:g} / {outcome.max_score:g}점</div>"
            f"{unsaved}{''.join(item.html() for item in items)}"
        )
        self.say("✔", "채점이 끝났어요. 고치고 싶으면 답을 바꾸고 다시 눌러 보세요.", "#26a269")
        self.feedback_page = next(iter(outcome.feedback), None)
        if self.feedback_page is not None:
            self.feedback.layout.display = ""

    def open_feedback(self) -> None:
        """Open the feedback page in JupyterLab (the server's folder is the course folder)."""
        if self.feedback_page is None:
            return
        path = self.feedback_page.relative_to(course_root()).as_posix()
        with self.page:
            display(lab_command("docmanager:open", {"path": path}))

    def go_home(self) -> None:
        """Back to the course home page, where every module's progress and score are."""
        with self.page:
            display(GO_HOME)

    def _ipython_display_(self) -> None:
        display(self.frame)


def finish(notebook: str) -> w.Widget | GradeButton:
    """The notebook's last cell: the 채점받기 button, or on a hub where to submit."""
    if on_hub():
        return html_line(
            "<b>다 했으면 Ctrl + S 로 저장하고, 왼쪽 메뉴의 과제 목록에서 이 과제의 '제출' 단추를 눌러 주세요.</b>"
        )
    return GradeButton(notebook)
