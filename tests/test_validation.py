"""Bad input (SPEC §8): one deliberately broken input per error, and the message format.

Each error must raise :class:`jobindsats.errors.InputError` whose message names the table,
the column and the offending rows (person id and values); nothing is ever dropped.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jobindsats.dataset import Dataset, read_dataset
from jobindsats.errors import InputError
from jobindsats.schema import ENUMERATIONS, TABLES

D = dt.date.fromisoformat

#: a person id that appears in no valid row, so finding it in a message proves the point
BAD_ID = 4242


def valid_tables() -> dict[str, pa.Table]:
    """One or two valid rows in every table (persons 1 and 2)."""
    day, later = D("2020-01-01"), D("2020-02-29")
    return {
        "persons": pa.table({"person_id": [1, 2], "birth_date": [D("1980-05-05"), D("1990-01-01")]}),
        "benefits": pa.table(
            {
                "person_id": [1, 2],
                "benefit": ["dagpenge", "kontanthjaelp"],
                "start": [day, day],
                "end": [later, later],
                "hours": pa.array([160.33, None], pa.float64()),
            }
        ),
        "dagpenge_periods": pa.table({"person_id": [1], "start": [day]}),
        "interviews": pa.table(
            {
                "person_id": [1],
                "date": [day],
                "kind": ["jobsamtale"],
                "form": ["personligt"],
                "held_by": ["jobcenter"],
                "municipality": pa.array([101], pa.int16()),
            }
        ),
        "exemptions": pa.table(
            {"person_id": [1], "code": pa.array([3], pa.int16()), "start": [day], "end": [later]}
        ),
        "mii": pa.table({"person_id": [1], "start": [day], "end": [day]}),
        "offers": pa.table(
            {"person_id": [1], "kind": ["nytteindsats"], "start": [day], "end": [later]}
        ),
        "residence": pa.table(
            {"person_id": [1], "municipality": pa.array([751], pa.int16()), "start": [day], "end": [later]}
        ),
        "visitation": pa.table(
            {"person_id": [2], "category": ["jobparat"], "start": [day], "end": [later]}
        ),
        "registrations": pa.table({"person_id": [1], "date": [day]}),
        "employment": pa.table({"person_id": [1], "month": [day], "hours": [12.5]}),
    }  # fmt: skip


def with_row(
    table: str, types: dict[str, pa.DataType] | None = None, **values: object
) -> dict[str, pa.Table]:
    """The valid tables plus one row of ``table`` for :data:`BAD_ID` (given values override
    those copied from the table's first row; ``types`` override column types)."""
    tables = valid_tables()
    t = tables[table]
    first = t.slice(0, 1).to_pylist()[0]
    row = {**first, "person_id": BAD_ID, **values}
    columns = {}
    for name in t.column_names:
        old = t.column(name).to_pylist()
        columns[name] = [*old, row[name]]
    extra = [name for name in values if name not in t.column_names]
    for name in extra:
        columns[name] = [None] * t.num_rows + [values[name]]
    types = {**{f.name: f.type for f in t.schema}, **(types or {})}
    tables[table] = pa.table(
        {name: pa.array(vals, type=types.get(name)) for name, vals in columns.items()}
    )
    return tables


def with_column(table: str, column: str, arr: pa.Array) -> dict[str, pa.Table]:
    """The valid tables with ``table.column`` replaced by ``arr`` (same length)."""
    tables = valid_tables()
    t = tables[table]
    idx = t.schema.get_field_index(column)
    tables[table] = t.set_column(idx, column, arr) if idx >= 0 else t.append_column(column, arr)
    return tables


def expect_error(tables: dict[str, pa.Table], table: str, column: str, *parts: str) -> str:
    """Assert ``InputError`` naming ``table.column``, ``BAD_ID`` and every ``parts``."""
    with pytest.raises(InputError) as info:
        Dataset.from_tables(**tables)
    message = str(info.value)
    assert info.value.table == table
    assert info.value.column == column
    assert f"{table}.{column}" in message
    for part in (f"person_id={BAD_ID}", *parts):
        assert part in message, (part, message)
    return message


def test_valid_tables_are_valid() -> None:
    ds = Dataset.from_tables(**valid_tables())
    for name, table in valid_tables().items():
        assert ds.tables[name].num_rows == table.num_rows, name


# --- missing table / column ----------------------------------------------------------------


def test_missing_benefits_table() -> None:
    tables = valid_tables()
    del tables["benefits"]
    with pytest.raises(InputError, match="benefits: required table missing") as info:
        Dataset.from_tables(**tables)
    assert info.value.table == "benefits"


def test_missing_benefits_table_on_disk(tmp_path) -> None:
    for name, table in valid_tables().items():
        if name != "benefits":
            pq.write_table(table, tmp_path / f"{name}.parquet")
    with pytest.raises(InputError, match="benefits"):
        read_dataset(tmp_path)


@pytest.mark.parametrize(
    ("table", "column"),
    [(t.name, c.name) for t in TABLES.values() for c in t.columns if c.required],
)
def test_missing_required_column(table: str, column: str) -> None:
    tables = valid_tables()
    tables[table] = tables[table].drop_columns([column])
    with pytest.raises(InputError) as info:
        Dataset.from_tables(**tables)
    assert f"{table}.{column}: required column missing" in str(info.value)
    assert (info.value.table, info.value.column) == (table, column)


# --- wrong type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "values"),
    [
        pytest.param("benefits", "start", pa.array(["2020-01-01", "2020-01-01"]), id="string-date"),
        pytest.param("benefits", "end", pa.array([18300, 18300], pa.int32()), id="int-date"),
        pytest.param("benefits", "benefit", pa.array([0, 2], pa.int8()), id="int-enum"),
        pytest.param("benefits", "hours", pa.array(["1", "2"]), id="string-hours"),
        pytest.param("benefits", "supplementary", pa.array([0, 1]), id="int-bool"),
        pytest.param("benefits", "person_id", pa.array([1.0, 2.0]), id="float-person"),
        pytest.param("residence", "municipality", pa.array(["101"]), id="string-municipality"),
        pytest.param("exemptions", "code", pa.array([3.0]), id="float-code"),
    ],
)
def test_wrong_type(table: str, column: str, values: pa.Array) -> None:
    with pytest.raises(InputError) as info:
        Dataset.from_tables(**with_column(table, column, values))
    message = str(info.value)
    assert f"{table}.{column}: wrong type {values.type}" in message
    assert (info.value.table, info.value.column) == (table, column)
    if column != "person_id":
        assert "person_id=1" in message


# --- nulls -------------------------------------------------------------------------------------

NON_NULLABLE = [
    (t.name, c.name)
    for t in TABLES.values()
    for c in t.columns
    if not c.nullable and c.name != "person_id"
]


@pytest.mark.parametrize(("table", "column"), NON_NULLABLE)
def test_null_in_required_column(table: str, column: str) -> None:
    tables = with_row(table, **{column: None})
    expect_error(tables, table, column, "null in a required column", f"{column}=null")


def test_null_person_id_names_the_input_row() -> None:
    tables = with_row("benefits", person_id=None)
    with pytest.raises(InputError, match=r"benefits\.person_id: 1 row with null.*row=2"):
        Dataset.from_tables(**tables)


def test_nullable_columns_accept_nulls() -> None:
    ds = Dataset.from_tables(**with_row("benefits", hours=None, part_time=None))
    assert ds.tables["benefits"].num_rows == 3


# --- end < start ----------------------------------------------------------------------------------


@pytest.mark.parametrize("table", [t.name for t in TABLES.values() if t.interval])
def test_end_before_start(table: str) -> None:
    tables = with_row(table, start=D("2020-05-01"), end=D("2020-04-30"))
    expect_error(tables, table, "end", "1 row with end < start", "start=2020-05-01 end=2020-04-30")


def test_one_day_interval_is_valid() -> None:
    ds = Dataset.from_tables(**with_row("mii", start=D("2020-05-01"), end=D("2020-05-01")))
    assert ds.tables["mii"].num_rows == 2


# --- enumerations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "column"), list(ENUMERATIONS))
def test_unknown_enumeration_value(table: str, column: str) -> None:
    message = expect_error(
        with_row(table, **{column: "bogus"}), table, column, "unknown value", f"{column}='bogus'"
    )
    assert "allowed values: " + ", ".join(ENUMERATIONS[(table, column)]) in message


def test_unknown_value_in_a_dictionary_column() -> None:
    tables = with_row("benefits", benefit="Dagpenge")  # case matters
    ben = tables["benefits"]
    idx = ben.schema.get_field_index("benefit")
    tables["benefits"] = ben.set_column(idx, "benefit", ben.column("benefit").dictionary_encode())
    expect_error(tables, "benefits", "benefit", "benefit='Dagpenge'")


def test_unused_dictionary_entries_are_not_errors() -> None:
    values = pa.DictionaryArray.from_arrays(
        pa.array([0, 0], pa.int8()), pa.array(["dagpenge", "not-a-benefit"])
    )
    ds = Dataset.from_tables(**with_column("benefits", "benefit", values))
    assert ds.tables["benefits"].column("benefit").to_pylist() == [0, 0]


# --- date range and whole days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "column", "day"),
    [
        ("benefits", "start", D("1899-12-31")),
        ("benefits", "end", D("2101-01-01")),
        ("persons", "birth_date", D("1850-01-01")),
        ("interviews", "date", D("2200-01-01")),
        ("registrations", "date", D("0001-01-01")),
        ("dagpenge_periods", "start", D("1899-12-31")),
    ],
)
def test_date_outside_1900_2100(table: str, column: str, day: dt.date) -> None:
    values = {column: day}
    if column == "start" and TABLES[table].interval:
        values["end"] = D("2020-01-01")
    expect_error(
        with_row(table, **values), table, column, "outside 1900-01-01..2100-12-31", day.isoformat()
    )


def test_date_range_bounds_are_inclusive() -> None:
    tables = with_row("benefits", start=D("1900-01-01"), end=D("2100-12-31"))
    assert Dataset.from_tables(**tables).tables["benefits"].num_rows == 3


def test_timestamp_that_is_not_a_whole_day() -> None:
    stamps = pa.array([dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 1, 12)], pa.timestamp("us"))
    tables = with_column("benefits", "start", stamps)
    with pytest.raises(InputError, match=r"benefits\.start: 1 row .*not a whole day.*person_id=2"):
        Dataset.from_tables(**tables)


def test_timestamp_outside_the_date_range() -> None:
    stamps = pa.array([dt.datetime(2020, 1, 1), dt.datetime(1800, 1, 1)], pa.timestamp("s"))
    with pytest.raises(InputError, match=r"benefits\.start: .*outside.*person_id=2 start=1800"):
        Dataset.from_tables(**with_column("benefits", "start", stamps))


# --- municipality, codes, hours, month, duplicates ----------------------------------------------------


@pytest.mark.parametrize("table", ["residence", "interviews"])
@pytest.mark.parametrize("code", [0, 999, 102, -101, 100_000])
def test_municipality_not_one_of_the_98(table: str, code: int) -> None:
    tables = with_row(table, {"municipality": pa.int64()}, municipality=code)
    expect_error(
        tables, table, "municipality", "98 Danish municipality codes", f"municipality={code}"
    )


def test_exemption_code_outside_int16() -> None:
    tables = with_row("exemptions", {"code": pa.int32()}, code=40_000)
    expect_error(tables, "exemptions", "code", "outside -32768..32767", "code=40000")


@pytest.mark.parametrize("table", ["benefits", "employment"])
def test_negative_hours(table: str) -> None:
    expect_error(with_row(table, hours=-0.5), table, "hours", "negative hours", "hours=-0.5")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_nan_or_infinite_hours(value: float) -> None:
    expect_error(with_row("employment", hours=value), "employment", "hours", "NaN or infinite")


def test_employment_month_not_first_of_month() -> None:
    expect_error(
        with_row("employment", month=D("2020-03-15")),
        "employment",
        "month",
        "not the first day of a month",
        "month=2020-03-15",
    )


def test_first_of_month_lookup_agrees_with_calendar_months() -> None:
    from jobindsats.validate import _first_of_month

    # every day of 1899..2101 (leap and non-leap Februaries, 1900 and 2100 not leap)
    # and a shuffled sample, against NumPy's calendar months
    days = np.arange(
        np.datetime64("1899-01-01"), np.datetime64("2101-12-31"), dtype="datetime64[D]"
    )
    sample = np.random.default_rng(4).permutation(days.astype(np.int64))[:5000]
    for d in (days.astype(np.int32), sample.astype(np.int32)):
        calendar = d.astype("datetime64[D]")
        expected = calendar.astype("datetime64[M]").astype("datetime64[D]") == calendar
        np.testing.assert_array_equal(_first_of_month(d), expected)
    assert int(_first_of_month(days.astype(np.int32)).sum()) == 203 * 12
    # a span wider than SPEC §8's date range (never read: checked first) is still answered
    far = np.array([-(2**31) + 1, 0, 1, 2**31 - 1], np.int32)
    calendar = far.astype("datetime64[D]")
    wide = calendar.astype("datetime64[M]").astype("datetime64[D]") == calendar
    np.testing.assert_array_equal(_first_of_month(far), wide)


def test_duplicate_person_in_persons() -> None:
    tables = valid_tables()
    tables["persons"] = pa.table(
        {
            "person_id": [1, BAD_ID, 2, BAD_ID],
            "birth_date": [D("1980-01-01"), D("1981-01-01"), D("1982-01-01"), D("1983-01-01")],
        }
    )
    expect_error(
        tables,
        "persons",
        "person_id",
        "2 rows with a duplicate person_id",
        f"person_id={BAD_ID} birth_date=1981-01-01",
        f"person_id={BAD_ID} birth_date=1983-01-01",
    )


# --- message format ---------------------------------------------------------------------------------


def test_message_shows_five_rows_with_the_smallest_ids_and_the_total() -> None:
    n = 12
    ids = np.arange(100, 100 + n)
    benefits = pa.table(
        {
            "person_id": ids,
            "benefit": ["other"] * n,
            "start": [D("2020-05-01")] * n,
            "end": [D("2020-04-30")] * n,
        }
    )
    messages = set()
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(n)
        with pytest.raises(InputError) as info:
            Dataset.from_tables(benefits=benefits.take(pa.array(order)))
        messages.add(str(info.value))
    assert len(messages) == 1  # independent of the input row order
    message = messages.pop()
    assert message.startswith(f"benefits.end: {n} rows with end < start (")
    shown = re.findall(r"person_id=(\d+)", message)
    assert shown == ["100", "101", "102", "103", "104"]
    assert message.endswith("; ...)")


def test_errors_are_reported_not_repaired_for_every_offending_row() -> None:
    tables = with_row("benefits", hours=-1.0)
    t = tables["benefits"]
    tables["benefits"] = t.set_column(
        t.schema.get_field_index("hours"), "hours", pa.array([-2.0, 1.0, -1.0])
    )
    with pytest.raises(InputError, match=r"benefits\.hours: 2 rows with negative hours"):
        Dataset.from_tables(**tables)
