"""The canonical input schema of SPEC §2 and the small-integer codes of its enumerations.

Every table is a set of Arrow columns; dates are ``date32`` (days since 1970-01-01) and
intervals are closed ``[start, end]`` (both days included). The encoded form that the
kernels read (see ``docs/kernel.md``) replaces each enumeration string by its index in
the tuples below; the codes are part of the kernel contract and never change meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

# --- enumerations (code = index) -------------------------------------------------------

#: Benefit groups, SPEC §1 glossary. Codes 0..9 are measured (R1), 10..13 are not.
BENEFITS: tuple[str, ...] = (
    "dagpenge",  # 0
    "sygedagpenge",  # 1
    "kontanthjaelp",  # 2
    "uddannelseshjaelp",  # 3
    "overgangsydelse",  # 4
    "revalidering",  # 5
    "forrevalidering",  # 6  (measured as revalidering, R7)
    "ressourceforloeb",  # 7
    "jobafklaring",  # 8
    "ledighedsydelse",  # 9
    "arbejdsfordeling",  # 10
    "overgangsydelse_program",  # 11
    "foertidspension",  # 12
    "other",  # 13
)

#: Measured groups as reported (R40, R47): forrevalidering is reported as revalidering.
GROUPS: tuple[str, ...] = (
    "dagpenge",  # 0
    "sygedagpenge",  # 1
    "kontanthjaelp",  # 2
    "uddannelseshjaelp",  # 3
    "overgangsydelse",  # 4
    "revalidering",  # 5
    "ressourceforloeb",  # 6
    "jobafklaring",  # 7
    "ledighedsydelse",  # 8
)

INTERVIEW_KINDS: tuple[str, ...] = ("jobsamtale", "sygeopfoelgning", "anden")
CONTACT_FORMS: tuple[str, ...] = ("personligt", "telefon", "digitalt")
HOLDERS: tuple[str, ...] = ("jobcenter", "anden_aktoer", "akasse")
OFFER_KINDS: tuple[str, ...] = (
    "vejledning_opkvalificering",
    "virksomhedspraktik",
    "loentilskud",
    "nytteindsats",
    "ordinaer_uddannelse",
    "other",
)
CATEGORIES: tuple[str, ...] = (
    "jobparat",
    "aktivitetsparat",
    "uddannelsesparat",
    "aabenlyst_uddannelsesparat",
)

#: Fine duration intervals (R12): index 0..12; index 12 is ``12+``.
FINE_INTERVALS: tuple[str, ...] = (
    "<1", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12+",
)  # fmt: skip
#: Year bands of ``12+`` (R12).
YEAR_BANDS: tuple[str, ...] = ("1-2y", "3-5y", "6-9y", "10y+")
#: All interval labels of the R40 table, in output order.
INTERVALS: tuple[str, ...] = (*FINE_INTERVALS[:12], "under12", "12+", *YEAR_BANDS)

#: Values of the ``excluded`` column of R47 (code 0 = not excluded, null in output).
EXCLUSIONS: tuple[str, ...] = ("", "age", "dead_month")

#: Enumerated columns: (table, column) -> allowed values, in code order.
ENUMERATIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("benefits", "benefit"): BENEFITS,
    ("interviews", "kind"): INTERVIEW_KINDS,
    ("interviews", "form"): CONTACT_FORMS,
    ("interviews", "held_by"): HOLDERS,
    ("offers", "kind"): OFFER_KINDS,
    ("visitation", "category"): CATEGORIES,
}


# --- tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a canonical table.

    ``kind`` is one of ``"id"`` (int64), ``"date"`` (date32), ``"enum"`` (string enumeration,
    see ``ENUMERATIONS``), ``"municipality"`` (int16 municipality code), ``"code"`` (int16),
    ``"float"`` (float64), ``"bool"`` and ``"string"`` (free text, e.g. the persons'
    optional attributes). ``nullable`` columns may hold nulls; ``default``
    is the value a missing optional column takes (``None``: the column is required).
    """

    name: str
    kind: str
    nullable: bool = False
    required: bool = True
    default: object = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    #: the date column(s) rows are sorted by within a person, after person_id
    sort_by: tuple[str, ...]
    required: bool = False
    #: columns forming a closed interval [start, end] (checked: end >= start)
    interval: tuple[str, str] | None = None

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


ARROW_TYPES: dict[str, pa.DataType] = {
    "id": pa.int64(),
    "date": pa.date32(),
    "enum": pa.string(),
    "municipality": pa.int16(),
    "code": pa.int16(),
    "float": pa.float64(),
    "bool": pa.bool_(),
    "string": pa.string(),
}

_PID = Column("person_id", "id")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "persons",
            (
                _PID,
                Column("birth_date", "date"),
                # SPEC §2: free string values, only breaking down R45.7 (missing: unknown)
                Column("sex", "string", nullable=True, required=False),
                Column("origin", "string", nullable=True, required=False),
                Column("education", "string", nullable=True, required=False),
            ),
            sort_by=(),
        ),
        Table(
            "benefits",
            (
                _PID,
                Column("benefit", "enum"),
                Column("start", "date"),
                Column("end", "date"),
                Column("hours", "float", nullable=True, required=False),
                Column("part_time", "bool", nullable=True, required=False),
                Column("supplementary", "bool", required=False, default=False),
            ),
            sort_by=("start", "end"),
            required=True,
            interval=("start", "end"),
        ),
        Table("dagpenge_periods", (_PID, Column("start", "date")), sort_by=("start",)),
        Table(
            "interviews",
            (
                _PID,
                Column("date", "date"),
                Column("kind", "enum"),
                Column("form", "enum"),
                Column("held_by", "enum"),
                Column("joint", "bool", required=False, default=False),
                # R45.9: null presence flags are false
                Column("akasse_present", "bool", nullable=True, required=False, default=False),
                Column("jobcenter_present", "bool", nullable=True, required=False, default=True),
                Column("municipality", "municipality"),
            ),
            sort_by=("date",),
        ),
        Table(
            "exemptions",
            (_PID, Column("code", "code"), Column("start", "date"), Column("end", "date")),
            sort_by=("start", "end"),
            interval=("start", "end"),
        ),
        Table(
            "mii",
            (_PID, Column("start", "date"), Column("end", "date")),
            sort_by=("start", "end"),
            interval=("start", "end"),
        ),
        Table(
            "offers",
            (
                _PID,
                Column("kind", "enum"),
                Column("start", "date"),
                Column("end", "date"),
            ),
            sort_by=("start", "end"),
            interval=("start", "end"),
        ),
        Table(
            "residence",
            (
                _PID,
                Column("municipality", "municipality"),
                Column("start", "date"),
                Column("end", "date"),
            ),
            sort_by=("start", "end"),
            interval=("start", "end"),
        ),
        Table(
            "visitation",
            (
                _PID,
                Column("category", "enum"),
                Column("start", "date"),
                Column("end", "date"),
            ),
            sort_by=("start", "end"),
            interval=("start", "end"),
        ),
        Table("registrations", (_PID, Column("date", "date")), sort_by=("date",)),
        Table(
            "employment",
            (_PID, Column("month", "date"), Column("hours", "float")),
            sort_by=("month",),
        ),
    )
}


def arrow_schema(table: str) -> pa.Schema:
    """The canonical Arrow schema of ``table`` (enumerations as plain ``string``)."""
    t = TABLES[table]
    return pa.schema(
        [pa.field(c.name, ARROW_TYPES[c.kind], nullable=c.nullable) for c in t.columns]
    )


def code_of(enum: tuple[str, ...], value: str) -> int:
    """The small-integer code of ``value`` in ``enum`` (raises ``ValueError`` if unknown)."""
    return enum.index(value)
