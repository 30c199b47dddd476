"""Grading a class: sequential ``nbgrader autograde`` against ``course grade`` on 2 local workers.

A class of 30 learners made by ``course.classroom`` (the four sample learners, then varied
ones) hands in every assignment in ``source/``. The same submissions, in two copies of
one course folder, are graded in the same run:

- sequentially, one ``nbgrader autograde <assignment> --force`` after another (what an
  instructor runs without this course's tools);
- by ``course grade <every assignment> --workers 2 --force`` (Dask, one task per submission).

Both gradebooks must hold the same per-item scores. While each runs, the proportional
memory (PSS, so shared pages are not counted twice) of every worker's process tree
(worker, warm nbgrader, the nbgrader run, its kernel) is sampled; for the sequential run the
tree is nbgrader's own. Then the growth: ``course grade`` of 30 and of 120 learners on a
subset of the assignments. The load average is noted, as other work shares the cores.

    python benchmarks/grading.py                 # writes benchmarks/results/grading.md
    python benchmarks/grading.py --learners 4 --assignments 1 --growth 4,8 --out /tmp/grading.md   # a quick try
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nbgrader.api import Gradebook  # noqa: E402

from course.classroom import Classroom  # noqa: E402
from course.cycle import build, environment  # noqa: E402
from course.paths import assignments  # noqa: E402

COURSE_FILES = ("grader_config.py", "nbgrader_config.py")
SUBMITTED_AT = "2026-03-02 10:00:00.000000 UTC"
GOAL = 1.9
MiB = 1024 * 1024


def course_folder(target: Path, names: list[str]) -> Path:
    """A course folder with the configuration and ``source/`` of ``names``, the release built."""
    target.mkdir(parents=True)
    for name in COURSE_FILES:
        shutil.copy(REPO / name, target / name)
    for name in names:
        shutil.copytree(REPO / "source" / name, target / "source" / name, ignore=shutil.ignore_patterns("*.answers.json*"))
    build(names, target)
    return target


def hand_in(root: Path, names: list[str], classroom: Classroom) -> int:
    """Every learner of ``classroom`` hands in every assignment; returns the number of submissions."""
    count = 0
    for position, name in enumerate(names):
        for learner in classroom.ids:
            folder = root / "submitted" / learner / name
            shutil.copytree(root / "release" / name, folder)
            for source_nb in sorted((root / "source" / name).glob("*.ipynb")):
                classroom.answer(learner, source_nb, folder, position)
            (folder / "timestamp.txt").write_text(SUBMITTED_AT, encoding="utf-8")
            count += 1
    return count


class MemorySampler(threading.Thread):
    """Peak PSS of each worker's process tree, sampled every half second until ``stop()``."""

    def __init__(self, top: psutil.Process, workers_only: bool) -> None:
        super().__init__(daemon=True)
        self.top = top
        self.workers_only = workers_only
        self.peaks: dict[int, float] = {}
        self._done = threading.Event()

    def workers(self) -> list[psutil.Process]:
        if not self.workers_only:
            return [self.top]
        return [child for child in self.top.children() if "spawn_main" in " ".join(_cmdline(child))]

    def run(self) -> None:
        while not self._done.wait(0.5):
            for worker in self.workers():
                self.peaks[worker.pid] = max(self.peaks.get(worker.pid, 0.0), _tree_pss(worker))

    def stop(self) -> list[float]:
        self._done.set()
        self.join()
        return sorted((peak / MiB for peak in self.peaks.values()), reverse=True)


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def _tree_pss(process: psutil.Process) -> float:
    total = 0.0
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for member in family:
        try:
            total += member.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def timed(command: list[str], root: Path, workers_only: bool) -> tuple[float, list[float], int]:
    """Seconds, peak MiB per worker tree and exit code of one command run in ``root``."""
    env = {**environment(), "COURSE_ROOT": str(root)}
    env.pop("COURSE_DB_URL", None)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sampler = MemorySampler(psutil.Process(process.pid), workers_only)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    return seconds, sampler.stop(), code


def sequential(root: Path, names: list[str]) -> tuple[float, list[float]]:
    """Plain ``nbgrader autograde`` of each assignment, one after another."""
    total, peaks = 0.0, []
    for name in names:
        print(f"  nbgrader autograde {name}", flush=True)
        seconds, peak, _ = timed([sys.executable, "-m", "nbgrader", "autograde", name, "--force", f"--CourseDirectory.root={root}"],
                                 root, workers_only=False)
        total += seconds
        peaks += peak
    return total, [max(peaks, default=0.0)]


def parallel(root: Path, names: list[str], workers: int) -> tuple[float, list[float]]:
    print(f"  course grade ({len(names)} assignments, {workers} workers)", flush=True)
    seconds, peaks, _ = timed([sys.executable, "-m", "course", "grade", *names, "--workers", str(workers), "--force"],
                              root, workers_only=True)
    return seconds, peaks


def items(root: Path) -> dict[tuple[str, str, str], float | None]:
    """(student, assignment, cell) → auto_score, for every grade in the gradebook."""
    found = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bigdata-worker") as gradebook:
        for assignment in gradebook.assignments:
            for submission in gradebook.assignment_submissions(assignment.name):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        found[submission.student.id, assignment.name, grade.name] = grade.auto_score
    return found


def graded_count(root: Path) -> int:
    return sum(1 for _ in (root / "autograded").glob("*/*")) if (root / "autograded").exists() else 0


def load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def compare(work: Path, names: list[str], learners: int, workers: int) -> dict:
    print(f"{learners} learners × {len(names)} assignments: sequential vs course grade", flush=True)
    base = course_folder(work / "base", names)
    count = hand_in(base, names, Classroom(learners))
    seq_root, par_root = work / "sequential", work / "parallel"
    shutil.copytree(base, seq_root)
    shutil.copytree(base, par_root)
    shutil.rmtree(base)
    before = load()
    seq_seconds, seq_peak = sequential(seq_root, names)
    middle = load()
    par_seconds, par_peaks = parallel(par_root, names, workers)
    after = load()
    same = items(seq_root) == items(par_root)
    result = dict(submissions=count, seq=seq_seconds, par=par_seconds, seq_peak=seq_peak, par_peaks=par_peaks,
                  same=same, graded=(graded_count(seq_root), graded_count(par_root)), load=(before, middle, after))
    shutil.rmtree(seq_root)
    shutil.rmtree(par_root)
    return result


def growth(work: Path, names: list[str], sizes: list[int], workers: int) -> list[tuple[int, int, float, str]]:
    """``course grade`` of ``names`` for each class size: (learners, submissions, seconds, load)."""
    rows = []
    for size in sizes:
        print(f"{size} learners × {len(names)} assignments: course grade", flush=True)
        root = course_folder(work / f"growth-{size}", names)
        count = hand_in(root, names, Classroom(size))
        seconds, _ = parallel(root, names, workers)
        rows.append((size, count, seconds, load()))
        shutil.rmtree(root)
    return rows


def report(names: list[str], every: int, main: dict, subset: list[str], grown: list[tuple[int, int, float, str]], workers: int) -> str:
    speedup = main["seq"] / main["par"]
    per = main["submissions"]
    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Grading benchmark",
        "",
        f"{date.today()} · {os.cpu_count()} cores · Python {platform.python_version()} · commit {commit} · `python benchmarks/grading.py`",
        "",
        f"A class of {main['submissions'] // len(names)} learners (`course.classroom`: the four sample learners, then varied ones)",
        f"hands in {'all' if len(names) == every else f'the first {len(names)} of the {every}'} assignments of `source/` "
        f"({', '.join(names)}): {per} submissions. The same submissions are graded",
        f"in the same run by sequential `nbgrader autograde` (one command per assignment) and by `course grade` on",
        f"{workers} local Dask workers (one task per submission; the time includes starting and stopping the cluster).",
        "",
        "| | seconds | per submission | peak memory (PSS, MiB) |",
        "|---|---:|---:|---|",
        f"| sequential `nbgrader autograde` | {main['seq']:.0f} | {main['seq'] / per:.2f} s | {main['seq_peak'][0]:.0f} (nbgrader and its kernel) |",
        f"| `course grade --workers {workers}` | {main['par']:.0f} | {main['par'] / per:.2f} s | "
        + ", ".join(f"{peak:.0f}" for peak in main["par_peaks"]) + " (each worker: worker, warm nbgrader, the run, its kernel) |",
        "",
        f"**Speed-up: {speedup:.2f}×** (goal ≥ {GOAL}×: {'met' if speedup >= GOAL else '**not met**'}). "
        f"Same per-item scores in both gradebooks: {'yes' if main['same'] else '**no**'}; "
        f"submissions graded: {main['graded'][0]} sequential, {main['graded'][1]} parallel.",
        "",
        f"Load average (1 / 5 / 15 min) before the sequential run {main['load'][0]}, between the runs {main['load'][1]}, "
        f"after {main['load'][2]}: other work shared the 2 cores.",
        "",
        f"## Growth with the class size (`course grade`, {len(subset)} assignment(s): {', '.join(subset)})",
        "",
        "| learners | submissions | seconds | per submission | load average after |",
        "|---:|---:|---:|---:|---|",
    ]
    for size, count, seconds, after in grown:
        lines.append(f"| {size} | {count} | {seconds:.0f} | {seconds / count:.2f} s | {after} |")
    if len(grown) > 1:
        first, last = grown[0], grown[-1]
        lines += ["", f"{last[0] / first[0]:g}× the learners took {last[2] / first[2]:.2f}× the time."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--growth", default="30,120", help="class sizes for the growth run")
    parser.add_argument("--assignments", type=int, help="the first N assignments only (default: all of source/)")
    parser.add_argument("--subset", type=int, default=2, help="the growth run grades the first N assignments")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "grading.md")
    args = parser.parse_args()
    every = assignments(REPO)
    names = every[: args.assignments]
    subset = names[: args.subset]
    with tempfile.TemporaryDirectory(prefix="grading-benchmark-") as tmp:
        work = Path(tmp)
        main_run = compare(work, names, args.learners, args.workers)
        grown = growth(work, subset, [int(size) for size in args.growth.split(",")], args.workers)
    text = report(names, len(every), main_run, subset, grown, args.workers)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if main_run["same"] else 1


if __name__ == "__main__":
    sys.exit(main())
