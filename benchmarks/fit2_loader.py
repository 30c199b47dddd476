"""Benchmark: course.fit2.load_export against a bare pandas.read_csv of the same files.

Generates one synthetic person-year (365 days) into a temporary folder, then in one
process times (best of 3, interleaved) ``load_export`` and a bare
``pd.read_csv(path, skiprows=1, index_col=False)`` of every file the loader reads.
Peak memory is the peak resident set size of a fresh subprocess doing only that
work, minus the peak of a subprocess that only imports the libraries.
Target: the loader within 2x of the bare read.

Run from the repository root::

    python benchmarks/fit2_loader.py            # prints the table, writes benchmarks/results/fit2_loader.md
"""
from __future__ import annotations

import gc
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course.fit2.generator import generate_export  # noqa: E402
from course.fit2.loader import TABLES_READ, load_export  # noqa: E402

SEED = 2021
DAYS = 365
START = date(2021, 1, 1)
RESULT = ROOT / "benchmarks" / "results" / "fit2_loader.md"


def files_read(folder: Path) -> list[Path]:
    return [next(folder.glob(f"{table}.*.csv")) for table in TABLES_READ]


def bare_read(folder: Path) -> list[pd.DataFrame]:
    return [pd.read_csv(path, skiprows=1, index_col=False) for path in files_read(folder)]


def best_of(runs: int, *jobs) -> list[tuple[float, float]]:
    """Interleave the jobs ``runs`` times; return each one's best (wall, CPU) seconds.

    CPU time (all threads of this process) is reported too because it barely moves
    when other programs share the machine, while wall time does.
    """
    best = [(float("inf"), float("inf"))] * len(jobs)
    for _ in range(runs):
        for i, job in enumerate(jobs):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            job()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[i] = (min(best[i][0], wall), min(best[i][1], cpu))
    return best


def peak_rss_mb(mode: str, folder: Path) -> float:
    """Peak RSS (MB) of a fresh Python process that runs ``mode`` once."""
    out = subprocess.run([sys.executable, __file__, "--memory", mode, str(folder)],
                         check=True, capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def memory_child(mode: str, folder: Path) -> None:
    if mode == "load":
        load_export(folder)
    elif mode == "bare":
        bare_read(folder)
    print(_peak_kb() / 1024)


def _peak_kb() -> float:
    """Peak resident memory of this process in KB: Linux's VmHWM (fresh after exec; ru_maxrss
    would include the parent's peak inherited through fork), else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def report(folder: Path) -> str:
    export = load_export(folder)  # warm-up, and the row counts
    (load_s, load_cpu), (bare_s, bare_cpu) = best_of(3, lambda: load_export(folder), lambda: bare_read(folder))
    base = peak_rss_mb("imports", folder)
    load_mb, bare_mb = peak_rss_mb("load", folder) - base, peak_rss_mb("bare", folder) - base
    size_mb = sum(p.stat().st_size for p in files_read(folder)) / 1e6
    rows = {name: len(getattr(export, name)) for name in
            ("heart_rate", "steps", "sleep", "sleep_stages", "exercise", "stress")}
    lines = [
        "# Benchmark: `course.fit2.load_export` vs bare `pandas.read_csv`",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"load average {os.getloadavg()[0]:.1f} when it ran",
        f"- Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"pyarrow {pyarrow.__version__}",
        f"- data: one synthetic person-year (`generate_export(people=1, days={DAYS}, seed={SEED}, "
        f"start=date({START.year}, {START.month}, {START.day}))`), "
        f"{len(TABLES_READ)} files, {size_mb:.1f} MB; rows: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items()),
        "- bare: `pd.read_csv(path, skiprows=1, index_col=False)` per file (no checks, times left as text)",
        "- load_export: checks (encoding, header, field count per row), times parsed to KST, tidy tables, "
        "quality report",
        "",
        "| | wall, best of 3 (s) | CPU, best of 3 (s) | peak RSS over imports (MB) |",
        "|---|---|---|---|",
        f"| bare `pd.read_csv` | {bare_s:.3f} | {bare_cpu:.3f} | {bare_mb:.0f} |",
        f"| `load_export` | {load_s:.3f} | {load_cpu:.3f} | {load_mb:.0f} |",
        f"| ratio | **{load_s / bare_s:.2f}x** (target <= 2x) | {load_cpu / bare_cpu:.2f}x | {load_mb / bare_mb:.2f}x |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--memory"]:
        memory_child(sys.argv[2], Path(sys.argv[3]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate_export(tmp, people=1, days=DAYS, seed=SEED, start=START)[0]
        text = report(folder)
    print(text)
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
