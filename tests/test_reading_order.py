"""The input's row order changes nothing (docs/kernel.md "Event tables"; issue 16).

The canonical row order is checked in one pass and, for input not in it, made by the
radix sort of ``cpp/sort`` (:mod:`jobindsats.sorting`). Here: a generated population
read from Parquet as written (sorted) and with every file's rows shuffled gives the same
dataset and the same measurement on both backends; the compiled check and permutation
equal their NumPy/Arrow twins (``normalise._is_sorted``, ``_reference_permutation``)
row for row, on every path (dense and sparse ids, runs already in order, short and long
runs, nulls, sliced buffers); and the binding refuses buffers that do not hold the rows.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jobindsats
from jobindsats import normalise, sorting
from jobindsats.synth import synthesize

try:
    core = importlib.import_module("jobindsats._core")
except ImportError:  # pragma: no cover - exercised only without the C++ build
    core = None

requires_core = pytest.mark.skipif(core is None, reason="C++ core jobindsats._core is not built")

START, END = "2019-01", "2024-12"


def shuffle_files(source: Path, target: Path, seed: int) -> None:
    """Every ``<table>.parquet`` of ``source`` with its rows in a random order."""
    target.mkdir()
    rng = np.random.default_rng(seed)
    for file in sorted(source.glob("*.parquet")):
        table = pq.read_table(file)
        pq.write_table(table.take(rng.permutation(table.num_rows)), target / file.name)


@pytest.fixture(scope="module")
def populations(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("order")
    synthesize(root / "sorted", persons=400, seed=16)
    shuffle_files(root / "sorted", root / "shuffled", seed=4)
    return root / "sorted", root / "shuffled"


def test_shuffled_files_are_read_into_the_same_dataset(populations: tuple[Path, Path]) -> None:
    sorted_path, shuffled_path = populations
    shuffled_benefits = pq.read_table(shuffled_path / "benefits.parquet")
    assert not shuffled_benefits.equals(pq.read_table(sorted_path / "benefits.parquet"))
    a = jobindsats.read_dataset(sorted_path, threads=2)
    b = jobindsats.read_dataset(shuffled_path, threads=2)
    assert a.equals(b)
    assert a.tables["benefits"].num_rows == shuffled_benefits.num_rows > 1000


@pytest.mark.parametrize("backend", [pytest.param("cpp", marks=requires_core), "numba"])
def test_sorted_and_shuffled_input_measure_the_same(
    populations: tuple[Path, Path], backend: str
) -> None:
    sorted_path, shuffled_path = populations
    a = jobindsats.measure(sorted_path, START, END, backend=backend, threads=2)
    b = jobindsats.measure(shuffled_path, START, END, backend=backend, threads=1)
    assert a.persons.num_rows > 1000  # a real population, not an empty comparison
    assert a.persons.equals(b.persons)
    assert a.cells.equals(b.cells)
    assert a.quality == b.quality


# --- the compiled check and permutation against their twins -------------------------------


def random_table(rng: np.random.Generator, n: int, ids: np.ndarray) -> pa.Table:
    """Rows with every encoded key type, many ties and nulls in the nullable columns."""
    hours = rng.choice([0.0, 7.5, 37.0, 3.25], n)
    hours_null = rng.random(n) < 0.3
    flag_null = rng.random(n) < 0.3
    return pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "start": pa.array(rng.integers(0, 4, n).astype(np.int32)).view(pa.date32()),
            "code": pa.array(rng.integers(-2, 3, n).astype(np.int8)),
            "muni": pa.array(rng.integers(100, 103, n).astype(np.int16)),
            "hours": pa.array(hours, mask=hours_null),
            "flag": pa.array(rng.random(n) < 0.5, mask=flag_null),
            "supp": pa.array(rng.random(n) < 0.5),
            "n": pa.array(rng.integers(0, 2, n), pa.int64()),
        }
    )


ORDER = ["person_id", "start", "code", "muni", "hours", "flag", "supp", "n"]


def id_cases(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "dense": rng.integers(1, 30, n),  # counting sort
        "sparse": rng.integers(-(2**40), 2**40, 40)[rng.integers(0, 40, n)],  # radix
        "person_sorted": np.sort(rng.integers(1, 30, n)),  # runs only
        "long_runs": rng.integers(5, 7, n),  # runs longer than the insertion sort's
        "one_person": np.full(n, 3),
    }


@requires_core
@pytest.mark.parametrize("case", ["dense", "sparse", "person_sorted", "long_runs", "one_person"])
def test_permutation_equals_the_stable_reference(case: str) -> None:
    rng = np.random.default_rng(len(case))
    for n in (0, 1, 2, 7, 300):
        table = random_table(rng, n, id_cases(rng, n)[case])
        got = sorting.sort_permutation(core, table, ORDER)
        expected = normalise._reference_permutation(table, ORDER).to_numpy()
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, expected, err_msg=f"{case}, {n} rows")
        ordered = table.take(pa.array(got))
        assert sorting.rows_sorted(core, ordered, ORDER)
        assert normalise._is_sorted(ordered, ORDER, 1)


@requires_core
def test_sortedness_check_equals_the_reference_on_every_inversion() -> None:
    """Sorted rows pass; swapping any neighbouring pair that differs fails both checks,
    whichever column decides the pair (a later column only on ties of earlier ones)."""
    rng = np.random.default_rng(5)
    table = random_table(rng, 200, rng.integers(1, 8, 200))
    table = table.take(normalise._reference_permutation(table, ORDER))
    assert sorting.rows_sorted(core, table, ORDER)
    deciding = set()
    for i in range(table.num_rows - 1):
        rows = np.arange(table.num_rows)
        rows[[i, i + 1]] = rows[[i + 1, i]]
        swapped = table.take(pa.array(rows))
        expected = normalise._is_sorted(swapped, ORDER, 1)
        assert sorting.rows_sorted(core, swapped, ORDER) == expected, i
        if not expected:  # the first column where rows i and i+1 differ decides
            a, b = table.slice(i, 1).to_pylist()[0], table.slice(i + 1, 1).to_pylist()[0]
            deciding.add(next(c for c in ORDER if a[c] != b[c]))
    assert {"person_id", "start", "code", "hours", "flag"} <= deciding


@requires_core
def test_nulls_sort_first_and_equal_each_other() -> None:
    table = pa.table(
        {
            "person_id": pa.array([1, 1, 1, 1], pa.int64()),
            "hours": pa.array([2.0, None, 0.0, None]),
            "flag": pa.array([False, True, None, False]),
        }
    )
    order = ["person_id", "hours", "flag"]
    # hours: null, null (then flag: False before True), 0.0, 2.0
    np.testing.assert_array_equal(sorting.sort_permutation(core, table, order), [3, 1, 2, 0])
    assert not sorting.rows_sorted(core, table, order)


@requires_core
def test_sliced_columns_are_read_from_their_offset() -> None:
    """Arrow arrays with an offset (slices; bit-packed booleans mid-byte) are keys too."""
    rng = np.random.default_rng(9)
    whole = random_table(rng, 101, rng.integers(1, 9, 101))
    part = whole.slice(13, 77)
    assert part.column("flag").chunk(0).offset == 13
    got = sorting.sort_permutation(core, part, ORDER)
    np.testing.assert_array_equal(got, normalise._reference_permutation(part, ORDER))
    assert sorting.rows_sorted(core, part.take(pa.array(got)), ORDER)


@requires_core
def test_sort_rows_uses_several_workers_with_the_same_result() -> None:
    rng = np.random.default_rng(3)
    table = random_table(rng, 500, rng.integers(1, 50, 500))
    one = normalise.sort_rows(table, ORDER, 1, workers=1)
    assert one.equals(normalise.sort_rows(table, ORDER, 1, workers=3))
    assert one.equals(table.take(normalise._reference_permutation(table, ORDER)))


def test_sort_rows_without_the_compiled_module_uses_the_twins(monkeypatch) -> None:
    rng = np.random.default_rng(4)
    table = random_table(rng, 300, rng.integers(1, 20, 300))
    expected = table.take(normalise._reference_permutation(table, ORDER))
    monkeypatch.setattr(sorting, "compiled", lambda: None)
    assert normalise.sort_rows(table, ORDER, 1).equals(expected)
    assert normalise.sort_rows(expected, ORDER, 1) is expected


@requires_core
def test_binding_refuses_keys_that_do_not_hold_the_rows() -> None:
    ids = np.arange(4, dtype=np.int64).view(np.uint8)
    with pytest.raises(ValueError, match="shorter than its rows"):
        core.rows_sorted([("int64", ids, None, 1)], 4)
    with pytest.raises(ValueError, match="validity bitmap is shorter"):
        core.rows_sorted([("int64", ids, np.zeros(0, np.uint8), 0)], 4)
    with pytest.raises(ValueError, match="unknown sort key kind"):
        core.rows_sorted([("int128", ids, None, 0)], 4)
    with pytest.raises(ValueError, match="first sort key must be int64 without nulls"):
        core.sort_permutation([("int32", ids, None, 0)], 4)
    assert core.rows_sorted([("int64", ids, None, 0)], 4)


def test_reference_check_compares_ties_whether_or_not_each_side_has_a_null() -> None:
    """Rows level in the leading keys are compared in a nullable column where only one of
    the two row sets holds a null (the twin built unequal key lists for them and failed)."""
    table = pa.table(
        {
            "person_id": pa.array([1, 1, 2, 2], pa.int64()),
            "hours": pa.array([None, 1.0, 2.0, 3.0]),
        }
    )
    assert normalise._is_sorted(table, ["person_id", "hours"], 1)
    swapped = table.take(pa.array([1, 0, 2, 3]))
    assert not normalise._is_sorted(swapped, ["person_id", "hours"], 1)
