"""Which interviews count (twin of ``cpp/interviews.hpp``): SPEC R20–R28.

``classify_interviews`` gives every interview of the person a reason code
(``constants.COUNTED`` or the rule that rejected it) and returns the number counted after
the one-per-day rule (R27). The kernel and ``jobindsats.explain`` share it.
"""

from __future__ import annotations

from ._jit import kernel
from .constants import (
    BENEFIT_DAGPENGE,
    COUNTED,
    DAGPENGE,
    FORM_PERSONLIGT,
    HOLDER_AKASSE,
    KIND_JOBSAMTALE,
    KIND_SYGEOPFOELGNING,
    NO_DATE,
    REJECT_COVID_CLOSED,
    REJECT_DEAD_DAY,
    REJECT_DUPLICATE_DAY,
    REJECT_FORM,
    REJECT_HOLDER,
    REJECT_KIND,
    REJECT_OTHER_BENEFIT,
    SYGEDAGPENGE,
    TWELVE_PLUS,
    UNMEASURED_KEY,
)
from .counted import counted_days_between, is_in
from .dates import add_months_clamped
from .duration import (
    dagpenge_hours,
    interval_of_days,
    interval_of_months,
    months_of_hours,
    part_time_on,
)
from .segments import lower_bound, segment_at


@kernel
def dagpenge_paid_in(D, lo, hi, a, b):
    """R24: does a benefits row of dagpenge (main benefit or not) cover a day of
    ``[a, b]``? (rows ``lo..hi-1``, sorted by start)"""
    for r in range(lo, hi):
        if D.ben_start[r] > b:
            break
        if D.ben_benefit[r] == BENEFIT_DAGPENGE and D.ben_end[r] >= a:
            return True
    return False


@kernel
def prepayment_registration(D, R, p, group, spell_start):
    """R24: the earliest registration ``r`` with ``spell_start - 3 months <= r <
    spell_start`` for spells starting on/after 2024-01-01 (dagpenge: no benefits row of
    dagpenge covers a day of ``[r, spell_start)``, whatever that day's main benefit);
    ``NO_DATE`` when there is none."""
    if spell_start < R.prepay_from or not (R.prepay_group_mask >> group) & 1:
        return NO_DATE
    earliest = add_months_clamped(spell_start, -R.prepay_months)
    for i in range(D.reg_off[p], D.reg_off[p + 1]):
        r = D.reg_date[i]
        if r < earliest:
            continue
        if r >= spell_start:
            break
        if group == DAGPENGE and dagpenge_paid_in(
            D, D.ben_off[p], D.ben_off[p + 1], r, spell_start - 1
        ):
            continue
        return r
    return NO_DATE


@kernel
def trial_allows(muni, form, day, trial_muni, trial_form_mask, trial_start, trial_end):
    """R23: is ``form`` allowed for the trial municipality ``muni`` on ``day``?"""
    for t in range(trial_muni.shape[0]):
        if (
            trial_muni[t] == muni
            and trial_start[t] <= day
            and day <= trial_end[t]
            and (trial_form_mask[t] >> form) & 1
        ):
            return True
    return False


@kernel
def in_offer(of_start, of_end, lo, hi, day):
    """R22(a): was the person (offer rows ``lo..hi-1``) in an active offer on ``day``?"""
    return is_in(day, hi - lo, of_start[lo:hi], of_end[lo:hi])


@kernel
def job_interview_considered(kind, held_by, group):
    """R21/D16 (R26 for sygedagpenge): right kind and holder."""
    if group == SYGEDAGPENGE:
        return kind == KIND_SYGEOPFOELGNING
    if kind != KIND_JOBSAMTALE:
        return False
    return held_by != HOLDER_AKASSE or group == DAGPENGE


@kernel
def window_first_day(reg, window_start, interval):
    """R20/R24: the first day of the interview window: R24's registration while the
    duration is under 12 months, else the window start."""
    if reg != NO_DATE and interval < TWELVE_PLUS:
        return reg
    return window_start


@kernel
def first_job_interview(D, R, S, p, group, spell_start, reg, n_seg, n_odead):
    """R22: the spell's first job interview (from its start, or R24's registration): the
    earliest day with one R21 would consider — for dagpenge not on a day R25 rejects
    (pre-payment days of R24 are not subject to R25) — whatever its form, in the window
    or not; ``NO_DATE`` if none (or sygedagpenge)."""
    if group == SYGEDAGPENGE:
        return NO_DATE
    ilo = D.iv_off[p]
    ihi = D.iv_off[p + 1]
    base = reg if reg != NO_DATE else spell_start
    for i in range(lower_bound(D.iv_date, ilo, ihi, base), ihi):
        d = D.iv_date[i]
        if (
            job_interview_considered(D.iv_kind[i], D.iv_held_by[i], group)
            and not is_in(d, n_odead, S.odead_start, S.odead_end)
            and not (R.covid_closed_start <= d and d <= R.covid_closed_end)
            and not (group == DAGPENGE and d >= spell_start and not _dagpenge_day_ok(S, n_seg, d))
        ):
            return d
    return NO_DATE


@kernel
def interview_reason(D, R, S, p, i, group, spell_start, first, n_seg, n_odead):
    """R21–R26: ``COUNTED``, or the rule that rejects interview ``i`` in the spell (the
    window, R20, and the one-per-day rule, R27, aside); ``first`` from
    :func:`first_job_interview`. A fact of the interview and its spell (SPEC D10)."""
    d = D.iv_date[i]
    kind = D.iv_kind[i]
    held_by = D.iv_held_by[i]
    if not job_interview_considered(kind, held_by, group):
        if group != SYGEDAGPENGE and kind == KIND_JOBSAMTALE:
            return REJECT_HOLDER
        return REJECT_KIND
    if is_in(d, n_odead, S.odead_start, S.odead_end):
        return REJECT_DEAD_DAY  # R13
    if R.covid_closed_start <= d and d <= R.covid_closed_end:
        return REJECT_COVID_CLOSED  # R14
    if group == DAGPENGE and d >= spell_start and not _dagpenge_day_ok(S, n_seg, d):
        return REJECT_OTHER_BENEFIT  # R25
    if group != SYGEDAGPENGE and not _form_ok(D, R, S, p, i, d, group, spell_start, first, n_seg):
        return REJECT_FORM  # R22
    return COUNTED


@kernel
def extend_eligible_days(D, R, S, p, group, spell_start, first, i, ref, n_seg, n_odead, days, n):
    """Classifies the person's interviews of the spell from row ``i`` on while their day
    is ``<= ref``, appending the distinct days (ascending) that :func:`interview_reason`
    counts to ``days`` after its first ``n``; returns ``(next row, n)``. Called as a
    spell's months advance, it visits each row once."""
    ihi = D.iv_off[p + 1]
    while i < ihi and D.iv_date[i] <= ref:
        d = D.iv_date[i]
        # R27: a day counts once, so a day already eligible needs no more classifying
        new_day = n == 0 or days[n - 1] != d
        if (
            new_day
            and interview_reason(D, R, S, p, i, group, spell_start, first, n_seg, n_odead)
            == COUNTED
        ):
            days[n] = d
            n += 1
        i += 1
    return i, n


@kernel
def bound_from(days, n, x, hint):
    """The first index ``i`` of ``days[:n]`` (ascending) with ``days[i] >= x``, walking
    from ``hint`` (any index; clamped to ``0..n``)."""
    i = 0 if hint < 0 else (n if hint > n else hint)
    while i < n and days[i] < x:
        i += 1
    while i > 0 and days[i - 1] >= x:
        i -= 1
    return i


@kernel
def counted_in(days, n, lo_day, ref, at):
    """R20/R27: counted interviews of a month = eligible days in ``[lo_day, ref]``.
    ``at[0..1]`` are the two bounds found last for this list (where the search starts)
    and receive this month's: a spell's later months find them a few days on."""
    at[0] = bound_from(days, n, lo_day, at[0])
    at[1] = bound_from(days, n, ref + 1, at[1])  # the first day after ref
    return at[1] - at[0] if at[1] > at[0] else 0


@kernel
def classify_interviews(D, R, S, p, group, spell_start, reg, window_start, ref, interval,
                        n_seg, n_odead, reasons):  # fmt: skip
    """R20–R28 for explain: reason code per interview of person ``p`` from the window's
    first day through ``ref`` (``reasons[i - first row]``, pre-filled with
    REJECT_OUTSIDE_WINDOW by the caller): ``COUNTED``, the rejecting rule, or R27's
    duplicate day; returns the counted number (the kernel's :func:`counted_in`)."""
    ilo = D.iv_off[p]
    ihi = D.iv_off[p + 1]
    first = first_job_interview(D, R, S, p, group, spell_start, reg, n_seg, n_odead)
    lo_day = window_first_day(reg, window_start, interval)
    counted = 0
    last_day = NO_DATE
    for i in range(lower_bound(D.iv_date, ilo, ihi, lo_day), ihi):
        d = D.iv_date[i]
        if d > ref:
            break
        reason = interview_reason(D, R, S, p, i, group, spell_start, first, n_seg, n_odead)
        if reason == COUNTED:
            if d == last_day:
                reason = REJECT_DUPLICATE_DAY  # R27
            else:
                counted += 1
                last_day = d
        reasons[i - ilo] = reason
    return counted


@kernel
def _dagpenge_day_ok(S, n_seg, d):
    """R25: a dagpenge interview counts on a dagpenge day or a day with no main benefit."""
    j = segment_at(n_seg, S.seg_start, S.seg_end, d)
    return j < 0 or S.seg_key[j] == DAGPENGE


@kernel
def _form_ok(D, R, S, p, i, d, group, spell_start, first, n_seg):
    """R22/R23: is the contact form of interview ``i`` (held on ``d``) eligible?"""
    form = D.iv_form[i]
    if d >= R.form_rule_from:
        if d == first and form != FORM_PERSONLIGT:
            return _remote_trial(D, R, i, form, d)
        return True
    if form == FORM_PERSONLIGT:
        return True
    if in_offer(D.of_start, D.of_end, D.of_off[p], D.of_off[p + 1], d):
        return True  # (a)
    for w in range(R.reopen_start.shape[0]):
        if R.reopen_start[w] <= d and d <= R.reopen_end[w]:
            return True  # (b)
    if d >= R.remote_6m_from and d >= spell_start:  # (c)
        # D10: the duration on the interview date, as if it were the reference date
        # (R11/R12): for dagpenge with the hour unit of the dagpenge row with the latest
        # start on or before it
        if group == DAGPENGE:
            blo = D.ben_off[p]
            bhi = D.ben_off[p + 1]
            h = dagpenge_hours(
                spell_start, d, D.ben_benefit, D.ben_start, D.ben_end, D.ben_hours, blo, bhi,
                n_seg, S.seg_start, S.seg_end, S.seg_key,
                S.n_dead[DAGPENGE], S.dead_start[DAGPENGE], S.dead_end[DAGPENGE],
                S.dp_reach[0], S.dp_term, S.hours_memo_i, S.hours_memo_f,
            )  # fmt: skip
            unit = R.hours_full
            if part_time_on(D.ben_benefit, D.ben_start, D.ben_part_time, blo, bhi, d):
                unit = R.hours_part
            k = interval_of_months(months_of_hours(h, unit, R.hours_tolerance))
        else:
            days = counted_days_between(
                spell_start, d, S.n_dead[group], S.dead_start[group], S.dead_end[group]
            )
            k = interval_of_days(days, R.day_edges)
        if k >= R.remote_6m_interval:
            return True
    return _remote_trial(D, R, i, form, d)  # (d)


@kernel
def _remote_trial(D, R, i, form, d):
    """R23: a remote form allowed in a trial municipality, not held by the a-kasse."""
    return D.iv_held_by[i] != HOLDER_AKASSE and trial_allows(
        D.iv_muni[i], form, d, R.trial_muni, R.trial_form_mask, R.trial_start, R.trial_end
    )


@kernel
def interviews_without_benefit_day(D, S, p, n_seg):
    """Quality (§8): interviews on days without a measured main benefit. Interviews
    (sorted by date) and segments (sorted, disjoint) in one merge walk: ``j`` is the first
    segment ending on or after the interview's day (``segment_at``'s)."""
    n = 0
    j = 0
    for i in range(D.iv_off[p], D.iv_off[p + 1]):
        day = D.iv_date[i]
        while j < n_seg and S.seg_end[j] < day:
            j += 1
        if j == n_seg or S.seg_start[j] > day or S.seg_key[j] >= UNMEASURED_KEY:
            n += 1
    return n
