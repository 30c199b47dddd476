"""``course grade``: a class graded in parallel on Dask gives nbgrader's own scores, locally and on a real cluster."""
import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from nbgrader.api import Gradebook

from course.cycle import build, nbgrader
from course.grading.parallel import grade
from course.grading.progress import Progress
from course.grading.task import pack, unpack
from course.learners import KINDS, write_learner
from helpers import course_copy, set_cell

A = "00_getting_started"
CORRUPT = "broken"
# Stated by hand (see test_assignment_00): q1 1 point, q2 1, q3 1, q4 3, q5 2.
# partial answers q1, q3 and q5; mistakes gets 2 of q4's 3 (two of three boxes right, one wrong).
EXPECTED = {
    "full": {"q1_test": 1.0, "q2_test": 1.0, "q3_test": 1.0, "q4_test": 3.0, "q5_test": 2.0},
    "blank": {"q1_test": 0.0, "q2_test": 0.0, "q3_test": 0.0, "q4_test": 0.0, "q5_test": 0.0},
    "partial": {"q1_test": 1.0, "q2_test": 0.0, "q3_test": 1.0, "q4_test": 0.0, "q5_test": 2.0},
    "mistakes": {"q1_test": 0.0, "q2_test": 0.0, "q3_test": 0.0, "q4_test": 2.0, "q5_test": 0.0},
}
TOTALS = {"full": 8.0, "blank": 0.0, "partial": 4.0, "mistakes": 2.0, CORRUPT: 0.0}


def submit(root, student, learner):
    """Put ``student``'s copy of the release in ``submitted/``, filled in by ``learner(folder)``."""
    folder = root / "submitted" / student / A
    shutil.copytree(root / "release" / A, folder)
    learner(folder)
    (folder / "timestamp.txt").write_text("2026-03-02 10:00:00.000000 UTC", encoding="utf-8")  # as nbgrader collect leaves it


def sample(kind):
    return lambda folder: write_learner(kind, folder.parents[2] / "source" / A / f"{A}.ipynb", folder)


def corrupt(folder):
    (folder / f"{A}.ipynb").write_text('{"cells": [', encoding="utf-8")


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    """A course folder with the four sample learners and one corrupt notebook submitted, nothing graded."""
    root = course_copy(tmp_path_factory.mktemp("class"), [A])
    build([A], root)
    for kind in KINDS:
        submit(root, kind, sample(kind))
    submit(root, CORRUPT, corrupt)
    return root


def copy_of(root, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(root, target)
    return target


def course_command(root, *args, **popen):
    env = {**os.environ, "COURSE_ROOT": str(root)}
    env.pop("COURSE_DB_URL", None)
    command = [sys.executable, "-m", "course", *args]
    if popen:
        return subprocess.Popen(command, env=env, cwd=root, text=True, **popen)
    return subprocess.run(command, env=env, cwd=root, capture_output=True, text=True, timeout=600)


def gradebook_items(root):
    """Everything autograde stores per learner and cell: score, review flag and comment."""
    items = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bigdata-worker") as gradebook:
        for submission in gradebook.assignment_submissions(A):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    items[submission.student.id, grade.name] = (grade.auto_score, grade.needs_manual_grade)
                for comment in notebook.comments:
                    items[submission.student.id, comment.name] = comment.auto_comment
    return items


def totals(items):
    found = {}
    for (student, name), value in items.items():
        if isinstance(value, tuple):
            found[student] = found.get(student, 0.0) + (value[0] or 0.0)
    return found


def autograded_files(root):
    return sorted(p.relative_to(root / "autograded").as_posix() for p in (root / "autograded").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def sequential(small_class, tmp_path_factory):
    """The same submissions graded by plain ``nbgrader autograde``, one after another."""
    root = copy_of(small_class, tmp_path_factory.mktemp("sequential"))
    nbgrader(["autograde", A, "--force"], root, check=False)
    return root


@pytest.fixture(scope="module")
def local(small_class, tmp_path_factory):
    """The same submissions graded by ``course grade`` on two local workers; (root, the command's result)."""
    root = copy_of(small_class, tmp_path_factory.mktemp("local"))
    return root, course_command(root, "grade", A, "--workers", "2")


def test_two_local_workers_give_exactly_the_scores_of_sequential_autograde(sequential, local):
    root, done = local
    assert done.returncode == 1, done.stderr  # one submission could not be graded
    items = gradebook_items(root)
    assert items == gradebook_items(sequential)
    assert totals(items) == TOTALS
    for student, scores in EXPECTED.items():
        assert {name: items[student, name][0] for name in scores} == scores
    assert autograded_files(root) == autograded_files(sequential)
    assert not (root / "autograded" / CORRUPT).exists()
    assert "제출물 5개 중 4개를 채점했어요" in done.stdout
    assert re.search(rf"채점하지 못함: {CORRUPT} \({A}\) — .*손상", done.stdout) and f"{A}.ipynb" in done.stdout
    assert "5/5개 제출물 · 채점하지 못함 1개" in done.stderr  # the progress bar's last line


def test_export_and_feedback_work_on_what_the_writer_stored(local):
    root, _ = local
    nbgrader(["export", f"--CsvExportPlugin.to={root / 'grades.csv'}"], root)
    with (root / "grades.csv").open(encoding="utf-8") as stream:
        assert {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)} == TOTALS
    nbgrader(["generate_feedback", A, "--force"], root)
    for student in EXPECTED:
        page = (root / "feedback" / student / A / f"{A}.html").read_text(encoding="utf-8")
        assert f"점수: {TOTALS[student]:g} / 8점" in page
    assert not (root / "feedback" / CORRUPT).exists()


def test_a_graded_class_is_skipped_unless_forced(local):
    root, _ = local
    again = course_command(root, "grade", A)
    assert "제출물 1개 중 0개" in again.stdout  # only the one not graded yet is tried again, as nbgrader does
    shutil.rmtree(root / "submitted" / CORRUPT)
    assert "새로 채점할 제출물이 없어요" in course_command(root, "grade", A).stdout
    submitted = root / "submitted" / "full" / A / "timestamp.txt"
    submitted.write_text("2031-01-01 00:00:00.000000 UTC", encoding="utf-8")  # handed in again, later
    newer = course_command(root, "grade", A, "--workers", "1")
    assert newer.returncode == 0 and "제출물 1개 중 1개" in newer.stdout
    assert totals(gradebook_items(root))["full"] == 8.0


def test_the_writer_stores_in_a_postgresql_gradebook_as_in_sqlite(real_cluster, tmp_path, monkeypatch):
    """Also: a batch given a Dask client of its own (as Dask Gateway's ``cluster.get_client()``) grades on it."""
    from distributed import Client

    from course.hub.database import Postgres, binaries

    if os.geteuid() != 0:
        pytest.skip("a private PostgreSQL server runs as the postgres account (root needed)")
    binaries()  # a clear message when PostgreSQL is not installed
    root = course_copy(tmp_path, [A])
    reachable = Path(tempfile.mkdtemp(prefix="course-pg-"))  # the postgres account cannot enter pytest's folders
    reachable.chmod(0o755)
    server = Postgres(reachable / "postgres", free_port())
    server.start()
    try:
        url = server.create_database("gradebook")
        monkeypatch.setenv("COURSE_DB_URL", url)
        build([A], root, db_url=url)
        for kind in ("full", "partial"):
            submit(root, kind, sample(kind))
        with Client(real_cluster) as client:
            outcomes = grade(root, [A], scheduler=client)
            assert client.status == "running"  # the caller's client is left open
        assert [o.ok for o in outcomes] == [True, True]
        assert not (root / "gradebook.db").exists()  # nothing went to SQLite
        with Gradebook(url, course_id="bigdata-worker") as gradebook:
            stored = {(s.student.id, g.name): g.auto_score for s in gradebook.assignment_submissions(A)
                      for nb in s.notebooks for g in nb.grades}
        assert stored == {(student, name): score for student in ("full", "partial") for name, score in EXPECTED[student].items()}
        nbgrader(["export", f"--CsvExportPlugin.to={tmp_path / 'grades.csv'}"], root)
        with (tmp_path / "grades.csv").open(encoding="utf-8") as stream:
            assert {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)} == {"full": 8.0, "partial": 4.0}
    finally:
        server.stop()
        reachable.rmdir()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(processes):
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def real_cluster(tmp_path_factory):
    """A real Dask scheduler and two workers (one thread each), started on 127.0.0.1 and stopped after the tests."""
    folder = tmp_path_factory.mktemp("dask")
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    logs = (folder / "dask.log").open("w")
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                                stdout=logs, stderr=logs)]
    try:
        for _ in range(2):
            started.append(subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"],
                                            stdout=logs, stderr=logs, cwd=folder))
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        stop(started[:0:-1])
        stop(started[:1])
        logs.close()
    assert all(process.returncode is not None for process in started)


def test_a_real_dask_scheduler_and_two_workers_give_the_scores_of_the_local_run(small_class, local, real_cluster, tmp_path):
    root = copy_of(small_class, tmp_path)
    done = course_command(root, "grade", A, "--scheduler", real_cluster)
    assert done.returncode == 1 and "제출물 5개 중 4개를 채점했어요" in done.stdout, done.stderr
    assert gradebook_items(root) == gradebook_items(local[0])
    assert autograded_files(root) == autograded_files(local[0])


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_stopping_a_batch_ends_its_workers_and_kernels(small_class, tmp_path, how):
    root = copy_of(small_class, tmp_path)

    def slow(folder):
        sample("full")(folder)
        set_cell(folder, A, "q3", "import time\ntime.sleep(50)\nsteps_total = 19400")

    for student in ("slow1", "slow2"):
        submit(root, student, slow)
    batch = course_command(root, "grade", A, "--workers", "2", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    kernels = []
    deadline = time.monotonic() + 240
    while len(kernels) < 1 and time.monotonic() < deadline and batch.poll() is None:
        time.sleep(0.5)
        family = psutil.Process(batch.pid).children(recursive=True)
        kernels = [p for p in family if "ipykernel" in " ".join(safe_cmdline(p))]
    assert kernels, "no grading kernel started"
    family = psutil.Process(batch.pid).children(recursive=True)
    batch.send_signal(how)
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == 130 and "채점을 멈췄어요" in err
    _, alive = psutil.wait_procs(family, timeout=30)
    assert not alive, [safe_cmdline(p) for p in alive]


def safe_cmdline(process):
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def test_a_bundle_leaves_links_out_and_unpacks_only_inside_its_folder(tmp_path):
    folder = tmp_path / "learner"
    (folder / "sub").mkdir(parents=True)
    (folder / "answer.txt").write_text("mine", encoding="utf-8")
    (folder / "sub" / "more.txt").write_text("also", encoding="utf-8")
    (folder / "secret").symlink_to("/etc/hostname")
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    target = tmp_path / "out"
    unpack(pack(folder), target)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["answer.txt", "sub", "sub/more.txt"]


class Log:
    """A stream that is not a terminal."""

    def __init__(self):
        self.text = ""

    def isatty(self):
        return False

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_the_progress_bar_counts_graded_and_failed_submissions_in_plain_korean():
    log = Log()
    bar = Progress(20, log)
    bar.start()
    for number in range(20):
        bar.advance(ok=number != 3)
    lines = log.text.splitlines()
    assert lines[0] == "채점 " + "░" * 24 + " 0/20개 제출물"
    assert len(lines) == 11  # a log gets a line each tenth, not one per submission
    assert lines[-1] == "채점 " + "█" * 24 + " 20/20개 제출물 · 채점하지 못함 1개"
