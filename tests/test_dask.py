"""jobindsats.dask on a distributed LocalCluster with 2 workers: one task per person
bucket, combined cells and person rows equal to the in-memory run exactly (issue 5)."""

from __future__ import annotations

import pytest

import jobindsats
from jobindsats.synth import synthesize

pd = pytest.importorskip("pandas")
distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
import jobindsats.dask  # noqa: E402

START, END = "2019-01", "2020-12"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    synthesize(root / "plain", 3000, 11, "2016-01-01", "2020-12-31")
    synthesize(root / "bucketed", 3000, 11, "2016-01-01", "2020-12-31", buckets=5)
    expected = jobindsats.measure(root / "plain", START, END, backend="cpp")
    return root, expected


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_buckets_equal_the_in_memory_run(data, client):
    root, expected = data
    m = jobindsats.dask.measure(root / "bucketed", START, END, client=client, backend="cpp")
    assert m.cells.num_rows > 1000
    assert m.cells.equals(expected.cells)
    assert m.persons.equals(expected.persons)
    assert m.quality == expected.quality
    assert m.quality["conserved"] is True


def test_dask_ran_one_task_per_bucket_on_both_workers(data, client):
    root, _ = data
    with distributed.get_task_stream(client) as stream:
        jobindsats.dask.measure(root / "bucketed", START, END, client=client, persons=False)
    tasks = [t for t in stream.data if "measure_bucket" in str(t["key"])]
    assert len(tasks) == 5  # five buckets
    assert len({t["worker"] for t in tasks}) == 2


def test_dask_partitioned_dataframes_equal_the_in_memory_run(data, client):
    root, expected = data
    tables = jobindsats.io.read_tables(root / "plain")
    k = 4

    def bucket(name):
        # Arrow-backed columns, as dd.read_parquet(dtype_backend="pyarrow") gives them
        # (Dask would turn object columns of dates or nullable bools into strings)
        frame = tables[name].to_pandas(types_mapper=pd.ArrowDtype)
        bucket_of = frame["person_id"].to_numpy() % k

        def part(i):
            return frame[bucket_of == i]

        return dd.from_map(part, list(range(k)))

    ddfs = {name: bucket(name) for name in tables}
    m = jobindsats.dask.measure(ddfs, START, END, client=client, backend="cpp")
    assert m.cells.equals(expected.cells)
    assert m.persons.equals(expected.persons)


def test_dask_rejects_a_person_split_over_two_partitions(data, client):
    root, _ = data
    tables = jobindsats.io.read_tables(root / "plain")
    frame = tables["benefits"].to_pandas(types_mapper=pd.ArrowDtype)
    halves = [frame.iloc[: len(frame) // 2], frame.iloc[len(frame) // 2 - 1 :]]
    ddfs = {"benefits": dd.from_map(lambda i: halves[i], [0, 1])}
    with pytest.raises(jobindsats.InputError, match=r"person_id .* both"):
        jobindsats.dask.measure(ddfs, START, END, client=client)


def test_dask_needs_a_bucketed_dataset(data, client):
    root, _ = data
    with pytest.raises(ValueError, match="not a bucketed dataset"):
        jobindsats.dask.measure(root / "plain", START, END, client=client)
