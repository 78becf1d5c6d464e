"""The focus audit's figures before and after, as the report reads them (SPEC R45.8).

:func:`view` lists the rows of one R45.10 table (optionally only some keys) with, for each
value column, the before and after values, the change in % and the rank. With two
periods these come straight from the ``change`` table, so the report shows exactly what
the library computed; with one period, ``before`` holds the period's value and the rest
is ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..audit_change import CHANGE_KEYS
from ..audit_schema import AUDIT_SCHEMAS, SUBGROUP_DIMENSIONS
from .audit_labels import VALUE_LABELS


@dataclass(frozen=True)
class Values:
    """One figure: before and after (with one period: the value and ``None``), the
    change in % and the municipality's rank (R45.8; ``None`` where not ranked)."""

    before: float | None
    after: float | None = None
    change: float | None = None
    rank: int | None = None


@dataclass(frozen=True)
class View:
    """The rows of one table: ``keys`` are its key columns without ``period`` (in schema
    order), each row a dict of those keys and ``metrics`` → :class:`Values`."""

    table: str
    keys: tuple[str, ...]
    metrics: tuple[str, ...]
    periods: tuple[str, ...]
    rows: list[dict[str, Any]]

    @property
    def compared(self) -> bool:
        return len(self.periods) == 2


def ordered_periods(result: Any) -> tuple[str, ...]:
    """The result's periods, *before* first (R45.8: the earlier-starting one; with equal
    starts, the order given)."""
    labels = list(result.periods)
    return tuple(sorted(labels, key=lambda p: (dt.date.fromisoformat(p.split(":")[0]),
                                               labels.index(p))))  # fmt: skip


def table_keys(table: str) -> tuple[str, ...]:
    return tuple(c for c in AUDIT_SCHEMAS[table].names if c in CHANGE_KEYS)


def table_metrics(table: str) -> tuple[str, ...]:
    keys = table_keys(table)
    return tuple(c for c in AUDIT_SCHEMAS[table].names if c != "period" and c not in keys)


def _where(t: pa.Table, where: dict[str, Any]) -> pa.Table:
    mask = None
    for column, value in where.items():
        if isinstance(value, (list, tuple, set)):
            m = pc.is_in(t[column], value_set=pa.array(list(value), t.schema.field(column).type))
        else:
            m = pc.equal(t[column], pa.scalar(value, t.schema.field(column).type))
        mask = m if mask is None else pc.and_(mask, m)
    return t if mask is None else t.filter(mask)


def view(result: Any, table: str, **where: Any) -> View:
    """The rows of R45.10 table ``table`` whose key columns equal ``where`` (a value or a
    list of values per column), in the table's order."""
    keys, metrics = table_keys(table), table_metrics(table)
    bad = [c for c in where if c not in keys]
    if bad:
        raise ValueError(f"{table} has no key column(s) {bad}; its keys are {list(keys)}")
    periods = ordered_periods(result)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    if len(periods) == 2:
        change = _where(result.change, {"table": table, **where})
        d = change.select([*keys, "metric", "before", "after", "change_pct", "rank"]).to_pydict()
        for i in range(change.num_rows):
            key = tuple(d[c][i] for c in keys)
            row = rows.setdefault(key, dict(zip(keys, key, strict=True)))
            row[d["metric"][i]] = Values(d["before"][i], d["after"][i], d["change_pct"][i],
                                         d["rank"][i])  # fmt: skip
    else:
        t = _where(getattr(result, table), where)
        if periods:
            t = _where(t, {"period": periods[0]})
        d = t.to_pydict()
        for i in range(t.num_rows):
            key = tuple(d[c][i] for c in keys)
            row = dict(zip(keys, key, strict=True))
            row.update({m: Values(d[m][i]) for m in metrics})
            rows[key] = row
    ordered = list(rows.values())
    if table == "subgroups":
        ordered.sort(key=_seed_order)
    return View(table, keys, metrics, periods, ordered)


def _seed_order(row: dict[str, Any]) -> tuple[Any, ...]:
    """Subgroups as the seed's table 3.1 lists them: sex, age, origin, education, each in
    its labels' order (education by level), other values alphabetically, ``unknown``
    last."""
    dimension, value = row["dimension"], row["value"]
    known = list(VALUE_LABELS.get(dimension, {}))
    d = SUBGROUP_DIMENSIONS.index(dimension) if dimension in SUBGROUP_DIMENSIONS else 99
    if value == "unknown":
        return (d, 2, 0, "")
    if value in known:
        return (d, 0, known.index(value), "")
    return (d, 1, 0, str(value))
