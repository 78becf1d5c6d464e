"""Normalise one input table to its canonical, encoded form (SPEC §2, docs/kernel.md).

:func:`normalise_table` takes a raw ``pyarrow.Table`` (any column order, extra columns,
loosely typed) and returns a single-chunk table with exactly the canonical columns:

* ``person_id``: any integer type → ``int64``.
* dates → ``date32``. ``date64`` and ``timestamp`` columns are accepted when every value
  is a whole day (midnight); a timezone-aware timestamp is first converted to the wall
  clock of its own timezone (so midnight Europe/Copenhagen is that calendar day). Any
  other type (strings, integers, ...) is a wrong type.
* enumerations (``string``, ``large_string``, ``string_view`` or ``dictionary<…, string>``)
  → ``int8`` codes: the index of the value in ``schema.ENUMERATIONS``.
* municipality and code columns: any integer type → ``int16`` (range checked first).
* hours: any float or integer type → ``float64``; ``-0.0`` becomes ``0.0``.
* booleans must be ``bool``.
* optional columns that are absent get their default (``Column.default``, or null).
* a column without rows may have any type (an empty pandas column is often float64).

Rows are then sorted by ``(person_id, the table's sort_by columns, every remaining
column in schema order)``, a total order (null sorts before any value in nullable
columns), so the result does not depend on the input row order. Every check of SPEC §8
raises :class:`~jobindsats.errors.InputError` (see :mod:`jobindsats.validate`); no row is
ever dropped or repaired.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import sorting
from . import validate as v
from .arrow_numpy import arrow_of, empty_table_of, numpy_of, scalar_of, strings_of
from .errors import InputError
from .schema import ARROW_TYPES, ENUMERATIONS, TABLES, Column

#: Arrow type of each column kind in the *encoded* tables (enumerations become codes).
ENCODED_TYPES: dict[str, pa.DataType] = {**ARROW_TYPES, "enum": pa.int8()}

_TICKS_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
_INT16 = (-(2**15), 2**15 - 1)


def encoded_schema(table: str) -> pa.Schema:
    """Schema of a normalised table: canonical types, enumerations as ``int8`` codes."""
    return pa.schema(
        [
            pa.field(c.name, ENCODED_TYPES[c.kind], nullable=c.nullable)
            for c in TABLES[table].columns
        ]
    )


def empty_table(table: str) -> pa.Table:
    """The zero-row normalised table (a missing optional table means "no such events")."""
    return empty_table_of(encoded_schema(table))


def single_array(column: pa.ChunkedArray) -> pa.Array:
    """The column as one Array: its only chunk as is (``ChunkedArray.combine_chunks``
    copies even a single chunk, a whole column of fresh memory), else the chunks joined."""
    if column.num_chunks == 1:
        return column.chunk(0)
    return column.combine_chunks()


def _is_stringlike(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


class _Context:
    """Table name and the (already normalised) person ids, for error messages."""

    def __init__(self, table: str, person_id: np.ndarray | None) -> None:
        self.table = table
        self.person_id = person_id


# --- one converter per column kind: raw non-null Array -> encoded Array ------------------


def _convert_id(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    if not pa.types.is_integer(arr.type):
        v.wrong_type(ctx.table, col.name, arr, "an integer type (int64)", ctx.person_id)
    if arr.type == pa.uint64() and len(arr) and pc.max(arr).as_py() > 2**63 - 1:
        values = numpy_of(arr)
        mask = values > np.uint64(2**63 - 1)
        shown = [("row", arrow_of(np.arange(len(arr)))), (col.name, arr)]
        v.fail_rows(ctx.table, col.name, "with a value above the int64 range", mask, None, shown)
    return arr.cast(pa.int64())


def _convert_date(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    t = arr.type
    pid = ctx.person_id
    assert pid is not None
    if pa.types.is_date32(t):
        days = numpy_of(arr.view(pa.int32()))
        v.check_date_range(ctx.table, col.name, days, arr, pid)
        return arr
    if pa.types.is_date64(t) or pa.types.is_timestamp(t):
        wall = arr
        if pa.types.is_timestamp(t) and t.tz is not None:
            wall = pc.local_timestamp(arr)  # wall clock of the column's own timezone
        per_day = _TICKS_PER_DAY["ms" if pa.types.is_date64(t) else t.unit]
        ticks = numpy_of(wall.view(pa.int64()))
        v.check_whole_days(ctx.table, col.name, ticks, per_day, arr, pid)
        days64 = ticks // per_day
        v.check_date_range(ctx.table, col.name, days64, arr, pid)
        return arrow_of(days64, pa.date32())
    v.wrong_type(
        ctx.table,
        col.name,
        arr,
        "date32 (or date64/timestamp values that are whole days)",
        pid,
    )


def _convert_enum(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    allowed = ENUMERATIONS[(ctx.table, col.name)]
    pid = ctx.person_id
    assert pid is not None
    t = arr.type
    value_set = strings_of(allowed)
    if pa.types.is_dictionary(t) and _is_stringlike(t.value_type):
        return _dictionary_codes(ctx, col, arr, value_set)
    if _is_stringlike(t):
        plain = arr.cast(pa.string()) if pa.types.is_string_view(t) else arr
        codes = pc.index_in(plain, value_set=value_set)
    else:
        v.wrong_type(ctx.table, col.name, arr, "a string enumeration", pid)
    unknown = numpy_of(codes.is_null())
    v.check_enum(ctx.table, col.name, unknown, arr, allowed, pid)
    return codes.cast(pa.int8())


def _dictionary_codes(
    ctx: _Context, col: Column, arr: pa.DictionaryArray, value_set: pa.Array
) -> pa.Array:
    """Codes of a dictionary-encoded enumeration: each dictionary *entry* is looked up
    once (a few strings, whatever the rows), then the codes are gathered by index; no
    per-row string is ever made. Entries that are unknown, or null, are errors only
    where a row uses them (SPEC §8): unused entries are fine. A row whose entry is null
    is a null in a required column, as a null index is."""
    pid = ctx.person_id
    assert pid is not None
    entries = arr.dictionary
    lookup = pc.index_in(entries.cast(pa.string()), value_set=value_set)
    if lookup.null_count:  # some entry is unknown or null: do the rows use it?
        bad_entry = numpy_of(lookup.is_null())
        indices = numpy_of(arr.indices.fill_null(scalar_of(0, arr.indices.type)))
        valid = numpy_of(arr.indices.is_valid())
        used = bad_entry[indices] & np.asarray(valid, dtype=bool)
        if used.any():
            null_entry = numpy_of(entries.is_null())
            nulls = used & null_entry[indices]
            if nulls.any():
                shown = v.with_person_ids(pid, [(col.name, arr)])
                v.fail_rows(ctx.table, col.name, v.NULL_PROBLEM, nulls, pid, shown)
            allowed = ENUMERATIONS[(ctx.table, col.name)]
            v.check_enum(ctx.table, col.name, used, arr, allowed, pid)
        lookup = lookup.fill_null(scalar_of(0, lookup.type))  # (no row uses these entries)
    return pc.take(lookup.cast(pa.int8()), arr.indices)


def _convert_small_int(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    pid = ctx.person_id
    assert pid is not None
    if not pa.types.is_integer(arr.type):
        v.wrong_type(ctx.table, col.name, arr, "an integer type (int16)", pid)
    values = numpy_of(arr)
    if col.kind == "municipality":
        v.check_municipality(ctx.table, col.name, values, arr, pid)
    else:
        v.check_int_range(ctx.table, col.name, values, *_INT16, arr, pid)
    return arr.cast(pa.int16())


def _convert_float(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    t = arr.type
    if not (pa.types.is_floating(t) or pa.types.is_integer(t)):
        v.wrong_type(ctx.table, col.name, arr, "float64", ctx.person_id)
    hours = arr.cast(pa.float64())
    assert ctx.person_id is not None
    v.check_hours(ctx.table, col.name, hours, ctx.person_id)
    # -0.0 + 0.0 == +0.0: one bit pattern for zero. Negative values are refused above, so
    # a sign bit is a -0.0 (or the slot of a null); without one, no copy is needed.
    data = np.frombuffer(hours.buffers()[1], np.float64, len(hours) + hours.offset)
    if np.signbit(data[hours.offset :]).any():
        return pc.add(hours, scalar_of(0.0, pa.float64()))
    return hours


def _convert_string(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    """Free strings (the persons' optional attributes): any string type or a dictionary
    of strings, as plain ``string``."""
    t = arr.type
    if pa.types.is_dictionary(t) and _is_stringlike(t.value_type):
        return arr.cast(pa.string())
    if not _is_stringlike(t):
        v.wrong_type(ctx.table, col.name, arr, "a string type", ctx.person_id)
    return arr.cast(pa.string())


def _convert_bool(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    if not pa.types.is_boolean(arr.type):
        v.wrong_type(ctx.table, col.name, arr, "bool", ctx.person_id)
    return arr


_CONVERTERS: dict[str, Callable[[_Context, Column, pa.Array], pa.Array]] = {
    "id": _convert_id,
    "date": _convert_date,
    "enum": _convert_enum,
    "municipality": _convert_small_int,
    "code": _convert_small_int,
    "float": _convert_float,
    "bool": _convert_bool,
    "string": _convert_string,
}


def _default_column(col: Column, n: int) -> pa.Array:
    target = ENCODED_TYPES[col.kind]
    if col.default is None:
        return pa.nulls(n, type=target)
    return arrow_of(np.full(n, col.default), target)


def _normalise_column(ctx: _Context, col: Column, raw: pa.Array | pa.ChunkedArray) -> pa.Array:
    arr = raw if isinstance(raw, pa.Array) else single_array(raw)
    if len(arr) == 0:  # no value to misread: any type will do (e.g. empty pandas columns)
        return pa.nulls(0, ENCODED_TYPES[col.kind])
    if pa.types.is_null(arr.type):  # e.g. an all-None pandas column: nulls of the input type
        arr = pa.nulls(len(arr), type=ARROW_TYPES[col.kind])
    if not col.nullable:
        v.check_not_null(ctx.table, col.name, arr, ctx.person_id)
    converted = _CONVERTERS[col.kind](ctx, col, arr)
    return converted.cast(ENCODED_TYPES[col.kind])


# --- total row order -----------------------------------------------------------------------


def _sort_keys(table: pa.Table, order: list[str], validity: bool = False) -> list[np.ndarray]:
    """Null-free NumPy keys whose lexicographic order is the canonical row order. A column
    with nulls gives two keys (validity, value); with ``validity`` every column does, so
    that the keys of two row sets line up whether or not each set holds a null."""
    keys: list[np.ndarray] = []
    for name in order:
        arr = single_array(table.column(name))
        t = arr.type
        if validity and not arr.null_count:
            keys.append(np.ones(len(arr), dtype=np.uint8))
        if arr.null_count:  # null: validity key 0 sorts it first; its value key is then 0
            keys.append(numpy_of(arr.is_valid()).view(np.uint8))
            arr = arr.fill_null(scalar_of(False if pa.types.is_boolean(t) else 0, t))
        if pa.types.is_boolean(t):
            keys.append(np.asarray(numpy_of(arr), dtype=np.uint8))
        elif pa.types.is_date32(t):
            keys.append(numpy_of(arr.view(pa.int32())))
        else:
            keys.append(numpy_of(arr))
    return keys


#: Neighbouring row pairs compared per block by :func:`_is_sorted`: its work arrays stay
#: small and are reused, instead of several column-sized temporaries of fresh memory.
_SORT_CHECK_BLOCK = 1 << 16


def _is_sorted(table: pa.Table, order: list[str], n_primary: int) -> bool:
    """Whether rows are already in lexicographic order of the columns ``order``.

    The first ``n_primary`` columns (person and dates: never null) are compared for every
    pair of neighbouring rows, block by block; they decide almost every pair, so the
    remaining (often nullable) columns are only materialised for the pairs still tied.
    """
    n = table.num_rows
    if n < 2:
        return True
    keys = _sort_keys(table, order[:n_primary])
    block = min(_SORT_CHECK_BLOCK, n - 1)
    before = np.empty(block, dtype=bool)  # row i < row i+1 decided by an earlier key
    equal = np.empty(block, dtype=bool)
    scratch = np.empty(block, dtype=bool)
    tied: list[np.ndarray] = []
    for lo in range(0, n - 1, block):
        m = min(block, n - 1 - lo)
        bf, eq, tmp = before[:m], equal[:m], scratch[:m]
        bf[:] = False
        eq[:] = True
        for key in keys:
            a, b = key[lo : lo + m], key[lo + 1 : lo + 1 + m]
            np.less(a, b, out=tmp)
            tmp &= eq
            bf |= tmp
            np.equal(a, b, out=tmp)
            eq &= tmp
        bf |= eq
        if not bf.all():
            return False
        ties = np.flatnonzero(eq)
        if ties.size:
            tied.append(ties + lo)
    pairs = np.concatenate(tied) if tied else np.empty(0, np.int64)
    for name in order[n_primary:]:
        if pairs.size == 0:
            return True
        sub = pa.table({name: table.column(name)})
        left = _sort_keys(sub.take(arrow_of(pairs)), [name], validity=True)
        right = _sort_keys(sub.take(arrow_of(pairs + 1)), [name], validity=True)
        still = np.ones(pairs.size, dtype=bool)
        for a, b in zip(left, right, strict=True):
            if np.any(still & (a > b)):
                return False
            still &= a == b
        pairs = pairs[still]
    return True


def _reference_permutation(table: pa.Table, order: list[str]) -> pa.Array:
    """Twin of ``cpp/sort`` ``sort_permutation``: Arrow's stable sort over the NumPy keys."""
    keys = _sort_keys(table, order)
    key_table = pa.table({f"k{i}": key for i, key in enumerate(keys)})
    return pc.sort_indices(key_table, sort_keys=[(f"k{i}", "ascending") for i in range(len(keys))])


def sort_rows(
    table: pa.Table, order: list[str], n_primary: int | None = None, workers: int = 1
) -> pa.Table:
    """Sort ``table`` by the columns ``order`` (nulls first, stable); no-op if already
    sorted, which is checked in one pass (:mod:`jobindsats.sorting`).

    ``n_primary``: how many leading columns of ``order`` never hold nulls (used by the
    NumPy twin only, when the compiled module is missing; default: all are checked the
    slow, general way). ``workers``: threads that gather the columns into the new order.
    """
    if table.num_rows < 2:
        return table
    core = sorting.compiled()
    if core is None:
        if _is_sorted(table, order, len(order) if n_primary is None else n_primary):
            return table
        return table.take(_reference_permutation(table, order))
    if any(table.column(name).num_chunks != 1 for name in order):
        table = table.combine_chunks()
    if sorting.rows_sorted(core, table, order):
        return table
    return sorting.take_rows(table, sorting.sort_permutation(core, table, order), workers)


def row_order(table: str) -> list[str]:
    """Canonical sort columns: person_id, the table's sort_by, then the remaining ones
    except free strings (the persons' attributes: ``persons`` has one row per person, so
    they never decide the order, and ``cpp/sort`` has no string keys)."""
    spec = TABLES[table]
    first = ["person_id", *spec.sort_by]
    return first + [c.name for c in spec.columns if c.name not in first and c.kind != "string"]


# --- the table -------------------------------------------------------------------------------


def _check_columns(table: str, present: list[str]) -> None:
    """Each canonical column at most once; required ones present (SPEC §8)."""
    for col in TABLES[table].columns:
        if present.count(col.name) > 1:
            raise InputError(
                f"{table}.{col.name}: column appears {present.count(col.name)} times",
                table=table,
                column=col.name,
            )
        if col.name not in present and col.required:
            v.missing_column(table, col.name, present)


def _normalise_rows(table: str, raw: pa.Table | pa.RecordBatch) -> dict[str, pa.Array]:
    """Validate, cast and encode every column of some rows of ``table`` (no sorting): the
    row-by-row part of normalisation, the same for a whole table or one batch of it."""
    spec = TABLES[table]
    present = raw.schema.names
    n = raw.num_rows
    ctx = _Context(table, None)
    pid = _normalise_column(ctx, spec.column("person_id"), raw.column("person_id"))
    ctx.person_id = numpy_of(pid)
    arrays: dict[str, pa.Array] = {"person_id": pid}
    for col in spec.columns[1:]:
        if col.name in present:
            arrays[col.name] = _normalise_column(ctx, col, raw.column(col.name))
        else:
            arrays[col.name] = _default_column(col, n)
    if spec.interval is not None:
        first, last = spec.interval
        v.check_interval(table, spec.interval, arrays[first], arrays[last], ctx.person_id)
    if table == "employment":
        v.check_first_of_month(table, "month", arrays["month"], ctx.person_id)
    return arrays


def _finish(table: str, arrays: dict[str, pa.Array], workers: int = 1) -> pa.Table:
    """The table of encoded columns in canonical row order; ``persons`` checked unique."""
    spec = TABLES[table]
    result = pa.Table.from_arrays(list(arrays.values()), schema=encoded_schema(table))
    result = sort_rows(result, row_order(table), 1 + len(spec.sort_by), workers)
    check_unique_persons(table, result)
    return result.combine_chunks()


def check_unique_persons(table: str, result: pa.Table) -> None:
    """``persons`` (in person order) holds one row per person (SPEC §8)."""
    if table == "persons":
        sorted_pid = numpy_of(single_array(result.column("person_id")))
        shown = [("birth_date", single_array(result.column("birth_date")))]
        v.check_unique_persons(table, sorted_pid, shown)


def normalise_table(table: str, raw: pa.Table | None) -> pa.Table:
    """Validate, cast, encode and sort one input table; ``None`` = missing (zero rows).

    Raises :class:`InputError` for every problem of SPEC §8 found in this table.
    """
    spec = TABLES[table]
    if raw is None:
        if spec.required:
            raise InputError(f"{table}: required table missing", table=table)
        return empty_table(table)
    _check_columns(table, raw.column_names)
    return _finish(table, _normalise_rows(table, raw))


# --- batch by batch ------------------------------------------------------------------------

#: NumPy type of each encoded column kind's values, as Arrow lays them out (``bool`` is
#: kept one byte per value here and bit-packed once at the end).
_PHYSICAL: dict[str, type[np.generic]] = {
    "id": np.int64,
    "date": np.int32,
    "enum": np.int8,
    "municipality": np.int16,
    "code": np.int16,
    "float": np.float64,
    "bool": np.bool_,
}


class _ColumnBuffer:
    """One encoded column of ``n`` rows, filled batch by batch, then handed to Arrow
    without a copy (values; validity bit-packed only if there is a null)."""

    def __init__(self, col: Column, n: int) -> None:
        self.col = col
        # free strings have no fixed-width buffer: their encoded pieces are kept by row
        self.pieces: dict[int, pa.Array] | None = {} if col.kind == "string" else None
        self.values = np.empty(0 if col.kind == "string" else n, _PHYSICAL.get(col.kind, np.int8))
        self.valid = np.empty(n, np.bool_) if col.nullable else None
        self.null_count = 0

    def put(self, at: int, arr: pa.Array) -> int:
        """Copy the encoded rows ``arr`` in at row ``at``; returns their null count (the
        caller adds it to ``null_count``: puts of disjoint rows may run on threads)."""
        m = len(arr)
        nulls = arr.null_count
        if self.pieces is not None:
            self.pieces[at] = arr
            return nulls
        if nulls:
            assert self.valid is not None  # nulls in a required column were refused
            self.valid[at : at + m] = numpy_of(arr.is_valid())
            arr = arr.fill_null(scalar_of(False if self.col.kind == "bool" else 0, arr.type))
        elif self.valid is not None:
            self.valid[at : at + m] = True
        if self.col.kind == "date":
            arr = arr.view(pa.int32())
        self.values[at : at + m] = numpy_of(arr)
        return nulls

    def array(self) -> pa.Array:
        if self.pieces is not None:
            pieces = [self.pieces[at] for at in sorted(self.pieces)]
            return pa.concat_arrays(pieces) if pieces else pa.nulls(0, pa.string())
        n = len(self.values)
        validity = None
        if self.null_count:
            assert self.valid is not None
            validity = pa.py_buffer(np.packbits(self.valid, bitorder="little"))
        if self.col.kind == "bool":
            data = pa.py_buffer(np.packbits(self.values, bitorder="little"))
        else:
            data = pa.py_buffer(self.values)
        return pa.Array.from_buffers(
            ENCODED_TYPES[self.col.kind], n, [validity, data], null_count=self.null_count
        )


def normalise_batches(
    table: str,
    present: list[str],
    n_rows: int,
    batches: Iterable[pa.RecordBatch],
    workers: int = 1,
) -> pa.Table:
    """:func:`normalise_table` on a table that arrives as record batches (the columns
    ``present`` of the input, ``n_rows`` rows in all), without ever holding it whole.

    Each batch is checked and encoded as :func:`normalise_table` would, and copied
    straight into the final columns; so the raw input is never joined into one array
    (a copy of the whole table) and its memory is reused batch after batch. With
    ``workers`` > 1, that many threads check and copy batches side by side (each batch
    into its own rows; at most two batches per worker in flight). The result equals
    ``normalise_table`` on the concatenated batches. Batches whose columns all have their
    canonical types are encoded and checked by :func:`jobindsats.encode.read_table`
    instead, in one compiled pass per batch (it may raise ``encode.Fallback``: then
    normalise the whole table with :func:`normalise_table`). An :class:`InputError` names
    the offending rows of one batch only; :func:`jobindsats.dataset.read_dataset` then
    rereads the table whole for the full report.
    """
    _check_columns(table, present)
    core = sorting.compiled()
    if core is not None:  # canonical types: the compiled pass (jobindsats.encode)
        from . import encode  # (it builds on this module)

        batches = iter(batches)
        first = next((b for b in batches if b.num_rows), None)
        if first is not None:
            batches = itertools.chain([first], batches)
            if encode.takes(table, first.schema):
                return encode.read_table(core, table, present, n_rows, batches, workers)
    buffers = {col.name: _ColumnBuffer(col, n_rows) for col in TABLES[table].columns}

    def put(at: int, batch: pa.RecordBatch) -> dict[str, int]:
        return {
            name: buffers[name].put(at, arr) for name, arr in _normalise_rows(table, batch).items()
        }

    def finish(done: Future[dict[str, int]], batch: pa.RecordBatch) -> None:
        for name, k in done.result().items():
            buffers[name].null_count += k

    put_batches(table, n_rows, batches, put, finish, workers)
    return _finish(table, {name: buf.array() for name, buf in buffers.items()}, workers)


def put_batches(
    table: str,
    n_rows: int,
    batches: Iterable[pa.RecordBatch],
    put: Callable[[int, pa.RecordBatch], dict[str, int]],
    finish: Callable[[Future[dict[str, int]], pa.RecordBatch], None],
    workers: int = 1,
    check: Callable[[pa.RecordBatch], None] | None = None,
) -> None:
    """Hands each non-empty batch (after ``check(batch)``) to ``put(at, batch)``, ``at``
    its first row in the table, and each outcome, in batch order, to ``finish(done,
    batch)`` (``done`` a settled future: ``put``'s result or its exception). With
    ``workers`` > 1, ``put`` runs on that many threads, at most two batches per worker in
    flight. The rows must add up to ``n_rows``, the count the Parquet metadata gives (else
    an :class:`InputError`)."""
    at = 0
    pool = ThreadPoolExecutor(workers, f"jobindsats-{table}") if workers > 1 else None
    in_flight: deque[tuple[Future[dict[str, int]], pa.RecordBatch]] = deque()
    try:
        for batch in batches:
            m = batch.num_rows
            if m == 0:
                continue
            if at + m > n_rows:
                raise InputError(
                    f"{table}: more rows than the {n_rows} its Parquet metadata gives",
                    table=table,
                )
            if check is not None:
                check(batch)
            if pool is None:
                done: Future[dict[str, int]] = Future()
                try:
                    done.set_result(put(at, batch))
                except Exception as exc:  # settled like a worker's: finish decides
                    done.set_exception(exc)
                finish(done, batch)
            else:
                if len(in_flight) >= 2 * workers:
                    finish(*in_flight.popleft())
                in_flight.append((pool.submit(put, at, batch), batch))
            at += m
        while in_flight:
            finish(*in_flight.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if at != n_rows:
        raise InputError(
            f"{table}: {at} rows read, but its Parquet metadata gives {n_rows}", table=table
        )
