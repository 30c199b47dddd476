"""One memory limit for a kernel and everything it starts: a memory cgroup of its own.

The address-space limit (``RLIMIT_AS``) holds each process; a kernel that starts many
processes could still use many times it together. Where the grader runs as root and a
memory controller is there to use (cgroup v1's ``/sys/fs/cgroup/memory``, or cgroup v2
with ``memory`` enabled for the groups below ``/sys/fs/cgroup``), each kernel runs in a
group of its own, ``course-kernel-<grader pid>-<n>``, whose memory (and swap) is limited
in total. When the group is full, the system's out-of-memory killer ends a process in it,
never one outside. Elsewhere (an ordinary user's grader, no controller) only the
per-process limits hold, and :func:`create` returns ``None``.

A kernel joins its group before anything of it runs: :meth:`Group.command` starts the
kernel's command from a shell that first writes its own pid into the group. The group's
files belong to root, so the kernel (another uid) cannot leave it.
"""
from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

PREFIX = "course-kernel-"
V1 = Path("/sys/fs/cgroup/memory")
V2 = Path("/sys/fs/cgroup")
_count = itertools.count()


@dataclass(frozen=True)
class Group:
    """A kernel's memory cgroup."""

    path: Path
    v2: bool

    def command(self, command: list[str]) -> list[str]:
        """``command``, run in this group from its first instruction."""
        return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs"; exec "$@"', str(self.path), *command]

    def oom_kills(self) -> int:
        """How many processes the out-of-memory killer ended in this group."""
        name = "memory.events" if self.v2 else "memory.oom_control"
        try:
            lines = (self.path / name).read_text().splitlines()
        except OSError:
            return 0
        counts = dict(line.split() for line in lines if len(line.split()) == 2)
        return int(counts.get("oom_kill", 0))

    def remove(self, seconds: float = 5.0) -> None:
        """Remove the group once its last process has ended (the kernel is stopped first)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.05)


def _controller() -> tuple[Path, bool] | None:
    """Where a new memory group goes, and whether it is cgroup v2; ``None`` where none can be made."""
    if os.geteuid() != 0:
        return None
    if (V1 / "memory.limit_in_bytes").exists() and os.access(V1, os.W_OK):
        return V1, False
    try:
        if "memory" in (V2 / "cgroup.subtree_control").read_text().split() and os.access(V2, os.W_OK):
            return V2, True
    except OSError:
        pass
    return None


def create(limit_bytes: int) -> Group | None:
    """A new group whose processes may use ``limit_bytes`` of memory together, or ``None`` (see the module)."""
    found = _controller()
    if found is None:
        return None
    root, v2 = found
    remove_stale(root)
    path = root / f"{PREFIX}{os.getpid()}-{next(_count)}"
    try:
        path.mkdir()
        if v2:
            (path / "memory.max").write_text(str(limit_bytes))
            (path / "memory.swap.max").write_text("0")
        else:
            (path / "memory.limit_in_bytes").write_text(str(limit_bytes))
            if (path / "memory.memsw.limit_in_bytes").exists():
                (path / "memory.memsw.limit_in_bytes").write_text(str(limit_bytes))
    except OSError:
        Group(path, v2).remove(0)
        return None
    return Group(path, v2)


def remove_stale(root: Path) -> None:
    """Remove the empty groups of graders that were killed before they could."""
    for path in root.glob(f"{PREFIX}*"):
        grader = path.name[len(PREFIX):].split("-")[0]
        if grader.isdigit() and not Path(f"/proc/{grader}").exists():
            Group(path, root == V2).remove(0)
