"""Stopping what a test started: a process, its process group and every descendant."""
from __future__ import annotations

import os
import signal
import subprocess

import psutil


def living(processes: list[psutil.Process]) -> list[psutil.Process]:
    """The processes that still run (a zombie has ended; it only waits to be reaped)."""
    alive = []
    for process in processes:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


def descendants(pid: int) -> list[psutil.Process]:
    """Every process below ``pid`` (children, grandchildren …); empty when it has ended."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def stop(process: subprocess.Popen, timeout: float = 20) -> list[psutil.Process]:
    """Stop ``process`` as a supervisor would (SIGTERM), then kill whatever it left behind.

    Returns the processes that had to be killed: a well-behaved command leaves none.
    """
    family = descendants(process.pid)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    left = living(family)
    _, still = psutil.wait_procs(left, timeout=5)
    for straggler in still:
        straggler.kill()
    try:
        os.killpg(process.pid, signal.SIGKILL)  # a group of its own, when started with start_new_session
    except (ProcessLookupError, PermissionError):
        pass
    return still
