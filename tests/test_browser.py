"""A learner's session in a real JupyterLab, driven in headless Chromium.

Screenshots land in ``test-artifacts/`` to be looked at.
"""
import json
import os
import re
import shutil
from contextlib import contextmanager

import pytest

from course.paths import WORK
from helpers import REPO, course_copy
from labserver import TOKEN, running_lab

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
PLOTLY = "application/vnd.plotly.v1+json"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run)")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine: apt-get install chromium"),
]


@contextmanager
def lab_page(root):
    """JupyterLab served on ``root`` (by the course's own command) and a Korean browser page on it."""
    from playwright.sync_api import sync_playwright

    with running_lab(root) as lab, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        view = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
        view.lab = lab
        yield view
        browser.close()


@pytest.fixture
def page(tmp_path):
    with lab_page(course_copy(tmp_path)) as view:
        yield view


def open_notebook(page, assignment):
    page.goto(f"{page.lab.url}/lab/tree/{WORK}/{assignment}/{assignment}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.wait_for_timeout(1000)  # let the widget manager finish connecting to the new kernel


def wait_until_run(page):
    """Wait until no cell is queued or running (no '[*]' prompt) — a learner waits the same way."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "!Array.from(document.querySelectorAll('.jp-InputPrompt')).some(e => e.textContent.includes('*'))",
        timeout=120_000,
    )


def menu(page, top, item):
    """Click a menu item by its exact Korean label, as the learner reads it."""
    page.locator(".lm-MenuBar-itemLabel").get_by_text(top, exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def test_a_choice_survives_restart_and_the_interface_is_korean_with_large_fonts(page):
    A = "00_getting_started"
    open_notebook(page, A)
    assert page.locator(".lm-MenuBar-itemLabel", has_text="파일").count() == 1
    assert page.locator(".lm-MenuBar-itemLabel", has_text="커널").count() == 1
    size = "getComputedStyle(document.querySelector('.jp-RenderedHTMLCommon')).fontSize"
    page.wait_for_function(f"{size} === '20px'", timeout=30_000)  # the shipped overrides.json, not the 14px default

    menu(page, "실행", "모든 셀 실행")
    wait_until_run(page)
    choice = page.locator(".course-question button", has_text="Shift + Enter")
    choice.wait_for(timeout=60_000)
    choice.click()
    page.locator(".course-question", has_text="답을 저장했어요").first.wait_for(timeout=60_000)
    assert (page.lab.root / WORK / A / f"{A}.answers.json").exists()

    menu(page, "커널", "커널 재시작와 모든 셀 실행")  # the language pack's wording, quoted in the notebook
    page.locator(".jp-Dialog button", has_text="재시작").click()
    wait_until_run(page)
    question = page.locator(".course-question", has_text="문제 1 (1점)")
    question.scroll_into_view_if_needed(timeout=60_000)
    restored = question.locator("button", has_text="Shift + Enter")
    page.wait_for_function(
        "el => el.innerText.includes('선택함')", arg=restored.element_handle(timeout=60_000), timeout=60_000
    )
    assert "선택함" not in question.locator("button", has_text="Esc").inner_text()
    question.locator("text=저장된 답을 다시 불러왔어요").wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{A}.png"))


ASSIGNMENTS = sorted(p.name for p in (REPO / "release").iterdir() if p.is_dir())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_finished_notebook_runs_clean_with_its_widgets_charts_and_a_full_progress_bar(tmp_path, assignment):
    """The sample learner "full"'s copy, Run All in JupyterLab: every item counts as answered
    (widgets and code blanks alike), the charts draw, and no cell shows an error."""
    from course.learners import make_learner

    root = course_copy(tmp_path, [assignment])
    make_learner("full", assignment, root, root / WORK / assignment)
    release = (REPO / "release" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    items = int(re.search(r"items=(\d+)", release).group(1))
    with lab_page(root) as page:
        try:
            open_notebook(page, assignment)
            menu(page, "실행", "모든 셀 실행")
            wait_until_run(page)
            progress = page.locator(".course-progress")
            progress.wait_for(timeout=60_000)
            page.wait_for_function(
                "text => document.querySelector('.course-progress').innerText.includes(text)",
                arg=f"{items} / {items} 문제 답함", timeout=60_000,
            )
            ARTIFACTS.mkdir(exist_ok=True)
            question = page.locator(".course-question", has_text="저장된 답을 다시 불러왔어요").first
            question.scroll_into_view_if_needed(timeout=60_000)
            page.screenshot(path=str(ARTIFACTS / f"{assignment}-question.png"))
            page.set_viewport_size({"width": 1400, "height": 3200})  # tall enough for a whole labeling widget
            page.keyboard.press("Control+s")
            page.wait_for_selector(".jp-mod-dirty", state="detached", timeout=60_000)
            saved = json.loads((root / WORK / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
            drawn = sum(PLOTLY in output.get("data", {}) for cell in saved["cells"] for output in cell.get("outputs", []))
            # the cells' own chart outputs (a chart inside a widget, such as a slider's, is not saved in them)
            charts = page.locator(".js-plotly-plot:not(.widget-output .js-plotly-plot)")
            assert charts.count() == drawn  # every chart output is drawn on the page
            if re.search(r"\.show\(|go\.Figure|px\.(?!data\b)", release):  # draws a chart, not only loads px.data
                assert drawn > 0
            for index in range(drawn):  # each chart pictured on its own
                charts.nth(index).screenshot(path=str(ARTIFACTS / f"{assignment}-chart-{index + 1}.png"))
            labeling = page.locator(".course-sortinto")  # the label-a-set widgets, each pictured on its own
            for index in range(labeling.count()):
                labeling.nth(index).screenshot(path=str(ARTIFACTS / f"{assignment}-labeling-{index + 1}.png"))
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.first.inner_text()
        except Exception:  # keep what the learner would have seen, to look at
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"failed-{assignment}.png"))
            raise
