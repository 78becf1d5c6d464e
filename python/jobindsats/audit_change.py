"""R45.8: every figure of the audit's tables before and after, and its change.

For two periods, each row of each R45.10 table (its keys without ``period``) and each of
its value columns gives one ``change`` row: ``before`` and ``after`` (a key present in
one period only counts 0 for a count, null for a ratio, in the other), and
``change_pct = (after - before) / before * 100`` (null when before is 0 or either side is
null). *Before* is the earlier-starting period. Municipality rows are ranked by change,
largest first, ties by municipality code, within each (table, metric and the other keys);
national (``0``) and unknown (``999``) rows and rows without a change are not ranked.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from .arrow_numpy import table_of_lists
from .audit_schema import (
    AGE_BANDS,
    AUDIT_SCHEMAS,
    AUDIT_TABLES,
    KINDS,
    MIX_VALUES,
    PARTICIPATION,
    SENIORITY,
    SUBGROUP_DIMENSIONS,
    WHICH,
)

#: The key columns of ``change`` (null where they do not apply to the source table).
CHANGE_KEYS = ("municipality", "seniority", "dimension", "value", "kind", "participation", "which")
_UNRANKED = (0, 999)
_DIMENSIONS = (*MIX_VALUES, *SUBGROUP_DIMENSIONS)
_ORDER: dict[str, tuple[str, ...]] = {
    "seniority": SENIORITY,
    "kind": KINDS,
    "participation": PARTICIPATION,
    "which": WHICH,
    "dimension": _DIMENSIONS,
}


def _key_order(column: str, value: Any) -> tuple[Any, ...]:
    """A sort key that lists rows as the source tables do."""
    if value is None:
        return (0,)
    if column == "municipality":
        return (1, value)
    if column in _ORDER:
        return (1, _ORDER[column].index(value))
    # mix and subgroup values: known labels in their order, others alphabetically, unknown last
    known = (*MIX_VALUES["type"], *MIX_VALUES["form"], *AGE_BANDS)
    if value in known:
        return (1, known.index(value), "")
    return (2 if value == "unknown" else 1, len(known), value)


def change_table(tables: dict[str, pa.Table], before: str, after: str) -> pa.Table:
    """The R45.8 ``change`` table of the period labels ``before`` and ``after``."""
    rows: dict[str, list[Any]] = {name: [] for name in AUDIT_SCHEMAS["change"].names}
    for name in AUDIT_TABLES:
        if name == "change":
            continue
        schema = AUDIT_SCHEMAS[name]
        keys = [c for c in schema.names if c in CHANGE_KEYS]
        metrics = [c for c in schema.names if c != "period" and c not in keys]
        d = tables[name].to_pydict()
        by_period: dict[str, dict[tuple[Any, ...], int]] = {before: {}, after: {}}
        for i, period in enumerate(d["period"]):
            if period in by_period:
                by_period[period][tuple(d[c][i] for c in keys)] = i
        all_keys = set(by_period[before]) | set(by_period[after])
        ordered = sorted(
            all_keys,
            key=lambda key: tuple(_key_order(c, v) for c, v in zip(keys, key, strict=True)),
        )
        start = len(rows["table"])
        for key in ordered:
            named = dict(zip(keys, key, strict=True))
            for metric in metrics:
                is_ratio = schema.field(metric).type == pa.float64()
                sides: list[Any] = []
                for period in (before, after):
                    row = by_period[period].get(key)
                    sides.append(d[metric][row] if row is not None else (None if is_ratio else 0))
                b, a = sides
                rows["table"].append(name)
                for c in CHANGE_KEYS:
                    rows[c].append(named.get(c))
                rows["metric"].append(metric)
                rows["period_before"].append(before)
                rows["period_after"].append(after)
                rows["before"].append(None if b is None else float(b))
                rows["after"].append(None if a is None else float(a))
                change = None
                if a is not None and b is not None and b != 0:
                    change = (a - b) / b * 100.0
                rows["change_pct"].append(change)
                rows["rank"].append(None)
        _rank(rows, start)
    return table_of_lists(rows, AUDIT_SCHEMAS["change"])


def _rank(rows: dict[str, list[Any]], start: int) -> None:
    """R45.8: rank the municipality rows from ``start`` on within their group."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i in range(start, len(rows["table"])):
        muni = rows["municipality"][i]
        if muni is None or muni in _UNRANKED or rows["change_pct"][i] is None:
            continue
        group = tuple(rows[c][i] for c in ("seniority", "dimension", "value", "kind",
                                           "participation", "which", "metric"))  # fmt: skip
        groups.setdefault(group, []).append(i)
    for members in groups.values():
        members.sort(key=lambda i: (-rows["change_pct"][i], rows["municipality"][i]))
        for r, i in enumerate(members, start=1):
            rows["rank"][i] = r
