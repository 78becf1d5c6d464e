"""The parallel driver of the Numba twin (mirror of ``cpp/measure.cpp``).

Persons are cut into fixed blocks; ``numba.prange`` hands blocks to threads. Each block
sizes its scratch once for its largest person, and every person writes its rows into its
own pre-sized slot (``row_base``), so the output is the same for any thread count.
"""

from __future__ import annotations

import numba
import numpy as np

from ._jit import parallel_kernel
from .constants import N_QUALITY
from .person import make_scratch, measure_person


@parallel_kernel
def measure_blocks(D, R, month_first, month_last, p0, block_start, row_base, out, written):
    """Run ``measure_person`` for the persons of the blocks; person ``p`` writes from
    ``row_base[p - p0]`` and reports its row count in ``written[p - p0]``. Returns the
    quality counts per block."""
    n_blocks = block_start.shape[0] - 1
    quality = np.zeros((n_blocks, N_QUALITY), np.int64)
    for b in numba.prange(n_blocks):
        first = block_start[b]
        last = block_start[b + 1]
        max_ben = 0
        max_ex = 0
        max_vis = 0
        max_iv = 0
        for p in range(first, last):
            max_ben = max(max_ben, D.ben_off[p + 1] - D.ben_off[p])
            max_ex = max(max_ex, D.ex_off[p + 1] - D.ex_off[p])
            max_vis = max(max_vis, D.vis_off[p + 1] - D.vis_off[p])
            max_iv = max(max_iv, D.iv_off[p + 1] - D.iv_off[p])
        S = make_scratch(max_ben, max_ex, max_vis, max_iv, R.covid_dead_start.shape[0])
        for p in range(first, last):
            written[p - p0] = measure_person(
                D, R, S, p, month_first, month_last, out, row_base[p - p0], quality[b]
            )
    return quality
