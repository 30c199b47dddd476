"""Find the table files of one Samsung Health export, wherever the learner's copy puts them.

An export is a folder ``samsunghealth_<user>_<14 digits>/`` holding one
``<table>.<14 digits>.csv`` per table. Copies of it arrive in several shapes, and
:func:`open_export` takes all of them:

* the export folder itself;
* a folder holding it one or two levels down (a phone's ``Download/Samsung Health/``);
* the ``.zip`` of any of these, read in place (nothing is extracted to disk);
* a folder where two exports were copied on top of each other: the newest one (the
  largest 14 digits) is read, the others are left alone.

Everything it does beyond reading the export folder as it is goes into ``notes``
(plain Korean, for the quality report). Only heart rate and steps must be there.
"""
from __future__ import annotations

import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from course.fit2 import formats as F
from course.fit2.errors import ExportError
from course.fit2.quality import Note
from course.fit2.rawcsv import TableFile

#: Tables without which there is no lab: heart rate and steps.
REQUIRED_TABLES = (F.HEART_RATE, F.STEP_COUNT)
#: How many folder levels below the given one are searched.
MAX_DEPTH = 2
_SKIPPED_FOLDERS = {"jsons", "files", "__MACOSX"}
_FILE = re.compile(rf"^(?P<table>{'|'.join(re.escape(t) for t in F.TABLES)})\.(?P<stamp>{F.STAMP_PATTERN})\.csv$")


@dataclass(frozen=True)
class ExportFiles:
    """The chosen export: its folder's name, its 14 digits, one file per table found, and notes."""

    name: str
    stamp: str
    files: dict[str, TableFile]
    location: Path
    notes: tuple[Note, ...]


@contextmanager
def open_export(path: str | Path) -> Iterator[ExportFiles]:
    """The export at ``path`` (folder or ``.zip``); a zip stays open until the block ends."""
    path = Path(path)
    if path.is_dir():
        yield _choose(path, path, ())
        return
    if not path.is_file():
        raise ExportError("폴더를 찾을 수 없어요. 폴더 이름과 위치를 확인해 주세요.", f"no such folder: {path}", file=path)
    if not zipfile.is_zipfile(path):
        hint = ("압축 파일이 망가졌거나 끝까지 받아지지 않았어요. 다시 내려받아 주세요."
                if path.suffix.lower() == ".zip" else "내보내기 폴더나 그 폴더를 압축한 .zip 파일을 넣어 주세요.")
        raise ExportError(f"압축 파일(.zip)로 열 수 없어요. {hint}", "not a readable zip file", file=path)
    try:
        with zipfile.ZipFile(path) as archive:
            note = Note("zip", path.name, f"압축 파일 '{path.name}' 안의 파일을 풀지 않고 바로 읽었어요.")
            yield _choose(zipfile.Path(archive), path, (note,))
    except zipfile.BadZipFile as error:
        raise ExportError("압축 파일이 망가졌어요. 다시 내려받아 주세요.", f"bad zip: {error}", file=path) from error


def _folders(root, depth: int = 0) -> Iterator[tuple[tuple[str, ...], object]]:
    """(relative parts, folder) of ``root`` and its sub-folders down to MAX_DEPTH, in name order."""
    yield (), root
    if depth == MAX_DEPTH:
        return
    for child in sorted((c for c in root.iterdir() if c.is_dir() and c.name not in _SKIPPED_FOLDERS),
                        key=lambda c: c.name):
        for parts, folder in _folders(child, depth + 1):
            yield (child.name, *parts), folder


def _exports(root) -> dict[tuple[tuple[str, ...], str], dict[str, TableFile]]:
    """Every (folder parts, stamp) with its table files."""
    found: dict[tuple[tuple[str, ...], str], dict[str, TableFile]] = {}
    for parts, folder in _folders(root):
        for entry in folder.iterdir():
            match = _FILE.match(entry.name)
            if match and entry.is_file():
                found.setdefault((parts, match["stamp"]), {})[match["table"]] = entry
    return found


def _choose(root, location: Path, notes: tuple[Note, ...]) -> ExportFiles:
    exports = _exports(root)
    complete = {key: files for key, files in exports.items() if all(t in files for t in REQUIRED_TABLES)}
    if not complete:
        raise _no_export(exports, location)
    (parts, stamp), files = max(complete.items(), key=lambda item: (item[0][1], -len(item[0][0])))  # newest, shallowest
    notes += _where_notes(parts, location)
    others = sorted({s for (_, s) in exports} - {stamp})
    if others:
        notes += (Note("mixed_exports", location.name,
                       f"내보내기가 {len(others) + 1}개 섞여 있어요 (파일 이름의 숫자 14자리: {', '.join([*others, stamp])}). "
                       f"가장 새것({stamp})만 읽고 나머지는 읽지 않았어요."),)
    name = parts[-1] if parts else (location.stem if location.is_file() else location.name)
    return ExportFiles(name, stamp, files, location.joinpath(*parts), notes)


def _where_notes(parts: tuple[str, ...], location: Path) -> tuple[Note, ...]:
    if not parts:
        return ()
    inner = "/".join(parts)
    return (Note("nested_folder", inner, f"'{location.name}' 안의 '{inner}' 폴더에서 내보내기를 찾아 읽었어요."),)


def _no_export(exports: dict, location: Path) -> ExportError:
    tables = {t for files in exports.values() for t in files}
    if not exports:
        return ExportError("삼성 헬스 내보내기의 표 파일(.csv)을 찾을 수 없어요. "
                           "'samsunghealth_'로 시작하는 폴더나 그 폴더를 압축한 파일을 넣어 주세요.",
                           f"no export table file within {MAX_DEPTH} folder levels", file=location)
    if len({s for (_, s) in exports}) > 1 and all(t in tables for t in REQUIRED_TABLES):
        return ExportError("파일 이름의 숫자 14자리가 서로 달라요. 두 번 내보낸 파일이 섞였는데, "
                           "심박수와 걸음 파일을 함께 가진 내보내기가 없어요.",
                           f"files from different exports, none with {REQUIRED_TABLES}: "
                           f"{sorted({s for (_, s) in exports})}", file=location)
    missing = next(t for t in REQUIRED_TABLES if t not in tables)
    what = "심박수" if missing == F.HEART_RATE else "걸음 수"
    return ExportError(f"꼭 필요한 {what} 파일이 없어요: '{missing}.<숫자 14자리>.csv'. "
                       "핏2를 차고 휴대폰과 동기화한 뒤 다시 내보내 주세요.",
                       f"required table file missing: {missing}.<14 digits>.csv", file=location)
