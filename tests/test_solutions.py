"""Every source notebook, answered as its solutions say, runs top to bottom without error.

nbval (``pytest --nbval-lax``) runs each notebook in a fresh kernel: an error in any
cell fails it, outputs are not compared. The widget answers are the solutions' too
(the sample learner "full"), written beside a copy of each source notebook.
"""
import re
import shutil
import subprocess
import sys

from course.learners import write_learner
from helpers import REPO

ASSIGNMENTS = sorted(p.name for p in (REPO / "source").iterdir() if p.is_dir())


def test_every_solution_notebook_runs_top_to_bottom_under_nbval(tmp_path):
    notebooks = []
    for assignment in ASSIGNMENTS:
        folder = tmp_path / assignment
        shutil.copytree(REPO / "source" / assignment, folder, ignore=shutil.ignore_patterns("*.answers.json*"))
        for source in sorted((REPO / "source" / assignment).glob("*.ipynb")):
            write_learner("full", source, folder)
            notebooks.append(folder / source.name)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", *map(str, notebooks)],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    cells = sum(len(re.findall(r'"cell_type": "code"', path.read_text(encoding="utf-8"))) for path in notebooks)
    assert re.search(rf"\b{cells} passed\b", done.stdout), done.stdout[-1000:]  # every code cell ran, none skipped
