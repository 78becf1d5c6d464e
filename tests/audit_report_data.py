"""A small hand-made focus audit result (SPEC R45.10 tables) for the report tests: two
municipalities (København 101, Aarhus 751), the national row 0 and Uoplyst 999, two
periods, figures chosen so that the R45.8 changes and ranks are easy to check by hand.

Intensity, seniority ``all`` (interviews / benefit weeks):

====================  ===============  ===============  ========  ====
municipality          2019             2021-09..2022-08  change %  rank
====================  ===============  ===============  ========  ====
0 Hele landet         45 / 180 = 0.25  42 / 150 = 0.28  +12       -
101 København         30 / 100 = 0.30  27 / 100 = 0.27  -10       2
751 Aarhus            10 /  50 = 0.20  10 /  40 = 0.25  +25       1
999 Uoplyst            5 /  30        5 /  10          +200      -
====================  ===============  ===============  ========  ====
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from jobindsats.audit import AUDIT_SCHEMAS, AuditResult
from jobindsats.audit_change import change_table
from jobindsats.audit_schema import KINDS, MIX_VALUES, PARTICIPATION, WHICH

BEFORE = "2019-01-01:2019-12-31"
AFTER = "2021-09-01:2022-08-31"
DIGEST = "0123456789abcdef" * 4
MUNIS = (0, 101, 751, 999)

#: (weeks, interviews) by period, municipality, seniority
INTENSITY: dict[str, dict[int, dict[str, tuple[int, int]]]] = {
    BEFORE: {0: {"0-3": (80, 16), "6-12": (100, 29), "all": (180, 45)},
             101: {"0-3": (40, 8), "6-12": (60, 22), "all": (100, 30)},
             751: {"0-3": (30, 6), "6-12": (20, 4), "all": (50, 10)},
             999: {"0-3": (10, 2), "6-12": (20, 3), "all": (30, 5)}},
    AFTER: {0: {"0-3": (70, 21), "6-12": (80, 21), "all": (150, 42)},
            101: {"0-3": (40, 12), "6-12": (60, 15), "all": (100, 27)},
            751: {"0-3": (25, 7), "6-12": (15, 3), "all": (40, 10)},
            999: {"0-3": (5, 2), "6-12": (5, 3), "all": (10, 5)}},
}  # fmt: skip


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _tables(period: str, scale: int) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in AUDIT_SCHEMAS}
    for muni, by_seniority in INTENSITY[period].items():
        for seniority, (weeks, interviews) in by_seniority.items():
            rows["intensity"].append(dict(period=period, municipality=muni, seniority=seniority,
                                          benefit_weeks=weeks, interviews=interviews,
                                          intensity=interviews / weeks))  # fmt: skip
            persons = max(1, weeks // 10)
            touched = min(persons, persons // 4 + scale)
            activation_weeks = weeks // 5 + scale
            rows["activation"].append(dict(
                period=period, municipality=muni, seniority=seniority, persons=persons,
                touched=touched, touch_rate=touched / persons, benefit_weeks=weeks,
                activation_weeks=activation_weeks, week_share=activation_weeks / weeks))  # fmt: skip
            kind_weeks = [activation_weeks - 2 * scale, scale, scale, 0, 0, 0]
            for kind, w in zip(KINDS, kind_weeks, strict=True):
                rows["activation_kinds"].append(dict(
                    period=period, municipality=muni, seniority=seniority, kind=kind, weeks=w,
                    share=_ratio(w, sum(kind_weeks))))  # fmt: skip
            counts = [4 * scale, 1, 6, 1]
            for participation, c in zip(PARTICIPATION, counts, strict=True):
                rows["joint"].append(dict(
                    period=period, municipality=muni, seniority=seniority,
                    participation=participation, count=c,
                    share_both=counts[0] / sum(counts)))  # fmt: skip
        type_counts = {"jobsamtale": 30, "faellessamtale": 5 * scale, "anden": 10,
                       "sygeopfoelgning": 0}  # fmt: skip
        form_counts = {"personligt": 30, "telefon": 10, "digitalt": 5 * scale}
        for dimension, counts_by in (("type", type_counts), ("form", form_counts)):
            total = sum(counts_by.values())
            for value in MIX_VALUES[dimension]:
                rows["mix"].append(dict(period=period, municipality=muni, dimension=dimension,
                                        value=value, count=counts_by[value],
                                        share=counts_by[value] / total))  # fmt: skip
        for which, entitled, had in zip(WHICH, (20, 10, 5), (15, 5, 2 + scale), strict=True):
            rows["entitlement"].append(dict(period=period, municipality=muni, which=which,
                                            entitled=entitled, had=had,
                                            share=had / entitled))  # fmt: skip
    for seniority in ("0-3", "6-12", "all"):
        rows["intensity_spread"].append(dict(
            period=period, seniority=seniority, n_persons=8, q25=0.1, q75=0.4 + 0.05 * scale,
            fewest_n=2, fewest_mean=0.05, most_n=2, most_mean=0.5 + 0.1 * scale))  # fmt: skip
    for dimension, value, persons in (
        ("sex", "mand", 10),
        ("sex", "kvinde", 8),
        ("age_band", "<25", 5),
        ("origin", "unknown", 3),
    ):
        weeks, interviews, touched, aw = 100 * persons, 20 * persons + scale, persons // 2, 10
        rows["subgroups"].append(dict(
            period=period, dimension=dimension, value=value, persons=persons,
            benefit_weeks=weeks, interviews=interviews, touched=touched, activation_weeks=aw,
            intensity=interviews / weeks, touch_rate=touched / persons,
            week_share=aw / weeks))  # fmt: skip
    return rows


def audit_result(periods: tuple[str, ...] = (BEFORE, AFTER)) -> AuditResult:
    """The hand-made result over ``periods`` (both by default, or one of them)."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in AUDIT_SCHEMAS}
    for scale, period in enumerate((BEFORE, AFTER), start=1):
        if period in periods:
            for name, table_rows in _tables(period, scale).items():
                rows[name] += table_rows
    tables = {name: pa.Table.from_pylist(r, schema=AUDIT_SCHEMAS[name])
              for name, r in rows.items()}  # fmt: skip
    if len(periods) == 2:
        tables["change"] = change_table(tables, BEFORE, AFTER)
    return AuditResult(**tables, periods=list(periods), group="dagpenge", category=None,
                       rules="v1.73", backend="cpp", messages=[], rules_digest=DIGEST)  # fmt: skip
