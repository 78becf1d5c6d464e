"""The per-person kernel (twin of ``cpp/person_kernel.hpp``): one pass over a person's
sorted rows produces its person × month × group rows (R1–R32, R42, R47).

Steps, in the order the C++ twin takes them:
1. main benefit per day as keyed segments (R5) and the spell start of each (R6–R9);
2. dead periods: ordinary (R13) and, per group, ordinary ∪ the group's COVID periods
   (R14, D11);
3. sickness spells (R9/D6) and category segments (visitation);
4. for each month: the reference date of each group present (R10), then per group
   ``measure_group_month``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ._jit import kernel
from .activation import activity_flags
from .constants import (
    DAGPENGE,
    EXCLUDED_AGE,
    EXCLUDED_DEAD_MONTH,
    N_GROUPS,
    NO_DATE,
    Q_EXCLUDED_AGE,
    Q_EXCLUDED_DEAD_MONTH,
    Q_EXEMPT,
    Q_INTERVIEWS_WITHOUT_BENEFIT_DAY,
    Q_MEASURED,
    Q_POPULATION,
    Q_ROWS_WITHOUT_BIRTH_DATE,
    REJECT_OUTSIDE_WINDOW,
    SYGEDAGPENGE,
    TWELVE_PLUS,
)
from .counted import (
    add_periods,
    all_dead_in,
    counted_days_between,
    counted_window_start,
    ordinary_dead_periods,
)
from .dates import first_day_aged
from .duration import (
    band_of_days,
    band_of_months,
    dagpenge_hours,
    dagpenge_row_terms,
    hours_window_start,
    interval_of_days,
    interval_of_months,
    months_of_hours,
    part_time_on,
)
from .exemptions import is_exempt
from .interviews import (
    counted_in,
    extend_eligible_days,
    first_job_interview,
    interviews_without_benefit_day,
    prepayment_registration,
    window_first_day,
)
from .segments import latest_covering, lower_bound, merge_by_key, paint, segment_at
from .spells import (
    dagpenge_spell_start,
    main_benefit_segments,
    sickness_spell_start,
    sickness_spells,
    spell_starts,
)

Scratch = namedtuple(
    "Scratch",
    [
        "rank", "bounds", "active",
        "seg_start", "seg_end", "seg_row", "seg_key", "seg_spell",
        "odead_start", "odead_end", "dead_start", "dead_end", "n_dead",
        "syg_start", "syg_end",
        "cat_rank", "cat_start", "cat_end", "cat_row", "cat_key",
        "q_start", "q_end", "refs", "ref_seg", "reasons", "dp_term", "dp_reach", "aged",
        "elig", "elig_n", "elig_spell", "elig_reg", "elig_first", "elig_next", "elig_at",
        "hours_memo_i", "hours_memo_f", "window_memo_i", "window_memo_f",
    ],
)  # fmt: skip

Rows = namedtuple(
    "Rows",
    [
        "person", "month", "group", "category", "municipality", "reference",
        "spell_start", "duration_days", "duration_hours", "interval", "band",
        "counted", "exempt", "excluded", "activity",
    ],
)  # fmt: skip


@kernel
def make_scratch(max_ben, max_ex, max_vis, max_iv, n_covid):
    """Scratch buffers big enough for every person of a block (no allocation per person).
    ``dead_start[g]``/``dead_end[g]`` hold group g's dead days (R13 ∪ its R14 periods,
    ``n_covid`` at most), ``n_dead[g]`` how many; ``elig[g]`` the eligible interview days
    of the spell of group g classified last (``elig_spell[g]``: its start, ``elig_reg[g]``
    its R24 registration, ``elig_first[g]`` its first job interview (R22), ``elig_next[g]``
    the next interview row to classify, ``elig_n[g]`` how many days, ``elig_at[g]`` the
    bounds ``counted_in`` found last); ``hours_memo_*`` the
    memo of ``dagpenge_hours``, ``window_memo_*`` that of ``hours_window_start``
    (duration.py)."""
    kb = max(max_ben, 1)
    kv = max(max_vis, 1)
    kp = max(kb, kv)
    return Scratch(
        np.empty(kb, np.int32),
        np.empty(2 * kp, np.int32),
        np.empty(kp, np.int32),
        np.empty(2 * kb, np.int32),
        np.empty(2 * kb, np.int32),
        np.empty(2 * kb, np.int32),
        np.empty(2 * kb, np.int32),
        np.empty(2 * kb, np.int32),
        np.empty(max_ex + 1, np.int32),
        np.empty(max_ex + 1, np.int32),
        np.empty((N_GROUPS, max_ex + n_covid + 1), np.int32),
        np.empty((N_GROUPS, max_ex + n_covid + 1), np.int32),
        np.zeros(N_GROUPS, np.int64),
        np.empty(kb, np.int32),
        np.empty(kb, np.int32),
        np.empty(kv, np.int32),
        np.empty(2 * kv, np.int32),
        np.empty(2 * kv, np.int32),
        np.empty(2 * kv, np.int32),
        np.empty(2 * kv, np.int32),
        np.empty(max_ex * (2 * kv + 2) + 1, np.int32),
        np.empty(max_ex * (2 * kv + 2) + 1, np.int32),
        np.empty(N_GROUPS, np.int32),
        np.empty(N_GROUPS, np.int64),
        np.empty(max(max_iv, 1), np.int8),
        np.empty(kb, np.float64),
        np.zeros(1, np.int64),
        np.zeros(2, np.int64),
        np.empty((N_GROUPS, max(max_iv, 1)), np.int32),
        np.zeros(N_GROUPS, np.int64),
        np.full(N_GROUPS, NO_DATE, np.int64),
        np.full(N_GROUPS, NO_DATE, np.int64),
        np.zeros(N_GROUPS, np.int64),
        np.zeros(N_GROUPS, np.int64),
        np.zeros((N_GROUPS, 2), np.int64),
        np.full(3, NO_DATE, np.int64),
        np.zeros(1, np.float64),
        np.full(3, NO_DATE, np.int64),
        np.zeros(1, np.float64),
    )


@kernel
def pension_months_for(birth, pension_birth_from, pension_months):
    """R2: the state pension age in months for a birth date."""
    k = pension_months[0]
    for i in range(pension_birth_from.shape[0]):
        if birth >= pension_birth_from[i]:
            k = pension_months[i]
    return k


@kernel
def person_timeline(D, R, S, p):
    """Steps 1–3 for person ``p``; returns (n_seg, n_odead, n_syg, n_cat) (the dead days
    per group are ``S.n_dead[g]`` intervals of ``S.dead_start[g]``/``S.dead_end[g]``)."""
    # a new person: forget the previous one's classified spells and dagpenge hours
    S.elig_spell[:] = NO_DATE
    S.hours_memo_i[0] = NO_DATE
    S.window_memo_i[0] = NO_DATE
    blo = D.ben_off[p]
    bhi = D.ben_off[p + 1]
    n_seg = main_benefit_segments(
        D.ben_benefit, D.ben_start, D.ben_end, D.ben_supp, blo, bhi,
        R.benefit_rank, R.benefit_group,
        S.rank, S.bounds, S.active, S.seg_start, S.seg_end, S.seg_row, S.seg_key,
    )  # fmt: skip
    spell_starts(n_seg, S.seg_start, S.seg_end, S.seg_key, R.oy_join_mask, S.seg_spell)
    n_odead = ordinary_dead_periods(
        D.ex_code, D.ex_start, D.ex_end, D.ex_off[p], D.ex_off[p + 1], R.dead_codes,
        S.odead_start, S.odead_end,
    )  # fmt: skip
    for g in range(N_GROUPS):  # R13 ∪ the group's R14 periods (D11)
        c0 = R.covid_dead_off[g]
        c1 = R.covid_dead_off[g + 1]
        S.n_dead[g] = add_periods(
            n_odead, S.odead_start, S.odead_end, c1 - c0,
            R.covid_dead_start[c0:c1], R.covid_dead_end[c0:c1], S.dead_start[g], S.dead_end[g],
        )  # fmt: skip
    n_syg = sickness_spells(D.ben_benefit, D.ben_start, D.ben_end, blo, bhi, S.syg_start, S.syg_end)
    vlo = D.vis_off[p]
    vhi = D.vis_off[p + 1]
    for r in range(vlo, vhi):
        S.cat_rank[r - vlo] = vlo - r  # the latest start wins (R42's rule for visitation)
    n_cat = paint(
        D.vis_start, D.vis_end, S.cat_rank, vlo, vhi, S.bounds, S.active,
        S.cat_start, S.cat_end, S.cat_row,
    )  # fmt: skip
    for i in range(n_cat):
        S.cat_key[i] = D.vis_cat[S.cat_row[i]]
    n_cat = merge_by_key(n_cat, S.cat_start, S.cat_end, S.cat_key)
    # R2: in the age range on days aged[0]..aged[1]-1; with no birth date, on every day
    birth = D.birth_date[p]
    S.aged[0] = np.iinfo(np.int64).min
    S.aged[1] = np.iinfo(np.int64).max
    if birth != NO_DATE:
        S.aged[0] = first_day_aged(birth, R.min_age_months)
        S.aged[1] = first_day_aged(
            birth, pension_months_for(birth, R.pension_birth_from, R.pension_months)
        )
    S.dp_reach[0] = dagpenge_row_terms(
        D.ben_benefit, D.ben_start, D.ben_end, D.ben_hours, blo, bhi,
        n_seg, S.seg_start, S.seg_end, S.seg_key,
        S.n_dead[DAGPENGE], S.dead_start[DAGPENGE], S.dead_end[DAGPENGE], S.dp_term,
    )  # fmt: skip
    return n_seg, n_odead, n_syg, n_cat


@kernel
def group_spell_start(D, S, p, group, ref, n_seg, n_syg, seg):
    """R9: the start of the group's spell that contains the reference date (``seg``: the
    index of the main-benefit segment containing it if the caller knows it, else -1)."""
    if group == SYGEDAGPENGE:
        return sickness_spell_start(n_syg, S.syg_start, S.syg_end, ref)
    if group == DAGPENGE:
        return dagpenge_spell_start(
            D.dp_start, D.dp_off[p], D.dp_off[p + 1], n_seg, S.seg_start, S.seg_end,
            S.seg_spell, ref, seg,
        )  # fmt: skip
    j = seg if seg >= 0 else segment_at(n_seg, S.seg_start, S.seg_end, ref)
    return S.seg_spell[j]


@kernel
def group_duration(D, R, S, p, group, spell_start, ref, counts):
    """R11/R12 alone: ``(days, hours, unit, interval, band)`` without R20's window, for
    callers that need no window (the focus audit's seniority, R45.2); dagpenge has
    ``days == -1`` and other groups ``hours`` NaN."""
    n_seg = counts[0]
    n_dead = S.n_dead[group]
    dead_start = S.dead_start[group]
    dead_end = S.dead_end[group]
    blo = D.ben_off[p]
    bhi = D.ben_off[p + 1]
    unit = R.hours_full
    days = -1
    hours = np.nan
    if group == DAGPENGE:
        if part_time_on(D.ben_benefit, D.ben_start, D.ben_part_time, blo, bhi, ref):
            unit = R.hours_part
        hours = dagpenge_hours(
            spell_start, ref, D.ben_benefit, D.ben_start, D.ben_end, D.ben_hours, blo, bhi,
            n_seg, S.seg_start, S.seg_end, S.seg_key, n_dead, dead_start, dead_end,
            S.dp_reach[0], S.dp_term, S.hours_memo_i, S.hours_memo_f,
        )  # fmt: skip
        months = months_of_hours(hours, unit, R.hours_tolerance)
        interval = interval_of_months(months)
        band = band_of_months(months, R.band_months)
    else:
        days = counted_days_between(spell_start, ref, n_dead, dead_start, dead_end)
        interval = interval_of_days(days, R.day_edges)
        band = band_of_days(days, R.band_day_edges)
    return days, hours, unit, interval, band


@kernel
def duration_and_window(D, R, S, p, group, spell_start, ref, counts):
    """R11/R12 duration, interval and year band, and the R20 window start.

    Returns ``(days, hours, unit, interval, band, window_start)``; dagpenge has
    ``days == -1`` and other groups ``hours`` NaN.
    """
    days, hours, unit, interval, band = group_duration(D, R, S, p, group, spell_start, ref, counts)
    window_start = spell_start
    if interval >= TWELVE_PLUS:
        n_seg = counts[0]
        n_dead = S.n_dead[group]
        dead_start = S.dead_start[group]
        dead_end = S.dead_end[group]
        blo = D.ben_off[p]
        bhi = D.ben_off[p + 1]
        if group == DAGPENGE:
            window_start = hours_window_start(
                spell_start, ref, R.window_months * unit, R.hours_tolerance,
                D.ben_benefit, D.ben_start, D.ben_end, D.ben_hours, blo, bhi,
                n_seg, S.seg_start, S.seg_end, S.seg_key, n_dead, dead_start, dead_end,
                S.dp_reach[0], S.dp_term, S.window_memo_i, S.window_memo_f,
            )  # fmt: skip
        else:
            window_start = counted_window_start(
                spell_start, ref, R.window_days, n_dead, dead_start, dead_end
            )
    return days, hours, unit, interval, band, window_start


@kernel
def measure_group_month(D, R, S, p, group, ref, seg, month_first, counts, out, pos):
    """Everything for one person × month × group (R2, R3, R10–R12, R20–R32, R42)."""
    n_seg, n_odead, n_syg, n_cat = counts
    spell_start = group_spell_start(D, S, p, group, ref, n_seg, n_syg, seg)
    # R2 is tested before R3
    excluded = 0
    if ref < S.aged[0] or ref >= S.aged[1]:
        excluded = EXCLUDED_AGE
    first_in_month = spell_start if spell_start > month_first else month_first
    if excluded == 0 and all_dead_in(first_in_month, ref, n_odead, S.odead_start, S.odead_end):
        excluded = EXCLUDED_DEAD_MONTH
    days, hours, _unit, interval, band, window_start = duration_and_window(
        D, R, S, p, group, spell_start, ref, counts
    )
    # R21–R28 interviews: each classified once per spell (D10), as the months reach it;
    # a month counts the eligible days in its window
    if S.elig_spell[group] != spell_start:
        reg = prepayment_registration(D, R, p, group, spell_start)
        S.elig_spell[group] = spell_start
        S.elig_reg[group] = reg
        S.elig_first[group] = first_job_interview(
            D, R, S, p, group, spell_start, reg, n_seg, n_odead
        )
        base = reg if reg != NO_DATE else spell_start
        S.elig_next[group] = lower_bound(D.iv_date, D.iv_off[p], D.iv_off[p + 1], base)
        S.elig_n[group] = 0
    S.elig_next[group], S.elig_n[group] = extend_eligible_days(
        D, R, S, p, group, spell_start, S.elig_first[group], S.elig_next[group], ref,
        n_seg, n_odead, S.elig[group], S.elig_n[group],
    )  # fmt: skip
    lo_day = window_first_day(S.elig_reg[group], window_start, interval)
    counted = counted_in(S.elig[group], S.elig_n[group], lo_day, ref, S.elig_at[group])
    # R30–R32
    exempt = is_exempt(D, R, S, p, group, n_cat, spell_start, window_start, ref, interval)
    # R42 municipality and the category on the reference date
    r = latest_covering(D.res_start, D.res_end, D.res_off[p], D.res_off[p + 1], ref)
    muni = D.res_muni[r] if r >= 0 else 999
    category = -1
    if (R.category_group_mask >> group) & 1:
        v = latest_covering(D.vis_start, D.vis_end, D.vis_off[p], D.vis_off[p + 1], ref)
        if v >= 0:
            category = D.vis_cat[v]
    out.group[pos] = group
    out.category[pos] = category
    out.municipality[pos] = muni
    out.reference[pos] = ref
    out.spell_start[pos] = spell_start
    out.duration_days[pos] = days
    out.duration_hours[pos] = hours
    out.interval[pos] = interval
    out.band[pos] = band
    out.counted[pos] = counted
    out.exempt[pos] = 1 if exempt else 0
    out.excluded[pos] = excluded
    out.activity[pos] = activity_flags(
        D, R, p, group, category, spell_start, window_start, ref, interval, counted,
        excluded != 0, exempt, S.n_dead[group], S.dead_start[group], S.dead_end[group],
    )  # fmt: skip


@kernel
def count_row(out, pos, quality):
    """SPEC §8 conservation: every row is measured, exempt or excluded (R2 before R3)."""
    quality[Q_POPULATION] += 1
    if out.excluded[pos] == EXCLUDED_AGE:
        quality[Q_EXCLUDED_AGE] += 1
    elif out.excluded[pos] == EXCLUDED_DEAD_MONTH:
        quality[Q_EXCLUDED_DEAD_MONTH] += 1
    elif out.exempt[pos]:
        quality[Q_EXEMPT] += 1
    else:
        quality[Q_MEASURED] += 1


@kernel
def measure_person(D, R, S, p, month_first, month_last, out, pos, quality):
    """All rows of person ``p`` from ``pos`` on; returns how many were written.
    ``quality`` receives the person's quality counts (constants.Q_*)."""
    if D.ben_off[p] == D.ben_off[p + 1]:
        quality[Q_INTERVIEWS_WITHOUT_BENEFIT_DAY] += D.iv_off[p + 1] - D.iv_off[p]
        return 0
    counts = person_timeline(D, R, S, p)
    n_seg = counts[0]
    quality[Q_INTERVIEWS_WITHOUT_BENEFIT_DAY] += interviews_without_benefit_day(D, S, p, n_seg)
    start = pos
    j0 = 0
    for m in range(month_first.shape[0]):
        mf = month_first[m]
        ml = month_last[m]
        while j0 < n_seg and S.seg_end[j0] < mf:
            j0 += 1
        if j0 == n_seg:
            break
        if S.seg_start[j0] > ml:
            continue
        # R10: the last day of the month with the group as main benefit, in segment
        # S.ref_seg[g] (segments are disjoint and sorted: the group's last in the month)
        for g in range(N_GROUPS):
            S.refs[g] = NO_DATE
        j = j0
        while j < n_seg and S.seg_start[j] <= ml:
            k = S.seg_key[j]
            if k < N_GROUPS:
                S.refs[k] = S.seg_end[j] if S.seg_end[j] < ml else ml
                S.ref_seg[k] = j
            j += 1
        for g in range(N_GROUPS):
            if S.refs[g] == NO_DATE:
                continue
            out.person[pos] = p
            out.month[pos] = m
            measure_group_month(D, R, S, p, g, S.refs[g], S.ref_seg[g], mf, counts, out, pos)
            count_row(out, pos, quality)
            pos += 1
    if D.birth_date[p] == NO_DATE:
        quality[Q_ROWS_WITHOUT_BIRTH_DATE] += pos - start
    return pos - start


@kernel
def fill_outside_window(reasons, n):
    for i in range(n):
        reasons[i] = REJECT_OUTSIDE_WINDOW
