"""The ``course`` command (``python -m course …``): build, lab, demo, check, report."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from course.errors import CourseError


def _build(args: argparse.Namespace) -> int:
    from course.cycle import build

    for name in build(args.assignments or None):
        print(f"✔ release/{name}")
    return 0


def _lab(args: argparse.Namespace) -> int:
    from course.jupyterlab import serve

    serve(port=args.port, browser=not args.no_browser)  # becomes JupyterLab; never returns


def _setup(args: argparse.Namespace) -> int:
    from course.jupyterlab import install_settings, prepare_work
    from course.paths import course_root

    root = course_root()
    for path in install_settings(root):
        print(f"✔ JupyterLab 설정 (settings): {path}")
    for name in prepare_work(root):
        print(f"✔ work/{name} (내 과제 복사본 · your copy)")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from course.classroom import Classroom
    from course.demo import run

    run(args.assignments or None, classroom=Classroom(args.class_size, args.seed))
    return 0


def _check(args: argparse.Namespace) -> int:
    from course.grading import flags
    from course.grading.sandbox import NOT_SANDBOXED
    from course.paths import course_root
    from course.selfcheck import SELF, check

    result = check(args.assignment, args.folder)
    if any(flag["kind"] == "sandbox_unavailable" for flag in flags.read(course_root() / "autograded" / SELF / args.assignment)):
        print(f"⚠️ {NOT_SANDBOXED} (graded unsandboxed: bubblewrap cannot run here)", file=sys.stderr)
    print(f"점수 (score): {result.score:g} / {result.max_score:g}")
    for page in result.feedback:
        print(f"피드백 (feedback): {page}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    import signal

    from course.grading.parallel import grade
    from course.paths import course_root, notebooks

    root = course_root()
    for name in args.assignments:
        notebooks(name, "source", root)  # an unknown assignment is named before anything starts
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped like Ctrl+C: workers and kernels end too
    try:
        outcomes = grade(root, args.assignments, args.workers, args.scheduler, args.force)
    except KeyboardInterrupt:
        print("채점을 멈췄어요. 이미 채점한 제출물은 성적표에 저장되어 있어요.", file=sys.stderr)
        return 130
    failed = [outcome for outcome in outcomes if not outcome.ok]
    print(f"✔ 채점 끝: 제출물 {len(outcomes)}개 중 {len(outcomes) - len(failed)}개를 채점했어요.")
    if not outcomes:
        print("  새로 채점할 제출물이 없어요. 다시 채점하려면 --force 를 붙여 주세요.")
    for outcome in failed:
        print(f"! 채점하지 못함: {outcome.student} ({outcome.assignment}) — {outcome.korean}\n  {outcome.english}")
    return 1 if failed else 0


def _hub(args: argparse.Namespace) -> int:
    from course.hub.classroom import run

    return run(args.roster, args.assignment)


def _fit2_generate(args: argparse.Namespace) -> int:
    from datetime import date

    from course.fit2 import generate_export

    folders = generate_export(
        args.out, people=args.people, days=args.days, seed=args.seed,
        start=date.fromisoformat(args.start), legacy=args.legacy,
    )
    for folder in folders:
        print(f"✔ {folder} (합성 데이터 · synthetic)")
    return 0


def _report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.paths import course_root
    from course.report import CompletionRule, write_report

    root = course_root()
    written = write_report(root, args.assignments or None, Path(args.out) if args.out else None, threshold=args.threshold,
                           rule=CompletionRule(args.pass_share, not args.allow_missing), gap_minutes=args.gap, db_url=args.db_url)
    print(f"✔ 학습 현황 보고서 (class report): {written.page}")
    print(f"✔ 수료 명단 (completion CSV): {written.completion}")
    try:
        shown = written.page.resolve().relative_to(root)
        print(f"  JupyterLab: 파일 목록에서 {shown} → 오른쪽 클릭 → '새로운 탐색 창에서 열기' (/files/{shown.as_posix()})")
    except ValueError:
        pass
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="course", description="Big Data Worker course tools (빅데이터 워커 과정 도구)")
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="generate release/ from source/ (nbgrader generate_assignment)")
    build.add_argument("assignments", nargs="*")
    build.set_defaults(run=_build)
    setup = commands.add_parser("setup", help="install the JupyterLab settings and copy assignments to work/")
    setup.set_defaults(run=_setup)
    lab = commands.add_parser("lab", help="open JupyterLab on the course")
    lab.add_argument("--port", type=int)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(run=_lab)
    demo = commands.add_parser("demo", help="run the whole instructor cycle on sample learners")
    demo.add_argument("assignments", nargs="*")
    demo.add_argument("--class-size", type=int, default=30, help="learners in the generated class (the first four are the sample learners)")
    demo.add_argument("--seed", type=int, default=5060, help="the generated class's seed")
    demo.set_defaults(run=_demo)
    check = commands.add_parser("check", help="grade your own copy of an assignment and write its feedback")
    check.add_argument("assignment")
    check.add_argument("--folder", help="the folder to grade (default: work/<assignment>)")
    check.set_defaults(run=_check)
    report = commands.add_parser("report", help="write the instructor's class report (HTML) and completion CSV")
    report.add_argument("assignments", nargs="*", help="assignments to cover (default: all)")
    report.add_argument("--threshold", type=float, default=0.6, help="name learners whose share of points is below this (0-1)")
    report.add_argument("--pass-share", type=float, default=0.6, help="completion rule: least share of all points (0-1)")
    report.add_argument("--allow-missing", action="store_true", help="completion rule: do not require every module handed in")
    report.add_argument("--gap", type=int, default=30, help="time on task: minutes between answers counted as a break")
    report.add_argument("--out", help="folder to write into (default: reports/ in the course folder)")
    report.add_argument("--db-url", help="nbgrader gradebook URL (default: gradebook.db in the course folder)")
    report.set_defaults(run=_report)
    grade = commands.add_parser("grade", help="autograde every submission of the assignments in parallel (Dask), one writer for the gradebook")
    grade.add_argument("assignments", nargs="+")
    grade.add_argument("--workers", type=int, help="local worker processes (default: the number of cores)")
    grade.add_argument("--scheduler", help="address of an existing Dask cluster's scheduler (tcp://host:8786) instead of local workers")
    grade.add_argument("--force", action="store_true", help="grade again submissions already graded")
    grade.set_defaults(run=_grade)
    hub = commands.add_parser("hub", help="a classroom on JupyterHub at 127.0.0.1 until Ctrl+C (run as root)")
    hub.add_argument("--roster", type=Path, default=Path(__file__).resolve().parent.parent / "hub" / "roster.csv",
                     help="CSV with the columns name,role (instructor or learner)")
    hub.add_argument("--assignment", help="the assignment to release first (default: the first one)")
    hub.set_defaults(run=_hub)
    fit2 = commands.add_parser("fit2-generate", help="write synthetic Samsung Health (Galaxy Fit2) exports")
    fit2.add_argument("out", help="folder to write the export folders into")
    fit2.add_argument("--people", type=int, default=3)
    fit2.add_argument("--days", type=int, default=14)
    fit2.add_argument("--seed", type=int, default=5060)
    fit2.add_argument("--start", default="2021-06-01", help="first day, YYYY-MM-DD")
    fit2.add_argument("--legacy", action="store_true", help="the older export variant")
    fit2.set_defaults(run=_fit2_generate)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; a ``CourseError`` is printed in Korean and English, exit code 2."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CourseError as error:
        print(f"오류: {error.korean}", file=sys.stderr)
        if error.english:
            print(f"error: {error.english}", file=sys.stderr)
        return 2
