"""NumPy views of Arrow arrays and Arrow arrays of NumPy values, read from and made of
their buffers.

pyarrow's own conversions (``Array.to_numpy``, ``np.asarray(array)``, ``pa.array``,
``pa.scalar``, ``Schema.empty_table``) each make pyarrow import pandas where it is
installed: 0.17-0.23 s that a measurement which never touches pandas would otherwise pay
(docs/benchmarks.md). These do the same without it, for what the engine makes on its
path from Parquet to cells and person rows: null-free fixed-width arrays, short lists of
strings, scalars and empty tables (``tests/test_api.py`` holds that path free of pandas).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def _dtype_of(t: pa.DataType) -> np.dtype:
    return np.dtype(np.int32 if pa.types.is_date32(t) else t.to_pandas_dtype())


def numpy_of(arr: pa.Array) -> np.ndarray:
    """The values of a null-free fixed-width array (integers, floats, date32 as int32
    days, booleans): a read-only zero-copy view of its value buffer, booleans unpacked
    from their bits into a fresh array."""
    t = arr.type
    n, at = len(arr), arr.offset
    boolean = pa.types.is_boolean(t)
    if n == 0 or arr.buffers()[1] is None:
        return np.zeros(n, np.bool_ if boolean else _dtype_of(t))
    if boolean:
        bits = np.frombuffer(arr.buffers()[1], np.uint8)
        return np.unpackbits(bits, count=at + n, bitorder="little")[at:].view(np.bool_)
    dtype = _dtype_of(t)
    view = np.frombuffer(arr.buffers()[1], dtype, n, at * dtype.itemsize)
    view.flags.writeable = False  # as ``to_numpy``'s: the Arrow array's memory
    return view


def arrow_of(values: np.ndarray, type: pa.DataType | None = None) -> pa.Array:
    """A null-free Arrow array of a 1-D NumPy array of booleans, integers or floats, on its
    memory when it is contiguous and already of ``type``'s width (else converted once);
    ``type`` defaults to the array's own (``date32`` takes int32 day numbers)."""
    if type is None:
        type = pa.bool_() if values.dtype == np.bool_ else pa.from_numpy_dtype(values.dtype)
    if pa.types.is_boolean(type):
        bits = pa.py_buffer(np.packbits(np.asarray(values, np.bool_), bitorder="little"))
        return pa.Array.from_buffers(type, len(values), [None, bits], null_count=0)
    values = np.ascontiguousarray(values, dtype=_dtype_of(type))
    return pa.Array.from_buffers(type, len(values), [None, pa.py_buffer(values)], null_count=0)


def strings_of(values: Sequence[str]) -> pa.Array:
    """A null-free Arrow ``string`` array of a (short) list of Python strings."""
    data = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers, null_count=0)


def scalar_of(value: bool | int | float, type: pa.DataType) -> pa.Scalar:
    """An Arrow scalar of ``type`` (``pa.scalar`` imports pandas too)."""
    return arrow_of(np.array([value]), type)[0]


def empty_table_of(schema: pa.Schema) -> pa.Table:
    """The zero-row table of ``schema`` (``Schema.empty_table`` imports pandas too)."""
    return pa.Table.from_arrays([pa.nulls(0, f.type) for f in schema], schema=schema)
