"""The compiled reading path (``jobindsats.encode``, ``cpp/encode``, ``cpp/sort``'s order
plan, ``cpp/person_index``) gives exactly what the general path gives (issue 16).

Parquet whose columns have their canonical physical types is encoded, checked and (if
not in canonical row order) sorted by compiled code; anything it finds suspicious is
handed to the general code (:mod:`jobindsats.normalise`), which words the error. Here:
the datasets are equal (tables, person index, kernel arrays) to ``Dataset.from_tables``
on the same rows, sorted, shuffled, with nulls, absent optional columns and ties; the
fast path is really taken; bad values give the general path's error; the order plan
moves columns exactly as a gather by ``sort_permutation`` would.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jobindsats
from jobindsats import Dataset, InputError, encode, normalise, sorting
from jobindsats.synth import synthesize

try:
    core = importlib.import_module("jobindsats._core")
except ImportError:  # pragma: no cover - exercised only without the C++ build
    core = None

pytestmark = pytest.mark.skipif(core is None, reason="C++ core jobindsats._core is not built")


def read_raw(path: Path) -> dict[str, pa.Table]:
    return {file.stem: pq.read_table(file) for file in sorted(path.glob("*.parquet"))}


def general(raw: dict[str, pa.Table]) -> Dataset:
    """The general path: ``Dataset.from_tables`` on string columns (never the fast one)."""
    return Dataset.from_tables(**raw)


def assert_same(got: Dataset, want: Dataset) -> None:
    assert got.equals(want)
    for name, table in want.tables.items():
        assert got.tables[name].schema.equals(table.schema), name
        for column in table.column_names:
            assert got.tables[name].column(column).null_count == table.column(column).null_count
    a, b = got.kernel_arrays(), want.kernel_arrays()
    assert a.keys() == b.keys()
    for key in a:
        assert a[key].dtype == b[key].dtype, key
        assert np.array_equal(a[key], b[key]), key


def shuffled(table: pa.Table, seed: int) -> pa.Table:
    return table.take(np.random.default_rng(seed).permutation(table.num_rows))


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fast") / "pop"
    synthesize(path, persons=300, seed=7)
    return path


@pytest.fixture
def fast_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tables the compiled path read."""
    seen: list[str] = []
    read_table = encode.read_table

    def recording(core_, table, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(table)
        return read_table(core_, table, *args, **kwargs)

    monkeypatch.setattr(encode, "read_table", recording)
    return seen


@pytest.mark.parametrize("threads", [1, 2])
def test_sorted_files_take_the_fast_path_and_equal_the_general_one(
    population: Path, fast_calls: list[str], threads: int
) -> None:
    got = jobindsats.read_dataset(population, threads=threads)
    # (persons holds free strings here, sex etc.: the general path reads those)
    assert set(fast_calls) == {f.stem for f in population.glob("*.parquet")} - {"persons"}
    assert_same(got, general(read_raw(population)))


@pytest.mark.parametrize("threads", [1, 2])
def test_shuffled_files_are_sorted_by_the_order_plan(
    population: Path, tmp_path: Path, fast_calls: list[str], threads: int
) -> None:
    raw = read_raw(population)
    for name, table in raw.items():
        pq.write_table(shuffled(table, seed=len(name)), tmp_path / f"{name}.parquet")
    got = jobindsats.read_dataset(tmp_path, threads=threads)
    assert "benefits" in fast_calls
    assert_same(got, general(raw))


@pytest.mark.parametrize("person_sorted", [False, True])
def test_sparse_ids_are_sorted_by_the_permutation(
    population: Path, tmp_path: Path, fast_calls: list[str], person_sorted: bool
) -> None:
    """Ids too far apart for the order plan: the permutation (gathered) sorts them, and
    rows in person order but not by date within a person are sorted too."""
    raw = {}
    for name, table in read_raw(population).items():
        ids = table.column("person_id").to_numpy() * 2**33 + 7
        at = table.column_names.index("person_id")
        table = table.set_column(at, "person_id", pa.array(ids, pa.int64()))
        if person_sorted:  # (each person's rows reversed: in person order, not by date)
            table = table.take(np.lexsort((-np.arange(table.num_rows), ids)))
        else:
            table = shuffled(table, seed=len(name))
        raw[name] = table
        pq.write_table(table, tmp_path / f"{name}.parquet")
    got = jobindsats.read_dataset(tmp_path, threads=2)
    assert "benefits" in fast_calls
    assert_same(got, general(raw))


def with_nulls_and_ties(benefits: pa.Table) -> pa.Table:
    """Benefit rows with null hours and part_time, and rows tied on (person, start)."""
    n = benefits.num_rows
    rng = np.random.default_rng(3)
    hours = benefits.column("hours").to_numpy(zero_copy_only=False).copy()
    was_null = np.asarray(benefits.column("hours").is_null().to_numpy(zero_copy_only=False))
    hours_null = (rng.random(n) < 0.3) | was_null
    part_time = np.asarray(benefits.column("part_time").to_pylist(), dtype=object)
    part_null = rng.random(n) < 0.3
    hours[rng.random(n) < 0.05] = -0.0  # one zero after normalisation
    columns = dict(zip(benefits.column_names, benefits.columns, strict=True))
    columns["hours"] = pa.array(hours, mask=hours_null)
    columns["part_time"] = pa.array(
        [None if m else v for v, m in zip(part_time, part_null, strict=True)]
    )
    table = pa.table(columns)
    # duplicate a fifth of the rows with another end: ties on (person, start)
    extra = table.take(np.flatnonzero(rng.random(n) < 0.2))
    end = pa.array(extra.column("end").to_numpy(zero_copy_only=False) + np.timedelta64(1, "D"))
    extra = extra.set_column(extra.column_names.index("end"), "end", end)
    return pa.concat_tables([table, extra])


@pytest.mark.parametrize("shuffle", [False, True])
def test_nulls_ties_and_negative_zero_as_the_general_path(
    population: Path, tmp_path: Path, fast_calls: list[str], shuffle: bool
) -> None:
    raw = read_raw(population)
    raw["benefits"] = with_nulls_and_ties(raw["benefits"])
    if not shuffle:
        raw["benefits"] = raw["benefits"].sort_by([("person_id", "ascending")])
    for name, table in raw.items():
        written = shuffled(table, seed=1) if shuffle else table
        pq.write_table(written, tmp_path / f"{name}.parquet", row_group_size=5000)
    got = jobindsats.read_dataset(tmp_path, threads=2)
    assert "benefits" in fast_calls
    assert got.tables["benefits"].column("hours").null_count > 0
    assert got.tables["benefits"].column("part_time").null_count > 0
    assert_same(got, general(raw))


def test_absent_optional_columns_get_their_defaults(
    population: Path, tmp_path: Path, fast_calls: list[str]
) -> None:
    raw = read_raw(population)
    raw["benefits"] = raw["benefits"].drop_columns(["hours", "part_time", "supplementary"])
    raw["interviews"] = raw["interviews"].drop_columns(["joint", "jobcenter_present"])
    for name, table in raw.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    got = jobindsats.read_dataset(tmp_path, threads=2)
    assert {"benefits", "interviews"} <= set(fast_calls)
    assert_same(got, general(raw))


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("benefits", "start", np.datetime64("1850-01-01")),
        ("benefits", "benefit", "no such benefit"),
        ("benefits", "hours", float("nan")),
        ("interviews", "municipality", 999),
        ("exemptions", "end", np.datetime64("1990-01-01")),
    ],
)
def test_bad_values_give_the_general_paths_error(
    population: Path, tmp_path: Path, table: str, column: str, value: object
) -> None:
    raw = read_raw(population)
    bad = raw[table].to_pydict()
    for row in (3, 10):
        bad[column][row] = value.item() if isinstance(value, np.generic) else value
    raw[table] = pa.table(bad, schema=raw[table].schema)
    for name, t in raw.items():
        pq.write_table(t, tmp_path / f"{name}.parquet")
    with pytest.raises(InputError) as general_error:
        general(raw)
    with pytest.raises(InputError) as read_error:
        jobindsats.read_dataset(tmp_path, threads=2)
    assert str(read_error.value) == str(general_error.value)
    assert f"{table}." in str(read_error.value)


def test_other_types_take_the_general_path(
    population: Path, tmp_path: Path, fast_calls: list[str]
) -> None:
    raw = read_raw(population)
    raw["mii"] = raw["mii"].cast(
        pa.schema([("person_id", pa.int32()), *list(raw["mii"].schema)[1:]])
    )
    for name, table in raw.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    got = jobindsats.read_dataset(tmp_path, threads=2)
    assert "mii" not in fast_calls
    assert "benefits" in fast_calls
    assert_same(got, general(raw))


def with_ids_from(table: pa.Table, ids: np.ndarray) -> pa.Table:
    """``table`` whose person_id column is the memory of ``ids`` itself (no copy)."""
    column = pa.Array.from_buffers(pa.int64(), len(ids), [None, pa.py_buffer(ids)])
    out = table.set_column(table.column_names.index("person_id"), "person_id", column)
    view = sorting.sort_key_views(out, ["person_id"])[0][1]
    assert view.ctypes.data == ids.ctypes.data
    return out


@pytest.mark.parametrize("threads", [1, 2])
def test_order_plan_moves_columns_as_the_permutation(threads: int) -> None:
    rng = np.random.default_rng(11)
    n = 200_000  # (above the two-thread threshold)
    table = pa.table(
        {
            "person_id": pa.array(rng.integers(5, 3000, n), pa.int64()),
            "start": pa.array(rng.integers(17000, 17050, n).astype(np.int32)).view(pa.date32()),
            "code": pa.array(rng.integers(0, 3, n).astype(np.int16)),
        }
    )
    order = ["person_id", "start", "code"]
    perm = sorting.sort_permutation(core, table, order)
    assert np.array_equal(perm, np.asarray(normalise._reference_permutation(table, order)))
    slot, source = np.empty(n, np.uint32), np.empty(n, np.uint32)
    bounds = np.empty(257, np.int64)
    views = sorting.sort_key_views(table, order)
    ids = np.empty(n, np.int64)
    parts = core.order_plan(views, n, slot, source, bounds, threads, ids)
    assert parts > 1
    ids_in = table.column("person_id").to_numpy()
    assert np.array_equal(ids, ids_in[perm])
    columns = [
        rng.integers(0, 2**62, n),
        rng.random(n),
        rng.integers(-9, 9, n).astype(np.int8),
        rng.integers(-999, 999, n).astype(np.int16),
        rng.integers(0, 2**31, n).astype(np.int32),
    ]
    for values in columns:  # each width alone (a group of one column)
        moved = values.copy()
        core.reorder_columns([moved], slot, source, bounds[: parts + 1], threads)
        assert np.array_equal(moved, values[perm])
    scratch = np.empty(n, np.uint64)  # (the caller's, as read_table passes it; else own)
    for spare in (None, scratch):
        in_place = [values.copy() for values in columns]
        core.reorder_columns(in_place, slot, source, bounds[: parts + 1], threads, spare)
        for values, moved in zip(columns, in_place, strict=True):
            assert np.array_equal(moved, values[perm])
    with pytest.raises(ValueError, match="scratch must"):
        core.reorder_columns(in_place, slot, source, bounds[: parts + 1], threads, scratch[1:])
    # the ids written over the ids key's own buffer, as read_table does
    own = table.column("person_id").to_numpy().copy()
    views = sorting.sort_key_views(with_ids_from(table, own), order)
    assert core.order_plan(views, n, slot, source, bounds, threads, own, scratch) == parts
    assert np.array_equal(own, ids_in[perm])
    again = [values.copy() for values in columns]  # (that plan is the same plan)
    core.reorder_columns(again, slot, source, bounds[: parts + 1], threads, scratch)
    assert all(np.array_equal(m, v[perm]) for m, v in zip(again, columns, strict=True))
    source[0] = source[-1]  # a place outside its partition is refused, not followed
    with pytest.raises(ValueError, match="outside its partition"):
        core.reorder_columns(in_place, slot, source, bounds[: parts + 1], threads)


@pytest.mark.parametrize("threads", [1, 2])
def test_order_plan_with_another_second_key_than_a_date(threads: int) -> None:
    """A second key that is no int32 takes the generic entries (each person's run sorted
    by comparison); the same order, and the ids (written over their own buffer) too."""
    rng = np.random.default_rng(12)
    n = 150_000
    ids = rng.integers(1, 5000, n)
    table = pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "code": pa.array(rng.integers(-3, 3, n).astype(np.int16)),
            "hours": pa.array(rng.integers(0, 4, n) / 2.0, mask=rng.random(n) < 0.2),
        }
    )
    order = ["person_id", "code", "hours"]
    perm = sorting.sort_permutation(core, table, order)
    assert np.array_equal(perm, np.asarray(normalise._reference_permutation(table, order)))
    slot, source = np.empty(n, np.uint32), np.empty(n, np.uint32)
    bounds = np.empty(257, np.int64)
    own = table.column("person_id").to_numpy().copy()
    keyed = with_ids_from(table, own)
    parts = core.order_plan(
        sorting.sort_key_views(keyed, order), n, slot, source, bounds, threads, own
    )
    assert parts > 1
    assert np.array_equal(own, ids[perm])
    codes = table.column("code").to_numpy()
    moved = [codes.copy()]
    core.reorder_columns(moved, slot, source, bounds[: parts + 1], threads)
    assert np.array_equal(moved[0], codes[perm])


def test_order_plan_declines_ids_in_order() -> None:
    table = pa.table({"person_id": pa.array([1, 1, 2], pa.int64()), "x": pa.array([2, 1, 0])})
    slot, source = np.empty(3, np.uint32), np.empty(3, np.uint32)
    views = sorting.sort_key_views(table, ["person_id", "x"])
    assert core.order_plan(views, 3, slot, source, np.empty(257, np.int64), 1) == 0


def test_person_index_merges_the_tables_ids() -> None:
    a = np.array([1, 1, 4, 9, 9, 9], np.int64)
    b = np.array([2, 4, 4], np.int64)
    empty = np.empty(0, np.int64)
    person_ids, (off_a, off_b, off_e) = core.person_index([a, b, empty])
    assert person_ids.tolist() == [1, 2, 4, 9]
    assert off_a.tolist() == [0, 2, 2, 3, 6]
    assert off_b.tolist() == [0, 0, 1, 3, 3]
    assert off_e.tolist() == [0, 0, 0, 0, 0]
    with pytest.raises(ValueError, match="not sorted"):
        core.person_index([np.array([2, 1], np.int64)])


@pytest.mark.parametrize("offset", [0, 3, 8])  # whole bytes (8 rows at a time) or not
@pytest.mark.parametrize("null_value", [-1, 0])
def test_unpacked_flags_equal_arrows(offset: int, null_value: int) -> None:
    rng = np.random.default_rng(offset)
    flags = [None if r < 0.3 else bool(r < 0.6) for r in rng.random(61)]
    for values in (pa.array(flags)[offset:], pa.array([f is True for f in flags])[offset:]):
        bits = np.frombuffer(values.buffers()[1], np.uint8)
        validity = values.buffers()[0]
        nulls = None if validity is None else np.frombuffer(validity, np.uint8)
        out = np.empty(len(values), np.int8)
        core.unpack_flags(bits, nulls, values.offset, null_value, out)
        want = [null_value if v is None else int(v) for v in values.to_pylist()]
        assert out.tolist() == want
