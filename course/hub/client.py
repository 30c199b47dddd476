"""Talking to a running hub over HTTP: its REST API, a member's server, the course service.

Every call goes through the hub's public URL (the proxy), as a browser's would.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from course.errors import CourseError


@dataclass
class Reply:
    status: int
    body: bytes

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
            return Reply(reply.status, reply.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read())


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
