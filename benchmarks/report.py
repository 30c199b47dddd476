"""Benchmark: how fast the class report page loads in Chromium, against plotly.js alone.

Builds the report of a generated class (``course.classroom.Classroom``, default 30
learners) on every assignment, scored without nbgrader (``scored_here``: grading 30 × 9
notebooks would take many minutes and does not change the page's size), and two baseline
pages: one holding only the plotly.js bundle the report embeds (cartesian), one holding
only the full plotly.js of the ``plotly`` package (what a default plotly page carries).
Each page is opened ``--runs`` times in headless Chromium (a fresh page each time, the
pages interleaved); a load counts as done when every chart has drawn its SVG. Reported:
the median wall time from navigation to "every chart drawn", DOMContentLoaded, the load
event, the page size, and the ratio to the embedded bundle alone. Target: the report
within 3 s.

Run from the repository root::

    python benchmarks/report.py                  # 30 learners, 5 runs; writes benchmarks/results/report.md
    python benchmarks/report.py --learners 5 --runs 2 --no-write   # a quick look
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly  # noqa: E402
from plotly.offline import get_plotlyjs  # noqa: E402

from course.classroom import Classroom, scored_here  # noqa: E402
from course.paths import assignments  # noqa: E402
from course.report import render  # noqa: E402
from course.report.page import PLOTLY_JS  # noqa: E402

RESULT = ROOT / "benchmarks" / "results" / "report.md"
WORK = ROOT / "benchmarks" / "report.tmp"
DRAWN = ("document.readyState === 'complete' && Array.from(document.querySelectorAll('.plotly-graph-div'))"
         ".every(chart => chart.querySelector('.main-svg .trace, .main-svg .hm'))")
TIMING = "(() => { const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd]; })()"


def pages(learners: int) -> tuple[Path, dict[str, Path], int]:
    """Write the report and the baseline pages; return their paths and the number of charts."""
    WORK.mkdir(exist_ok=True)
    names = assignments(ROOT)
    text, _ = render(scored_here(Classroom(learners), ROOT, names))
    report = WORK / "class-report.html"
    report.write_text(text, encoding="utf-8")
    baselines = {}
    for label, script in (("embedded bundle only", PLOTLY_JS.read_text(encoding="utf-8")), ("full plotly.js only", get_plotlyjs())):
        path = baselines[label] = WORK / f"{label.split()[0]}-only.html"
        path.write_text(f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><script>{script}</script>'
                        "</head><body></body></html>", encoding="utf-8")
    return report, baselines, text.count('class="plotly-graph-div"')


def measure(paths: list[Path], runs: int) -> dict[Path, list[tuple[float, float, float]]]:
    """(drawn, DOMContentLoaded, load) seconds per run for each page, the pages interleaved."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    found: dict[Path, list[tuple[float, float, float]]] = {path: [] for path in paths}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            for path in paths:
                page = browser.new_page(viewport={"width": 1300, "height": 900})
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function(DRAWN, polling=20, timeout=60_000)
                drawn = time.perf_counter() - start
                ready, load = page.evaluate(TIMING)
                found[path].append((drawn, ready / 1000, load / 1000))
                page.close()
        browser.close()
    return found


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--learners", type=int, default=30)
    options.add_argument("--runs", type=int, default=5)
    options.add_argument("--no-write", action="store_true", help="print only; keep benchmarks/results/report.md")
    args = options.parse_args()
    report, baselines, charts = pages(args.learners)
    rows = {**baselines, "class report": report}
    times = measure(list(rows.values()), args.runs)
    median = {path: [statistics.median(run[n] for run in runs) for n in range(3)] for path, runs in times.items()}
    baseline = baselines["embedded bundle only"]
    ratio = median[report][0] / median[baseline][0]
    lines = [
        "# Benchmark: the class report page in Chromium",
        "",
        f"- date: {datetime.now():%Y-%m-%d %H:%M}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} when it ran (shared)",
        f"- plotly {plotly.__version__} (plotly.js embedded once), Chromium headless via Playwright",
        f"- page: `course report` of a generated class, {args.learners} learners × {len(assignments(ROOT))} notebooks "
        f"(`Classroom({args.learners})`, scored without nbgrader), {charts} charts",
        "- baselines: a page holding only the plotly.js bundle the report embeds (cartesian), and one holding only the "
        "full plotly.js of the `plotly` package",
        f"- median of {args.runs} loads, each in a fresh page; \"drawn\" = from navigation until every chart has drawn its data",
        "",
        "| page | size (MB) | drawn (s) | DOMContentLoaded (s) | load event (s) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {path.stat().st_size / 1e6:.2f} | {median[path][0]:.2f} | {median[path][1]:.2f} | {median[path][2]:.2f} |"
          for label, path in rows.items()),
        "",
        f"Report / embedded bundle alone (drawn): **{ratio:.2f}x**. Target: drawn within 3 s: "
        f"**{'yes' if median[report][0] <= 3 else 'no'}** ({median[report][0]:.2f} s).",
        "",
        "Run: `python benchmarks/report.py [--learners 30] [--runs 5]`.",
    ]
    print("\n".join(lines))
    if not args.no_write:
        RESULT.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
