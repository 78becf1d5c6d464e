"""Painting overlapping closed intervals into disjoint segments (twin of ``cpp/segments.hpp``).

``paint`` sweeps rows sorted by start: between consecutive boundaries (every ``start`` and
every ``end + 1``) the active row with the lowest rank wins (ties: the lower row index).
Days covered by no row belong to no segment. ``merge_by_key`` then joins touching
segments (``end + 1 == next start``) whose winners map to the same key.
"""

from __future__ import annotations

from ._jit import kernel


@kernel
def insertion_sort(values, n):
    """Sort ``values[:n]`` in place; fast on the nearly sorted boundaries we feed it."""
    for i in range(1, n):
        v = values[i]
        j = i - 1
        while j >= 0 and values[j] > v:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = v


@kernel
def paint(starts, ends, ranks, lo, hi, bounds, active, out_start, out_end, out_row):
    """Disjoint segments of rows ``lo..hi-1`` (sorted by start), each with its winning row.

    ``ranks[r - lo]`` is the rank of row ``r``.

    ``bounds`` needs ``2 * (hi - lo)`` slots, ``active`` ``hi - lo``, the outputs
    ``2 * (hi - lo)``. Returns the number of segments; ``out_row`` holds row indices.
    """
    k = hi - lo
    if k <= 0:
        return 0
    # rows that do not overlap (each starting after the one before ends, as most persons'
    # rows do) are their own segments: exactly what the painting below would give
    disjoint = True
    for r in range(lo + 1, hi):
        disjoint = disjoint and starts[r] > ends[r - 1]
    if disjoint:
        for r in range(lo, hi):
            out_start[r - lo] = starts[r]
            out_end[r - lo] = ends[r]
            out_row[r - lo] = r
        return k
    nb = 0
    for r in range(lo, hi):
        bounds[nb] = starts[r]
        bounds[nb + 1] = ends[r] + 1
        nb += 2
    insertion_sort(bounds, nb)
    nseg = 0
    nact = 0
    nxt = lo
    i = 0
    while i < nb - 1:
        b = bounds[i]
        # skip duplicate boundaries
        while i + 1 < nb and bounds[i + 1] == b:
            i += 1
        if i >= nb - 1:
            break
        e = bounds[i + 1] - 1
        # rows starting on or before b join, rows ending before b leave
        while nxt < hi and starts[nxt] <= b:
            active[nact] = nxt
            nact += 1
            nxt += 1
        w = 0
        for q in range(nact):
            if ends[active[q]] >= b:
                active[w] = active[q]
                w += 1
        nact = w
        if nact > 0:
            best = active[0]
            for q in range(1, nact):
                r = active[q]
                if ranks[r - lo] < ranks[best - lo] or (
                    ranks[r - lo] == ranks[best - lo] and r < best
                ):
                    best = r
            out_start[nseg] = b
            out_end[nseg] = e
            out_row[nseg] = best
            nseg += 1
        i += 1
    return nseg


@kernel
def merge_by_key(n, seg_start, seg_end, seg_key):
    """Join touching segments with equal key, in place; returns the new count."""
    if n == 0:
        return 0
    w = 0
    for i in range(1, n):
        if seg_key[i] == seg_key[w] and seg_start[i] == seg_end[w] + 1:
            seg_end[w] = seg_end[i]
        else:
            w += 1
            seg_start[w] = seg_start[i]
            seg_end[w] = seg_end[i]
            seg_key[w] = seg_key[i]
    return w + 1


@kernel
def lower_bound(values, lo, hi, x):
    """First index in ``lo..hi-1`` with ``values[i] >= x`` (``hi`` if none); sorted input.
    The halving step of cpp/segments.cpp's branch-free search (the answer stays in
    ``[base, base + n]``)."""
    if hi <= lo:
        return lo
    base = lo
    n = hi - lo
    while n > 1:
        half = n // 2
        if values[base + half] < x:
            base += half
        n -= half
    return base + (1 if values[base] < x else 0)


@kernel
def first_ending_at_or_after(n, seg_end, day):
    """Index of the first segment whose end is on or after ``day`` (``n`` if none)."""
    return lower_bound(seg_end, 0, n, day)


@kernel
def segment_at(n, seg_start, seg_end, day):
    """Index of the segment containing ``day``, or -1 (segments disjoint and sorted)."""
    lo = first_ending_at_or_after(n, seg_end, day)
    if lo < n and seg_start[lo] <= day:
        return lo
    return -1


@kernel
def latest_covering(starts, ends, lo, hi, day):
    """R42: among rows ``lo..hi-1`` sorted by start, the last one covering ``day``; -1 if none."""
    best = -1
    for r in range(lo, hi):
        if starts[r] > day:
            break
        if ends[r] >= day:
            best = r
    return best


@kernel
def union_days(starts, ends, lo, hi, a, b):
    """Distinct days of ``[a, b]`` covered by rows ``lo..hi-1`` sorted by start (R32 MII)."""
    total = 0
    cur_s = 0
    cur_e = -2147483647
    have = False
    for r in range(lo, hi):
        s = starts[r] if starts[r] > a else a
        e = ends[r] if ends[r] < b else b
        if e < s:
            continue
        if have and s <= cur_e + 1:
            if e > cur_e:
                cur_e = e
        else:
            if have:
                total += cur_e - cur_s + 1
            cur_s = s
            cur_e = e
            have = True
    if have:
        total += cur_e - cur_s + 1
    return total
