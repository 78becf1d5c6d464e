"""``jobindsats.audit``: the register analyses of the 2023 focus audit (SPEC R45, seed 004).

The per-person work (benefit weeks, their seniority and municipality, the interviews,
offer days and joint interviews attributed to them) runs in the kernel
(``cpp/audit.cpp`` or its Numba twin ``kernels/audit.py``), which adds per-bucket counts
into a small dense array and hands back one compact per-person column for the R45.3
spread quartiles and the R45.7 subgroups. This module turns those counts into the
R45.10 tables: ratios, quartiles, national rows, summaries and the R45.8 change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

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


@dataclass
class AuditResult:
    """The result of :func:`audit`: the R45.10 tables as Arrow tables.

    ``periods`` are the ``"YYYY-MM-DD:YYYY-MM-DD"`` labels in the order given;
    ``messages`` says what is noteworthy but not an error (e.g. a period without any
    benefit week of the group, whose tables are then empty).
    """

    intensity: pa.Table
    intensity_spread: pa.Table
    mix: pa.Table
    activation: pa.Table
    activation_kinds: pa.Table
    joint: pa.Table
    entitlement: pa.Table
    subgroups: pa.Table
    change: pa.Table
    periods: list[str]
    group: str
    category: str | None
    rules: str
    backend: str = "cpp"
    messages: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pa.Table]:
        """Every R45.10 table by name, in output order."""
        return {name: getattr(self, name) for name in AUDIT_TABLES}

    def to_pandas(self) -> dict[str, Any]:
        """Every table as a pandas DataFrame, by name."""
        return {name: t.to_pandas() for name, t in self.tables().items()}

    def to_polars(self) -> dict[str, Any]:
        """Every table as a polars DataFrame, by name."""
        import polars as pl

        return {name: pl.from_arrow(t) for name, t in self.tables().items()}


def period_label(start: dt.date, end: dt.date) -> str:
    """R45.10: ``"YYYY-MM-DD:YYYY-MM-DD"``."""
    return f"{start.isoformat()}:{end.isoformat()}"


def audit(
    data: Any,
    group: str,
    periods: Any,
    *,
    category: str | None = None,
    rules: Any = "v1.73",
    backend: str = "auto",
    threads: int | None = None,
) -> AuditResult:
    """The focus audit (SPEC R45) of benefit group ``group`` over one or two periods."""
    raise NotImplementedError("jobindsats.audit is being built (issue 17)")
