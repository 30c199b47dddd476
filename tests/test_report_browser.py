"""The class report opened the way an instructor opens it: from JupyterLab's file server, in Chromium.

A generated class of 30 learners on every assignment (scored without nbgrader, which
would take many minutes); the page is written into the course folder's ``reports/`` and
served by ``course lab`` at ``/files/reports/class-report.html``, as on the hub.
Screenshots of each section land in ``test-artifacts/report-*.png``.
"""
import os
import shutil

import pytest

from course.classroom import Classroom, scored_here
from course.paths import assignments
from course.report import CSV, PAGE, REPORTS, render
from course.report.data import FLAG_COLUMNS, frame
from helpers import REPO, course_copy
from labserver import TOKEN, running_lab

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
SECTIONS = ["progress", "items", "options", "labeling", "time", "flags", "completion"]

if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run)")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine: apt-get install chromium"),
]


def test_the_class_report_opens_from_jupyterlab_with_every_chart_drawn_in_large_korean_text(tmp_path):
    from playwright.sync_api import sync_playwright

    root = course_copy(tmp_path)
    data = scored_here(Classroom(30), root, assignments(root))
    data.flags = frame([  # what the grading flags and a failed autograde add (not simulated by scored_here)
        ["learner07", "04_big_data_tasting_2", "04_big_data_tasting_2", "q6_test", "cell_timeout",
         "이 칸이 60초 안에 끝나지 않아서 0점이에요.", "cell q6 exceeded Execute.timeout (60 s)"],
        ["learner12", "07_fit2_data_lab", "07_fit2_data_lab", None, "not_graded", "채점 결과가 없어요.",
         "submitted/learner12/07_fit2_data_lab/07_fit2_data_lab.ipynb has no autograded result"],
    ], FLAG_COLUMNS)
    text, done = render(data)
    (root / REPORTS).mkdir()
    (root / REPORTS / PAGE).write_text(text, encoding="utf-8")
    done.to_csv(root / REPORTS / CSV, index=False)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_lab(root) as lab, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900}, locale="ko-KR")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        reply = page.goto(f"{lab.url}/files/{REPORTS}/{PAGE}?token={TOKEN}")
        assert reply.status == 200
        charts = page.locator(".plotly-graph-div")
        page.wait_for_function(
            "Array.from(document.querySelectorAll('.plotly-graph-div')).every(chart => chart.querySelector('.main-svg .trace, .main-svg .hm'))",
            timeout=60_000,
        )  # every chart has drawn its data (a trace, or a heat map image)
        assert charts.count() == 3 and errors == []  # progress heat map, item scatter, time boxes
        assert page.locator("h1").inner_text() == "우리 반 학습 현황"
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"
        smallest = page.evaluate(
            "Math.min(...Array.from(document.querySelectorAll('main p, main td, main th, nav a, .tag, .bar .label'))"
            ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
        )
        assert smallest >= 18
        assert page.locator("#progress .js-plotly-plot .ytick").count() == 30  # a row per learner
        first = page.locator("#options .question").first
        assert first.locator(".tag.top").count() >= 1 and first.locator(".tag.right").count() >= 1
        assert page.locator("#completion tbody tr").count() == 30
        assert page.locator("#flags").get_by_text("칸 실행 시간 초과").count() >= 1
        page.screenshot(path=str(ARTIFACTS / "report-top.png"))
        for anchor in SECTIONS:
            target = page.locator(f"#{anchor} .question").first if anchor == "options" else page.locator(f"#{anchor}")
            target.screenshot(path=str(ARTIFACTS / f"report-{anchor}.png"))
        browser.close()
