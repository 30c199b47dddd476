"""Read one Samsung Health CSV file safely: BOM, metadata line, prefixed header, trailing field.

Every way the file can be broken ends in an :class:`~course.fit2.errors.ExportError`
naming the file (and the line where there is one), never in a silent column
shift or a bare traceback. The common, healthy case stays fast: a file on disk is
mapped into memory and cut into blocks at line ends, and ``pyarrow.csv`` parses the
blocks where they lie, a few at a time on every core, converting only the columns
asked for (kept as Arrow columns until the caller converts the ones it needs).
pyarrow itself refuses a row with the wrong number of fields, and only then is the
file read line by line to name that row.

Real exports differ in small ways, and all of them are read the same:

* data rows with one more, empty, field than the header (the usual trailing comma)
  or without it; the first data row decides, and every row must then agree;
* a header line that ends with a comma too;
* ``\\r\\n`` line ends, and fields in double quotes (which may hold commas).

The file can be a :class:`pathlib.Path` or anything with ``name`` and ``read_bytes()``
(such as a :class:`zipfile.Path` inside an export ``.zip``).
"""
from __future__ import annotations

import collections
import csv
import io
import mmap
import os
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Protocol, Sequence

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


def _memory_pool() -> pa.MemoryPool:
    """jemalloc where pyarrow has it: it gives freed memory back to the system within a second
    (and at once on :meth:`~pyarrow.MemoryPool.release_unused`), so a read's peak memory stays
    close to what it holds; pyarrow's default, mimalloc, keeps much more."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


#: The Arrow memory pool of every read (see :func:`_memory_pool`).
MEMORY = _memory_pool()

#: Ways a file may differ from the usual layout and still be read (see the module docstring).
LAYOUTS = ("no_trailing_field", "header_comma", "crlf", "quotes")


@dataclass(frozen=True)
class RawTable:
    """The columns asked for (short names, as Arrow columns; an optional column the file lacks
    is all missing and named in ``absent``), the file they came from, and how its layout differs
    from the usual one (names from :data:`LAYOUTS`).

    The columns stay in Arrow until :meth:`series` converts one, so the loader converts each
    column once, straight into its tidy form.
    """

    table: pa.Table
    path: TableFile
    absent: tuple[str, ...] = ()
    layout: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return self.table.num_rows

    @property
    def frame(self) -> pd.DataFrame:
        """The columns as one DataFrame."""
        return pd.DataFrame({name: self.series(name) for name in self.table.column_names}, copy=False)

    def series(self, name: str) -> pd.Series:
        """One column as a Series: numbers as float64, ``"category"`` columns as categories,
        times as datetime64[ms], text as strings; an absent text column is all NaN (object)."""
        return to_series(self.table.column(name))


def to_series(column: pa.ChunkedArray | pa.Array) -> pd.Series:
    """An Arrow column as a Series (an all-missing column of Arrow's null type: object NaN;
    a dictionary column: categories in the order the file first has them)."""
    if pa.types.is_null(column.type):
        return pd.Series(np.nan, index=pd.RangeIndex(len(column)), dtype=object)
    if pa.types.is_dictionary(column.type):
        column = column.combine_chunks(MEMORY) if isinstance(column, pa.ChunkedArray) else column  # one dictionary
        codes = column.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        values = column.dictionary.to_pylist()
        categories = pd.Index(values, dtype="str" if values else object)  # as pyarrow's to_pandas()
        return pd.Series(pd.Categorical.from_codes(codes, categories=categories, validate=False))
    return column.to_pandas(memory_pool=MEMORY)


def empty_table(columns: Sequence[str], dtypes: Mapping[str, str]) -> pa.Table:
    """A table without rows with the columns and types :func:`read_table` would give."""
    return pa.schema({c: _ARROW_TYPES.get(dtypes.get(c, ""), pa.string()) for c in columns}).empty_table()


def read_table(path: TableFile, table: str, columns: Sequence[str], optional: Sequence[str] = (),
               dtypes: Mapping[str, str] | None = None) -> RawTable:
    """Read ``columns`` (short names; all required) and ``optional`` columns of one export file.

    ``dtypes`` maps short names to ``"float64"``, ``"category"`` or ``"timestamp"``; other
    columns are read as text. Missing optional columns come back all missing and are named
    in ``absent``.
    """
    dtypes = dtypes or {}
    data, view = _head(path)
    body_start, header, header_comma = _preamble(path, data, table)
    names = _unique_short_names(header)
    missing = [c for c in columns if c not in names]
    if missing:
        raise ExportError(
            f"꼭 있어야 할 열({', '.join(missing)})이 없어요. 앱 버전이 달라 열이 바뀌었을 수 있어요.",
            f"missing required column(s) {missing}; header has {list(names)}", file=path, line=2)
    wanted = [c for c in (*columns, *optional) if c in names]
    try:
        body = _Body(path, data, body_start, view)
        arrow, trailing = _parse(body, names, wanted, dtypes)
    except _NotAscii:  # read it whole after all, to check its UTF-8 and name a bad line
        body = _Body(path, _read_bytes(path), body_start, None)
        arrow, trailing = _parse(body, names, wanted, dtypes)
    absent = tuple(c for c in optional if c not in names)
    for c in absent:
        missing_type = pa.float64() if dtypes.get(c) == "float64" else pa.null()
        arrow = arrow.append_column(c, pa.nulls(arrow.num_rows, missing_type))
    layout = {"no_trailing_field": not trailing, "header_comma": header_comma,
              "crlf": data[body_start - 2:body_start] == b"\r\n", "quotes": body.quotes}
    return RawTable(arrow, path, absent, tuple(k for k in LAYOUTS if layout[k]))


#: pyarrow parses the rows in blocks of about this size, a few at a time on every core. A file on
#: disk is mapped into memory and parsed where it lies, block by block (never copied), unless it is
#: smaller than one block or not plain ASCII (after its BOM): then it is read whole (to check its UTF-8).
_CHUNK = 1 << 19
#: Blocks waiting for or in a parse at once.
_IN_FLIGHT = 3
_WORKERS = ThreadPoolExecutor(max_workers=min(_IN_FLIGHT, os.cpu_count() or 1), thread_name_prefix="fit2-csv")
#: The head of a mapped file holds at least this much: the metadata, the header and the first data row.
_HEAD = 1 << 16


class _NotAscii(Exception):
    """A block of a mapped file is not plain ASCII."""


def _head(path: TableFile) -> tuple[bytes, mmap.mmap | None]:
    """The bytes of a file smaller than a block (or inside a zip), and no map; else the head of the
    file (see :data:`_HEAD`) and a read-only memory map of all of it."""
    if not isinstance(path, Path):
        return _read_bytes(path), None
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size < _CHUNK:
                head, view = file.read(), None
            else:
                view = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
                head = view[:_head_size(view)]
    except OSError as error:
        raise ExportError("파일을 열 수 없어요.", f"cannot read: {error}", file=path) from error
    _check_utf16(path, head)
    return head, view


def _head_size(view: mmap.mmap) -> int:
    """Bytes up to the end of the first data row, or :data:`_HEAD` if that is more."""
    end = -1
    for _ in range(PREAMBLE_LINES + 1):  # up to the end of the first data row
        end = view.find(b"\n", end + 1)
        if end < 0:
            return len(view)
    return max(end + 1, min(_HEAD, len(view)))


class _Body:
    """The data rows of one file (from ``body_start``), cut into blocks that end at a line end.

    The ``whole`` file in ``data`` is checked for UTF-8 first. A mapped file (``view``) is parsed
    where it lies: a block that is not plain ASCII raises :class:`_NotAscii` when it is parsed,
    and the pages of parsed blocks are let go as the read goes on. ``quotes`` says whether a block
    held a double quote (set by :func:`_arrow_read`).
    """

    def __init__(self, path: TableFile, data: bytes, body_start: int, view: mmap.mmap | None) -> None:
        self.path, self.data, self.body_start, self.view = path, data, body_start, view
        self.whole = view is None
        self.source = data if self.whole else view
        self.quotes = False
        if self.whole:
            _check_encoding(path, data, body_start)

    def blocks(self) -> Iterator[tuple[int, int]]:
        """Start and end of each block, in order. Taking block ``t`` tells that blocks before
        ``t - _IN_FLIGHT`` are parsed."""
        in_parse: collections.deque[int] = collections.deque(maxlen=_IN_FLIGHT)  # block starts, maybe in a parse
        start, dropped = self.body_start, 0
        while start < len(self.source):
            end = _block_end(self.source, start)
            if not self.whole:
                if len(in_parse) == in_parse.maxlen:
                    dropped = self._let_go(dropped, in_parse[0])
                in_parse.append(start)
            yield start, end
            start = end

    def _let_go(self, start: int, end: int) -> int:
        """Drop the mapped pages from ``start`` to before ``end`` from this process (the system keeps
        the file cached); return where the dropped pages end."""
        end -= end % mmap.PAGESIZE
        if end > start and hasattr(self.view, "madvise"):  # not on Windows
            self.view.madvise(mmap.MADV_DONTNEED, start, end - start)
        return max(start, end)


def _block_end(source: bytes | mmap.mmap, start: int) -> int:
    """Where the block from ``start`` ends: after the last line end within :data:`_CHUNK` bytes
    (after the first one if a line is longer), or at the end of the source."""
    if start + _CHUNK >= len(source):
        return len(source)
    end = source.rfind(b"\n", start, start + _CHUNK) + 1 or source.find(b"\n", start + _CHUNK) + 1
    return end or len(source)


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


def _parse(body: _Body, names: list[str], wanted: list[str], dtypes: Mapping[str, str]) -> tuple[pa.Table, bool]:
    """One pyarrow read of the ``wanted`` columns (and the trailing field, which must stay empty).

    Returns the columns and whether the rows had the trailing field.
    """
    path, data, body_start = body.path, body.data, body.body_start
    width = _row_width(path, data, body_start, len(names))
    types = {c: _ARROW_TYPES.get(dtypes.get(c, ""), pa.string()) for c in wanted}
    if width is None:  # a header and no rows (pyarrow calls that an empty file)
        return empty_table(wanted, dtypes), True
    trailing = width > len(names)
    include = [*wanted, _TRAILING] if trailing else wanted
    if trailing:
        types[_TRAILING] = pa.string()
    as_text = {c: pa.string() if t == _TIME else t for c, t in types.items()}
    columns = [*names, _TRAILING][:width]
    table = _arrow_read(body, columns, include, types)
    if table is None and as_text != types:  # a time that is no time: read times as text, the caller decides
        table = _arrow_read(body, columns, include, as_text)
    if table is None:
        if not body.whole:  # the slow path names the row
            data = _read_bytes(path)
            _check_encoding(path, data, body_start)
        _find_bad_row(path, data[body_start:], width)
        _find_bad_number(path, data, body_start, names, width, [c for c in wanted if types[c] == pa.float64()])
        raise ExportError("표를 읽을 수 없어요.", "pyarrow could not parse the file", file=path)
    if trailing and table.column(_TRAILING).null_count < table.num_rows:
        row = int(pc.index(pc.is_valid(table.column(_TRAILING)), True).as_py())
        raise ExportError("이 줄의 마지막 칸에 값이 있어요. 그대로 읽으면 열이 밀려요.",
                          f"the field after the last column is not empty in row {row + 1}",
                          file=path, line=row + PREAMBLE_LINES + 1)
    return table.select(wanted), trailing


def _arrow_read(body: _Body, names: list[str], include: list[str],
                types: dict[str, pa.DataType]) -> pa.Table | None:
    """The body read by pyarrow: a small one right here, a larger one in blocks parsed in parallel.
    None if pyarrow refuses a block."""
    read = pv.ReadOptions(column_names=names, use_threads=False, block_size=2 * _CHUNK)
    convert = pv.ConvertOptions(include_columns=include, column_types=types, strings_can_be_null=True,
                                check_utf8=False)  # the encoding is checked by _Body or _parse_block
    try:
        if body.whole and len(body.data) - body.body_start <= _CHUNK:  # one block: no hand-over to a worker
            parsed = [_parse_block(body, start, end, read, convert) for start, end in body.blocks()]
        else:
            parsed = _parse_in_parallel(body, read, convert)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    body.quotes = any(quoted for _, quoted in parsed)
    return pa.concat_tables([table for table, _ in parsed], memory_pool=MEMORY)


def _parse_in_parallel(body: _Body, read: pv.ReadOptions,
                       convert: pv.ConvertOptions) -> list[tuple[pa.Table, bool]]:
    """Each block parsed by the workers, at most :data:`_IN_FLIGHT` at once; the results in order."""
    parsing: collections.deque[Future[tuple[pa.Table, bool]]] = collections.deque()
    parsed = []
    for start, end in body.blocks():
        if len(parsing) == _IN_FLIGHT:
            parsed.append(parsing.popleft().result())
        parsing.append(_WORKERS.submit(_parse_block, body, start, end, read, convert))
    return parsed + [future.result() for future in parsing]


#: Parse options of a block with and without a double quote (quotes cost pyarrow time).
_QUOTES = {True: pv.ParseOptions(), False: pv.ParseOptions(quote_char=False)}


def _parse_block(body: _Body, start: int, end: int, read: pv.ReadOptions,
                 convert: pv.ConvertOptions) -> tuple[pa.Table, bool]:
    """One block's table, and whether it holds a double quote; a mapped block must be plain ASCII."""
    source = body.source
    if not body.whole and np.frombuffer(source, np.uint8, end - start, start).max() >= 0x80:
        raise _NotAscii
    quoted = source.find(b'"', start, end) >= 0
    block = pa.BufferReader(pa.py_buffer(source)[start:end])
    return pv.read_csv(block, read_options=read, parse_options=_QUOTES[quoted], convert_options=convert,
                       memory_pool=MEMORY), quoted


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
