"""A learner's session in a real JupyterLab, driven in headless Chromium.

Screenshots land in ``test-artifacts/`` to be looked at.
"""
import os
import shutil
from pathlib import Path

import pytest

from helpers import REPO, course_copy
from labserver import TOKEN, running_lab

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]

if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run)")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine: apt-get install chromium"),
]


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    root = course_copy(tmp_path)
    with running_lab(root) as lab, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        view = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
        view.lab = lab
        yield view
        browser.close()


def open_notebook(page, assignment):
    page.goto(f"{page.lab.url}/lab/tree/work/{assignment}/{assignment}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)


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
    assert (page.lab.root / "work" / A / f"{A}.answers.json").exists()

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
def test_every_released_notebook_shows_its_widgets_and_charts(page, assignment):
    """Run All on the learner's copy: the questions render as widgets, the charts draw, no raw traceback."""
    open_notebook(page, assignment)
    menu(page, "실행", "모든 셀 실행")
    wait_until_run(page)
    first = page.locator(".course-question").first
    first.wait_for(timeout=60_000)
    first.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{assignment}-question.png"))
    release = (REPO / "release" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    if "fig.show()" in release or "px." in release:
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed(timeout=60_000)
        chart.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / f"{assignment}-chart.png"))
    # An error a learner meets before answering (a blank left as ___) comes with the Korean
    # explanation; the bare traceback is folded away under '자세히 보기'.
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    for index in range(errors.count()):
        text = errors.nth(index).inner_text()
        assert "Traceback" not in text, text
