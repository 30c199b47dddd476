"""A whole classroom on 127.0.0.1: PostgreSQL, real accounts, JupyterHub, its proxy, the course service.

``with Classroom(roster) as room:`` starts everything and ``room.url`` is the login page;
leaving the block (also by an error, Ctrl+C or SIGTERM through ``run``) stops the hub
(which stops the proxy, the course service and every member's server), ends whatever the
class's accounts still run, removes the accounts, stops PostgreSQL and deletes the
classroom's folder. Nothing is left running.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from course.errors import CourseError
from course.hub import COURSE_ID, GRADER, accounts
from course.hub.accounts import Account
from course.hub.client import Hub, request
from course.hub.config import install_fonts, write_config_dirs
from course.hub.database import Postgres
from course.hub.roster import Member, read_roster
from course.paths import assignments, course_root

ADMIN_SERVICE = "classroom"  # the hub service whose token the classroom command (and tests) use
HUB_CONFIG = Path(__file__).resolve().parents[2] / "hub" / "jupyterhub_config.py"
COURSE_FILES = ("grader_config.py", "nbgrader_config.py")
PROXY_ENV = "COURSE_PROXY"  # where configurable-http-proxy is, when not in .venv/node


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proxy_command() -> str:
    """configurable-http-proxy as ``make hub`` and ``make test`` install it (npm, into ``.venv/node``)."""
    candidates = [os.environ.get(PROXY_ENV), Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy",
                  shutil.which("configurable-http-proxy")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise CourseError(
        "프록시(configurable-http-proxy)가 설치되어 있지 않아요. make hub 로 시작하면 함께 설치해요.",
        "configurable-http-proxy not found: npm install --prefix .venv/node configurable-http-proxy@4",
    )


def stop_proxy(pid_file: Path) -> None:
    """End the proxy the hub started (by the id in its pid file), if it still runs."""
    try:
        pid = int(pid_file.read_text().strip())
        if "configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass


class Classroom:
    """The classroom of ``roster``; ``prefix`` goes before every account name (tests use a unique one)."""

    def __init__(self, roster: Path, prefix: str = "", root: Path | None = None, log: Callable[[str], None] = print) -> None:
        self.members: list[Member] = read_roster(roster, prefix)
        self.grader_name = prefix + GRADER
        self.repo = root or course_root()
        self.log = log
        self.accounts: dict[str, Account] = {}
        self.state: Path | None = None
        self.opened: list[tuple[Path, int]] = []
        self.settings: dict = {}  # what hub/jupyterhub_config.py reads (written at start)
        self.database: Postgres | None = None
        self.hub_process: subprocess.Popen | None = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)

    # --- who is in the class ----------------------------------------------------
    @property
    def instructors(self) -> list[str]:
        return [m.name for m in self.members if m.instructor]

    @property
    def learners(self) -> list[str]:
        return [m.name for m in self.members if not m.instructor]

    @property
    def course_root(self) -> Path:
        return self.accounts[self.grader_name].home / COURSE_ID

    @property
    def hub(self) -> Hub:
        return Hub(self.url, self.admin_token)

    # --- start and stop -------------------------------------------------------------
    def __enter__(self) -> "Classroom":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        accounts.require_root()
        self.opened = accounts.open_for_everyone([Path(sys.executable).resolve(), Path(sys.prefix), self.repo])
        self.state = Path(tempfile.mkdtemp(prefix="course-hub-"))
        self.state.chmod(0o755)  # members' servers read the config folders in it
        self.log("데이터베이스(포스트그레스큐엘) 시작 …")
        self.database = Postgres(self.state / "postgres", free_port())
        self.database.start()
        hub_db, gradebook_db = self.database.create_database("jupyterhub"), self.database.create_database("gradebook")
        self.log("계정 만들기 …")
        homes = self.state / "home"
        homes.mkdir(mode=0o755)
        for name in [self.grader_name, *(m.name for m in self.members)]:
            account = accounts.create(name, homes)
            self.accounts[name] = account
            install_fonts(account.home)
            accounts.give(account, account.home / ".jupyter")
        exchange = self.state / "exchange"
        exchange.mkdir()
        exchange.chmod(0o1777)  # world-writable with the sticky bit, as nbgrader's docs ask
        self._copy_course()
        settings = {
            "state": str(self.state), "bin": str(Path(sys.executable).parent), "proxy": proxy_command(),
            "port": self.port, "hub_port": free_port(), "proxy_api_port": free_port(), "service_port": free_port(),
            "hub_db": hub_db, "gradebook_db": gradebook_db, "exchange": str(exchange),
            "course_root": str(self.course_root), "grader": self.grader_name,
            "instructors": self.instructors, "learners": self.learners,
            "config_dirs": {kind: str(path) for kind, path in write_config_dirs(self.state / "jupyter", str(exchange)).items()},
            "service_token": secrets.token_hex(32), "admin_token": self.admin_token,
        }
        self.settings = settings
        path = self.state / "settings.json"
        path.touch(mode=0o600)  # tokens and the database password: root only
        path.write_text(json.dumps(settings, indent=1), encoding="utf-8")
        self.log("JupyterHub 시작 …")
        self._start_hub(path)

    def _copy_course(self) -> None:
        """The course folder the grader account works in: settings, source and release."""
        root = self.accounts[self.grader_name].home / COURSE_ID
        root.mkdir()
        for name in COURSE_FILES:
            shutil.copy(self.repo / name, root / name)
        for folder in ("source", "release"):
            shutil.copytree(self.repo / folder, root / folder, ignore=shutil.ignore_patterns("*.answers.json*"))
        accounts.give(self.accounts[self.grader_name], root)

    def _start_hub(self, settings: Path) -> None:
        hub_dir = self.state / "hub"
        hub_dir.mkdir(mode=0o700)
        env = {**os.environ, "COURSE_HUB_SETTINGS": str(settings),
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
        self.hub_log = hub_dir / "jupyterhub.log"
        with self.hub_log.open("w") as log:
            self.hub_process = subprocess.Popen(
                [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(HUB_CONFIG)],
                cwd=hub_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.hub_process.poll() is not None:
                raise CourseError("JupyterHub 이 시작하지 못했어요.", f"jupyterhub exited:\n{self.hub_log.read_text()[-4000:]}")
            try:
                up = request(f"{self.url}/hub/api/", timeout=5).status == 200
                ready = up and request(f"http://127.0.0.1:{self.settings['service_port']}/api/status", timeout=5).status < 500
            except OSError:
                ready = False
            if ready:
                return
            time.sleep(0.5)
        raise CourseError("JupyterHub 이 시간 안에 시작하지 않았어요.", f"hub not up in 180 s:\n{self.hub_log.read_text()[-4000:]}")

    def stop(self) -> None:
        """Stop everything that was started, in reverse order; safe to call twice.

        A second Ctrl+C while stopping is ignored, so the accounts are always removed."""
        with signals_ignored():
            self._stop_all()

    def _stop_all(self) -> None:
        if self.hub_process is not None:
            self._stop_hub()
        for name in list(self.accounts):
            accounts.remove(name)  # also ends whatever the account still runs
            del self.accounts[name]
        if self.database is not None:
            self.database.stop()
            self.database = None
        if self.state is not None:
            shutil.rmtree(self.state, ignore_errors=True)
            self.state = None
        accounts.restore_modes(self.opened)
        self.opened = []

    def _stop_hub(self) -> None:
        process, self.hub_process = self.hub_process, None
        if process.poll() is None:
            process.terminate()  # the hub stops its servers, services and proxy
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        stop_proxy(self.state / "hub" / "jupyterhub-proxy.pid")  # it outlives a hub that failed to start

    # --- the instructor's side from the command line -----------------------------------------
    def as_grader(self, args: Sequence[str]) -> subprocess.CompletedProcess:
        """Run ``python -m ARGS`` as the grader account in the course folder, with the service's settings."""
        grader = self.accounts[self.grader_name]
        env = {**self.settings_env(), "HOME": str(grader.home), "USER": grader.name}
        done = subprocess.run([sys.executable, "-m", *args], user=grader.uid, group=grader.gid, extra_groups=[],
                              cwd=self.course_root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise CourseError("강사 명령이 실패했어요.", f"{' '.join(args)}: {done.stderr[-3000:]}")
        return done

    def settings_env(self) -> dict[str, str]:
        return {
            "PATH": os.pathsep.join([self.settings["bin"], "/usr/bin", "/bin"]),
            "JUPYTER_CONFIG_PATH": self.settings["config_dirs"]["service"],
            "COURSE_ROOT": str(self.course_root), "COURSE_EXCHANGE": self.settings["exchange"],
            "COURSE_DB_URL": self.settings["gradebook_db"], "PYTHONWARNINGS": "ignore::DeprecationWarning",
        }

    def release(self, assignment: str) -> None:
        """Generate (into the PostgreSQL gradebook) and release ``assignment``."""
        self.as_grader(["nbgrader", "generate_assignment", assignment, "--force"])
        self.as_grader(["nbgrader", "release_assignment", assignment, "--force"])


@contextmanager
def stopped_by_signals() -> Iterator[None]:
    """Within the block, SIGINT, SIGTERM and SIGHUP raise ``KeyboardInterrupt``, so that a
    classroom's ``with`` block still stops everything (SIGINT too when started in the background)."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {signum: signal.signal(signum, stop) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


@contextmanager
def signals_ignored() -> Iterator[None]:
    """SIGINT and SIGTERM are ignored within the block (only the main thread may set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, signal.SIG_IGN) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def run(roster: Path, assignment: str | None = None) -> int:
    """``make hub``: the classroom until Ctrl+C (or SIGTERM), with ``assignment`` released."""
    try:
        with stopped_by_signals(), Classroom(roster) as room:
            first = assignment or assignments(room.repo)[0]
            room.log(f"과제 배포 (release): {first} …")
            room.release(first)
            room.log(f"\n강의실 주소 (classroom): {room.url}/hub/login\n")
            for member in room.members:
                role = "강사 (instructor)" if member.instructor else "학습자 (learner)"
                room.log(f"  {role:18} {member.name:14} 비밀번호 (password): {room.accounts[member.name].password}")
            room.log(f"\n강사의 채점 화면 (formgrader): {room.url}/services/{COURSE_ID}/formgrader")
            room.log("멈추려면 Ctrl+C 를 누르세요. 모든 서버와 계정을 정리해요. (Ctrl+C stops and removes everything)")
            while room.hub_process is not None and room.hub_process.poll() is None:
                time.sleep(1)
            raise CourseError("JupyterHub 이 멈췄어요.", f"jupyterhub exited:\n{room.hub_log.read_text()[-3000:]}")
    except KeyboardInterrupt:
        print("\n강의실을 정리했어요. (classroom stopped; accounts removed)")
        return 0
