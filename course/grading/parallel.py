"""A class graded in parallel: every submission one Dask task, one writer for the gradebook.

``course grade``, the self-check and ``make demo`` all grade through :func:`grade`:

1. Every ``submitted/<student>/<assignment>/`` folder becomes one task
   (:func:`course.grading.task.grade_submission`), unless it is already graded and not
   resubmitted since (nbgrader's own rule; ``force`` grades it again).
2. The tasks run on Dask: an embedded ``LocalCluster`` on 127.0.0.1 (one process per
   worker, one thread each, no dashboard), or the Dask cluster at ``scheduler``
   (``tcp://…``; on a hub, ``dask-kubernetes``), or an existing client's (Dask Gateway's
   ``cluster.get_client()``). The local scheduler's
   health page listens on a free port of 127.0.0.1 too. Inputs and results are
   bytes, so the cluster needs the course's environment, not the course folder.
3. In this process, one :class:`~course.grading.writer.Writer` stores each result in the
   gradebook as it arrives. A failed submission (a corrupt notebook, a crash, a lost
   worker) is named in its :class:`Outcome`; the batch goes on.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from nbgrader.utils import parse_utc

from course.cycle import validate_json
from course.errors import CourseError
from course.grading.progress import Progress
from course.grading.task import CONFIG_FILES, PRIVATE_GRADEBOOK, Graded, grade_submission, pack
from course.grading.writer import Writer, gradebook_url

if TYPE_CHECKING:
    from distributed import Client

DETAIL = 1500  # characters of nbgrader's log shown for a failed submission


@dataclass(frozen=True)
class Outcome:
    """One submission's end: graded, or why not (``korean`` for people, ``english`` the detail)."""

    student: str
    assignment: str
    korean: str = ""
    english: str = ""

    @property
    def ok(self) -> bool:
        return not self.korean


def _timestamp(folder: Path):
    path = folder / "timestamp.txt"
    text = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return parse_utc(text) if text else None


def already_graded(root: Path, student: str, assignment: str) -> bool:
    """nbgrader's rule: graded before, and not submitted again since."""
    done = root / "autograded" / student / assignment
    if not done.is_dir():
        return False
    new, old = _timestamp(root / "submitted" / student / assignment), _timestamp(done)
    return not (new and old and new > old)


def submissions(root: Path, assignments: Sequence[str], students: Sequence[str] | None = None,
                force: bool = False) -> list[tuple[str, str]]:
    """``(student, assignment)`` of every submission to grade, in order."""
    found = []
    for assignment in assignments:
        for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
            student = folder.parent.name
            if folder.is_dir() and (students is None or student in students) and (force or not already_graded(root, student, assignment)):
                found.append((student, assignment))
    return found


def assignment_bundle(root: Path, assignment: str, definition: bytes) -> bytes:
    """The course configuration, ``source/<assignment>/`` and the private gradebook, as one archive."""
    with tempfile.TemporaryDirectory(prefix="course-bundle-") as tmp:
        folder = Path(tmp)
        for name in CONFIG_FILES:
            shutil.copy(root / name, folder / name)
        shutil.copytree(root / "source" / assignment, folder / "source" / assignment,
                        ignore=shutil.ignore_patterns("*.answers.json*", ".ipynb_checkpoints"))
        (folder / PRIVATE_GRADEBOOK).write_bytes(definition)
        return pack(folder)


@contextmanager
def dask_client(workers: int, scheduler: str | Client | None = None) -> Iterator[Client]:
    """The batch's Dask client.

    ``scheduler`` itself when it is a client (left open); else a client of the cluster at
    that address; else of an embedded local cluster of ``workers``.
    """
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):  # e.g. Dask Gateway's cluster.get_client(), with its TLS credentials
        yield scheduler
        return
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as error:
            raise CourseError(
                f"채점 클러스터({scheduler})에 연결하지 못했어요. 주소와 클러스터가 켜져 있는지 확인해 주세요.",
                f"cannot reach the Dask scheduler {scheduler}: {error}",
            ) from error
        with client:
            yield client
        return
    loopback = {"host": "127.0.0.1", "dashboard_address": None, "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}
    with _no_tracker_left(), LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                                          **loopback) as cluster, Client(cluster) as client:
        yield client


@contextmanager
def _no_tracker_left() -> Iterator[None]:
    """Stop multiprocessing's resource tracker afterwards if starting the local workers started it.

    It would otherwise live as long as the calling process: a notebook's kernel, or a test run.
    """
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker
    was_running = tracker._fd is not None
    try:
        yield
    finally:
        if not was_running:
            tracker._stop()


def explain(root: Path, student: str, assignment: str, detail: str) -> Outcome:
    """Why a submission could not be graded: a corrupt notebook by name, else nbgrader's log."""
    for notebook in sorted((root / "submitted" / student / assignment).glob("*.ipynb")):
        try:
            validate_json(notebook)
        except CourseError as error:
            return Outcome(student, assignment, error.korean, f"{student}/{assignment}/{notebook.name}: {error.english}")
    return Outcome(student, assignment, "채점하는 중에 문제가 생겼어요. 자세한 기록을 확인해 주세요.", detail[-DETAIL:])


def _finish(future, writer: Writer, root: Path, student: str, assignment: str) -> Outcome:
    """Store one finished task's result; a task that raised (a lost worker) is a failed submission."""
    try:
        graded: Graded = future.result()
    except Exception as error:  # noqa: BLE001 — whatever ended a task, the batch goes on
        return explain(root, student, assignment, f"{type(error).__name__}: {error}")
    writer.store(graded, root)
    return Outcome(student, assignment) if graded.ok else explain(root, student, assignment, graded.log)


def default_workers() -> int:
    from dask.system import CPU_COUNT

    return CPU_COUNT


def grade(root: Path, assignments: Sequence[str], workers: int | None = None, scheduler: str | Client | None = None,
          force: bool = False, students: Sequence[str] | None = None) -> list[Outcome]:
    """Grade the submissions of ``assignments`` in parallel; one :class:`Outcome` each, in the order they finished."""
    from distributed import as_completed

    work = submissions(root, assignments, students, force)
    if not work:
        return []
    bar = Progress(len(work))
    bar.start()
    outcomes = []
    with Writer(gradebook_url(root)) as writer:
        definitions = writer.definitions(list(dict.fromkeys(assignment for _, assignment in work)))
        bundles = {name: assignment_bundle(root, name, definition) for name, definition in definitions.items()}
        with dask_client(min(workers or default_workers(), len(work)), scheduler) as client:
            shared = {name: client.scatter(bundle, hash=False) for name, bundle in bundles.items()}
            futures = {
                client.submit(grade_submission, shared[assignment], pack(root / "submitted" / student / assignment),
                              student, assignment, writer.extension(student, assignment), pure=False): (student, assignment)
                for student, assignment in work
            }
            try:
                for future in as_completed(futures):
                    outcomes.append(_finish(future, writer, root, *futures[future]))
                    bar.advance(outcomes[-1].ok)
            except BaseException:
                client.cancel(list(futures))
                raise
    return outcomes
