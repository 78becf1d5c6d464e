"""The derived tables a report shows (R41 focus targets, R43 samtaletal, R44 passivity),
computed once by :mod:`jobindsats.derived` and shared by workbook and HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from .cells import resolve_month


@dataclass
class Derived:
    """``focus`` is :func:`jobindsats.derived.focus_targets` for ``month``;
    ``samtaletal`` and ``passivity`` cover every month of the measurement."""

    month: dt.date
    focus: pa.Table
    samtaletal: pa.Table
    passivity: pa.Table


def compute_derived(measurement: Any, month: str | dt.date | None = None) -> Derived:
    """Compute the three derived tables; ``month`` (default: the last month with cells)
    is the month of the focus-target table."""
    from .. import derived

    m = resolve_month(measurement.cells, month)
    return Derived(
        month=m,
        focus=derived.focus_targets(measurement, m),
        samtaletal=derived.samtaletal(measurement),
        passivity=derived.passivity(measurement),
    )


def passivity_windows(table: pa.Table) -> list[str]:
    """The R44 window names of a passivity table, in column order (``1_5m``, ``3m``…)."""
    prefix = "share_passive_"
    return [name[len(prefix) :] for name in table.column_names if name.startswith(prefix)]
