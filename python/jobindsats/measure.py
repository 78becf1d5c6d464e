"""``jobindsats.measure``: the M1–M5 table of "Jobsamtaler til alle ydelsesmodtagere".

This module prepares the flat arrays (``docs/kernel.md``), runs one backend (the C++
kernel in ``jobindsats._core`` or its Numba twin in ``jobindsats.kernels``), and wraps
the outputs as Arrow tables. It never loops over persons in Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .arrow_numpy import (
    arrow_of,
    empty_table_of,
    nullable_of,
    numpy_of,
    strings_of,
    validity_of,
)
from .errors import InputError
from .io import release_unused_memory
from .kernels.backend import (
    CELL_SHAPE,
    empty_cells,
    finish_cells,
    gather_cells,
    new_cells,
    occupied_cells,
    run_kernel,
)
from .kernels.constants import (
    Q_EXCLUDED_AGE,
    Q_EXCLUDED_DEAD_MONTH,
    Q_EXEMPT,
    Q_INTERVIEWS_WITHOUT_BENEFIT_DAY,
    Q_MEASURED,
    Q_POPULATION,
    Q_ROWS_WITHOUT_BIRTH_DATE,
)
from .municipalities import MUNICIPALITIES, UNKNOWN_MUNICIPALITY
from .normalise import single_array
from .rules import RuleSet, get_rules
from .schema import CATEGORIES, EXCLUSIONS, FINE_INTERVALS, GROUPS, INTERVALS

Progress = Callable[[int, int], None]


#: ``YYYY-MM`` exactly: a four-digit year and a two-digit month.
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str | dt.date) -> dt.date:
    """``"YYYY-MM"`` (or a date) → the first day of that month.

    Strict, so that a typo never measures another period than meant: ``2024-13``,
    ``2024-1``, ``24-01`` and ``2024-01-15`` are errors, as is a year outside SPEC §8's
    1900..2100."""
    if isinstance(text, dt.date):
        month = text.replace(day=1)
    else:
        match = _MONTH.fullmatch(str(text).strip())
        if match is None or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"month must look like YYYY-MM (e.g. 2024-01), got {text!r}")
        month = dt.date(int(match[1]), int(match[2]), 1)
    if not 1900 <= month.year <= 2100:
        raise ValueError(f"month {text!s} is outside 1900-01..2100-12 (SPEC §8)")
    return month


def month_range(start: str | dt.date, end: str | dt.date) -> tuple[np.ndarray, np.ndarray]:
    """First and last day numbers (int32) of every month from ``start`` to ``end``."""
    first = np.datetime64(parse_month(start), "M")
    last = np.datetime64(parse_month(end), "M")
    if last < first:
        raise ValueError(f"end month {end} is before start month {start}")
    months = np.arange(first, last + 1)
    month_first = months.astype("datetime64[D]").astype(np.int64).astype(np.int32)
    month_last = ((months + 1).astype("datetime64[D]").astype(np.int64) - 1).astype(np.int32)
    return month_first, month_last


def municipality_slots() -> np.ndarray:
    """int16[1000]: municipality code → cell slot (1..98 in code order, 99 for 999)."""
    slots = np.zeros(1000, dtype=np.int16)
    for i, code in enumerate(sorted(MUNICIPALITIES)):
        slots[code] = i + 1
    slots[UNKNOWN_MUNICIPALITY] = 99
    return slots


def slot_municipalities() -> np.ndarray:
    """The inverse of :func:`municipality_slots`: slot → code (0 national)."""
    return np.array([0, *sorted(MUNICIPALITIES), UNKNOWN_MUNICIPALITY], dtype=np.int16)


def category_slots(rules: RuleSet) -> np.ndarray:
    """int8[9]: group → first category-breakdown slot (9, 13, 17) or -1."""
    slots = np.full(len(GROUPS), -1, dtype=np.int8)
    for i, g in enumerate(rules.category_groups):
        slots[GROUPS.index(g)] = len(GROUPS) + i * len(CATEGORIES)
    return slots


def group_slot_names(rules: RuleSet) -> list[str]:
    names = list(GROUPS)
    for g in rules.category_groups:
        names.extend(f"{g}/{c}" for c in CATEGORIES)
    names.append("all")
    return names


@dataclass
class Measurement:
    """The result of :func:`measure`.

    ``cells`` is the R40 table, ``persons`` the R47 rows, ``quality`` the run's quality
    report with the §8 conservation counts.
    """

    cells: pa.Table
    persons: pa.Table
    quality: dict[str, Any]
    start: dt.date
    end: dt.date
    rules: str
    backend: str
    extra: dict[str, Any] = field(default_factory=dict)
    #: the rule set that produced it (``rules`` is its name; SPEC D11)
    rule_set: RuleSet | None = None
    rules_digest: str | None = None

    @property
    def run_info(self) -> dict[str, Any]:
        """What produced the result: rule set name and digest, backend and period
        (``run.json`` of :meth:`write`)."""
        return {
            "rules": self.rules,
            "rules_digest": self.rules_digest,
            "backend": self.backend,
            "start": f"{self.start:%Y-%m}",
            "end": f"{self.end:%Y-%m}",
        }

    def to_pandas(self) -> Any:
        """``cells`` as a pandas DataFrame."""
        return self.cells.to_pandas()

    def to_polars(self) -> Any:
        """``cells`` as a polars DataFrame."""
        import polars as pl

        return pl.from_arrow(self.cells)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The Arrow PyCapsule stream protocol, over ``cells``."""
        return self.cells.__arrow_c_stream__(requested_schema)

    def write(
        self, out_dir: str | os.PathLike[str], *, persons: bool = True, overwrite: bool = False
    ) -> Path:
        """Write ``cells.parquet``, ``persons.parquet`` (unless ``persons=False``),
        ``quality.json``, ``rules.toml`` (the whole rule set, so that the run can be
        reproduced) and ``run.json`` (rule set name and digest, backend, period; read
        back by :func:`jobindsats.report.load_measurement`).

        The files appear together or not at all: each is written under a temporary name
        and they are renamed into place once all are complete, ``run.json`` last
        (:mod:`jobindsats.atomic`). A directory holding an earlier run (any of
        :data:`OUTPUT_FILES`) is refused unless ``overwrite=True``; then the earlier
        run's files are replaced, and those this run does not write are removed, so that
        the directory never mixes two runs. Raises :class:`~jobindsats.errors.OutputError`
        naming the path."""
        import json

        import pyarrow.parquet as pq

        from . import atomic

        out = atomic.check_output_directory(out_dir, OUTPUT_FILES, overwrite=overwrite)
        writers: dict[str, atomic.Writer] = {
            "cells.parquet": lambda tmp: pq.write_table(self.cells, tmp)
        }
        if persons:
            writers["persons.parquet"] = lambda tmp: pq.write_table(self.persons, tmp)
        quality = json.dumps(self.quality, indent=2, default=str)
        writers["quality.json"] = lambda tmp: tmp.write_text(quality, encoding="utf-8")
        if self.rule_set is not None:
            rules_text = self.rule_set.to_toml()
            writers["rules.toml"] = lambda tmp: tmp.write_text(rules_text, encoding="utf-8")
        run = json.dumps(self.run_info, indent=2)
        writers["run.json"] = lambda tmp: tmp.write_text(run, encoding="utf-8")
        stale = [name for name in OUTPUT_FILES if name not in writers]
        atomic.write_files(out, writers, remove=stale)
        return out


#: Every file :meth:`Measurement.write` may write; any of them marks an earlier run.
OUTPUT_FILES = ("cells.parquet", "persons.parquet", "quality.json", "rules.toml", "run.json")


def measure(
    data: Any,
    start: str | dt.date = "2019-01",
    end: str | dt.date = "2024-12",
    *,
    backend: str = "auto",
    threads: int | None = None,
    rules: str | RuleSet = "v1.73",
    progress: Progress | None = None,
    persons: bool = True,
) -> Measurement:
    """Compute the measurement for every month from ``start`` to ``end`` (``YYYY-MM``).

    ``data`` is a dataset directory (see :func:`jobindsats.read_dataset`) or a
    :class:`jobindsats.Dataset`. A directory written with person buckets
    (``<table>/bucket=<k>/``, ``jobindsats synth --buckets``) is processed bucket by
    bucket, so memory is bounded by the largest bucket; the result is the same as
    measuring it in memory. ``backend`` is ``"cpp"``, ``"numba"`` or ``"auto"`` (the
    compiled module when it imports, else Numba with a warning). ``threads`` defaults to
    all cores; with ``threads=1`` a directory's Parquet is read on the calling thread too
    (see :func:`jobindsats.read_dataset`). The result does not depend on it.
    ``persons=False`` skips the R47 per-person table (``Measurement.persons`` is then
    empty), which saves its memory.
    ``progress(done, total)`` is called as persons (or buckets) are done.
    """
    from .dataset import Dataset
    from .io import bucket_ids

    run = MeasureRun(start, end, backend=backend, threads=threads, rules=rules)
    if isinstance(data, Dataset):
        return run.finish([run.measure_dataset(data, persons=persons, progress=progress)])
    buckets = bucket_ids(data)
    if not buckets:
        from .dataset import read_dataset

        # (handed over in a list: all but the kernel's arrays is freed before the kernel runs)
        return run.finish(
            [run.measure_owned([read_dataset(data, threads=threads)], persons, progress)]
        )
    return run.finish(run.measure_buckets(data, buckets, persons=persons, progress=progress))


#: Quality counts that add up over disjoint sets of persons (SPEC §8).
ADDITIVE_QUALITY = (
    "population",
    "measured",
    "exempt",
    "excluded_age",
    "excluded_dead_month",
    "interviews_without_benefit_day",
    "persons_without_birth_date",
    "rows_without_birth_date",
    "overlapping_benefit_rows",
    "overlapping_residence_rows",
    "overlapping_visitation_rows",
)


@dataclass
class PartialMeasurement:
    """The additive result of measuring a disjoint set of persons (a dataset, a person
    bucket, a Dask task): the non-empty cells as flat indices into the dense R40 array
    and their counts, the additive quality counts, and the R47 rows (or ``None``)."""

    cell_index: np.ndarray  # int64[n]
    cell_counts: np.ndarray  # int64[15, n]: one row per measure (docs/kernel.md)
    quality: dict[str, int]
    persons: pa.Table | None
    person_ids: np.ndarray


class MeasureRun:
    """One measurement run's settings; measures datasets or buckets into partial results
    and combines partials into a :class:`Measurement` (used by :func:`measure` and by
    :mod:`jobindsats.dask`)."""

    def __init__(
        self,
        start: str | dt.date,
        end: str | dt.date,
        *,
        backend: str = "auto",
        threads: int | None = None,
        rules: str | RuleSet = "v1.73",
    ) -> None:
        self.start = parse_month(start)
        self.end = parse_month(end)
        self.rules = get_rules(rules)
        self.month_first, self.month_last = month_range(start, end)
        self.backend = _choose_backend(backend)
        self.threads = threads if threads is not None else (os.cpu_count() or 1)
        if self.threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")

    def _run(
        self,
        arrays: dict[str, np.ndarray],
        input_quality: Callable[[], dict[str, int]],
        cells: Any,
        persons: bool,
        progress: Progress | None,
    ) -> tuple[dict[str, int], pa.Table | None]:
        """The kernel over a dataset's kernel arrays, with its §8 input counts
        (``input_quality``: a pass over the rows, GIL released) beside it."""
        builder = _PersonsBuilder()
        counts: dict[str, int] = {}
        beside = None
        if self.threads > 1:
            beside = threading.Thread(target=lambda: counts.update(input_quality()), daemon=True)
            beside.start()
        result = run_kernel(
            self.backend,
            arrays,
            self.rules.kernel_rules(),
            self.month_first,
            self.month_last,
            municipality_slots(),
            category_slots(self.rules),
            self.threads,
            builder.add,
            progress,
            cells=cells,
            rows=persons,
        )
        if beside is not None:
            beside.join()
        if not counts:  # (one thread; or the counts failed beside: raise here)
            counts.update(input_quality())
        return _quality(result, arrays, counts), builder.table() if persons else None

    def measure_dataset(
        self, dataset: Any, *, persons: bool = True, progress: Progress | None = None
    ) -> PartialMeasurement:
        """Measure every person of ``dataset`` (a :class:`jobindsats.Dataset`)."""
        cells = new_cells(self.backend, self.month_first.shape[0])
        quality, table = self._run(
            dataset.kernel_arrays(self.threads), dataset.data_quality, cells, persons, progress
        )
        return self._finished(cells, quality, table, dataset.person_ids)

    def measure_owned(
        self, holder: list[Any], persons: bool = True, progress: Progress | None = None
    ) -> PartialMeasurement:
        """:meth:`measure_dataset` of the one dataset in ``holder``, which it empties. When
        the caller keeps no other reference, only the kernel's arrays are kept: the rest of
        the tables (every row's person id, ~0.43 GB for 1M persons; the strings) goes back
        before the kernel runs, and the arrays as soon as it is done, before the cells are
        finished and the tables built (peak RSS, docs/benchmarks.md)."""
        arrays, input_counts, person_ids = _kernel_input(holder, self.threads)
        release_unused_memory()
        cells = new_cells(self.backend, self.month_first.shape[0])
        quality, table = self._run(arrays, input_counts, cells, persons, progress)
        del arrays, input_counts
        release_unused_memory()
        return self._finished(cells, quality, table, person_ids)

    def _finished(
        self, cells: Any, quality: dict[str, int], table: pa.Table | None, person_ids: np.ndarray
    ) -> PartialMeasurement:
        index, counts = finish_cells(self.backend, cells, self.threads)
        return PartialMeasurement(index, counts, quality, table, person_ids)

    def measure_buckets(
        self,
        path: str | os.PathLike[str],
        buckets: list[int],
        *,
        persons: bool = True,
        progress: Progress | None = None,
    ) -> list[PartialMeasurement]:
        """Measure the person buckets of a bucketed dataset one at a time into one dense
        array: only one bucket's tables are in memory at once."""
        from .dataset import read_bucket

        cells = new_cells(self.backend, self.month_first.shape[0])
        quality = dict.fromkeys(ADDITIVE_QUALITY, 0)
        tables: list[pa.Table] = []
        seen = _DisjointPersons()
        for i, k in enumerate(buckets):
            arrays, input_counts, ids = _kernel_input(
                [read_bucket(path, k, threads=self.threads)], self.threads
            )
            seen.add(ids, f"bucket={k}")
            q, table = self._run(arrays, input_counts, cells, persons, None)
            del arrays, input_counts
            for key in ADDITIVE_QUALITY:
                quality[key] += q[key]
            if table is not None:
                tables.append(table)
            if progress is not None:
                progress(i + 1, len(buckets))
        index, counts = finish_cells(self.backend, cells, self.threads)
        del cells
        persons_table = _by_person(pa.concat_tables(tables)) if persons else None
        return [PartialMeasurement(index, counts, quality, persons_table, seen.ids())]

    def finish(self, parts: list[PartialMeasurement]) -> Measurement:
        """Add the partial results (disjoint persons) into one :class:`Measurement`."""
        if len(parts) == 1:
            index, counts = parts[0].cell_index, parts[0].cell_counts
        else:
            seen = _DisjointPersons()
            for i, part in enumerate(parts):
                seen.add(part.person_ids, f"part {i}")
            cells = empty_cells(self.month_first.shape[0])
            flat = cells.reshape(-1, cells.shape[-1])
            for part in parts:
                flat[part.cell_index] += part.cell_counts.T
            index = occupied_cells(self.backend, cells)
            counts = gather_cells(self.backend, cells, index, self.threads)
            del cells, flat
        quality: dict[str, Any] = {k: sum(p.quality[k] for p in parts) for k in ADDITIVE_QUALITY}
        quality["conserved"] = (
            quality["measured"]
            + quality["exempt"]
            + quality["excluded_age"]
            + quality["excluded_dead_month"]
            == quality["population"]
        )
        tables = [p.persons for p in parts if p.persons is not None]
        if len(tables) != len(parts):
            persons = empty_table_of(PERSONS_SCHEMA)
        elif len(tables) == 1:
            persons = tables[0]  # each part's rows are in person order already
        else:
            persons = _by_person(pa.concat_tables(tables))
        stamp = provenance_metadata(self.rules)
        cells = _cells_table(index, counts, self.month_first, self.rules)
        return Measurement(
            cells=cells.replace_schema_metadata({**(cells.schema.metadata or {}), **stamp}),
            persons=persons.replace_schema_metadata({**(persons.schema.metadata or {}), **stamp}),
            quality=_ordered_quality(quality),
            start=self.start,
            end=self.end,
            rules=self.rules.name,
            backend=self.backend,
            rule_set=self.rules,
            rules_digest=self.rules.digest,
        )


def provenance_metadata(rule_set: RuleSet) -> dict[bytes, bytes]:
    """Parquet/Arrow schema metadata naming the rule set of a result (SPEC D11)."""
    return {
        b"jobindsats.rules": rule_set.name.encode(),
        b"jobindsats.rules_digest": rule_set.digest.encode(),
    }


class _DisjointPersons:
    """Checks that buckets or parts hold disjoint persons (a person split over two
    buckets would be measured twice, from half its events each)."""

    def __init__(self) -> None:
        self._ids: list[np.ndarray] = []
        self._names: list[str] = []

    def add(self, ids: np.ndarray, name: str) -> None:
        for other, other_name in zip(self._ids, self._names, strict=True):
            both = np.intersect1d(other, ids, assume_unique=True)
            if both.size:
                shown = ", ".join(str(int(p)) for p in both[:5])
                raise InputError(
                    f"benefits: person_id {shown} appear in both {other_name} and {name}; "
                    "every person's rows must be in one bucket",
                    table="benefits",
                    column="person_id",
                )
        self._ids.append(ids)
        self._names.append(name)

    def ids(self) -> np.ndarray:
        return np.sort(np.concatenate(self._ids)) if self._ids else np.zeros(0, np.int64)


def _by_person(table: pa.Table) -> pa.Table:
    """Rows in person order (stable: each person's rows keep their month, group order)."""
    ids = table.column("person_id")
    if table.num_rows < 2:
        return table
    values = numpy_of(single_array(ids))
    if bool(np.all(values[1:] >= values[:-1])):
        return table
    return table.take(arrow_of(np.argsort(values, kind="stable")))


def _choose_backend(backend: str) -> str:
    if backend not in ("auto", "cpp", "numba"):
        raise ValueError(f"backend must be 'auto', 'cpp' or 'numba', got {backend!r}")
    if backend == "numba":
        return "numba"
    try:
        from . import _core  # noqa: F401
    except ImportError as exc:
        if backend == "cpp":
            raise ImportError(
                "the compiled module jobindsats._core is not available; "
                "reinstall the package or use backend='numba'"
            ) from exc
        warnings.warn(
            f"jobindsats._core could not be imported ({exc}); using the Numba backend",
            RuntimeWarning,
            stacklevel=3,
        )
        return "numba"
    return "cpp"


def _dictionary(
    codes: np.ndarray, labels: list[str] | tuple[str, ...], null_code: int = -1
) -> pa.DictionaryArray:
    """Small-integer codes as a ``dictionary<int8, string>`` array (``null_code`` → null)."""
    valid = codes != null_code
    validity, nulls = validity_of(valid)
    # the codes as they are when none is null (group, interval) or a null's code is a
    # valid index too (excluded); else 0 under each null
    if not nulls or 0 <= null_code < len(labels):
        values = codes.astype(np.int8, copy=False)
    else:
        values = np.where(valid, codes, 0).astype(np.int8)
    indices = pa.Array.from_buffers(
        pa.int8(), len(values), [validity, pa.py_buffer(values)], null_count=nulls
    )
    return pa.DictionaryArray.from_arrays(indices, strings_of(labels))


def _flags(values: np.ndarray) -> pa.Array:
    """Non-zero bytes as an Arrow boolean array (bits packed at once, no nulls)."""
    bits = pa.py_buffer(np.packbits(values != 0, bitorder="little"))
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, bits], null_count=0)


PERSONS_SCHEMA = pa.schema(
    [
        pa.field("person_id", pa.int64(), nullable=False),
        pa.field("month", pa.date32(), nullable=False),
        pa.field("group", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("category", pa.dictionary(pa.int8(), pa.string())),
        pa.field("municipality", pa.int16(), nullable=False),
        pa.field("reference_date", pa.date32(), nullable=False),
        pa.field("duration_days", pa.int32()),
        pa.field("duration_hours", pa.float64()),
        pa.field("interval", pa.dictionary(pa.int8(), pa.string()), nullable=False),
        pa.field("counted", pa.int32(), nullable=False),
        pa.field("exempt", pa.bool_(), nullable=False),
        pa.field("excluded", pa.dictionary(pa.int8(), pa.string())),
    ]
)


def _kernel_input(
    holder: list[Any], threads: int = 1
) -> tuple[dict[str, np.ndarray], Callable[[], dict[str, int]], np.ndarray]:
    """The kernel arrays, the §8 input counts (to call) and the person ids of the one
    dataset in ``holder``, which it empties: nothing else of the dataset is kept (the
    arrays are views of the tables' buffers, which they keep alive)."""
    from .dataset import input_quality

    dataset = holder.pop()
    arrays = dataset.kernel_arrays(threads)
    return arrays, functools.partial(input_quality, arrays), dataset.person_ids


class _PersonsBuilder:
    """Turns each chunk of kernel rows, labelled by run_kernel (person ids, month starts),
    into an Arrow record batch at once (so the numeric buffers can be freed). (The §8
    conservation counts come from the kernel's quality counters; a run without person rows
    never hands rows here.)"""

    def __init__(self) -> None:
        self.batches: list[pa.RecordBatch] = []

    def add(self, r: dict[str, np.ndarray]) -> None:
        is_dp = r["group"] == 0
        self.batches.append(
            pa.record_batch(
                [
                    arrow_of(r["person_id"], pa.int64()),
                    arrow_of(r["month_start"], pa.date32()),
                    _dictionary(r["group"], GROUPS),
                    _dictionary(r["category"], CATEGORIES),
                    arrow_of(r["municipality"], pa.int16()),
                    arrow_of(r["reference"], pa.date32()),
                    nullable_of(
                        r["duration_days"].astype(np.int32, copy=False), pa.int32(), ~is_dp
                    ),
                    nullable_of(
                        r["duration_hours"].astype(np.float64, copy=False), pa.float64(), is_dp
                    ),
                    _dictionary(r["interval"], FINE_INTERVALS),
                    arrow_of(r["counted"], pa.int32()),
                    _flags(r["exempt"]),
                    _dictionary(r["excluded"], EXCLUSIONS, null_code=0),
                ],
                schema=PERSONS_SCHEMA,
            )
        )

    def table(self) -> pa.Table:
        return pa.Table.from_batches(self.batches, schema=PERSONS_SCHEMA)


def _cells_table(
    idx: np.ndarray, counts: np.ndarray, month_first: np.ndarray, rules: RuleSet
) -> pa.Table:
    """The R40 table of the non-empty cells: flat indices ``idx`` into the dense array
    (docs/kernel.md) and their ``counts`` (int64[15, n])."""
    shape = (month_first.shape[0], *CELL_SHAPE)
    # n0..n5plus, exempt, interviews, then the activity counts (activity_columns)
    measures = list(counts)
    persons = measures[0] + measures[1] + measures[2] + measures[3] + measures[4] + measures[5]
    lt4 = measures[0] + measures[1] + measures[2] + measures[3]
    share = lt4 / np.maximum(persons, 1)
    per_month = shape[1] * shape[2] * shape[3]
    m = (idx // per_month).astype(np.int32)
    rest = idx - m.astype(np.int64) * per_month
    mu = (rest // (shape[2] * shape[3])).astype(np.int16)
    rest -= mu.astype(np.int64) * (shape[2] * shape[3])
    g = (rest // shape[3]).astype(np.int8)
    iv = (rest - g.astype(np.int64) * shape[3]).astype(np.int8)
    del rest, idx
    group_names = group_slot_names(rules)
    return pa.table(
        {
            "month": arrow_of(month_first[m], pa.date32()),
            "municipality": arrow_of(slot_municipalities()[mu], pa.int16()),
            "group": _dictionary(g, group_names).cast(pa.string()),
            "interval": _dictionary(iv, INTERVALS).cast(pa.string()),
            "n0": arrow_of(measures[0]),
            "n1": arrow_of(measures[1]),
            "n2": arrow_of(measures[2]),
            "n3": arrow_of(measures[3]),
            "n4": arrow_of(measures[4]),
            "n5plus": arrow_of(measures[5]),
            "persons": arrow_of(persons),
            "lt4": arrow_of(lt4),
            "exempt": arrow_of(measures[6]),
            "interviews": arrow_of(measures[7]),
            "share_lt4": nullable_of(share, pa.float64(), persons != 0),
            **{c: arrow_of(x) for c, x in zip(activity_columns(rules), measures[8:], strict=True)},
        }
    )


def activity_columns(rules: RuleSet) -> list[str]:
    """The cells' activity counts, in kernel measure order (kernels/activation.py):
    ``no_activation`` (R41), ``passive_<window>`` (R44), ``samtaletal_met`` (R43)."""
    return [
        "no_activation",
        *(f"passive_{label}" for label in rules.passivity_labels),
        "samtaletal_met",
    ]


def _quality(
    result: dict[str, np.ndarray], arrays: dict[str, np.ndarray], input_counts: dict[str, int]
) -> dict[str, Any]:
    """SPEC §8: conservation counts and suspicious-but-legal input counts of one part
    (``MeasureRun.finish`` adds the parts and checks conservation)."""
    k = result["quality"]
    q: dict[str, Any] = {
        "population": int(k[Q_POPULATION]),
        "measured": int(k[Q_MEASURED]),
        "exempt": int(k[Q_EXEMPT]),
        "excluded_age": int(k[Q_EXCLUDED_AGE]),
        "excluded_dead_month": int(k[Q_EXCLUDED_DEAD_MONTH]),
        "interviews_without_benefit_day": int(k[Q_INTERVIEWS_WITHOUT_BENEFIT_DAY]),
    }
    no_birth = arrays["birth_date"] == np.iinfo(np.int32).min
    q["persons_without_birth_date"] = int(np.count_nonzero(no_birth))
    q["rows_without_birth_date"] = int(k[Q_ROWS_WITHOUT_BIRTH_DATE])
    for key, value in input_counts.items():
        q.setdefault(key, value)
    return q


def _ordered_quality(q: dict[str, Any]) -> dict[str, Any]:
    """The quality report in reading order: conservation first, then the input counts."""
    first = ["population", "measured", "exempt", "excluded_age", "excluded_dead_month"]
    return {k: q[k] for k in [*first, "conserved", *[k for k in q if k not in first]]}
