"""Dead periods and counted days (twin of ``cpp/counted.hpp``): SPEC R11, R13, R14, D1.

A *counted day* is a day that is neither dead (an ordinary dead period R13 or the COVID
dead period R14) nor 29 February (D1). The dead days of a person are kept as a short
sorted list of disjoint closed intervals, so counting is arithmetic over that list.
"""

from __future__ import annotations

from ._jit import kernel
from .dates import feb29_between


@kernel
def ordinary_dead_periods(ex_code, ex_start, ex_end, lo, hi, dead_codes, out_start, out_end):
    """R13: the union of a person's exemption rows with a dead code, as disjoint sorted
    closed intervals (touching ones joined). Returns the count."""
    n = 0
    for r in range(lo, hi):
        is_dead = False
        for c in dead_codes:
            if ex_code[r] == c:
                is_dead = True
        if not is_dead:
            continue
        s = ex_start[r]
        e = ex_end[r]
        if n > 0 and s <= out_end[n - 1] + 1:
            if e > out_end[n - 1]:
                out_end[n - 1] = e
        else:
            out_start[n] = s
            out_end[n] = e
            n += 1
    return n


@kernel
def add_periods(n, in_start, in_end, k, add_start, add_end, out_start, out_end):
    """Union of a sorted disjoint list with ``k`` more sorted disjoint intervals (R14: a
    group's COVID dead periods); adjacent intervals merge. Writes at most ``n + k``."""
    m = 0
    i = 0
    j = 0
    while i < n or j < k:
        if j < k and (i >= n or add_start[j] <= in_start[i]):
            a = add_start[j]
            b = add_end[j]
            j += 1
        else:
            a = in_start[i]
            b = in_end[i]
            i += 1
        if m > 0 and a <= out_end[m - 1] + 1:
            if b > out_end[m - 1]:
                out_end[m - 1] = b
        else:
            out_start[m] = a
            out_end[m] = b
            m += 1
    return m


@kernel
def counted_days_between(a, b, n_dead, dead_start, dead_end):
    """R11/D1: counted days in ``[a, b]``: not dead, not 29 February."""
    if b < a:
        return 0
    total = (b - a + 1) - feb29_between(a, b)
    for i in range(n_dead):
        s = dead_start[i] if dead_start[i] > a else a
        e = dead_end[i] if dead_end[i] < b else b
        if s <= e:
            total -= (e - s + 1) - feb29_between(s, e)
    return total


@kernel
def all_dead_in(a, b, n_dead, dead_start, dead_end):
    """R3: is every day of ``[a, b]`` inside the (disjoint, sorted) dead intervals?"""
    for i in range(n_dead):
        if dead_start[i] <= a and a <= dead_end[i]:
            return dead_end[i] >= b
    return False


@kernel
def is_in(day, n, starts, ends):
    """Is ``day`` inside one of ``n`` intervals sorted by start (overlaps allowed)?"""
    for i in range(n):
        if starts[i] > day:
            return False
        if ends[i] >= day:
            return True
    return False


@kernel
def counted_window_start(spell_start, ref, days, n_dead, dead_start, dead_end):
    """R20/R44: the latest day ``s >= spell_start`` with
    ``counted_days_between(s, ref) >= days`` — the ``days``-th counted day back from
    ``ref`` (``spell_start`` if the spell has fewer counted days). Walks back from ``ref``
    over the live stretches between the dead periods (sorted, disjoint): O(periods)."""
    remaining = days
    hi = ref
    i = n_dead - 1
    while hi >= spell_start:
        while i >= 0 and dead_start[i] > hi:
            i -= 1
        if i >= 0 and dead_end[i] >= hi:  # hi is a dead day: continue before the period
            hi = dead_start[i] - 1
            i -= 1
            continue
        lo = dead_end[i] + 1 if i >= 0 and dead_end[i] + 1 > spell_start else spell_start
        live = (hi - lo + 1) - feb29_between(lo, hi)
        if live >= remaining:
            # the latest x with remaining counted days in [x, hi] (a 29 February is not one)
            x = hi - remaining + 1
            while (hi - x + 1) - feb29_between(x, hi) < remaining:
                x -= 1
            return x
        remaining -= live
        if lo == spell_start:
            break
        hi = dead_start[i] - 1
        i -= 1
    return spell_start
