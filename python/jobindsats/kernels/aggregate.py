"""R40 aggregation of person-month rows into cells (twin of ``cpp/aggregate.hpp``).

The slot layout is in :mod:`jobindsats.kernels.cells`. A person row lands in its fine
interval and in every summary that contains it (``12+`` is one row for fine and
summary), in its municipality and nationally, and in its group, its category breakdown
and ``all``: here in its base cells, the summaries added by ``cells.complete_cells``.
Excluded rows (R2, R3) land nowhere.
"""

from __future__ import annotations

import numba
import numpy as np

from ._jit import kernel, parallel_kernel
from .cells import (
    EXEMPT_MEASURE,
    FIRST_ACTIVITY_MEASURE,
    FIRST_BAND_SLOT,
    INTERVIEWS_MEASURE,
    N_ACTIVITY_BITS,
)
from .constants import TWELVE_PLUS


@kernel
def aggregate_cells(out, n, muni_slot, category_slot, cells, month_lo, month_hi):
    """Add the rows ``0..n-1`` of ``out`` whose month lies in ``month_lo..month_hi-1``
    into their base cells of ``cells`` (int64[M, 100, 22, 18, 15])."""
    for i in range(n):
        m = out.month[i]
        if m < month_lo or m >= month_hi:
            continue
        if out.excluded[i] != 0:
            continue
        g = out.group[i]
        c = out.category[i]
        iv = out.interval[i]
        iv_slot = iv if iv < TWELVE_PLUS else FIRST_BAND_SLOT + out.band[i]
        if out.exempt[i]:
            measure = EXEMPT_MEASURE
            interviews = 0
        else:
            k = out.counted[i]
            measure = k if k < 5 else 5
            interviews = k
        cs = -1
        if c >= 0 and category_slot[g] >= 0:
            cs = category_slot[g] + c
        flags = out.activity[i]
        mu = muni_slot[out.municipality[i]]
        for b in range(2):
            gs = g if b == 0 else cs
            if gs < 0:
                continue
            cells[m, mu, gs, iv_slot, measure] += 1
            cells[m, mu, gs, iv_slot, INTERVIEWS_MEASURE] += interviews
            if flags != 0:
                for f in range(N_ACTIVITY_BITS):
                    cells[m, mu, gs, iv_slot, FIRST_ACTIVITY_MEASURE + f] += (flags >> f) & 1


@parallel_kernel
def aggregate_cells_parallel(out, n, muni_slot, category_slot, cells, n_parts):
    """Aggregation split by month ranges: each part owns its months' cells, so the parts
    never write the same cell and the sums do not depend on the split."""
    n_months = cells.shape[0]
    for t in numba.prange(n_parts):
        lo = t * n_months // n_parts
        hi = (t + 1) * n_months // n_parts
        aggregate_cells(out, n, muni_slot, category_slot, cells, lo, hi)


@kernel
def occupied_cells(flat):
    """Indices of the cells (rows of ``flat``, shape [n, 15]) with any person (n0..n5plus
    or exempt); R40 emits only non-empty cells."""
    n = 0
    for i in range(flat.shape[0]):
        for k in range(EXEMPT_MEASURE + 1):
            if flat[i, k] != 0:
                n += 1
                break
    out = np.empty(n, np.int64)
    n = 0
    for i in range(flat.shape[0]):
        for k in range(EXEMPT_MEASURE + 1):
            if flat[i, k] != 0:
                out[n] = i
                n += 1
                break
    return out
