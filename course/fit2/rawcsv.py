"""Read one Samsung Health CSV file safely: BOM, metadata line, prefixed header, trailing field.

Every way the file can be broken ends in an :class:`~course.fit2.errors.ExportError`
naming the file (and the line where there is one), never in a silent column
shift or a bare traceback. The common, healthy case stays fast: one multi-threaded
``pyarrow.csv`` read of only the columns asked for; pyarrow itself refuses a row
with the wrong number of fields, and only then is the file read line by line to
name that row.

Real exports differ in small ways, and all of them are read the same:

* data rows with one more, empty, field than the header (the usual trailing comma)
  or without it; the first data row decides, and every row must then agree;
* a header line that ends with a comma too;
* ``\\r\\n`` line ends, and fields in double quotes (which may hold commas).

The file can be a :class:`pathlib.Path` or anything with ``name`` and ``read_bytes()``
(such as a :class:`zipfile.Path` inside an export ``.zip``).
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Protocol, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from course.fit2.errors import ExportError
from course.fit2.formats import short_name

BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Name given to the empty field after the trailing comma.
_TRAILING = "__trailing__"
#: Number of lines before the data: metadata and header.
PREAMBLE_LINES = 2
_TIME = pa.timestamp("ms")
#: Arrow types of the dtypes callers ask for; every other column is read as text.
#: ``"timestamp"`` (``YYYY-MM-DD HH:MM:SS.mmm``, no time zone) falls back to text if one value is no time.
_ARROW_TYPES = {"float64": pa.float64(), "category": pa.dictionary(pa.int32(), pa.string()), "timestamp": _TIME}


class TableFile(Protocol):
    """A file of an export: on disk (``pathlib.Path``) or inside a zip (``zipfile.Path``)."""

    @property
    def name(self) -> str: ...

    def read_bytes(self) -> bytes: ...


#: Ways a file may differ from the usual layout and still be read (see the module docstring).
LAYOUTS = ("no_trailing_field", "header_comma", "crlf", "quotes")


@dataclass(frozen=True)
class RawTable:
    """The columns asked for (short names, each a Series), the file they came from, the optional
    columns it lacks, and how its layout differs from the usual one (names from :data:`LAYOUTS`).

    The columns stay separate (no DataFrame) so the loader builds each tidy table in one go.
    """

    columns: dict[str, pd.Series]
    path: TableFile
    absent: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @property
    def frame(self) -> pd.DataFrame:
        """The columns as one DataFrame."""
        return pd.DataFrame(self.columns, copy=False)

    def line_numbers(self, rows: Sequence[int] | pd.Index) -> list[int]:
        """1-based file line of data rows (by position): metadata is line 1, header line 2."""
        return [int(r) + PREAMBLE_LINES + 1 for r in rows]


def read_table(path: TableFile, table: str, columns: Sequence[str], optional: Sequence[str] = (),
               dtypes: Mapping[str, str] | None = None) -> RawTable:
    """Read ``columns`` (short names; all required) and ``optional`` columns of one export file.

    ``dtypes`` maps short names to ``"float64"`` or ``"category"``; other columns are read
    as text. Missing optional columns come back all missing and are named in ``absent``.
    """
    dtypes = dtypes or {}
    data, whole, quotes = _head(path)
    body_start, header, header_comma = _preamble(path, data, table)
    names = _unique_short_names(header)
    missing = [c for c in columns if c not in names]
    if missing:
        raise ExportError(
            f"꼭 있어야 할 열({', '.join(missing)})이 없어요. 앱 버전이 달라 열이 바뀌었을 수 있어요.",
            f"missing required column(s) {missing}; header has {list(names)}", file=path, line=2)
    if whole:
        _check_encoding(path, data, body_start)
    wanted = [c for c in (*columns, *optional) if c in names]
    columns, trailing = _parse(path, data, body_start, names, wanted, dtypes, whole)
    absent = tuple(c for c in optional if c not in names)
    rows = len(next(iter(columns.values())))
    for c in absent:
        columns[c] = pd.Series(np.nan, index=pd.RangeIndex(rows), dtype="float64" if dtypes.get(c) == "float64" else object)
    layout = {"no_trailing_field": not trailing, "header_comma": header_comma,
              "crlf": data[body_start - 2:body_start] == b"\r\n",
              "quotes": data.find(b'"', body_start) >= 0 if whole else quotes}
    return RawTable(columns, path, absent, tuple(k for k in LAYOUTS if layout[k]))


#: Files on disk are read by pyarrow straight from the file, in blocks of this size; only a
#: file that is not plain ASCII (after its BOM) is read into memory whole, to check its UTF-8.
_CHUNK = 1 << 20


def _head(path: TableFile) -> tuple[bytes, bool, bool]:
    """(bytes, whether they are the whole file, whether the file holds a double quote).

    A plain-ASCII file on disk gives only its first block (pyarrow reads the rest from
    the file, so the whole file is never in memory at once); anything else gives all of it.
    """
    if not isinstance(path, Path):
        data = _read_bytes(path)
        return data, True, b'"' in data
    try:
        with path.open("rb") as file:
            head = file.read(_CHUNK)
            _check_utf16(path, head)
            ascii_only, quotes = head[len(BOM) if head.startswith(BOM) else 0:].isascii(), b'"' in head
            while ascii_only and (chunk := file.read(_CHUNK)):
                ascii_only, quotes = chunk.isascii(), quotes or b'"' in chunk
    except OSError as error:
        raise ExportError("파일을 열 수 없어요.", f"cannot read: {error}", file=path) from error
    if not ascii_only or len(head) < _CHUNK:
        return (head if len(head) < _CHUNK else _read_bytes(path)), True, quotes
    return head, False, quotes


def _read_bytes(path: TableFile) -> bytes:
    try:
        data = path.read_bytes()
    except (OSError, zipfile.BadZipFile) as error:
        raise ExportError("파일을 열 수 없어요.", f"cannot read: {error}", file=path) from error
    _check_utf16(path, data)
    return data


def _check_utf16(path: TableFile, data: bytes) -> None:
    if data.startswith(_UTF16_BOMS) or b"\x00" in data[:200]:
        raise ExportError(
            "파일의 글자 인코딩이 UTF-16이에요. 삼성 헬스에서 받은 원래 파일(UTF-8)을 써 주세요.",
            "file is UTF-16 encoded; expected UTF-8 with BOM", file=path, line=1)


def _line_end(data: bytes, start: int) -> int:
    """Index of the ``\\n`` ending the line that starts at ``start`` (-1 if none)."""
    return data.find(b"\n", start)


def _preamble(path: TableFile, data: bytes, table: str) -> tuple[int, list[str], bool]:
    """Check line 1 (metadata) and parse line 2 (header); return where the data starts,
    the column names and whether the header ended with a comma (its empty last name is dropped).
    """
    start = len(BOM) if data.startswith(BOM) else 0
    first_end = _line_end(data, start)
    second_end = _line_end(data, first_end + 1) if first_end >= 0 else -1
    if second_end < 0:
        raise ExportError("파일이 비어 있거나 중간에 잘렸어요. 내보내기를 다시 받아 주세요.",
                          "fewer than 2 lines: no metadata and header", file=path)
    metadata = _decode(path, data[start:first_end], 1).strip()
    if metadata.split(",")[0] != table:
        hint = "첫 줄(정보 줄)이 지워졌어요. 엑셀 등으로 저장하면 이렇게 돼요." if "start_time" in metadata \
            or "datauuid" in metadata else f"'{table}' 표의 파일이 아니에요."
        raise ExportError(f"첫 줄이 삼성 헬스 정보 줄이 아니에요. {hint}",
                          f"line 1 should start with '{table}', found {metadata[:80]!r}", file=path, line=1)
    header = _fields(_decode(path, data[first_end + 1:second_end], 2))
    header_comma = bool(header) and not header[-1]
    while header and not header[-1]:
        header.pop()
    return second_end + 1, header, header_comma


def _fields(line: str) -> list[str]:
    """The fields of one CSV line (quotes understood, line end removed)."""
    return next(csv.reader([line.rstrip("\r\n")]), [])


def _decode(path: TableFile, raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _encoding_error(path, raw, line) from error


def _encoding_error(path: TableFile, raw: bytes, line: int) -> ExportError:
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


def _check_encoding(path: TableFile, data: bytes, body_start: int) -> None:
    """The whole body must be UTF-8 (checked byte by byte only if it is not plain ASCII)."""
    raw = np.frombuffer(data, dtype=np.uint8, offset=body_start)
    if raw.size and raw.max() >= 0x80:
        try:
            data[body_start:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise _encoding_error(path, *_first_bad_line(data[body_start:])) from error


def _row_width(path: TableFile, data: bytes, body_start: int, columns: int) -> int | None:
    """Fields per data row: ``columns`` + 1 (a trailing empty field) or ``columns``, as the first
    row has it; None if the file has no data row."""
    start, line = body_start, PREAMBLE_LINES + 1
    while start < len(data):
        end = _line_end(data, start)
        text = data[start:end if end >= 0 else len(data)].decode("utf-8", errors="replace")
        if text.strip():
            fields = _fields(text)
            if len(fields) == columns or (len(fields) == columns + 1 and not fields[-1]):
                return len(fields)
            _raise_field_count(path, line, len(fields), columns + 1, truncated=end < 0)
        if end < 0:
            break
        start, line = end + 1, line + 1
    return None


def _find_bad_row(path: TableFile, body: bytes, expected: int) -> None:
    """Raise for the first row whose field count is not ``expected`` (the csv module handles quotes)."""
    text = body.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    for fields in reader:
        if fields and len(fields) != expected:
            _raise_field_count(path, reader.line_num + PREAMBLE_LINES, len(fields), expected,
                               truncated=reader.line_num > text.count("\n") and not body.endswith(b"\n"))


def _raise_field_count(path: TableFile, line: int, found: int, expected: int, truncated: bool) -> None:
    if truncated:
        raise ExportError(
            "파일이 마지막 줄 중간에서 잘렸어요. 복사나 내려받기가 끝까지 되지 않은 것 같아요. "
            "내보내기를 다시 받아 주세요.",
            f"truncated last row: {found} fields, expected {expected}", file=path, line=line)
    raise ExportError(
        f"이 줄의 칸 수가 {found}개인데 {expected}개여야 해요. 그대로 읽으면 열이 밀려요.",
        f"row has {found} fields, expected {expected}", file=path, line=line)


def _parse(path: TableFile, data: bytes, body_start: int, names: list[str], wanted: list[str],
           dtypes: Mapping[str, str], whole: bool) -> tuple[dict[str, pd.Series], bool]:
    """One pyarrow read of the ``wanted`` columns (and the trailing field, which must stay empty),
    from ``data`` if it is the ``whole`` file, else from the file itself.

    Returns the columns and whether the rows had the trailing field.
    """
    width = _row_width(path, data, body_start, len(names))
    types = {c: _ARROW_TYPES.get(dtypes.get(c, ""), pa.string()) for c in wanted}
    if width is None:  # a header and no rows (pyarrow calls that an empty file)
        return _series(pa.schema(types.items()).empty_table()), True
    trailing = width > len(names)
    include = [*wanted, _TRAILING] if trailing else wanted
    if trailing:
        types[_TRAILING] = pa.string()
    as_text = {c: pa.string() if t == _TIME else t for c, t in types.items()}
    source = (data, body_start) if whole else (path, None)
    table = _arrow_read(*source, [*names, _TRAILING][:width], include, types)
    if table is None and as_text != types:  # a time that is no time: read times as text, the caller decides
        table = _arrow_read(*source, [*names, _TRAILING][:width], include, as_text)
    if table is None:
        data = data if whole else _read_bytes(path)  # the slow path names the row
        _find_bad_row(path, data[body_start:], width)
        _find_bad_number(path, data, body_start, names, width, [c for c in wanted if types[c] == pa.float64()])
        raise ExportError("표를 읽을 수 없어요.", "pyarrow could not parse the file", file=path)
    if trailing and table.column(_TRAILING).null_count < table.num_rows:
        row = int(pc.index(pc.is_valid(table.column(_TRAILING)), True).as_py())
        raise ExportError("이 줄의 마지막 칸에 값이 있어요. 그대로 읽으면 열이 밀려요.",
                          f"the field after the last column is not empty in row {row + 1}",
                          file=path, line=row + PREAMBLE_LINES + 1)
    return _series(table.select(wanted)), trailing


def _series(table: pa.Table) -> dict[str, pd.Series]:
    """Each column as a Series; then the reader's spare memory goes back to the system."""
    columns = {name: column.to_pandas() for name, column in zip(table.column_names, table.columns)}
    del table
    pa.default_memory_pool().release_unused()
    return columns


def _arrow_read(data: bytes | Path, body_start: int | None, names: list[str], include: list[str],
                types: dict[str, pa.DataType]) -> pa.Table | None:
    """The body read by pyarrow (multi-threaded): from ``data[body_start:]`` without a copy, or from
    the file ``data`` past its two preamble lines. None if pyarrow refuses it."""
    if body_start is None:
        source, skip = str(data), PREAMBLE_LINES
    else:
        source, skip = pa.BufferReader(pa.py_buffer(data)[body_start:]), 0
    try:
        return pv.read_csv(source, read_options=pv.ReadOptions(column_names=names, skip_rows=skip),
                           convert_options=pv.ConvertOptions(include_columns=include, column_types=types,
                                                             strings_can_be_null=True,
                                                             check_utf8=False))  # _check_encoding did
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None


def _first_bad_line(body: bytes) -> tuple[bytes, int]:
    """The first line that is not valid UTF-8, and its file line number."""
    for number, raw in enumerate(body.split(b"\n"), start=PREAMBLE_LINES + 1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw, number
    return body, PREAMBLE_LINES + 1


def _find_bad_number(path: TableFile, data: bytes, body_start: int, names: list[str], width: int,
                     numbers: list[str]) -> None:
    """A number column holds text: read those columns as text and name the first bad value and its line."""
    if not numbers:
        return
    text = pv.read_csv(pa.BufferReader(pa.py_buffer(data)[body_start:]),
                       read_options=pv.ReadOptions(column_names=[*names, _TRAILING][:width]),
                       convert_options=pv.ConvertOptions(include_columns=numbers,
                                                         column_types={c: pa.string() for c in numbers},
                                                         strings_can_be_null=True)).to_pandas()
    for column in numbers:
        bad = (pd.to_numeric(text[column], errors="coerce").isna() & text[column].notna()).to_numpy()
        if bad.any():
            row = int(bad.argmax())
            value = text[column].iloc[row]
            raise ExportError(f"'{column}' 열에 숫자가 아닌 값('{value}')이 있어요.",
                              f"non-numeric value {value!r} in column {column!r}", file=path,
                              line=row + PREAMBLE_LINES + 1)
