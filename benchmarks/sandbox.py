"""What the grading sandbox costs: each release notebook bare and in bubblewrap, side by side.

Every release notebook, filled in by the sample learner "full", runs top to bottom in a
fresh kernel twice per round, in the same process: once as ``jupyter execute`` runs it
(nbclient's own kernel manager) and once through ``SandboxedKernelManager`` (bubblewrap,
limits, a private copy of the folder). The order alternates from round to round and the
best of the rounds counts for each, so a busy moment on a shared machine does not decide
the ratio. The time is all of ``execute()``: kernel start, every cell, shutdown. Goal:
the sandboxed run within 1.15 times the bare one. A one-cell notebook, run three times as
often, shows the sandbox's own cost per kernel with the least noise; the machine's load
average is written beside the results, since other work on a shared machine moves them.

    python benchmarks/sandbox.py [ROUNDS]     # writes benchmarks/results/sandbox.md
"""
from __future__ import annotations

import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course.grading.sandbox import SandboxedKernelManager  # noqa: E402
from course.learners import write_learner  # noqa: E402

GOAL = 1.15
MANAGERS = {"bare": AsyncKernelManager, "sandboxed": SandboxedKernelManager}


def learner_folders(work: Path) -> list[Path]:
    """A one-cell notebook, then each release notebook filled in by the full learner, in a folder
    of its own assignment."""
    (work / "one_cell").mkdir()
    notebooks = [work / "one_cell" / "one_cell.ipynb"]
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), str(notebooks[0]))
    for release in sorted(p for p in (REPO / "release").iterdir() if p.is_dir()):
        folder = work / release.name
        shutil.copytree(release, folder)
        for source in sorted((REPO / "source" / release.name).glob("*.ipynb")):
            write_learner("full", source, folder)
        notebooks += sorted(folder.glob("*.ipynb"))
    return notebooks


def seconds(path: Path, manager: type) -> float:
    """How long one run of the notebook at ``path`` takes with kernels from ``manager``."""
    nb = nbformat.read(str(path), as_version=4)
    started = time.perf_counter()
    NotebookClient(nb, kernel_manager_class=manager, timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - started


def measure(notebooks: list[Path], rounds: int) -> dict[Path, dict[str, float]]:
    """The best time of each notebook under each kernel manager, interleaved."""
    best = {path: {name: float("inf") for name in MANAGERS} for path in notebooks}
    seconds(notebooks[0], SandboxedKernelManager)  # warm-up: the disk cache, the sandbox's one-off probe
    for round_ in range(rounds):
        for path in notebooks:
            order = list(MANAGERS) if round_ % 2 == 0 else list(reversed(MANAGERS))
            for name in order * (3 if path == notebooks[0] else 1):
                best[path][name] = min(best[path][name], seconds(path, MANAGERS[name]))
        print(f"round {round_ + 1}/{rounds} done", file=sys.stderr)
    return best


def report(best: dict[Path, dict[str, float]], rounds: int, load: tuple[float, float]) -> str:
    rows = []
    for path, times in best.items():
        rows.append(f"| {path.parent.name}/{path.name} | {times['bare']:.2f} | {times['sandboxed']:.2f} | {times['sandboxed'] / times['bare']:.2f} |")
    (_, kernel), *courses = best.items()
    bare = sum(t["bare"] for _, t in courses)
    boxed = sum(t["sandboxed"] for _, t in courses)
    worst = max(t["sandboxed"] / t["bare"] for _, t in courses)
    return "\n".join([
        "# The grading sandbox's cost per notebook",
        "",
        f"{date.today()}, {platform.machine()}, {os.cpu_count()} cores (shared; load average {load[0]:.1f} before,"
        f" {load[1]:.1f} after), Python {platform.python_version()}, best of {rounds} interleaved rounds;"
        f" `python benchmarks/sandbox.py {rounds}`.",
        "",
        "Each release notebook, filled in by the sample learner \"full\", in a fresh kernel: `bare` as",
        "`jupyter execute` runs it, `sandboxed` through `SandboxedKernelManager` (bubblewrap, limits,",
        "a private copy of the folder). Seconds from kernel start to shutdown.",
        "",
        "| notebook | bare (s) | sandboxed (s) | ratio |",
        "|---|---:|---:|---:|",
        *rows,
        f"| **all course notebooks** | **{bare:.2f}** | **{boxed:.2f}** | **{boxed / bare:.2f}** |",
        "",
        f"The sandbox's own cost per kernel (the one-cell notebook, best of {3 * rounds}):"
        f" {kernel['sandboxed'] - kernel['bare']:+.2f} s.",
        f"Goal: at most {GOAL}× per notebook. Worst course notebook: {worst:.2f}×; all together:"
        f" {boxed / bare:.2f}× ({'met' if worst <= GOAL else 'not met in this run'}).",
        "",
    ])


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    before = os.getloadavg()[1]
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as work:
        best = measure(learner_folders(Path(work)), rounds)
    text = report(best, rounds, (before, os.getloadavg()[1]))
    (REPO / "benchmarks" / "results" / "sandbox.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
