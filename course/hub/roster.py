"""A class from a roster file: a CSV with the columns ``name`` and ``role``.

``role`` is ``instructor`` or ``learner``. A name becomes a Unix account and the learner's
id in nbgrader, so it is lower-case letters, digits, ``-`` and ``_``, starting with a letter.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from course.errors import CourseError

ROLES = ("instructor", "learner")
NAME = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")


@dataclass(frozen=True)
class Member:
    name: str
    role: str

    @property
    def instructor(self) -> bool:
        return self.role == "instructor"


def read_roster(path: Path, prefix: str = "") -> list[Member]:
    """The members of ``path``; ``prefix`` is put before every name (tests use a unique one)."""
    with Path(path).open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    members = []
    for number, row in enumerate(rows, 2):
        name, role = prefix + (row.get("name") or "").strip(), (row.get("role") or "").strip()
        if not NAME.match(name):
            raise CourseError(
                f"명단 {number}번째 줄의 이름 '{name}'은(는) 계정 이름으로 쓸 수 없어요. 영어 소문자와 숫자로 써 주세요.",
                f"{path}:{number}: {name!r} is not a valid account name ({NAME.pattern})",
            )
        if role not in ROLES:
            raise CourseError(
                f"명단 {number}번째 줄의 역할 '{role}'을(를) 알 수 없어요. instructor 또는 learner 로 써 주세요.",
                f"{path}:{number}: role {role!r} is not one of {ROLES}",
            )
        members.append(Member(name, role))
    names = [m.name for m in members]
    if len(set(names)) != len(names) or not any(m.instructor for m in members):
        raise CourseError(
            "명단에 같은 이름이 두 번 있거나 강사가 없어요.",
            f"{path}: names must be unique and at least one member must be an instructor",
        )
    return members
