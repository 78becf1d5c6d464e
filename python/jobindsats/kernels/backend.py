"""Running a backend over the whole population, chunk by chunk.

Both backends take the same arrays (``docs/kernel.md``). Persons are processed in chunks
so that progress can be reported, the row buffers stay bounded and Ctrl-C is honoured
within a fraction of a second (a ``KeyboardInterrupt`` is raised between chunks, when the
kernel, which runs without the GIL, hands back control); the rows of the chunks are
concatenated in person order and their cells added, so chunking changes nothing in the
result.
"""

from __future__ import annotations

import threading
from collections import namedtuple
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

from ..dataset import KERNEL_COLUMNS, KERNEL_PREFIX
from .cells import N_GROUP_SLOTS, N_INTERVAL_SLOTS, N_MEASURES, N_MUNI_SLOTS
from .constants import N_QUALITY

#: The person-sorted input arrays of docs/kernel.md and their dtypes, derived from the
#: one definition of the contract in :mod:`jobindsats.dataset`.
DATA_DTYPES: dict[str, type[np.generic]] = {
    "person_ids": np.int64,
    "birth_date": np.int32,
}
for _table, _prefix in KERNEL_PREFIX.items():
    DATA_DTYPES[f"{_prefix}_off"] = np.int64
    DATA_DTYPES.update(
        {name: dtype for (table, _), (name, dtype) in KERNEL_COLUMNS.items() if table == _table}
    )
DATA_FIELDS = tuple(DATA_DTYPES)

KernelData = namedtuple("KernelData", DATA_FIELDS)  # type: ignore[misc]

#: Output row arrays (docs/kernel.md "person-month rows") and their dtypes.
ROW_FIELDS = {
    "person": np.int64, "month": np.int32, "group": np.int8, "category": np.int8,
    "municipality": np.int16, "reference": np.int32, "spell_start": np.int32,
    "duration_days": np.int32, "duration_hours": np.float64, "interval": np.int8,
    "band": np.int8, "counted": np.int32, "exempt": np.uint8, "excluded": np.int8,
    "activity": np.uint8,
}  # fmt: skip

#: At most this many persons per chunk (bounds the row buffers of a chunk).
CHUNK_PERSONS = 65536
BLOCK_PERSONS = 256
#: Person-months per thread in one chunk, so that a chunk takes about 0.2 s whatever the
#: number of months and threads (measured on the synthetic population, 72 months: the
#: C++ kernel does ~10M person-months a second on one thread, the Numba twin ~0.7M);
#: Ctrl-C waits for at most one chunk. Smaller chunks cost more fixed work per chunk (on
#: 200k persons, 2^20 for C++ was ~9 % slower end to end than 65,536-person chunks;
#: 2^21 is not measurably slower).
CHUNK_PERSON_MONTHS = {"cpp": 1 << 21, "numba": 1 << 17}
#: Blocks per thread a chunk holds at least, so that threads stay evenly loaded.
MIN_BLOCKS_PER_THREAD = 4

#: Numba's parallel kernels are launched one at a time in a process: its fallback
#: threading layer (workqueue, used where neither OpenMP nor TBB is found) aborts the
#: process when two Python threads launch parallel regions at once, e.g. two
#: ``measure`` calls in threads. (The C++ kernel has no such limit.)
_NUMBA_LAUNCH = threading.Lock()


def chunk_persons_for(backend: str, threads: int, n_months: int) -> int:
    """Persons per chunk: :data:`CHUNK_PERSON_MONTHS` of work per thread, at least
    :data:`MIN_BLOCKS_PER_THREAD` blocks per thread and at most :data:`CHUNK_PERSONS`."""
    work = CHUNK_PERSON_MONTHS[backend] * threads // max(n_months, 1)
    least = MIN_BLOCKS_PER_THREAD * BLOCK_PERSONS * threads
    return min(CHUNK_PERSONS, max(least, work))


def check_arrays(arrays: dict[str, np.ndarray]) -> None:
    """The contract: every array present with its dtype, offsets of length P + 1."""
    n_persons = arrays["person_ids"].shape[0]
    for name in DATA_FIELDS:
        a = arrays[name]
        want = DATA_DTYPES[name]
        if a.dtype != want:
            raise TypeError(f"kernel array {name} has dtype {a.dtype}, expected {np.dtype(want)}")
        if name.endswith("_off") and a.shape[0] != n_persons + 1:
            raise ValueError(
                f"kernel array {name} has length {a.shape[0]}, expected {n_persons + 1}"
            )


def row_capacity(
    arrays: dict[str, np.ndarray],
    rules: Any,
    month_first: np.ndarray,
    month_last: np.ndarray,
    p0: int = 0,
    p1: int | None = None,
) -> np.ndarray:
    """Upper bound of the rows of persons ``p0..p1-1``: for each measured benefit row, the
    run months it overlaps (a person × month × group row needs a row of that group in that
    month). Work and temporaries are bounded by the chunk's rows."""
    off = arrays["ben_off"]
    p1 = off.shape[0] - 1 if p1 is None else p1
    lo, hi = int(off[p0]), int(off[p1])
    starts = arrays["ben_start"][lo:hi]
    ends = arrays["ben_end"][lo:hi]
    measured = rules.benefit_group[arrays["ben_benefit"][lo:hi]] >= 0
    inside = measured & (ends >= month_first[0]) & (starts <= month_last[-1])
    first = np.searchsorted(month_first, starts, side="right") - 1
    last = np.searchsorted(month_first, ends, side="right") - 1
    n_months = month_first.shape[0]
    per_row = np.where(inside, np.minimum(last, n_months - 1) - np.maximum(first, 0) + 1, 0)
    running = np.zeros(per_row.shape[0] + 1, np.int64)
    np.cumsum(per_row, out=running[1:])
    bounds = off[p0 : p1 + 1] - lo
    return running[bounds[1:]] - running[bounds[:-1]]


def run_kernel(
    backend: str,
    arrays: dict[str, np.ndarray],
    rules: Any,
    month_first: np.ndarray,
    month_last: np.ndarray,
    muni_slot: np.ndarray,
    category_slot: np.ndarray,
    threads: int,
    on_rows: Callable[[dict[str, np.ndarray]], None],
    progress: Callable[[int, int], None] | None = None,
    chunk_persons: int | None = None,
    cells: Any = None,
    rows: bool = True,
) -> dict[str, Any]:
    """Run the kernel chunk by chunk (``chunk_persons`` persons, default
    :func:`chunk_persons_for`): each chunk's R47 rows go to ``on_rows`` (in person order) and are
    added into the R40 base ``cells`` (new ones unless given, see :func:`new_cells`).
    ``on_rows`` sees the rows labelled: ``person_id`` and ``month_start`` (the month's first
    day) in place of the kernel's indices ``person`` and ``month``.
    With ``rows=False`` the rows only go into the cells (``on_rows`` is not called; the
    compiled backend then neither compacts nor hands back row arrays). Returns the cells
    and the kernel's quality counts (constants.Q_*)."""
    check_arrays(arrays)
    n_persons = arrays["person_ids"].shape[0]
    # (read at call time: tests shrink it)
    chunk_persons = chunk_persons or chunk_persons_for(backend, threads, month_first.shape[0])
    if cells is None:
        cells = new_cells(backend, month_first.shape[0])
    quality = np.zeros(N_QUALITY, np.int64)
    state = _prepare(backend, arrays, rules, threads)
    # With more than one thread, a chunk's rows are handed to on_rows (Arrow conversion,
    # counts) on a helper thread while the kernel computes the next chunk; on_rows still
    # sees the chunks in person order, and at most two chunks' rows are alive.
    helper = (
        ThreadPoolExecutor(1, thread_name_prefix="jobindsats-rows")
        if threads > 1 and rows
        else None
    )
    pending: Future[None] | None = None
    try:
        for p0 in range(0, n_persons, chunk_persons):
            p1 = min(p0 + chunk_persons, n_persons)
            if backend == "numba":
                capacity = row_capacity(arrays, rules, month_first, month_last, p0, p1)
                chunk_rows, q = _numba_chunk(
                    state, month_first, month_last, p0, p1, capacity, threads
                )
                _aggregate_numba(chunk_rows, muni_slot, category_slot, cells, threads)
                if rows:
                    _label_rows(chunk_rows, arrays["person_ids"], month_first)
            else:  # the C++ binding also adds the rows into the cells (and sizes its buffers)
                chunk_rows, q = _cpp_chunk(state, month_first, month_last, p0, p1, None, threads,
                                           (cells, muni_slot, category_slot), rows)  # fmt: skip
            quality += q
            if rows and helper is None:
                on_rows(chunk_rows)
            elif helper is not None:  # (only made when rows are wanted)
                if pending is not None:
                    pending.result()
                pending = helper.submit(on_rows, chunk_rows)
            del chunk_rows
            if progress is not None:
                progress(p1, n_persons)
        if pending is not None:
            pending.result()
    finally:
        if helper is not None:
            helper.shutdown(wait=True)
    return {"cells": cells, "quality": quality}


#: The dense R40 array's shape after the month axis (docs/kernel.md).
CELL_SHAPE = (N_MUNI_SLOTS, N_GROUP_SLOTS, N_INTERVAL_SLOTS, N_MEASURES)


def empty_cells(n_months: int) -> np.ndarray:
    """The dense R40 array: int64[months, 100, 22, 18, 15] (docs/kernel.md)."""
    return np.zeros((n_months, *CELL_SHAPE), np.int64)


def new_cells(backend: str, n_months: int) -> Any:
    """Empty R40 base cells for ``backend``: the dense array (:func:`empty_cells`) for
    Numba; for the compiled backend a ``_core.CellSink`` (the same cells as one 64-byte
    line each, int32 person counts, half the memory: cpp/aggregate.hpp)."""
    if backend == "numba":
        return empty_cells(n_months)
    from .. import _core

    return _core.CellSink(n_months)


def base_cells(backend: str, cells: Any) -> np.ndarray:
    """The base cells of :func:`new_cells` as the dense array (before the summaries)."""
    return cells if backend == "numba" else cells.base_cells()


def occupied_cells(backend: str, cells: np.ndarray) -> np.ndarray:
    """Flat indices of the non-empty cells (R40 emits only these) of completed cells
    (:func:`complete_cells`)."""
    if backend == "numba":
        from .aggregate import occupied_cells as occupied_numba

        return occupied_numba(cells.reshape(-1, N_MEASURES))
    from .. import _core

    return _core.occupied_cells(cells)


def finish_cells(backend: str, cells: Any, threads: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """R40 from the base cells of :func:`new_cells`: the summaries (:func:`complete_cells`,
    in place for Numba's array) and the occupied cells' flat indices and counts
    (int64[15, n]), as :func:`occupied_cells` and :func:`gather_cells` give. The compiled
    backend does the three steps one month at a time while its cells are in cache, months
    on ``threads``."""
    if backend == "numba":
        from .cells import complete_cells

        complete_cells(cells)
        index = occupied_cells(backend, cells)
        return index, gather_cells(backend, cells, index, threads)

    index, counts = cells.finish(threads)
    return index, counts


def gather_cells(
    backend: str, cells: np.ndarray, index: np.ndarray, threads: int = 1
) -> np.ndarray:
    """The counts of the cells ``index`` (flat cell indices) as int64[15, n], one
    contiguous row per measure (the compiled gather on up to ``threads`` threads)."""
    if backend == "numba":
        return cells.reshape(-1, N_MEASURES).T[:, index]
    from .. import _core

    return _core.gather_cells(cells, index, threads)


def _prepare(backend: str, arrays: dict[str, np.ndarray], rules: Any, threads: int) -> Any:
    if backend == "numba":
        import numba

        numba.set_num_threads(max(1, min(threads, getattr(numba.config, "NUMBA_NUM_THREADS", 1))))
        return KernelData(**{k: arrays[k] for k in DATA_FIELDS}), rules
    from .. import _core

    return _core, arrays, rules._asdict()


def _numba_chunk(state, month_first, month_last, p0, p1, capacity, threads):
    from .driver import measure_blocks

    data, rules = state
    row_base = np.zeros(p1 - p0 + 1, np.int64)
    np.cumsum(capacity, out=row_base[1:])
    total = int(row_base[-1])
    buf = {k: np.empty(total, d) for k, d in ROW_FIELDS.items()}
    from .person import Rows

    out = Rows(**buf)
    written = np.zeros(p1 - p0, np.int64)
    block_start = np.append(np.arange(p0, p1, BLOCK_PERSONS, dtype=np.int64), np.int64(p1))
    with _NUMBA_LAUNCH:
        quality = measure_blocks(
            data, rules, month_first, month_last, p0, block_start, row_base[:-1], out, written
        )
    keep = _kept_rows(row_base[:-1], capacity, written, total)
    return {k: v[keep] for k, v in buf.items()}, quality.sum(axis=0)


def _label_rows(
    rows: dict[str, np.ndarray], person_ids: np.ndarray, month_first: np.ndarray
) -> None:
    """The labels of the compiled backend's ``labels=True`` (cpp/measure.hpp ``label_rows``)."""
    rows["person_id"] = person_ids[rows.pop("person")]
    rows["month_start"] = month_first[rows.pop("month")]


def _kept_rows(
    row_base: np.ndarray, capacity: np.ndarray, written: np.ndarray, total: int
) -> np.ndarray:
    """Mask of the slot rows actually written (each person's first ``written`` slots)."""
    within = np.arange(total, dtype=np.int64) - np.repeat(row_base, capacity)
    return within < np.repeat(written, capacity)


def _cpp_chunk(state, month_first, month_last, p0, p1, capacity, threads, sink, rows=True):
    core, arrays, rules = state
    cells, muni_slot, category_slot = sink
    chunk_rows, quality = core.measure_persons(
        arrays, rules, month_first, month_last, p0, p1, capacity, threads,
        cells, muni_slot, category_slot, rows, labels=True,
    )  # fmt: skip
    return chunk_rows, quality


def _aggregate_numba(rows, muni_slot, category_slot, cells, threads) -> None:
    from .aggregate import aggregate_cells_parallel
    from .person import Rows

    n = rows["person"].shape[0]
    parts = max(1, min(threads, cells.shape[0]))
    with _NUMBA_LAUNCH:
        aggregate_cells_parallel(Rows(**rows), n, muni_slot, category_slot, cells, parts)
