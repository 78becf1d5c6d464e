"""Synthetic Danish register data in the canonical schema of SPEC §2.

The generator builds a realistic-looking population for tests and benchmarks; nothing
in it is real data, and nothing in the measurement depends on it.

Generative model (per chunk of persons, fully vectorised with NumPy):

* **persons** — birth dates giving ages mostly 16..60 at the period start, ~4 % younger
  (turning 16 during the period) and ~8 % 60..72 (reaching pension age, R2); ~0.5 % of
  the persons have no ``persons`` row.
* **residence** — a main municipality drawn with weights ``municipalities.POPULATION``;
  ~10 % move once or twice (consecutive rows), ~0.3 % have a gap without a row (999).
* **benefit careers** (:mod:`jobindsats.synth_spells`) — ~75 % of the persons have a
  career starting up to eight years before the period (not before age 15, ending around
  pension age): a Markov chain of spells over all benefit groups with group-specific
  log-normal durations, linked transitions with short gaps (dagpenge exhausted →
  kontanthjælp, overgangsydelse → kontanthjælp/uddannelseshjælp within a month (R8),
  forrevalidering → revalidering (R7), sygedagpenge → jobafklaring, ressourceforløb →
  førtidspension/ledighedsydelse, ...) and otherwise a person-specific exponential time
  off benefits. Payments are monthly rows with a few short gaps and a few unpaid whole
  months (D4); sygedagpenge rows are sickness-absence spells, mostly overlapping when
  split (R9), sometimes touching or sharing a day (D6); sickness also occurs during other
  spells; supplementary kontanthjælp sits on top of some dagpenge and førtidspension
  spells. Dagpenge rows carry paid hours (160.33 h full-time, 130 h part-time per whole
  month, pro rata by weekdays, sometimes reduced, rarely null). About 22 % of the
  persons are on a measured benefit in a month.
* **dagpenge_periods** — the start of every ordinary period a dagpenge spell belongs to
  (a return within a year usually continues the old period), sometimes a new start in
  long unemployment; ~5 % of the persons have none (D8).
* **events** (:mod:`jobindsats.synth_events`) — interviews on weekdays as a Poisson
  process per spell (rate by group × person × municipality; form by era: personligt
  before 2020-03, almost nothing 2020-03-12..05-26, phone/digital common afterwards,
  trial municipalities more ``digitalt``); registrations 0..90 days before spells with
  pre-payment job interviews (R24); exemptions with qualifying and non-qualifying codes
  and the dead codes 901/902; MII days from 2024; offers; assessment categories;
  employment hours.
* **focus audit** (:mod:`jobindsats.synth_audit`) — the persons' ``sex``, ``origin`` and
  ``education`` with a few nulls, and varied presence flags of joint interviews (both,
  one party, neither), drawn from a stream of their own (``[seed, i, 45]``) so that no
  other draw changed.

Reproducibility: chunk ``i`` uses ``np.random.default_rng([seed, i])``, so the same
``(persons, seed, start, end, chunk_persons)`` gives byte-identical Parquet files. The
chunk size is part of the seed: another ``chunk_persons`` gives another (equally valid)
population. :func:`generate_tables` is chunk 0 of a single chunk.

Person buckets: ``synthesize(..., buckets=K)`` writes the same persons and rows
hive-partitioned as ``<table>/bucket=<k>/part-0.parquet`` with ``k = person_id % K``.
Person ids are consecutive, so the modulus deals them out round-robin: every bucket holds
``persons / K`` persons (±1) and a representative mix of them (the generator's persons
are exchangeable), and all tables of one person land in the same bucket, so each bucket
is a self-contained dataset that can be measured on its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pathlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import atomic
from .normalise import row_order
from .schema import ENUMERATIONS, TABLES, arrow_schema
from .synth_audit import AUDIT_STREAM, add_audit_columns
from .synth_base import DAY_1900, DAY_BITS, Chunk, make_persons, make_residence, to_day
from .synth_events import (
    employment,
    exemptions,
    interviews,
    mii,
    offers,
    registrations,
    visitation,
)
from .synth_spells import (
    Spells,
    benefit_rows,
    careers,
    dagpenge_periods,
    keep_recent,
    sickness_overlays,
)

__all__ = ["TABLE_ORDER", "generate_tables", "synthesize"]

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
_ENUM_VALUES = {k: pa.array(v, type=pa.string()) for k, v in ENUMERATIONS.items()}


def _generate_chunk(
    rng: np.random.Generator, n: int, first_id: int, start: int, end: int
) -> dict[str, dict[str, np.ndarray]]:
    """All tables of one chunk as column arrays (``person`` = local person index)."""
    ch = Chunk(rng=rng, n=n, first_id=first_id, start=start, end=end)
    out: dict[str, dict[str, np.ndarray]] = {}
    out["persons"] = make_persons(ch)
    out["residence"] = make_residence(ch)
    sp, period = careers(ch)
    sp, period = keep_recent(ch, sp, period)
    out["dagpenge_periods"] = dagpenge_periods(ch, sp, period)
    sick = sickness_overlays(ch, sp)
    out["benefits"] = benefit_rows(ch, sp, sick)
    reg, pre_person, pre_date, pre_group = registrations(ch, sp)
    out["registrations"] = reg
    with_sick = Spells.concat([sp, sick])
    out["interviews"] = interviews(ch, with_sick, pre_person, pre_date, pre_group)
    out["exemptions"] = exemptions(ch, with_sick)
    out["mii"] = mii(ch, sp)
    out["offers"] = offers(ch, with_sick)
    out["visitation"] = visitation(ch, sp)
    out["employment"] = employment(ch, sp)
    return out


def _sort_order(name: str, cols: dict[str, np.ndarray]) -> np.ndarray:
    """Rows in the canonical total order of ``normalise.row_order`` (person, the table's
    sort columns, then every other column; nulls first), so that reading the files back
    finds them sorted and skips the sort.

    A packed integer key orders by person and sort columns; only the rare rows that tie on
    it are then ordered by the remaining columns.
    """
    spec = TABLES[name]
    key = cols["person"].astype(np.int64)
    for k in spec.sort_by:
        key = (key << DAY_BITS) + (cols[k] - DAY_1900)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    tie = np.zeros(len(order), dtype=bool)
    if len(order) > 1:
        same = sorted_key[1:] == sorted_key[:-1]
        tie[1:] |= same
        tie[:-1] |= same
    if not tie.any():
        return order
    rest = [c for c in row_order(name) if c not in ("person_id", *spec.sort_by)]
    sub = order[tie]
    keys: list[np.ndarray] = []
    for c in rest:
        v = cols[c][sub]
        if v.dtype.kind == "f":  # nullable float: nulls (NaN) first, then the value
            null = np.isnan(v)
            keys += [~null, np.where(null, 0.0, v)]
        else:  # codes, and bools as int8 with -1 = null: the natural order is canonical
            keys.append(v)
    within = np.lexsort([*keys[::-1], sorted_key[tie]])
    order[tie] = sub[within]
    return order


def _to_arrow(name: str, cols: dict[str, np.ndarray], first_id: int) -> pa.Table:
    """Sort a table's columns and convert them to the canonical Arrow schema."""
    t = TABLES[name]
    order = _sort_order(name, cols)
    schema = arrow_schema(name)
    arrays = []
    for field in schema:
        src = "person" if field.name == "person_id" else field.name
        kind = t.column(field.name).kind
        if src not in cols and not t.column(field.name).required:  # not generated: all null
            arrays.append(pa.nulls(len(order), type=field.type))
            continue
        v = cols[src][order]
        if kind == "id":
            arr = pa.array(v.astype(np.int64) + first_id, type=pa.int64())
        elif kind == "date":
            arr = pa.array(v.astype(np.int32), type=pa.date32())
        elif kind == "enum":
            arr = _ENUM_VALUES[(name, field.name)].take(pa.array(v.astype(np.int8)))
        elif kind in ("municipality", "code"):
            arr = pa.array(v.astype(np.int16), type=pa.int16())
        elif kind == "float":
            v = v.astype(np.float64)
            arr = pa.array(v, type=pa.float64(), mask=np.isnan(v) if field.nullable else None)
        elif kind == "string":  # object array, None = null
            arr = pa.array(v, type=pa.string())
        elif kind == "bool":
            if v.dtype == np.int8:  # -1 = null
                arr = pa.array(v == 1, type=pa.bool_(), mask=v < 0)
            else:
                arr = pa.array(v.astype(bool), type=pa.bool_())
        else:  # pragma: no cover - the schema's kinds are closed
            raise AssertionError(kind)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=schema)


def _period(start: str | dt.date, end: str | dt.date) -> tuple[int, int]:
    s, e = to_day(start), to_day(end)
    if e - s < 59:
        raise ValueError(f"the period {start}..{end} must span at least 60 days")
    if s < to_day("1990-01-01") or e > to_day("2090-12-31"):
        # every generated date (births, careers before the period) must stay in 1900..2100
        raise ValueError(f"the period {start}..{end} must lie within 1990..2090")
    return s, e


def _chunk_tables(
    seed: int, index: int, n: int, first_id: int, s: int, e: int
) -> dict[str, pa.Table]:
    rng = np.random.default_rng([seed, index])
    cols = _generate_chunk(rng, n, first_id, s, e)
    # the focus audit's columns from a stream of their own: no other draw changes
    add_audit_columns(np.random.default_rng([seed, index, AUDIT_STREAM]), cols)
    return {name: _to_arrow(name, cols[name], first_id) for name in TABLE_ORDER}


def generate_tables(
    persons: int,
    seed: int,
    start: str | dt.date = "2016-01-01",
    end: str | dt.date = "2024-12-31",
    first_person_id: int = 1,
) -> dict[str, pa.Table]:
    """An in-memory synthetic dataset: one Arrow table per SPEC §2 table, with exactly
    the canonical schema (``schema.arrow_schema``), person ids ``first_person_id ..
    first_person_id + persons - 1``, rows sorted by person and date. Uses the generator
    ``np.random.default_rng([seed, 0])`` (chunk 0 of :func:`synthesize`)."""
    if persons < 0:
        raise ValueError("persons must be >= 0")
    s, e = _period(start, end)
    return _chunk_tables(seed, 0, persons, first_person_id, s, e)


def _bucket_parts(tables: dict[str, pa.Table], buckets: int | None) -> dict[str, list[pa.Table]]:
    """Each table as its list of parts: ``[table]`` unbucketed, else the rows of bucket
    ``k = person_id % buckets`` at index ``k``, in their original (canonical) order."""
    if buckets is None:
        return {name: [t] for name, t in tables.items()}
    parts: dict[str, list[pa.Table]] = {}
    for name, t in tables.items():
        if buckets == 1:
            parts[name] = [t]
            continue
        bucket = t["person_id"].to_numpy() % buckets
        order = np.argsort(bucket, kind="stable")  # stable: canonical order within a bucket
        bounds = np.zeros(buckets + 1, dtype=np.int64)
        np.cumsum(np.bincount(bucket, minlength=buckets), out=bounds[1:])
        grouped = t.take(pa.array(order))
        parts[name] = [
            grouped.slice(int(bounds[k]), int(bounds[k + 1] - bounds[k])) for k in range(buckets)
        ]
    return parts


def _chunk_parts(
    seed: int, index: int, n: int, first_id: int, s: int, e: int, buckets: int | None
) -> dict[str, list[pa.Table]]:
    return _bucket_parts(_chunk_tables(seed, index, n, first_id, s, e), buckets)


def _write_parts(writers: list[pq.ParquetWriter], parts: list[pa.Table], skip_empty: bool) -> None:
    for writer, part in zip(writers, parts, strict=True):
        if part.num_rows or not skip_empty:
            writer.write_table(part)


def _check_layout(out: pathlib.Path, buckets: int | None) -> None:
    """Refuse to mix layouts: a stale table in the other layout (or a stale bucket beyond
    ``buckets``) would be read as part of the dataset, or make it unreadable."""
    for name in TABLE_ORDER:
        file, directory = out / f"{name}.parquet", out / name
        if buckets is None:
            if directory.is_dir():
                raise ValueError(
                    f"{directory} exists (a bucketed dataset?); use an empty directory"
                )
            continue
        if file.exists():
            raise ValueError(f"{file} exists (an unbucketed dataset?); use an empty directory")
        for part in directory.glob("bucket=*") if directory.is_dir() else ():
            k = part.name.removeprefix("bucket=")
            if not (k.isdigit() and int(k) < buckets):
                raise ValueError(
                    f"{part} exists but is not one of the {buckets} buckets being written; "
                    "use an empty directory"
                )


def synthesize(
    out_dir: str | pathlib.Path,
    persons: int,
    seed: int,
    start: str | dt.date = "2016-01-01",
    end: str | dt.date = "2024-12-31",
    chunk_persons: int = 100_000,
    progress: Callable[[int, int], None] | None = None,
    buckets: int | None = None,
) -> pathlib.Path:
    """Write a synthetic dataset as ``<out_dir>/<table>.parquet`` (zstd), one file per
    SPEC §2 table, generating ``chunk_persons`` persons at a time (chunk ``i`` uses
    ``np.random.default_rng([seed, i])``; one row group per chunk; person ids are
    consecutive from 1). Two chunks are generated concurrently while the previous one is
    written; memory is bounded by about four chunks. ``progress(done_persons,
    total_persons)`` is called after each chunk has been written. Returns the output
    directory.

    With ``buckets=K`` every table is instead hive-partitioned by person bucket:
    ``<out_dir>/<table>/bucket=<k>/part-0.parquet`` for ``k = 0 .. K-1`` holds the rows of
    the persons with ``person_id % K == k``, in the same canonical (person-sorted) order,
    one row group per chunk that has rows for the bucket. The persons and rows are exactly
    those of the unbucketed output for the same seed and ``chunk_persons`` (the union of
    the buckets is the unbucketed table). ``K * 11`` Parquet writers are open at once,
    each holding a file descriptor and its row-group metadata: fine for ``K`` up to a few
    hundred; memory otherwise stays bounded as above. Writing into a directory that holds
    the other layout (or more buckets) is refused.
    """
    if persons < 0:
        raise ValueError("persons must be >= 0")
    if chunk_persons < 1:
        raise ValueError("chunk_persons must be >= 1")
    if buckets is not None and buckets < 1:
        raise ValueError("buckets must be >= 1")
    s, e = _period(start, end)
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _check_layout(out, buckets)
    writers: dict[str, list[pq.ParquetWriter]] = {}
    staged: list[tuple[pathlib.Path, pathlib.Path]] = []  # (temporary, final) per file
    n_chunks = max(1, -(-persons // chunk_persons))
    generating: deque[tuple[int, Future]] = deque()
    pending: list[Future] = []
    queued = 0  # persons up to the end of the chunk whose writes are in ``pending``

    def generate(i: int) -> None:
        first = i * chunk_persons
        n = min(chunk_persons, persons - first)
        generating.append(
            (first + n, gen_pool.submit(_chunk_parts, seed, i, n, 1 + first, s, e, buckets))
        )

    def wait() -> None:
        for f in pending:
            f.result()
        if pending and progress is not None:
            progress(queued, persons)

    try:
        for name in TABLE_ORDER:
            if buckets is None:
                files = [out / f"{name}.parquet"]
            else:
                files = [out / name / f"bucket={k}" / "part-0.parquet" for k in range(buckets)]
            writers[name] = []
            for file in files:
                file.parent.mkdir(parents=True, exist_ok=True)
                staged.append((atomic.temporary_name(file), file))
                writers[name].append(
                    pq.ParquetWriter(staged[-1][0], arrow_schema(name), compression="zstd")
                )
        # two chunks are generated concurrently (NumPy and Arrow release the GIL for most
        # of the work) while the previous one is written; results are taken in chunk order
        with ThreadPoolExecutor(2) as gen_pool, ThreadPoolExecutor(2) as write_pool:
            for i in range(min(2, n_chunks)):
                generate(i)
            next_chunk = len(generating)
            while generating:
                end_person, fut = generating.popleft()
                parts = fut.result()
                if next_chunk < n_chunks:
                    generate(next_chunk)
                    next_chunk += 1
                wait()  # the previous chunk: keeps each writer's chunk order, bounds memory
                pending = [
                    write_pool.submit(_write_parts, writers[k], parts[k], buckets is not None)
                    for k in TABLE_ORDER
                ]
                queued = end_person
                del parts, fut
            wait()
        for table_writers in writers.values():
            for w in table_writers:
                w.close()
        # every file complete: rename them into place (never a partial population that
        # would read as a valid, smaller dataset after a crash or Ctrl-C)
        for tmp, file in staged:
            os.replace(tmp, file)
    except BaseException:
        for table_writers in writers.values():
            for w in table_writers:
                with contextlib.suppress(Exception):
                    w.close()
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return out
