"""Read one Samsung Health CSV file safely: BOM, metadata line, prefixed header, trailing field.

Every way the file can be broken ends in an :class:`~course.fit2.errors.ExportError`
naming the file (and the line where there is one), never in a silent column
shift or a bare pandas traceback. The common, healthy case stays fast: one
``pandas.read_csv`` of only the columns asked for, and a comma count over the
bytes to prove that every row had the right number of fields.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from course.fit2.errors import ExportError
from course.fit2.formats import short_name

BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Name given to the empty field after the trailing comma.
_TRAILING = "__trailing__"
#: Number of lines before the data: metadata and header.
PREAMBLE_LINES = 2


@dataclass(frozen=True)
class RawTable:
    """The columns asked for (short names), and the file they came from."""

    frame: pd.DataFrame
    path: Path

    def line_numbers(self, rows: Sequence[int] | pd.Index) -> list[int]:
        """1-based file line of data rows (by position): metadata is line 1, header line 2."""
        return [int(r) + PREAMBLE_LINES + 1 for r in rows]


def read_table(path: Path, table: str, columns: Sequence[str], optional: Sequence[str] = (),
               dtypes: Mapping[str, object] | None = None) -> RawTable:
    """Read ``columns`` (short names; all required) and ``optional`` columns of one export file.

    ``dtypes`` maps short names to pandas dtypes; other columns are read as text
    (pandas' default string dtype). Missing optional columns come back all missing.
    """
    data = _read_bytes(path)
    body_start, header = _preamble(path, data, table)
    names = _unique_short_names(header)
    missing = [c for c in columns if c not in names]
    if missing:
        raise ExportError(
            f"꼭 있어야 할 열({', '.join(missing)})이 없어요. 앱 버전이 달라 열이 바뀌었을 수 있어요.",
            f"missing required column(s) {missing}; header has {list(names)}", file=path, line=2)
    raw = np.frombuffer(data, dtype=np.uint8, offset=body_start)
    _check_encoding(path, data, body_start, raw)
    wanted = [c for c in (*columns, *optional) if c in names]
    frame = _parse(path, data, body_start, names, wanted, dtypes or {})
    _check_field_counts(path, data, body_start, raw, len(frame), len(names) + 1)
    for c in optional:
        if c not in frame:
            frame[c] = pd.Series(np.nan, index=frame.index, dtype=(dtypes or {}).get(c, object))
    return RawTable(frame, path)


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError("파일을 열 수 없어요.", f"cannot read: {error}", file=path) from error
    if data.startswith(_UTF16_BOMS) or b"\x00" in data[:200]:
        raise ExportError(
            "파일의 글자 인코딩이 UTF-16이에요. 삼성 헬스에서 받은 원래 파일(UTF-8)을 써 주세요.",
            "file is UTF-16 encoded; expected UTF-8 with BOM", file=path, line=1)
    return data


def _preamble(path: Path, data: bytes, table: str) -> tuple[int, list[str]]:
    """Check line 1 (metadata) and parse line 2 (header); return where the data starts."""
    start = len(BOM) if data.startswith(BOM) else 0
    first_end = data.find(b"\n", start)
    second_end = data.find(b"\n", first_end + 1) if first_end >= 0 else -1
    if second_end < 0:
        raise ExportError("파일이 비어 있거나 중간에 잘렸어요. 내보내기를 다시 받아 주세요.",
                          "fewer than 2 lines: no metadata and header", file=path)
    metadata = _decode(path, data[start:first_end], 1).strip()
    if metadata.split(",")[0] != table:
        hint = "첫 줄(정보 줄)이 지워졌어요. 엑셀 등으로 저장하면 이렇게 돼요." if "start_time" in metadata \
            or "datauuid" in metadata else f"'{table}' 표의 파일이 아니에요."
        raise ExportError(f"첫 줄이 삼성 헬스 정보 줄이 아니에요. {hint}",
                          f"line 1 should start with '{table}', found {metadata[:80]!r}", file=path, line=1)
    header = _decode(path, data[first_end + 1:second_end], 2).strip().split(",")
    return second_end + 1, header


def _decode(path: Path, raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _encoding_error(path, raw, line) from error


def _encoding_error(path: Path, raw: bytes, line: int) -> ExportError:
    try:
        raw.decode("cp949")
        guess, guess_en = " 한국어 윈도우 방식(CP949/EUC-KR)으로 저장된 것 같아요.", " (looks like CP949/EUC-KR)"
    except UnicodeDecodeError:
        guess, guess_en = "", ""
    return ExportError(
        f"글자 인코딩이 UTF-8이 아니에요.{guess} 삼성 헬스에서 받은 원래 파일을 써 주세요.",
        f"not valid UTF-8{guess_en}", file=path, line=line)


def _unique_short_names(header: list[str]) -> list[str]:
    """Strip data-type prefixes; keep the full name where stripping would make two columns equal."""
    short = [short_name(c) for c in header]
    return [s if short.count(s) == 1 else full for s, full in zip(short, header)]


def _check_encoding(path: Path, data: bytes, body_start: int, raw: np.ndarray) -> None:
    """The whole body must be UTF-8 (checked byte by byte only if it is not plain ASCII)."""
    if raw.size and raw.max() >= 0x80:
        try:
            data[body_start:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise _encoding_error(path, *_first_bad_line(data[body_start:])) from error


def _check_field_counts(path: Path, data: bytes, body_start: int, raw: np.ndarray, rows: int,
                        expected: int) -> None:
    """Every data row must have ``expected`` fields (header + trailing empty field).

    Fast path: the commas in the body must number ``rows * (expected - 1)`` (blank lines
    hold no comma and no row). Only if not, or if quotes could hide commas, do we read
    line by line to find the row.
    """
    if np.count_nonzero(raw == ord(",")) == rows * (expected - 1) and data.find(b'"', body_start) < 0:
        return
    _find_bad_row(path, data[body_start:], expected)


def _find_bad_row(path: Path, body: bytes, expected: int) -> None:
    """Raise for the first row whose field count is not ``expected`` (the csv module handles quotes)."""
    text = body.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    for fields in reader:
        if fields and len(fields) != expected:
            _raise_field_count(path, reader.line_num + PREAMBLE_LINES, len(fields), expected,
                               truncated=reader.line_num > text.count("\n") and not body.endswith(b"\n"))


def _raise_field_count(path: Path, line: int, found: int, expected: int, truncated: bool) -> None:
    if truncated:
        raise ExportError(
            "파일이 마지막 줄 중간에서 잘렸어요. 복사나 내려받기가 끝까지 되지 않은 것 같아요. "
            "내보내기를 다시 받아 주세요.",
            f"truncated last row: {found} fields, expected {expected}", file=path, line=line)
    raise ExportError(
        f"이 줄의 칸 수가 {found}개인데 {expected}개여야 해요. 그대로 읽으면 열이 밀려요.",
        f"row has {found} fields, expected {expected} (header + trailing comma)", file=path, line=line)


def _parse(path: Path, data: bytes, body_start: int, names: list[str], wanted: list[str],
           dtypes: Mapping[str, object]) -> pd.DataFrame:
    """One ``read_csv`` with inferred types (the fast path), then the asked-for dtypes.

    A column asked to be numeric that pandas read as text holds a bad value: find and name it.
    """
    try:
        frame = pd.read_csv(io.BytesIO(data), skiprows=PREAMBLE_LINES, header=None,
                            names=[*names, _TRAILING], usecols=wanted, encoding="utf-8")[wanted]
    except ValueError as error:  # ParserError: a row with too many fields
        _find_bad_row(path, data[body_start:], len(names) + 1)
        raise ExportError("표를 읽을 수 없어요.", f"pandas could not parse: {error}", file=path) from error
    for column in (c for c in wanted if c in dtypes and _numeric(dtypes[c]) and not _numeric(frame[c].dtype)):
        _check_numbers(path, data[body_start:], len(names) + 1, frame, column)
    return frame.astype({c: dtypes[c] for c in wanted if c in dtypes})


def _numeric(dtype: object) -> bool:
    return pd.api.types.is_numeric_dtype(pd.api.types.pandas_dtype(dtype))


def _first_bad_line(body: bytes) -> tuple[bytes, int]:
    """The first line that is not valid UTF-8, and its file line number."""
    for number, raw in enumerate(body.split(b"\n"), start=PREAMBLE_LINES + 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw, number
    return body, PREAMBLE_LINES + 1


def _check_numbers(path: Path, body: bytes, expected: int, frame: pd.DataFrame, column: str) -> None:
    """Pandas read a number column as text: a shifted row, or a value that is not a number. Say which."""
    bad = (pd.to_numeric(frame[column], errors="coerce").isna() & frame[column].notna()).to_numpy()
    if bad.any():
        _find_bad_row(path, body, expected)
        row = int(bad.argmax())
        value = frame[column].iloc[row]
        raise ExportError(f"'{column}' 열에 숫자가 아닌 값('{value}')이 있어요.",
                          f"non-numeric value {value!r} in column {column!r}", file=path,
                          line=row + PREAMBLE_LINES + 1)
