"""Real Unix accounts for a class: created as root, removed afterwards with everything they ran.

nbgrader takes a learner's id from the OS user and the exchange relies on file
permissions, so every member of the class is a real account with a private home.
"""
from __future__ import annotations

import os
import pwd
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from course.errors import CourseError


@dataclass(frozen=True)
class Account:
    name: str
    home: Path
    password: str

    @property
    def uid(self) -> int:
        return pwd.getpwnam(self.name).pw_uid

    @property
    def gid(self) -> int:
        return pwd.getpwnam(self.name).pw_gid


def require_root() -> None:
    if os.geteuid() != 0:
        raise CourseError(
            "강의실은 관리자(root) 권한으로 시작해야 해요. sudo make hub 로 실행해 주세요.",
            "the classroom creates Unix accounts and spawns servers as them: run it as root",
        )


def exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def create(name: str, homes: Path) -> Account:
    """A new account ``name`` with its home in ``homes`` (mode 700) and a random password."""
    if exists(name):
        raise CourseError(
            f"'{name}' 계정이 이미 있어요. 다른 이름을 쓰거나 그 계정을 먼저 정리해 주세요.",
            f"account {name!r} exists already; the classroom never takes over an account it did not create",
        )
    home = homes / name
    subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group", name],
                   check=True, capture_output=True)
    home.chmod(0o700)
    password = secrets.token_urlsafe(9)
    subprocess.run(["chpasswd"], input=f"{name}:{password}", text=True, check=True, capture_output=True)
    return Account(name, home, password)


def give(account: Account, path: Path) -> None:
    """Hand ``path`` (a file or a whole folder) to ``account``."""
    for item in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.lchown(item, account.uid, account.gid)


def processes_of(name: str) -> list[int]:
    """The ids of the processes that run as ``name``."""
    uid = pwd.getpwnam(name).pw_uid
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.append(int(entry.name))
            except FileNotFoundError:
                continue
    return found


def stop_processes(name: str, grace: float = 5.0) -> None:
    """End every process of ``name`` (by its id): TERM, then KILL after ``grace`` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_of(name)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while processes_of(name) and time.monotonic() < deadline:
            time.sleep(0.1)


def remove(name: str) -> None:
    """Stop what ``name`` runs, then delete the account, its group and its home."""
    if not exists(name):
        return
    stop_processes(name)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


def open_for_everyone(paths: list[Path]) -> list[tuple[Path, int]]:
    """Let every account pass through the folders above ``paths`` (adds ``o+x``, never ``o+r``).

    Members' servers run the course's Python and read the course from where they are
    installed; a parent folder closed to others (a home with mode 700) would stop them.
    Returns the folders changed with their old modes, for ``restore_modes``.
    """
    changed = []
    for path in paths:
        for folder in reversed(Path(path).resolve().parents):
            mode = folder.stat().st_mode & 0o7777
            if not mode & 0o001 and folder not in (p for p, _ in changed):
                folder.chmod(mode | 0o001)
                changed.append((folder, mode))
    return changed


def restore_modes(changed: list[tuple[Path, int]]) -> None:
    for folder, mode in reversed(changed):
        folder.chmod(mode)
