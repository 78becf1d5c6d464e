"""Person-bucketed synthetic datasets: ``synthesize(..., buckets=K)``, ``synth --buckets``,
and reading them back (``read_dataset``, ``io.bucket_ids``, ``dataset.read_bucket``)."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import jobindsats
from jobindsats.cli import app
from jobindsats.dataset import Dataset, read_bucket
from jobindsats.io import bucket_ids, read_tables
from jobindsats.schema import TABLES, arrow_schema
from jobindsats.synth import synthesize

PERSONS, SEED, CHUNK, K = 2000, 11, 500, 4


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(
        tmp_path_factory.mktemp("plain"), persons=PERSONS, seed=SEED, chunk_persons=CHUNK
    )


@pytest.fixture(scope="module")
def bucketed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(
        tmp_path_factory.mktemp("bucketed"),
        persons=PERSONS,
        seed=SEED,
        chunk_persons=CHUNK,
        buckets=K,
    )


def _bucket_of(t: pa.Table, k: int, buckets: int) -> pa.Table:
    """The rows of ``t`` in bucket ``k``, in their order."""
    return t.filter(pa.array(t["person_id"].to_numpy() % buckets == k))


def _files(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*.parquet"))}


def test_layout(bucketed):
    assert sorted(p.name for p in bucketed.iterdir()) == sorted(TABLES)
    for name in TABLES:
        table_dir = bucketed / name
        assert sorted(p.name for p in table_dir.iterdir()) == sorted(
            f"bucket={k}" for k in range(K)
        )
        for k in range(K):
            part_dir = table_dir / f"bucket={k}"
            assert [p.name for p in part_dir.iterdir()] == ["part-0.parquet"]
            part = pq.ParquetFile(part_dir / "part-0.parquet")
            assert part.schema_arrow.equals(arrow_schema(name), check_metadata=False), name
            ids = part.read(columns=["person_id"])["person_id"].to_numpy()
            assert np.all(ids % K == k), (name, k)
    # one row group per generated chunk (every chunk has persons in every bucket)
    for k in range(K):
        part = pq.ParquetFile(bucketed / "residence" / f"bucket={k}" / "part-0.parquet")
        assert part.metadata.num_row_groups == PERSONS // CHUNK
        ids = pc.unique(part.read(columns=["person_id"])["person_id"])
        assert len(ids) == PERSONS // K  # everyone lives somewhere; buckets are balanced


def test_union_of_buckets_equals_unbucketed(plain, bucketed):
    for name in TABLES:
        whole = pq.read_table(plain / f"{name}.parquet")
        parts = [
            pq.read_table(bucketed / name / f"bucket={k}" / "part-0.parquet") for k in range(K)
        ]
        assert sum(p.num_rows for p in parts) == whole.num_rows, name
        for k, part in enumerate(parts):
            # same rows, same (canonical, person-sorted) order within the bucket
            assert part.equals(_bucket_of(whole, k, K)), (name, k)


def test_same_seed_gives_byte_identical_buckets(bucketed, tmp_path):
    again = synthesize(
        tmp_path / "again", persons=PERSONS, seed=SEED, chunk_persons=CHUNK, buckets=K
    )
    assert _files(again) == _files(bucketed)


def test_one_bucket(plain, tmp_path):
    one = synthesize(tmp_path / "one", persons=PERSONS, seed=SEED, chunk_persons=CHUNK, buckets=1)
    assert bucket_ids(one) == [0]
    for name in TABLES:
        part = pq.read_table(one / name / "bucket=0" / "part-0.parquet")
        assert part.equals(pq.read_table(plain / f"{name}.parquet")), name


def test_more_buckets_than_persons(tmp_path):
    out = synthesize(tmp_path / "few", persons=3, seed=1, buckets=5)
    assert bucket_ids(out) == [0, 1, 2, 3, 4]
    empty = read_bucket(out, 0)  # person ids 1..3: bucket 0 is empty
    assert empty.n_persons == 0
    assert empty.tables["benefits"].num_rows == 0
    assert empty.tables["persons"].num_rows == 0
    assert read_bucket(out, 1).tables["residence"]["person_id"].to_pylist()[0] == 1


def test_read_dataset_reads_the_whole_bucketed_dataset(plain, bucketed):
    a = jobindsats.read_dataset(plain)
    b = jobindsats.read_dataset(bucketed)
    assert b.n_persons == a.n_persons
    assert b.equals(a)


def test_measure_is_the_same_on_a_bucketed_dataset(plain, bucketed):
    try:
        importlib.import_module("jobindsats._core")
    except ImportError as exc:  # pragma: no cover - the Numba path is exercised elsewhere
        pytest.skip(f"C++ core not built: {exc}")
    a = jobindsats.measure(plain, "2024-01", "2024-06", backend="cpp", threads=1)
    b = jobindsats.measure(bucketed, "2024-01", "2024-06", backend="cpp", threads=1)
    assert b.cells.equals(a.cells)


def test_bucket_ids(plain, bucketed, tmp_path):
    assert bucket_ids(bucketed) == list(range(K))
    assert bucket_ids(plain) == []
    assert bucket_ids(tmp_path) == []  # no benefits at all
    # numeric order, not the file system's (bucket=10 after bucket=9)
    many = synthesize(tmp_path / "many", persons=30, seed=1, buckets=12)
    assert bucket_ids(many) == list(range(12))


def test_read_bucket_reads_one_bucket(plain, bucketed):
    """Bucket k read from its parts (batch by batch) equals the whole dataset's rows of
    the persons in bucket k, validated and normalised in memory; the buckets' persons
    are disjoint and together the whole dataset's."""
    whole = read_tables(plain)
    ids = []
    for k in range(K):
        part = read_bucket(bucketed, k)
        expected = Dataset.from_tables(**{n: _bucket_of(t, k, K) for n, t in whole.items()})
        assert part.equals(expected), k
        assert "bucket" not in part.tables["benefits"].column_names
        assert np.all(part.person_ids % K == k)
        ids.append(part.person_ids)
    everyone = jobindsats.read_dataset(plain).person_ids
    np.testing.assert_array_equal(np.sort(np.concatenate(ids)), everyone)


def test_read_bucket_missing_tables_and_buckets(bucketed, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(bucketed, copy)
    shutil.rmtree(copy / "mii")
    shutil.rmtree(copy / "offers" / "bucket=2")
    assert read_bucket(copy, 0).tables["mii"].num_rows == 0  # absent: no rows
    assert read_bucket(copy, 1).tables["offers"].num_rows > 0
    assert read_bucket(copy, 2).tables["offers"].num_rows == 0
    with pytest.raises(jobindsats.InputError, match="benefits: required table missing"):
        read_bucket(copy, K)  # no such bucket


def test_bad_buckets_and_mixed_layouts(plain, bucketed, tmp_path):
    with pytest.raises(ValueError, match="buckets"):
        synthesize(tmp_path / "zero", persons=10, seed=1, buckets=0)
    with pytest.raises(ValueError, match="unbucketed"):
        synthesize(plain, persons=10, seed=1, buckets=2)
    with pytest.raises(ValueError, match="bucketed"):
        synthesize(bucketed, persons=10, seed=1)
    with pytest.raises(ValueError, match="not one of the 2 buckets"):
        synthesize(bucketed, persons=10, seed=1, buckets=2)


def test_cli_buckets_option(tmp_path):
    out = tmp_path / "cli"
    runner = CliRunner()
    result = runner.invoke(app, ["synth", str(out), "--persons", "300", "--buckets", "3"])
    assert result.exit_code == 0, result.output
    assert "wrote 300 persons" in result.output
    assert bucket_ids(out) == [0, 1, 2]
    assert not (out / "benefits.parquet").exists()
    assert jobindsats.read_dataset(out).n_persons > 0
    bad = runner.invoke(app, ["synth", str(tmp_path / "bad"), "--buckets", "0"])
    assert bad.exit_code == 2
    assert "buckets must be >= 1" in bad.output
