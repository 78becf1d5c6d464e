"""The input dataset (SPEC §2): normalised tables, the person index and kernel arrays.

Data flows one way: :mod:`jobindsats.io` gets Arrow tables from Parquet or frames,
:mod:`jobindsats.normalise` validates, casts, encodes and sorts each of them (SPEC §8),
and :class:`Dataset` holds the result together with the person index (``person_ids``
and per-table CSR ``offsets``) from which :meth:`Dataset.kernel_arrays` hands the
kernels the flat arrays of ``docs/kernel.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import encode, overlaps, sorting
from .arrow_numpy import arrow_of, numpy_of, scalar_of
from .errors import InputError
from .io import (
    MAX_READ_WORKERS,
    as_arrow_table,
    reading_memory_pool,
    scan_table,
    table_sources,
)
from .normalise import empty_table, normalise_batches, normalise_table, single_array
from .schema import ARROW_TYPES, TABLES

#: ``birth_date`` of a person without a ``persons`` row (docs/kernel.md ``NO_DATE``).
NO_DATE = np.iinfo(np.int32).min

#: Kernel array prefix of each event table (docs/kernel.md).
KERNEL_PREFIX: dict[str, str] = {
    "benefits": "ben",
    "dagpenge_periods": "dp",
    "interviews": "iv",
    "exemptions": "ex",
    "mii": "mii",
    "offers": "of",
    "residence": "res",
    "visitation": "vis",
    "registrations": "reg",
    "employment": "emp",
}

#: (table, column) -> (kernel array name, NumPy dtype), docs/kernel.md.
KERNEL_COLUMNS: dict[tuple[str, str], tuple[str, type[np.generic]]] = {
    ("benefits", "benefit"): ("ben_benefit", np.int8),
    ("benefits", "start"): ("ben_start", np.int32),
    ("benefits", "end"): ("ben_end", np.int32),
    ("benefits", "hours"): ("ben_hours", np.float64),
    ("benefits", "part_time"): ("ben_part_time", np.int8),
    ("benefits", "supplementary"): ("ben_supp", np.uint8),
    ("dagpenge_periods", "start"): ("dp_start", np.int32),
    ("interviews", "date"): ("iv_date", np.int32),
    ("interviews", "kind"): ("iv_kind", np.int8),
    ("interviews", "form"): ("iv_form", np.int8),
    ("interviews", "held_by"): ("iv_held_by", np.int8),
    ("interviews", "joint"): ("iv_joint", np.uint8),
    ("interviews", "akasse_present"): ("iv_akasse_present", np.uint8),
    ("interviews", "jobcenter_present"): ("iv_jobcenter_present", np.uint8),
    ("interviews", "municipality"): ("iv_muni", np.int16),
    ("exemptions", "code"): ("ex_code", np.int16),
    ("exemptions", "start"): ("ex_start", np.int32),
    ("exemptions", "end"): ("ex_end", np.int32),
    ("mii", "start"): ("mii_start", np.int32),
    ("mii", "end"): ("mii_end", np.int32),
    ("offers", "kind"): ("of_kind", np.int8),
    ("offers", "start"): ("of_start", np.int32),
    ("offers", "end"): ("of_end", np.int32),
    ("residence", "municipality"): ("res_muni", np.int16),
    ("residence", "start"): ("res_start", np.int32),
    ("residence", "end"): ("res_end", np.int32),
    ("visitation", "category"): ("vis_cat", np.int8),
    ("visitation", "start"): ("vis_start", np.int32),
    ("visitation", "end"): ("vis_end", np.int32),
    ("registrations", "date"): ("reg_date", np.int32),
    ("employment", "month"): ("emp_month", np.int32),
    ("employment", "hours"): ("emp_hours", np.float64),
}


def _array(table: pa.Table, name: str) -> pa.Array:
    """The single chunk of a column (an empty array for a zero-chunk column)."""
    return single_array(table.column(name))


def _kernel_column(arr: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """NumPy form of one normalised column, zero-copy where Arrow's layout allows it."""
    t = arr.type
    if pa.types.is_date32(t):
        if arr.null_count == 0:
            return numpy_of(arr.view(pa.int32()))
        return arr.view(pa.int32()).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(t):
        # nullable flag ben_part_time: -1 null, 0, 1; the other flags: null 0
        null_value = -1 if dtype is np.int8 else 0
        core = sorting.compiled()
        if core is not None and len(arr):  # one pass over the bits (cpp/encode)
            flags = encode.empty(len(arr), np.int8)
            validity, bits = arr.buffers()[:2]
            nulls = np.frombuffer(validity, np.uint8) if arr.null_count else None
            core.unpack_flags(np.frombuffer(bits, np.uint8), nulls, arr.offset, null_value, flags)
            return flags if dtype is np.int8 else flags.view(np.uint8)
        if dtype is np.int8:
            return numpy_of(arr.cast(pa.int8()).fill_null(scalar_of(-1, pa.int8()))).copy()
        flags = numpy_of(arr.fill_null(scalar_of(False, pa.bool_())))
        return flags.view(np.uint8)
    if arr.null_count:  # nullable hours: null -> 0.0 (docs/kernel.md)
        if pa.types.is_float64(t) and _zero_under_nulls(arr):
            # read batch by batch, the nulls' slots already hold +0.0: no copy needed
            return numpy_of(arr)
        arr = arr.fill_null(scalar_of(0, t))
    return np.asarray(numpy_of(arr), dtype=dtype)


def _kernel_columns(
    columns: dict[str, tuple[pa.Array, type[np.generic]]], threads: int
) -> dict[str, np.ndarray]:
    """:func:`_kernel_column` of each column; those that need work (flags, nullable
    columns) on up to ``threads`` threads (``cpp/encode``'s unpacking and Arrow's compute
    release the GIL), in the order given."""
    slow = [n for n, (arr, _) in columns.items() if pa.types.is_boolean(arr.type) or arr.null_count]
    done: dict[str, np.ndarray] = {}
    if threads > 1 and len(slow) > 1:
        with ThreadPoolExecutor(min(threads, len(slow)), "jobindsats-columns") as pool:
            futures = {n: pool.submit(_kernel_column, *columns[n]) for n in slow}
            done = {n: f.result() for n, f in futures.items()}
    return {n: done[n] if n in done else _kernel_column(*c) for n, c in columns.items()}


def _zero_under_nulls(arr: pa.Array) -> bool:
    """Whether every null slot of a float64 array holds the bit pattern of +0.0 (checked
    on bitmaps, one bit per row; -0.0 or a leftover NaN under a null fails)."""
    bits = pa.Array.from_buffers(pa.int64(), len(arr), [None, arr.buffers()[1]], 0, arr.offset)
    nonzero_under_null = pc.and_(arr.is_null(), pc.not_equal(bits, scalar_of(0, pa.int64())))
    return not pc.any(nonzero_under_null).as_py()


def _runs(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and the index of each one's first row."""
    if len(ids) == 0:
        return ids.astype(np.int64), np.empty(0, np.int64)
    starts = np.flatnonzero(ids[1:] != ids[:-1])
    starts += 1
    starts = np.concatenate(([0], starts))
    return ids[starts].astype(np.int64, copy=False), starts


def _sorted_union(distinct: list[np.ndarray]) -> np.ndarray:
    """Sorted unique union of sorted, distinct ``int64`` arrays (sort + neighbour test)."""
    if not distinct:
        return np.empty(0, dtype=np.int64)
    if len(distinct) == 1:
        return distinct[0]  # already a copy (fancy indexing), never a view of Arrow memory
    merged = np.sort(np.concatenate(distinct), kind="stable")
    return _runs(merged)[0]


def _offsets(
    person_ids: np.ndarray, distinct: np.ndarray, starts: np.ndarray, n: int
) -> np.ndarray:
    """CSR offsets (``int64[P+1]``) of a table whose rows hold the persons ``distinct``
    (a subset of ``person_ids``), first rows at ``starts``, ``n`` rows in all.

    A person without rows gets the start of the next person who has some (or ``n``):
    the first row whose id is not below theirs, as ``searchsorted`` would give, but
    found through the short list of distinct ids instead of the table's every row.
    """
    off = np.full(len(person_ids) + 1, n, dtype=np.int64)
    off[np.searchsorted(person_ids, distinct)] = starts
    return np.minimum.accumulate(off[::-1])[::-1].copy()


def _person_index(tables: dict[str, pa.Table]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """``person_ids`` and per-table ``offsets`` from the tables' sorted person ids: one
    pass over each table's rows and merges of the distinct ids in ``cpp/person_index``
    (GIL released), or its NumPy twin (``_runs``, ``_sorted_union``, ``_offsets``) when
    the compiled module is missing."""
    ids = {name: numpy_of(_array(t, "person_id")) for name, t in tables.items()}
    core = sorting.compiled()
    if core is not None:
        person_ids, offsets = core.person_index(list(ids.values()))
        return person_ids, dict(zip(ids, offsets, strict=True))
    runs = {name: _runs(column) for name, column in ids.items()}
    person_ids = _sorted_union([distinct for distinct, _ in runs.values() if len(distinct)])
    return person_ids, {
        name: _offsets(person_ids, distinct, starts, len(ids[name]))
        for name, (distinct, starts) in runs.items()
    }


def _iso(day: int | None) -> str | None:
    return None if day is None else str(np.datetime64(day, "D"))


class Dataset:
    """A validated, normalised input dataset with its person index.

    Attributes:
        tables: every table of SPEC §2 (missing ones with zero rows), normalised by
            :func:`~jobindsats.normalise.normalise_table`: canonical types, enumerations
            as ``int8`` codes, rows in canonical order, one chunk per column.
        person_ids: ``int64[P]``, the sorted unique union of ``person_id`` over all tables.
        offsets: per table ``int64[P+1]``; person ``p``'s rows are ``off[p]:off[p+1]``.

    Build one with :func:`read_dataset` or :meth:`Dataset.from_tables`; the constructor
    itself expects tables that are already normalised.
    """

    tables: dict[str, pa.Table]
    person_ids: np.ndarray
    offsets: dict[str, np.ndarray]

    def __init__(self, tables: Mapping[str, pa.Table]) -> None:
        self.tables = {name: tables[name] for name in TABLES}
        self.person_ids, self.offsets = _person_index(self.tables)
        self.person_ids.flags.writeable = False
        for off in self.offsets.values():
            off.flags.writeable = False
        self._kernel: dict[str, np.ndarray] | None = None
        self._quality: dict[str, int] | None = None

    # --- construction ------------------------------------------------------------------

    @classmethod
    def from_tables(
        cls,
        benefits: Any = None,
        *,
        persons: Any = None,
        dagpenge_periods: Any = None,
        interviews: Any = None,
        exemptions: Any = None,
        mii: Any = None,
        offers: Any = None,
        residence: Any = None,
        visitation: Any = None,
        registrations: Any = None,
        employment: Any = None,
        **unknown: Any,
    ) -> Dataset:
        """Validate and normalise in-memory tables (SPEC §2, §8) into a :class:`Dataset`.

        Each table may be a ``pyarrow`` Table / RecordBatch / RecordBatchReader, a pandas or
        polars DataFrame, or any object with ``__arrow_c_stream__``; ``None`` means the
        table is absent (zero rows). ``benefits`` is required. Raises ``TypeError`` for an
        unknown table name and :class:`~jobindsats.errors.InputError` for bad data.
        """
        if unknown:
            raise TypeError(
                f"unknown table(s) {', '.join(sorted(unknown))}; known tables: {', '.join(TABLES)}"
            )
        given = {
            "persons": persons,
            "benefits": benefits,
            "dagpenge_periods": dagpenge_periods,
            "interviews": interviews,
            "exemptions": exemptions,
            "mii": mii,
            "offers": offers,
            "residence": residence,
            "visitation": visitation,
            "registrations": registrations,
            "employment": employment,
        }
        for name, spec in TABLES.items():
            if spec.required and given[name] is None:
                raise InputError(f"{name}: required table missing", table=name)
        normalised = {}
        for name in TABLES:
            obj = given[name]
            raw = None if obj is None else as_arrow_table(obj, name)
            normalised[name] = normalise_table(name, raw)
        return cls(normalised)

    def select_persons(self, mask_or_indices: Any) -> Dataset:
        """The sub-dataset of some persons: a boolean mask over ``person_ids`` or indices.

        Indices are positions in ``person_ids`` (duplicates collapse, order is irrelevant).
        The result equals ``Dataset.from_tables`` on the input rows of those persons.
        """
        sel = np.asarray(mask_or_indices)
        if sel.dtype == np.bool_:
            if sel.shape != (self.n_persons,):
                raise ValueError(f"mask must have shape ({self.n_persons},), got {sel.shape}")
            chosen = np.flatnonzero(sel)
        elif np.issubdtype(sel.dtype, np.integer) or sel.size == 0:
            chosen = np.unique(sel.astype(np.int64).ravel())
            if len(chosen) and (chosen[0] < 0 or chosen[-1] >= self.n_persons):
                raise IndexError(f"person index out of range 0..{self.n_persons - 1}")
        else:
            raise TypeError(f"expected a boolean mask or integer indices, got {sel.dtype}")
        tables = {}
        for name, table in self.tables.items():
            off = self.offsets[name]
            starts, counts = off[chosen], off[chosen + 1] - off[chosen]
            # rows of the chosen persons, in order: start of each run + position inside it
            rows = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(
                counts.sum()
            )
            tables[name] = table.take(arrow_of(rows, pa.int64())).combine_chunks()
        return Dataset(tables)

    # --- views -------------------------------------------------------------------------

    @property
    def n_persons(self) -> int:
        """Number of persons ``P`` in the index."""
        return len(self.person_ids)

    def equals(self, other: Dataset) -> bool:
        """Whether both datasets hold the same persons and identical normalised tables."""
        return np.array_equal(self.person_ids, other.person_ids) and all(
            self.tables[name].equals(other.tables[name]) for name in TABLES
        )

    def __repr__(self) -> str:
        rows = ", ".join(f"{n}={t.num_rows}" for n, t in self.tables.items() if t.num_rows)
        return f"Dataset(persons={self.n_persons}, {rows})"

    def kernel_arrays(self, threads: int = 1) -> dict[str, np.ndarray]:
        """The flat, person-sorted arrays of ``docs/kernel.md`` (read-only, cached).

        Dates are ``int32`` views of the ``date32`` buffers, codes and ids zero-copy views
        where Arrow's layout allows it; booleans become ``uint8``, null ``hours`` 0.0 and
        null ``part_time`` -1. ``threads``: the columns that need work (flags unpacked,
        nulls checked) are converted on up to that many threads at once, the first time;
        the arrays are the same.
        """
        if self._kernel is None:
            arrays: dict[str, np.ndarray] = {"person_ids": self.person_ids}
            birth = np.full(self.n_persons, NO_DATE, dtype=np.int32)
            persons = self.tables["persons"]
            # persons has one row per person: those with a row, in order, get theirs
            with_row = np.flatnonzero(np.diff(self.offsets["persons"]))
            birth[with_row] = _kernel_column(_array(persons, "birth_date"), np.int32)
            arrays["birth_date"] = birth
            columns: dict[str, tuple[pa.Array, type[np.generic]]] = {}
            for table, prefix in KERNEL_PREFIX.items():
                arrays[f"{prefix}_off"] = self.offsets[table]
                for col in TABLES[table].columns[1:]:
                    name, dtype = KERNEL_COLUMNS[(table, col.name)]
                    columns[name] = (_array(self.tables[table], col.name), dtype)
            arrays.update(_kernel_columns(columns, threads))
            for arr in arrays.values():
                arr.flags.writeable = False
            self._kernel = arrays
        return dict(self._kernel)

    def summary(self) -> list[dict[str, Any]]:
        """Per table: name, rows, persons, min/max date over its date columns, columns.

        ``min_date``/``max_date`` are ISO strings (``None`` without rows); ``columns`` maps
        each column to its canonical Arrow type (enumerations: ``string``).
        """
        out = []
        for name, spec in TABLES.items():
            table = self.tables[name]
            days: list[int] = []
            for col in spec.columns:
                if col.kind == "date" and table.num_rows:
                    bounds = pc.min_max(_array(table, col.name).view(pa.int32())).as_py()
                    days += [bounds["min"], bounds["max"]]
            out.append(
                {
                    "name": name,
                    "rows": table.num_rows,
                    "persons": int(np.count_nonzero(np.diff(self.offsets[name]))),
                    "min_date": _iso(min(days)) if days else None,
                    "max_date": _iso(max(days)) if days else None,
                    "columns": {c.name: str(ARROW_TYPES[c.kind]) for c in spec.columns},
                }
            )
        return out

    def data_quality(self) -> dict[str, int]:
        """Legal but suspicious input, counted (SPEC §8); see :mod:`jobindsats.overlaps`.

        ``persons_without_birth_date``: persons in the index without a ``persons`` row.
        ``overlapping_benefit_rows``: non-supplementary benefit rows sharing a day with a
        non-supplementary row of a *different* benefit of the same person.
        ``overlapping_residence_rows`` / ``overlapping_visitation_rows``: rows sharing a
        day with another row of the same person. Counts are exact row counts.
        """
        if self._quality is None:
            self._quality = input_quality(self.kernel_arrays())
        return dict(self._quality)

    def _row_person(self, table: str) -> np.ndarray:
        """Person index of every row of ``table`` (non-decreasing)."""
        return np.repeat(np.arange(self.n_persons, dtype=np.int64), np.diff(self.offsets[table]))


def input_quality(k: Mapping[str, np.ndarray]) -> dict[str, int]:
    """:meth:`Dataset.data_quality` from a dataset's kernel arrays alone (the measurement
    keeps only those of a dataset it read itself)."""
    no_skip_res = np.zeros(k["res_start"].shape[0], np.bool_)
    no_skip_vis = np.zeros(k["vis_start"].shape[0], np.bool_)
    return {
        "persons_without_birth_date": int(np.count_nonzero(k["birth_date"] == NO_DATE)),
        "overlapping_benefit_rows": int(
            overlaps.overlapping_rows_by_offsets(
                k["ben_off"], k["ben_start"], k["ben_end"], k["ben_benefit"],
                k["ben_supp"] != 0, True,
            )
        ),
        "overlapping_residence_rows": int(
            overlaps.overlapping_rows_by_offsets(
                k["res_off"], k["res_start"], k["res_end"], k["res_muni"], no_skip_res, False,
            )
        ),
        "overlapping_visitation_rows": int(
            overlaps.overlapping_rows_by_offsets(
                k["vis_off"], k["vis_start"], k["vis_end"], k["vis_cat"], no_skip_vis, False,
            )
        ),
    }  # fmt: skip


def _read_normalised(name: str, location: Path, threads: int | None = None) -> pa.Table | None:
    """Read and normalise one table from its Parquet file or parts (``None``: no parts).

    The table is scanned batch by batch into its final columns
    (:func:`~jobindsats.normalise.normalise_batches`; in one compiled pass per batch
    when its columns have their canonical types, :mod:`jobindsats.encode`). Bad input
    found that way is
    reported from a second, whole-table reading, so that the error names every
    offending row of the table, exactly as :meth:`Dataset.from_tables` does.
    With ``threads=1`` everything runs on the calling thread; otherwise Parquet is
    decoded on pyarrow's thread pool and ``threads`` workers (default: all cores; at
    most ``io.MAX_READ_WORKERS``) check and copy the batches.
    """
    use_threads = _use_threads(threads)
    workers = 1 if not use_threads else min(threads or os.cpu_count() or 1, MAX_READ_WORKERS)
    scan = scan_table(name, location)
    if scan is None:
        return None
    if scan.n_rows == 0:  # any column type is fine without rows: the whole-table rules
        return normalise_table(name, scan.read(use_threads))
    try:
        return normalise_batches(
            name, scan.columns, scan.n_rows, scan.batches(use_threads), workers
        )
    except encode.Fallback:  # the compiled pass found what it does not word: read it whole
        return normalise_table(name, scan.read(use_threads))
    except InputError as batch_error:
        normalise_table(name, scan.read(use_threads))  # raises, naming every row
        raise batch_error  # (not reached: the same rows fail on the whole table)


def _use_threads(threads: int | None) -> bool:
    """Whether Parquet is decoded on pyarrow's thread pool: not when ``threads`` is 1."""
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    return threads is None or threads > 1


def _on_disk(location: Path) -> int:
    """Bytes of a table's Parquet file or parts."""
    if location.is_file():
        return location.stat().st_size
    return sum(part.stat().st_size for part in location.rglob("*.parquet") if part.is_file())


def _lanes(sources: dict[str, Path]) -> list[list[str]]:
    """The tables in two lanes, each read one table after the other, in TABLES order:
    the two largest on disk in one lane, the others in the other. So a large table's
    serial tail (sortedness check, Arrow arrays, bit packing) overlaps the small tables'
    decoding, while the two large tables, whose sorting of shuffled input needs the most
    memory, never run side by side."""
    names = [name for name in TABLES if name in sources]
    largest = set(sorted(names, key=lambda name: -_on_disk(sources[name]))[:2])
    lanes = [[n for n in names if n in largest], [n for n in names if n not in largest]]
    return [lane for lane in lanes if lane]


def _read_tables(sources: dict[str, Path], where: str, threads: int | None) -> Dataset:
    # Table by table: each table's raw batches are released as they are copied in, so
    # memory holds the normalised tables and a few batches, never a whole raw table.
    # With threads, two lanes of tables side by side (_lanes); the first failing table
    # in TABLES order raises, as reading them one by one would.
    read: dict[str, Future[pa.Table | None]] = {}

    def read_lane(lane: list[str]) -> None:
        for name in lane:
            done: Future[pa.Table | None] = Future()
            read[name] = done
            try:
                done.set_result(_read_normalised(name, sources[name], threads))
            except BaseException as exc:  # (raised below, in table order)
                done.set_exception(exc)
                return

    with reading_memory_pool():
        lanes = _lanes(sources) if _use_threads(threads) else [list(sources)]
        if len(lanes) > 1:
            with ThreadPoolExecutor(len(lanes), "jobindsats-tables") as pool:
                for finished in [pool.submit(read_lane, lane) for lane in lanes]:
                    finished.result()
        else:
            read_lane([name for name in TABLES if name in sources])
    normalised = {}
    for name, spec in TABLES.items():
        table = read[name].result() if name in read else None
        if table is None and spec.required:
            raise InputError(
                f"{name}: required table missing: no Parquet parts in {sources.get(name, where)}",
                table=name,
            )
        normalised[name] = empty_table(name) if table is None else table
    return Dataset(normalised)


def read_dataset(path: str | os.PathLike[str], *, threads: int | None = None) -> Dataset:
    """Read, validate and normalise the Parquet dataset in directory ``path``.

    Per table of SPEC §2: ``<table>.parquet`` or a directory ``<table>/`` of Parquet parts
    (hive partitions such as ``bucket=k/`` are fine; the partition column is ignored).
    ``benefits`` is required, other tables are optional; unknown files and columns are
    ignored. Raises :class:`~jobindsats.errors.InputError` for bad input (SPEC §8).
    Up to ``threads`` threads (default: all cores; at most ``io.MAX_READ_WORKERS``)
    check and copy the batches of each table, decoded on pyarrow's thread pool;
    ``threads=1`` reads on the calling thread alone. The result is the same.
    """
    _use_threads(threads)  # the argument is checked before the files
    return _read_tables(table_sources(path), str(path), threads)


def read_bucket(path: str | os.PathLike[str], k: int, *, threads: int | None = None) -> Dataset:
    """Person bucket ``k`` of a bucketed dataset (``jobindsats synth --buckets``): per
    table the parts under ``<path>/<table>/bucket=<k>/`` only; a table stored unbucketed
    or without this bucket is absent. Validated and normalised as :func:`read_dataset`
    (``threads`` as there)."""
    _use_threads(threads)  # the argument is checked before the files
    sources = {}
    for name, location in table_sources(path).items():
        part = location / f"bucket={k}"
        if location.is_dir() and part.is_dir():
            sources[name] = part
    return _read_tables(sources, f"{Path(path) / 'benefits' / f'bucket={k}'}", threads)
