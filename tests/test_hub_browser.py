"""A learner and an instructor in Chromium through a real JupyterHub classroom.

The learner logs in on the hub's login page, gets JupyterLab in Korean with large text and
the learner tools only, fetches 00 from the Assignments panel, runs it, answers with a
button and submits; the instructor opens the formgrader inside the course service's
JupyterLab (an iframe, which JupyterHub >= 4.1 blocks unless the server allows it) and
finds the submission. Screenshots land in ``test-artifacts/hub-*.png``.
"""
import pytest

from hubclass import COURSE, classroom, skip_or_fail
from test_browser import ARTIFACTS, CHROMIUM, FLAGS, menu, wait_until_run

A = "00_getting_started"
pytestmark = [pytest.mark.hub, pytest.mark.browser, skip_or_fail(),
              pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine: apt-get install chromium")]


def log_in(browser, room, name):
    """A fresh browser window, logged in on the hub's login page with the member's password."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    page.goto(f"{room.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", room.accounts[name].password)
    page.click("#login_submit")
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hub-{name}.png"))


def learner_submits(page, room, name):
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=파일", timeout=180_000)  # the Korean interface
    assert f"/user/{name}/lab" in page.url
    page.locator(".lm-MenuBar-itemLabel").get_by_text("Nbgrader", exact=True).click()
    items = page.locator(".lm-Menu-itemLabel")
    labels = [items.nth(i).inner_text() for i in range(items.count())]
    assert "Assignment List" in labels and not any("Formgrader" in label or "Create" in label for label in labels), labels
    items.get_by_text("Assignment List", exact=True).click()
    page.locator("button", has_text="Fetch").first.click(timeout=60_000)
    page.locator("button", has_text="Submit").first.wait_for(timeout=60_000)
    shot(page, "1-learner-assignments")

    page.goto(f"{room.url}/user/{name}/lab/tree/{COURSE}/{A}/{A}.ipynb")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.wait_for_selector(".jp-RenderedHTMLCommon", timeout=60_000)
    size = "getComputedStyle(document.querySelector('.jp-RenderedHTMLCommon')).fontSize"
    page.wait_for_function(f"{size} === '20px'", timeout=30_000)  # the course's large text
    page.wait_for_timeout(1000)
    menu(page, "실행", "모든 셀 실행")
    wait_until_run(page)
    page.locator(".course-question button", has_text="Shift + Enter").click(timeout=60_000)
    page.locator(".course-question", has_text="답을 저장했어요").first.wait_for(timeout=60_000)
    page.keyboard.press("Control+s")
    page.wait_for_selector(".jp-mod-dirty", state="detached", timeout=60_000)
    shot(page, "2-learner-answered")

    menu(page, "Nbgrader", "Assignment List")  # the page was reloaded: its tab may not have been restored
    page.locator("button", has_text="Submit").first.click()
    page.locator("#submitted_assignments_list", has_text=A).wait_for(timeout=60_000)
    shot(page, "3-learner-submitted")


def instructor_sees_the_submission(page, room, learner):
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=파일", timeout=180_000)
    page.goto(f"{room.url}/services/{COURSE}/lab")
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=Nbgrader", timeout=120_000)
    menu(page, "Nbgrader", "Formgrader")
    frame = page.frame_locator("iframe")
    row = frame.locator("tr", has_text=A)
    row.locator("td.collect a").click(timeout=60_000)  # nbgrader's collect button, then its log dialog
    frame.locator(".modal", has_text="Successfully collected").wait_for(timeout=60_000)
    shot(page, "4-instructor-collected")
    frame.locator(".modal-footer button").first.click()
    frame.locator("a", has_text="Manage Students").click()
    frame.locator("td", has_text=learner).wait_for(timeout=60_000)
    shot(page, "5-instructor-students")
    frame.locator("a", has_text="Manage Assignments").click()
    row = frame.locator("tr", has_text=A)
    row.wait_for(timeout=60_000)
    shot(page, "6-instructor-formgrader")
    return row.locator("td.num-submissions").inner_text()


def test_a_learner_submits_from_the_browser_and_the_instructor_sees_it_in_the_formgrader():
    from playwright.sync_api import sync_playwright

    with classroom() as room, sync_playwright() as play:
        room.release(A)
        learner, teacher = room.learners[0], room.instructors[0]
        browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = log_in(browser, room, learner)
        try:
            learner_submits(page, room, learner)
            inbound = room.state / "exchange" / COURSE / "inbound"
            assert [p.name.split("+")[0] for p in inbound.iterdir()] == [learner]
            page = log_in(browser, room, teacher)
            row = instructor_sees_the_submission(page, room, learner)
            assert row.strip() == "1"  # the formgrader counts one submission of 00
        except Exception:
            shot(page, "failed")
            raise
        finally:
            browser.close()
