"""A self-learner's path in a real JupyterLab (``course lab``) and headless Chromium:
the course home opens first, question code is folded, and 채점받기 saves, grades and shows the score.

Screenshots land in ``test-artifacts/`` to be looked at.
"""
import re

from course.cells import is_check, is_question
from course.learners import make_learner
from course.paths import WORK
from helpers import course_copy, set_cell
from labserver import TOKEN
from test_browser import ARTIFACTS, lab_page, menu, pytestmark, wait_until_run  # noqa: F401  (the same browser marks)
from test_numbering import INTERNAL_ID, visible_text

A = "00_getting_started"


def test_home_then_notebook_with_folded_question_code_then_grading_with_one_button(tmp_path):
    import nbformat

    root = course_copy(tmp_path)
    make_learner("full", A, root, root / WORK / A)
    set_cell(root / WORK / A, A, "q3", "steps_total = ___\nsteps_total")  # this blank is typed in the browser, unsaved
    released = nbformat.read(str(root / "release" / A / f"{A}.ipynb"), as_version=4)
    folded = sum(is_question(c) or is_check(c) for c in released.cells)
    ARTIFACTS.mkdir(exist_ok=True)
    with lab_page(root) as page:
        try:
            page.goto(f"{page.lab.url}/?token={TOKEN}")  # where `make lab` opens the browser
            page.wait_for_selector("a.module", timeout=60_000)
            assert "/course/home" in page.url
            assert page.locator("a.module").count() == len(list((root / "release").glob("*/*.ipynb")))  # one per notebook
            assert page.locator("h1").inner_text().startswith("빅데이터 워커 과정")
            page.screenshot(path=str(ARTIFACTS / "home.png"))

            page.locator("a.module", has_text="주피터 시작하기").click()
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.wait_for_timeout(1000)
            # Question and check code is folded: an unfold bar (•••) instead of the Python, not even its first line
            assert page.locator(".jp-Cell .jp-InputPlaceholder:visible").count() == folded
            assert page.locator(".jp-PlaceholderText:visible").count() == 0
            assert page.locator(".jp-InputArea-editor:visible", has_text="nb.choice(").count() == 0

            menu(page, "실행", "모든 셀 실행")
            wait_until_run(page)
            page.locator(".course-question", has_text="문제 1 (1점)").first.scroll_into_view_if_needed(timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / "question-code-folded.png"))

            blank = page.locator(".jp-CodeCell", has_text="steps_total = ___").locator(".cm-content")
            blank.click()
            page.keyboard.press("Control+a")
            page.keyboard.type("steps_total = 5200 + 6800 + 7400\nsteps_total")
            assert page.locator(".jp-mod-dirty").count() >= 1  # typed, not saved

            grade = page.locator(".course-grade button", has_text="채점받기")
            grade.scroll_into_view_if_needed(timeout=60_000)
            grade.click()
            result = page.locator(".course-grade", has_text="점수:")
            result.wait_for(timeout=300_000)
            text = page.locator(".course-grade").inner_text()
            assert re.search(r"점수: 8 / 8점", text), text  # the typed blank was saved, then graded
            for number in range(1, 6):
                assert f"문제 {number}:" in text
            result.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "grade-button.png"))

            # nbgrader's real feedback page: the same numbers, the notebook's Korean title, no internal id
            feedback = (root / "feedback" / "self" / A / f"{A}.html").read_text(encoding="utf-8")
            words = visible_text(feedback)
            assert "0. 주피터 시작하기 채점 결과" in words and "점수: 8 / 8점" in words
            assert all(f"문제 {n} 채점" in words for n in range(1, 6)) and not INTERNAL_ID.search(words)
            page.locator(".course-grade button", has_text="자세한 피드백 열기").click()
            page.locator(".lm-TabBar-tab", has_text=f"{A}.html").wait_for(timeout=60_000)
            page.wait_for_timeout(2000)
            page.screenshot(path=str(ARTIFACTS / "feedback-page.png"))

            page.locator(".lm-TabBar-tab", has_text=f"{A}.ipynb").click()  # back to the notebook's tab
            page.locator(".course-grade button", has_text="과정 첫 화면으로").click()
            page.wait_for_selector("a.module", timeout=60_000)
            first = page.locator("a.module").first.inner_text()
            assert "점수: 8 / 8점" in first and "5 / 5 문제 답함" in first, first
            page.screenshot(path=str(ARTIFACTS / "home-after-grading.png"))
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "failed-learner-path.png"))
            raise
