"""Learner kernels in bubblewrap: what a notebook's code can see and use while it is graded.

``SandboxedKernelManager`` is the jupyter_client kernel manager that ``CourseExecute``
(``course.grading.execute``) starts every grading kernel with, so plain ``nbgrader
autograde``, the formgrader's button and ``course check`` are all sandboxed through
``grader_config.py``. The kernel runs in Debian's bubblewrap (``bwrap``) in mount,
pid, network, ipc and uts namespaces of its own, and sees only:

- a private copy of its notebook's folder at the same path, on a size-limited tmpfs:
  no notebooks (the one being graded holds the hidden tests), no grading flags, and
  nothing that was a symbolic link in the learner's submission. Its writes never
  reach nbgrader's folder;
- read-only: the system (``/usr``, ``/etc`` less its secrets), the Python installation,
  the ``course`` package and the course's data folder;
- a small tmpfs ``/tmp`` with its home in it, fresh ``/proc`` and ``/dev``, no network
  (it talks to nbgrader over ipc sockets in the folder of its connection file).

Limits, set as hard limits by util-linux's ``prlimit`` before bubblewrap starts and kept
by every process the kernel starts: address space, tasks (processes and threads), file
size, core dumps, open files. A root grader runs each kernel as a uid of its own that no
account and no process has (bubblewrap keeps only the right to change uid, which
util-linux's ``setpriv`` uses inside), so the task limit counts and two kernels graded
at once cannot reach each other; there, where a memory controller can be used, the kernel
and all it starts also share one memory limit (:mod:`course.grading.cgroup`). Nothing the kernel starts outlives it: it lives in its
own pid namespace, bubblewrap dies with the grader, and a root grader kills whatever
that uid still runs.
"""
from __future__ import annotations

import asyncio
import functools
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from time import monotonic

from jupyter_client.manager import AsyncKernelManager
from nbgrader.coursedir import CourseDirectory
from traitlets import Bool, Enum, Integer, Unicode

import course
from course.data import data_dir
from course.errors import CourseError
from course.grading import cgroup
from course.grading.flags import FILE as FLAGS_FILE

MiB = 1024 * 1024
TOOLS = ("prlimit", "setpriv")  # util-linux: hard resource limits, then the kernel's own uid
#: the system, read-only (on merged-/usr systems most of these are symbolic links into /usr).
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
#: what /etc holds that learner code has no business reading: password hashes, sudo rules,
#: host keys, private TLS keys, a JupyterHub's secrets. Shown empty.
SECRETS = ("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers", "/etc/sudoers.d",
           "/etc/ssh", "/etc/ssl/private", "/etc/jupyterhub", "/etc/security/opasswd")
#: left out of the kernel's copy of its folder: notebooks (the autograded one holds the
#: hidden tests) and the grader's own flags.
LEFT_OUT = ("*.ipynb", FLAGS_FILE)
MAX_FILES = 256  # a notebook folder has a handful; each file is copied in through an open file
HOME = "/tmp/home"
RUNTIME_PREFIX = "course-kernel-"  # + the grader's pid: folders of killed graders are found and removed
SOCKETS_SECONDS = 60  # how long a starting kernel may take to make its sockets (nbclient's startup_timeout)
LEARNER = "learner"  # USER and LOGNAME inside: the kernel's uid has no account
UID_BASE, UID_COUNT = 2_000_000_000, 1_000_000  # far from accounts and from subordinate-uid ranges
#: grader environment passed on to the kernel; everything else is cleared.
PASSED_ENV = ("NBGRADER_EXECUTION", "COURSE_DATA", "TZ")
#: one thread for the numeric libraries (their arenas would eat the address space) and no display.
KERNEL_ENV = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1",
              "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2", "PYTHONDONTWRITEBYTECODE": "1"}
NOT_SANDBOXED = ("격리 장치 없이 채점했어요. 학습자 코드가 채점 기록과 정답 칸을 읽거나 바꿀 수 있어요. "
                 "자기 컴퓨터에서 자기 답을 채점할 때만 이렇게 해 주세요.")
INSTALL = ("install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap) "
           "and allow user namespaces (sysctl kernel.unprivileged_userns_clone=1), or set COURSE_SANDBOX=off "
           "to grade unsandboxed on a self-learner's own computer")


class SandboxUnavailable(CourseError):
    """Grading refused: the sandbox cannot run here."""


@dataclass
class Plan:
    """One kernel's sandbox: who runs it, what it sees, the files copied into its folder."""

    bwrap: str
    uid: int | None  # the kernel's own uid when the grader is root, else None (the grader's uid)
    work: Path  # the notebook's folder: the kernel's working directory
    runtime: Path  # connection file, ipc sockets and the kernel's output log
    readonly: list[Path]
    files: list[tuple[str, int]] = field(default_factory=list)  # (path inside work, open file)
    env: dict[str, str] = field(default_factory=dict)
    work_bytes: int = 64 * MiB
    tmp_bytes: int = 64 * MiB
    group: cgroup.Group | None = None  # the memory cgroup of the kernel and all it starts, where there is one


def python_paths() -> list[Path]:
    """What the kernel's Python needs: the environment, the base installation, the real executable."""
    return [Path(sys.prefix), Path(sys.base_prefix), Path(os.path.realpath(sys.executable)).parent]


def course_paths() -> list[Path]:
    """The ``course`` package and the course's data folder (not the repository around them)."""
    return [Path(course.__file__).resolve().parent, data_dir().resolve()]


def outermost(paths: list[Path]) -> list[Path]:
    """``paths`` less duplicates and those inside another one or inside the system folders."""
    kept: list[Path] = []
    system = [Path(p) for p in SYSTEM if os.path.isdir(p) and not os.path.islink(p)]
    for path in sorted({p.resolve() for p in paths if p.exists()}, key=lambda p: len(p.parts)):
        if not any(path == other or other in path.parents for other in kept + system):
            kept.append(path)
    return kept


def hidden_links(submitted: Path | None) -> set[str]:
    """Paths (relative) that are symbolic links in the learner's submitted folder: nbgrader
    followed them when it copied, so their contents must not reach the kernel."""
    if submitted is None or not submitted.is_dir():
        return set()
    links = set()
    for folder, dirnames, filenames in os.walk(submitted):
        for name in dirnames + filenames:
            path = Path(folder) / name
            if path.is_symlink():
                links.add(path.relative_to(submitted).as_posix())
    return links


def work_files(folder: Path, hidden: set[str]) -> list[str]:
    """The regular files of ``folder`` (relative paths) that the kernel's copy holds."""
    found = []
    for parent, dirnames, filenames in os.walk(folder):
        relative = Path(parent).relative_to(folder)
        dirnames[:] = [d for d in dirnames if not _left_out(relative / d, hidden) and not (Path(parent) / d).is_symlink()]
        for name in filenames:
            path = relative / name
            if not _left_out(path, hidden) and stat.S_ISREG(os.lstat(folder / path).st_mode):
                found.append(path.as_posix())
    return sorted(found)[:MAX_FILES]


def _left_out(path: Path, hidden: set[str]) -> bool:
    return path.as_posix() in hidden or any(fnmatch(path.name, pattern) for pattern in LEFT_OUT)


def submitted_folder(coursedir: CourseDirectory, work: Path) -> Path | None:
    """The learner's submitted folder for an autograded folder ``work`` (as nbgrader names them)."""
    pattern = coursedir.format_path(coursedir.autograded_directory, "(?P<student>[^/]+)", "(?P<assignment>[^/]+)", escape=True)
    found = re.fullmatch(pattern, os.path.normpath(work))
    if not found:
        return None
    return Path(coursedir.format_path(coursedir.submitted_directory, found["student"], found["assignment"]))


def _dirs(path: Path, made: set[Path]) -> list[str]:
    """``--dir`` for each missing ancestor of ``path``, world-readable (bubblewrap's own are not)."""
    args = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in made:
            made.add(parent)
            args += ["--perms", "0755", "--dir", str(parent)]
    return args


def bwrap_args(plan: Plan) -> list[str]:
    """bubblewrap's arguments for ``plan``, ending with ``--``; the kernel's command follows."""
    args = [plan.bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session"]
    if plan.uid is None:  # an ordinary grader: a user namespace of its own, and none nested in it
        args += ["--unshare-user", "--disable-userns"]
    else:  # a root grader: only the right to become the kernel's uid, which setpriv then uses
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    made: set[Path] = set()
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in SECRETS:
        if os.path.isdir(path) and not os.path.islink(path):
            args += ["--tmpfs", path]
        elif os.path.isfile(path):
            args += ["--ro-bind", "/dev/null", path]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--size", str(plan.tmp_bytes), "--tmpfs", "/dev/shm",
             "--perms", "1777", "--size", str(plan.tmp_bytes), "--tmpfs", "/tmp", "--perms", "0777", "--dir", HOME]
    made |= {Path("/dev"), Path("/tmp")}
    for path in plan.readonly:
        args += [*_dirs(path, made), "--ro-bind", str(path), str(path)]
    args += [*_dirs(plan.runtime, made), "--bind", str(plan.runtime), str(plan.runtime)]
    args += [*_dirs(plan.work, made), "--perms", "0777", "--size", str(plan.work_bytes), "--tmpfs", str(plan.work)]
    made.add(plan.work)
    for relative, fd in plan.files:
        target = plan.work / relative
        args += [*_dirs(target, made), "--perms", "0666", "--file", str(fd), str(target)]
    args += ["--remount-ro", "/", "--chdir", str(plan.work), "--clearenv"]
    for name, value in plan.env.items():
        args += ["--setenv", name, value]
    return [*args, "--"]


def kernel_env() -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's but a few named variables."""
    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    env = {"PATH": path, "HOME": HOME, "TMPDIR": "/tmp", "USER": LEARNER, "LOGNAME": LEARNER, **KERNEL_ENV}
    return env | {name: os.environ[name] for name in PASSED_ENV if name in os.environ}


def limited(limits: dict[str, int], command: list[str]) -> list[str]:
    """``command`` under hard resource ``limits`` (``prlimit`` names: as, nproc, fsize, core, nofile)."""
    return [_tool("prlimit"), *(f"--{name}={value}" for name, value in limits.items()), "--", *command]


def as_user(uid: int, command: list[str]) -> list[str]:
    """``command`` as ``uid`` (and the same gid), with no supplementary groups: no way back to root."""
    return [_tool("setpriv"), f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--", *command]


def _tool(name: str) -> str:
    return shutil.which(name, path="/usr/bin:/bin:/usr/sbin:/sbin") or name


def kill_all(uid: int) -> None:
    """Kill every process that ``uid`` still runs (a root grader's sweep once a kernel has stopped)."""
    for _ in range(100):
        pids = [pid for pid, owner in _processes() if owner == uid and not _ended(pid)]
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)


def _ended(pid: int) -> bool:
    """Whether ``pid`` has ended and only waits to be collected (a zombie), or is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except (OSError, IndexError):
        return True


def _processes() -> list[tuple[int, int]]:
    """(pid, uid) of every process on this machine."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                found.append((int(entry.name), entry.stat().st_uid))
            except OSError:
                pass
    return found


def tasks_of(uid: int) -> int:
    """How many tasks (processes and threads) ``uid`` runs: what the task limit counts."""
    count = 0
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                count += len(os.listdir(f"/proc/{entry.name}/task"))
        except OSError:
            pass
    return count


def fresh_uid() -> int:
    """A uid for one kernel that no account has and no process runs as."""
    import pwd

    busy = {owner for _, owner in _processes()}
    while True:
        uid = UID_BASE + secrets.randbelow(UID_COUNT)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in busy:
                return uid


@functools.lru_cache(maxsize=None)
def problem(bwrap: str, as_root: bool) -> str | None:
    """Why bubblewrap cannot make a sandbox here (English), or ``None`` when it can.

    The probe runs what a kernel start runs (prlimit, bubblewrap, setpriv for a root
    grader), with ``true`` in place of the kernel.
    """
    if not os.access(bwrap, os.X_OK):
        return f"{bwrap} is missing or cannot be run"
    missing = [tool for tool in TOOLS if not shutil.which(_tool(tool))]
    if missing:
        return f"util-linux's {' and '.join(missing)} missing"
    uid = fresh_uid() if as_root else None
    with tempfile.TemporaryDirectory(prefix="course-probe-") as runtime:
        plan = Plan(bwrap=bwrap, uid=uid, work=Path(runtime) / "work", runtime=Path(runtime), readonly=outermost(python_paths() + course_paths()))
        true = [shutil.which("true") or "/bin/true"]
        command = limited({"core": 0}, [*bwrap_args(plan), *(true if uid is None else as_user(uid, true))])
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{bwrap} did not start: {error}"
    if done.returncode != 0:
        return f"{bwrap} cannot make a sandbox here (exit {done.returncode}): {done.stderr.strip()[-500:]}"
    return None


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in bubblewrap, within limits (see the module)."""

    mode = Enum(["require", "auto", "off"], "require", config=True, help=(
        "require: grade only in the sandbox, refuse where it cannot run; auto: sandbox where it can, "
        "else grade unsandboxed with a warning (a self-learner's own check); off: never sandbox (warned)."))
    bwrap = Unicode("/usr/bin/bwrap", config=True, help="bubblewrap's executable")
    memory_mb = Integer(1024, config=True, help="address space per process (RLIMIT_AS), MiB")
    total_memory_mb = Integer(1024, config=True, help=(
        "memory of the kernel and every process it starts, together (a memory cgroup: root graders only), MiB"))
    tasks = Integer(128, config=True, help="processes and threads the kernel may run at once (RLIMIT_NPROC)")
    file_size_mb = Integer(50, config=True, help="largest file the kernel may write (RLIMIT_FSIZE), MiB")
    open_files = Integer(512, config=True, help="open files per process (RLIMIT_NOFILE)")
    scratch_mb = Integer(64, config=True, help="room for new files in the notebook's folder, and in /tmp, MiB each")
    sandboxed = Bool(False, help="whether the running kernel is sandboxed (set when it starts)")
    log_tail = Unicode("", help="the end of the kernel's own output, kept when it stops (for a flag's detail)")
    oom_killed = Bool(False, help="whether the out-of-memory killer ended a process of the kernel's group")

    _plan: Plan | None = None

    async def _async_pre_start_kernel(self, **kw):
        self.sandboxed = self._may_sandbox()
        if not self.sandboxed:
            return await super()._async_pre_start_kernel(**kw)
        uid = fresh_uid() if os.geteuid() == 0 else None
        for stale in stale_runtimes():
            shutil.rmtree(stale, ignore_errors=True)
        runtime = Path(tempfile.mkdtemp(prefix=f"{RUNTIME_PREFIX}{os.getpid()}-"))
        self._plan = Plan(bwrap=self.bwrap, uid=uid, work=Path(kw.get("cwd") or os.getcwd()), runtime=runtime,
                          readonly=outermost(python_paths() + course_paths()), env=kernel_env(),
                          tmp_bytes=self.scratch_mb * MiB)
        if uid is not None:
            os.chown(runtime, 0, uid)
            os.chmod(runtime, 0o770)
        self.transport, self.cache_ports = "ipc", False  # tcp cannot cross the network namespace
        self.connection_file = str(runtime / "kernel.json")
        self.ip = str(runtime / "kernel-ipc")
        self.kernel_spec.interrupt_mode = "message"  # a signal would stop at bubblewrap
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if uid is not None:
            os.chown(self.connection_file, 0, uid)
            os.chmod(self.connection_file, 0o640)
        return cmd, kw

    def _may_sandbox(self) -> bool:
        """Whether to sandbox this kernel; refuse (``SandboxUnavailable``) when required and impossible."""
        if self.mode == "off":
            self.log.warning("%s (COURSE_SANDBOX=off: this kernel runs UNSANDBOXED)", NOT_SANDBOXED)
            return False
        reason = problem(self.bwrap, os.geteuid() == 0)
        if reason is None:
            return True
        if self.mode == "auto":
            self.log.warning("%s (the sandbox cannot run, so this kernel runs UNSANDBOXED: %s)", NOT_SANDBOXED, reason)
            return False
        refusal = SandboxUnavailable(
            "학습자 코드를 따로 떼어 놓고 채점하는 격리 장치(bubblewrap)를 쓸 수 없어서 채점하지 않았어요. "
            "관리자에게 설치를 부탁해 주세요.", f"{reason}; {INSTALL}")
        self.log.error("%s", refusal)
        raise refusal

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if not self.sandboxed:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        plan = self._plan
        submitted = submitted_folder(CourseDirectory(config=self.config), plan.work)
        names = work_files(plan.work, hidden_links(submitted)) if plan.work.is_dir() else []
        plan.files = [(name, os.open(plan.work / name, os.O_RDONLY | os.O_NOFOLLOW)) for name in names]
        plan.work_bytes = self.scratch_mb * MiB + sum(os.fstat(fd).st_size for _, fd in plan.files)
        inner = kernel_cmd if plan.uid is None else as_user(plan.uid, kernel_cmd)
        command = limited(self._limits(plan.uid), [*bwrap_args(plan), *inner])
        plan.group = cgroup.create(self.total_memory_mb * MiB) if plan.uid is not None else None
        if plan.group is not None:
            command = plan.group.command(command)
        log = open(plan.runtime / "kernel.log", "wb")  # noqa: SIM115  (the kernel's stdout and stderr)
        kw.update(env={"PATH": "/usr/bin:/bin"}, cwd="/", stdout=log, stderr=log, pass_fds=[fd for _, fd in plan.files])
        try:
            await super()._async_launch_kernel(command, **kw)
        finally:
            log.close()
            for _, fd in plan.files:
                os.close(fd)

    def _limits(self, uid: int | None) -> dict[str, int]:
        """The resource limits: the task limit counts the uid's tasks, so an ordinary grader's own count in."""
        tasks = self.tasks if uid is not None else tasks_of(os.getuid()) + self.tasks
        return {"as": self.memory_mb * MiB, "nproc": tasks, "fsize": self.file_size_mb * MiB, "core": 0, "nofile": self.open_files}

    async def _async_post_start_kernel(self, **kw):
        await super()._async_post_start_kernel(**kw)
        if self.sandboxed and self._plan.uid is not None:
            await self._lock_runtime()

    async def _lock_runtime(self) -> None:
        """Once the kernel has made its sockets, it may add no more files beside them."""
        sockets = [Path(f"{self.ip}-{port}") for port in (self.shell_port, self.iopub_port, self.stdin_port, self.hb_port, self.control_port)]
        deadline = monotonic() + SOCKETS_SECONDS
        while not all(s.exists() for s in sockets) and monotonic() < deadline and await self.is_alive():
            await asyncio.sleep(0.02)
        os.chmod(self._plan.runtime, 0o750)

    async def _async_finish_shutdown(self, waittime=None, pollinterval=0.02, restart=False):
        # a sandboxed kernel stops a moment after the kernel itself (bubblewrap follows it): look
        # more often than every 0.1 s, so that moment does not cost a whole polling interval
        return await super()._async_finish_shutdown(waittime, pollinterval, restart)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        plan, self._plan = self._plan, None
        if plan is None:
            return
        self.log_tail = _tail(plan.runtime / "kernel.log")
        shutil.rmtree(plan.runtime, ignore_errors=True)
        if plan.uid is not None:
            kill_all(plan.uid)
        if plan.group is not None:
            self.oom_killed = plan.group.oom_kills() > 0
            plan.group.remove()

    cleanup_resources = _async_cleanup_resources  # AsyncKernelManager binds the name to its own


def stale_runtimes() -> list[Path]:
    """Kernel folders whose grader was killed before it could remove them (named by its pid)."""
    stale = []
    for path in Path(tempfile.gettempdir()).glob(f"{RUNTIME_PREFIX}*-*"):
        pid = path.name[len(RUNTIME_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            stale.append(path)
    return stale


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tail(path: Path, size: int = 2000) -> str:
    """The last ``size`` bytes of ``path`` as text ('' when it is missing)."""
    try:
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - size))
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return ""
