"""The wire between the learner's kernel and the grader: a test cell's values, as one output.

At autograde a graded test cell runs as a one-line stub (:func:`stub`) that calls
:func:`emit` in the learner's kernel: the values the cell's hidden test reads leave as
plain data (:mod:`course.grading.values`) in one ``display_data`` output of the course's
own MIME type. A value that names a file the notebook wrote in its folder (a
``pathlib.Path``) brings that file along, compressed: the kernel's folder is a private
copy that grading throws away. The grader reads them back with :func:`read`, from that
test cell's outputs only; a forged output elsewhere is never read, and a forged one in
the stub's cell can only carry plain data and files inside the notebook's folder.
"""
from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator, Mapping, Sequence

from course.answers import SUFFIX
from course.grading.values import LIMIT, to_plain

MIME = "application/vnd.bigdata-worker.values+json"
UNDEFINED = {"type": "undefined"}  # a name the learner's notebook never defined
TOO_LARGE = {"type": "unsupported", "kind": "value", "why": "over the cell's limit"}
FILE_LIMIT = 768 * 1024  # compressed bytes of files one cell may bring


@dataclass
class Sent:
    """What one stub sent: plain data by name, and files by their path in the notebook's folder."""

    values: dict[str, dict] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def stub(names: Sequence[str]) -> str:
    """The source that takes a test cell's place in the learner's kernel (empty when it reads nothing)."""
    if not names:
        return ""
    return f'__import__("course.grading.export", fromlist=["emit"]).emit(globals(), {list(names)!r})'


# --- in the learner's kernel ----------------------------------------------------------------

def emit(namespace: Mapping[str, Any], names: Sequence[str]) -> None:
    """Display the values of ``names`` in ``namespace`` as plain data, with the files they name."""
    from IPython.display import display

    values, left = {}, LIMIT
    for name in names:
        plain = to_plain(namespace[name]) if name in namespace else UNDEFINED
        size = len(json.dumps(plain))
        values[name] = plain if size <= left else TOO_LARGE
        left -= min(size, left)
    display({MIME: {"values": values, "files": packed_files(values)}}, raw=True)


def packed_files(values: Mapping[str, dict]) -> dict[str, str]:
    """The regular files inside the working folder that the values' paths name, compressed, within :data:`FILE_LIMIT`."""
    here = Path.cwd().resolve()
    files, left = {}, FILE_LIMIT
    for text in sorted(set(_paths(values))):
        path = Path(text)
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(here):
            continue
        packed = base64.b64encode(zlib.compress(path.read_bytes(), 6)).decode("ascii")
        if len(packed) <= left:
            files[path.resolve().relative_to(here).as_posix()] = packed
            left -= len(packed)
    return files


def _paths(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        if node.get("type") == "path" and isinstance(node.get("value"), str):
            yield node["value"]
        for item in node.values():
            yield from _paths(item)
    elif isinstance(node, list):
        for item in node:
            yield from _paths(item)


# --- in the grader -----------------------------------------------------------------------------

def read(outputs: Sequence[Mapping[str, Any]], names: Sequence[str]) -> Sent | None:
    """What a stub cell's outputs carry for ``names``; ``None`` when the stub did not report.

    Only the names asked for are kept; an undefined name is left out, so the hidden test
    meets it as a ``NameError``, as it would have in the kernel.
    """
    found = [output["data"][MIME] for output in outputs
             if output.get("output_type") == "display_data" and MIME in output.get("data", {})]
    payload = found[-1] if found and isinstance(found[-1], Mapping) else {}
    values, files = payload.get("values"), payload.get("files", {})
    if not isinstance(values, Mapping) or not isinstance(files, Mapping) or len(json.dumps(payload)) > 2 * LIMIT:
        return None
    return Sent({name: values[name] for name in names if isinstance(values.get(name), Mapping) and values[name] != UNDEFINED},
                {name: data for name, data in files.items() if isinstance(name, str) and isinstance(data, str)})


def restore_files(files: Mapping[str, str], folder: Path, instructor: Path) -> list[Path]:
    """Write the files a stub brought into ``folder``, where the notebook made them.

    Unsafe names are skipped, and so is any file the instructor's ``source/`` folder
    ``instructor`` has (nbgrader copied it in; the learner's values may not replace it).
    """
    written, left = [], LIMIT
    for name, packed in files.items():
        target = safe_target(folder, name)
        if target is None or (instructor / name).exists():
            continue
        content = _inflate(packed, left)
        if content is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
        left -= len(content)
    return written


def safe_target(folder: Path, name: str) -> Path | None:
    """``folder/name`` for a plain relative name that is no notebook, answer or flags file and passes no link."""
    from course.grading.flags import FILE as FLAGS_FILE  # the grader's side only: the kernel never imports nbgrader

    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(part in ("", ".", "..") for part in parts):
        return None
    if parts[-1].endswith((".ipynb", SUFFIX)) or parts[-1] == FLAGS_FILE or ".ipynb_checkpoints" in parts:
        return None
    target = folder.joinpath(*parts)
    if any(step.is_symlink() for step in [target, *target.parents] if step.is_relative_to(folder)):
        return None
    return target


def _inflate(packed: str, limit: int) -> bytes | None:
    try:
        inflater = zlib.decompressobj()
        content = inflater.decompress(base64.b64decode(packed, validate=True), limit)
    except (ValueError, zlib.error):
        return None
    return None if inflater.unconsumed_tail else content
