"""The whole instructor cycle, headless, on sample learners.

release → fetch → (learners answer) → submit → collect → autograde (in parallel, as
``course grade``) → generate_feedback → release/fetch feedback → export, all with
nbgrader's own commands and a local exchange inside the course folder. The learners are the four sample learners,
or a generated class (:class:`course.classroom.Classroom`), whose class report
(``course report``) closes the demo.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Callable, Sequence

from course.classroom import Classroom
from course.cycle import build, nbgrader
from course.grading.parallel import grade as grade_in_parallel
from course.learners import KINDS, write_learner
from course.paths import assignments, course_root

Report = Callable[[str], None]


def learner_home(root: Path, learner: str) -> Path:
    """The folder a sample learner fetches into and submits from."""
    return root / ".demo" / learner


def as_learner(root: Path, learner: str) -> list[str]:
    """Options that make nbgrader act as ``learner``: their id and their own submission cache."""
    return [f"--student={learner}", f"--Exchange.cache={learner_home(root, learner) / '.nbgrader_cache'}"]


def release(names: Sequence[str], root: Path) -> None:
    for name in names:
        nbgrader(["release_assignment", name, "--force"], root)


def learners_submit(names: Sequence[str], learners: Sequence[str], root: Path, classroom: Classroom | None = None) -> None:
    """Each learner fetches, answers and submits every assignment they hand in.

    Without ``classroom`` a learner's id names a sample learner kind (``partial-2`` is a
    ``partial``) who hands in everything; with it, the classroom decides.
    """
    for learner in learners:
        home = learner_home(root, learner)
        if home.exists():
            shutil.rmtree(home)
        home.mkdir(parents=True)
        for position, name in enumerate(names):
            if classroom and not classroom.hands_in(learner, name, position):
                continue
            nbgrader(["fetch_assignment", name], root, cwd=home)
            for source_nb in sorted((root / "source" / name).glob("*.ipynb")):
                if classroom:
                    classroom.answer(learner, source_nb, home / name, position)
                else:
                    write_learner(learner.split("-")[0], source_nb, home / name)
            nbgrader(["submit", name, *as_learner(root, learner)], root, cwd=home)


def grade(names: Sequence[str], root: Path, report: Report = print) -> list[str]:
    """Collect, autograde in parallel and return feedback; returns one sentence per submission not graded.

    Grading is ``course grade``'s (:func:`course.grading.parallel.grade`): a corrupt or
    crashing submission is named and the other learners are still graded.
    """
    for name in names:
        nbgrader(["collect", name, "--update"], root)
    outcomes = grade_in_parallel(root, names, force=True)
    problems = [f"{o.student}: {o.korean} ({o.english})" for o in outcomes if not o.ok]
    for name in names:
        nbgrader(["generate_feedback", name, "--force"], root)
        nbgrader(["release_feedback", name], root)
    for problem in problems:
        report(f"! 채점하지 못함 (not graded) — {problem}")
    return problems


def export(root: Path, path: Path) -> list[dict[str, str]]:
    """``nbgrader export`` to ``path``; returns its rows."""
    nbgrader(["export", f"--CsvExportPlugin.to={path}"], root)
    with path.open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def grade_table(rows: list[dict[str, str]]) -> str:
    """An assignment × learner table of scores, as text (one row per assignment, so it fits a terminal)."""
    names = sorted({row["assignment"] for row in rows})
    learners = sorted({row["student_id"] for row in rows})
    score = {(row["student_id"], row["assignment"]): float(row["score"]) for row in rows}
    top = {row["assignment"]: float(row["max_score"]) for row in rows}
    first = max(len(n) for n in [*names, "assignment"]) + 2
    width = max(len(n) for n in [*learners, "(max)"]) + 2
    lines = [f"{'assignment':<{first}}" + "".join(f"{n:>{width}}" for n in ["(max)", *learners])]
    for name in names:
        cells = [top[name], *(score.get((learner, name), 0) for learner in learners)]
        lines.append(f"{name:<{first}}" + "".join(f"{value:>{width}g}" for value in cells))
    return "\n".join(lines)


def run(names: Sequence[str] | None = None, learners: Sequence[str] = KINDS, root: Path | None = None, report: Report = print,
        classroom: Classroom | None = None) -> list[dict[str, str]]:
    """The whole cycle; prints progress and the grade table, writes ``grades.csv``.

    With ``classroom`` its learners take part instead of ``learners``, and the class
    report is written at the end (``reports/class-report.html``).
    """
    root = root or course_root()
    names = list(names or assignments(root))
    learners = classroom.ids if classroom else list(learners)
    steps = [
        ("과제 만들기 (generate_assignment)", lambda: build(names, root)),
        ("과제 배포 (release_assignment)", lambda: release(names, root)),
        (f"학습자 {len(learners)}명 제출 (fetch + submit)", lambda: learners_submit(names, learners, root, classroom)),
        ("수거·채점·피드백 (collect, course grade, generate/release_feedback)", lambda: grade(names, root, report)),
    ]
    total = len(steps) + (2 if classroom else 1)
    for number, (title, step) in enumerate(steps, 1):
        report(f"[{number}/{total}] {title} …")
        step()
    for learner in learners:
        for name in names:
            if (root / "feedback" / learner / name).exists():
                nbgrader(["fetch_feedback", name, *as_learner(root, learner)], root, cwd=learner_home(root, learner))
    report(f"[{len(steps) + 1}/{total}] 성적 내보내기 (export) …")
    rows = export(root, root / "grades.csv")
    if len(learners) <= 8:
        report(grade_table(rows))
    report(f"성적표: {root / 'grades.csv'}\n피드백: {root / 'feedback'}")
    if classroom:
        from course.report import write_report

        report(f"[{total}/{total}] 학습 현황 보고서 (course report) …")
        written = write_report(root, names)
        report(f"보고서: {written.page}\n수료 명단: {written.completion}")
    return rows
