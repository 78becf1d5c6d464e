"""The dense R40 cells array: its slot layout and the summaries (plain NumPy, no Numba,
so the compiled backend needs no Numba at all).

``cells[m, muni_slot, group_slot, interval_slot, measure]``: municipality slot 0 is
national; group slots are ``GROUPS`` (0..8), the category breakdowns (9..20) and ``all``
(21); interval slots follow ``schema.INTERVALS``; measures are ``n0..n5plus, exempt,
interviews`` and the activity counts (R41, R44, R43). Rows are added into base cells
(``kernels/aggregate.py``, ``cpp/aggregate.cpp``); :func:`complete_cells` adds the
summaries once at the end.
"""

from __future__ import annotations

from .constants import N_GROUPS

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
