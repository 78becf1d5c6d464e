"""Exempt share and the 2024 rules (twin of ``cpp/exemptions.hpp``): SPEC R30–R32.

The qualifying exemption days of the window are collected as closed pieces (whole rows
for codes that qualify in every category; for category-specific codes, the parts of a
row on days with a qualifying category, R30), sorted, and their union is counted in
counted days (R11), like the window itself.
"""

from __future__ import annotations

from ._jit import kernel
from .constants import UNKNOWN_CATEGORY_BIT
from .counted import counted_days_between
from .segments import first_ending_at_or_after, union_days

ALL_CATEGORY_BITS = 31  # bits 0..3 categories, bit 4 unknown category


@kernel
def sort_pieces(starts, ends, n):
    """Insertion sort of ``n`` closed pieces by (start, end)."""
    for i in range(1, n):
        s = starts[i]
        e = ends[i]
        j = i - 1
        while j >= 0 and (starts[j] > s or (starts[j] == s and ends[j] > e)):
            starts[j + 1] = starts[j]
            ends[j + 1] = ends[j]
            j -= 1
        starts[j + 1] = s
        ends[j + 1] = e


@kernel
def qualifying_exempt_days(D, R, S, p, group, n_cat, window_start, ref):
    """R30/R31: counted days of ``[window_start, ref]`` covered by a qualifying exemption
    (overlapping rows count each day once)."""
    n = 0
    unknown_bit = 1 << UNKNOWN_CATEGORY_BIT
    for r in range(D.ex_off[p], D.ex_off[p + 1]):
        if D.ex_start[r] > ref:
            break  # rows are sorted by start: none later reaches the window
        code = D.ex_code[r]
        if code < 0 or code >= R.exempt_mask.shape[1]:
            continue
        mask = R.exempt_mask[group, code]
        if mask == 0:
            continue
        s = D.ex_start[r] if D.ex_start[r] > window_start else window_start
        e = D.ex_end[r] if D.ex_end[r] < ref else ref
        if s > e:
            continue
        if mask == ALL_CATEGORY_BITS:
            S.q_start[n] = s
            S.q_end[n] = e
            n += 1
            continue
        # category-specific code: split the row by the category of each day
        pos = s
        j = first_ending_at_or_after(n_cat, S.cat_end, s)
        while j < n_cat and S.cat_start[j] <= e:
            x = S.cat_start[j] if S.cat_start[j] > s else s
            y = S.cat_end[j] if S.cat_end[j] < e else e
            if x > pos and mask & unknown_bit:
                S.q_start[n] = pos
                S.q_end[n] = x - 1
                n += 1
            if (mask >> S.cat_key[j]) & 1:
                S.q_start[n] = x
                S.q_end[n] = y
                n += 1
            pos = y + 1
            j += 1
        if pos <= e and mask & unknown_bit:
            S.q_start[n] = pos
            S.q_end[n] = e
            n += 1
    sort_pieces(S.q_start, S.q_end, n)
    total = 0
    i = 0
    while i < n:
        a = S.q_start[i]
        b = S.q_end[i]
        i += 1
        while i < n and S.q_start[i] <= b + 1:
            if S.q_end[i] > b:
                b = S.q_end[i]
            i += 1
        total += counted_days_between(a, b, S.n_dead[group], S.dead_start[group], S.dead_end[group])
    return total


@kernel
def is_exempt(D, R, S, p, group, n_cat, spell_start, window_start, ref, interval):
    """R31/R32/D14: exempt if the share of qualifying counted days in the window is at
    least 50 % — from reference dates in 2024 and below interval 6: at least 30 %, or at
    least 5 MII days in ``[spell start, ref]``. A window without counted days has share 0."""
    num = qualifying_exempt_days(D, R, S, p, group, n_cat, window_start, ref)
    in_2024 = ref >= R.exempt24_from and interval < R.exempt24_below_interval
    pct = R.exempt24_pct if in_2024 else R.exempt_pct
    # the share's denominator only when it can matter: with no qualifying day and a
    # positive threshold the share is below it whatever the window's counted days
    share = False
    if num > 0 or pct <= 0:
        den = counted_days_between(
            window_start, ref, S.n_dead[group], S.dead_start[group], S.dead_end[group]
        )
        share = den > 0 and 100 * num >= pct * den
    if in_2024 and not share:
        mii = union_days(D.mii_start, D.mii_end, D.mii_off[p], D.mii_off[p + 1], spell_start, ref)
        return mii >= R.mii_days
    return share
