"""R40 aggregation of person-month rows into cells (twin of ``cpp/aggregate.hpp``).

``cells[m, muni_slot, group_slot, interval_slot, measure]``: municipality slot 0 is
national; group slots are ``GROUPS`` (0..8), the category breakdowns (9..20) and ``all``
(21); interval slots follow ``schema.INTERVALS``; measures are ``n0..n5plus, exempt,
interviews`` and the activity counts (R41, R44, R43). A person row lands in its fine interval and in every summary that contains
it (``12+`` is one row for fine and summary), in its municipality and nationally, and in
its group, its category breakdown and ``all``. Excluded rows (R2, R3) land nowhere.
"""

from __future__ import annotations

import numba
import numpy as np

from ._jit import kernel, parallel_kernel
from .constants import N_GROUPS, TWELVE_PLUS

N_MUNI_SLOTS = 100
N_GROUP_SLOTS = 22  # the N_GROUPS groups (0..8), category breakdowns (9..20), all
ALL_GROUP_SLOT = 21
N_INTERVAL_SLOTS = 18
UNDER12_SLOT = 12
TWELVE_PLUS_SLOT = 13
FIRST_BAND_SLOT = 14
N_MEASURES = 15
EXEMPT_MEASURE = 6
INTERVIEWS_MEASURE = 7
# measures 8..14: one per activity bit (activation.py): no_activation (R41), the five
# passivity windows (R44), samtaletal_met (R43)
FIRST_ACTIVITY_MEASURE = 8
N_ACTIVITY_BITS = 7


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


def complete_cells(cells):
    """Add the summary cells to base cells (both backends; in place, exactly once, after
    the last row): ``12+`` = its year bands, ``under 12`` = the fine intervals under 12,
    ``all`` = the nine groups (not the category breakdowns), national = the 99
    municipality slots. Integer sums, so the result is the same as adding every row into
    all its cells."""
    for m in range(cells.shape[0]):  # a month at a time: the temporaries stay small
        c = cells[m]
        c[:, :, TWELVE_PLUS_SLOT] += c[:, :, FIRST_BAND_SLOT:].sum(axis=2)
        c[:, :, UNDER12_SLOT] = c[:, :, :UNDER12_SLOT].sum(axis=2)
        c[:, ALL_GROUP_SLOT] = c[:, :N_GROUPS].sum(axis=1)
        c[0] = c[1:].sum(axis=0)


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
