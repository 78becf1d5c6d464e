"""The focus audit's per-person work (SPEC R45); twin of ``cpp/audit.hpp``/``audit.cpp``.

For each person and period: the benefit weeks of the group (R45.1), each week's seniority
(R45.2, on the measurement's spells and durations) and municipality (R42 on its reference
day), the interviews (R45.3/R45.4) and offer days (R45.5) of the week, and for dagpenge
the joint interviews and the entitlement facts (R45.6). Everything is added into a small
dense array of counts ``cells[period, muni slot, seniority slot, measure]``; the one
per-person output is each person's weeks, interviews and activation weeks per period ×
seniority slot (the R45.3 spread and the R45.7 subgroups). The layout of both is in
``kernels/audit_layout.py``.
"""

from __future__ import annotations

import numba
import numpy as np

from ._jit import kernel, parallel_kernel
from .audit_layout import (
    AM_ACTIVATION_WEEKS,
    AM_ENTITLED,
    AM_FORM,
    AM_HAD,
    AM_INTERVIEWS,
    AM_JOINT,
    AM_KIND_WEEKS,
    AM_PERSONS,
    AM_TOUCHED,
    AM_TYPE,
    AM_WEEKS,
    N_MUNI_SLOTS,
    N_OFFER_KINDS,
    N_SENIORITY_SLOTS,
    PV_ACTIVATION_WEEKS,
    PV_INTERVIEWS,
    PV_WEEKS,
    SLOT_ALL,
    SLOT_SIX_PLUS,
    SLOT_UNDER6,
)
from .constants import DAGPENGE, KIND_JOBSAMTALE, KIND_SYGEOPFOELGNING
from .dates import floor_div
from .duration import interval_of_days, months_of_hours
from .person import group_duration, group_spell_start, make_scratch, person_timeline
from .segments import latest_covering, lower_bound, segment_at


@kernel
def seniority_months(D, R, S, p, group, day, counts):
    """R45.2: ``(months, spell_start)`` of the group's spell with ``day`` as reference
    date (``day`` must have the group as main benefit)."""
    spell_start = group_spell_start(D, S, p, group, day, counts[0], counts[2], -1)
    days, hours, unit, _interval, _band = group_duration(
        D, R, S, p, group, spell_start, day, counts
    )
    # R45.2: dagpenge by whole hour units (D9 tolerance); days as 12 per year plus R12's
    # fine interval of the rest
    if group == DAGPENGE:
        return months_of_hours(hours, unit, R.hours_tolerance), spell_start
    return 12 * (days // 365) + interval_of_days(days % 365, R.day_edges), spell_start


@kernel
def seniority_slot(months):
    """R45.2: the fine seniority slot (0-3 … 24+) of a seniority in months."""
    if months < 3:
        return 0
    if months < 6:
        return 1
    if months < 12:
        return 2
    if months < 18:
        return 3
    if months < 24:
        return 4
    return 5


@kernel
def qualifying_days(S, group, category, counts, q_start, q_end):
    """R45.1/R45.9: the person's days with the group as main benefit (and the category, if
    one is asked for), as sorted disjoint intervals in ``q_start``/``q_end``; returns their
    count."""
    n_seg = counts[0]
    n_cat = counts[3]
    n = 0
    c = 0
    for j in range(n_seg):
        if S.seg_key[j] != group:
            continue
        x = S.seg_start[j]
        y = S.seg_end[j]
        if category < 0:
            q_start[n] = x
            q_end[n] = y
            n += 1
            continue
        # the category segments are sorted and disjoint: intersect [x, y] with those of the key
        while c < n_cat and S.cat_end[c] < x:
            c += 1
        k = c
        while k < n_cat and S.cat_start[k] <= y:
            if S.cat_key[k] == category:
                q_start[n] = max(x, S.cat_start[k])
                q_end[n] = min(y, S.cat_end[k])
                n += 1
            k += 1
    return n


@kernel
def municipality_slot_on(D, muni_slot, p, day):
    r = latest_covering(D.res_start, D.res_end, D.res_off[p], D.res_off[p + 1], day)
    return np.int64(muni_slot[D.res_muni[r] if r >= 0 else 999])  # R42: 999 unknown


@kernel
def count_person(c, stamp, touched, key, pid, active):
    """R45.5: a person counts once among the persons of each (municipality, seniority slot)
    where they have a benefit week, and once among the touched if one of those weeks has an
    offer day."""
    if stamp[key] != pid:
        stamp[key] = pid
        touched[key] = 0
        c[AM_PERSONS] += 1
    if active and touched[key] == 0:
        touched[key] = 1
        c[AM_TOUCHED] += 1


@kernel
def participation_of(D, i):
    """R45.6: participation code of interview row ``i`` (null presence flags are false)."""
    ak = D.iv_akasse_present[i] != 0
    jc = D.iv_jobcenter_present[i] != 0
    if ak and jc:
        return 0
    if ak:
        return 1
    if jc:
        return 2
    return 3


@kernel
def is_dagpenge_joint(D, S, n_seg, i):
    """R45.6: is interview row ``i`` a joint interview held on a day with dagpenge as main
    benefit?"""
    if D.iv_joint[i] == 0:
        return False
    j = segment_at(n_seg, S.seg_start, S.seg_end, D.iv_date[i])
    return j >= 0 and S.seg_key[j] == DAGPENGE


@kernel
def audit_week(D, R, S, stamp, touched, group, muni_slot, p, counts, k, monday, sunday, ref,
               pid, cells, person_out):  # fmt: skip
    """One benefit week (R45.1–R45.5) of period ``k``: its counts into ``cells``, the
    person's values. Returns ``(months, municipality slot)`` of the week."""
    months, _spell_start = seniority_months(D, R, S, p, group, ref, counts)
    fine = seniority_slot(months)
    slots = (fine, SLOT_UNDER6 if fine < 2 else SLOT_SIX_PLUS, SLOT_ALL)
    mslot = municipality_slot_on(D, muni_slot, p, ref)
    munis = (mslot, np.int64(0))  # the week's municipality and national
    # R45.3/R45.9: every interview row dated Monday-Sunday of the week, whatever that day's
    # benefit; R45.4 types partition them
    n_iv = 0
    types = np.zeros(4, np.int64)
    forms = np.zeros(3, np.int64)
    ilo = D.iv_off[p]
    ihi = D.iv_off[p + 1]
    for i in range(lower_bound(D.iv_date, ilo, ihi, monday), ihi):
        if D.iv_date[i] > sunday:
            break
        n_iv += 1
        kind = D.iv_kind[i]
        if D.iv_joint[i] != 0:
            t = 1
        elif kind == KIND_JOBSAMTALE:
            t = 0
        elif kind == KIND_SYGEOPFOELGNING:
            t = 3
        else:
            t = 2
        types[t] += 1
        forms[D.iv_form[i]] += 1
    # R45.5: the offer kinds with a day in the week
    kinds = 0
    for r in range(D.of_off[p], D.of_off[p + 1]):
        if D.of_start[r] > sunday:
            break
        if D.of_end[r] >= monday:
            kinds |= 1 << D.of_kind[r]
    active = kinds != 0
    for m in munis:
        for slot in slots:
            c = cells[k, m, slot]
            c[AM_WEEKS] += 1
            c[AM_INTERVIEWS] += n_iv
            if active:
                c[AM_ACTIVATION_WEEKS] += 1
            for x in range(N_OFFER_KINDS):
                if (kinds >> x) & 1:
                    c[AM_KIND_WEEKS + x] += 1
            count_person(c, stamp, touched, m * N_SENIORITY_SLOTS + slot, pid, active)
        c = cells[k, m, SLOT_ALL]  # R45.4: per period × municipality
        for x in range(4):
            c[AM_TYPE + x] += types[x]
        for x in range(3):
            c[AM_FORM + x] += forms[x]
    for slot in slots:
        v = person_out[k, slot]
        v[PV_WEEKS] += 1
        v[PV_INTERVIEWS] += n_iv
        if active:
            v[PV_ACTIVATION_WEEKS] += 1
    return months, mslot


@kernel
def audit_joint(D, R, S, muni_slot, period_start, period_end, p, counts, k, cells):
    """R45.6: the joint interviews of period ``k`` (dated in it, dagpenge that day) by
    seniority on the interview day and the residence municipality of that day."""
    ilo = D.iv_off[p]
    ihi = D.iv_off[p + 1]
    for i in range(lower_bound(D.iv_date, ilo, ihi, period_start[k]), ihi):
        day = D.iv_date[i]
        if day > period_end[k]:
            break
        if not is_dagpenge_joint(D, S, counts[0], i):
            continue
        months, _spell_start = seniority_months(D, R, S, p, DAGPENGE, day, counts)
        fine = seniority_slot(months)
        slots = (fine, SLOT_UNDER6 if fine < 2 else SLOT_SIX_PLUS, SLOT_ALL)
        munis = (municipality_slot_on(D, muni_slot, p, day), np.int64(0))
        part = participation_of(D, i)
        for m in munis:
            for slot in slots:
                cells[k, m, slot, AM_JOINT + part] += 1


@kernel
def audit_entitlement(D, R, S, p, counts, k, months, ref, mslot, cells):
    """R45.6 entitlement: with the last benefit week's seniority ``months`` (its reference
    day ``ref``), which joint interview the person is entitled to and whether a joint
    interview of that spell up to ``ref`` had the seniority that earns it."""
    # 1st: 3 <= s < 6, had one at 0-2; 2nd: 6 <= s < 16, at 3-5; 3rd: s >= 16, at 6-15
    if months < 3:
        return
    which = 0 if months < 6 else (1 if months < 16 else 2)
    lo = 0 if which == 0 else (3 if which == 1 else 6)
    hi = 2 if which == 0 else (5 if which == 1 else 15)
    _months, spell_start = seniority_months(D, R, S, p, DAGPENGE, ref, counts)
    had = False
    ilo = D.iv_off[p]
    ihi = D.iv_off[p + 1]
    for i in range(lower_bound(D.iv_date, ilo, ihi, spell_start), ihi):
        if had:
            break
        day = D.iv_date[i]
        if day > ref:
            break  # joint interviews after the reference day do not count
        if not is_dagpenge_joint(D, S, counts[0], i):
            continue
        m, _spell = seniority_months(D, R, S, p, DAGPENGE, day, counts)
        had = m >= lo and m <= hi
    for m in (np.int64(mslot), np.int64(0)):
        c = cells[k, m, SLOT_ALL]
        c[AM_ENTITLED + which] += 1
        if had:
            c[AM_HAD + which] += 1


@kernel
def audit_person(D, R, S, q_start, q_end, stamp, touched, group, category, period_start,
                 period_end, muni_slot, p, cells, person_out):  # fmt: skip
    """All of person ``p``: adds into ``cells`` (int64[periods, 100, 9, measures]) and
    writes ``person_out`` (int32[periods, 9, 3], every value) of the person."""
    person_out[:] = 0
    if D.ben_off[p] == D.ben_off[p + 1]:
        return
    counts = person_timeline(D, R, S, p)
    nq = qualifying_days(S, group, category, counts, q_start, q_end)
    n_periods = period_start.shape[0]
    for k in range(n_periods):
        pid = p * n_periods + k + 1
        # R45.1: the weeks whose Thursday lies in the period; day 0 (1970-01-01) is a
        # Thursday, so week w runs from Monday 7w - 3 to Sunday 7w + 3
        w_last = floor_div(period_end[k], 7)
        w = -floor_div(-np.int64(period_start[k]), 7)
        j = 0
        n_weeks = 0
        last_months = 0
        last_ref = 0
        last_mslot = 0
        while w <= w_last:
            monday = 7 * w - 3
            sunday = 7 * w + 3
            while j < nq and q_end[j] < monday:
                j += 1
            if j == nq:
                break
            if q_start[j] > sunday:  # no such day this week: go to the week of the next one
                w = max(w + 1, floor_div(q_start[j] + 3, 7))
                continue
            jj = j  # the reference day: the last such day of the week
            while jj + 1 < nq and q_start[jj + 1] <= sunday:
                jj += 1
            ref = min(q_end[jj], sunday)
            last_months, last_mslot = audit_week(
                D, R, S, stamp, touched, group, muni_slot, p, counts, k, monday, sunday, ref,
                pid, cells, person_out,
            )  # fmt: skip
            last_ref = ref
            n_weeks += 1
            w += 1
        if group != DAGPENGE:
            continue
        audit_joint(D, R, S, muni_slot, period_start, period_end, p, counts, k, cells)
        if n_weeks > 0:
            audit_entitlement(D, R, S, p, counts, k, last_months, last_ref, last_mslot, cells)


@parallel_kernel
def audit_blocks(D, R, group, category, period_start, period_end, muni_slot, p0, block_start,
                 n_parts, cells, person_out):  # fmt: skip
    """``audit_person`` for the persons of the blocks: part ``t`` takes blocks ``t``,
    ``t + n_parts``, … and adds into its own ``cells[t]``, summed by the caller (integer
    sums: the same for any split); person ``p`` writes ``person_out[p - p0]``."""
    n_blocks = block_start.shape[0] - 1
    for t in numba.prange(n_parts):
        stamp = np.zeros(N_MUNI_SLOTS * N_SENIORITY_SLOTS, np.int64)
        touched = np.zeros(N_MUNI_SLOTS * N_SENIORITY_SLOTS, np.uint8)
        for b in range(t, n_blocks, n_parts):
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
            q_start = np.empty(2 * max(max_ben, 1) + 2 * max(max_vis, 1) + 1, np.int32)
            q_end = np.empty_like(q_start)
            for p in range(first, last):
                audit_person(
                    D, R, S, q_start, q_end, stamp, touched, group, category, period_start,
                    period_end, muni_slot, p, cells[t], person_out[p - p0],
                )  # fmt: skip
