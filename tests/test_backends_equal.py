"""The C++ kernel and its Numba twin give identical results (docs/kernel.md).

Synthetic populations (``jobindsats.synth``) over 2017-01..2024-12: the R47 person rows
(``Table.equals``), the R40 cells and the §8 quality report must be identical, and both
must not depend on the thread count. On a mismatch the message names the first differing
row (person id, month, group) so the case can be shrunk with ``Dataset.select_persons``.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pytest

import jobindsats
from compare import first_difference
from jobindsats.synth import generate_tables

try:
    importlib.import_module("jobindsats._core")
    HAVE_CORE = True
except ImportError:  # pragma: no cover - exercised only without the C++ build
    HAVE_CORE = False

requires_core = pytest.mark.skipif(not HAVE_CORE, reason="C++ core jobindsats._core is not built")

START, END = "2017-01", "2024-12"

#: (seed, persons): each case runs in a few seconds on two cores
CASES = [(1, 2000), (20160229, 3000), (424242, 4000), (7, 5000)]


PERSON_KEYS = ("person_id", "month", "group")
CELL_KEYS = ("month", "municipality", "group", "interval")


def assert_same_measurement(got: Any, expected: Any, what: str) -> None:
    assert got.persons.equals(expected.persons), f"{what}: persons differ: " + first_difference(
        got.persons, expected.persons, PERSON_KEYS
    )
    assert got.cells.equals(expected.cells), f"{what}: cells differ: " + first_difference(
        got.cells, expected.cells, CELL_KEYS
    )
    assert got.quality == expected.quality, f"{what}: quality {got.quality} != {expected.quality}"


def population(seed: int, persons: int) -> jobindsats.Dataset:
    return jobindsats.Dataset.from_tables(**generate_tables(persons=persons, seed=seed))


def check_backends_equal(seed: int, persons: int, threads: int = 2) -> None:
    ds = population(seed, persons)
    cpp = jobindsats.measure(ds, start=START, end=END, backend="cpp", threads=threads)
    numba = jobindsats.measure(ds, start=START, end=END, backend="numba", threads=threads)
    # the comparison means something only on a real population
    assert cpp.persons.num_rows > 10 * persons
    assert cpp.quality["measured"] > 0
    assert cpp.quality["exempt"] > 0
    assert cpp.quality["excluded_age"] > 0
    assert_same_measurement(cpp, numba, f"seed={seed} persons={persons}: cpp vs numba")


@requires_core
@pytest.mark.parametrize(("seed", "persons"), CASES)
def test_cpp_equals_numba(seed: int, persons: int) -> None:
    check_backends_equal(seed, persons)


@pytest.mark.parametrize("backend", [pytest.param("cpp", marks=requires_core), "numba"])
def test_thread_count_does_not_matter(backend: str) -> None:
    ds = population(99, 3000)
    one = jobindsats.measure(ds, start=START, end=END, backend=backend, threads=1)
    two = jobindsats.measure(ds, start=START, end=END, backend=backend, threads=2)
    five = jobindsats.measure(ds, start=START, end=END, backend=backend, threads=5)
    assert one.persons.num_rows > 0
    assert_same_measurement(two, one, f"{backend}: threads 2 vs 1")
    assert_same_measurement(five, one, f"{backend}: threads 5 vs 1")


@requires_core
@pytest.mark.slow
def test_cpp_equals_numba_100k() -> None:
    """100,000 persons (about 2.2 million person-month rows): about a minute on 2 cores."""
    check_backends_equal(2024, 100_000)


@pytest.mark.parametrize("backend", [pytest.param("cpp", marks=requires_core), "numba"])
def test_chunk_size_does_not_matter(backend: str, monkeypatch) -> None:
    """Persons are measured in chunks (``CHUNK_PERSONS``); chunks of 97 persons, whose
    rows are converted and counted chunk by chunk, give the same measurement, and the
    §8 count of rows without a birth date equals a count from the person rows."""
    from jobindsats.kernels import backend as kernel_backend

    ds = population(7, 3000)
    whole = jobindsats.measure(ds, start=START, end=END, backend=backend, threads=2)
    monkeypatch.setattr(kernel_backend, "CHUNK_PERSONS", 97)
    chunked = jobindsats.measure(ds, start=START, end=END, backend=backend, threads=2)
    assert_same_measurement(chunked, whole, f"{backend}: chunks of 97 vs one chunk")
    no_birth = ds.person_ids[ds.kernel_arrays()["birth_date"] == np.iinfo(np.int32).min]
    assert no_birth.shape[0] > 0
    in_rows = np.isin(chunked.persons.column("person_id").to_numpy(), no_birth)
    assert chunked.quality["rows_without_birth_date"] == int(np.count_nonzero(in_rows)) > 0
