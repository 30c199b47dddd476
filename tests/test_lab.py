"""``make lab``'s server: the lab page, the Korean interface, large fonts, the learner's notebooks."""
import json
import re
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


def test_learner_mode_opens_on_the_course_home_without_instructor_or_exchange_tools(tmp_path):
    from course.jupyterlab import EXCHANGE_PLUGINS, INSTRUCTOR_PLUGINS
    from helpers import set_answers

    root = course_copy(tmp_path, ["00_getting_started", "01_fourth_industrial_era"])
    with running_lab(root) as lab:
        mine = root / WORK / "00_getting_started"
        set_answers(mine, "00_getting_started", {"q1": "Shift + Enter", "q2": 9, "p1": "3"})  # two graded, one practice
        status, page = lab.get("/")  # what `make lab` opens
        assert status == 200 and "빅데이터 워커 과정" in page
        assert page.index("0. 주피터 시작하기") < page.index("1. 알고 가자 4차 산업 시대")
        assert "2 / 5 문제 답함" in page and "0 / 6 문제 답함" in page
        assert "아직 채점받지 않았어요" in page
        assert f'href="/lab/tree/{WORK}/00_getting_started/00_getting_started.ipynb"' in page
        assert "00_getting_started" not in page.replace(f"/lab/tree/{WORK}/00_getting_started/00_getting_started.ipynb", "")
        _, lab_page = lab.get("/lab")
        config = json.loads(re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', lab_page, re.S).group(1))
        disabled = config["disabledExtensions"]
        assert set(INSTRUCTOR_PLUGINS) | set(EXCHANGE_PLUGINS) <= set(disabled)
        assert config["exposeAppInBrowser"] is True  # 채점받기 saves the notebook through the page's app
        assert ".jp-PlaceholderText { display: none; }" in lab.get("/custom/custom.css")[1]  # folded code shows no line
