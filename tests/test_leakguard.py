"""The leak guard itself: a test that leaves a process running fails the whole run."""
import os
import subprocess
import sys
from pathlib import Path

import psutil

TESTS = Path(__file__).parent

# The server's own parent ends at once, as a launcher killed by SIGTERM would: the server
# is an orphan, which the guard must still find.
LEAKY = '''
import subprocess, sys

SERVER = "import time; time.sleep(600)"

def test_starts_a_server_through_a_launcher_that_ends():
    subprocess.run([sys.executable, "-c", f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {SERVER!r}])"])
'''

TIDY = '''
import subprocess, sys

def test_starts_a_server_and_stops_it():
    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    server.terminate()
    server.wait()
'''


def run_suite(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(body, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "leakguard", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_sample.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )


def sleepers_of(tmp_path: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        if "time.sleep(600)" in " ".join(process.info["cmdline"] or []) and process.info["cwd"] == str(tmp_path):
            found.append(process)
    return found


def test_a_leaked_process_fails_the_run_is_named_and_killed(tmp_path):
    done = run_suite(tmp_path, LEAKY)
    assert "1 passed" in done.stdout  # the test itself passed …
    assert done.returncode == 1, done.stdout  # … but the run fails
    assert "LEAK GUARD" in done.stdout and "time.sleep(600)" in done.stdout
    assert sleepers_of(tmp_path) == []  # and the orphan was killed, though its parent test had ended


def test_a_tidy_run_passes(tmp_path):
    done = run_suite(tmp_path, TIDY)
    assert done.returncode == 0, done.stdout
    assert "LEAK GUARD" not in done.stdout
