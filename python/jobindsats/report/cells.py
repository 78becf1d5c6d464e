"""Selecting from and reshaping the R40 cell table (``Measurement.cells``) for reports.

A missing cell means all zeros (R40): counts of a missing cell are 0 and its share is
null (no person). Everything here is vectorised over pyarrow / numpy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..measure import parse_month
from ..schema import GROUPS
from .labels import group_order

#: The R40 measures in column order (M1 n0..n5plus, M2, M3, M4, M5, interviews).
MEASURES: tuple[str, ...] = (
    "n0", "n1", "n2", "n3", "n4", "n5plus", "persons", "lt4", "share_lt4", "exempt",
    "interviews",
)  # fmt: skip
COUNT_MEASURES = frozenset(MEASURES) - {"share_lt4"}

#: Excel's day number of 1970-01-01 (its epoch is 1899-12-30).
EXCEL_EPOCH_OFFSET = 25569


def month_days(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """date32 → int64 days since 1970-01-01."""
    return np.asarray(column.cast(pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int64)


def months(cells: pa.Table) -> list[dt.date]:
    """The months present in ``cells``, ascending."""
    if cells.num_rows == 0:
        return []
    return sorted(pc.unique(cells["month"]).to_pylist())


def last_month(cells: pa.Table) -> dt.date:
    """The latest month of ``cells`` (ValueError when the table is empty)."""
    if cells.num_rows == 0:
        raise ValueError("the measurement has no cells (no person in any month)")
    value = pc.max(cells["month"]).as_py()
    assert value is not None
    return value


def resolve_month(cells: pa.Table, month: str | dt.date | None) -> dt.date:
    """``month`` as a date, defaulting to the last month; it must be in ``cells``."""
    if month is None:
        return last_month(cells)
    m = parse_month(month)
    present = months(cells)
    if m not in present:
        span = f"{present[0]:%Y-%m}..{present[-1]:%Y-%m}" if present else "no months"
        raise ValueError(f"month {m:%Y-%m} is not in the measurement ({span})")
    return m


def main_groups(cells: pa.Table) -> list[str]:
    """The measured groups (R1) present in ``cells``, then ``all``: no category
    breakdowns."""
    present = set(pc.unique(cells["group"]).to_pylist()) if cells.num_rows else set()
    return [g for g in (*GROUPS, "all") if g in present]


def all_groups(cells: pa.Table) -> list[str]:
    """Every group slot present in ``cells``, in output order."""
    present = set(pc.unique(cells["group"]).to_pylist()) if cells.num_rows else set()
    return group_order(present)


def select(
    cells: pa.Table,
    *,
    month: dt.date | None = None,
    municipality: int | None = None,
    group: str | None = None,
    interval: str | None = None,
) -> pa.Table:
    """The cells matching every given key."""
    mask = None
    for name, value in (
        ("month", month),
        ("municipality", municipality),
        ("group", group),
        ("interval", interval),
    ):
        if value is None:
            continue
        scalar = pa.scalar(value, cells.schema.field(name).type)
        m = pc.equal(cells[name], scalar)
        mask = m if mask is None else pc.and_(mask, m)
    return cells if mask is None else cells.filter(mask)


def add_months(month: dt.date, k: int) -> dt.date:
    n = month.year * 12 + month.month - 1 + k
    return dt.date(n // 12, n % 12 + 1, 1)


def months_up_to(table: pa.Table, last: dt.date, n_months: int | None) -> pa.Table:
    """The rows of ``table`` (any table with a ``month`` column) in the ``n_months`` months
    ending with ``last`` (``None``: every month up to ``last``)."""
    mask = pc.less_equal(table["month"], pa.scalar(last, pa.date32()))
    if n_months is not None:
        if n_months < 1:
            raise ValueError(f"the number of months must be at least 1, got {n_months}")
        first = add_months(last, -(n_months - 1))
        mask = pc.and_(mask, pc.greater_equal(table["month"], pa.scalar(first, pa.date32())))
    return table.filter(mask)


@dataclass
class Pivot:
    """Cells reshaped to rows ``month × municipality × group`` and columns
    ``interval × measure``. ``values[row, interval, measure]`` is float64: counts of
    missing cells are 0, a null share is NaN; ``present[row, interval]`` says whether the
    cell exists."""

    month: np.ndarray  # int64 days since 1970-01-01
    municipality: np.ndarray  # int64
    group: list[str]
    intervals: tuple[str, ...]
    measures: tuple[str, ...]
    values: np.ndarray
    present: np.ndarray

    @property
    def n_rows(self) -> int:
        return int(self.month.shape[0])


def pivot(
    cells: pa.Table,
    groups: list[str],
    intervals: tuple[str, ...],
    measures: tuple[str, ...] = MEASURES,
    *,
    municipality: int | None = None,
) -> Pivot:
    """Rows for each ``month × municipality × group`` (``groups`` in the given order) that
    has a cell in any of ``intervals``; ordered by month, municipality (0 national first,
    999 last: numeric order) and the order of ``groups``."""
    mask = pc.and_(
        pc.is_in(cells["group"], value_set=pa.array(groups, pa.string())),
        pc.is_in(cells["interval"], value_set=pa.array(list(intervals), pa.string())),
    )
    if municipality is not None:
        mask = pc.and_(mask, pc.equal(cells["municipality"], pa.scalar(municipality, pa.int16())))
    sub = cells.filter(mask)
    n_groups = len(groups)
    gi = pc.index_in(sub["group"], value_set=pa.array(groups, pa.string()))
    ii = pc.index_in(sub["interval"], value_set=pa.array(list(intervals), pa.string()))
    gi_np = np.asarray(gi.to_numpy(zero_copy_only=False), dtype=np.int64)
    ii_np = np.asarray(ii.to_numpy(zero_copy_only=False), dtype=np.int64)
    day = month_days(sub["month"])
    muni = np.asarray(sub["municipality"].to_numpy(), dtype=np.int64)
    first = int(day.min()) if day.size else 0
    key = ((day - first) * 1000 + muni) * n_groups + gi_np
    uniq, inverse = np.unique(key, return_inverse=True)
    values = np.zeros((uniq.shape[0], len(intervals), len(measures)), dtype=np.float64)
    present = np.zeros((uniq.shape[0], len(intervals)), dtype=bool)
    present[inverse.reshape(-1), ii_np] = True
    for k, name in enumerate(measures):
        col = sub[name]
        if name in COUNT_MEASURES:
            arr = np.asarray(col.to_numpy(zero_copy_only=False), dtype=np.float64)
        else:
            values[:, :, k] = np.nan
            arr = np.asarray(
                col.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False),
                dtype=np.float64,
            )
        values[inverse.reshape(-1), ii_np, k] = arr
    g_idx = uniq % n_groups
    rest = uniq // n_groups
    return Pivot(
        month=rest // 1000 + first,
        municipality=rest % 1000,
        group=[groups[int(i)] for i in g_idx],
        intervals=tuple(intervals),
        measures=tuple(measures),
        values=values,
        present=present,
    )
