"""Reading, normalising and encoding datasets (SPEC §2, docs/kernel.md).

Covers ``jobindsats.dataset``: input sources (pyarrow, pandas, polars, PyCapsule), Parquet
layouts, canonical types and encodings, the total row order, the person index and CSR
offsets, ``kernel_arrays``, ``summary``, ``select_persons`` and ``data_quality``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobindsats import io, normalise
from jobindsats.dataset import (
    KERNEL_COLUMNS,
    KERNEL_PREFIX,
    NO_DATE,
    Dataset,
    _offsets,
    _runs,
    _sorted_union,
    read_dataset,
)
from jobindsats.errors import InputError
from jobindsats.kernels.overlaps import overlapping_rows_numba
from jobindsats.normalise import encoded_schema
from jobindsats.schema import BENEFITS, CATEGORIES, ENUMERATIONS, TABLES

D = dt.date.fromisoformat


def _table(columns: dict[str, list], types: dict[str, pa.DataType] | None = None) -> pa.Table:
    types = types or {}
    return pa.table({k: pa.array(v, type=types.get(k)) for k, v in columns.items()})


def sample_tables() -> dict[str, pa.Table]:
    """Every table of SPEC §2, with ties on the sort columns and nullable values.

    Persons 1..3 have a ``persons`` row; person 4 appears only in ``interviews``, person 5
    only in ``employment``. Rows are deliberately not in canonical order.
    """
    return {
        "persons": _table(
            {"person_id": [3, 1, 2], "birth_date": [D("1990-02-03"), D("1970-01-01"), D("1985-06-30")]}
        ),
        "benefits": _table(
            {
                "person_id": [2, 1, 1, 1, 1, 3, 1],
                "benefit": ["dagpenge", "kontanthjaelp", "dagpenge", "dagpenge", "dagpenge", "other", "dagpenge"],
                "start": [D("2020-01-01"), D("2020-03-01"), D("2020-01-01"), D("2020-01-01"),
                          D("2020-01-01"), D("2019-05-05"), D("2020-01-01")],
                "end": [D("2020-01-31"), D("2020-03-31"), D("2020-01-31"), D("2020-01-31"),
                        D("2020-01-31"), D("2019-06-05"), D("2020-01-31")],
                "hours": [10.0, None, 0.0, None, 37.5, None, -0.0],
                "part_time": [None, None, True, None, False, None, None],
                "supplementary": [False, True, False, False, False, False, False],
                "extra": ["x", "y", "z", "w", "v", "u", "t"],  # unknown: ignored
            },
            {"hours": pa.float64(), "part_time": pa.bool_()},
        ),
        "dagpenge_periods": _table({"person_id": [1, 2], "start": [D("2020-01-01"), D("2019-01-01")]}),
        "interviews": _table(
            {
                "person_id": [4, 1, 1],
                "date": [D("2020-02-02"), D("2020-01-15"), D("2020-01-15")],
                "kind": ["jobsamtale", "sygeopfoelgning", "jobsamtale"],
                "form": ["digitalt", "telefon", "personligt"],
                "held_by": ["akasse", "jobcenter", "anden_aktoer"],
                "joint": [True, False, False],
                "municipality": [851, 101, 101],
            },
            {"municipality": pa.int32()},
        ),
        "exemptions": _table(
            {"person_id": [1], "code": [901], "start": [D("2020-01-10")], "end": [D("2020-01-20")]},
            {"code": pa.int64()},
        ),
        "mii": _table({"person_id": [2], "start": [D("2020-01-05")], "end": [D("2020-01-05")]}),
        "offers": _table(
            {"person_id": [1], "kind": ["loentilskud"], "start": [D("2020-01-02")], "end": [D("2020-01-09")]}
        ),
        "residence": _table(
            {"person_id": [1, 2], "municipality": [101, 751], "start": [D("2000-01-01")] * 2,
             "end": [D("2099-12-31")] * 2},
            {"municipality": pa.uint16()},
        ),
        "visitation": _table(
            {"person_id": [1], "category": ["jobparat"], "start": [D("2019-01-01")], "end": [D("2021-01-01")]}
        ),
        "registrations": _table({"person_id": [3], "date": [D("2019-04-01")]}),
        "employment": _table({"person_id": [5, 1], "month": [D("2020-01-01"), D("2020-02-01")], "hours": [3, 160]}),
    }  # fmt: skip


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return Dataset.from_tables(**sample_tables())


def assert_same(a: Dataset, b: Dataset) -> None:
    """Identical normalised tables, person index, offsets and kernel arrays."""
    for name in TABLES:
        assert a.tables[name].equals(b.tables[name]), name
        np.testing.assert_array_equal(a.offsets[name], b.offsets[name])
    np.testing.assert_array_equal(a.person_ids, b.person_ids)
    ka, kb = a.kernel_arrays(), b.kernel_arrays()
    assert ka.keys() == kb.keys()
    for key in ka:
        assert ka[key].dtype == kb[key].dtype, key
        np.testing.assert_array_equal(ka[key], kb[key], err_msg=key)
    assert a.equals(b)


# --- normalisation ------------------------------------------------------------------------


def test_normalised_tables_have_the_encoded_schema_and_one_chunk(sample: Dataset) -> None:
    assert set(sample.tables) == set(TABLES)
    for name, table in sample.tables.items():
        assert table.schema.equals(encoded_schema(name)), name
        for column in table.columns:
            assert column.num_chunks <= 1, name


def test_no_row_is_dropped(sample: Dataset) -> None:
    raw = sample_tables()
    for name in TABLES:
        assert sample.tables[name].num_rows == raw[name].num_rows, name


def test_enumerations_are_encoded_as_schema_indices(sample: Dataset) -> None:
    benefits = sample.tables["benefits"]
    assert benefits.schema.field("benefit").type == pa.int8()
    raw = sample_tables()["benefits"]
    expected = sorted(BENEFITS.index(b) for b in raw.column("benefit").to_pylist())
    assert sorted(benefits.column("benefit").to_pylist()) == expected
    assert sample.tables["visitation"].column("category").to_pylist() == [
        CATEGORIES.index("jobparat")
    ]


def test_optional_columns_get_their_defaults(sample: Dataset) -> None:
    iv = sample.tables["interviews"]
    assert iv.column("akasse_present").to_pylist() == [False, False, False]
    assert iv.column("jobcenter_present").to_pylist() == [True, True, True]
    bare = Dataset.from_tables(
        benefits=_table(
            {
                "person_id": [1],
                "benefit": ["other"],
                "start": [D("2020-01-01")],
                "end": [D("2020-01-01")],
            }
        )
    )
    ben = bare.tables["benefits"]
    assert ben.column("hours").to_pylist() == [None]
    assert ben.column("part_time").to_pylist() == [None]
    assert ben.column("supplementary").to_pylist() == [False]


def test_rows_are_in_canonical_order(sample: Dataset) -> None:
    ben = sample.tables["benefits"].to_pydict()
    # person 1's four tied dagpenge rows: order decided by hours (null first), part_time
    assert ben["person_id"] == [1, 1, 1, 1, 1, 2, 3]
    assert ben["hours"][:4] == [None, 0.0, 0.0, 37.5]
    assert ben["part_time"][:4] == [None, None, True, False]
    assert ben["benefit"][4] == BENEFITS.index("kontanthjaelp")
    iv = sample.tables["interviews"].to_pydict()
    assert iv["person_id"] == [1, 1, 4]
    assert iv["kind"][:2] == [0, 1]  # tie on date: jobsamtale (0) before sygeopfoelgning (1)


def test_negative_zero_hours_become_positive_zero(sample: Dataset) -> None:
    hours = sample.tables["benefits"].column("hours").to_numpy(zero_copy_only=False)
    zeros = hours[hours == 0.0]
    assert len(zeros) == 2
    assert not np.signbit(zeros).any()


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_row_order_of_the_input_does_not_matter(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shuffled = {}
    for name, table in sample_tables().items():
        shuffled[name] = table.take(pa.array(rng.permutation(table.num_rows)))
    assert_same(Dataset.from_tables(**shuffled), Dataset.from_tables(**sample_tables()))


def test_already_sorted_input_is_accepted_as_is() -> None:
    once = Dataset.from_tables(**sample_tables())
    decoded = {}
    for name, table in once.tables.items():
        for column, allowed in ENUMERATIONS.items():
            if column[0] == name:
                idx = table.schema.get_field_index(column[1])
                values = pa.array(allowed).take(table.column(column[1]))
                table = table.set_column(idx, column[1], values)
        decoded[name] = table
    assert_same(Dataset.from_tables(**decoded), once)


def test_sortedness_check_sees_an_inversion_at_every_block_boundary(monkeypatch) -> None:
    """The check compares neighbouring rows block by block: a pair out of order that
    straddles two blocks, or sits at either end, is still found (and sorted)."""
    monkeypatch.setattr(normalise, "_SORT_CHECK_BLOCK", 4)
    order = ["person_id", "date"]
    days = pa.array(np.arange(11, dtype=np.int32)).view(pa.date32())
    base = pa.table({"person_id": pa.array(np.arange(11), pa.int64()), "date": days})
    assert normalise._is_sorted(base, order, 2)
    for i in range(10):  # swap rows i and i+1: the pair (i, i+1) is out of order
        rows = np.arange(11)
        rows[[i, i + 1]] = rows[[i + 1, i]]
        swapped = base.take(pa.array(rows))
        assert not normalise._is_sorted(swapped, order, 2), i
        assert normalise.sort_rows(swapped, order, 2).equals(base), i
    # ties on the primary keys are decided by the next column, across blocks too
    tied = pa.table({"person_id": pa.array([1] * 9, pa.int64()), "date": days[:9],
                     "n": pa.array([0, 0, 0, 0, 1, 0, 0, 0, 0], pa.int64())})  # fmt: skip
    tied = tied.set_column(1, "date", pa.array([0] * 9, pa.int32()).view(pa.date32()))
    assert not normalise._is_sorted(tied, [*order, "n"], 2)
    assert normalise._is_sorted(normalise.sort_rows(tied, [*order, "n"], 2), [*order, "n"], 2)


# --- input sources --------------------------------------------------------------------------


class CapsuleOnly:
    """Exposes nothing but the Arrow PyCapsule stream protocol."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self._table.__arrow_c_stream__(requested_schema)


@pytest.mark.parametrize(
    "convert",
    [
        pytest.param(lambda t: t.to_pandas(), id="pandas"),
        pytest.param(lambda t: pl.from_arrow(t), id="polars"),
        pytest.param(CapsuleOnly, id="capsule"),
        pytest.param(lambda t: t.combine_chunks().to_batches()[0] if t.num_rows else t, id="batch"),
        pytest.param(
            lambda t: pa.RecordBatchReader.from_batches(t.schema, t.to_batches()), id="reader"
        ),
        pytest.param(
            lambda t: pa.Table.from_batches(t.to_batches(max_chunksize=1), t.schema), id="chunked"
        ),
    ],
)
def test_every_input_source_gives_the_same_dataset(convert, sample: Dataset) -> None:
    converted = {name: convert(t) for name, t in sample_tables().items()}
    assert_same(Dataset.from_tables(**converted), sample)


def test_empty_pandas_frames_of_any_column_type() -> None:
    interviews = pd.DataFrame({c.name: [] for c in TABLES["interviews"].columns})
    assert pa.Table.from_pandas(interviews).schema.field("kind").type == pa.float64()
    benefits = sample_tables()["benefits"].to_pandas()
    ds = Dataset.from_tables(benefits=benefits, interviews=interviews)
    assert ds.tables["interviews"].num_rows == 0
    assert ds.tables["interviews"].schema.equals(encoded_schema("interviews"))


def test_pandas_datetime64_and_categorical_columns(sample: Dataset) -> None:
    tables = sample_tables()
    frame = tables["benefits"].to_pandas()
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["benefit"] = frame["benefit"].astype("category")
    assert pa.Table.from_pandas(frame).schema.field("start").type.id == pa.timestamp("ns").id
    tables["benefits"] = frame
    assert_same(Dataset.from_tables(**tables), sample)


@pytest.mark.parametrize(
    "to_enum",
    [
        pytest.param(lambda a: a.dictionary_encode(), id="dictionary"),
        pytest.param(lambda a: a.cast(pa.large_string()), id="large_string"),
        pytest.param(lambda a: a.cast(pa.string_view()), id="string_view"),
        pytest.param(
            lambda a: a.cast(pa.large_string()).dictionary_encode(), id="dictionary_large_string"
        ),
    ],
)
def test_enumeration_column_types(to_enum, sample: Dataset) -> None:
    tables = sample_tables()
    for (name, column), _ in ENUMERATIONS.items():
        t = tables[name]
        idx = t.schema.get_field_index(column)
        tables[name] = t.set_column(idx, column, to_enum(t.column(column).combine_chunks()))
    assert_same(Dataset.from_tables(**tables), sample)


def test_chunks_with_different_dictionaries(sample: Dataset) -> None:
    tables = sample_tables()
    ben = tables["benefits"]
    chunks = [ben.slice(0, 3), ben.slice(3)]
    parts = []
    for part in chunks:
        idx = part.schema.get_field_index("benefit")
        parts.append(part.set_column(idx, "benefit", part.column("benefit").dictionary_encode()))
    assert (
        parts[0].column("benefit").chunk(0).dictionary
        != parts[1].column("benefit").chunk(0).dictionary
    )
    tables["benefits"] = pa.concat_tables(parts)
    assert_same(Dataset.from_tables(**tables), sample)


@pytest.mark.parametrize(
    ("values", "arrow_type"),
    [
        pytest.param([dt.datetime(2020, 1, 1)], pa.timestamp("s"), id="timestamp-s"),
        pytest.param([dt.datetime(2020, 1, 1)], pa.timestamp("ns"), id="timestamp-ns"),
        pytest.param([dt.date(2020, 1, 1)], pa.date64(), id="date64"),
    ],
)
def test_date64_and_whole_day_timestamps_are_dates(values, arrow_type) -> None:
    ds = Dataset.from_tables(
        benefits=_table(
            {"person_id": [1], "benefit": ["other"], "start": values, "end": [D("2020-01-02")]},
            {"start": arrow_type},
        )
    )
    assert ds.tables["benefits"].column("start").to_pylist() == [D("2020-01-01")]


def test_timezone_aware_timestamps_use_their_local_calendar_day() -> None:
    # 2020-01-01 00:00 in Copenhagen is 2019-12-31 23:00 UTC: the local day counts.
    utc = pa.array([dt.datetime(2019, 12, 31, 23)], pa.timestamp("us", tz="UTC"))
    local = utc.cast(pa.timestamp("us", tz="Europe/Copenhagen"))
    ds = Dataset.from_tables(
        benefits=pa.table(
            {"person_id": [1], "benefit": ["other"], "start": local, "end": [D("2020-01-02")]}
        )
    )
    assert ds.tables["benefits"].column("start").to_pylist() == [D("2020-01-01")]
    with pytest.raises(InputError, match="not a whole day"):
        Dataset.from_tables(
            benefits=pa.table(
                {"person_id": [1], "benefit": ["other"], "start": utc, "end": [D("2020-01-02")]}
            )
        )


def test_unknown_table_name_is_a_type_error_naming_the_known_tables() -> None:
    with pytest.raises(TypeError, match=r"benefitz.*known tables: persons, benefits"):
        Dataset.from_tables(benefits=sample_tables()["benefits"], benefitz=None)


def test_unsupported_input_object_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="benefits"):
        Dataset.from_tables(benefits=[{"person_id": 1}])


# --- Parquet layouts --------------------------------------------------------------------------


def test_from_tables_accepts_pyarrow_datasets(tmp_path, sample: Dataset) -> None:
    import pyarrow.dataset as pads

    tables = {}
    for name, table in sample_tables().items():
        pq.write_table(
            table.append_column("not_a_column_xyz", pa.nulls(table.num_rows)),
            tmp_path / f"{name}.parquet",
        )
        tables[name] = pads.dataset(tmp_path / f"{name}.parquet")
    assert_same(Dataset.from_tables(**tables), sample)  # only the canonical columns read


def test_read_dataset_single_files(tmp_path, sample: Dataset) -> None:
    for name, table in sample_tables().items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    (tmp_path / "README.txt").write_text("not a table")
    pq.write_table(pa.table({"x": [1]}), tmp_path / "unknown_table.parquet")
    assert_same(read_dataset(tmp_path), sample)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("batch_rows", [1, 2, 3])
def test_read_dataset_batch_by_batch_equals_the_whole_table(
    tmp_path, monkeypatch, sample: Dataset, batch_rows: int, threads: int
) -> None:
    """Parquet tables are normalised batch by batch into their final columns, on one
    thread or several side by side; with batches of 1-3 rows (nulls in some batches
    only, dictionary enumerations per batch, rows out of order across batches) the
    dataset equals the whole-table one, null counts included."""
    monkeypatch.setattr(io, "SCAN_BATCH_ROWS", batch_rows)
    for name, table in sample_tables().items():
        pq.write_table(table, tmp_path / f"{name}.parquet", row_group_size=2)
    got = read_dataset(tmp_path, threads=threads)
    assert_same(got, sample)
    for name, table in sample.tables.items():
        for column in table.column_names:
            assert got.tables[name].column(column).null_count == table.column(column).null_count


@pytest.mark.parametrize(("threads", "threaded"), [(None, True), (2, True), (1, False)])
def test_read_dataset_decodes_on_one_thread_when_asked(
    tmp_path, decoding_threads: list[bool], sample: Dataset, threads: int | None, threaded: bool
) -> None:
    """``threads=1`` decodes every table on the calling thread (pyarrow's pool is not
    used); the default and more threads use the pool. The dataset is the same."""
    seen = decoding_threads
    for name, table in sample_tables().items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    assert_same(read_dataset(tmp_path, threads=threads), sample)
    assert len(seen) == len(sample_tables())
    assert set(seen) == {threaded}


@pytest.mark.parametrize(("threads", "workers"), [(1, 1), (2, 2), (64, io.MAX_READ_WORKERS)])
def test_read_dataset_bounds_its_batch_workers(tmp_path, monkeypatch, sample, threads, workers):
    """Each table's batches are checked and copied by ``threads`` workers, at most
    ``MAX_READ_WORKERS``: each holds up to two raw batches, so memory stays bounded on a
    many-core machine."""
    import jobindsats.dataset as dataset_module

    seen: list[int] = []
    normalise_batches = dataset_module.normalise_batches

    def recording(table, present, n_rows, batches, workers=1):  # type: ignore[no-untyped-def]
        seen.append(workers)
        return normalise_batches(table, present, n_rows, batches, workers)

    monkeypatch.setattr(dataset_module, "normalise_batches", recording)
    for name, table in sample_tables().items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    assert_same(read_dataset(tmp_path, threads=threads), sample)
    assert len(seen) == len(sample_tables())
    assert set(seen) == {workers}


def test_read_dataset_refuses_zero_threads(tmp_path) -> None:
    with pytest.raises(ValueError, match="threads must be at least 1"):
        read_dataset(tmp_path, threads=0)


@pytest.mark.parametrize("threads", [1, 2])
def test_read_dataset_reports_bad_rows_of_every_batch(tmp_path, monkeypatch, threads) -> None:
    """A bad value found in one batch (on one thread or several) is reported from the
    whole table: the error names the offending rows of all batches, as
    ``Dataset.from_tables`` does."""
    monkeypatch.setattr(io, "SCAN_BATCH_ROWS", 2)
    tables = sample_tables()
    benefits = tables["benefits"]
    hours = benefits.column("hours").to_pylist()
    hours[1], hours[6] = -1.0, -2.0  # two bad rows, in different batches
    tables["benefits"] = benefits.set_column(
        benefits.schema.get_field_index("hours"), "hours", pa.array(hours, pa.float64())
    )
    with pytest.raises(InputError) as expected:
        Dataset.from_tables(**tables)
    for name, table in tables.items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    with pytest.raises(InputError) as got:
        read_dataset(tmp_path, threads=threads)
    assert str(got.value) == str(expected.value)
    assert "2 rows" in str(got.value)


def test_read_dataset_directories_of_parts(tmp_path, sample: Dataset) -> None:
    for name, table in sample_tables().items():
        (tmp_path / name).mkdir()
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), tmp_path / name / "part-0.parquet")
        pq.write_table(table.slice(half), tmp_path / name / "part-1.parquet")
    assert_same(read_dataset(str(tmp_path)), sample)


def test_read_dataset_hive_partitions_ignore_the_bucket_column(tmp_path, sample: Dataset) -> None:
    for name, table in sample_tables().items():
        for k in range(2):
            part = table.filter(pa.array(np.arange(table.num_rows) % 2 == k))
            (tmp_path / name / f"bucket={k}").mkdir(parents=True)
            pq.write_table(part, tmp_path / name / f"bucket={k}" / "part.parquet")
    ds = read_dataset(tmp_path)
    assert "bucket" not in ds.tables["benefits"].column_names
    assert_same(ds, sample)


def test_read_dataset_parts_with_different_schemas_keep_every_column(tmp_path) -> None:
    benefits = sample_tables()["benefits"]
    (tmp_path / "benefits").mkdir()
    first = benefits.slice(0, 3).drop_columns(["hours"])  # the first part lacks hours
    second = benefits.slice(3)
    second = second.set_column(0, "person_id", second.column("person_id").cast(pa.int32()))
    pq.write_table(first, tmp_path / "benefits" / "a.parquet")
    pq.write_table(second, tmp_path / "benefits" / "b.parquet")
    ds = read_dataset(tmp_path)
    hours = ds.tables["benefits"].column("hours").to_pylist()
    assert sorted(h for h in hours if h is not None) == [0.0, 37.5]
    assert ds.tables["benefits"].num_rows == benefits.num_rows


def test_read_dataset_directory_named_like_a_file(tmp_path, sample: Dataset) -> None:
    for name, table in sample_tables().items():
        (tmp_path / f"{name}.parquet").mkdir()  # as Spark writes it
        pq.write_table(table, tmp_path / f"{name}.parquet" / "part-00000.parquet")
        (tmp_path / f"{name}.parquet" / "_SUCCESS").write_text("")
    assert_same(read_dataset(tmp_path), sample)


def test_empty_benefits_table_gives_an_empty_dataset() -> None:
    empty = sample_tables()["benefits"].slice(0, 0)
    ds = Dataset.from_tables(benefits=empty)
    assert ds.n_persons == 0
    arrays = ds.kernel_arrays()
    assert arrays["ben_off"].tolist() == [0]
    assert len(arrays["ben_start"]) == 0
    assert ds.data_quality()["overlapping_benefit_rows"] == 0


def test_read_dataset_optional_tables_may_be_missing(tmp_path) -> None:
    pq.write_table(sample_tables()["benefits"], tmp_path / "benefits.parquet")
    ds = read_dataset(tmp_path)
    assert ds.tables["interviews"].num_rows == 0
    assert ds.n_persons == 3
    assert np.all(ds.offsets["interviews"] == 0)


def test_read_dataset_without_benefits_fails(tmp_path) -> None:
    pq.write_table(sample_tables()["persons"], tmp_path / "persons.parquet")
    with pytest.raises(InputError, match="benefits: required table missing"):
        read_dataset(tmp_path)


def test_read_dataset_file_and_directory_for_one_table_is_ambiguous(tmp_path) -> None:
    pq.write_table(sample_tables()["benefits"], tmp_path / "benefits.parquet")
    (tmp_path / "benefits").mkdir()
    pq.write_table(sample_tables()["benefits"], tmp_path / "benefits" / "p.parquet")
    with pytest.raises(InputError, match="both"):
        read_dataset(tmp_path)


# --- person index and kernel arrays ------------------------------------------------------------

KERNEL_NAMES = {
    "person_ids", "birth_date",
    "ben_off", "ben_benefit", "ben_start", "ben_end", "ben_hours", "ben_part_time", "ben_supp",
    "dp_off", "dp_start",
    "iv_off", "iv_date", "iv_kind", "iv_form", "iv_held_by", "iv_joint", "iv_akasse_present",
    "iv_jobcenter_present", "iv_muni",
    "ex_off", "ex_code", "ex_start", "ex_end",
    "mii_off", "mii_start", "mii_end",
    "of_off", "of_kind", "of_start", "of_end",
    "res_off", "res_muni", "res_start", "res_end",
    "vis_off", "vis_cat", "vis_start", "vis_end",
    "reg_off", "reg_date",
    "emp_off", "emp_month", "emp_hours",
}  # fmt: skip


def test_person_index_is_the_sorted_union(sample: Dataset) -> None:
    assert sample.person_ids.dtype == np.int64
    assert sample.person_ids.tolist() == [1, 2, 3, 4, 5]
    assert sample.n_persons == 5
    assert sample.offsets["benefits"].tolist() == [0, 5, 6, 7, 7, 7]
    assert sample.offsets["interviews"].tolist() == [0, 2, 2, 2, 3, 3]


@pytest.mark.parametrize("seed", range(5))
def test_offsets_equal_searchsorted_over_every_row(seed: int) -> None:
    """The person index is built from each table's distinct ids; it must equal the plain
    definition (first row whose id is not below the person's), persons without rows
    included, at either end and in between."""
    rng = np.random.default_rng(seed)
    tables = [np.sort(rng.choice(60, size=rng.integers(0, 120))).astype(np.int64) for _ in range(4)]
    runs = [_runs(ids) for ids in tables]
    person_ids = _sorted_union([ids for ids, _ in runs if len(ids)])
    expected_ids = np.unique(np.concatenate(tables))
    np.testing.assert_array_equal(person_ids, expected_ids)
    for ids, (distinct, starts) in zip(tables, runs, strict=True):
        np.testing.assert_array_equal(distinct, np.unique(ids))
        expected = np.append(np.searchsorted(ids, person_ids), len(ids))
        np.testing.assert_array_equal(_offsets(person_ids, distinct, starts, len(ids)), expected)


def test_kernel_arrays_names_dtypes_and_lengths(sample: Dataset) -> None:
    arrays = sample.kernel_arrays()
    assert set(arrays) == KERNEL_NAMES
    n_persons = sample.n_persons
    assert arrays["person_ids"].dtype == np.int64
    assert arrays["birth_date"].dtype == np.int32
    assert len(arrays["birth_date"]) == n_persons
    for table, prefix in KERNEL_PREFIX.items():
        off = arrays[f"{prefix}_off"]
        assert off.dtype == np.int64
        assert len(off) == n_persons + 1
        assert off[0] == 0
        assert off[-1] == sample.tables[table].num_rows
        assert np.all(np.diff(off) >= 0)
        rows_person = np.repeat(sample.person_ids, np.diff(off))
        np.testing.assert_array_equal(rows_person, sample.tables[table].column("person_id"))
    for (table, _column), (name, dtype) in KERNEL_COLUMNS.items():
        assert arrays[name].dtype == dtype, name
        assert len(arrays[name]) == sample.tables[table].num_rows, name


def test_kernel_array_values(sample: Dataset) -> None:
    arrays = sample.kernel_arrays()
    days = [(D(s) - D("1970-01-01")).days for s in ("1970-01-01", "1985-06-30", "1990-02-03")]
    assert arrays["birth_date"].tolist() == [*days, NO_DATE, NO_DATE]
    assert arrays["ben_hours"][:4].tolist() == [0.0, 0.0, 0.0, 37.5]  # null -> 0.0
    assert arrays["ben_part_time"].tolist() == [-1, -1, 1, 0, -1, -1, -1]
    assert arrays["ben_supp"].tolist() == [0, 0, 0, 0, 1, 0, 0]
    assert arrays["ben_start"][0] == (D("2020-01-01") - D("1970-01-01")).days
    assert arrays["iv_muni"].tolist() == [101, 101, 851]
    assert arrays["iv_jobcenter_present"].tolist() == [1, 1, 1]
    assert arrays["res_muni"].tolist() == [101, 751]
    assert arrays["ex_code"].tolist() == [901]
    assert arrays["emp_hours"].tolist() == [160.0, 3.0]


@pytest.mark.parametrize("threads", [2, 3])
def test_kernel_arrays_on_threads_are_the_same(threads: int) -> None:
    """Flags, nullable hours and part-time converted on threads, in the same order."""
    one = Dataset.from_tables(**sample_tables()).kernel_arrays()
    many = Dataset.from_tables(**sample_tables()).kernel_arrays(threads)
    assert list(many) == list(one)
    for name, arr in one.items():
        assert many[name].dtype == arr.dtype, name
        np.testing.assert_array_equal(many[name], arr, err_msg=name)
    assert many["ben_part_time"].tolist() == [-1, -1, 1, 0, -1, -1, -1]
    assert many["ben_hours"][:4].tolist() == [0.0, 0.0, 0.0, 37.5]


def test_kernel_arrays_are_cached_read_only_and_zero_copy(sample: Dataset) -> None:
    first, second = sample.kernel_arrays(), sample.kernel_arrays()
    assert first["ben_start"] is second["ben_start"]
    for name, arr in first.items():
        assert not arr.flags.writeable, name
    buffer = sample.tables["benefits"].column("start").chunk(0).buffers()[1]
    assert first["ben_start"].__array_interface__["data"][0] == buffer.address


def test_missing_optional_tables_have_zero_rows_and_zero_offsets() -> None:
    ds = Dataset.from_tables(benefits=sample_tables()["benefits"])
    arrays = ds.kernel_arrays()
    assert arrays["iv_off"].tolist() == [0] * (ds.n_persons + 1)
    assert len(arrays["iv_date"]) == 0
    assert arrays["birth_date"].tolist() == [NO_DATE] * ds.n_persons


# --- summary, select_persons, data quality --------------------------------------------------------


def test_summary(sample: Dataset) -> None:
    summary = {entry["name"]: entry for entry in sample.summary()}
    assert list(summary) == list(TABLES)
    ben = summary["benefits"]
    assert (ben["rows"], ben["persons"]) == (7, 3)
    assert (ben["min_date"], ben["max_date"]) == ("2019-05-05", "2020-03-31")
    assert ben["columns"]["benefit"] == "string"
    assert ben["columns"]["start"] == "date32[day]"
    assert summary["mii"]["min_date"] == "2020-01-05"
    assert summary["residence"]["max_date"] == "2099-12-31"
    empty = Dataset.from_tables(benefits=sample_tables()["benefits"]).summary()
    assert {e["name"]: e["min_date"] for e in empty}["offers"] is None


def test_select_persons_equals_building_from_the_selected_rows(sample: Dataset) -> None:
    mask = np.array([True, False, True, False, True])
    part = sample.select_persons(mask)
    keep = sample.person_ids[mask]
    raw = {
        name: t.filter(pa.array(np.isin(t.column("person_id").to_numpy(), keep)))
        for name, t in sample_tables().items()
    }
    assert_same(part, Dataset.from_tables(**raw))
    assert_same(sample.select_persons([4, 0, 2, 2]), part)
    rest = sample.select_persons(~mask)
    for name in TABLES:
        assert (
            part.tables[name].num_rows + rest.tables[name].num_rows == sample.tables[name].num_rows
        )


def test_select_persons_rejects_bad_selections(sample: Dataset) -> None:
    with pytest.raises(ValueError, match="shape"):
        sample.select_persons(np.array([True, False]))
    with pytest.raises(IndexError):
        sample.select_persons([7])


def _one_table_dataset(name: str, **columns: list) -> Dataset:
    benefits = {
        "person_id": [1],
        "benefit": ["other"],
        "start": [D("2020-01-01")],
        "end": [D("2020-01-01")],
    }
    tables = {"benefits": _table(benefits)}
    if name == "benefits":
        tables["benefits"] = _table(columns)
    else:
        tables[name] = _table(columns)
    return Dataset.from_tables(**tables)


def test_data_quality_on_a_hand_made_case(sample: Dataset) -> None:
    d = D
    ds = _one_table_dataset(
        "benefits",
        person_id=[1, 1, 1, 1, 2, 2, 3, 3, 4],
        benefit=["dagpenge", "kontanthjaelp", "other", "dagpenge", "dagpenge", "dagpenge",
                 "dagpenge", "other", "dagpenge"],
        start=[d("2020-01-01"), d("2020-01-31"), d("2020-06-01"), d("2020-06-02"),
               d("2020-01-01"), d("2020-01-15"), d("2020-01-01"), d("2020-01-11"), d("2020-01-01")],
        end=[d("2020-01-31"), d("2020-02-10"), d("2020-06-01"), d("2020-06-30"),
             d("2020-01-31"), d("2020-02-15"), d("2020-01-10"), d("2020-01-20"), d("2020-01-01")],
        supplementary=[False, False, False, False, False, False, False, False, False],
    )  # fmt: skip
    q = ds.data_quality()
    # person 1: dagpenge/kontanthjaelp share 2020-01-31 (2 rows); other/dagpenge touch only.
    # person 2: same benefit overlapping is no conflict. person 3: adjacent rows only.
    assert q["overlapping_benefit_rows"] == 2
    assert q["persons_without_birth_date"] == 4
    supplementary = _one_table_dataset(
        "benefits",
        person_id=[1, 1],
        benefit=["dagpenge", "kontanthjaelp"],
        start=[d("2020-01-01"), d("2020-01-01")],
        end=[d("2020-01-31"), d("2020-01-31")],
        supplementary=[False, True],
    )
    assert supplementary.data_quality()["overlapping_benefit_rows"] == 0
    residence = _one_table_dataset(
        "residence",
        person_id=[1, 1, 1, 2, 2],
        municipality=[101, 751, 101, 101, 147],
        start=[d("2000-01-01"), d("2010-01-01"), d("2010-06-01"), d("2000-01-01"), d("2001-01-01")],
        end=[d("2099-12-31"), d("2010-12-31"), d("2010-06-30"), d("2000-12-31"), d("2001-12-31")],
    )
    assert residence.data_quality()["overlapping_residence_rows"] == 3
    visitation = _one_table_dataset(
        "visitation",
        person_id=[1, 1],
        category=["jobparat", "aktivitetsparat"],
        start=[d("2020-01-01"), d("2020-01-31")],
        end=[d("2020-01-31"), d("2020-03-01")],
    )
    assert visitation.data_quality()["overlapping_visitation_rows"] == 2
    assert sample.data_quality() == {
        "persons_without_birth_date": 2,
        "overlapping_benefit_rows": 0,
        "overlapping_residence_rows": 0,
        "overlapping_visitation_rows": 0,
    }


@st.composite
def interval_rows(draw):
    n = draw(st.integers(0, 25))
    rows = []
    for _ in range(n):
        start = draw(st.integers(0, 40))
        rows.append(
            (
                draw(st.integers(0, 3)),
                start,
                start + draw(st.integers(0, 8)),
                draw(st.integers(0, 2)),
            )
        )
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


@settings(max_examples=300, deadline=None)
@given(
    rows=interval_rows(),
    grouped=st.booleans(),
    wide=st.booleans(),
    skip_seed=st.integers(0, 2**32 - 1),
)
def test_overlap_counts_match_brute_force(rows, grouped: bool, wide: bool, skip_seed: int):
    """The §8 overlap counts: the Numba twin and the C++ one both equal a brute force
    over every pair of rows, with skipped rows, int8 or int16 groups and persons
    without rows."""
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    skip = np.random.default_rng(skip_seed).random(len(arr)) < 0.2
    expected = 0
    for i, (p, s, e, g) in enumerate(rows):
        expected += not skip[i] and any(
            j != i and not skip[j] and q == p and s2 <= e and s <= e2 and (not grouped or g2 != g)
            for j, (q, s2, e2, g2) in enumerate(rows)
        )
    n_persons = 5  # persons 0..4; rows use 0..3, so person 4 has none
    off = np.searchsorted(arr[:, 0], np.arange(n_persons + 1)).astype(np.int64)
    start, end = arr[:, 1].astype(np.int32), arr[:, 2].astype(np.int32)
    group = arr[:, 3].astype(np.int16 if wide else np.int8)
    assert overlapping_rows_numba(off, start, end, group, skip, grouped) == expected
    core = pytest.importorskip("jobindsats._core")
    assert core.overlapping_rows(off, start, end, group, skip, grouped) == expected


def test_overlap_counts_compiled_checks_its_arguments() -> None:
    core = pytest.importorskip("jobindsats._core")
    off = np.array([0, 2], np.int64)
    start = np.array([1, 2], np.int32)
    end = np.array([5, 6], np.int32)
    skip = np.zeros(2, bool)
    assert core.overlapping_rows(off, start, end, np.array([0, 1], np.int8), skip, True) == 2
    with pytest.raises(TypeError, match="int8 or int16"):
        core.overlapping_rows(off, start, end, np.array([0, 1], np.int64), skip, True)
    with pytest.raises(ValueError, match="same length"):
        core.overlapping_rows(off, start, end[:1], np.array([0, 1], np.int8), skip, True)
    with pytest.raises(ValueError, match="from 0 to the number of rows"):
        core.overlapping_rows(
            np.array([0, 1], np.int64), start, end, np.zeros(2, np.int8), skip, True
        )


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("announced", [3, 9])
def test_batches_disagreeing_with_the_row_count_are_an_input_error(
    announced: int, workers: int
) -> None:
    """Batches holding more or fewer rows than the Parquet metadata gives: a clear
    InputError naming the table, never a short or overfull column."""
    benefits = sample_tables()["benefits"]
    batches = benefits.to_batches(max_chunksize=2)
    with pytest.raises(InputError, match=r"benefits: .*Parquet metadata gives") as info:
        normalise.normalise_batches("benefits", benefits.column_names, announced, batches, workers)
    assert info.value.table == "benefits"
    table = normalise.normalise_batches(
        "benefits", benefits.column_names, benefits.num_rows, batches, workers
    )
    assert table.equals(normalise.normalise_table("benefits", benefits))


def test_hours_under_nulls_reach_the_kernel_as_zero(tmp_path) -> None:
    """Null hours are 0.0 for the kernel (docs/kernel.md), whatever the input left in
    the null slots (NaN, -0.0, a number); read batch by batch, the slots hold +0.0 and
    the column is handed over without a copy."""
    values = pa.array([1.5, 7.0, -0.0, 2.5], pa.float64())
    mask = pa.array([False, True, True, False])
    hours = pc.if_else(mask, pa.scalar(None, pa.float64()), values)  # nulls at 1, 2
    with_garbage = pa.Array.from_buffers(
        pa.float64(), 4, [hours.buffers()[0], values.buffers()[1]], null_count=2
    )
    for column in (hours, with_garbage):
        benefits = pa.table(
            {
                "person_id": pa.array([1, 1, 1, 1], pa.int64()),
                "benefit": ["dagpenge"] * 4,
                "start": [D("2020-01-01"), D("2020-02-01"), D("2020-03-01"), D("2020-04-01")],
                "end": [D("2020-01-31"), D("2020-02-29"), D("2020-03-31"), D("2020-04-30")],
                "hours": column,
                "supplementary": [False] * 4,
            }
        )
        got = Dataset.from_tables(benefits).kernel_arrays()["ben_hours"]
        assert got.tolist() == [1.5, 0.0, 0.0, 2.5]
        assert not np.signbit(got).any()
        pq.write_table(benefits, tmp_path / "benefits.parquet")
        read = read_dataset(tmp_path)
        np.testing.assert_array_equal(read.kernel_arrays()["ben_hours"], got)
        assert not np.signbit(read.kernel_arrays()["ben_hours"]).any()


def test_a_file_that_is_not_parquet_is_an_input_error(tmp_path) -> None:
    """A corrupt table file is reported as bad input naming the table and the file,
    whether it fails on opening or on reading its batches."""
    for name, table in sample_tables().items():
        pq.write_table(table, tmp_path / f"{name}.parquet")
    (tmp_path / "offers.parquet").write_bytes(b"not a parquet file at all")
    with pytest.raises(InputError, match=r"offers: cannot read .*offers\.parquet") as info:
        read_dataset(tmp_path)
    assert info.value.table == "offers"
    good = sample_tables()["interviews"]
    path = tmp_path / "interviews.parquet"
    pq.write_table(good, path)
    data = path.read_bytes()
    footer = int.from_bytes(data[-8:-4], "little") + 8  # metadata, its length, "PAR1"
    path.write_bytes(data[:4] + bytes(len(data) - 4 - footer) + data[-footer:])  # pages zeroed
    (tmp_path / "offers.parquet").unlink()
    with pytest.raises(InputError, match=r"interviews: cannot read .*interviews\.parquet"):
        read_dataset(tmp_path)
    path.write_bytes(data[:4] + bytes(len(data) - 12) + data[-8:])  # the footer zeroed too
    with pytest.raises(InputError, match=r"interviews: cannot read"):
        read_dataset(tmp_path)
