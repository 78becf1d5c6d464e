"""Bucket-by-bucket measurement of person-partitioned datasets (issue 5): the same result
as the in-memory run, with only one bucket's tables in memory at a time."""

from __future__ import annotations

import shutil

import pytest

import jobindsats
from jobindsats.synth import synthesize

START, END = "2019-01", "2020-12"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("streaming")
    synthesize(root / "plain", 2500, 21, "2016-01-01", "2020-12-31")
    synthesize(root / "bucketed", 2500, 21, "2016-01-01", "2020-12-31", buckets=4)
    return root


@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_bucketed_dataset_equals_the_in_memory_run(data, backend):
    expected = jobindsats.measure(
        jobindsats.read_dataset(data / "plain"), START, END, backend=backend
    )
    seen = []
    m = jobindsats.measure(
        data / "bucketed", START, END, backend=backend, progress=lambda d, t: seen.append((d, t))
    )
    assert m.cells.num_rows > 1000
    assert m.cells.equals(expected.cells)
    assert m.persons.equals(expected.persons)
    assert m.quality == expected.quality
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]  # one step per bucket


def test_persons_false_keeps_the_cells_and_drops_the_person_rows(data):
    full = jobindsats.measure(data / "bucketed", START, END, backend="cpp")
    lean = jobindsats.measure(data / "bucketed", START, END, backend="cpp", persons=False)
    assert lean.cells.equals(full.cells)
    assert lean.persons.num_rows == 0
    assert lean.persons.schema.equals(full.persons.schema)
    assert lean.quality == full.quality  # conservation counts do not need the rows


@pytest.mark.parametrize(("layout", "threads", "threaded"), [
    ("plain", 1, False), ("plain", 2, True), ("bucketed", 1, False), ("bucketed", 2, True),
])  # fmt: skip
def test_one_thread_decodes_parquet_on_the_calling_thread(
    data, decoding_threads, layout, threads, threaded
):
    """``measure(path, threads=1)`` uses one thread throughout: each table (of each
    bucket) is decoded without pyarrow's thread pool; with more threads, on the pool."""
    seen = decoding_threads
    m = jobindsats.measure(data / layout, START, END, backend="cpp", threads=threads)
    assert m.quality["conserved"]
    assert len(seen) >= 10  # every table read (of every bucket)
    assert set(seen) == {threaded}


def test_derived_measures_from_a_streamed_run(data):
    plain = jobindsats.measure(data / "plain", START, END, backend="cpp", persons=False)
    streamed = jobindsats.measure(data / "bucketed", START, END, backend="cpp", persons=False)
    assert jobindsats.passivity(streamed).equals(jobindsats.passivity(plain))
    assert jobindsats.focus_targets(streamed, END).equals(jobindsats.focus_targets(plain, END))


def test_a_person_in_two_buckets_is_an_error(data, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(data / "bucketed", broken)
    # bucket 1's benefits also hold bucket 0's persons
    shutil.copy(
        data / "bucketed" / "benefits" / "bucket=0" / "part-0.parquet",
        broken / "benefits" / "bucket=1" / "part-9.parquet",
    )
    with pytest.raises(jobindsats.InputError, match=r"person_id \d+.* bucket=0 and bucket=1"):
        jobindsats.measure(broken, START, END, backend="cpp")


def test_cli_measures_a_bucketed_dataset_without_person_rows(data, tmp_path):
    from typer.testing import CliRunner

    from jobindsats.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["measure", str(data / "bucketed"), "--from", START, "--to", END, "--out", str(out),
         "--backend", "cpp", "--no-persons"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "cells.parquet",
        "quality.json",
        "rules.toml",
        "run.json",
    ]
    import pyarrow.parquet as pq

    expected = jobindsats.measure(data / "plain", START, END, backend="cpp", persons=False)
    assert pq.read_table(out / "cells.parquet").equals(expected.cells)
