"""The canonical row order of a normalised table, checked and made by ``cpp/sort``.

A normalised table's rows are in lexicographic order of ``normalise.row_order``
(person, the table's sort columns, every remaining column; null before any value), a
total order, so the result never depends on the input's row order (docs/kernel.md).

Input usually arrives in that order already (``jobindsats synth`` writes it so, and so
do most register extracts): :func:`rows_sorted` checks it in one pass over neighbouring
rows, reading the columns in place from Arrow's buffers (no key arrays are built), and
then nothing is sorted. Otherwise :func:`sort_permutation` gives the stable permutation
into that order: a radix sort by person, then each person's few rows sorted by the
other columns. Both run in C++ with the GIL released.

Their reference twins, used when the compiled module is missing and held equal to it by
``tests/test_reading_order.py``, are NumPy/Arrow code in :mod:`jobindsats.normalise`:
``_is_sorted`` (neighbour comparisons block by block) and ``_reference_permutation``
(Arrow's stable ``sort_indices`` over the same keys).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from types import ModuleType

import numpy as np
import pyarrow as pa

from .arrow_numpy import arrow_of

#: cpp/sort.hpp ``KeyKind`` of each encoded Arrow type.
_KINDS: dict[pa.DataType, str] = {
    pa.int8(): "int8",
    pa.int16(): "int16",
    pa.int32(): "int32",
    pa.date32(): "int32",
    pa.int64(): "int64",
    pa.float64(): "float64",
    pa.bool_(): "bit",
}

_EMPTY = np.zeros(8, dtype=np.uint8)

SortKeyView = tuple[str, np.ndarray, np.ndarray | None, int]


def compiled() -> ModuleType | None:
    """The compiled module, or ``None`` when it does not import (the twins run then)."""
    try:
        from . import _core
    except ImportError:
        return None
    return _core


def _bytes(buffer: pa.Buffer | None) -> np.ndarray:
    return _EMPTY if buffer is None else np.frombuffer(buffer, dtype=np.uint8)


def sort_key_views(table: pa.Table, order: list[str]) -> list[SortKeyView]:
    """The columns ``order`` of ``table`` as cpp/sort keys: (kind, values buffer, validity
    bitmap or ``None``, offset), zero-copy views of Arrow's buffers. Every column must
    be one chunk of an encoded type (``normalise.ENCODED_TYPES``)."""
    views: list[SortKeyView] = []
    for name in order:
        column = table.column(name)
        if column.num_chunks != 1:
            raise ValueError(f"{name}: a sort key must be one chunk, not {column.num_chunks}")
        arr = column.chunk(0)
        kind = _KINDS.get(arr.type)
        if kind is None:
            raise TypeError(f"{name}: no sort key kind for Arrow type {arr.type}")
        validity, values = arr.buffers()[:2]
        nulls = _bytes(validity) if arr.null_count else None
        views.append((kind, _bytes(values), nulls, arr.offset))
    return views


def rows_sorted(core: ModuleType, table: pa.Table, order: list[str]) -> bool:
    """Whether ``table``'s rows are in lexicographic order of ``order`` (nulls first)."""
    if table.num_rows < 2:
        return True
    return bool(core.rows_sorted(sort_key_views(table, order), table.num_rows))


def sort_permutation(core: ModuleType, table: pa.Table, order: list[str]) -> np.ndarray:
    """``int64`` row indices that put ``table`` in lexicographic order of ``order``
    (stable; ``order[0]`` is ``person_id``, never null)."""
    return core.sort_permutation(sort_key_views(table, order), table.num_rows)


def take_rows(table: pa.Table, rows: np.ndarray, workers: int = 1) -> pa.Table:
    """``table.take(rows)``, its columns gathered on up to ``workers`` threads at once
    (Arrow's take releases the GIL; one column is one gather)."""
    indices = arrow_of(rows)
    if workers <= 1 or table.num_columns < 2:
        return table.take(indices)
    with ThreadPoolExecutor(min(workers, table.num_columns), "jobindsats-sort") as pool:
        columns = list(pool.map(lambda column: column.take(indices), table.columns))
    return pa.Table.from_arrays(columns, schema=table.schema)
