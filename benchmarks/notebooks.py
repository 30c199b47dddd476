"""Wall time and kernel peak memory of every notebook, run top to bottom as a full-marks learner.

Each notebook runs in a fresh kernel (as nbgrader's autograde does) from a copy of its
source with the sample learner "full"'s answers. The baseline, run the same way in the
same process, is a one-cell notebook that only imports the course package, so the ratio
says what the notebook itself costs. Budget per notebook: 10 s and 400 MiB.

    python benchmarks/notebooks.py            # writes benchmarks/results/notebooks.md
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
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from course.authoring import given, notebook  # noqa: E402
from course.learners import write_learner  # noqa: E402

BUDGET_SECONDS, BUDGET_MIB = 10.0, 400.0


def peak_mib(pid: int) -> float:
    """The kernel process's peak resident memory (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def run(nb: nbformat.NotebookNode, folder: Path) -> tuple[float, float]:
    """Seconds from kernel start to the last cell, and the kernel's peak MiB."""
    manager = KernelManager(kernel_name="python3")
    started = time.perf_counter()
    manager.start_kernel(cwd=str(folder))
    try:
        NotebookClient(nb, km=manager, timeout=120, allow_errors=False, resources={"metadata": {"path": str(folder)}}).execute()
        seconds = time.perf_counter() - started
        return seconds, peak_mib(manager.provisioner.pid)
    finally:
        manager.shutdown_kernel(now=True)


def full_learner(assignment: str, work: Path) -> nbformat.NotebookNode:
    """The source notebook (solutions and hidden tests) with the full learner's saved answers."""
    folder = work / assignment
    shutil.copytree(REPO / "source" / assignment, folder, ignore=shutil.ignore_patterns("*.answers.json*"))
    write_learner("full", REPO / "source" / assignment / f"{assignment}.ipynb", folder)
    return nbformat.read(str(folder / f"{assignment}.ipynb"), as_version=4)


def main() -> int:
    assignments = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())
    rows, over = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_seconds, base_mib = run(notebook([given("setup", "import course")]), work)
        for name in assignments:
            print(f"… {name}", flush=True)
            seconds, mib = run(full_learner(name, work), work / name)
            rows.append((name, seconds, mib))
            if seconds > BUDGET_SECONDS or mib > BUDGET_MIB:
                over.append(name)
    lines = [
        "# Notebook benchmark",
        "",
        f"{date.today()} · {os.cpu_count()} cores · Python {platform.python_version()} · `python benchmarks/notebooks.py`",
        "",
        "Each notebook runs top to bottom in a fresh kernel as the full-marks learner (time from kernel",
        "start to the last cell; peak resident memory of the kernel). Baseline: a kernel that only",
        f"imports `course`: {base_seconds:.2f} s, {base_mib:.0f} MiB. Budget: {BUDGET_SECONDS:g} s and {BUDGET_MIB:g} MiB.",
        "",
        "| notebook | seconds | × baseline | peak MiB | × baseline | within budget |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, seconds, mib in rows:
        ok = "yes" if name not in over else "**no**"
        lines.append(f"| {name} | {seconds:.2f} | {seconds / base_seconds:.1f} | {mib:.0f} | {mib / base_mib:.1f} | {ok} |")
    report = "\n".join(lines) + "\n"
    (REPO / "benchmarks" / "results" / "notebooks.md").write_text(report, encoding="utf-8")
    print(report)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
