"""The derived measures of SPEC §7 read off the cells: focus targets (R41), samtaletal
indicators (R43) and passivity (R44).

The per-person work is done in the kernels (``kernels/activation.py`` and its C++ twin):
each person × month × group row carries activity flags, which the R40 aggregation adds
into the cells as ``no_activation``, ``passive_<window>`` and ``samtaletal_met``. Here
those counts and M4 are turned into shares and 12-month means, with no pass over persons.

Every table is ordered by month, municipality (0 = national first, 999 last) and group
(the cells' group-slot order: the groups, their category breakdowns, ``all``), and names
the municipality (``municipality_name``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .measure import Measurement, group_slot_names, measure, parse_month
from .municipalities import municipality_name
from .rules import RuleSet, get_rules
from .schema import FINE_INTERVALS

TWELVE_PLUS = "12+"


def _add_months(month: dt.date, k: int) -> dt.date:
    n = month.year * 12 + month.month - 1 + k
    return dt.date(n // 12, n % 12 + 1, 1)


def _as_measurement(source: Any, first: dt.date, last: dt.date, **kwargs: Any) -> Measurement:
    if isinstance(source, Measurement):
        return source
    return measure(source, first, last, **kwargs)


def _share(numerator: np.ndarray, denominator: np.ndarray) -> pa.Array:
    """numerator / denominator as float64, null where the denominator is 0."""
    den = np.asarray(denominator, dtype=np.int64)
    return pa.array(np.asarray(numerator) / np.maximum(den, 1), pa.float64(), mask=den == 0)


def _col(table: pa.Table, name: str) -> np.ndarray:
    return table.column(name).to_numpy()


def _ordered(table: pa.Table, rules: RuleSet) -> pa.Table:
    """Add ``municipality_name`` after ``municipality`` and sort by month, municipality
    and group slot."""
    slot = {name: i for i, name in enumerate(group_slot_names(rules))}
    groups = table.column("group").to_pylist()
    order_key = pa.array([slot[g] for g in groups], pa.int16())
    codes = table.column("municipality").to_pylist()
    names = pa.array([municipality_name(c) for c in codes], pa.string())
    where = table.schema.get_field_index("municipality") + 1
    table = table.add_column(where, "municipality_name", names)
    keyed = table.append_column("_slot", order_key)
    idx = pc.sort_indices(
        keyed,
        sort_keys=[("month", "ascending"), ("municipality", "ascending"), ("_slot", "ascending")],
    )
    return table.take(idx)


def _rules_of(m: Measurement, rules: str | RuleSet | None) -> RuleSet:
    if rules is not None:
        return get_rules(rules)
    return m.rule_set if m.rule_set is not None else get_rules(m.rules)


def focus_targets(
    source: Any,
    month: str | dt.date,
    *,
    rules: str | RuleSet | None = None,
    **measure_kwargs: Any,
) -> pa.Table:
    """R41 for ``month``: per municipality and group slot, M4 of interval ``12+`` in the
    month, its unweighted mean over the months ``m−11..m`` that have a value (months
    without a non-exempt 12+ person are left out; ``share_lt4_months`` says how many were
    used) and whether that mean is below the focus threshold (20 %, strictly); and the
    activation focus target: the share of non-excluded 12+ persons (exempt included) with
    no offer day in the measurement window (dagpenge: and under 225 paid working hours),
    its 12-month mean and the same line.

    ``source`` is a :class:`Measurement` (months outside it count as without a value) or
    anything :func:`measure` accepts; then ``m−11..m`` is measured first, with
    ``measure_kwargs`` (``backend``, ``threads``, …).
    """
    m_first = parse_month(month)
    window_first = _add_months(m_first, -11)
    m = _as_measurement(source, window_first, m_first, rules=rules or "v1.73", **measure_kwargs)
    if not m.start <= m_first <= m.end:
        raise ValueError(
            f"month {m_first:%Y-%m} is outside the measurement ({m.start:%Y-%m}..{m.end:%Y-%m})"
        )
    rule_set = _rules_of(m, rules)
    threshold = rule_set.focus_threshold
    cells = m.cells
    month_col = cells.column("month")
    mask = pc.and_(
        pc.and_(
            pc.equal(cells.column("interval"), TWELVE_PLUS),
            pc.greater_equal(month_col, pa.scalar(window_first, pa.date32())),
        ),
        pc.less_equal(month_col, pa.scalar(m_first, pa.date32())),
    )
    c = cells.filter(mask)
    persons = _col(c, "persons")
    activation_persons = persons + _col(c, "exempt")
    is_month = pc.equal(c.column("month"), pa.scalar(m_first, pa.date32()))
    c = pa.table(
        {
            "municipality": c.column("municipality"),
            "group": c.column("group"),
            "share_lt4": c.column("share_lt4"),
            "no_activation_share": _share(_col(c, "no_activation"), activation_persons),
            "this_share_lt4": pc.if_else(is_month, c.column("share_lt4"), None),
            "this_no_activation": pc.if_else(is_month, c.column("no_activation"), None),
            "this_activation_persons": pc.if_else(
                is_month, pa.array(activation_persons, pa.int64()), None
            ),
            "this_no_activation_share": pc.if_else(
                is_month, _share(_col(c, "no_activation"), activation_persons), None
            ),
        }
    )
    g = c.group_by(["municipality", "group"]).aggregate(
        [
            ("share_lt4", "mean"),
            ("share_lt4", "count"),
            ("no_activation_share", "mean"),
            ("no_activation_share", "count"),
            ("this_share_lt4", "max"),
            ("this_no_activation", "max"),
            ("this_activation_persons", "max"),
            ("this_no_activation_share", "max"),
        ]
    )
    lt4_mean = g.column("share_lt4_mean")
    act_mean = g.column("no_activation_share_mean")
    n = g.num_rows
    out = pa.table(
        {
            "month": pa.array([m_first] * n, pa.date32()),
            "municipality": g.column("municipality"),
            "group": g.column("group"),
            "share_lt4": g.column("this_share_lt4_max"),
            "share_lt4_mean": lt4_mean,
            "share_lt4_months": pc.cast(g.column("share_lt4_count"), pa.int8()),
            "share_lt4_below": pc.less(lt4_mean, threshold),
            "no_activation": pc.fill_null(g.column("this_no_activation_max"), 0),
            "activation_persons": pc.fill_null(g.column("this_activation_persons_max"), 0),
            "no_activation_share": g.column("this_no_activation_share_max"),
            "no_activation_mean": act_mean,
            "no_activation_months": pc.cast(g.column("no_activation_share_count"), pa.int8()),
            "no_activation_below": pc.less(act_mean, threshold),
        }
    )
    return _ordered(out, rule_set)


def samtaletal(source: Any, *, rules: str | RuleSet | None = None) -> pa.Table:
    """R43 per month × municipality × requirement: among non-exempt, non-excluded persons
    whose fine interval index lies in ``[M, M+3)`` (``within_months`` = M), how many
    (``persons``), how many had at least N counted interviews (``persons_met``,
    ``required_interviews`` = N), their share and the mean counted interviews per person.
    ``source`` is a :class:`Measurement` (or anything with its ``cells``/``rules``)."""
    m = source
    rule_set = _rules_of(m, rules)
    cells = m.cells
    parts = []
    for req in rule_set.samtaletal:
        slot = req.group if req.category is None else f"{req.group}/{req.category}"
        intervals = pa.array(FINE_INTERVALS[req.months : req.months + 3], pa.string())
        mask = pc.and_(
            pc.equal(cells.column("group"), slot),
            pc.is_in(cells.column("interval"), value_set=intervals),
        )
        sub = cells.filter(mask).select(
            ["month", "municipality", "persons", "samtaletal_met", "interviews"]
        )
        g = sub.group_by(["month", "municipality"]).aggregate(
            [("persons", "sum"), ("samtaletal_met", "sum"), ("interviews", "sum")]
        )
        persons = _col(g, "persons_sum")
        n = g.num_rows
        parts.append(
            pa.table(
                {
                    "month": g.column("month"),
                    "municipality": g.column("municipality"),
                    "group": pa.array([slot] * n, pa.string()),
                    "required_interviews": pa.array([req.interviews] * n, pa.int8()),
                    "within_months": pa.array([req.months] * n, pa.int8()),
                    "persons": g.column("persons_sum"),
                    "persons_met": g.column("samtaletal_met_sum"),
                    "share_met": _share(_col(g, "samtaletal_met_sum"), persons),
                    "mean_interviews": _share(_col(g, "interviews_sum"), persons),
                }
            )
        )
    return _ordered(pa.concat_tables(parts), rule_set)


def passivity(source: Any, *, rules: str | RuleSet | None = None) -> pa.Table:
    """R44 per month × municipality × group slot: among non-excluded persons with interval
    ``12+`` (exempt included; ``persons``), how many had no offer day in the latest 1.5,
    3, 6, 9 and 12 months of counted days (``passive_<window>``) and their shares."""
    m = source
    rule_set = _rules_of(m, rules)
    cells = m.cells
    c = cells.filter(pc.equal(cells.column("interval"), TWELVE_PLUS))
    persons = _col(c, "persons") + _col(c, "exempt")
    columns: dict[str, Any] = {
        "month": c.column("month"),
        "municipality": c.column("municipality"),
        "group": c.column("group"),
        "persons": pa.array(persons, pa.int64()),
    }
    for label in rule_set.passivity_labels:
        columns[f"passive_{label}"] = c.column(f"passive_{label}")
    for label in rule_set.passivity_labels:
        columns[f"share_passive_{label}"] = _share(_col(c, f"passive_{label}"), persons)
    return _ordered(pa.table(columns), rule_set)
