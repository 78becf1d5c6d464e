"""R41 activation focus target, R44 passivity and the R43 samtaletal requirement: the
per-row activity flags (twin of ``cpp/activation.hpp``).

Bits of ``Rows.activity``: 0 = no offer day in the R20 window (dagpenge: and under the
R41 working hours), 1..5 = no offer day in the R44 passivity windows (1.5, 3, 6, 9, 12
months), 6 = counted interviews reach the R43 requirement of the row's group/category.
"""

from __future__ import annotations

from ._jit import kernel
from .constants import DAGPENGE, NO_DATE, TWELVE_PLUS
from .counted import counted_days_between
from .segments import lower_bound

NO_ACTIVATION_BIT = 0
FIRST_PASSIVE_BIT = 1
SAMTALETAL_MET_BIT = 6
N_PASSIVITY_WINDOWS = 5


@kernel
def last_offer_day(of_start, of_end, lo, hi, ref):
    """The latest offer day (any kind) on or before ``ref``, ``NO_DATE`` if none; offer
    rows ``lo..hi-1`` are closed ``[start, end]``, sorted by start."""
    last = NO_DATE
    r = lo
    while r < hi and of_start[r] <= ref:
        until = of_end[r] if of_end[r] < ref else ref
        if until > last:
            last = until
        r += 1
    return last


@kernel
def employment_hours_between(emp_month, emp_hours, lo, hi, first, last):
    """R41: paid working hours of the rows whose month (its first day) lies in the closed
    window ``[first, last]``; rows ``lo..hi-1`` sorted by month."""
    hours = 0.0
    r = lower_bound(emp_month, lo, hi, first)
    while r < hi and emp_month[r] <= last:
        hours += emp_hours[r]
        r += 1
    return hours


@kernel
def activity_flags(
    D, R, p, group, category, spell_start, window_start, ref, interval, counted, excluded,
    exempt, n_dead, dead_start, dead_end,
):  # fmt: skip
    """The flags of one person × month × group row. R41/R44 flags only for non-excluded
    rows with interval 12+ (exempt ones included); the R43 flag only for non-excluded,
    non-exempt rows of a group/category that has a requirement."""
    if excluded:
        return 0
    flags = 0
    # R43: the requirement of the row's group and category (category -1 = none/unknown)
    required = R.samtaletal_required[group, category + 1]
    if not exempt and required >= 0 and counted >= required:
        flags |= 1 << SAMTALETAL_MET_BIT
    if interval < TWELVE_PLUS:
        return flags
    last_offer = last_offer_day(D.of_start, D.of_end, D.of_off[p], D.of_off[p + 1], ref)
    # R41: no offer day in the R20 window; dagpenge also under 225 paid working hours
    no_activation = last_offer < window_start
    if no_activation and group == DAGPENGE:
        hours = employment_hours_between(
            D.emp_month, D.emp_hours, D.emp_off[p], D.emp_off[p + 1], window_start, ref
        )
        no_activation = hours < R.activation_hours
    if no_activation:
        flags |= 1 << NO_ACTIVATION_BIT
    # R44: no offer day in the latest k counted days ending on the reference date, from
    # the spell start on. That window starts after the last offer day exactly when the
    # offer lies before the spell, or the counted days after it through the reference
    # date number at least k (counted_window_start is the latest such start): one count,
    # not five window walks. (k >= 1: the rules' passivity windows are positive.)
    after_offer = -1
    if last_offer >= spell_start:
        after_offer = counted_days_between(last_offer + 1, ref, n_dead, dead_start, dead_end)
    for k in range(N_PASSIVITY_WINDOWS):
        if after_offer < 0 or after_offer >= R.passivity_days[k]:
            flags |= 1 << (FIRST_PASSIVE_BIT + k)
    return flags
