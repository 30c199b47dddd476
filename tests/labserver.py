"""A JupyterLab started by ``python -m course lab`` on a private course copy, for tests."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from processes import stop

TOKEN = "course-test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    def __init__(self, root: Path, port: int, process: subprocess.Popen) -> None:
        self.root = root
        self.url = f"http://127.0.0.1:{port}"
        self.process = process

    def get(self, path: str) -> tuple[int, str]:
        separator = "&" if "?" in path else "?"
        with urllib.request.urlopen(f"{self.url}{path}{separator}token={TOKEN}", timeout=30) as reply:
            return reply.status, reply.read().decode("utf-8")

    def json(self, path: str) -> dict:
        return json.loads(self.get(path)[1])

    def post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}?token={TOKEN}", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read())


@contextmanager
def running_lab(root: Path) -> Iterator[Lab]:
    """Serve ``root`` with the course's own command until the block ends."""
    port = free_port()
    env = {**os.environ, "COURSE_ROOT": str(root), "JUPYTER_TOKEN": TOKEN}
    log = (root / "lab.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "course", "lab", "--port", str(port), "--no-browser"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    lab = Lab(root, port, process)
    try:
        for _ in range(120):
            try:
                if lab.get("/api/status")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab stopped: {(root / 'lab.log').read_text()}")
        else:
            raise RuntimeError("JupyterLab did not start in 60 s")
        yield lab
    finally:
        stop(process)
        log.close()
