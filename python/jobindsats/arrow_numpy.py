"""NumPy views of Arrow arrays and Arrow arrays of NumPy values, read from and made of
their buffers.

pyarrow's own conversions (``Array.to_numpy``, ``np.asarray(array)``, ``pa.array``,
``pa.scalar``, ``Schema.empty_table``, ``Table.from_pydict``) each make pyarrow import
pandas where it is installed: 0.17-0.23 s that a measurement or audit which never touches
pandas would otherwise pay (docs/benchmarks.md). These do the same without it, for what
the engine makes on its way from Parquet to cells, person rows and audit tables:
null-free fixed-width arrays, arrays with a validity mask, strings, scalars, small tables
of Python lists and empty tables (``tests/test_api.py`` holds that way free of pandas).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def _dtype_of(t: pa.DataType) -> np.dtype:
    return np.dtype(np.int32 if pa.types.is_date32(t) else t.to_pandas_dtype())


def numpy_of(arr: pa.Array) -> np.ndarray:
    """The values of a fixed-width array (integers, floats, date32 as int32 days,
    booleans): a read-only zero-copy view of its value buffer from its offset, booleans
    unpacked from their bits into a fresh array. A null's slot gives whatever it holds
    (callers with nulls fill them first, or pass the validity on beside the values)."""
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


def arrow_of(values: Sequence[object] | np.ndarray, type: pa.DataType | None = None) -> pa.Array:
    """A null-free Arrow array of a 1-D NumPy array (or a list) of booleans, integers or
    floats, on its memory when it is contiguous and already of ``type``'s width (else
    converted once); ``type`` defaults to the array's own (``date32`` takes int32 days)."""
    values = np.asarray(values)
    if type is None:
        type = pa.bool_() if values.dtype == np.bool_ else pa.from_numpy_dtype(values.dtype)
    if pa.types.is_boolean(type):
        bits = pa.py_buffer(np.packbits(np.asarray(values, np.bool_), bitorder="little"))
        return pa.Array.from_buffers(type, len(values), [None, bits], null_count=0)
    values = np.ascontiguousarray(values, dtype=_dtype_of(type))
    return pa.Array.from_buffers(type, len(values), [None, pa.py_buffer(values)], null_count=0)


def validity_of(valid: np.ndarray) -> tuple[pa.Buffer | None, int]:
    """The Arrow validity bitmap of a boolean mask (``None`` when every value is valid)
    and its null count: one ``packbits``, where ``pa.array(..., mask=)`` converts the mask
    value by value (a tenth of a CPU second on the 21.5M rows of 1M persons)."""
    nulls = len(valid) - int(np.count_nonzero(valid))
    if nulls == 0:
        return None, 0
    return pa.py_buffer(np.packbits(valid, bitorder="little")), nulls


def nullable_of(values: np.ndarray, type: pa.DataType, valid: np.ndarray) -> pa.Array:
    """Fixed-width NumPy ``values`` (of ``type``'s width) as an Arrow array on the same
    memory (when contiguous), null where not ``valid``."""
    validity, nulls = validity_of(valid)
    data = pa.py_buffer(np.ascontiguousarray(values))
    return pa.Array.from_buffers(type, len(values), [validity, data], null_count=nulls)


def strings_of(values: Sequence[str | None]) -> pa.Array:
    """An Arrow ``string`` array of a (short) sequence of Python strings (``None``: null)."""
    data = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, np.int32)
    np.cumsum([len(b) for b in data], out=offsets[1:])
    validity, nulls = validity_of(np.array([v is not None for v in values], np.bool_))
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    return pa.Array.from_buffers(pa.string(), len(data), buffers, null_count=nulls)


def table_of_lists(columns: dict[str, list[object]], schema: pa.Schema) -> pa.Table:
    """A table of ``schema`` (string and fixed-width columns) from a list of Python values
    per column, ``None`` for null."""
    arrays = []
    for f in schema:
        values = columns[f.name]
        if pa.types.is_string(f.type):
            arrays.append(strings_of(values))  # type: ignore[arg-type]
            continue
        valid = np.array([v is not None for v in values], np.bool_)
        filled = arrow_of(np.asarray([0 if v is None else v for v in values]), f.type)
        validity, nulls = validity_of(valid)
        arrays.append(
            pa.Array.from_buffers(
                f.type, len(values), [validity, filled.buffers()[1]], null_count=nulls
            )
        )
    return pa.Table.from_arrays(arrays, schema=schema)


def scalar_of(value: bool | int | float, type: pa.DataType) -> pa.Scalar:
    """An Arrow scalar of ``type`` (``pa.scalar`` imports pandas too)."""
    return arrow_of(np.array([value]), type)[0]


def empty_table_of(schema: pa.Schema) -> pa.Table:
    """The zero-row table of ``schema`` (``Schema.empty_table`` imports pandas too)."""
    return pa.Table.from_arrays([pa.nulls(0, f.type) for f in schema], schema=schema)
