"""A pytest plugin: the run fails when a process the tests started outlives them.

The pytest process becomes a *child subreaper* (Linux), so a server or kernel whose
parent has ended is re-parented to pytest instead of to init, and so it stays among
pytest's descendants. At the end of the session every descendant still running (after
a grace period for orderly shutdowns) is named, killed, and the run fails.
"""
from __future__ import annotations

import ctypes
import os
import sys

import psutil
import pytest

from processes import descendants, living

PR_SET_CHILD_SUBREAPER = 36
GRACE_SECONDS = 15


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _is_execnet_gateway(process: psutil.Process) -> bool:
    """pytest-xdist's own workers, which the controller ends after this hook."""
    try:
        return "execnet" in " ".join(process.cmdline()) or "xdist" in " ".join(process.cmdline())
    except psutil.Error:
        return False


def pytest_configure(config: pytest.Config) -> None:
    if sys.platform.startswith("linux") and not _is_xdist_worker(config):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap() -> None:
    """Collect ended children, so they no longer count as running."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _is_xdist_worker(session.config):
        return
    _reap()
    left = [p for p in living(descendants(os.getpid())) if not _is_execnet_gateway(p)]
    _, left = psutil.wait_procs(left, timeout=GRACE_SECONDS)
    _reap()
    left = living(left)
    if not left:
        return
    lines = []
    for process in left:
        try:
            lines.append(f"  pid {process.pid}: {' '.join(process.cmdline())[:200]}")
            process.kill()
        except psutil.Error:
            pass
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "processes started by the tests outlived them (killed now):\n" + "\n".join(lines)
    if reporter:
        reporter.write_line(f"LEAK GUARD: {message}", red=True, bold=True)
    else:
        print(f"LEAK GUARD: {message}", file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
