"""Day-number arithmetic (twin of ``cpp/dates.hpp``).

A date is an integer day number: days since 1970-01-01 (Arrow ``date32``). Intervals are
closed ``[a, b]``. Floor division and modulo are spelled out so the C++ twin, where ``/``
truncates, can mirror them line by line.
"""

from __future__ import annotations

from ._jit import kernel


@kernel
def floor_div(a, b):
    q = a // b  # Python floors; C++ twin corrects truncation
    return q


@kernel
def civil_from_days(z):
    """(year, month, day) of day number ``z`` (proleptic Gregorian)."""
    z = z + 719468
    era = floor_div(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    if m <= 2:
        y += 1
    return y, m, d


@kernel
def days_from_civil(y, m, d):
    """Day number of the date ``y-m-d``."""
    if m <= 2:
        y -= 1
    era = floor_div(y, 400)
    yoe = y - era * 400
    mp = m - 3 if m > 2 else m + 9
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@kernel
def is_leap(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


@kernel
def days_in_month(y, m):
    if m == 2:
        return 29 if is_leap(y) else 28
    if m == 4 or m == 6 or m == 9 or m == 11:
        return 30
    return 31


#: Day numbers of 1900-02-28 and 2100-02-28: between them every fourth year is leap.
FOUR_YEAR_RULE_FIRST = -25509
FOUR_YEAR_RULE_LAST = 47540


@kernel
def leap_days_through(x):
    """Number of 29 Februaries on or before day ``x`` (up to a constant).

    Counted in March-based years: March-year ``k`` of a 400-year era ends with a 29
    February exactly when calendar year ``k + 1`` is leap, and that day is its day 365.
    """
    z = x + 719468
    era = floor_div(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    return era * 97 + yoe // 4 - yoe // 100 + (1 if doy == 365 else 0)


@kernel
def feb29_between(a, b):
    """D1: number of 29 Februaries in ``[a, b]`` (0 when ``b < a``).

    From 1900-02-28 to 2100-02-28 (``FOUR_YEAR_RULE_FIRST..LAST``) every fourth year is
    leap (2000 is), so there the count is a single division: a step at 1904-02-29 and
    every 1461 days after, the last at 2096-02-29. Elsewhere the calendar arithmetic of
    :func:`leap_days_through`.
    """
    if b < a:
        return 0
    if a - 1 >= FOUR_YEAR_RULE_FIRST and b <= FOUR_YEAR_RULE_LAST:
        return (b - FOUR_YEAR_RULE_FIRST) // 1461 - (a - 1 - FOUR_YEAR_RULE_FIRST) // 1461
    return leap_days_through(b) - leap_days_through(a - 1)


@kernel
def weekdays_through(x):
    """Number of Monday–Friday days on or before ``x`` (up to a constant)."""
    t = x + 3  # day 0 (1970-01-01) is a Thursday; t % 7 == 0 on Mondays
    w = floor_div(t, 7)
    r = t - w * 7
    return 5 * w + (r + 1 if r < 5 else 5)


@kernel
def weekdays_between(a, b):
    """D7: number of Monday–Friday days in ``[a, b]``."""
    if b < a:
        return 0
    return weekdays_through(b) - weekdays_through(a - 1)


@kernel
def first_of_month(x):
    _y, _m, d = civil_from_days(x)
    return x - d + 1


@kernel
def last_of_month(x):
    y, m, d = civil_from_days(x)
    return x - d + days_in_month(y, m)


@kernel
def gap_contains_whole_month(a, b):
    """D4: does the closed gap ``[a, b]`` contain a whole calendar month (1st to last)?
    A month has 28..31 days, and a gap of 61 days or more holds one whichever day it
    starts on (the longest without: the 2nd of a 31-day month to the 30th of the next)."""
    if b - a + 1 < 28:
        return False
    if b - a + 1 >= 61:
        return True
    y, m, d = civil_from_days(a)
    f = a if d == 1 else a - d + days_in_month(y, m) + 1
    return last_of_month(f) <= b


@kernel
def months_later(y, m, k):
    """The calendar month ``k`` months after month ``m`` of year ``y``, as (year, month)."""
    t = y * 12 + (m - 1) + k
    y2 = floor_div(t, 12)
    return y2, t - y2 * 12 + 1


@kernel
def add_months_clamped(x, k):
    """``x`` plus ``k`` calendar months, the day clamped to the month's last day (R24)."""
    y, m, d = civil_from_days(x)
    y2, m2 = months_later(y, m, k)
    dim = days_in_month(y2, m2)
    return days_from_civil(y2, m2, d if d < dim else dim)


@kernel
def first_day_aged(birth, k):
    """R2: the first day on which a person born on ``birth`` is ``k`` months old in
    completed months (months whole since the birth date; a birthday missing from a month
    is reached on the 1st of the next month): the birthday ``k`` months on, or the 1st of
    the month after when that month has no such day. Ages only grow, so the age is
    ``>= k`` exactly from this day."""
    yb, mb, db = civil_from_days(birth)
    y, m = months_later(yb, mb, k)
    dim = days_in_month(y, m)
    if db <= dim:
        return days_from_civil(y, m, db)
    return days_from_civil(y, m, dim) + 1
