"""The Numba twin of ``cpp/overlaps.hpp``: overlapping interval rows per person (SPEC §8
quality report; see :mod:`jobindsats.overlaps`)."""

from __future__ import annotations

import numpy as np

from ._jit import kernel


@kernel
def overlapping_rows_numba(off, start, end, group, skip, use_group):
    """The Numba twin of :func:`jobindsats.overlaps.overlapping_rows_by_offsets`."""
    n = start.shape[0]
    marked = np.zeros(n, np.bool_)
    for p in range(off.shape[0] - 1):
        for i in range(off[p], off[p + 1]):
            if skip[i]:
                continue
            j = i + 1
            while j < off[p + 1] and start[j] <= end[i]:
                if not skip[j] and (not use_group or group[j] != group[i]):
                    marked[i] = True
                    marked[j] = True
                j += 1
    total = 0
    for i in range(n):
        if marked[i]:
            total += 1
    return total
