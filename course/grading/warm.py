"""A warm nbgrader: one process that has imported nbgrader once and forks a fresh child per command.

Starting ``nbgrader`` costs about three seconds of imports and configuration before the
first kernel starts, as much as grading a short notebook. A grading worker therefore
keeps one of these servers: it imports nbgrader and the course's grading settings once,
then forks a new child for every ``nbgrader autograde`` command line it is sent. Each
child is a real ``nbgrader`` run of its own: it reads the course configuration afresh
from its own working folder (so the sandbox and every setting apply), has its own
environment, writes its log to a file and exits; nothing of one run reaches the next.

Protocol (one JSON line each way, on the server's stdin and stdout)::

    {"argv": ["autograde", …], "cwd": "…", "env": {…}, "log": "…"}  →  {"returncode": 0}

The server and each child ask the kernel to send them SIGTERM when their parent dies
(``PR_SET_PDEATHSIG``); a child turns SIGTERM into ``KeyboardInterrupt``, so nbgrader
shuts its kernel down on the way out. Linux only, as the sandbox is.
"""
from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, Mapping, Sequence

PR_SET_PDEATHSIG = 1
WARM_IMPORTS = ("nbgrader.apps.nbgraderapp", "course.preprocessors", "course.paths", "course.answers")


def die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent thread ends."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def run_nbgrader(argv: Sequence[str]) -> int:
    """nbgrader's own command line in this process (``nbgrader ARGV``); returns its exit code."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    sys.argv = ["nbgrader", *argv]
    try:
        NbGraderApp.launch_instance(argv=list(argv))
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    except BaseException:  # noqa: B036 — a crash or an interrupt is this run's failure, reported in its log
        traceback.print_exc()
        return 1
    return 0


def _child(request: Mapping[str, Any]) -> None:
    """In the forked child: become one ``nbgrader`` run, then exit without the parent's clean-up."""
    die_with_parent()
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    code = run_nbgrader(request["argv"])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def serve() -> None:
    """Read requests on stdin until it closes; fork, wait and answer for each."""
    die_with_parent()
    for name in WARM_IMPORTS:
        __import__(name)
    replies = sys.stdout
    sys.stdout = sys.stderr  # anything the imports print must not break the protocol
    for line in sys.stdin:
        request = json.loads(line)
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request)
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


class WarmNbgrader:
    """A client of one warm server, started on first use; one command at a time."""

    def __init__(self) -> None:
        self._server: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self._server is None or self._server.poll() is not None:
            self._server = subprocess.Popen(
                [sys.executable, "-m", "course.grading.warm"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, preexec_fn=die_with_parent,
            )
        return self._server

    def run(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path) -> int:
        """Run ``nbgrader ARGV`` in a fresh child; its output goes to ``log``; returns its exit code."""
        server = self._start()
        server.stdin.write(json.dumps({"argv": list(argv), "cwd": str(cwd), "env": dict(env), "log": str(log)}) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:
            raise RuntimeError(f"the warm nbgrader server ended (exit code {server.poll()})")
        return json.loads(reply)["returncode"]


_per_thread = threading.local()


def warm_nbgrader() -> WarmNbgrader:
    """This thread's warm server (a server dies with the thread that started it)."""
    if not hasattr(_per_thread, "client"):
        _per_thread.client = WarmNbgrader()
    return _per_thread.client


if __name__ == "__main__":
    serve()
