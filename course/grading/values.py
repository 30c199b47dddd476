"""Learner values as plain data: what leaves the learner's kernel, and what the grader rebuilds.

A code blank's value is graded outside the learner's kernel. ``to_plain`` turns it into
JSON-able data, ``{"type": …, "value": …}``; ``from_plain`` rebuilds it in the grader's
process. Only data crosses: exact built-in types, numpy scalars and arrays (``np.save``
without pickle), pandas tables, columns and indexes (Arrow IPC, which keeps dtypes,
index and names, so ``.equals`` against the grader's own frame works), plotly figures
(plotly's JSON) and the course's blank ``___``. Anything else, a subclass of a
supported type included (an object whose ``==`` is always true), becomes
:class:`Unsupported`, which fails every check. Nothing is pickled or evaluated.

>>> from_plain(to_plain({"steps": [5200, 6800.5], "ok": True}))
{'steps': [5200, 6800.5], 'ok': True}
"""
from __future__ import annotations

import base64
import io
import json
import math
import pathlib
import sys
from typing import Any, Callable

import numpy as np

from course.notebook import ___, Blank

LIMIT = 16 * 2**20  # bytes of plain data one cell may export
NUMPY_KINDS = frozenset("biufcmMUS")  # numpy dtype kinds that hold plain data (no objects)
PLOTLY_TYPES = {"i1": "int8", "u1": "uint8", "i2": "int16", "u2": "uint16", "i4": "int32", "u4": "uint32",
                "f4": "float32", "f8": "float64"}  # plotly.js typed arrays ("bdata") and their numpy dtypes


class TooLarge(ValueError):
    """The plain form of a value is over :data:`LIMIT`."""


class Unsupported:
    """A value that could not cross as data: it equals nothing and has no attributes."""

    def __init__(self, kind: str) -> None:
        self._kind = kind

    def __eq__(self, other: object) -> bool:
        return False

    def __ne__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<{self._kind}>"


# --- to plain data (in the learner's kernel) ---------------------------------------------------

def to_plain(value: Any) -> dict:
    """``value`` as JSON-able data; an unsupported or over-large value as ``{"type": "unsupported"}``."""
    try:
        plain = _plain(value)
        if len(json.dumps(plain)) > LIMIT:
            raise TooLarge(f"over {LIMIT} bytes")
    except Exception as error:  # the learner's own objects may raise anything while being read
        return {"type": "unsupported", "kind": type(value).__name__, "why": str(error)[:200]}
    return plain


def _plain(value: Any) -> dict:
    encode = _encoders().get(type(value))  # the exact type: a subclass may redefine ``==``
    if encode is None:
        raise TypeError(f"not plain data: {type(value).__module__}.{type(value).__qualname__}")
    return encode(value)


def _encoders() -> dict[type, Callable[[Any], dict]]:
    """Encoders by exact type; pandas' and plotly's only once the kernel has imported them."""
    found = dict(ENCODERS)
    found.update({kind: _numpy_scalar for kind in NUMPY_SCALARS})
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        found.update({pandas.DataFrame: _frame, pandas.Series: _series})
        found.update({getattr(pandas, name): _index for name in INDEX_TYPES})
    figures = sys.modules.get("plotly.graph_objs")
    if figures is not None:
        found[figures.Figure] = _figure
    return found


def _float(value: float) -> dict:
    return {"type": "float", "value": repr(value)}  # repr round-trips exactly, and spells nan and inf


def _int(value: int) -> dict:
    return {"type": "int", "value": str(value)}


def _path(value: pathlib.PurePath) -> dict:
    return {"type": "path", "value": str(value)}


def _items(value: list | tuple) -> list[dict]:
    return [_plain(item) for item in value]


def _dict(value: dict) -> dict:
    return {"type": "dict", "value": [[_plain(key), _plain(item)] for key, item in value.items()]}


def _numpy_scalar(value: np.generic) -> dict:
    return {"type": "numpy_scalar", "dtype": value.dtype.str, "value": _plain(value.item())}


def _ndarray(value: np.ndarray) -> dict:
    if value.dtype.kind not in NUMPY_KINDS or value.dtype.hasobject:
        raise TypeError(f"numpy array of {value.dtype} holds objects")
    buffer = io.BytesIO()
    np.save(buffer, value, allow_pickle=False)
    return {"type": "ndarray", "value": _b64(buffer.getvalue())}


def _b64(data: bytes) -> str:
    if len(data) > LIMIT:
        raise TooLarge(f"{len(data)} bytes")
    return base64.b64encode(data).decode("ascii")


def _frame(frame: Any) -> dict:
    import pyarrow as pa

    table = pa.Table.from_pandas(frame)
    buffer = io.BytesIO()
    with pa.ipc.new_stream(buffer, table.schema) as stream:
        stream.write_table(table)
    objects = [position for position, dtype in enumerate(frame.dtypes) if dtype == object]
    return {"type": "DataFrame", "value": _b64(buffer.getvalue()), "object_columns": objects}


def _series(series: Any) -> dict:
    return {"type": "Series", "value": _frame(series.to_frame(name="value")), "name": _plain(series.name)}


def _index(index: Any) -> dict:
    import pandas as pd

    return {"type": "Index", "value": _series(pd.Series(index, name=None)), "name": _plain(index.name)}


def _figure(figure: Any) -> dict:
    import plotly.io as pio

    return {"type": "Figure", "value": pio.to_json(figure, validate=False)}


ENCODERS: dict[type, Callable[[Any], dict]] = {
    type(None): lambda value: {"type": "none"},
    bool: lambda value: {"type": "bool", "value": value},
    int: _int,
    float: _float,
    str: lambda value: {"type": "str", "value": value},
    list: lambda value: {"type": "list", "value": _items(value)},
    tuple: lambda value: {"type": "tuple", "value": _items(value)},
    dict: _dict,
    pathlib.PosixPath: _path,
    pathlib.PurePosixPath: _path,
    np.ndarray: _ndarray,
    Blank: lambda value: {"type": "blank"},
}
NUMPY_SCALARS = (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
                 np.float16, np.float32, np.float64, np.str_)
INDEX_TYPES = ("Index", "RangeIndex", "DatetimeIndex", "CategoricalIndex", "TimedeltaIndex", "PeriodIndex", "IntervalIndex")


# --- back from plain data (in the grader's process) ---------------------------------------------

def from_plain(data: Any) -> Any:
    """The value ``data`` describes; anything malformed comes back :class:`Unsupported`."""
    try:
        return _value(data)
    except Exception as error:  # a learner's kernel wrote this: malformed data is a wrong answer, not a crash
        return Unsupported(f"unreadable value: {type(error).__name__}")


def _value(data: dict) -> Any:
    kind = data["type"]
    if kind == "unsupported":
        return Unsupported(str(data.get("kind", "value"))[:80])
    return DECODERS[kind](data)


def _list(data: dict) -> list:
    return [_value(item) for item in data["value"]]


def _dict_back(data: dict) -> dict:
    return {_value(key): _value(item) for key, item in data["value"]}


def _float_back(data: dict) -> float:
    text = data["value"]
    if not isinstance(text, str) or len(text) > 40:
        raise ValueError("not a float")
    return float(text)


def _int_back(data: dict) -> int:
    text = data["value"]
    if not isinstance(text, str) or len(text) > 4300:
        raise ValueError("not an int")
    return int(text)


def _str_back(data: dict) -> str:
    if not isinstance(data["value"], str):
        raise TypeError("not a str")
    return data["value"]


def _bool_back(data: dict) -> bool:
    if not isinstance(data["value"], bool):
        raise TypeError("not a bool")
    return data["value"]


def _bytes(text: str) -> bytes:
    if not isinstance(text, str) or len(text) > LIMIT * 4 // 3 + 4:
        raise TooLarge("payload too large")
    return base64.b64decode(text, validate=True)


def _numpy_scalar_back(data: dict) -> np.generic:
    dtype = np.dtype(str(data["dtype"])[:8])
    if dtype.kind not in NUMPY_KINDS:
        raise TypeError(f"numpy {dtype} holds objects")
    return dtype.type(_value(data["value"]))


def _ndarray_back(data: dict) -> np.ndarray:
    buffer = io.BytesIO(_bytes(data["value"]))
    if np.lib.format.read_magic(buffer) != (1, 0):
        raise TypeError("not an array saved by np.save")
    shape, _, dtype = np.lib.format.read_array_header_1_0(buffer)
    if dtype.kind not in NUMPY_KINDS or dtype.hasobject or math.prod(shape) * dtype.itemsize > LIMIT:
        raise TypeError(f"refused array of {dtype}, shape {shape}")
    buffer.seek(0)
    return np.load(buffer, allow_pickle=False)


def _frame_back(data: dict) -> Any:
    import pyarrow as pa

    table = pa.ipc.open_stream(pa.BufferReader(_bytes(data["value"]))).read_all()
    table.validate(full=True)
    frame = table.to_pandas()
    for position in data.get("object_columns", []):
        frame[frame.columns[int(position)]] = frame.iloc[:, int(position)].astype(object)
    return frame


def _series_back(data: dict) -> Any:
    series = _frame_back(data["value"]).iloc[:, 0]
    series.name = _value(data["name"])
    return series


def _index_back(data: dict) -> Any:
    import pandas as pd

    return pd.Index(_series_back(data["value"]), name=_value(data["name"]))


def _figure_back(data: dict) -> Any:
    import plotly.graph_objects as go

    text = data["value"]
    if not isinstance(text, str) or len(text) > LIMIT:
        raise TooLarge("figure too large")
    return go.Figure(_typed_arrays(json.loads(text)))


def _typed_arrays(node: Any) -> Any:
    """Plotly's JSON with its typed arrays (``{"dtype": "f8", "bdata": …}``) turned back into numpy arrays."""
    if isinstance(node, list):
        return [_typed_arrays(item) for item in node]
    if not isinstance(node, dict):
        return node
    if set(node) in ({"dtype", "bdata"}, {"dtype", "bdata", "shape"}) and node["dtype"] in PLOTLY_TYPES:
        array = np.frombuffer(_bytes(node["bdata"]), dtype=PLOTLY_TYPES[node["dtype"]])
        shape = [int(n) for n in str(node.get("shape", len(array))).split(",")]
        return array.reshape(shape)
    return {key: _typed_arrays(item) for key, item in node.items()}


DECODERS: dict[str, Callable[[dict], Any]] = {
    "none": lambda data: None,
    "bool": _bool_back,
    "int": _int_back,
    "float": _float_back,
    "str": _str_back,
    "list": _list,
    "tuple": lambda data: tuple(_list(data)),
    "dict": _dict_back,
    "path": lambda data: pathlib.Path(_str_back(data)),
    "numpy_scalar": _numpy_scalar_back,
    "ndarray": _ndarray_back,
    "DataFrame": _frame_back,
    "Series": _series_back,
    "Index": _index_back,
    "Figure": _figure_back,
    "blank": lambda data: ___,
}
