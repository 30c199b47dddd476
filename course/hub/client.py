"""Talking to a running hub over HTTP: its REST API, a member's server, the course service.

Every call goes through the hub's public URL (the proxy), as a browser's would.
"""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from course.errors import CourseError


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]  # names in lower case

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(url: str, token: str | None = None, method: str = "GET", data: Any = None, form: dict | None = None,
            timeout: float = 120) -> Reply:
    """One HTTP request; ``data`` is sent as JSON, ``form`` as a urlencoded form; errors are replies too."""
    headers = {"Authorization": f"token {token}"} if token else {}
    body = None
    if data is not None:
        body, headers["Content-Type"] = json.dumps(data).encode("utf-8"), "application/json"
    elif form is not None:
        body, headers["Content-Type"] = urllib.parse.urlencode(form).encode("utf-8"), "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as reply:
            return Reply(reply.status, reply.read(), {k.lower(): v for k, v in reply.headers.items()})
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read(), {k.lower(): v for k, v in error.headers.items()})


class Hub:
    """The hub at ``url`` (the proxy's address), used with ``token``."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def api(self, path: str, method: str = "GET", data: Any = None) -> Any:
        """A call to ``/hub/api<path>``; a failed call raises with the hub's answer."""
        reply = request(f"{self.url}/hub/api{path}", self.token, method, data=data)
        if reply.status >= 400:
            raise CourseError("강의실(JupyterHub)에 요청하지 못했어요.", f"{method} /hub/api{path}: {reply.status} {reply.text[:500]}")
        return reply.json() if reply.body else None

    def token_for(self, user: str) -> str:
        """A new API token of ``user`` (acts with that user's own permissions)."""
        return self.api(f"/users/{user}/tokens", "POST", {"note": "classroom", "expires_in": 3600})["token"]

    def start_server(self, user: str, timeout: float = 180) -> float:
        """Start ``user``'s server and wait until it is ready; returns the seconds it took."""
        started = time.monotonic()
        self.api(f"/users/{user}/server", "POST")
        while time.monotonic() - started < timeout:
            model = self.api(f"/users/{user}")
            if model["servers"].get("", {}).get("ready"):
                return time.monotonic() - started
            time.sleep(0.3)
        raise CourseError("학습자 서버가 시간 안에 시작하지 않았어요.", f"{user}'s server not ready in {timeout} s")

    def server_pid(self, user: str) -> int:
        return int(self.api(f"/users/{user}")["servers"][""]["state"]["pid"])

    def user_url(self, user: str, path: str) -> str:
        return f"{self.url}/user/{user}/{path.lstrip('/')}"

    def service_url(self, service: str, path: str) -> str:
        return f"{self.url}/services/{service}/{path.lstrip('/')}"


class ServerKernel:
    """A kernel on a member's own server, driven over its websocket as JupyterLab drives it.

    ``ServerKernel(hub, user, token, notebook)`` starts a session for ``notebook`` (a path
    in the member's home), so the kernel runs in the notebook's folder; ``run(code)``
    returns the cell's outputs; ``close()`` shuts the session down.
    """

    def __init__(self, hub: Hub, user: str, token: str, notebook: str) -> None:
        self.hub, self.user, self.token = hub, user, token
        reply = request(hub.user_url(user, "api/sessions"), token, "POST",
                        data={"path": notebook, "type": "notebook", "name": notebook, "kernel": {"name": "python3"}})
        if reply.status >= 400:
            raise CourseError("커널을 시작하지 못했어요.", f"{user}: POST api/sessions {reply.status} {reply.text[:300]}")
        self.session = reply.json()
        self.kernel_id = self.session["kernel"]["id"]

    def run(self, code: str, timeout: float = 300) -> list[dict]:
        """Execute ``code``; returns its outputs (stream, display_data, execute_result, error)."""
        # In a thread of its own: the caller may be inside an event loop (Playwright's sync API is).
        with ThreadPoolExecutor(max_workers=1) as worker:
            return worker.submit(asyncio.run, self._run(code, timeout)).result()

    async def _run(self, code: str, timeout: float) -> list[dict]:
        url = self.hub.user_url(self.user, f"api/kernels/{self.kernel_id}/channels").replace("http", "ws", 1)
        socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "username": self.user, "session": uuid.uuid4().hex,
                  "version": "5.3", "date": ""}
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False,
                   "stop_on_error": True}
        socket.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                                         "channel": "shell", "buffers": []}))
        outputs: list[dict] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(socket.read_message(), max(deadline - time.monotonic(), 0.1))
                if raw is None:
                    raise CourseError("커널 연결이 끊겼어요.", f"{self.user}: kernel websocket closed")
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append({"type": kind, **message["content"]})
                if kind == "status" and message["content"].get("execution_state") == "idle":
                    return outputs
            raise CourseError("코드 실행이 시간 안에 끝나지 않았어요.", f"{self.user}: no reply in {timeout} s")
        finally:
            socket.close()

    def close(self) -> None:
        request(self.hub.user_url(self.user, f"api/sessions/{self.session['id']}"), self.token, "DELETE")

