"""The focus audit (SPEC R45) on generated populations: the C++ kernel equals its Numba
twin; in-memory, streamed person buckets and jobindsats.dask give identical tables; thread
count and chunk size change nothing; and the tables conserve what they should (national =
the sum of the municipalities, the seniority groups add up to ``all`` for every count that
is a sum over weeks or interviews)."""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import jobindsats
from jobindsats.audit import AUDIT_SCHEMAS
from jobindsats.synth import generate_tables, synthesize

PERIODS = ["2019-01-01:2019-12-31", "2021-09-01:2022-08-31"]  # the seed's before / after
#: the module (``jobindsats.audit`` is the function of the same name)
audit_module = importlib.import_module("jobindsats.audit")
FINE = ("0-3", "3-6", "6-12", "12-18", "18-24", "24+")


@pytest.fixture(scope="module")
def population() -> jobindsats.Dataset:
    return jobindsats.Dataset.from_tables(**generate_tables(persons=3000, seed=17))


@pytest.fixture(scope="module")
def dagpenge(population: jobindsats.Dataset) -> jobindsats.AuditResult:
    return jobindsats.audit(population, "dagpenge", PERIODS, backend="cpp", threads=2)


def assert_same(got: jobindsats.AuditResult, expected: jobindsats.AuditResult, what: str) -> None:
    for name, table in expected.tables().items():
        other = got.tables()[name]
        assert other.equals(table), (
            f"{what}: {name} differs ({other.num_rows} vs {table.num_rows} rows)"
        )
    assert got.messages == expected.messages


# --- cpp == numba --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "persons", "group", "category"),
    [
        (17, 3000, "dagpenge", None),
        (5, 2000, "kontanthjaelp", "aktivitetsparat"),
        (5, 2000, "sygedagpenge", None),
        (20160229, 2000, "uddannelseshjaelp", None),
    ],
)
def test_cpp_equals_numba(seed: int, persons: int, group: str, category: str | None) -> None:
    ds = jobindsats.Dataset.from_tables(**generate_tables(persons=persons, seed=seed))
    cpp = jobindsats.audit(ds, group, PERIODS, category=category, backend="cpp", threads=2)
    numba = jobindsats.audit(ds, group, PERIODS, category=category, backend="numba", threads=2)
    assert cpp.intensity.num_rows > 20  # a real population
    assert_same(numba, cpp, f"numba vs cpp ({group})")


def test_thread_count_and_chunk_size_change_nothing(population, dagpenge, monkeypatch):
    for backend in ("cpp", "numba"):
        one_thread = jobindsats.audit(population, "dagpenge", PERIODS, backend=backend, threads=1)
        assert_same(one_thread, dagpenge, f"{backend}, 1 thread")
    monkeypatch.setattr(audit_module, "CHUNK_PERSONS", 97)
    small_chunks = jobindsats.audit(population, "dagpenge", PERIODS, backend="cpp", threads=2)
    assert_same(small_chunks, dagpenge, "chunks of 97 persons")


# --- in memory == buckets == dask ----------------------------------------------------------


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory) -> Any:
    root = tmp_path_factory.mktemp("audit")
    synthesize(root / "plain", 2500, 23, "2016-01-01", "2022-12-31")
    synthesize(root / "bucketed", 2500, 23, "2016-01-01", "2022-12-31", buckets=4)
    return root


def test_buckets_and_dask_equal_the_in_memory_run(on_disk):
    dask = pytest.importorskip("dask")
    import jobindsats.dask

    expected = jobindsats.audit(on_disk / "plain", "dagpenge", PERIODS, backend="cpp")
    assert expected.joint.num_rows > 0
    streamed = jobindsats.audit(on_disk / "bucketed", "dagpenge", PERIODS, backend="cpp")
    assert_same(streamed, expected, "buckets")
    with dask.config.set(scheduler="synchronous"):
        distributed = jobindsats.dask.audit(on_disk / "bucketed", "dagpenge", PERIODS,
                                            backend="numba")  # fmt: skip
    assert_same(distributed, expected, "dask (numba tasks)")


# --- non-trivial on synthetic data -----------------------------------------------------------


def test_every_table_is_non_trivial_on_synthetic_data(dagpenge):
    for name, table in dagpenge.tables().items():
        assert table.num_rows > 0, name
        assert table.schema.equals(AUDIT_SCHEMAS[name]), name
    assert set(pc.unique(dagpenge.joint["participation"]).to_pylist()) == {
        "both", "akasse_only", "jobcenter_only", "neither"
    }  # fmt: skip
    assert pc.max(dagpenge.joint["count"]).as_py() > 0
    assert {"1st", "2nd", "3rd"} <= set(dagpenge.entitlement["which"].to_pylist())
    assert pc.sum(dagpenge.entitlement["had"]).as_py() > 0
    kinds = dagpenge.activation_kinds.filter(pc.greater(dagpenge.activation_kinds["weeks"], 0))
    assert len(set(kinds["kind"].to_pylist())) >= 3
    for dimension in ("sex", "age_band", "origin", "education"):
        values = dagpenge.subgroups.filter(pc.equal(dagpenge.subgroups["dimension"], dimension))
        assert values.num_rows >= 4 if dimension != "sex" else values.num_rows >= 2
    assert dagpenge.change.num_rows > 0
    assert pc.count(dagpenge.change["rank"]).as_py() > 0


# --- conservation ------------------------------------------------------------------------------


def _sums(table: pa.Table, keys: list[str], values: list[str]) -> dict[tuple, tuple]:
    grouped = table.group_by(keys).aggregate([(v, "sum") for v in values])
    d = grouped.to_pydict()
    return {
        tuple(d[k][i] for k in keys): tuple(d[f"{v}_sum"][i] for v in values)
        for i in range(grouped.num_rows)
    }


def _split(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    national = pc.equal(table["municipality"], 0)
    return table.filter(national), table.filter(pc.invert(national))


@pytest.mark.parametrize(
    ("name", "keys", "values"),
    [
        ("intensity", ["period", "seniority"], ["benefit_weeks", "interviews"]),
        ("activation", ["period", "seniority"], ["benefit_weeks", "activation_weeks"]),
        ("activation_kinds", ["period", "seniority", "kind"], ["weeks"]),
        ("mix", ["period", "dimension", "value"], ["count"]),
        ("joint", ["period", "seniority", "participation"], ["count"]),
        ("entitlement", ["period", "which"], ["entitled", "had"]),
    ],
)
def test_national_is_the_sum_of_the_municipalities(dagpenge, name, keys, values):
    national, municipal = _split(dagpenge.tables()[name])
    assert national.num_rows > 0
    assert _sums(national, keys, values) == _sums(municipal, keys, values)


def test_persons_count_once_nationally_and_at_least_once_per_municipality(dagpenge):
    national, municipal = _split(dagpenge.activation)
    per_muni = _sums(municipal, ["period", "seniority"], ["persons", "touched"])
    for key, (persons, touched) in _sums(national, ["period", "seniority"],
                                         ["persons", "touched"]).items():  # fmt: skip
        assert persons <= per_muni[key][0]  # movers count in each municipality
        assert touched <= per_muni[key][1]
        assert touched <= persons


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("intensity", ["benefit_weeks", "interviews"]),
        ("activation", ["benefit_weeks", "activation_weeks"]),
        ("joint", ["count"]),
    ],
)
def test_seniority_groups_add_up_to_all(dagpenge, name, values):
    table = dagpenge.tables()[name]
    keys = ["period", "municipality"] + (["participation"] if name == "joint" else [])

    def total(groups: tuple[str, ...]) -> dict[tuple, tuple]:
        return _sums(table.filter(pc.is_in(table["seniority"], pa.array(groups))), keys, values)

    everything = total(("all",))
    assert total(FINE) == everything
    assert total(("under6", "6+")) == everything
    assert total(("0-3", "3-6")) == total(("under6",))


def test_persons_of_all_are_at_most_the_sum_of_the_groups(dagpenge):
    # a person who moves between seniority groups counts in each, and once in all (R45.5)
    table = dagpenge.activation
    by = {(r["period"], r["municipality"], r["seniority"]): r["persons"] for r in table.to_pylist()}
    moved = 0
    for (period, muni, seniority), persons in by.items():
        if seniority != "all":
            continue
        fine = sum(by.get((period, muni, s), 0) for s in FINE)
        coarse = [by.get((period, muni, s), 0) for s in ("under6", "6+")]
        assert max(coarse) <= persons <= fine
        moved += fine - persons
    assert moved > 0  # the population has movers, so the bound is tested


def test_subgroups_add_up_to_the_national_all_row(dagpenge):
    national = {
        r["period"]: r
        for r in dagpenge.activation.to_pylist()
        if r["municipality"] == 0 and r["seniority"] == "all"
    }
    weeks = {r["period"]: r for r in dagpenge.intensity.to_pylist()
             if r["municipality"] == 0 and r["seniority"] == "all"}  # fmt: skip
    for dimension in ("sex", "age_band", "origin", "education"):
        table = dagpenge.subgroups.filter(pc.equal(dagpenge.subgroups["dimension"], dimension))
        got = _sums(table, ["period"], ["persons", "touched", "benefit_weeks",
                                        "activation_weeks", "interviews"])  # fmt: skip
        for period, row in national.items():
            assert got[(period,)] == (
                row["persons"], row["touched"], row["benefit_weeks"], row["activation_weeks"],
                weeks[period]["interviews"],
            ), dimension  # fmt: skip


def test_spread_counts_the_persons_of_the_activation_table(dagpenge):
    persons = {(r["period"], r["seniority"]): r["persons"] for r in dagpenge.activation.to_pylist()
               if r["municipality"] == 0}  # fmt: skip
    for r in dagpenge.intensity_spread.to_pylist():
        assert r["n_persons"] == persons[(r["period"], r["seniority"])]
        assert r["q25"] <= r["q75"]
        assert r["fewest_n"] >= np.ceil(0.25 * r["n_persons"])
        assert r["most_n"] >= r["n_persons"] - np.ceil(0.75 * r["n_persons"]) + 1


# --- against a plain-Python reading of R45.1/R45.3/R45.5 ---------------------------------------


def _reference_totals(benefits, interviews, offers, start: int, end: int) -> tuple[int, ...]:
    """Benefit weeks, their interviews and activation weeks, persons and touched persons,
    for persons with one benefit only (so every paid day is a main-benefit day), read
    straight off R45.1 (Monday-Sunday weeks whose Thursday is in [start, end], day numbers;
    1970-01-01 was a Thursday), R45.3 and R45.5 with Python sets."""
    weeks = ivs = active_weeks = persons = touched = 0
    for p in sorted({b[0] for b in benefits}):
        days = {d for q, a, b in benefits if q == p for d in range(a, b + 1)}
        offer_days = {d for q, a, b in offers if q == p for d in range(a, b + 1)}
        iv_days = [d for q, d in interviews if q == p]
        mine = active_mine = 0
        for thursday in range(-(-start // 7) * 7, end + 1, 7):
            week = range(thursday - 3, thursday + 4)
            if not days.intersection(week):
                continue
            mine += 1
            ivs += sum(1 for d in iv_days if d in week)
            if offer_days.intersection(week):
                active_mine += 1
        weeks += mine
        active_weeks += active_mine
        persons += mine > 0
        touched += active_mine > 0
    return weeks, ivs, active_weeks, persons, touched


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weeks_interviews_and_offers_match_a_plain_reading(backend, seed):
    import datetime as dt

    from builders import benefit, dataset, interview, offer

    rng = np.random.default_rng(seed)
    epoch = dt.date(1970, 1, 1)

    def iso(day: int) -> str:
        return (epoch + dt.timedelta(days=int(day))).isoformat()

    base = (dt.date(2019, 1, 1) - epoch).days
    benefits, interviews, offers = [], [], []
    for p in range(1, 61):
        at = base + int(rng.integers(-60, 60))
        for _ in range(int(rng.integers(1, 5))):  # a few rows with gaps of 0..40 days
            length = int(rng.integers(1, 90))
            benefits.append((p, at, at + length - 1))
            at += length + int(rng.integers(0, 40))
        for _ in range(int(rng.integers(0, 12))):
            interviews.append((p, base + int(rng.integers(-80, 400))))
        for _ in range(int(rng.integers(0, 3))):
            a = base + int(rng.integers(-80, 400))
            offers.append((p, a, a + int(rng.integers(0, 20))))
    start = base + int(rng.integers(0, 30))
    end = start + int(rng.integers(20, 300))
    ds = dataset(
        benefits=[benefit("kontanthjaelp", iso(a), iso(b), person=p) for p, a, b in benefits],
        interviews=[interview(iso(d), person=p) for p, d in interviews],
        offers=[offer(iso(a), iso(b), person=p) for p, a, b in offers],
    )
    r = jobindsats.audit(ds, "kontanthjaelp", f"{iso(start)}:{iso(end)}", backend=backend)
    intensity = [x for x in r.intensity.to_pylist()
                 if x["municipality"] == 0 and x["seniority"] == "all"]  # fmt: skip
    activation = [x for x in r.activation.to_pylist()
                  if x["municipality"] == 0 and x["seniority"] == "all"]  # fmt: skip
    got = (intensity[0]["benefit_weeks"], intensity[0]["interviews"],
           activation[0]["activation_weeks"], activation[0]["persons"], activation[0]["touched"])  # fmt: skip
    expected = _reference_totals(benefits, interviews, offers, start, end)
    assert min(expected) > 0  # a real case: weeks, interviews, offers, persons
    assert got == expected


def test_dask_partitioned_dataframes_and_progress(on_disk):
    dask = pytest.importorskip("dask")
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    import jobindsats.dask

    seen: list[tuple[int, int]] = []
    expected = jobindsats.audit(on_disk / "plain", "dagpenge", PERIODS, backend="cpp",
                                progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert seen[-1][0] == seen[-1][1] > 0
    tables = jobindsats.io.read_tables(on_disk / "plain")

    def by_person(name: str) -> Any:
        frame = tables[name].to_pandas(types_mapper=pd.ArrowDtype)
        bucket = frame["person_id"].to_numpy() % 3
        return dd.from_map(lambda i: frame[bucket == i], [0, 1, 2])

    ddfs = {name: by_person(name) for name in tables}
    with dask.config.set(scheduler="synchronous"):
        got = jobindsats.dask.audit(ddfs, "dagpenge", PERIODS, backend="cpp")
    assert_same(got, expected, "dask partitions")
