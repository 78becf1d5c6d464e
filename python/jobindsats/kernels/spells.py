"""Main benefit per day and spells by group (twin of ``cpp/spells.hpp``): SPEC R5–R9.

The main-benefit timeline is a short list of disjoint segments, each labelled with a key:
the measured group (``schema.GROUPS`` index, forrevalidering folded into revalidering by
``KernelRules.benefit_group``, R7) or ``100 + benefit code`` for an unmeasured benefit.
Touching segments with the same key are one segment; days without payment are in none.
"""

from __future__ import annotations

from ._jit import kernel
from .constants import (
    BENEFIT_SYGEDAGPENGE,
    DAGPENGE,
    NO_DATE,
    OVERGANGSYDELSE,
    UNMEASURED_KEY,
)
from .dates import gap_contains_whole_month
from .segments import merge_by_key, paint, segment_at


@kernel
def main_benefit_segments(
    ben_benefit, ben_start, ben_end, ben_supp, lo, hi, benefit_rank, benefit_group,
    rank, bounds, active, seg_start, seg_end, seg_row, seg_key,
):  # fmt: skip
    """R5: the main benefit of every paid day, as merged keyed segments. Supplementary
    rows only win on days without any other payment; otherwise the priority of D5."""
    for r in range(lo, hi):
        rank[r - lo] = benefit_rank[ben_benefit[r]] + (64 if ben_supp[r] else 0)
    n = paint(ben_start, ben_end, rank, lo, hi, bounds, active, seg_start, seg_end, seg_row)
    for i in range(n):
        code = ben_benefit[seg_row[i]]
        g = benefit_group[code]
        seg_key[i] = g if g >= 0 else UNMEASURED_KEY + code
    return merge_by_key(n, seg_start, seg_end, seg_key)


@kernel
def spell_starts(n, seg_start, seg_end, seg_key, oy_join_mask, out_spell_start):
    """R6–R9, D4, D8: the first day of the spell each segment belongs to.

    Other groups: a segment continues the spell of the segment just before it (no other
    main benefit in between, R6) if that one has the same key and the gap between them
    holds no whole calendar month (D4). R8: a kontanthjælp/uddannelseshjælp segment right
    after an overgangsydelse segment, with such a short gap, starts at that overgangsydelse
    spell's start. Dagpenge (D8 fallback, used before the first period start): only the
    gap rule joins, other benefits in between do not break the spell.
    """
    last_dp = -1
    for i in range(n):
        k = seg_key[i]
        out_spell_start[i] = seg_start[i]
        if k == DAGPENGE:
            if last_dp >= 0 and not gap_contains_whole_month(
                seg_end[last_dp] + 1, seg_start[i] - 1
            ):
                out_spell_start[i] = out_spell_start[last_dp]
            last_dp = i
        elif i > 0 and not gap_contains_whole_month(seg_end[i - 1] + 1, seg_start[i] - 1):
            if seg_key[i - 1] == k:
                out_spell_start[i] = out_spell_start[i - 1]
            elif (
                k < UNMEASURED_KEY and (oy_join_mask >> k) & 1 and seg_key[i - 1] == OVERGANGSYDELSE
            ):
                out_spell_start[i] = out_spell_start[i - 1]  # R8


@kernel
def sickness_spells(ben_benefit, ben_start, ben_end, lo, hi, out_start, out_end):
    """R9/D6: sygedagpenge rows (sorted by start, end) merge while a row starts at least
    one day before the running end (``start <= end - 1``); touching rows stay apart."""
    n = 0
    for r in range(lo, hi):
        if ben_benefit[r] != BENEFIT_SYGEDAGPENGE:
            continue
        s = ben_start[r]
        e = ben_end[r]
        if n > 0 and s <= out_end[n - 1] - 1:
            if e > out_end[n - 1]:
                out_end[n - 1] = e
        else:
            out_start[n] = s
            out_end[n] = e
            n += 1
    return n


@kernel
def sickness_spell_start(n, sp_start, sp_end, ref):
    """R9: the start of the sickness spell containing ``ref``; the later-starting one when
    two do."""
    for i in range(n - 1, -1, -1):
        if sp_start[i] <= ref and ref <= sp_end[i]:
            return sp_start[i]
    return NO_DATE


@kernel
def dagpenge_spell_start(dp_start, lo, hi, n_seg, seg_start, seg_end, seg_spell, ref, seg):
    """R9: the latest dagpenge period start on or before ``ref``; without one, the gap-rule
    spell of D8 (``seg``: the index of the segment containing ``ref`` if the caller knows
    it, else -1)."""
    best = NO_DATE
    for i in range(lo, hi):
        if dp_start[i] <= ref:
            best = dp_start[i]
        else:
            break
    if best != NO_DATE:
        return best
    j = seg if seg >= 0 else segment_at(n_seg, seg_start, seg_end, ref)
    return seg_spell[j]
