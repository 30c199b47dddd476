"""``make lab``'s server: the lab page, the Korean interface, large fonts, the learner's notebooks."""
import signal
import time

import psutil

from course.paths import WORK
from helpers import course_copy
from labserver import running_lab
from processes import descendants, living


def test_lab_serves_the_course_in_korean_with_the_notebook_list(tmp_path):
    root = course_copy(tmp_path, ["00_getting_started"])
    (root / WORK / "00_getting_started").mkdir(parents=True)
    mine = root / WORK / "00_getting_started" / "00_getting_started.ipynb"
    mine.write_text('{"learner": "was here"}', encoding="utf-8")  # an existing copy is never replaced
    with running_lab(root) as lab:
        status, page = lab.get("/lab")
        assert status == 200 and "JupyterLab" in page
        korean = lab.json("/lab/api/translations/ko_KR")["data"]["jupyterlab"]
        assert korean["menu\x04File"] == ["파일"] and korean["Run All Cells"] == ["모든 셀 실행"]
        # overrides.json becomes the settings' defaults
        settings = lab.json("/lab/api/settings/@jupyterlab/translation-extension:plugin")
        assert settings["schema"]["properties"]["locale"]["default"] == "ko_KR"
        themes = lab.json("/lab/api/settings/@jupyterlab/apputils-extension:themes")
        assert themes["settings"]["overrides"]["content-font-size1"] == "20px"  # the course's user settings
        listing = lab.json(f"/api/contents/{WORK}/00_getting_started")
        assert [item["name"] for item in listing["content"]] == ["00_getting_started.ipynb"]
    assert mine.read_text(encoding="utf-8") == '{"learner": "was here"}'


def test_sigterm_stops_the_lab_and_every_kernel_it_started(tmp_path):
    """A supervisor's SIGTERM to ``course lab`` (started as users do) leaves no process of it."""
    root = course_copy(tmp_path, ["00_getting_started"])
    with running_lab(root) as lab:
        kernel = lab.post("/api/kernels", {"name": "python3"})
        family = wait_for_kernel_process(lab.process.pid)
        assert lab.process.args[1:3] == ["-m", "course"]  # the very process the user started …
        assert "jupyter-lab" in " ".join(psutil.Process(lab.process.pid).cmdline())  # … became the server
        lab.process.send_signal(signal.SIGTERM)
        assert lab.process.wait(timeout=30) is not None
        _, alive = psutil.wait_procs(family, timeout=10)
        assert living(alive) == [], f"kernel {kernel['id']} outlived course lab"


def wait_for_kernel_process(pid: int) -> list[psutil.Process]:
    """The server's descendants once its kernel process is running."""
    for _ in range(120):
        family = descendants(pid)
        if any("ipykernel" in " ".join(p.cmdline()) for p in living(family)):
            return family
        time.sleep(0.5)
    raise AssertionError("the kernel process never started")
