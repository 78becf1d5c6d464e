"""Properties of the measurement on small synthetic populations (hypothesis).

Each example generates a population with ``jobindsats.synth.generate_tables`` (50..400
persons, a random seed) and measures months inside 2019-01..2024-12. The properties:

* §8 conservation: every person × month × measured group (R1) is counted, exempt,
  excluded by age (R2) or excluded as a dead month (R3), and the R40 cells agree;
* the result does not depend on the order of the input rows or columns (§2);
* measuring two halves of the population and adding their cells gives the whole;
* the thread count and the backend (C++ / Numba) change nothing;
* the R40 cells are consistent with themselves (M2 = M1 sums, M3, M4, interval
  summaries, category breakdowns, national rows, group ``all``, D12) and with the R47
  person rows;
* a month's result does not depend on the run's month range.

Profiles (``tests/conftest.py``): ``HYPOTHESIS_PROFILE=soak`` for 500 examples each.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jobindsats
from compare import first_difference
from jobindsats.synth import generate_tables

try:
    importlib.import_module("jobindsats._core")
    HAVE_CORE = True
except ImportError:  # pragma: no cover - exercised only without the C++ build
    HAVE_CORE = False

requires_core = pytest.mark.skipif(not HAVE_CORE, reason="C++ core jobindsats._core is not built")
BACKENDS = [pytest.param("cpp", marks=requires_core), "numba"]

FIRST_MONTH = np.datetime64("2019-01", "M")
N_MONTHS = 72  # 2019-01..2024-12

N_COLUMNS = ["n0", "n1", "n2", "n3", "n4", "n5plus"]
COUNTS = [*N_COLUMNS, "persons", "lt4", "exempt", "interviews"]
# the R41/R43/R44 counts after share_lt4 (jobindsats.measure.activity_columns)
ACTIVITY = ["no_activation", *(f"passive_{w}" for w in ("1_5m", "3m", "6m", "9m", "12m"))]
ACTIVITY.append("samtaletal_met")
PERSON_KEYS = ["person_id", "month", "group"]
CELL_KEYS = ["month", "municipality", "group", "interval"]
FINE = ["<1", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"]
BANDS = ["1-2y", "3-5y", "6-9y", "10y+"]
GROUPS = [
    "dagpenge",
    "sygedagpenge",
    "kontanthjaelp",
    "uddannelseshjaelp",
    "overgangsydelse",
    "revalidering",
    "ressourceforloeb",
    "jobafklaring",
    "ledighedsydelse",
]
CATEGORY_GROUPS = ["kontanthjaelp", "uddannelseshjaelp", "overgangsydelse"]

# --- strategies and data -----------------------------------------------------------------

sizes = st.integers(50, 400)
seeds = st.integers(0, 10**6)


@st.composite
def month_ranges(draw: st.DrawFn) -> tuple[str, str]:
    """A run range inside 2019-01..2024-12 (1..72 months)."""
    first = draw(st.integers(0, N_MONTHS - 1))
    last = draw(st.integers(first, N_MONTHS - 1))
    return month(first), month(last)


def month(i: int) -> str:
    return str(FIRST_MONTH + i)


@functools.lru_cache(maxsize=16)
def tables(persons: int, seed: int) -> dict[str, pa.Table]:
    return generate_tables(persons=persons, seed=seed)


def dataset(persons: int, seed: int) -> jobindsats.Dataset:
    return jobindsats.Dataset.from_tables(**tables(persons, seed))


def run(ds: jobindsats.Dataset, months: tuple[str, str], backend: str, threads: int = 2) -> Any:
    return jobindsats.measure(ds, start=months[0], end=months[1], backend=backend, threads=threads)


# --- comparison helpers ------------------------------------------------------------------


def assert_tables_equal(got: pa.Table, expected: pa.Table, keys: list[str], what: str) -> None:
    assert got.equals(expected), f"{what}: " + first_difference(got, expected, keys)


def assert_same_measurement(got: Any, expected: Any, what: str) -> None:
    assert_tables_equal(got.persons, expected.persons, PERSON_KEYS, f"{what}: persons")
    assert_tables_equal(got.cells, expected.cells, CELL_KEYS, f"{what}: cells")
    assert got.quality == expected.quality, f"{what}: quality {got.quality} != {expected.quality}"


def decoded(table: pa.Table) -> pa.Table:
    """Dictionary-encoded string columns (the R47 table's enumerations) as plain strings."""
    schema = pa.schema(
        [
            f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f
            for f in table.schema
        ]
    )
    return table.cast(schema)


def sort(table: pa.Table, keys: list[str]) -> pa.Table:
    return decoded(table).sort_by([(k, "ascending") for k in keys])


def share(lt4: np.ndarray, persons: np.ndarray) -> pa.Array:
    """M4 as R40 defines it: lt4 / persons, null when persons = 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(persons > 0, lt4 / np.maximum(persons, 1), np.nan)
    return pa.array(value, pa.float64(), mask=persons == 0)


def add_cells(parts: list[pa.Table]) -> pa.Table:
    """The cells of a union of disjoint populations: outer join on the keys, counts added,
    M4 recomputed; sorted by the keys."""
    both = pa.concat_tables(parts)
    summed = both.group_by(CELL_KEYS).aggregate([(c, "sum") for c in COUNTS + ACTIVITY])
    summed = summed.rename_columns([name.removesuffix("_sum") for name in summed.column_names])
    lt4 = summed.column("lt4").to_numpy()
    persons = summed.column("persons").to_numpy()
    counts = summed.select([*CELL_KEYS, *COUNTS]).append_column("share_lt4", share(lt4, persons))
    for name in ACTIVITY:
        counts = counts.append_column(name, summed.column(name))
    return sort(counts, CELL_KEYS)


def count_frame(cells: pa.Table) -> pd.DataFrame:
    """The count columns of the cells, indexed by the cell keys."""
    return cells.select([*CELL_KEYS, *COUNTS]).to_pandas().set_index(CELL_KEYS)


def assert_counts_equal(got: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    """Equal counts on the union of both indexes (a missing cell is all zeros)."""
    index = got.index.union(expected.index)
    a = got.reindex(index, fill_value=0)[COUNTS].astype(np.int64)
    b = expected.reindex(index, fill_value=0)[COUNTS].astype(np.int64)
    bad = (a != b).any(axis=1)
    assert not bad.any(), (
        f"{what}: {int(bad.sum())} cell(s) differ, e.g.\n"
        f"{pd.concat({'got': a[bad], 'expected': b[bad]}, axis=1).head(5).to_string()}"
    )


def sums(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return df.groupby(by, sort=True)[COUNTS].sum()


# --- §8 conservation -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds, months=month_ranges())
def test_conservation(backend: str, persons: int, seed: int, months: tuple[str, str]) -> None:
    m = run(dataset(persons, seed), months, backend)
    q = m.quality
    rows = m.persons
    assert q["population"] == rows.num_rows
    assert (
        q["measured"] + q["exempt"] + q["excluded_age"] + q["excluded_dead_month"]
        == q["population"]
    )
    assert q["conserved"] is True
    # "exactly one": one R47 row per person × month × group
    assert rows.group_by(PERSON_KEYS).aggregate([]).num_rows == rows.num_rows

    # the four counts as seen in the R47 rows
    excluded = rows.column("excluded")
    exempt = rows.column("exempt")
    kept = pc.is_null(excluded)
    assert q["excluded_age"] == (pc.sum(pc.equal(excluded, "age")).as_py() or 0)
    assert q["excluded_dead_month"] == (pc.sum(pc.equal(excluded, "dead_month")).as_py() or 0)
    assert q["exempt"] == rows.filter(pc.and_(kept, exempt)).num_rows
    assert q["measured"] == rows.filter(pc.and_(kept, pc.invert(exempt))).num_rows

    # cells: national × all × (under12 + the year bands) is every non-excluded row once
    c = m.cells.to_pandas()
    top = c[(c.municipality == 0) & (c.group == "all") & c.interval.isin(["under12", *BANDS])]
    per_month = (top.persons + top.exempt).groupby(top.month).sum()
    kept_rows = decoded(rows.filter(kept)).to_pandas()
    expected = kept_rows.groupby("month").size()
    pd.testing.assert_series_equal(
        per_month.sort_index(), expected.sort_index(), check_names=False, check_dtype=False
    )
    assert int(top.persons.sum()) == q["measured"]
    assert int(top.exempt.sum()) == q["exempt"]


# --- input row order ------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds, shuffle=st.integers(0, 2**32 - 1), months=month_ranges())
def test_input_row_and_column_order_does_not_matter(
    backend: str, persons: int, seed: int, shuffle: int, months: tuple[str, str]
) -> None:
    rng = np.random.default_rng(shuffle)
    original = tables(persons, seed)
    shuffled = {}
    for name, table in original.items():
        rows = table.take(pa.array(rng.permutation(table.num_rows), pa.int64()))
        columns = list(rng.permutation(table.column_names))
        shuffled[name] = rows.select(columns)
    base = run(jobindsats.Dataset.from_tables(**original), months, backend)
    other = run(jobindsats.Dataset.from_tables(**shuffled), months, backend)
    assert_same_measurement(other, base, f"persons={persons} seed={seed} shuffle={shuffle}")


# --- splitting the population -----------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(
    persons=sizes,
    seed=seeds,
    split=st.integers(0, 2**32 - 1),
    fraction=st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.8, 1.0]),
    months=month_ranges(),
)
def test_two_halves_add_up_to_the_whole(
    backend: str, persons: int, seed: int, split: int, fraction: float, months: tuple[str, str]
) -> None:
    ds = dataset(persons, seed)
    mask = np.random.default_rng(split).random(ds.n_persons) < fraction
    whole = run(ds, months, backend)
    halves = [run(ds.select_persons(mask), months, backend)]
    halves.append(run(ds.select_persons(~mask), months, backend))
    what = f"persons={persons} seed={seed} split={split} fraction={fraction}"

    joined = sort(pa.concat_tables([h.persons for h in halves]), PERSON_KEYS)
    assert_tables_equal(joined, sort(whole.persons, PERSON_KEYS), PERSON_KEYS, what)

    added = add_cells([h.cells for h in halves])
    assert_tables_equal(added, sort(whole.cells, CELL_KEYS), CELL_KEYS, what)

    for key, value in whole.quality.items():
        if isinstance(value, bool):
            assert all(h.quality[key] is True for h in halves) is value, key
        elif isinstance(value, int):
            assert sum(h.quality[key] for h in halves) == value, (what, key)


# --- threads and backends -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds)
def test_thread_count_does_not_matter(backend: str, persons: int, seed: int) -> None:
    ds = dataset(persons, seed)
    months = ("2019-01", "2024-12")
    one = run(ds, months, backend, threads=1)
    two = run(ds, months, backend, threads=2)
    assert_same_measurement(two, one, f"{backend} persons={persons} seed={seed}: threads 2 vs 1")


@requires_core
@given(persons=sizes, seed=seeds)
def test_cpp_equals_numba(persons: int, seed: int) -> None:
    ds = dataset(persons, seed)
    months = ("2019-01", "2024-12")
    cpp = run(ds, months, "cpp")
    numba = run(ds, months, "numba")
    assert cpp.persons.num_rows > 0
    assert_same_measurement(cpp, numba, f"persons={persons} seed={seed}: cpp vs numba")


# --- the cells are consistent ----------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds, months=month_ranges())
def test_cells_are_consistent(
    backend: str, persons: int, seed: int, months: tuple[str, str]
) -> None:
    cells = run(dataset(persons, seed), months, backend).cells
    c = cells.to_pandas()
    assert len(c) > 0
    assert not c.duplicated(CELL_KEYS).any()
    assert (c[COUNTS] >= 0).all().all()

    # M2 = n0 + ... + n5plus, M3 = n0 + ... + n3, M4 = M3 / M2 (null when M2 = 0)
    assert (c[N_COLUMNS].sum(axis=1) == c.persons).all()
    assert (c[["n0", "n1", "n2", "n3"]].sum(axis=1) == c.lt4).all()
    assert (
        cells.column("share_lt4")
        .combine_chunks()
        .equals(share(c.lt4.to_numpy(), c.persons.to_numpy()))
    )
    has = c.persons > 0
    assert np.array_equal(c.share_lt4[has].to_numpy(), (c.lt4[has] / c.persons[has]).to_numpy())
    assert c.share_lt4[~has].isna().all()

    # interval summaries (R12): the fine months sum to under12, the year bands to 12+
    cell = ["month", "municipality", "group"]
    fine = sums(c[c.interval.isin(FINE)], cell)
    under12 = sums(c[c.interval == "under12"], cell)
    assert_counts_equal(fine, under12, "fine intervals vs under12")
    bands = sums(c[c.interval.isin(BANDS)], cell)
    over12 = sums(c[c.interval == "12+"], cell)
    assert_counts_equal(bands, over12, "year bands vs 12+")

    # national rows (municipality 0) are the sum over the municipalities (R40, R42)
    national = c[c.municipality == 0].set_index(["month", "group", "interval"])[COUNTS]
    local = sums(c[c.municipality != 0], ["month", "group", "interval"])
    assert_counts_equal(local, national, "municipalities vs national")

    # a category breakdown g/c is part of g: their sum is at most g, column by column
    keys = ["month", "municipality", "interval"]
    for g in CATEGORY_GROUPS:
        whole = c[c.group == g].set_index(keys)[COUNTS]
        parts = sums(c[c.group.str.startswith(f"{g}/")], keys)
        index = whole.index.union(parts.index)
        assert (
            (parts.reindex(index, fill_value=0) <= whole.reindex(index, fill_value=0)).all().all()
        ), g

    # D12: group all is the sum of the group rows (not of the breakdowns)
    all_rows = c[c.group == "all"].set_index(keys)[COUNTS]
    group_sum = sums(c[c.group.isin(GROUPS)], keys)
    assert_counts_equal(group_sum, all_rows, "groups vs all")


def year_band(days: pd.Series) -> pd.Series:
    """R12 year bands of a day duration of 365 days or more."""
    return pd.Series(
        np.select(
            [days < 1095, days < 2190, days < 3650], ["1-2y", "3-5y", "6-9y"], default="10y+"
        ),
        index=days.index,
    )


def cells_from_person_rows(persons: pa.Table) -> pd.DataFrame:
    """R40 rebuilt from the R47 rows, except the year bands of dagpenge and ``all``
    (their hour bands need the part-time status, which R47 does not carry)."""
    df = decoded(persons.filter(pc.is_null(persons.column("excluded")))).to_pandas()
    exempt = df.exempt.to_numpy()
    counted = df.counted.to_numpy().astype(np.int64)
    capped = np.minimum(counted, 5)
    measures = pd.DataFrame(index=df.index)
    for k, name in enumerate(N_COLUMNS):
        measures[name] = (~exempt & (capped == k)).astype(np.int64)
    measures["persons"] = (~exempt).astype(np.int64)
    measures["lt4"] = (~exempt & (capped < 4)).astype(np.int64)
    measures["exempt"] = exempt.astype(np.int64)
    measures["interviews"] = np.where(exempt, 0, counted)

    has_category = df.category.notna()
    groups = [
        (df.group, pd.Series(True, index=df.index)),
        (pd.Series("all", index=df.index), pd.Series(True, index=df.index)),
        (df.group + "/" + df.category.fillna(""), has_category),
    ]
    over12 = df.interval == "12+"
    band = year_band(df.duration_days.fillna(0))
    frames = []
    for muni in (df.municipality, pd.Series(0, index=df.index, dtype=df.municipality.dtype)):
        for group, group_ok in groups:
            not_dp = (df.group != "dagpenge") & (group != "all")
            intervals = [
                (df.interval, pd.Series(True, index=df.index)),
                (pd.Series("under12", index=df.index), ~over12),
                (band, over12 & not_dp),
            ]
            for interval, interval_ok in intervals:
                ok = (group_ok & interval_ok).to_numpy()
                frames.append(
                    pd.DataFrame(
                        {
                            "month": df.month[ok],
                            "municipality": muni[ok],
                            "group": group[ok],
                            "interval": interval[ok],
                        }
                    ).join(measures[ok])
                )
    return sums(pd.concat(frames, ignore_index=True), CELL_KEYS)


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds, months=month_ranges())
def test_cells_are_the_sums_of_the_person_rows(
    backend: str, persons: int, seed: int, months: tuple[str, str]
) -> None:
    m = run(dataset(persons, seed), months, backend)
    got = count_frame(m.cells)
    hour_bands = got.index.get_level_values("interval").isin(BANDS) & got.index.get_level_values(
        "group"
    ).isin(["dagpenge", "all"])
    assert_counts_equal(got[~hour_bands], cells_from_person_rows(m.persons), "cells vs R47 rows")


# --- the run's month range --------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@given(persons=sizes, seed=seeds, months=month_ranges())
def test_a_month_does_not_depend_on_the_run_range(
    backend: str, persons: int, seed: int, months: tuple[str, str]
) -> None:
    ds = dataset(persons, seed)
    full = run(ds, ("2019-01", "2024-12"), backend)
    part = run(ds, months, backend)
    lo = pa.scalar(np.datetime64(months[0], "D").astype(object), pa.date32())
    hi = pa.scalar(
        (np.datetime64(months[1], "M") + 1).astype("datetime64[D]").astype(object), pa.date32()
    )

    def inside(t: pa.Table) -> pa.Table:
        return t.filter(
            pc.and_(pc.greater_equal(t.column("month"), lo), pc.less(t.column("month"), hi))
        )

    what = f"persons={persons} seed={seed} months={months}"
    assert_tables_equal(part.persons, inside(full.persons), PERSON_KEYS, what)
    assert_tables_equal(part.cells, inside(full.cells), CELL_KEYS, what)
