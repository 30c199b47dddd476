"""07's optional "내 데이터로 해 보기" in a real JupyterLab: a learner uploads their export .zip
with the upload button and sees a day chart drawn from it. The screenshot lands in
``test-artifacts/`` to be looked at."""
import zipfile
from datetime import date

import pytest

from course.fit2.generator import generate_export
from course.paths import WORK
from helpers import course_copy
from labserver import TOKEN
from test_browser import ARTIFACTS, CHROMIUM, lab_page, menu, wait_until_run

A = "07_fit2_data_lab"
NOTEBOOK = "my_data.ipynb"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="no Chromium on this machine: apt-get install chromium"),
]


def export_zip(tmp_path):
    """A generated 3-day export, zipped with its folder inside, as the phone's 'compress' makes it."""
    folder = generate_export(tmp_path / "phone", people=1, days=3, seed=707, start=date(2021, 6, 1))[0]
    archive = tmp_path / "samsunghealth_export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            out.write(path, path.relative_to(folder.parent).as_posix())
    return archive


def test_uploading_an_export_zip_draws_a_day_chart_from_it(tmp_path):
    archive = export_zip(tmp_path)
    root = course_copy(tmp_path, [A])
    with lab_page(root) as page:
        try:
            page.goto(f"{page.lab.url}/lab/tree/{WORK}/{A}/{NOTEBOOK}?token={TOKEN}")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.wait_for_timeout(1000)  # let the widget manager connect to the new kernel
            menu(page, "실행", "모든 셀 실행")
            wait_until_run(page)
            status = page.locator(".widget-html", has_text="아직 올린 파일이 없어요")
            status.wait_for(timeout=60_000)

            # ipywidgets' upload button opens a file chooser from an input kept out of the page
            with page.expect_file_chooser() as chooser:
                page.locator(".widget-upload", has_text=".zip 파일 고르기").click()
            chooser.value.set_files(str(archive))  # set_input_files on the FileUpload's own input
            page.locator(".widget-html", has_text="파일을 읽었어요").wait_for(timeout=120_000)
            chart = page.locator(".widget-output .js-plotly-plot")
            chart.wait_for(timeout=60_000)
            assert chart.count() == 1
            title = chart.locator(".gtitle").text_content()
            assert title == "내 2021년 06월 02일 (규칙 레이블)"  # the day with the most readings, from the upload
            assert chart.locator(".trace.bars").count() >= 1  # steps per minute drawn
            assert (root / WORK / A / "my_fit2_dataset" / "datacard.json").exists()
            assert not list((root / WORK / A).glob("*.zip"))  # the upload itself is not kept
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, errors.first.inner_text()
            ARTIFACTS.mkdir(exist_ok=True)
            chart.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"{A}-my-data-upload.png"))
            chart.screenshot(path=str(ARTIFACTS / f"{A}-my-data-chart.png"))
        except Exception:  # keep what the learner would have seen, to look at
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"failed-{A}-my-data.png"))
            raise
