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

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import validate as v
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
    return encoded_schema(table).empty_table()


def _numpy(arr: pa.Array) -> np.ndarray:
    """NumPy values of a null-free primitive Arrow array (zero-copy where possible)."""
    return arr.to_numpy(zero_copy_only=False)


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
        values = _numpy(arr)
        mask = values > np.uint64(2**63 - 1)
        shown = [("row", pa.array(np.arange(len(arr)))), (col.name, arr)]
        v.fail_rows(ctx.table, col.name, "with a value above the int64 range", mask, None, shown)
    return arr.cast(pa.int64())


def _convert_date(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    t = arr.type
    pid = ctx.person_id
    assert pid is not None
    if pa.types.is_date32(t):
        days = _numpy(arr.view(pa.int32()))
        v.check_date_range(ctx.table, col.name, days, arr, pid)
        return arr
    if pa.types.is_date64(t) or pa.types.is_timestamp(t):
        wall = arr
        if pa.types.is_timestamp(t) and t.tz is not None:
            wall = pc.local_timestamp(arr)  # wall clock of the column's own timezone
        per_day = _TICKS_PER_DAY["ms" if pa.types.is_date64(t) else t.unit]
        ticks = _numpy(wall.view(pa.int64()))
        v.check_whole_days(ctx.table, col.name, ticks, per_day, arr, pid)
        days64 = ticks // per_day
        v.check_date_range(ctx.table, col.name, days64, arr, pid)
        return pa.array(days64.astype(np.int32)).view(pa.date32())
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
    value_set = pa.array(allowed, type=pa.string())
    if pa.types.is_dictionary(t) and _is_stringlike(t.value_type):
        # Map each dictionary entry once, then gather by index: cheap for ~100M rows.
        mapping = pc.index_in(arr.dictionary.cast(pa.string()), value_set=value_set)
        if mapping.null_count == 0 and arr.null_count == 0:
            # every entry is allowed and every row has one: no unknown value to look for
            return pc.take(mapping.cast(pa.int8()), arr.indices)
        codes = pc.take(mapping, arr.indices)
    elif _is_stringlike(t):
        plain = arr.cast(pa.string()) if pa.types.is_string_view(t) else arr
        codes = pc.index_in(plain, value_set=value_set)
    else:
        v.wrong_type(ctx.table, col.name, arr, "a string enumeration", pid)
    unknown = np.asarray(codes.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    v.check_enum(ctx.table, col.name, unknown, arr, allowed, pid)
    return codes.cast(pa.int8())


def _convert_small_int(ctx: _Context, col: Column, arr: pa.Array) -> pa.Array:
    pid = ctx.person_id
    assert pid is not None
    if not pa.types.is_integer(arr.type):
        v.wrong_type(ctx.table, col.name, arr, "an integer type (int16)", pid)
    values = _numpy(arr)
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
        return pc.add(hours, pa.scalar(0.0))
    return hours


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
}


def _default_column(col: Column, n: int) -> pa.Array:
    target = ENCODED_TYPES[col.kind]
    if col.default is None:
        return pa.nulls(n, type=target)
    return pa.array(np.full(n, col.default), type=target)


def _normalise_column(ctx: _Context, col: Column, raw: pa.ChunkedArray) -> pa.Array:
    arr = raw.combine_chunks()
    if len(arr) == 0:  # no value to misread: any type will do (e.g. empty pandas columns)
        return pa.array([], type=ENCODED_TYPES[col.kind])
    if pa.types.is_null(arr.type):  # e.g. an all-None pandas column: nulls of the input type
        arr = pa.nulls(len(arr), type=ARROW_TYPES[col.kind])
    if not col.nullable:
        v.check_not_null(ctx.table, col.name, arr, ctx.person_id)
    converted = _CONVERTERS[col.kind](ctx, col, arr)
    return converted.cast(ENCODED_TYPES[col.kind])


# --- total row order -----------------------------------------------------------------------


def _sort_keys(table: pa.Table, order: list[str]) -> list[np.ndarray]:
    """Null-free NumPy keys whose lexicographic order is the canonical row order."""
    keys: list[np.ndarray] = []
    for name in order:
        arr = table.column(name).combine_chunks()
        t = arr.type
        if arr.null_count:  # null: validity key 0 sorts it first; its value key is then 0
            keys.append(np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=np.uint8))
            arr = arr.fill_null(False if pa.types.is_boolean(t) else pa.scalar(0, type=t))
        if pa.types.is_boolean(t):
            keys.append(np.asarray(_numpy(arr), dtype=np.uint8))
        elif pa.types.is_date32(t):
            keys.append(_numpy(arr.view(pa.int32())))
        else:
            keys.append(_numpy(arr))
    return keys


def _is_sorted(table: pa.Table, order: list[str], n_primary: int) -> bool:
    """Whether rows are already in lexicographic order of the columns ``order``.

    The first ``n_primary`` columns (person and dates: never null) are compared for every
    pair of neighbouring rows in one vectorised pass; they decide almost every pair, so
    the remaining (often nullable) columns are only materialised for the pairs still tied.
    """
    n = table.num_rows
    if n < 2:
        return True
    before = np.zeros(n - 1, dtype=bool)  # row i < row i+1 decided by an earlier key
    equal = np.ones(n - 1, dtype=bool)
    for key in _sort_keys(table, order[:n_primary]):
        a, b = key[:-1], key[1:]
        before |= equal & (a < b)
        equal &= a == b
    if not np.all(before | equal):
        return False
    pairs = np.flatnonzero(equal)
    for name in order[n_primary:]:
        if pairs.size == 0:
            return True
        sub = pa.table({name: table.column(name)})
        left = _sort_keys(sub.take(pa.array(pairs)), [name])
        right = _sort_keys(sub.take(pa.array(pairs + 1)), [name])
        tied = np.ones(pairs.size, dtype=bool)
        for a, b in zip(left, right, strict=True):
            if np.any(tied & (a > b)):
                return False
            tied &= a == b
        pairs = pairs[tied]
    return True


def sort_rows(table: pa.Table, order: list[str], n_primary: int | None = None) -> pa.Table:
    """Sort ``table`` by the columns ``order`` (nulls first); no-op if already sorted.

    ``n_primary``: how many leading columns of ``order`` never hold nulls (default: all
    are checked the slow, general way).
    """
    if _is_sorted(table, order, len(order) if n_primary is None else n_primary):
        return table
    keys = _sort_keys(table, order)
    key_table = pa.table({f"k{i}": key for i, key in enumerate(keys)})
    indices = pc.sort_indices(
        key_table, sort_keys=[(f"k{i}", "ascending") for i in range(len(keys))]
    )
    return table.take(indices)


def row_order(table: str) -> list[str]:
    """Canonical sort columns: person_id, the table's sort_by, then the remaining ones."""
    spec = TABLES[table]
    first = ["person_id", *spec.sort_by]
    return first + [c.name for c in spec.columns if c.name not in first]


# --- the table -------------------------------------------------------------------------------


def normalise_table(table: str, raw: pa.Table | None) -> pa.Table:
    """Validate, cast, encode and sort one input table; ``None`` = missing (zero rows).

    Raises :class:`InputError` for every problem of SPEC §8 found in this table.
    """
    spec = TABLES[table]
    if raw is None:
        if spec.required:
            raise InputError(f"{table}: required table missing", table=table)
        return empty_table(table)
    present = raw.column_names
    for col in spec.columns:
        if present.count(col.name) > 1:
            raise InputError(
                f"{table}.{col.name}: column appears {present.count(col.name)} times",
                table=table,
                column=col.name,
            )
        if col.name not in present and col.required:
            v.missing_column(table, col.name, present)
    n = raw.num_rows
    ctx = _Context(table, None)
    pid = _normalise_column(ctx, spec.column("person_id"), raw.column("person_id"))
    ctx.person_id = _numpy(pid)
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
    result = pa.Table.from_arrays(list(arrays.values()), schema=encoded_schema(table))
    result = sort_rows(result, row_order(table), 1 + len(spec.sort_by))
    if table == "persons":
        sorted_pid = _numpy(result.column("person_id").combine_chunks())
        shown = [("birth_date", result.column("birth_date").combine_chunks())]
        v.check_unique_persons(table, sorted_pid, shown)
    return result.combine_chunks()
