"""The bad-input corpus of issue 18 (SPEC §8): one malformed dataset per case.

Each :class:`Case` builds a dataset of in-memory Arrow tables from :func:`valid_tables`
(two persons, a row in every table) with exactly one thing wrong, and says which error
the library must raise: its class, the table and column it names, and the pieces of the
message that show the offending rows (person id and values). The offending row always
belongs to person :data:`BAD_ID`, which appears in no valid row, so finding it in the
message proves that the message points at the right row.

``tests/test_bad_input_corpus.py`` runs every case through ``Dataset.from_tables``,
``read_dataset`` on Parquet files and the CLI; run this module to print the table of
``docs/bad_input.md``::

    python tests/bad_input_cases.py
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa

D = dt.date.fromisoformat
#: the person of every offending row
BAD_ID = 4242
DAY, LATER = D("2020-01-01"), D("2020-02-29")

Tables = dict[str, pa.Table]


def valid_tables() -> Tables:
    """One or two valid rows in every table of SPEC §2 (persons 1 and 2)."""
    return {
        "persons": pa.table({"person_id": [1, 2], "birth_date": [D("1980-05-05"), D("1990-01-01")]}),
        "benefits": pa.table({
            "person_id": [1, 2], "benefit": ["dagpenge", "kontanthjaelp"], "start": [DAY, DAY],
            "end": [LATER, LATER], "hours": pa.array([160.33, None], pa.float64()),
            "part_time": pa.array([False, None], pa.bool_()),
            "supplementary": pa.array([False, False], pa.bool_()),
        }),
        "dagpenge_periods": pa.table({"person_id": [1], "start": [DAY]}),
        "interviews": pa.table({
            "person_id": [1], "date": [DAY], "kind": ["jobsamtale"], "form": ["personligt"],
            "held_by": ["jobcenter"], "joint": [False], "akasse_present": [False],
            "jobcenter_present": [True], "municipality": pa.array([101], pa.int16()),
        }),
        "exemptions": pa.table(
            {"person_id": [1], "code": pa.array([3], pa.int16()), "start": [DAY], "end": [LATER]}
        ),
        "mii": pa.table({"person_id": [1], "start": [DAY], "end": [DAY]}),
        "offers": pa.table(
            {"person_id": [1], "kind": ["nytteindsats"], "start": [DAY], "end": [LATER]}
        ),
        "residence": pa.table({
            "person_id": [1], "municipality": pa.array([751], pa.int16()), "start": [DAY],
            "end": [LATER],
        }),
        "visitation": pa.table(
            {"person_id": [2], "category": ["jobparat"], "start": [DAY], "end": [LATER]}
        ),
        "registrations": pa.table({"person_id": [1], "date": [DAY]}),
        "employment": pa.table({"person_id": [1], "month": [DAY], "hours": [12.5]}),
    }  # fmt: skip


#: required columns per table (SPEC §2), in schema order; written out here on purpose
REQUIRED: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "birth_date"),
    "benefits": ("person_id", "benefit", "start", "end"),
    "dagpenge_periods": ("person_id", "start"),
    "interviews": ("person_id", "date", "kind", "form", "held_by", "municipality"),
    "exemptions": ("person_id", "code", "start", "end"),
    "mii": ("person_id", "start", "end"),
    "offers": ("person_id", "kind", "start", "end"),
    "residence": ("person_id", "municipality", "start", "end"),
    "visitation": ("person_id", "category", "start", "end"),
    "registrations": ("person_id", "date"),
    "employment": ("person_id", "month", "hours"),
}
ENUMS = (
    ("benefits", "benefit"), ("interviews", "kind"), ("interviews", "form"),
    ("interviews", "held_by"), ("offers", "kind"), ("visitation", "category"),
)  # fmt: skip
INTERVALS = ("benefits", "exemptions", "mii", "offers", "residence", "visitation")


def with_row(table: str, types: dict[str, pa.DataType] | None = None, **values: object) -> Tables:
    """The valid tables plus one row of ``table`` for :data:`BAD_ID`: the table's first
    row with ``values`` overriding it (``types``: column types to use instead)."""
    tables = valid_tables()
    t = tables[table]
    row = {**t.slice(0, 1).to_pylist()[0], "person_id": BAD_ID, **values}
    types = {**{f.name: f.type for f in t.schema}, **(types or {})}
    tables[table] = pa.table(
        {c: pa.array([*t.column(c).to_pylist(), row[c]], types[c]) for c in t.column_names}
    )
    return tables


def with_column(table: str, column: str, values: list[object], typ: pa.DataType) -> Tables:
    """The valid tables plus a :data:`BAD_ID` row in ``table`` whose ``column`` holds
    ``values`` (the other rows' values, then the bad row's) of type ``typ``."""
    tables = with_row(table)
    t = tables[table]
    tables[table] = t.set_column(t.schema.get_field_index(column), column, pa.array(values, typ))
    return tables


def without_column(table: str, column: str) -> Tables:
    tables = valid_tables()
    tables[table] = tables[table].drop_columns([column])
    return tables


@dataclass(frozen=True)
class Case:
    """One malformed dataset: what is wrong, and what the library must say."""

    id: str
    what: str  # the input, in words (docs/bad_input.md)
    make: Callable[[], Tables]
    table: str
    column: str | None
    #: pieces the message must contain besides ``table.column`` (rows, values, the rule)
    shows: tuple[str, ...]
    error: str = "InputError"
    #: whether the case survives a round trip through Parquet unchanged (Parquet has no
    #: two columns of one name, for instance)
    on_disk: bool = field(default=True)


def _missing_columns() -> list[Case]:
    return [
        Case(
            f"missing-{t}.{c}",
            f"`{t}` without its required column `{c}`",
            lambda t=t, c=c: without_column(t, c),
            t,
            c,
            ("required column missing (columns present:",),
        )
        for t, cols in REQUIRED.items()
        for c in cols
    ]


def _null_person_ids() -> list[Case]:
    def make(t: str) -> Tables:
        tables = with_row(t)
        ids = tables[t].column("person_id").to_pylist()
        return with_column(t, "person_id", [*ids[:-1], None], pa.int64())

    return [
        Case(
            f"null-{t}.person_id",
            f"a null `person_id` in `{t}`",
            lambda t=t: make(t),
            t,
            "person_id",
            ("1 row with null in a required column", f"row={len(valid_tables()[t])}"),
        )
        for t in REQUIRED
    ]


def _end_before_start() -> list[Case]:
    return [
        Case(
            f"end-before-start-{t}",
            f"`{t}` row with `end` before `start`",
            lambda t=t: with_row(t, start=D("2020-03-02"), end=D("2020-03-01")),
            t,
            "end",
            (f"person_id={BAD_ID} start=2020-03-02 end=2020-03-01", "with end < start"),
        )
        for t in INTERVALS
    ]


def _unknown_enums() -> list[Case]:
    return [
        Case(
            f"unknown-{t}.{c}",
            f"`{t}.{c}` = `'bogus'`",
            lambda t=t, c=c: with_row(t, **{c: "bogus"}),
            t,
            c,
            (f"1 row with an unknown value (person_id={BAD_ID} {c}='bogus'); allowed values:",),
        )
        for t, c in ENUMS
    ]


def _duplicate_column() -> Tables:
    tables = valid_tables()
    t = tables["mii"]
    tables["mii"] = pa.Table.from_arrays(
        [*t.columns, t.column("end")], names=[*t.column_names, "end"]
    )
    return tables


def _duplicate_person() -> Tables:
    tables = with_row("persons")
    again = pa.table({"person_id": [BAD_ID], "birth_date": [D("1971-01-01")]})
    tables["persons"] = pa.concat_tables([tables["persons"], again])
    return tables


def _nan_hours(value: float, table: str = "benefits") -> Callable[[], Tables]:
    return lambda: with_row(table, hours=value)


BAD = f"person_id={BAD_ID}"

CASES: list[Case] = [
    # --- wrong types (SPEC §2 / §8) ------------------------------------------------------
    Case("string-dates", "dates as strings (`benefits.start` = `'2020-01-01'`)",
         lambda: with_column("benefits", "start", ["2020-01-01"] * 3, pa.string()),
         "benefits", "start", ("wrong type string, expected date32", f"{BAD} start='2020-01-01'")),
    Case("float-ids", "`person_id` as float64 (`4242.0`)",
         lambda: with_column("benefits", "person_id", [1.0, 2.0, 4242.0], pa.float64()),
         "benefits", "person_id", ("wrong type double, expected an integer type", "person_id=4242.0")),
    Case("string-ids", "`person_id` as strings (`'4242'`)",
         lambda: with_column("interviews", "person_id", ["1", "4242"], pa.string()),
         "interviews", "person_id", ("wrong type string, expected an integer type", "person_id='4242'")),
    Case("decimal-hours", "hours as `decimal128(10, 2)` (`160.50`)",
         lambda: with_column("benefits", "hours", [Decimal("1"), None, Decimal("160.5")],
                             pa.decimal128(10, 2)),
         "benefits", "hours", ("wrong type decimal128(10, 2), expected float64", f"{BAD} hours=160.50")),
    Case("decimal-code", "a decimal where an integer code is expected (`exemptions.code` = `3.5`)",
         lambda: with_column("exemptions", "code", [3.0, 3.5], pa.float64()),
         "exemptions", "code", ("wrong type double, expected an integer type (int16)", f"{BAD} code=3.5")),
    Case("float-municipality", "a whole-valued float municipality (`751.0`)",
         lambda: with_column("residence", "municipality", [751.0, 751.0], pa.float64()),
         "residence", "municipality", ("wrong type double, expected an integer type (int16)",
                                       f"{BAD} municipality=751.0")),
    Case("int-enum", "an enumeration as integer codes (`benefits.benefit` = `2`)",
         lambda: with_column("benefits", "benefit", [0, 2, 2], pa.int8()),
         "benefits", "benefit", ("wrong type int8, expected a string enumeration", f"{BAD} benefit=2")),
    Case("int-bool", "a flag as 0/1 integers (`interviews.joint`)",
         lambda: with_column("interviews", "joint", [0, 1], pa.int64()),
         "interviews", "joint", ("wrong type int64, expected bool", f"{BAD} joint=1")),
    Case("string-hours", "hours as strings (`employment.hours` = `'12,5'`)",
         lambda: with_column("employment", "hours", ["12.5", "12,5"], pa.string()),
         "employment", "hours", ("wrong type string, expected float64", f"{BAD} hours='12,5'")),
    Case("timestamp-not-a-day", "a timestamp that is not midnight (`2020-01-01 12:00`)",
         lambda: with_column("registrations", "date",
                             [dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 1, 12)],
                             pa.timestamp("ms")),
         "registrations", "date", ("not a whole day (expected date32)", BAD)),
    Case("uint64-id", "`person_id` above the int64 range (uint64 2^64 - 1)",
         lambda: with_column("benefits", "person_id", [1, 2, 2**64 - 1], pa.uint64()),
         "benefits", "person_id", ("1 row with a value above the int64 range",
                                   "row=2 person_id=18446744073709551615")),
    Case("code-outside-int16", "`exemptions.code` = 40000 (int32)",
         lambda: with_row("exemptions", types={"code": pa.int32()}, code=40000),
         "exemptions", "code", ("with a value outside -32768..32767", f"{BAD} code=40000")),
    Case("duplicate-column", "a table with the column `end` twice",
         _duplicate_column, "mii", "end", ("column appears 2 times",), on_disk=False),
    # --- nulls in key and required columns -------------------------------------------------
    *_null_person_ids(),
    Case("null-start", "a null `benefits.start`", lambda: with_row("benefits", start=None),
         "benefits", "start", ("with null in a required column", f"{BAD} start=null")),
    Case("null-date", "a null `interviews.date`", lambda: with_row("interviews", date=None),
         "interviews", "date", ("with null in a required column", f"{BAD} date=null")),
    Case("null-enum", "a null `benefits.benefit`", lambda: with_row("benefits", benefit=None),
         "benefits", "benefit", ("with null in a required column", f"{BAD} benefit=null")),
    Case("null-birth-date", "a null `persons.birth_date`",
         lambda: with_row("persons", birth_date=None),
         "persons", "birth_date", ("with null in a required column", f"{BAD} birth_date=null")),
    # --- values ----------------------------------------------------------------------------
    *_end_before_start(),
    Case("date-1899", "a date in 1899 (`benefits.start` = `1899-12-31`)",
         lambda: with_row("benefits", start=D("1899-12-31")), "benefits", "start",
         ("with a date outside 1900-01-01..2100-12-31", f"{BAD} start=1899-12-31")),
    Case("birth-date-1899", "a birth date in 1899 (`persons.birth_date` = `1899-06-30`)",
         lambda: with_row("persons", birth_date=D("1899-06-30")), "persons", "birth_date",
         ("1 row with a date outside 1900-01-01..2100-12-31", f"{BAD} birth_date=1899-06-30")),
    Case("date-2300", "a date in 2300 (`interviews.date` = `2300-01-01`)",
         lambda: with_row("interviews", date=D("2300-01-01")), "interviews", "date",
         ("with a date outside 1900-01-01..2100-12-31", f"{BAD} date=2300-01-01")),
    Case("nan-hours", "NaN hours", _nan_hours(float("nan")), "benefits", "hours",
         ("with NaN or infinite hours", f"{BAD} hours=nan")),
    Case("inf-hours", "infinite hours", _nan_hours(float("inf")), "benefits", "hours",
         ("with NaN or infinite hours", f"{BAD} hours=inf")),
    Case("minus-inf-employment-hours", "-inf `employment.hours`",
         _nan_hours(float("-inf"), "employment"), "employment", "hours",
         ("with NaN or infinite hours", f"{BAD} hours=-inf")),
    Case("negative-hours", "negative hours (`-7.4`)", _nan_hours(-7.4), "benefits", "hours",
         ("with negative hours", f"{BAD} hours=-7.4")),
    *_unknown_enums(),
    Case("municipality-0", "municipality code 0 (not one of the 98)",
         lambda: with_row("residence", municipality=0), "residence", "municipality",
         ("not one of the 98 Danish municipality codes", f"{BAD} municipality=0")),
    Case("municipality-1000", "municipality code 1000 on an interview",
         lambda: with_row("interviews", municipality=1000), "interviews", "municipality",
         ("not one of the 98 Danish municipality codes", f"{BAD} municipality=1000")),
    Case("duplicate-person", "two `persons` rows for one person", _duplicate_person,
         "persons", "person_id", ("2 rows with a duplicate person_id",
                                  f"{BAD} birth_date=1971-01-01", f"{BAD} birth_date=1980-05-05")),
    Case("month-not-first", "`employment.month` not the first of a month",
         lambda: with_row("employment", month=D("2020-03-15")), "employment", "month",
         ("not the first day of a month", f"{BAD} month=2020-03-15")),
]  # fmt: skip
CASES += _missing_columns()


def _markdown() -> str:  # pragma: no cover - documentation helper
    from jobindsats import Dataset, InputError

    lines = ["| case | input | what the library says |", "|---|---|---|"]
    for case in CASES:
        try:
            Dataset.from_tables(**case.make())
            said = "(accepted)"
        except InputError as exc:
            said = f"`{type(exc).__name__}`: {str(exc).replace('|', '/')}"
        lines.append(f"| {case.id} | {case.what} | {said} |")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(_markdown())
