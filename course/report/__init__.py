"""The instructor's class report (``course report``): one self-contained HTML page and a completion CSV.

:mod:`course.report.data` reads the gradebook, the submitted answer files and the grading
flags; :mod:`course.report.analysis` computes the figures; :mod:`course.report.page`
draws the page. The page is written inside the course folder (``reports/`` by default),
so JupyterLab serves it to the instructor as a file, on the hub and in ``make lab``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from course import labeling
from course.errors import CourseError
from course.paths import assignments as all_assignments
from course.report import analysis, page
from course.report.analysis import CompletionRule
from course.report.data import ClassData, load

REPORTS = "reports"
PAGE = "class-report.html"
CSV = "completion.csv"


@dataclass
class Written:
    """Where the report went."""

    page: Path
    completion: Path


def labeling_tasks(data: ClassData) -> dict[tuple[str, str], labeling.LabelTask]:
    """The course's labeling task behind each labeling question (matched by its items)."""
    found = {}
    for item in data.items[data.items["factory"] == "label"].itertuples():
        task = labeling.task_for(item.key) if isinstance(item.key, dict) else None
        if task is not None:
            found[(item.assignment, item.qid)] = task
    return found


def render(data: ClassData, threshold: float = 0.6, rule: CompletionRule = CompletionRule(),
           gap_minutes: int = 30, csv_name: str = CSV) -> tuple[str, pd.DataFrame]:
    """The page's HTML and the completion table for ``data``."""
    tasks = labeling_tasks(data)
    done = analysis.completion(data, rule)
    sections = [
        page.progress_section(analysis.shares(data), data.titles, analysis.below(data, threshold), threshold),
        page.items_section(analysis.item_analysis(data.scores), data.items, data.titles),
        page.options_section(analysis.option_counts(data.items, data.answers), data.titles),
        page.labeling_section(analysis.labeling_quality(data.answers, tasks), {t.name: t.pass_mark for t in tasks.values()}),
        page.time_section(analysis.time_on_task(data.answers, pd.Timedelta(minutes=gap_minutes)), data.titles, gap_minutes),
        page.flags_section(data.flags, data.titles),
        page.completion_section(done, rule, csv_name),
    ]
    return page.page(sections, data.assignments, data.titles, len(data.students)), done


def write_report(root: Path, names: Sequence[str] | None = None, out: Path | None = None, threshold: float = 0.6,
                 rule: CompletionRule = CompletionRule(), gap_minutes: int = 30, db_url: str | None = None) -> Written:
    """Read the class's work on ``names`` (default: every assignment) and write the page and the CSV."""
    known = all_assignments(root)
    names = list(names or known)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CourseError(f"'{', '.join(unknown)}'(이)라는 과제가 없어요. 있는 과제: {', '.join(known)}",
                          f"unknown assignment(s) {unknown}; known: {known}")
    folder = Path(out or root / REPORTS)
    text, done = render(load(root, names, db_url), threshold, rule, gap_minutes)
    html_path = page.write(text, folder / PAGE)
    csv_path = folder / CSV
    done.to_csv(csv_path, index=False, encoding=labeling.ENCODING)
    return Written(html_path, csv_path)
