"""Getting the input tables of SPEC §2 into Arrow: Parquet on disk or in-memory frames.

Two entry points, both returning plain (not yet normalised) ``pyarrow.Table`` objects:

* :func:`read_tables` reads a dataset directory holding, per table, either
  ``<table>.parquet`` or a directory ``<table>/`` of Parquet parts (hive partitioning such
  as ``<table>/bucket=3/part.parquet`` is understood; partition columns that are not
  canonical columns are ignored). Only the canonical columns are read, and enumeration
  columns are read dictionary-encoded, which keeps reading ~100M rows cheap.
* :func:`as_arrow_table` converts one in-memory object: a ``pyarrow.Table`` /
  ``RecordBatch`` / ``RecordBatchReader``, a pandas or polars ``DataFrame``, or any object
  exposing the Arrow PyCapsule stream protocol (``__arrow_c_stream__``).

Normalisation and validation (SPEC §8) happen afterwards in :mod:`jobindsats.normalise`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    import pyarrow.dataset as pads

from .errors import InputError
from .schema import TABLES


def as_arrow_table(obj: object, table: str) -> pa.Table:
    """Convert one input object for ``table`` into a ``pyarrow.Table`` (no copy if possible).

    Accepted: ``pa.Table``, ``pa.RecordBatch``, ``pa.RecordBatchReader``, a pandas
    ``DataFrame`` (its index is dropped), a polars ``DataFrame``, a ``pyarrow.dataset``
    ``Dataset``, or any object with ``__arrow_c_stream__`` (read through
    ``pa.RecordBatchReader.from_stream``). Anything else raises ``TypeError``.
    """
    if isinstance(obj, pa.Table):
        return obj
    if isinstance(obj, pa.RecordBatch):
        return pa.Table.from_batches([obj])
    if isinstance(obj, pa.RecordBatchReader):
        return obj.read_all()
    # (pyarrow.dataset is imported only when needed: it imports pandas, ~0.3 s; an object
    # of its Dataset type means the caller has imported it already)
    pads_module = sys.modules.get("pyarrow.dataset")
    if pads_module is not None and isinstance(obj, pads_module.Dataset):
        names = set(obj.schema.names)
        return obj.to_table(columns=[c.name for c in TABLES[table].columns if c.name in names])
    module = type(obj).__module__ or ""
    if module.startswith("pandas"):
        # NaN in float columns becomes null (pandas' missing value), as pandas intends.
        return pa.Table.from_pandas(obj, preserve_index=False)
    if module.startswith("polars") and hasattr(obj, "to_arrow"):
        # to_arrow() yields large_string rather than string_view: cheaper to normalise.
        result = obj.to_arrow()
        if isinstance(result, pa.Table):
            return result
    if hasattr(obj, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(obj).read_all()
    raise TypeError(
        f"{table}: cannot read an object of type {type(obj).__name__!r}; expected a "
        "pyarrow Table/RecordBatch/RecordBatchReader, a pandas or polars DataFrame, or an "
        "object implementing __arrow_c_stream__"
    )


def _dictionary_columns(table: str) -> list[str]:
    """The table's enumeration columns, read as dictionaries (cheap to encode)."""
    return [c.name for c in TABLES[table].columns if c.kind == "enum"]


def _open_parts(table: str, location: Path) -> pads.Dataset:
    """Open a directory of parts (or a file, as a dataset); the parts' schemas are unified.

    ``pyarrow.dataset`` takes the schema of the first part by default, which would
    silently drop a column missing from that part only: every part's schema is merged
    (with type promotion, e.g. int32 + int64 -> int64) instead.
    """
    import pyarrow.dataset as pads

    read_options = pads.ParquetReadOptions(dictionary_columns=_dictionary_columns(table))
    fmt = pads.ParquetFileFormat(read_options=read_options)
    if not location.is_dir():
        return pads.dataset(str(location), format=fmt)
    data = pads.dataset(str(location), format=fmt, partitioning="hive")
    if len(data.files) > 1:
        parts = [fragment.physical_schema for fragment in data.get_fragments()]
        schema = pa.unify_schemas([data.schema, *parts], promote_options="permissive")
        if not schema.equals(data.schema):
            data = pads.dataset(str(location), format=fmt, partitioning="hive", schema=schema)
    return data


#: Errors of opening or decoding a file: Arrow's own, and OSError (pyarrow raises it for
#: a file that is not Parquet, a damaged footer, or one it may not open).
_ARROW_READ_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OSError)


@contextmanager
def _reading(table: str, location: str | os.PathLike[str]) -> Iterator[None]:
    """Arrow's errors while opening or reading a table, as an InputError naming it."""
    try:
        yield
    except _ARROW_READ_ERRORS as exc:
        raise InputError(f"{table}: cannot read {location}: {exc}", table=table) from exc


@contextmanager
def reading_memory_pool() -> Iterator[None]:
    """Arrow's default memory pool is jemalloc, not mimalloc, while reading.

    Decoding Parquet batch by batch allocates and frees every batch's buffers; with
    mimalloc (pyarrow's default) that memory went back to the kernel and was faulted in
    again as fresh huge pages, each zeroed (``clear_page_erms`` under
    ``do_huge_pmd_anonymous_page``: 45 % of the samples reading 1M persons, ~2-3 s of
    system time, and as much in the floor's own reading). jemalloc keeps and reuses it.
    Nothing changes when the default pool is not mimalloc (e.g. chosen through
    ``ARROW_DEFAULT_MEMORY_POOL``) or jemalloc is not built in; the previous default is
    restored afterwards (buffers remember their own pool)."""
    before = pa.default_memory_pool()
    pool = None
    if before.backend_name == "mimalloc":
        try:
            pool = pa.jemalloc_memory_pool()
        except NotImplementedError:  # (a pyarrow built without jemalloc)
            pool = None
    if pool is None:
        yield
        return
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def release_unused_memory() -> None:
    """Ask jemalloc to hand back the memory it keeps from reading
    (:func:`reading_memory_pool`) once the tables that used it are gone (a no-op without
    jemalloc). Its purge returns only part at once (~0.13 of 1.15 GiB for 1M persons,
    0.02 s); the rest goes back within about a second, by jemalloc's own decay."""
    with contextlib.suppress(NotImplementedError):  # (a pyarrow built without jemalloc)
        pa.jemalloc_memory_pool().release_unused()


#: Rows per record batch when a table is scanned batch by batch (:func:`scan_table`),
#: and how many batches a directory of parts decodes ahead (a single file is decoded as
#: its batches are consumed): per-batch work stays negligible while the raw rows in
#: flight stay small (~140 MB for the 33M benefit rows of 1M persons, against ~570 MB
#: with pyarrow's defaults) and their memory is reused.
SCAN_BATCH_ROWS = 1 << 18
SCAN_BATCH_READAHEAD = 4
SCAN_FRAGMENT_READAHEAD = 2
#: At most this many threads check and copy one table's batches (each holds up to two
#: batches in flight): the copies are bound by memory, so more threads would mostly add
#: raw batches in memory on a many-core machine.
MAX_READ_WORKERS = 4


@dataclass(frozen=True)
class TableScan:
    """A Parquet table to be read batch by batch: its canonical columns present in the
    files, its row count (from the Parquet metadata) and its source: a single file
    (``pyarrow.parquet.ParquetFile``) or a directory of parts (``pyarrow.dataset``)."""

    table: str
    location: Path
    columns: list[str]
    n_rows: int
    data: Any  # pq.ParquetFile or pads.Dataset

    def _single_file(self) -> bool:
        return not hasattr(self.data, "to_batches")

    def read(self, use_threads: bool = True) -> pa.Table:
        """The whole table (its canonical columns present in the files)."""
        with _reading(self.table, self.location):
            if self._single_file():
                return self.data.read(columns=self.columns, use_threads=use_threads)
            return self.data.to_table(columns=self.columns, use_threads=use_threads)

    def batches(self, use_threads: bool = True) -> Iterator[pa.RecordBatch]:
        """The table's record batches, decoded on pyarrow's CPU thread pool, or on the
        calling thread with ``use_threads=False``."""
        with _reading(self.table, self.location):
            if self._single_file():
                yield from self.data.iter_batches(
                    batch_size=SCAN_BATCH_ROWS, columns=self.columns, use_threads=use_threads
                )
                return
            yield from self.data.to_batches(
                columns=self.columns,
                batch_size=SCAN_BATCH_ROWS,
                batch_readahead=SCAN_BATCH_READAHEAD,
                fragment_readahead=SCAN_FRAGMENT_READAHEAD,
                use_threads=use_threads,
            )


def scan_table(table: str, location: str | os.PathLike[str]) -> TableScan | None:
    """Open ``table`` in one Parquet file or directory of parts without reading it: its
    canonical columns present in the files, row count and a batch iterator. Columns
    absent from the files are simply not listed (normalisation decides whether that is
    an error or a default); unknown columns and partition keys are not read. A
    directory without any Parquet part gives ``None`` (the table is absent)."""
    where = Path(location)
    with _reading(table, location):
        if where.is_file():  # one file: read directly, without pyarrow.dataset
            import pyarrow.parquet as pq

            names = set(pq.read_schema(where).names)
            # (only columns the file has: pyarrow raises KeyError for an absent one, and a
            # missing required column is reported by normalisation, naming it)
            dictionary = [c for c in _dictionary_columns(table) if c in names]
            data: Any = pq.ParquetFile(where, read_dictionary=dictionary)
            n_rows = data.metadata.num_rows
        else:
            data = _open_parts(table, where)
            if not data.files:
                return None
            names = set(data.schema.names)
            n_rows = data.count_rows()
        columns = [c.name for c in TABLES[table].columns if c.name in names]
        return TableScan(table, where, columns, n_rows, data)


def read_table(table: str, location: str | os.PathLike[str]) -> pa.Table | None:
    """Read the canonical columns of ``table`` (see :func:`scan_table`) whole."""
    scan = scan_table(table, location)
    return None if scan is None else scan.read()


def table_sources(path: str | os.PathLike[str]) -> dict[str, Path]:
    """Where each table of SPEC §2 lives in the dataset directory ``path``.

    A table is ``<path>/<table>.parquet`` (a file, or a directory of parts as Spark writes
    it) or the directory ``<path>/<table>/``; having both is an error (which one is
    meant?). Tables not found are absent from the result; the required table ``benefits``
    missing raises :class:`InputError`. Other files are ignored.
    """
    root = Path(path)
    if not root.is_dir():
        raise InputError(f"dataset directory {str(root)!r} does not exist or is not a directory")
    found: dict[str, Path] = {}
    for name, spec in TABLES.items():
        file = root / f"{name}.parquet"
        directory = root / name
        if file.exists() and directory.is_dir():
            raise InputError(
                f"{name}: both {file.name} and {directory.name}/ exist in {root}; keep one",
                table=name,
            )
        if file.exists():
            found[name] = file
        elif directory.is_dir():
            found[name] = directory
        elif spec.required:
            others = sorted(p.name for p in root.glob(f"{name}.*"))  # e.g. benefits.csv
            found_instead = f" (found {', '.join(others)}: only Parquet is read)" if others else ""
            raise InputError(
                f"{name}: required table missing: no {name}.parquet or {name}/ parts in "
                f"{root}{found_instead}",
                table=name,
            )
    return found


def read_tables(path: str | os.PathLike[str]) -> dict[str, pa.Table]:
    """Read every table of SPEC §2 found in the dataset directory ``path`` (see
    :func:`table_sources`); a location without any Parquet part is absent."""
    found: dict[str, pa.Table] = {}
    for name, location in table_sources(path).items():
        data = read_table(name, location)
        if data is not None:
            found[name] = data
        elif TABLES[name].required:
            raise InputError(
                f"{name}: required table missing: no Parquet parts in {location}", table=name
            )
    return found


def bucket_ids(path: str | os.PathLike[str]) -> list[int]:
    """The person buckets of a bucketed dataset: the sorted ``k`` of the directories
    ``<path>/benefits/bucket=<k>/`` (as ``jobindsats synth --buckets`` writes them); empty
    for an unbucketed dataset."""
    benefits = Path(path) / "benefits"
    if not benefits.is_dir():
        return []
    ids = []
    for part in benefits.glob("bucket=*"):
        k = part.name.removeprefix("bucket=")
        if part.is_dir() and k.isdigit():
            ids.append(int(k))
    return sorted(ids)
