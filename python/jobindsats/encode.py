"""The fast path of reading one table: raw batches encoded and checked in one compiled pass.

Parquet written by ``jobindsats synth`` or a register extract usually holds every column
in its canonical physical type already: ``int64`` ids, ``date32`` dates, ``int16``
codes, ``float64`` hours, ``bool`` flags and string enumerations (read as dictionaries,
``io.scan_table``). For such a table, :func:`jobindsats.normalise.normalise_batches`
hands its batches here: each is copied straight into the final columns by
``cpp/encode`` (GIL released, ``workers`` batches side by side), which checks SPEC §8
in the same pass: dates in range, intervals with ``end >= start``, known enumeration
values, municipality codes, finite non-negative hours, no nulls in required columns.

This path only *finds* bad input: a batch where it finds any is then normalised the
general way (``normalise._normalise_rows``), which raises the worded error (table,
column, rows) exactly as before. The result of both ways is the same table
(tests/test_reading_fast.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import ModuleType

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import sorting
from . import validate as v
from .arrow_numpy import numpy_of, scalar_of, strings_of
from .normalise import (
    _PHYSICAL,
    _normalise_rows,
    check_unique_persons,
    encoded_schema,
    put_batches,
    row_order,
)
from .schema import ARROW_TYPES, ENUMERATIONS, TABLES, Column

#: Rows per batch: large, so that per-batch overhead vanishes (~0.5 s of decoding and
#: bookkeeping on 57M rows with 2^18), small enough that a few in flight stay cheap.
BATCH_ROWS = 1 << 20

#: The physical Arrow type a column must have for this path: its canonical type
#: (schema.ARROW_TYPES; enumerations are dictionaries, see ``takes``).
_RAW_TYPES = ARROW_TYPES

#: NumPy type of each kind's buffer here: the encoded values' (booleans: int8, -1 for null).
_BUFFER_TYPES: dict[str, type[np.generic]] = {**_PHYSICAL, "bool": np.int8}

#: cpp/sort.hpp ``KeyKind`` of each buffer type (booleans are int8 bytes here).
_KEY_KINDS: dict[type[np.generic], str] = {
    np.int8: "int8",
    np.int16: "int16",
    np.int32: "int32",
    np.int64: "int64",
    np.float64: "float64",
}

#: allowed[c]: whether c is a municipality code (validate's table, as bytes).
_MUNICIPALITY = np.ascontiguousarray(v._IS_MUNICIPALITY, dtype=np.uint8)


class _GiveUp(Exception):
    """A batch holds a row that may be bad input (or a column of another type)."""


class Fallback(Exception):
    """The compiled pass refused a batch the general way accepts: read the table the
    general way from the start (never seen; a safety net, not a path)."""


def takes(table: str, schema: pa.Schema) -> bool:
    """Whether the fast path takes ``table`` in batches of ``schema``: each canonical
    column at most once, the required ones present, none a free string (the persons'
    attributes stay with the general path), each of its canonical physical type (an
    enumeration: a dictionary of strings with int32 indices)."""
    spec = TABLES[table]
    names = schema.names
    for col in spec.columns:
        if names.count(col.name) > 1 or (col.required and col.name not in names):
            return False
        if col.name not in names:
            continue
        t = schema.field(col.name).type
        if col.kind == "string":
            return False
        if col.kind == "enum":
            if not (
                pa.types.is_dictionary(t)
                and t.index_type == pa.int32()
                and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type))
            ):
                return False
        elif t != _RAW_TYPES[col.kind]:
            return False
    return True


def empty(n: int, dtype: type[np.generic]) -> np.ndarray:
    """An uninitialised NumPy array in memory from Arrow's pool rather than NumPy's.

    NumPy asks the kernel to back large arrays with huge pages (``madvise``); where
    ``/sys/kernel/mm/transparent_hugepage/defrag`` is ``madvise`` (a common default), each
    first touch may then compact memory synchronously: reading 1M persons spent ~2 s of
    system time on it. Arrow's allocator does not ask; the array then becomes an Arrow
    buffer without a copy anyway."""
    return np.frombuffer(pa.allocate_buffer(n * np.dtype(dtype).itemsize), dtype)


def _bitmap(buffer: pa.Buffer | None) -> np.ndarray | None:
    return None if buffer is None else np.frombuffer(buffer, np.uint8)


class _Table:
    """The final columns of one table, filled batch by batch."""

    def __init__(self, core: ModuleType, table: str, present: list[str], n: int) -> None:
        self.core = core
        self.table = table
        self.spec = TABLES[table]
        self.present = present
        self.n = n
        self.buffers = {  # (absent free strings are all null: no buffer)
            c.name: empty(n, _BUFFER_TYPES[c.kind]) for c in self.spec.columns if c.kind != "string"
        }
        self.valid = {  # validity bytes of the hours
            c.name: empty(n, np.uint8)
            for c in self.spec.columns
            if c.kind == "float" and c.name in present
        }
        self.nulls = {c.name: 0 for c in self.spec.columns}
        self.lo, self.hi = v.MIN_DAY, v.MAX_DAY

    def put(self, at: int, batch: pa.RecordBatch) -> dict[str, int]:
        """Encode one batch into rows ``at..``; its null counts per column. Raises
        :class:`_GiveUp` on an unexpected type or a row that may be bad input."""
        m = batch.num_rows
        nulls: dict[str, int] = {}
        for name in self.present:
            col = self.spec.column(name)
            arr = batch.column(name)
            dst = self.buffers[name][at : at + m]
            nulls[name] = self._put_column(col, arr, dst, at)
        if self.spec.interval is not None:
            first, last = self.spec.interval
            s, e = self.buffers[first][at : at + m], self.buffers[last][at : at + m]
            if self.core.first_end_before_start(s, e) >= 0:
                raise _GiveUp
        return nulls

    def _put_column(self, col: Column, arr: pa.Array, dst: np.ndarray, at: int) -> int:
        core = self.core
        kind = col.kind
        nulls = arr.null_count
        if nulls and not col.nullable:
            raise _GiveUp
        if kind == "enum":
            if not pa.types.is_dictionary(arr.type) or arr.type.index_type != pa.int32():
                raise _GiveUp
            lut = self._lookup(col, arr.dictionary)
            if core.encode_codes(numpy_of(arr.indices), lut, dst) >= 0:
                raise _GiveUp
            return 0
        if arr.type != _RAW_TYPES[kind]:
            raise _GiveUp
        if kind == "bool":
            bits = np.frombuffer(arr.buffers()[1], np.uint8)
            validity = _bitmap(arr.buffers()[0]) if nulls else None
            core.unpack_flags(bits, validity, arr.offset, -1, dst)
            return nulls
        if kind == "float":
            validity = _bitmap(arr.buffers()[0]) if nulls else None
            valid = self.valid[col.name][at : at + len(arr)]
            if core.encode_hours(numpy_of(arr), validity, arr.offset, dst, valid) >= 0:
                raise _GiveUp
            return nulls
        if nulls:  # (ids, dates and codes are never nullable)
            raise _GiveUp
        if kind == "date":
            if core.encode_dates(numpy_of(arr), self.lo, self.hi, dst) >= 0:
                raise _GiveUp
        elif kind == "municipality":
            if core.encode_allowed_int16(numpy_of(arr), _MUNICIPALITY, dst) >= 0:
                raise _GiveUp
        else:  # id (int64), code (int16): any value is fine
            dst[:] = numpy_of(arr)
        return 0

    def _lookup(self, col: Column, dictionary: pa.Array) -> np.ndarray:
        """Code of each dictionary entry; -1 for an unknown or null entry."""
        allowed = strings_of(ENUMERATIONS[(self.table, col.name)])
        codes = pc.index_in(dictionary.cast(pa.string()), value_set=allowed)
        return np.ascontiguousarray(numpy_of(codes.fill_null(scalar_of(-1, codes.type))), np.int8)

    def fill_absent(self) -> None:
        """Absent optional columns: their default, or null (SPEC §2)."""
        for col in self.spec.columns:
            if col.name in self.present or col.kind == "string":
                continue
            buf = self.buffers[col.name]
            if col.default is not None:
                buf[:] = col.default
            elif col.kind == "bool":
                buf[:] = -1
                self.nulls[col.name] = self.n
            else:  # nullable hours: all null
                buf[:] = 0.0
                self.valid[col.name] = np.zeros(self.n, np.uint8)
                self.nulls[col.name] = self.n

    def key_views(self, order: list[str]) -> list[sorting.SortKeyView]:
        """The columns ``order`` as ``cpp/sort`` keys read from these buffers, as
        ``sorting.sort_key_views`` reads them from the Arrow table: booleans as int8 (-1
        for null, 0, 1: null first, nulls equal, as Arrow's bits with validity order
        them), hours with their validity packed to bits."""
        views: list[sorting.SortKeyView] = []
        for name in order:
            buf = self.buffers[name]
            validity = None
            if name in self.valid and self.nulls[name]:
                validity = np.packbits(self.valid[name], bitorder="little")
            views.append((_KEY_KINDS[buf.dtype.type], buf.view(np.uint8), validity, 0))
        return views

    def date_array(self, name: str) -> pa.Array:
        """A date column as Arrow ``date32``, on its buffer (no copy)."""
        return pa.Array.from_buffers(pa.date32(), self.n, [None, pa.py_buffer(self.buffers[name])])

    def reorder(
        self,
        plan: tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray,
        workers: int,
        scratch: np.ndarray | None = None,
    ) -> None:
        """Every buffer put in canonical row order: by ``cpp/order_plan``'s plan in place
        (``reorder_columns``: the columns packed into 4- or 8-byte words per row, two
        nearly sequential passes per word through ``scratch``, 8 bytes a row), else by a permutation (``cpp/encode`` ``gather``, a random
        read per value, one column per worker at a time). The columns are plain bytes
        here, booleans too: far cheaper to move than Arrow's bit-packed ones."""
        names = [(self.buffers, name) for name in self.buffers]
        names += [(self.valid, name) for name in self.valid]
        if isinstance(plan, tuple):  # (the person ids are sorted already, see read_table)
            names.remove((self.buffers, "person_id"))
            columns = [buffers[name] for buffers, name in names]
            self.core.reorder_columns(columns, *plan, workers, scratch)
            return

        def move(where: tuple[dict[str, np.ndarray], str]) -> None:
            buffers, name = where
            old = buffers[name]
            new = empty(len(old), old.dtype.type)
            self.core.gather(old, plan, new)
            buffers[name] = new

        if workers > 1:
            with ThreadPoolExecutor(workers, "jobindsats-gather") as pool:
                list(pool.map(move, names))
        else:
            for where in names:
                move(where)

    def arrays(self) -> list[pa.Array]:
        """The encoded Arrow columns (normalise.encoded_schema), zero-copy where the
        layout allows it (booleans are bit-packed here)."""
        out = []
        for col in self.spec.columns:
            if col.kind == "string":  # absent (applies() refuses present ones): all null
                out.append(pa.nulls(self.n, type=pa.string()))
                continue
            buf = self.buffers[col.name]
            nulls = self.nulls[col.name]
            validity = None
            if col.kind == "bool":
                data = pa.py_buffer(np.packbits(buf == 1, bitorder="little"))
                if nulls:
                    validity = pa.py_buffer(np.packbits(buf >= 0, bitorder="little"))
            else:
                data = pa.py_buffer(buf)
                if nulls:
                    validity = pa.py_buffer(np.packbits(self.valid[col.name], bitorder="little"))
            arrow_type = encoded_schema(self.table).field(col.name).type
            out.append(
                pa.Array.from_buffers(arrow_type, self.n, [validity, data], null_count=nulls)
            )
        return out


def read_table(
    core: ModuleType,
    table: str,
    present: list[str],
    n_rows: int,
    batches: Iterable[pa.RecordBatch],
    workers: int = 1,
) -> pa.Table:
    """The normalised ``table``, as ``normalise.normalise_batches`` gives it, from
    batches whose schema :func:`takes` accepts. Raises :class:`InputError` as that does
    (a bad batch's rows), or :class:`Fallback`."""
    out = _Table(core, table, present, n_rows)

    def finish(done: Future[dict[str, int]], batch: pa.RecordBatch) -> None:
        try:
            nulls = done.result()
        except _GiveUp:
            _normalise_rows(table, batch)  # raises the worded InputError
            raise Fallback(table) from None
        for name, k in nulls.items():
            out.nulls[name] += k

    checked: list[pa.Schema] = []  # the last schema takes() accepted

    def check(batch: pa.RecordBatch) -> None:
        if not checked or not batch.schema.equals(checked[0]):
            if not takes(table, batch.schema):
                raise Fallback(table)
            checked[:] = [batch.schema]

    put_batches(table, n_rows, batches, out.put, finish, workers, check)
    out.fill_absent()
    if table == "employment":
        v.check_first_of_month(table, "month", out.date_array("month"), out.buffers["person_id"])
    # The order is checked, and made, on the buffers (booleans still bytes): Arrow
    # arrays, with booleans packed to bits, are made once, in canonical order.
    views = out.key_views(row_order(table))
    if n_rows > 1 and not core.rows_sorted(views, n_rows):
        slot, source = empty(n_rows, np.uint32), empty(n_rows, np.uint32)
        bounds = np.empty(257, np.int64)
        # one scratch for the plan's keys, then for moving the columns: fresh memory,
        # whose first touch the OS pays for (it zeroes every page), is touched once
        scratch = empty(n_rows, np.uint64)
        # (the plan writes the sorted ids over the ids it has read: they are not moved)
        ids = out.buffers["person_id"]
        parts = core.order_plan(views, n_rows, slot, source, bounds, min(workers, 2), ids, scratch)
        # (no plan where the ids are sparse, or in order: the permutation, gathered)
        plan: tuple[np.ndarray, np.ndarray, np.ndarray] | np.ndarray = (
            (slot, source, bounds[: parts + 1]) if parts else core.sort_permutation(views, n_rows)
        )
        del views
        out.reorder(plan, workers, scratch)
    result = pa.Table.from_arrays(out.arrays(), schema=encoded_schema(table))
    check_unique_persons(table, result)
    return result
