"""Tiny hand-written datasets for the rule tests.

Every helper returns one row as a plain ``dict`` (dates as ISO strings); :func:`tables`
turns lists of rows into pyarrow tables with the canonical types of SPEC §2 (transcribed
here on purpose, independently of ``jobindsats.schema``), and :func:`dataset` hands them
to ``jobindsats.Dataset.from_tables``. Only :func:`dataset`, :func:`run` and the query
helpers touch ``jobindsats``; building tables works without the engine.

Defaults (unless a test says otherwise): every person that appears in any table gets a
``persons`` row with the adult birth date :data:`ADULT` and a ``residence`` row in
:data:`HOME` covering every date a test uses. Pass ``persons=[]`` / ``residence=[]`` to
get none.

All intervals are closed ``[start, end]`` (both days included), as in the SPEC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

#: default birth date: 38-39 years old in 2019, far from both age limits of R2
ADULT = "1980-05-05"
#: default residence municipality (København)
HOME = 101
#: a municipality that is in no trial of R23 (Aarhus); use it for contact-form tests
NON_TRIAL = 751
#: the default residence row covers these dates (inside the 1900..2100 range of §8)
RESIDENCE_FROM = "1950-01-01"
RESIDENCE_TO = "2099-12-31"

Row = dict[str, Any]

# --- canonical column types (SPEC §2) ----------------------------------------------------

_ID = pa.int64()
_DATE = pa.date32()
_STR = pa.string()
_MUNI = pa.int16()
_CODE = pa.int16()
_F64 = pa.float64()
_BOOL = pa.bool_()

#: table -> ordered (column, arrow type); enumerations are plain strings
COLUMNS: dict[str, tuple[tuple[str, pa.DataType], ...]] = {
    "persons": (("person_id", _ID), ("birth_date", _DATE)),
    "benefits": (
        ("person_id", _ID),
        ("benefit", _STR),
        ("start", _DATE),
        ("end", _DATE),
        ("hours", _F64),
        ("part_time", _BOOL),
        ("supplementary", _BOOL),
    ),
    "dagpenge_periods": (("person_id", _ID), ("start", _DATE)),
    "interviews": (
        ("person_id", _ID),
        ("date", _DATE),
        ("kind", _STR),
        ("form", _STR),
        ("held_by", _STR),
        ("joint", _BOOL),
        ("akasse_present", _BOOL),
        ("jobcenter_present", _BOOL),
        ("municipality", _MUNI),
    ),
    "exemptions": (("person_id", _ID), ("code", _CODE), ("start", _DATE), ("end", _DATE)),
    "mii": (("person_id", _ID), ("start", _DATE), ("end", _DATE)),
    "offers": (("person_id", _ID), ("kind", _STR), ("start", _DATE), ("end", _DATE)),
    "residence": (
        ("person_id", _ID),
        ("municipality", _MUNI),
        ("start", _DATE),
        ("end", _DATE),
    ),
    "visitation": (("person_id", _ID), ("category", _STR), ("start", _DATE), ("end", _DATE)),
    "registrations": (("person_id", _ID), ("date", _DATE)),
    "employment": (("person_id", _ID), ("month", _DATE), ("hours", _F64)),
}

#: nullable columns (everything else is required non-null)
NULLABLE = {("benefits", "hours"), ("benefits", "part_time")}


def D(s: str | dt.date) -> dt.date:
    """An ISO date string (``YYYY-MM-DD``) or month (``YYYY-MM``) as ``datetime.date``."""
    if isinstance(s, dt.date):
        return s
    if len(s) == 7:
        s = s + "-01"
    return dt.date.fromisoformat(s)


def days_before(end: str, n: int) -> str:
    """The start date of the calendar range of ``n`` days ending on ``end`` (inclusive).

    Plain calendar arithmetic; tests use it only inside ranges without 29 February and
    without dead days, where calendar days and counted days (R11) coincide.
    """
    return (D(end) - dt.timedelta(days=n - 1)).isoformat()


# --- row helpers ------------------------------------------------------------------------


def benefit(
    kind: str,
    start: str,
    end: str,
    *,
    person: int = 1,
    hours: float | None = None,
    part_time: bool | None = None,
    supplementary: bool = False,
) -> Row:
    return {
        "person_id": person,
        "benefit": kind,
        "start": start,
        "end": end,
        "hours": hours,
        "part_time": part_time,
        "supplementary": supplementary,
    }


def monthly_benefit(
    kind: str,
    first_month: str,
    last_month: str,
    *,
    person: int = 1,
    hours: float | None = None,
    part_time: bool | None = None,
) -> list[Row]:
    """One benefit row per calendar month ``first_month..last_month`` (``YYYY-MM``), each
    from the 1st to the last day of its month, each with ``hours``."""
    out: list[Row] = []
    y, m = D(first_month).year, D(first_month).month
    last = D(last_month)
    while (y, m) <= (last.year, last.month):
        first = dt.date(y, m, 1)
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        out.append(
            benefit(
                kind,
                first.isoformat(),
                (nxt - dt.timedelta(days=1)).isoformat(),
                person=person,
                hours=hours,
                part_time=part_time,
            )
        )
        y, m = nxt.year, nxt.month
    return out


def dagpenge_period(start: str, *, person: int = 1) -> Row:
    return {"person_id": person, "start": start}


def interview(
    date: str,
    *,
    kind: str = "jobsamtale",
    form: str = "personligt",
    held_by: str = "jobcenter",
    municipality: int = HOME,
    person: int = 1,
    joint: bool = False,
    akasse_present: bool = False,
    jobcenter_present: bool = True,
) -> Row:
    return {
        "person_id": person,
        "date": date,
        "kind": kind,
        "form": form,
        "held_by": held_by,
        "joint": joint,
        "akasse_present": akasse_present,
        "jobcenter_present": jobcenter_present,
        "municipality": municipality,
    }


def exemption(code: int, start: str, end: str, *, person: int = 1) -> Row:
    return {"person_id": person, "code": code, "start": start, "end": end}


def mii(start: str, end: str, *, person: int = 1) -> Row:
    return {"person_id": person, "start": start, "end": end}


def offer(start: str, end: str, *, kind: str = "virksomhedspraktik", person: int = 1) -> Row:
    return {"person_id": person, "kind": kind, "start": start, "end": end}


def residence(municipality: int, start: str, end: str, *, person: int = 1) -> Row:
    return {"person_id": person, "municipality": municipality, "start": start, "end": end}


def visitation(category: str, start: str, end: str, *, person: int = 1) -> Row:
    return {"person_id": person, "category": category, "start": start, "end": end}


def registration(date: str, *, person: int = 1) -> Row:
    return {"person_id": person, "date": date}


def employment(month: str, hours: float, *, person: int = 1) -> Row:
    return {"person_id": person, "month": D(month).isoformat(), "hours": hours}


# --- tables -----------------------------------------------------------------------------


def _column(table: str, name: str, typ: pa.DataType, values: list[Any]) -> pa.Array:
    if typ == _DATE:
        values = [None if v is None else D(v) for v in values]
    return pa.array(values, type=typ)


def table(name: str, rows: Iterable[Row]) -> pa.Table:
    """One canonical table from row dicts (column order and types of SPEC §2)."""
    rows = list(rows)
    cols = COLUMNS[name]
    fields = [pa.field(c, t, nullable=(name, c) in NULLABLE) for c, t in cols]
    arrays = [_column(name, c, t, [r[c] for r in rows]) for c, t in cols]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def tables(
    *,
    benefits: Sequence[Row] = (),
    persons: Sequence[tuple[int, str]] | None = None,
    dagpenge_periods: Sequence[Row] = (),
    interviews: Sequence[Row] = (),
    exemptions: Sequence[Row] = (),
    mii: Sequence[Row] = (),
    offers: Sequence[Row] = (),
    residence: Sequence[Row] | None = None,
    visitation: Sequence[Row] = (),
    registrations: Sequence[Row] = (),
    employment: Sequence[Row] = (),
) -> dict[str, pa.Table]:
    """The keyword arguments for ``Dataset.from_tables``.

    ``benefits`` is always present (possibly empty); an optional table is passed only when
    it has rows ("a missing table means no such events", SPEC §2). ``persons=None`` and
    ``residence=None`` mean the defaults described in the module docstring.
    """
    given: dict[str, Sequence[Row]] = {
        "dagpenge_periods": dagpenge_periods,
        "interviews": interviews,
        "exemptions": exemptions,
        "mii": mii,
        "offers": offers,
        "visitation": visitation,
        "registrations": registrations,
        "employment": employment,
    }
    ids = sorted(
        {r["person_id"] for r in benefits}
        | {r["person_id"] for rows in given.values() for r in rows}
        | {r["person_id"] for r in residence or ()}
        | {p for p, _ in persons or ()}
    )
    if persons is None:
        persons = [(p, ADULT) for p in ids]
    if residence is None:
        residence = [
            {
                "person_id": p,
                "municipality": HOME,
                "start": RESIDENCE_FROM,
                "end": RESIDENCE_TO,
            }
            for p in ids
        ]
    out = {"benefits": table("benefits", benefits)}
    person_rows = [{"person_id": p, "birth_date": b} for p, b in persons]
    for name, rows in (
        ("persons", person_rows),
        ("residence", residence),
        *given.items(),
    ):
        if rows:
            out[name] = table(name, rows)
    return out


def dataset(**kwargs: Any) -> Any:
    """``jobindsats.Dataset.from_tables(**tables(**kwargs))``."""
    import jobindsats

    return jobindsats.Dataset.from_tables(**tables(**kwargs))


# --- running and querying ---------------------------------------------------------------


def run(ds: Any, start: str, end: str | None = None, *, backend: str, rules: Any = "v1.73") -> Any:
    """``jobindsats.measure`` over the months ``start..end`` (``YYYY-MM``)."""
    import jobindsats

    return jobindsats.measure(ds, start=start, end=end or start, backend=backend, rules=rules)


def measure(
    *, start: str, end: str | None = None, backend: str, rules: Any = "v1.73", **kwargs: Any
) -> Any:
    """Build a dataset from row lists (see :func:`tables`) and measure it (``rules``: a
    rule set's name, file or :class:`jobindsats.rules.RuleSet`)."""
    return run(dataset(**kwargs), start, end, backend=backend, rules=rules)


def person_rows(
    m: Any,
    *,
    person: int | None = None,
    month: str | None = None,
    group: str | None = None,
) -> list[Row]:
    """The R47 rows of a Measurement, filtered."""
    rows = m.persons.to_pylist()
    return [
        r
        for r in rows
        if (person is None or r["person_id"] == person)
        and (month is None or r["month"] == D(month))
        and (group is None or r["group"] == group)
    ]


def one_row(m: Any, month: str, group: str | None = None, *, person: int = 1) -> Row:
    """The single R47 row of ``person`` in ``month`` (and ``group``); fails otherwise."""
    rows = person_rows(m, person=person, month=month, group=group)
    assert len(rows) == 1, f"expected one row for {person=} {month=} {group=}, got {rows}"
    return rows[0]


def counted(m: Any, month: str, group: str | None = None, *, person: int = 1) -> int:
    return one_row(m, month, group, person=person)["counted"]


def all_cells(m: Any) -> list[Row]:
    return m.cells.to_pylist()


def cell(m: Any, month: str, group: str, interval: str, *, municipality: int = 0) -> Row | None:
    """The R40 cell, or ``None`` when it is not emitted (= all zeros)."""
    hits = [
        c
        for c in m.cells.to_pylist()
        if c["month"] == D(month)
        and c["municipality"] == municipality
        and c["group"] == group
        and c["interval"] == interval
    ]
    assert len(hits) <= 1, f"duplicate cells: {hits}"
    return hits[0] if hits else None
