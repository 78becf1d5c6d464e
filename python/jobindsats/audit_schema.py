"""The focus audit's output contract (SPEC R45.10): table names, schemas and labels.

Shared by :mod:`jobindsats.audit` (which re-exports everything here) and the modules that
build the tables, so that none of them imports the API module.
"""

from __future__ import annotations

import pyarrow as pa

from .schema import CONTACT_FORMS, OFFER_KINDS

#: R45.2 seniority groups in output order: six fine groups, the coarse pair, ``all``.
SENIORITY: tuple[str, ...] = ("0-3", "3-6", "6-12", "12-18", "18-24", "24+", "under6", "6+", "all")
#: R45.4 interview types (a partition of the interviews, R45.9).
INTERVIEW_TYPES: tuple[str, ...] = ("jobsamtale", "faellessamtale", "anden", "sygeopfoelgning")
#: R45.6 participation of a joint interview.
PARTICIPATION: tuple[str, ...] = ("both", "akasse_only", "jobcenter_only", "neither")
#: R45.6 entitlement: which joint interview.
WHICH: tuple[str, ...] = ("1st", "2nd", "3rd")
#: R45.7 breakdowns and age bands.
SUBGROUP_DIMENSIONS: tuple[str, ...] = ("sex", "age_band", "origin", "education")
AGE_BANDS: tuple[str, ...] = ("<25", "25-29", "30-39", "40-49", "50+")
#: The R45.10 tables, in output order.
AUDIT_TABLES: tuple[str, ...] = (
    "intensity",
    "intensity_spread",
    "mix",
    "activation",
    "activation_kinds",
    "joint",
    "entitlement",
    "subgroups",
    "change",
)

_S = pa.string()
_M = pa.int16()
_N = pa.int64()
_R = pa.float64()


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, kind) for name, kind in fields])


#: R45.10: the Arrow schema of every output table (``period`` = ``"YYYY-MM-DD:YYYY-MM-DD"``,
#: ``municipality`` 0 national and 999 unknown, counts int64, ratios float64 (null when
#: the denominator is 0)).
AUDIT_SCHEMAS: dict[str, pa.Schema] = {
    "intensity": _schema(
        ("period", _S), ("municipality", _M), ("seniority", _S),
        ("benefit_weeks", _N), ("interviews", _N), ("intensity", _R),
    ),
    "intensity_spread": _schema(
        ("period", _S), ("seniority", _S), ("n_persons", _N), ("q25", _R), ("q75", _R),
        ("fewest_n", _N), ("fewest_mean", _R), ("most_n", _N), ("most_mean", _R),
    ),
    "mix": _schema(
        ("period", _S), ("municipality", _M), ("dimension", _S), ("value", _S),
        ("count", _N), ("share", _R),
    ),
    "activation": _schema(
        ("period", _S), ("municipality", _M), ("seniority", _S),
        ("persons", _N), ("touched", _N), ("touch_rate", _R),
        ("benefit_weeks", _N), ("activation_weeks", _N), ("week_share", _R),
    ),
    "activation_kinds": _schema(
        ("period", _S), ("municipality", _M), ("seniority", _S), ("kind", _S),
        ("weeks", _N), ("share", _R),
    ),
    "joint": _schema(
        ("period", _S), ("municipality", _M), ("seniority", _S), ("participation", _S),
        ("count", _N), ("share_both", _R),
    ),
    "entitlement": _schema(
        ("period", _S), ("municipality", _M), ("which", _S),
        ("entitled", _N), ("had", _N), ("share", _R),
    ),
    "subgroups": _schema(
        ("period", _S), ("dimension", _S), ("value", _S),
        ("persons", _N), ("benefit_weeks", _N), ("interviews", _N), ("touched", _N),
        ("activation_weeks", _N), ("intensity", _R), ("touch_rate", _R), ("week_share", _R),
    ),
    "change": _schema(
        ("table", _S), ("municipality", _M), ("seniority", _S), ("dimension", _S),
        ("value", _S), ("kind", _S), ("participation", _S), ("which", _S), ("metric", _S),
        ("period_before", _S), ("period_after", _S), ("before", _R), ("after", _R),
        ("change_pct", _R), ("rank", pa.int32()),
    ),
}  # fmt: skip

#: R45.4 mix dimensions and their values.
MIX_VALUES: dict[str, tuple[str, ...]] = {"type": INTERVIEW_TYPES, "form": CONTACT_FORMS}
#: R45.5 offer kinds (SPEC §2).
KINDS: tuple[str, ...] = OFFER_KINDS
#: R45.7: a person without a value.
UNKNOWN = "unknown"
