"""The sandbox's first step: set resource limits, give up root, become bubblewrap.

The grader runs ``python -I -S jail.py [--user UID] [--limit NAME=VALUE]... -- COMMAND...``
(isolated, without site packages, so only the standard library is imported). The
limits (``as``, ``nproc``, ``fsize``, ``core``, ``nofile``: ``resource.RLIMIT_*``) are
set soft and hard, so the learner's code cannot raise them again; ``--user`` drops a
root grader to that uid and gid with no supplementary groups, which makes the process
limit count (it does nothing for root). Then COMMAND replaces this process.

``python -I -S jail.py --user UID --kill-all`` instead kills every process that uid
still runs: what a root grader does once a kernel has stopped.
"""
from __future__ import annotations

import argparse
import os
import resource
import signal
from typing import Sequence


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="jail", description=__doc__)
    parser.add_argument("--user", type=int, help="the unprivileged uid (and gid) to run as")
    parser.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE", help="a resource limit, e.g. as=1073741824")
    parser.add_argument("--kill-all", action="store_true", help="kill every process of --user instead of running a command")
    parser.add_argument("command", nargs="*")
    return parser.parse_args(argv)


def set_limits(limits: Sequence[str]) -> None:
    """Apply ``NAME=VALUE`` resource limits as both soft and hard limit."""
    for limit in limits:
        name, value = limit.split("=", 1)
        resource.setrlimit(getattr(resource, f"RLIMIT_{name.upper()}"), (int(value), int(value)))


def drop_to(uid: int) -> None:
    """Become ``uid`` (gid the same), with no supplementary groups: no way back to root."""
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)


def kill_all() -> None:
    """Kill every process this uid runs (all that ``kill(-1)`` reaches; there may be none)."""
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    set_limits(args.limit)
    if args.user is not None:
        drop_to(args.user)
    if args.kill_all:
        kill_all()
    else:
        os.execv(args.command[0], args.command)


if __name__ == "__main__":
    main()
