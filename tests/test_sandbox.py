"""Grading learner code that cannot cheat, crash or slow down: the sandbox, its limits, the flags.

The parts one by one: the flags, bubblewrap's arguments, the hard limits, one sandboxed
kernel, grading refused without bubblewrap or unsandboxed on request, and a killed
grader leaving nothing behind. The attacks and faults themselves, graded in one batch by
nbgrader's real ``autograde`` and by ``course grade``, are tests/test_tamper_corpus.py.
"""
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbclient import NotebookClient

from course.cycle import build, nbgrader
from course.grading import export, flags, sandbox
from course.grading.execute import CourseExecute
from course.grading.sandbox import MiB
from course.learners import write_learner
from helpers import course_copy, outside, running, scores, set_cell

A = "00_getting_started"


def honest(folder: Path, root: Path):
    write_learner("full", root / "source" / A / f"{A}.ipynb", folder)


def grade_batch(root: Path, learners: dict, env: dict | None = None, monkeypatch=None) -> subprocess.CompletedProcess:
    """Submit ``learners`` (each edits its copy of the release), autograde them in one batch, and check
    that nothing outside the learners' kernels changed."""
    build([A], root)
    for student, learner in learners.items():
        folder = root / "submitted" / student / A
        shutil.copytree(root / "release" / A, folder)
        learner(folder, root)
    before = outside(root)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    done = nbgrader(["autograde", A, "--force"], root, check=False)
    assert outside(root) == before
    return done


def flags_of(root: Path, student: str) -> list[tuple]:
    path = root / "autograded" / student / A / flags.FILE
    found = json.loads(path.read_text(encoding="utf-8"))["flags"] if path.exists() else []
    return [(f["kind"], f["item"]) for f in found]


def living(processes: list) -> list:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


def reap() -> None:
    """Collect ended children (this process adopts orphans: see leakguard.py)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


# --- flags ---------------------------------------------------------------------------

def test_flags_are_recorded_then_written_per_notebook(tmp_path):
    resources = {"metadata": {"path": str(tmp_path)}, "nbgrader": {"notebook": "a"}}
    flags.add(resources, "cell_timeout", "시간이 너무 오래 걸렸어요.", "cell 3 ran 60 s", item="q3")
    flags.WriteFlags().preprocess(None, resources)
    flags.write(tmp_path, "b", [{"kind": "kernel_died", "message": "멈췄어요.", "detail": "", "item": None}])
    flags.write(tmp_path, "a", [])  # graded again: a's earlier entries go, b's stay
    written = json.loads((tmp_path / flags.FILE).read_text(encoding="utf-8"))["flags"]
    assert written == [{"kind": "kernel_died", "message": "멈췄어요.", "detail": "", "item": None, "notebook": "b"}]
    assert resources[flags.KEY][0] == {"kind": "cell_timeout", "message": "시간이 너무 오래 걸렸어요.", "detail": "cell 3 ran 60 s", "item": "q3"}


def test_a_flag_kind_must_be_known_to_the_report():
    from course.report.page import FLAG_KINDS

    assert flags.KINDS <= set(FLAG_KINDS)
    with pytest.raises(ValueError):
        flags.add({}, "oops", "")


# --- the sandbox's parts -------------------------------------------------------------

def test_the_kernel_sees_its_own_folder_less_notebooks_flags_and_submitted_links(tmp_path):
    submitted, graded = tmp_path / "submitted", tmp_path / "autograded"
    for folder in (submitted, graded):
        (folder / "sub").mkdir(parents=True)
        for name in ("nb.ipynb", "nb.answers.json", "sub/data.csv", flags.FILE):
            (folder / name).write_text("x", encoding="utf-8")
    (submitted / "notes.txt").symlink_to(tmp_path / "elsewhere")  # nbgrader copied what it pointed to
    (graded / "notes.txt").write_text("the hidden tests", encoding="utf-8")
    (submitted / "linked").symlink_to(tmp_path)
    (graded / "own-link").symlink_to("/etc/passwd")
    assert sandbox.hidden_links(submitted) == {"notes.txt", "linked"}
    assert sandbox.work_files(graded, sandbox.hidden_links(submitted)) == ["nb.answers.json", "sub/data.csv"]


def test_bubblewrap_binds_the_system_read_only_and_not_the_repository(tmp_path):
    plan = sandbox.Plan(bwrap="/usr/bin/bwrap", uid=2_000_000_123, work=tmp_path / "autograded" / "kim" / A,
                        runtime=tmp_path / "run", readonly=sandbox.outermost(sandbox.python_paths() + sandbox.course_paths()),
                        env={"HOME": sandbox.HOME})
    args = sandbox.bwrap_args(plan)
    pairs = {(args[i], args[i + 1]) for i in range(len(args) - 1)}
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session", "--clearenv"):
        assert flag in args
    assert ("--remount-ro", "/") in pairs and ("--tmpfs", str(plan.work)) in pairs and ("--bind", str(plan.runtime)) in pairs
    bound = [args[i + 1] for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    repo = Path(__file__).resolve().parent.parent
    assert str(repo) not in bound and str(repo / "course") in bound and str(repo / "data") in bound
    assert not any(Path(b) in Path(str(tmp_path)).parents or b == str(tmp_path) for b in bound)  # no course folder
    if os.path.exists("/etc/shadow"):
        assert ("/dev/null", "/etc/shadow") in pairs


def test_a_submitted_folder_is_found_from_the_autograded_one(tmp_path):
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(root=str(tmp_path))
    assert sandbox.submitted_folder(coursedir, tmp_path / "autograded" / "kim" / A) == tmp_path / "submitted" / "kim" / A
    assert sandbox.submitted_folder(coursedir, tmp_path / "elsewhere") is None


def test_the_limits_are_hard_limits_that_the_code_cannot_raise():
    show = ("import resource\nprint([resource.getrlimit(getattr(resource, 'RLIMIT_' + n)) for n in ('AS', 'FSIZE', 'CORE')])\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (2 ** 30, 2 ** 30))")
    limits = {"as": 2 ** 31, "fsize": 2 ** 20, "core": 0}
    done = subprocess.run(sandbox.limited(limits, [sys.executable, "-c", show]), capture_output=True, text=True)
    assert done.stdout.strip() == str([(2 ** 31, 2 ** 31), (2 ** 20, 2 ** 20), (0, 0)])
    assert "ValueError" in done.stderr  # a hard limit cannot be raised again


def test_the_sandbox_cannot_run_without_bubblewrap():
    assert "missing" in sandbox.problem("/nonexistent/bwrap", os.geteuid() == 0)
    assert sandbox.problem("/usr/bin/bwrap", os.geteuid() == 0) is None  # installed here (Debian's bubblewrap)


# --- one kernel, directly ------------------------------------------------------------

def test_a_sandboxed_kernel_sees_nothing_of_the_grader(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_TEST_SECRET", "s3cr3t")
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.txt").write_text("mine", encoding="utf-8")
    probe = ("import json, os, socket, resource, subprocess\n"
             "subprocess.Popen(['sleep', '7331'], start_new_session=True)\n"
             "open('mine.txt', 'w').write('changed')\n"
             "print(json.dumps({'uid': os.getuid(), 'files': sorted(os.listdir('.')), 'env': sorted(os.environ),\n"
             "    'home': os.listdir(os.environ['HOME']), 'nics': [n for _, n in socket.if_nameindex()],\n"
             "    'pids': [p for p in os.listdir('/proc') if p.isdigit()], 'as': resource.getrlimit(resource.RLIMIT_AS)[0]}))")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(probe)])
    NotebookClient(nb, kernel_manager_class=sandbox.SandboxedKernelManager, resources={"metadata": {"path": str(work)}}, timeout=60).execute()
    seen = json.loads(nb.cells[0].outputs[-1].text)
    assert (seen["uid"] != 0) == (os.geteuid() == 0) and seen["files"] == ["mine.txt"]
    assert seen["home"] in ([], [".ipython"])  # a fresh, private home: only what IPython makes at start
    assert "COURSE_TEST_SECRET" not in seen["env"] and "JPY_PARENT_PID" not in seen["env"] and "HOME" in seen["env"]
    assert seen["nics"] == ["lo"] and len(seen["pids"]) <= 5  # no network; only the sandbox's own few processes
    assert seen["as"] == 1024 * 2 ** 20
    assert (work / "mine.txt").read_text(encoding="utf-8") == "mine"  # the kernel changed its own copy only
    assert not running("7331")


# --- attacks and faults: tests/test_tamper_corpus.py grades the whole corpus in one batch --------

# --- where the sandbox cannot run ----------------------------------------------------

def test_grading_refuses_without_bubblewrap_and_says_how_to_install_it(tmp_path, monkeypatch):
    root = course_copy(tmp_path, [A])
    done = grade_batch(root, {"kim": honest}, {"COURSE_BWRAP": str(tmp_path / "no-bwrap")}, monkeypatch)
    assert done.returncode != 0
    assert "격리 장치(bubblewrap)를 쓸 수 없어서 채점하지 않았어요" in done.stderr and "apt-get install bubblewrap" in done.stderr
    assert not (root / "autograded" / "kim" / A / f"{A}.ipynb").exists()  # nothing graded unsandboxed


def test_grading_unsandboxed_on_request_says_so_on_every_run(tmp_path, monkeypatch):
    root = course_copy(tmp_path, [A])
    done = grade_batch(root, {"kim": honest}, {"COURSE_SANDBOX": "off"}, monkeypatch)
    assert scores(root, A) == {"kim": 8.0}
    assert "UNSANDBOXED" in done.stderr and "격리 장치 없이 채점했어요" in done.stderr
    assert flags_of(root, "kim") == [("sandbox_unavailable", None)]


def test_a_self_check_without_bubblewrap_grades_unsandboxed_and_says_so(tmp_path):
    from course.learners import make_learner

    root = course_copy(tmp_path, [A])
    mine = tmp_path / "mine"
    make_learner("partial", A, root, mine)
    env = {"COURSE_ROOT": str(root), "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "COURSE_BWRAP": str(tmp_path / "no-bwrap")}
    done = subprocess.run([sys.executable, "-m", "course", "check", A, "--folder", str(mine)], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "점수 (score): 4 / 8" in done.stdout and "격리 장치 없이 채점했어요" in done.stderr


def test_nothing_the_kernel_started_outlives_a_killed_grader(tmp_path):
    """nbgrader itself killed mid-notebook: bubblewrap dies with it, and with it the kernel's pid namespace."""
    from course.cycle import environment

    root = course_copy(tmp_path, [A])
    build([A], root)
    folder = root / "submitted" / "kim" / A
    shutil.copytree(root / "release" / A, folder)
    honest(folder, root)
    set_cell(folder, A, "q3", 'import subprocess, time\nsubprocess.Popen(["sleep", "4711"], start_new_session=True)\ntime.sleep(120)')
    grader = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", A, "--force", f"--CourseDirectory.root={root}"],
                              cwd=root, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not running("4711"):
            assert grader.poll() is None, "nbgrader ended before the learner's cell ran"
            time.sleep(0.1)
        started = psutil.Process(grader.pid).children(recursive=True)  # bubblewrap, the kernel, the learner's sleep
    finally:
        grader.kill()
        grader.wait()
    deadline = time.monotonic() + 15
    while living(started) and time.monotonic() < deadline:
        reap()
        time.sleep(0.1)
    assert not living(started), [p.cmdline() for p in living(started)]
    assert not running("4711")
    left = [path for path in sandbox.stale_runtimes() if path.name.startswith(f"{sandbox.RUNTIME_PREFIX}{grader.pid}-")]
    assert left  # the killed grader could not remove its kernel's folder; the next kernel start does
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    NotebookClient(nb, kernel_manager_class=sandbox.SandboxedKernelManager, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert not any(path.exists() for path in left)



def _cut_to(message_data: dict) -> int:
    """The bytes a cell keeps of one 2 MiB display message under the 1 MiB output cap."""
    run = CourseExecute()
    run._spent, run.clear_before_next_output, run.resources = {}, False, {}
    run.nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell()])
    message = {"msg_type": "display_data", "header": {"msg_type": "display_data"}, "parent_header": {},
               "content": {"data": message_data, "metadata": {}, "transient": {}}}
    outs = []
    run.output(outs, message, None, 0)
    return sum(len(json.dumps(out)) for out in outs)


def test_a_test_cells_values_are_not_cut_by_the_output_cap_but_other_output_is():
    big = "x" * (2 * MiB)
    assert _cut_to({export.MIME: {"values": {"v": big}, "files": {}}}) > 2 * MiB  # the stub's data, whole
    assert _cut_to({"text/plain": big}) < 1.1 * MiB  # a learner's own output, cut


HOG = '''import subprocess, sys
hog = "import time\\nblock = bytearray(600 * 1024 ** 2)\\nblock[::4096] = b'x' * len(block[::4096])\\nprint('held', flush=True)\\ntime.sleep(30)"
hogs = [subprocess.Popen([sys.executable, "-c", hog], stdout=subprocess.PIPE, text=True) for _ in range(3)]
held = [p.stdout.readline().strip() == "held" for p in hogs]
for p in hogs:
    p.kill()
    p.wait()
print(sum(held))'''


def test_a_kernel_and_its_processes_share_one_memory_limit(tmp_path):
    """Three processes of 600 MiB each pass the per-process limit (1 GiB) but not the shared one."""
    from course.grading import cgroup

    if cgroup._controller() is None:  # not root, or no memory controller: per-process limits only
        pytest.skip("a memory cgroup of its own needs a root grader and a memory controller")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(HOG)])
    NotebookClient(nb, kernel_manager_class=sandbox.SandboxedKernelManager, resources={"metadata": {"path": str(tmp_path)}},
                   timeout=120).execute()
    assert nb.cells[0].outputs[-1].text.strip() == "1"  # 1 of the 3 held its 600 MiB; the others were killed
    root = cgroup._controller()[0]
    assert not [path for path in root.glob(f"{cgroup.PREFIX}{os.getpid()}-*")]  # the group went with the kernel
