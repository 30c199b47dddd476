"""The classroom's cost per learner: login to a ready JupyterLab, and memory idle and running 07.

Starts the real classroom (``make hub``'s: JupyterHub, proxy, PostgreSQL, course service,
real accounts) with N learners (run as root), then for each learner in turn:

- logs in on the hub's login page in headless Chromium and times until JupyterLab's menu
  shows (the hub spawns the learner's server in between). Baseline, same run: reloading
  JupyterLab on the now running server, so the ratio is what starting a server adds;
- measures the memory of the idle server (its process tree, proportional set size);
- runs ``07_fit2_data_lab`` top to bottom as the full-marks learner in a kernel on that
  server, and measures the server and kernel again (the kernel's peak resident memory too).

From these: how many learners one 2-core, 24 GiB machine holds.

    python benchmarks/hub.py --learners 2        # writes benchmarks/results/hub.md
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course.hub import COURSE_ID  # noqa: E402
from course.hub.accounts import give  # noqa: E402
from course.hub.classroom import Classroom  # noqa: E402
from course.hub.client import ServerKernel, request  # noqa: E402
from course.learners import write_learner  # noqa: E402

LAB = "07_fit2_data_lab"
MACHINE_GIB, MACHINE_CORES = 24, 2
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def pss_mib(pids: list[int]) -> float:
    """Proportional set size of ``pids`` together (shared libraries split fairly), in MiB."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            continue
    return total / ticks


def login_seconds(browser, room: Classroom, name: str) -> tuple[float, float]:
    """(login → JupyterLab's menu shown, reload of the ready JupyterLab) in seconds."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="ko-KR")
    page.goto(f"{room.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", room.accounts[name].password)
    started = time.perf_counter()
    page.click("#login_submit")
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=파일", timeout=300_000)
    login = time.perf_counter() - started
    started = time.perf_counter()
    page.reload()
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=파일", timeout=300_000)
    reload = time.perf_counter() - started
    page.close()
    return login, reload


def run_lab(room: Classroom, name: str, token: str) -> tuple[float, float, float]:
    """Fetch 07, answer it as the full learner, run it in a kernel on the server.

    Returns (kernel peak MiB, server + kernel PSS MiB after the run, kernel CPU seconds)."""
    reply = request(room.hub.user_url(name, "assignments/fetch"), token, "POST", form={"course_id": COURSE_ID, "assignment_id": LAB})
    assert reply.status == 200, reply.text
    folder = room.accounts[name].home / COURSE_ID / LAB
    write_learner("full", room.course_root / "source" / LAB / f"{LAB}.ipynb", folder)
    give(room.accounts[name], folder)
    notebook = f"{COURSE_ID}/{LAB}/{LAB}.ipynb"
    kernel = ServerKernel(room.hub, name, token, notebook)
    try:
        cells = request(room.hub.user_url(name, f"api/contents/{notebook}"), token).json()["content"]["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                kernel.run(cell["source"])
        server = room.hub.server_pid(name)
        pids = tree(server)
        kernels = [pid for pid in pids if "ipykernel" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
        return max(peak_mib(pid) for pid in kernels), pss_mib(pids), cpu_seconds(kernels)
    finally:
        kernel.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--learners", type=int, default=2)
    options.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "hub.md")
    args = options.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        roster = Path(folder) / "roster.csv"
        with roster.open("w", newline="") as stream:
            rows = csv.writer(stream)
            rows.writerow(["name", "role"])
            rows.writerow(["instructor", "instructor"])
            rows.writerows([f"learner{n}", "learner"] for n in range(1, args.learners + 1))
        with Classroom(roster, prefix="bench", log=lambda line: None) as room, sync_playwright() as play:
            room.release(LAB)
            base = pss_mib(tree(room.hub_process.pid)) + pss_mib(tree(room.database.pid()))
            browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            rows = []
            for name in room.learners:
                login, reload = login_seconds(browser, room, name)
                time.sleep(5)  # let the new server settle
                idle = pss_mib(tree(room.hub.server_pid(name)))
                peak, busy, cpu = run_lab(room, name, room.hub.token_for(name))
                rows.append({"login": login, "reload": reload, "idle": idle, "peak": peak, "busy": busy, "cpu": cpu})
            browser.close()
    write(args.out, rows, base)


def write(path: Path, rows: list[dict], base: float) -> None:
    med = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    per_learner = max(row["busy"] for row in rows)  # every learner running 07 at once, the worst measured
    by_memory = int((MACHINE_GIB * 1024 - base) // per_learner)
    by_cpu = int(MACHINE_CORES * 0.5 * 2400 / max(med["cpu"], 0.1))
    lines = [
        "# Classroom benchmark (JupyterHub)",
        "",
        f"{date.today()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"`python benchmarks/hub.py --learners {len(rows)}` (as root)",
        "",
        "The real classroom of `make hub` (JupyterHub, configurable-http-proxy, PostgreSQL, the course",
        "service, real accounts). Each learner logs in on the login page in headless Chromium; the hub",
        "starts their server; then they run `07_fit2_data_lab` top to bottom as the full-marks learner in",
        "a kernel on that server. Memory is the proportional set size (PSS) of the learner's server and",
        "its kernels; the baseline for time is reloading JupyterLab on the running server. The machine",
        "was shared with other work while measuring: read the times as upper bounds.",
        "",
        "| learner | login → JupyterLab ready s | × reload | idle server MiB | kernel peak MiB (07) | server + kernel MiB (07) | kernel CPU s (07) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for number, row in enumerate(rows, 1):
        lines.append(f"| {number} | {row['login']:.1f} | {row['login'] / row['reload']:.1f} | {row['idle']:.0f} | "
                     f"{row['peak']:.0f} | {row['busy']:.0f} | {row['cpu']:.1f} |")
    lines += [
        "",
        f"Shared by the whole class: hub, proxy, course service and PostgreSQL together {base:.0f} MiB.",
        "",
        "## How many learners one 2-core, 24 GiB machine holds",
        "",
        f"- Memory: every learner with 07 open and run ({per_learner:.0f} MiB each, the largest measured) →",
        f"  ({MACHINE_GIB} GiB − {base:.0f} MiB) / {per_learner:.0f} MiB ≈ **{by_memory} learners**;"
        f" idle servers alone ({med['idle']:.0f} MiB) would allow {int((MACHINE_GIB * 1024 - base) // med['idle'])}.",
        f"- CPU: running all of 07 costs a kernel {med['cpu']:.1f} CPU seconds. Spread over a 40-minute",
        f"  notebook, and keeping the {MACHINE_CORES} cores at most half busy: {MACHINE_CORES} × 0.5 × 2400 s /"
        f" {med['cpu']:.1f} s ≈ **{by_cpu} learners**.",
        f"- So: **about {min(by_memory, by_cpu)} learners** on one such machine. The crowded moment is the start",
        f"  of a class: a login takes about {med['login']:.0f} s here while the hub starts the server, so let learners",
        "  log in over the first minutes, or start their servers ahead of class (the hub's REST API, as the",
        "  tests do). Beyond that, Zero to JupyterHub (hub/values.yaml, 1 GiB limit per learner) on a cluster.",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
