"""A throwaway PostgreSQL server for the classroom: the gradebook and the hub's own database.

Debian's ``postgresql`` binaries run as the ``postgres`` account on a cluster in a
temporary folder, on a free port of 127.0.0.1, with a password (learners share the
machine, so the gradebook must not be open to them). Stopped and deleted at the end.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
from pathlib import Path

from course.errors import CourseError

SERVICE_ACCOUNT = "postgres"
ROLE = "course"


def binaries() -> Path:
    """The newest installed ``/usr/lib/postgresql/<version>/bin`` (``COURSE_PG_BIN`` overrides)."""
    chosen = os.environ.get("COURSE_PG_BIN") or max(glob.glob("/usr/lib/postgresql/*/bin"), default="",
                                                     key=lambda p: int(Path(p).parent.name))
    if not chosen or not (Path(chosen) / "initdb").exists():
        raise CourseError(
            "데이터베이스 프로그램(포스트그레스큐엘)이 설치되어 있지 않아요. apt-get install postgresql 로 설치해 주세요.",
            "no /usr/lib/postgresql/<version>/bin/initdb (Debian package postgresql)",
        )
    return Path(chosen)


class Postgres:
    """``start()`` a private cluster in ``folder`` on ``port``; ``url(db)`` for SQLAlchemy; ``stop()``."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self.password = secrets.token_urlsafe(16)
        self.bin = binaries()
        self.running = False

    def _as_postgres(self, *command: str) -> subprocess.CompletedProcess:
        account = pwd.getpwnam(SERVICE_ACCOUNT)
        done = subprocess.run([str(self.bin / command[0]), *command[1:]], user=account.pw_uid, group=account.pw_gid,
                              extra_groups=[], cwd=self.folder, capture_output=True, text=True,
                              env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"})
        if done.returncode != 0:
            raise CourseError("데이터베이스(포스트그레스큐엘)를 준비하지 못했어요.",
                              f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def start(self) -> None:
        account = pwd.getpwnam(SERVICE_ACCOUNT)
        self.folder.mkdir(parents=True)
        secret = self.folder / "password"
        secret.write_text(self.password)
        for path in (self.folder, secret):
            os.chown(path, account.pw_uid, account.pw_gid)
        self.folder.chmod(0o700)
        data = self.folder / "data"
        self._as_postgres("initdb", "--pgdata", str(data), "--username", ROLE, "--pwfile", str(secret),
                          "--auth", "scram-sha-256", "--encoding", "UTF8", "--no-instructions")
        secret.unlink()
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder}"
        self._as_postgres("pg_ctl", "--pgdata", str(data), "--log", str(self.folder / "server.log"),
                          "--options", options, "--wait", "start")
        self.running = True

    def create_database(self, name: str) -> str:
        """Create database ``name``; returns its SQLAlchemy URL (psycopg 3)."""
        env = {"PGPASSWORD": self.password, "PATH": os.environ.get("PATH", "")}
        done = subprocess.run([str(self.bin / "createdb"), "--host", "127.0.0.1", "--port", str(self.port),
                               "--username", ROLE, name], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise CourseError("데이터베이스를 만들지 못했어요.", f"createdb {name}: {done.stderr}")
        return self.url(name)

    def pid(self) -> int:
        """The server's process id (the first line of ``postmaster.pid``)."""
        return int((self.folder / "data" / "postmaster.pid").read_text().split()[0])

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://{ROLE}:{self.password}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        if self.running:
            self._as_postgres("pg_ctl", "--pgdata", str(self.folder / "data"), "--mode", "fast", "--wait", "stop")
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)
