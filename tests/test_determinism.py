"""Determinism (issue 18, part 4): the same dataset gives byte-identical outputs.

The promise: ``cells`` and ``persons`` of a measurement are the same Arrow tables (values,
types, schema metadata *and row order*), and so the same Parquet bytes, for any thread
count, either backend, any row order within the input tables, and whether the dataset is
measured in memory or streamed bucket by bucket. The row order is canonical: cells by
(month, municipality, group, interval) in their slot order (national 0 first, codes
ascending, 999 last; groups and intervals as in ``schema``), persons by (person_id, month,
group). Two ``measure`` calls running in threads of one process give what they give one
after the other.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jobindsats
from jobindsats.dataset import Dataset
from jobindsats.measure import group_slot_names, municipality_slots
from jobindsats.schema import INTERVALS
from jobindsats.synth import generate_tables

START, END = "2019-01", "2020-12"


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def shuffled(tables: dict[str, pa.Table], seed: int) -> dict[str, pa.Table]:
    rng = np.random.default_rng(seed)
    return {name: t.take(pa.array(rng.permutation(t.num_rows))) for name, t in tables.items()}


def write_buckets(tables: dict[str, pa.Table], root: Path, k: int) -> Path:
    """The layout of ``jobindsats synth --buckets k``: ``<table>/bucket=<id % k>/``."""
    for name, t in tables.items():
        bucket = pc.remainder(t.column("person_id"), k).to_numpy()
        for b in range(k):
            part = root / name / f"bucket={b}"
            part.mkdir(parents=True)
            pq.write_table(t.filter(pa.array(bucket == b)), part / "part-0.parquet")
    return root


def assert_canonical_order(m: jobindsats.Measurement) -> None:
    """cells sorted by their slots (month, municipality, group, interval), persons by
    (person_id, month, group)."""
    cells = m.cells
    groups = {g: i for i, g in enumerate(group_slot_names(m.rule_set))}
    intervals = {v: i for i, v in enumerate(INTERVALS)}
    key = [
        cells["month"].cast(pa.int32()).to_numpy(),
        municipality_slots()[cells["municipality"].to_numpy()],  # national 0 is slot 0
        np.array([groups[g] for g in cells["group"].to_pylist()]),
        np.array([intervals[v] for v in cells["interval"].to_pylist()]),
    ]
    assert np.array_equal(np.lexsort(key[::-1]), np.arange(cells.num_rows))
    p = m.persons
    pid = p["person_id"].to_numpy()
    month = p["month"].cast(pa.int32()).to_numpy()
    group = p["group"].combine_chunks().indices.to_numpy()
    assert np.array_equal(np.lexsort((group, month, pid)), np.arange(p.num_rows))


@given(
    seed=st.integers(0, 2**16),
    n_persons=st.integers(5, 120),
    backend=st.sampled_from(["cpp", "numba"]),
    threads=st.sampled_from([1, 2, 3]),
    order=st.integers(0, 2**16),
    buckets=st.sampled_from([0, 1, 3]),
)
def test_the_same_dataset_gives_byte_identical_outputs(
    seed, n_persons, backend, threads, order, buckets
) -> None:
    """Reference: C++, one thread, the tables as generated, in memory. Variant: the drawn
    backend and thread count, every input table's rows shuffled, and (buckets > 0) written
    as a bucketed dataset and streamed bucket by bucket."""
    tables = generate_tables(n_persons, seed, start="2016-01-01", end="2020-12-31")
    reference = jobindsats.measure(
        Dataset.from_tables(**tables), START, END, backend="cpp", threads=1
    )
    mixed = shuffled(tables, order)
    with tempfile.TemporaryDirectory() as tmp:
        if buckets:
            source = write_buckets(mixed, Path(tmp), buckets)
        else:
            source = Dataset.from_tables(**mixed)
        m = jobindsats.measure(source, START, END, backend=backend, threads=threads)
    assert m.cells.equals(reference.cells, check_metadata=True)
    assert m.persons.equals(reference.persons, check_metadata=True)
    assert m.quality == reference.quality
    assert parquet_bytes(m.cells) == parquet_bytes(reference.cells)
    assert parquet_bytes(m.persons) == parquet_bytes(reference.persons)
    assert_canonical_order(m)


# --- two measurements in threads of one process ---------------------------------------------

THREADS_SCRIPT = """
import sys, threading
import jobindsats
from jobindsats.dataset import Dataset
from jobindsats.synth import generate_tables

backend = sys.argv[1]
data = [Dataset.from_tables(**generate_tables(1500, s, start="2017-01-01", end="2020-12-31"))
        for s in (1, 2)]
alone = [jobindsats.measure(d, "2019-01", "2020-12", backend=backend, threads=2) for d in data]
together = [None, None]

def run(i):
    together[i] = jobindsats.measure(data[i], "2019-01", "2020-12", backend=backend, threads=2)

workers = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
for w in workers:
    w.start()
for w in workers:
    w.join()
same = [t.cells.equals(a.cells) and t.persons.equals(a.persons) and t.quality == a.quality
        for t, a in zip(together, alone)]
print("same" if all(same) else f"differ {same}")
"""


@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_two_measurements_in_threads_equal_two_in_a_row(backend) -> None:
    data = [
        Dataset.from_tables(**generate_tables(1500, s, start="2017-01-01", end="2020-12-31"))
        for s in (1, 2)
    ]
    alone = [jobindsats.measure(d, START, END, backend=backend, threads=2) for d in data]
    together: list[jobindsats.Measurement | None] = [None, None]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            together[i] = jobindsats.measure(data[i], START, END, backend=backend, threads=2)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    for t, a in zip(together, alone, strict=True):
        assert t is not None
        assert t.cells.equals(a.cells)
        assert t.persons.equals(a.persons)
        assert t.quality == a.quality


def test_numba_in_threads_under_its_fallback_threading_layer() -> None:
    """Numba's workqueue layer (used where OpenMP and TBB are missing) aborts the process
    on concurrent parallel launches; the library launches them one at a time."""
    env = {**os.environ, "NUMBA_THREADING_LAYER": "workqueue"}
    done = subprocess.run(
        [sys.executable, "-c", THREADS_SCRIPT, "numba"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "same"
