"""A real classroom for tests: hub, proxy, PostgreSQL and accounts, with unique account names."""
from __future__ import annotations

import os
import secrets
import shutil
from contextlib import contextmanager
from typing import Iterator

import pytest

from course.hub.classroom import Classroom, stopped_by_signals
from course.hub.client import request
from helpers import REPO

ROSTER = REPO / "hub" / "roster.csv"
COURSE = "bigdata-worker"


def missing() -> str | None:
    """Why a classroom cannot start here, or None."""
    if os.geteuid() != 0:
        return "the classroom creates Unix accounts: run as root"
    if not shutil.which("useradd"):
        return "no useradd"
    from course.hub.classroom import proxy_command
    from course.hub.database import binaries
    try:
        proxy_command()
        binaries()
    except Exception as error:  # noqa: BLE001  the reason is the message
        return str(error)
    return None


def skip_or_fail() -> pytest.MarkDecorator:
    """Skip with the reason on a machine without what the hub needs; in CI, fail instead."""
    reason = missing()
    if reason and os.environ.get("CI"):
        raise RuntimeError(f"CI must run the hub tests: {reason} (see .ci/run)")
    return pytest.mark.skipif(bool(reason), reason=reason or "")


@contextmanager
def classroom() -> Iterator[Classroom]:
    """The classroom of hub/roster.csv, names prefixed so two runs never share an account.

    It is stopped and its accounts removed also when a test fails or pytest is interrupted or terminated."""
    with stopped_by_signals(), Classroom(ROSTER, prefix=f"t{secrets.token_hex(2)}", log=lambda line: None) as room:
        yield room


def assignments_call(room: Classroom, user: str, token: str, action: str | None = None, assignment: str | None = None):
    """What the Assignments panel calls on the learner's own server (nbgrader's assignment list)."""
    if action is None:
        return request(room.hub.user_url(user, f"assignments?course_id={COURSE}"), token)
    return request(room.hub.user_url(user, f"assignments/{action}"), token, "POST",
                   form={"course_id": COURSE, "assignment_id": assignment})


def formgrader(room: Classroom, token: str, path: str, method: str = "GET"):
    """A call to the formgrader's API on the course service, as the formgrader page makes it."""
    return request(room.hub.service_url(COURSE, f"formgrader/api/{path}"), token, method, data={} if method == "POST" else None)
