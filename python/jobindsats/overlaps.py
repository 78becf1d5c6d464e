"""Counting overlapping interval rows per person (SPEC §8 quality report).

Intervals are closed ``[start, end]`` day numbers: two rows *overlap* when they share at
least one day (``start2 <= end1`` for ``start1 <= start2``); touching rows
(``end1 + 1 == start2``) do not. Rows must be sorted by (person, start).

The count is exact: one sweep per person (in C++, or its Numba twin) compares each row
with the following rows that start on or before its end, so the work is rows × overlap
depth (small in register data, where most rows are consecutive monthly payments).
"""

from __future__ import annotations


def overlapping_rows_by_offsets(off, start, end, group, skip, use_group) -> int:
    """Rows (not skipped) sharing a day with another such row of the same person — of a
    different ``group`` when ``use_group``; persons are ``off[p]:off[p+1]``, rows sorted
    by start within a person.

    The compiled twin (``cpp/overlaps``) counts when the C++ module is there; the Numba
    one otherwise (loading it costs the first call about 0.7 s). Tests hold them equal.
    """
    try:
        from . import _core
    except ImportError:
        from .kernels.overlaps import overlapping_rows_numba

        return int(overlapping_rows_numba(off, start, end, group, skip, use_group))
    return int(_core.overlapping_rows(off, start, end, group, skip, use_group))
