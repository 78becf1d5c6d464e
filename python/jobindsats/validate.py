"""Row-level checks of SPEC §8 and the messages they raise.

Every check receives NumPy/Arrow columns of one table, finds the offending rows with
vectorised operations, and raises :class:`~jobindsats.errors.InputError` whose message
names ``table.column``, the number of offending rows and up to :data:`MAX_EXAMPLES` of
them (person id and the offending values), e.g.::

    benefits.end: 3 rows with end < start (person_id=7 start=2020-05-01 end=2020-04-30; ...)

The examples shown are those with the smallest person ids (ties broken by the printed
values), so the message does not depend on the input row order. Nothing here repairs or
drops data: a check either passes or raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrow_numpy import arrow_of, numpy_of, scalar_of
from .errors import InputError
from .municipalities import MUNICIPALITIES

#: How many offending rows an error message shows.
MAX_EXAMPLES = 5
#: Bound on the rows formatted to pick the examples (pathological ties only).
_MAX_CANDIDATES = 10_000

#: SPEC §8: dates must lie in 1900-01-01..2100-12-31 (day numbers since 1970-01-01).
MIN_DAY = int(np.datetime64("1900-01-01", "D").astype(np.int64))
MAX_DAY = int(np.datetime64("2100-12-31", "D").astype(np.int64))

#: Lookup table: is_municipality[code] for codes 0..999.
_IS_MUNICIPALITY = np.zeros(1000, dtype=bool)
_IS_MUNICIPALITY[list(MUNICIPALITIES)] = True

Shown = Sequence[tuple[str, pa.Array]]


# --- formatting ---------------------------------------------------------------------------


def _format_values(arr: pa.Array) -> list[str]:
    """Human-readable values of a (small) Arrow array; dates in ISO form, nulls as ``null``."""
    t = arr.type
    valid = numpy_of(arr.is_valid())
    if pa.types.is_dictionary(t):
        return _format_values(arr.dictionary_decode())
    if pa.types.is_date32(t) or pa.types.is_date64(t) or pa.types.is_timestamp(t):
        unit = "D" if pa.types.is_date32(t) else "ms" if pa.types.is_date64(t) else t.unit
        width = pa.int32() if pa.types.is_date32(t) else pa.int64()
        ints = numpy_of(arr.view(width).fill_null(scalar_of(0, width)))
        text = [str(d) for d in ints.astype(np.int64).astype(f"datetime64[{unit}]")]
        return [s if ok else "null" for s, ok in zip(text, valid, strict=True)]
    values = arr.to_pylist()
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return ["null" if v is None else repr(v) for v in values]
    return ["null" if v is None else str(v) for v in values]


def _plural(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def examples(mask: np.ndarray, person_id: np.ndarray | None, shown: Shown) -> str:
    """``person_id=… col=…; …`` for up to :data:`MAX_EXAMPLES` rows where ``mask`` holds.

    ``person_id`` is the (int64) id per row, or ``None`` when it is not known yet; ``shown``
    lists ``(label, array)`` pairs of full-length columns to print.
    """
    rows = np.flatnonzero(mask)
    if person_id is not None and len(rows) > MAX_EXAMPLES:
        ids = person_id[rows]
        cutoff = np.partition(ids, MAX_EXAMPLES - 1)[MAX_EXAMPLES - 1]
        rows = rows[ids <= cutoff]
    rows = rows[:_MAX_CANDIDATES]
    take = pa.array(rows, type=pa.int64())
    columns = [(label, _format_values(arr.take(take))) for label, arr in shown]
    lines = []
    for i, row in enumerate(rows):
        parts = [f"{label}={values[i]}" for label, values in columns]
        pid = int(person_id[row]) if person_id is not None else 0
        lines.append((pid, " ".join(parts)))
    lines.sort()
    text = "; ".join(line for _, line in lines[:MAX_EXAMPLES])
    if int(mask.sum()) > MAX_EXAMPLES:
        text += "; ..."
    return text


def fail_rows(
    table: str,
    column: str,
    problem: str,
    mask: np.ndarray,
    person_id: np.ndarray | None,
    shown: Shown,
    hint: str = "",
) -> NoReturn:
    """Raise ``InputError``: ``table.column: N rows <problem> (<examples>)<hint>``."""
    n = int(mask.sum())
    message = f"{table}.{column}: {_plural(n)} {problem} ({examples(mask, person_id, shown)})"
    raise InputError(message + hint, table=table, column=column)


def _raise_if(
    mask: np.ndarray,
    table: str,
    column: str,
    problem: str,
    person_id: np.ndarray | None,
    shown: Shown,
    hint: str = "",
) -> None:
    if mask.any():
        fail_rows(table, column, problem, mask, person_id, shown, hint)


def _with_pid(person_id: np.ndarray | None, shown: Shown) -> list[tuple[str, pa.Array]]:
    if person_id is None:
        return list(shown)
    return [("person_id", arrow_of(person_id)), *shown]


#: The columns an error message shows: the person id (if known), then ``shown``.
with_person_ids = _with_pid

#: The problem of :func:`check_not_null`, also raised for a dictionary's null entry.
NULL_PROBLEM = "with null in a required column"


# --- whole-column checks ------------------------------------------------------------------


def missing_column(table: str, column: str, present: Sequence[str]) -> NoReturn:
    """Raise: a required column is absent."""
    have = ", ".join(present) if present else "none"
    raise InputError(
        f"{table}.{column}: required column missing (columns present: {have})",
        table=table,
        column=column,
    )


def wrong_type(
    table: str,
    column: str,
    arr: pa.Array,
    expected: str,
    person_id: np.ndarray | None,
) -> NoReturn:
    """Raise: a column has a type that cannot be normalised to its canonical type."""
    mask = np.ones(len(arr), dtype=bool)
    detail = ""
    if len(arr):
        shown = examples(mask, person_id, _with_pid(person_id, [(column, arr)]))
        detail = f" ({_plural(len(arr))}: {shown})"
    raise InputError(
        f"{table}.{column}: wrong type {arr.type}, expected {expected}{detail}",
        table=table,
        column=column,
    )


def check_not_null(table: str, column: str, arr: pa.Array, person_id: np.ndarray | None) -> None:
    """Nulls are not allowed in a non-nullable column (SPEC §8)."""
    if arr.null_count == 0:
        return
    mask = numpy_of(arr.is_null())
    if person_id is None:  # person_id itself: show the input row numbers
        shown: list[tuple[str, pa.Array]] = [("row", arrow_of(np.arange(len(arr))))]
    else:
        shown = _with_pid(person_id, [(column, arr)])
    fail_rows(table, column, NULL_PROBLEM, mask, person_id, shown)


# --- value checks -------------------------------------------------------------------------


def check_date_range(
    table: str, column: str, days: np.ndarray, raw: pa.Array, person_id: np.ndarray
) -> None:
    """Dates must lie in 1900-01-01..2100-12-31 (SPEC §8). ``days``: day numbers."""
    mask = (days < MIN_DAY) | (days > MAX_DAY)
    _raise_if(
        mask,
        table,
        column,
        "with a date outside 1900-01-01..2100-12-31",
        person_id,
        _with_pid(person_id, [(column, raw)]),
    )


def check_whole_days(
    table: str, column: str, ticks: np.ndarray, per_day: int, raw: pa.Array, person_id: np.ndarray
) -> None:
    """date64/timestamp values must be whole days (midnight), else they are not dates."""
    _raise_if(
        ticks % per_day != 0,
        table,
        column,
        f"with a {raw.type} value that is not a whole day (expected date32)",
        person_id,
        _with_pid(person_id, [(column, raw)]),
    )


def check_enum(
    table: str,
    column: str,
    unknown: np.ndarray,
    raw: pa.Array,
    allowed: Sequence[str],
    person_id: np.ndarray,
) -> None:
    """Every value must be one of ``allowed`` (SPEC §8); the message lists them."""
    _raise_if(
        unknown,
        table,
        column,
        "with an unknown value",
        person_id,
        _with_pid(person_id, [(column, raw)]),
        hint=f"; allowed values: {', '.join(allowed)}",
    )


def check_municipality(
    table: str, column: str, codes: np.ndarray, raw: pa.Array, person_id: np.ndarray
) -> None:
    """Codes must be one of the 98 municipalities of ``municipalities.MUNICIPALITIES``."""
    inside = (codes >= 0) & (codes < len(_IS_MUNICIPALITY))
    ok = inside & _IS_MUNICIPALITY[np.where(inside, codes, 0)]
    _raise_if(
        ~ok,
        table,
        column,
        "with a code that is not one of the 98 Danish municipality codes",
        person_id,
        _with_pid(person_id, [(column, raw)]),
    )


def check_int_range(
    table: str,
    column: str,
    values: np.ndarray,
    lo: int,
    hi: int,
    raw: pa.Array,
    person_id: np.ndarray,
) -> None:
    """Integer codes must fit their canonical type (checked before narrowing it)."""
    _raise_if(
        (values < lo) | (values > hi),
        table,
        column,
        f"with a value outside {lo}..{hi}",
        person_id,
        _with_pid(person_id, [(column, raw)]),
    )


def check_hours(table: str, column: str, hours: pa.Array, person_id: np.ndarray) -> None:
    """Hours must be finite and not negative (SPEC §8); nulls are checked elsewhere."""
    bad = pc.or_(pc.invert(pc.is_finite(hours)), pc.less(hours, scalar_of(0.0, hours.type)))
    if not pc.any(bad).as_py():  # the common case: one pass in Arrow, no copies
        return
    values = numpy_of(hours.fill_null(scalar_of(0.0, hours.type)))
    shown = _with_pid(person_id, [(column, hours)])
    _raise_if(~np.isfinite(values), table, column, "with NaN or infinite hours", person_id, shown)
    _raise_if(values < 0, table, column, "with negative hours", person_id, shown)


def check_interval(
    table: str,
    names: tuple[str, str],
    start: pa.Array,
    end: pa.Array,
    person_id: np.ndarray,
) -> None:
    """Closed intervals need ``end >= start`` (SPEC §8); reported on the end column."""
    s = numpy_of(start.view(pa.int32()))
    e = numpy_of(end.view(pa.int32()))
    first, last = names
    _raise_if(
        e < s,
        table,
        last,
        f"with {last} < {first}",
        person_id,
        _with_pid(person_id, [(first, start), (last, end)]),
    )


def check_first_of_month(table: str, column: str, dates: pa.Array, person_id: np.ndarray) -> None:
    """``employment.month`` must be the first day of a month (SPEC §2)."""
    # (a null, which the required column rejects before, is not this check's fault:
    # day 0 is 1970-01-01)
    days = numpy_of(dates.view(pa.int32()).fill_null(scalar_of(0, pa.int32())))
    if len(days) == 0:
        return
    _raise_if(
        ~_first_of_month(days),
        table,
        column,
        "with a date that is not the first day of a month",
        person_id,
        _with_pid(person_id, [(column, dates)]),
    )


def _first_of_month(days: np.ndarray) -> np.ndarray:
    """Whether each day number (days since 1970-01-01) is the first day of its month: a
    lookup in a table of the days from the smallest to the largest, on which the first days
    of the months between are marked (datetime64 unit conversions of every row cost about
    40 ns a row; this, one gather)."""
    lo, hi = int(days.min()), int(days.max())
    if hi - lo > MAX_DAY - MIN_DAY:  # (not from reading, which checks the range first)
        calendar = days.astype("datetime64[D]")
        return calendar.astype("datetime64[M]").astype("datetime64[D]") == calendar
    months = np.arange(
        np.datetime64(lo, "D").astype("datetime64[M]"),
        np.datetime64(hi, "D").astype("datetime64[M]") + 1,
    )
    firsts = months.astype("datetime64[D]").astype(np.int64)
    table = np.zeros(hi - lo + 1, dtype=bool)
    table[firsts[firsts >= lo] - lo] = True
    return table[days.astype(np.int64, copy=False) - lo]


def check_unique_persons(table: str, sorted_person_id: np.ndarray, shown: Shown) -> None:
    """At most one row per person (``persons``); ``sorted_person_id`` must be sorted."""
    same = sorted_person_id[1:] == sorted_person_id[:-1]
    if not same.any():
        return
    mask = np.zeros(len(sorted_person_id), dtype=bool)
    mask[1:] |= same
    mask[:-1] |= same
    fail_rows(
        table,
        "person_id",
        "with a duplicate person_id (one row per person expected)",
        mask,
        sorted_person_id,
        _with_pid(sorted_person_id, shown),
    )
