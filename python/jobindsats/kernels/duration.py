"""Duration, intervals and dagpenge hours (twin of ``cpp/duration.hpp``): R11, R12, D7, D9.

Dagpenge hours: a row's ``hours`` are spread evenly over the weekdays of ``[start, end]``
(over all its days if it has none, D7). A day contributes only if its main benefit is
dagpenge and it is not dead (R13, R14); 29 February counts (D1 is about day counts).
A row's part is ``hours * k / n`` with ``k`` contributing days and ``n`` spreading days,
so a whole row adds back exactly its hours; intervals compare with a 1e-6 h tolerance.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel
from .constants import BENEFIT_DAGPENGE, DAGPENGE, TWELVE_PLUS
from .dates import weekdays_between
from .segments import first_ending_at_or_after, lower_bound

#: months_of_hours: the largest count of months it returns (twin of cpp/duration.cpp)
MONTHS_CAP = 1_000_000_000_000


@kernel
def interval_of_days(days, day_edges):
    """R12: fine interval index 0..12 of a day duration (12 = ``12+``)."""
    k = 0
    for e in day_edges:
        if days >= e:
            k += 1
    return k


@kernel
def band_of_days(days, band_day_edges):
    """R12: year band 0..3 of a day duration, -1 below 365 days."""
    b = -1
    for e in band_day_edges:
        if days >= e:
            b += 1
    return b


@kernel
def months_of_hours(hours, unit, tolerance):
    """R12/D9: whole months of ``unit`` hours reached (160.33 h or 130 h a month).

    Capped at ``MONTHS_CAP``: every count from 12 on is the same interval, and from the
    last band edge the same band, while finite but huge hours (1e300 passes SPEC §8) or a
    sum that overflowed to inf would overflow the conversion to an integer (found by
    fuzz/fuzz_check).
    """
    months = (hours + tolerance) / unit
    if months < MONTHS_CAP:
        return math.floor(months)
    return MONTHS_CAP


@kernel
def band_of_months(months, band_months):
    b = -1
    for e in band_months:
        if months >= e:
            b += 1
    return b


@kernel
def interval_of_months(months):
    return months if months < TWELVE_PLUS else TWELVE_PLUS


@kernel
def _spread_days(a, b, weekday_only):
    if b < a:
        return 0
    return weekdays_between(a, b) if weekday_only else b - a + 1


@kernel
def _row_days(s, e, weekday_only, n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end):
    """A row's counted days in ``[s, e]``: its weekdays (all its days if it has none)
    whose main benefit is dagpenge and that are not dead."""
    k = 0
    j = first_ending_at_or_after(n_seg, seg_end, s)
    while j < n_seg and seg_start[j] <= e:
        if seg_key[j] == DAGPENGE:
            x = seg_start[j] if seg_start[j] > s else s
            y = seg_end[j] if seg_end[j] < e else e
            if x <= y:
                k += _spread_days(x, y, weekday_only)
                for q in range(n_dead):
                    dx = dead_start[q] if dead_start[q] > x else x
                    dy = dead_end[q] if dead_end[q] < y else y
                    if dx <= dy:
                        k -= _spread_days(dx, dy, weekday_only)
        j += 1
    return k


@kernel
def _row_hours(
    h, rs, re, x, y, n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end
):  # fmt: skip
    """R12/D7: the hours of dagpenge row ``[rs, re]`` (paid ``h`` hours) on its counted
    days in ``[x, y]``: ``h * k / n``, k those days, n the row's own days; 0.0 when it
    has none there."""
    if h == 0.0:
        return 0.0
    weekday_only = weekdays_between(rs, re) > 0
    k = _row_days(
        x, y, weekday_only, n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end
    )
    if k <= 0:
        return 0.0
    return h * k / _spread_days(rs, re, weekday_only)


@kernel
def dagpenge_row_terms(
    ben_benefit, ben_start, ben_end, ben_hours, lo, hi,
    n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end, term,
):  # fmt: skip
    """Once per person: ``term[r - lo]`` = the hours of dagpenge row ``r`` over all its
    own days (``hours * k / n``, 0 when k = 0), so :func:`dagpenge_hours` computes only
    the rows cut by ``[a, b]``. Returns the reach: the longest ``end - start`` of the
    person's dagpenge rows (a row starting before ``a - reach`` cannot reach day ``a``)."""
    reach = 0
    for r in range(lo, hi):
        term[r - lo] = 0.0
        if ben_benefit[r] != BENEFIT_DAGPENGE:
            continue
        rs = ben_start[r]
        re = ben_end[r]
        if re - rs > reach:
            reach = re - rs
        term[r - lo] = _row_hours(
            ben_hours[r], rs, re, rs, re, n_seg, seg_start, seg_end, seg_key,
            n_dead, dead_start, dead_end,
        )  # fmt: skip
    return reach


@kernel
def dagpenge_hours(
    a, b, ben_benefit, ben_start, ben_end, ben_hours, lo, hi,
    n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end, reach, term,
    memo_i, memo_f,
):  # fmt: skip
    """R12/D7: paid dagpenge hours on the counted-for-hours days of ``[a, b]`` (``reach``
    and ``term`` from :func:`dagpenge_row_terms`).

    The memo (``memo_i = [a, next_row, max_end]``, ``memo_f = [total]``; empty arrays: no
    memo) remembers a's rows: those before ``next_row`` add ``total`` and their parts do
    not depend on ``b`` once ``b >= max_end``, so a later call with the same ``a`` and such
    a ``b`` resumes there (the same additions in the same order: the same sum). Twin of
    the C++ ``HoursMemo``.
    """
    total = 0.0
    r = lower_bound(ben_start, lo, hi, a - reach)
    extend = False  # is every row before r final (memo_f[0] their sum)?
    if memo_i.shape[0] > 0:
        if memo_i[0] == a and memo_i[2] <= b:
            r = memo_i[1]
            total = memo_f[0]
            extend = True
        elif memo_i[0] != a:
            memo_i[0] = a
            memo_i[1] = r
            memo_i[2] = np.iinfo(np.int64).min
            memo_f[0] = 0.0
            extend = True
    while r < hi:
        if ben_start[r] > b:
            break
        rs = ben_start[r]
        re = ben_end[r]
        # a row's part is final (the same for every later b) unless b cuts it
        counts = ben_benefit[r] == BENEFIT_DAGPENGE and re >= a
        if counts and rs >= a and re <= b:  # the whole row: its term (hours * k / n)
            if term[r - lo] != 0.0:
                total += term[r - lo]
        elif counts:
            # a row cut by a or b: its hours on the counted days inside (0.0 adds nothing)
            total += _row_hours(
                ben_hours[r], rs, re, rs if rs > a else a, re if re < b else b,
                n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end,
            )  # fmt: skip
        if extend:
            if counts and re > b:
                extend = False
            else:
                memo_i[1] = r + 1
                memo_f[0] = total
                if counts and re > memo_i[2]:
                    memo_i[2] = re
        r += 1
    return total


@kernel
def hours_window_start(
    spell_start, ref, target, tolerance, ben_benefit, ben_start, ben_end, ben_hours, lo, hi,
    n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end, reach, term,
    window_i, window_f,
):  # fmt: skip
    """R20: the latest day ``s`` in ``[spell_start, ref]`` whose hours through ``ref``
    reach ``target`` (``spell_start`` if none). ``window_i`` (spell start, ref, answer;
    spell start ``NO_DATE``: none) and ``window_f`` (target) remember the person's last
    answer (size 0: no memo), the C++ ``WindowMemo``: a later reference date of the same
    spell and target searches from it, first where the window slid to, then galloping.
    The predicate is monotone in ``s`` (and grows with ``ref``), so every search order
    ends on the same day (cpp/duration.cpp)."""
    no_memo_i = np.empty(0, np.int64)
    no_memo_f = np.empty(0, np.float64)

    def reaches(s):
        h = dagpenge_hours(
            s, ref, ben_benefit, ben_start, ben_end, ben_hours, lo, hi,
            n_seg, seg_start, seg_end, seg_key, n_dead, dead_start, dead_end, reach, term,
            no_memo_i, no_memo_f,
        )  # fmt: skip
        return h + tolerance >= target

    lo_d = spell_start
    hi_d = ref
    if (
        window_i.shape[0] > 0
        and window_i[0] == spell_start
        and window_f[0] == target
        and window_i[1] <= ref
    ):
        if window_i[1] == ref:
            return window_i[2]
        lo_d = window_i[2]
        guess = min(ref, window_i[2] + (ref - window_i[1]))
        if guess > lo_d:
            step = 1
            if reaches(guess):
                lo_d = guess
                while lo_d < hi_d:
                    probe = min(hi_d, lo_d + step)
                    if not reaches(probe):
                        hi_d = probe - 1
                        break
                    lo_d = probe
                    step *= 2
            else:
                hi_d = guess - 1
                while lo_d < hi_d:
                    probe = hi_d - step + 1
                    if probe <= lo_d:
                        break
                    if reaches(probe):
                        lo_d = probe
                        break
                    hi_d = probe - 1
                    step *= 2
    while lo_d < hi_d:
        mid = lo_d + (hi_d - lo_d + 1) // 2
        if reaches(mid):
            lo_d = mid
        else:
            hi_d = mid - 1
    if window_i.shape[0] > 0:
        window_i[0] = spell_start
        window_i[1] = ref
        window_i[2] = lo_d
        window_f[0] = target
    return lo_d


@kernel
def part_time_on(ben_benefit, ben_start, ben_part_time, lo, hi, day):
    """R12: part-time status of the dagpenge row with the latest start on or before
    ``day`` (null = full-time): the rows are sorted by start, so the last dagpenge row
    among those starting on or before ``day``."""
    r = lower_bound(ben_start, lo, hi, day + 1)
    while r > lo:
        r -= 1
        if ben_benefit[r] == BENEFIT_DAGPENGE:
            return ben_part_time[r] == 1
    return False
