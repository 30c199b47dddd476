"""Grading learner code that cannot cheat, crash or slow down: the sandbox, its limits, the flags.

The attack tests run nbgrader's real ``autograde`` of assignment 00 on a private course
copy, one batch of learners each. Every attacker also gives every right answer, so the
score it deserves is stated by hand; the honest learner ``z_honest`` is graded after
them. ``source/``, ``release/`` and ``submitted/`` (every learner's, the honest one's
included) are byte-identical before and after, the gradebook gains no table or trigger,
and no process the learners started is left (the leak guard fails the run otherwise).
"""
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
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
from helpers import course_copy, item_scores, scores, set_cell

A = "00_getting_started"
RIGHT_Q3 = "steps_total = 5200 + 6800 + 7400\nsteps_total"
# Each attempt prints "<name> blocked <error>" or "<name> LEAKED <what it got>".
ATTEMPT = '''
import os
def need(found):
    if not found:
        raise LookupError("nothing there")
    return found
def attempt(name, action):
    try:
        print(name, "LEAKED", repr(action())[:200])
    except Exception as error:
        print(name, "blocked", type(error).__name__)
'''


def attack(code: str, *, answers: str = "full"):
    """A learner who answers everything right and runs ``code`` in the q3 answer cell first."""
    def learner(folder: Path, root: Path):
        write_learner(answers, root / "source" / A / f"{A}.ipynb", folder)
        set_cell(folder, A, "q3", f"{ATTEMPT}\n{code}\n{RIGHT_Q3}")
    return learner


def honest(folder: Path, root: Path):
    write_learner("full", root / "source" / A / f"{A}.ipynb", folder)


def tree_hash(folder: Path) -> str:
    """One hash of every path, link target and file content under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def schema(root: Path) -> list:
    with sqlite3.connect(root / "gradebook.db") as db:
        return sorted(db.execute("select type, name, sql from sqlite_master").fetchall(), key=str)


def outside(root: Path) -> dict:
    """What learner code must not change: source, release, every submission, the gradebook's schema."""
    return {folder: tree_hash(root / folder) for folder in ("source", "release", "submitted")} | {"schema": schema(root)}


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


def graded_cell(root: Path, student: str, grade_id: str):
    nb = nbformat.read(str(root / "autograded" / student / A / f"{A}.ipynb"), as_version=4)
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def cell_text(root: Path, student: str, grade_id: str) -> str:
    return "\n".join(o.get("text", "") + o.get("evalue", "") for o in graded_cell(root, student, grade_id).outputs)


def flags_of(root: Path, student: str) -> list[tuple]:
    path = root / "autograded" / student / A / flags.FILE
    found = json.loads(path.read_text(encoding="utf-8"))["flags"] if path.exists() else []
    return [(f["kind"], f["item"]) for f in found]


def lines(text: str) -> dict[str, str]:
    """``attempt`` results by name: 'blocked' or 'LEAKED'."""
    return {line.split()[0]: line.split()[1] for line in text.splitlines() if len(line.split()) >= 2 and line.split()[1] in ("blocked", "LEAKED")}


def running(marker: str) -> list:
    """Processes with ``marker`` as one of their arguments."""
    return [p for p in psutil.process_iter(["cmdline"]) if marker in (p.info["cmdline"] or [])]


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


# --- attacks through nbgrader's autograde --------------------------------------------

READ = '''
root = {root!r}
attempt("gradebook", lambda: open(os.path.join(root, "gradebook.db"), "rb").read(16))
attempt("gradebook-relative", lambda: open("../../../gradebook.db", "rb").read(16))
attempt("hidden-tests", lambda: open(os.path.join(root, "source", "{a}", "{a}.ipynb")).read(200))
attempt("own-notebook", lambda: open("{a}.ipynb").read(200))
attempt("release", lambda: os.listdir(os.path.join(root, "release")))
attempt("classmate", lambda: os.listdir(os.path.join(root, "submitted", "z_honest")))
attempt("classmates", lambda: need([n for n in os.listdir("../..") if n != "a_read"]))
attempt("exchange", lambda: os.listdir(os.path.join(root, "exchange")))
attempt("secret-env", lambda: os.environ["COURSE_TEST_SECRET"])
attempt("home", lambda: need([n for n in os.listdir(os.path.expanduser("~")) if n != ".ipython"]))
attempt("shadow", lambda: open("/etc/shadow").read(10) or need(""))
'''
WRITE = '''
import sqlite3
root = {root!r}
attempt("write-source", lambda: open(os.path.join(root, "source", "{a}", "evil.py"), "w").write("x"))
attempt("write-release", lambda: open(os.path.join(root, "release", "{a}", "evil.py"), "w").write("x"))
attempt("write-classmate", lambda: open(os.path.join(root, "submitted", "z_honest", "{a}", "{a}.answers.json"), "w").write("{{}}"))
attempt("write-gradebook", lambda: sqlite3.connect(os.path.join(root, "gradebook.db")).execute("create table evil (x)"))
attempt("write-course", lambda: open(os.path.join({course!r}, "evil.py"), "w").write("x"))
open("planted.txt", "w").write("stays in the kernel's own copy")
'''
NETWORK = '''
import socket
attempt("network", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=3))
attempt("dns", lambda: socket.getaddrinfo("example.com", 80))
'''
PROCESSES = '''
import subprocess
started = []
try:
    for _ in range(300):  # bounded: the sandbox's task limit must stop it first
        started.append(subprocess.Popen(["sleep", "3141"]))
except OSError as error:
    print("tasks stopped at", len(started), type(error).__name__)
for process in started:
    process.kill()
    process.wait()
subprocess.Popen(["sleep", "2718"], start_new_session=True)  # meant to outlive grading
if os.fork() == 0:
    os.setsid()
    os.execv("/bin/sleep", ["sleep", "2719"])
'''


@pytest.fixture
def listener():
    """A TCP port on 127.0.0.1 and the connections it received."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    server.close()


def test_attacks_from_an_answer_cell_change_nothing_and_score_as_deserved(tmp_path, monkeypatch, listener):
    port, accepted = listener
    root = course_copy(tmp_path, [A])
    course_dir = str(Path(sandbox.course.__file__).parent)

    def linked_file(folder, root_):
        honest(folder, root_)
        (folder / "notes.txt").symlink_to(root_ / "source" / A / f"{A}.ipynb")
        set_cell(folder, A, "q3", f'{ATTEMPT}\nattempt("linked-file", lambda: open("notes.txt").read(200))\n{RIGHT_Q3}')

    def linked_notebook(folder, root_):
        honest(folder, root_)
        (folder / f"{A}.ipynb").unlink()
        (folder / f"{A}.ipynb").symlink_to(root_ / "source" / A / f"{A}.ipynb")

    learners = {
        "a_read": attack(READ.format(root=str(root), a=A)),
        "b_write": attack(WRITE.format(root=str(root), a=A, course=course_dir)),
        "c_network": attack(NETWORK.format(port=port)),
        "d_processes": attack(PROCESSES),
        "e_memory": attack("big = bytearray(3 * 1024 ** 3)"),
        "f_print": attack('print("x" * (30 * 1024 * 1024))'),
        "h_linked_file": linked_file,
        "h_linked_notebook": linked_notebook,
        "i_exit": attack("os._exit(1)"),
        "z_honest": honest,
    }
    done = grade_batch(root, learners, {"COURSE_TEST_SECRET": "s3cr3t"}, monkeypatch)
    got = scores(root, A)
    assert got["z_honest"] == 8.0, done.stderr[-3000:]
    # The attacks gain nothing and lose nothing: every right answer still counts.
    for student in ("a_read", "b_write", "c_network", "d_processes", "f_print", "h_linked_file"):
        assert got[student] == 8.0, (student, done.stderr[-3000:])
    read = lines(cell_text(root, "a_read", "q3"))
    assert set(read.values()) == {"blocked"} and len(read) == 11, read
    written = lines(cell_text(root, "b_write", "q3"))
    assert set(written.values()) == {"blocked"} and len(written) == 5, written
    assert not (root / "autograded" / "b_write" / A / "planted.txt").exists()  # writes stayed in the private copy
    assert lines(cell_text(root, "c_network", "q3")) == {"network": "blocked", "dns": "blocked"} and not accepted
    stopped = [line for line in cell_text(root, "d_processes", "q3").splitlines() if line.startswith("tasks stopped at")]
    assert stopped and int(stopped[0].split()[3]) < 128
    assert not running("3141") and not running("2718") and not running("2719")
    assert lines(cell_text(root, "h_linked_file", "q3")) == {"linked-file": "blocked"}
    # 3 GiB cannot be had: q3's answer line is never reached (8 - 1), the rest is graded.
    assert got["e_memory"] == 7.0 and item_scores(root, A, "e_memory")["q3_test"] == 0.0
    assert ("memory", "q3") in flags_of(root, "e_memory")
    # 30 MiB of output: 1 MiB kept, with a note, and flagged.
    assert ("output_cut", "q3") in flags_of(root, "f_print")
    assert (root / "autograded" / "f_print" / A / f"{A}.ipynb").stat().st_size < 3 * 2 ** 20
    assert "잘랐어요" in cell_text(root, "f_print", "q3")
    # A notebook submitted as a link to the instructor's: not run, no solution in what it returns, flagged.
    assert ("corrupt_notebook", None) in flags_of(root, "h_linked_notebook")
    assert item_scores(root, A, "h_linked_notebook")["q3_test"] == 0.0
    linked = (root / "autograded" / "h_linked_notebook" / A / f"{A}.ipynb").read_text(encoding="utf-8")
    assert "19400" not in linked and "BEGIN HIDDEN" not in linked and graded_cell(root, "h_linked_notebook", "q3").source == ""
    # os._exit: the kernel dies in q3, the flag is written, the batch goes on (z_honest above).
    assert ("kernel_died", "q3") in flags_of(root, "i_exit") and "i_exit" in got
    assert item_scores(root, A, "i_exit")["q3_test"] == 0.0


def test_endless_cells_and_endless_notebooks_are_stopped_and_flagged(tmp_path, monkeypatch):
    root = course_copy(tmp_path, [A])

    def slow(folder, root_):  # eight cells of 3 s after the last graded item: no cell too long, the notebook is
        honest(folder, root_)
        path = folder / f"{A}.ipynb"
        nb = nbformat.read(str(path), as_version=4)
        last = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade"))
        nb.cells[last + 1:last + 1] = [nbformat.v4.new_code_cell("import time\ntime.sleep(3)") for _ in range(8)]
        nbformat.write(nb, str(path))

    learners = {"g_loop": attack("while True:\n    pass"), "g_slow": slow, "z_honest": honest}
    grade_batch(root, learners, {"COURSE_CELL_TIMEOUT": "10", "COURSE_NOTEBOOK_TIMEOUT": "20"}, monkeypatch)
    got = scores(root, A)
    assert got == {"g_loop": 7.0, "g_slow": 8.0, "z_honest": 8.0}  # the loop loses q3 only; the slow one loses nothing graded
    assert ("cell_timeout", "q3") in flags_of(root, "g_loop")
    slow_flags = flags_of(root, "g_slow")
    assert ("notebook_timeout", None) in slow_flags and not [f for f in slow_flags if f[0] == "cell_timeout"]
    assert flags_of(root, "z_honest") == []


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
    attack('import subprocess, time\nsubprocess.Popen(["sleep", "4711"], start_new_session=True)\ntime.sleep(120)')(folder, root)
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
