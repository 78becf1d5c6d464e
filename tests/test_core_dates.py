"""Day arithmetic: the C++ core vs its Numba twin vs a plain ``datetime`` reference.

SPEC D1 (29 February is not a counted day), D4 (a gap containing a whole calendar month),
D7 (weekdays), R2 (age in completed months; a missing birthday is reached on the 1st of
the next month) and R11/R13/R14 (counted days outside dead periods).

Day numbers are days since 1970-01-01 (``docs/kernel.md``); the tests cover 1900..2100.
"""

from __future__ import annotations

import datetime as dt
import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobindsats.kernels import counted as nb_counted
from jobindsats.kernels import dates as nb_dates

try:
    core = importlib.import_module("jobindsats._core")
except ImportError:  # pragma: no cover - exercised only without the C++ build
    core = None

EPOCH = dt.date(1970, 1, 1)
DAY_MIN = (dt.date(1900, 1, 1) - EPOCH).days
DAY_MAX = (dt.date(2100, 12, 31) - EPOCH).days


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def date(x: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(x))


def last_of_month(y: int, m: int) -> dt.date:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


# --- implementations under test --------------------------------------------------------

IMPLS = ["numba", "cpp"]


@pytest.fixture(params=IMPLS)
def impl(request: pytest.FixtureRequest) -> str:
    if request.param == "cpp" and core is None:
        pytest.skip("C++ core jobindsats._core is not built")
    return request.param


def feb29_between(which: str, a: int, b: int) -> int:
    f = core.feb29_between if which == "cpp" else nb_dates.feb29_between
    return int(f(a, b))


def weekdays_between(which: str, a: int, b: int) -> int:
    f = core.weekdays_between if which == "cpp" else nb_dates.weekdays_between
    return int(f(a, b))


def gap_contains_whole_month(which: str, a: int, b: int) -> bool:
    f = core.gap_contains_whole_month if which == "cpp" else nb_dates.gap_contains_whole_month
    return bool(f(a, b))


def first_day_aged(which: str, birth: int, k: int) -> int:
    f = core.first_day_aged if which == "cpp" else nb_dates.first_day_aged
    return int(f(birth, k))


def counted_days(which: str, a: int, b: int, starts: list[int], ends: list[int]) -> int:
    ds = np.array(starts, dtype=np.int32)
    de = np.array(ends, dtype=np.int32)
    if which == "cpp":
        out = core.counted_days_between(
            np.array([a], dtype=np.int64), np.array([b], dtype=np.int64), ds, de
        )
        assert out.shape == (1,)
        return int(out[0])
    return int(nb_counted.counted_days_between(a, b, len(starts), ds, de))


# --- the datetime reference ------------------------------------------------------------


def ref_feb29_between(a: int, b: int) -> int:
    if b < a:
        return 0
    da, db = date(a), date(b)
    n = 0
    for y in range(da.year, db.year + 1):
        leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
        if leap and da <= dt.date(y, 2, 29) <= db:
            n += 1
    return n


def ref_weekdays_between(a: int, b: int) -> int:
    if b < a:
        return 0
    # NumPy's business-day calendar (Mon-Fri) is an independent implementation.
    return int(np.busday_count(np.datetime64(date(a)), np.datetime64(date(b + 1))))


def ref_gap_contains_whole_month(a: int, b: int) -> bool:
    if b < a:
        return False
    da, db = date(a), date(b)
    y, m = da.year, da.month
    while (y, m) <= (db.year, db.month):
        if dt.date(y, m, 1) >= da and last_of_month(y, m) <= db:
            return True
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return False


def anniversary(birth: dt.date, k: int) -> dt.date:
    """The k-th monthly birthday; a missing day is reached on the 1st of the next month."""
    t = birth.year * 12 + birth.month - 1 + k
    y, m = divmod(t, 12)
    try:
        return dt.date(y, m + 1, birth.day)
    except ValueError:
        return last_of_month(y, m + 1) + dt.timedelta(days=1)


def ref_completed_months(birth: int, x: int) -> int:
    """R2 for ``x >= birth``: the number of monthly birthdays reached on or before ``x``."""
    b, d = date(birth), date(x)
    k = (d.year - b.year) * 12 + (d.month - b.month)
    while anniversary(b, k) > d:
        k -= 1
    while anniversary(b, k + 1) <= d:
        k += 1
    return k


def ref_counted_days(a: int, b: int, starts: list[int], ends: list[int]) -> int:
    """Brute force R11: days of [a, b] in no dead interval and not 29 February."""
    n = 0
    for x in range(a, b + 1):
        if any(s <= x <= e for s, e in zip(starts, ends, strict=True)):
            continue
        d = date(x)
        if d.month == 2 and d.day == 29:
            continue
        n += 1
    return n


def ref_window_start(spell_start: int, ref: int, days: int, starts, ends) -> int:
    """Brute force R20/R44: walk back from ref until ``days`` counted days are covered;
    the spell start if they never are."""
    n = 0
    for x in range(ref, spell_start - 1, -1):
        if ref_counted_days(x, x, starts, ends):
            n += 1
            if n == days:
                return x
    return spell_start


# --- strategies ------------------------------------------------------------------------

LEAP_FEB29 = [day(dt.date(y, 2, 29)) for y in range(1904, 2100, 4) if y % 100 != 0 or y % 400 == 0]


@st.composite
def month_edge(draw: st.DrawFn) -> int:
    """A day near a month end (the last day, the 1st of the next month, ...)."""
    y = draw(st.integers(1900, 2100))
    m = draw(st.integers(1, 12))
    x = day(last_of_month(y, m)) + draw(st.integers(-3, 2))
    return min(max(x, DAY_MIN), DAY_MAX)


@st.composite
def near_feb29(draw: st.DrawFn) -> int:
    return draw(st.sampled_from(LEAP_FEB29)) + draw(st.integers(-2, 2))


days = st.one_of(st.integers(DAY_MIN, DAY_MAX), month_edge(), near_feb29())


@st.composite
def day_pairs(draw: st.DrawFn) -> tuple[int, int]:
    """(a, b): either two independent days, or b a short distance from a (either side)."""
    a = draw(days)
    independent = draw(st.booleans())
    b = draw(days) if independent else a + draw(st.integers(-3, 800))
    return a, min(max(b, DAY_MIN), DAY_MAX)


@st.composite
def dead_intervals(draw: st.DrawFn, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Sorted, disjoint closed intervals (possibly touching) between lo and hi."""
    n = draw(st.integers(0, 6))
    starts: list[int] = []
    ends: list[int] = []
    x = lo + draw(st.integers(0, 400))
    for _ in range(n):
        s = x
        e = s + draw(st.integers(0, 200))
        if e > hi:
            break
        starts.append(s)
        ends.append(e)
        x = e + draw(st.integers(1, 300))
    return starts, ends


# --- hypothesis: twins vs reference ----------------------------------------------------

#: these examples take microseconds: many more than the profile's default
MANY = settings(max_examples=max(500, settings.default.max_examples))


@MANY
@given(ab=day_pairs())
def test_feb29_between(ab: tuple[int, int]) -> None:
    a, b = ab
    expected = ref_feb29_between(a, b)
    assert feb29_between("numba", a, b) == expected
    if core is not None:
        assert feb29_between("cpp", a, b) == expected


@MANY
@given(ab=day_pairs())
def test_weekdays_between(ab: tuple[int, int]) -> None:
    a, b = ab
    expected = ref_weekdays_between(a, b)
    assert weekdays_between("numba", a, b) == expected
    if core is not None:
        assert weekdays_between("cpp", a, b) == expected


@MANY
@given(ab=day_pairs())
def test_gap_contains_whole_month(ab: tuple[int, int]) -> None:
    a, b = ab
    expected = ref_gap_contains_whole_month(a, b)
    assert gap_contains_whole_month("numba", a, b) is expected
    if core is not None:
        assert gap_contains_whole_month("cpp", a, b) is expected


@MANY
@given(birth=days, k=st.integers(0, 1300))
def test_first_day_aged(birth: int, k: int) -> None:
    """R2: the age in completed months reaches k exactly on first_day_aged(birth, k)."""
    expected = [first_day_aged("numba", birth, k)]
    if core is not None:
        expected.append(first_day_aged("cpp", birth, k))
    for x in expected:
        assert ref_completed_months(birth, x) >= k > ref_completed_months(birth, x - 1)


@MANY
@given(data=st.data())
def test_counted_days_between(data: st.DataObject) -> None:
    lo = data.draw(st.integers(DAY_MIN, DAY_MAX - 4000), label="lo")
    starts, ends = data.draw(dead_intervals(lo, lo + 3000), label="dead")
    a = data.draw(st.integers(lo - 50, lo + 2000), label="a")
    b = data.draw(st.integers(a - 3, a + 1500), label="b")
    expected = ref_counted_days(a, b, starts, ends)
    assert counted_days("numba", a, b, starts, ends) == expected
    if core is not None:
        assert counted_days("cpp", a, b, starts, ends) == expected


@pytest.mark.skipif(core is None, reason="C++ core jobindsats._core is not built")
@MANY
@given(data=st.data())
def test_counted_days_between_vectorised(data: st.DataObject) -> None:
    """The C++ binding over many (a, b) pairs at once, against the Numba twin."""
    lo = data.draw(st.integers(DAY_MIN, DAY_MAX - 4000), label="lo")
    starts, ends = data.draw(dead_intervals(lo, lo + 3000), label="dead")
    pairs = data.draw(
        st.lists(st.tuples(st.integers(lo - 50, lo + 3050), st.integers(-5, 3000)), max_size=40),
        label="pairs",
    )
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[0] + p[1] for p in pairs], dtype=np.int64)
    ds, de = np.array(starts, dtype=np.int32), np.array(ends, dtype=np.int32)
    got = core.counted_days_between(a, b, ds, de)
    expected = [
        nb_counted.counted_days_between(int(x), int(y), len(starts), ds, de)
        for x, y in zip(a, b, strict=True)
    ]
    assert got.tolist() == expected


# --- exhaustive sweeps over 1900..2100 -------------------------------------------------

ALL_DAYS = np.arange(DAY_MIN, DAY_MAX + 1, dtype=np.int64)


def _all_dates() -> list[dt.date]:
    return [date(x) for x in ALL_DAYS]


def test_sweep_feb29_and_weekdays_every_day(impl: str) -> None:
    """For every day d of 1900..2100: [d, d] and the running count from 1900-01-01."""
    dates = _all_dates()
    is_feb29 = np.array([d.month == 2 and d.day == 29 for d in dates])
    is_weekday = np.array([d.weekday() < 5 for d in dates])
    assert is_feb29.sum() == 49  # 1904, 1908, ..., 2096 (2000 is leap; 1900, 2100 are not)
    cum_feb29 = np.cumsum(is_feb29)
    cum_weekday = np.cumsum(is_weekday)
    for i in range(len(ALL_DAYS)):
        x = int(ALL_DAYS[i])
        assert feb29_between(impl, x, x) == int(is_feb29[i]), date(x)
        assert weekdays_between(impl, x, x) == int(is_weekday[i]), date(x)
        assert feb29_between(impl, DAY_MIN, x) == int(cum_feb29[i]), date(x)
        assert weekdays_between(impl, DAY_MIN, x) == int(cum_weekday[i]), date(x)
        assert feb29_between(impl, x, x - 1) == 0


def test_feb29_between_across_the_edges_of_the_four_year_rule(impl: str) -> None:
    """D1: the single-division count (1900-02-28..2100-02-28, where every fourth year is
    leap) and the calendar arithmetic outside it agree with the datetime reference for
    every pair of days within 40 days of either edge and of the 29 Februaries next to
    them (1896, 1904, 2096, 2104), including intervals with one end on each side."""
    edges = [day(dt.date(y, m, d)) for y, m, d in
             [(1900, 2, 28), (2100, 2, 28), (1904, 2, 29), (2096, 2, 29),
              (1896, 2, 29), (2104, 2, 29)]]  # fmt: skip
    assert edges[:2] == [nb_dates.FOUR_YEAR_RULE_FIRST, nb_dates.FOUR_YEAR_RULE_LAST]
    near = sorted({e + k for e in edges for k in range(-40, 41)})
    for a in near:
        for b in near:
            assert feb29_between(impl, a, b) == ref_feb29_between(a, b), (date(a), date(b))


def test_sweep_gap_whole_month_every_month(impl: str) -> None:
    """Every month of 1900..2100: [1st, last] contains it, one day less on either side
    does not, and a gap starting on the 2nd needs the whole next month."""
    for y in range(1900, 2101):
        for m in range(1, 13):
            first = day(dt.date(y, m, 1))
            last = day(last_of_month(y, m))
            assert gap_contains_whole_month(impl, first, last), (y, m)
            assert not gap_contains_whole_month(impl, first + 1, last), (y, m)
            assert not gap_contains_whole_month(impl, first, last - 1), (y, m)
            if (y, m) != (2100, 12):
                nxt_last = day(last_of_month(y + (m == 12), m % 12 + 1))
                assert not gap_contains_whole_month(impl, first + 1, nxt_last - 1), (y, m)
                assert gap_contains_whole_month(impl, first + 1, nxt_last), (y, m)


# --- hand-checked edges ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "months"),
    [
        # 29 February birthdays are reached on 1 March in common years (R2)
        ("2000-02-29", "2016-02-28", 191),
        ("2000-02-29", "2016-02-29", 192),
        ("2001-02-28", "2017-02-28", 192),
        ("2000-02-29", "2015-02-28", 179),
        ("2000-02-29", "2015-03-01", 180),
        # the 31st is reached on the 1st of a 30-day month's successor
        ("2000-01-31", "2000-02-29", 0),
        ("2000-01-31", "2000-03-01", 1),
        ("2000-03-31", "2000-04-30", 0),
        ("2000-03-31", "2000-05-01", 1),
        ("2000-03-31", "2000-05-31", 2),
        ("1958-07-15", "2025-07-14", 803),
        ("1958-07-15", "2025-07-15", 804),
        ("1900-01-01", "2100-12-31", 2411),
    ],
)
def test_completed_months_edges(impl: str, birth: str, on: str, months: int) -> None:
    # the kernels test R2 as first_day_aged(b, k) <= x < first_day_aged(b, k + 1)
    b, x = day(dt.date.fromisoformat(birth)), day(dt.date.fromisoformat(on))
    assert ref_completed_months(b, x) == months
    assert first_day_aged(impl, b, months) <= x < first_day_aged(impl, b, months + 1)


def test_first_day_aged_is_where_completed_months_reaches_k(impl: str) -> None:
    """R2 per person: the kernels test a reference date against the first day of the
    minimum age and of the pension age, instead of the age in months per row. That day
    f must be exactly where the age reaches k: completed_months(f - 1) < k <= that of f,
    for births on every day of 1999-2001 (month ends, 29 February) and ages 0-900 months
    in steps that hit every month length."""
    births = range(day(dt.date(1999, 1, 1)), day(dt.date(2001, 12, 31)) + 1)
    for b in births:
        for k in (0, 1, 2, 11, 12, 13, 37, 216, 217, 803, 804, 900):
            x = first_day_aged(impl, b, k)
            assert ref_completed_months(b, x) >= k > ref_completed_months(b, x - 1), (
                date(b),
                k,
                date(x),
            )
    # the R2 edges above: a 29 February birthday is 16 on 1 March in a common year
    assert date(first_day_aged(impl, day(dt.date(2000, 2, 29)), 192)) == dt.date(2016, 2, 29)
    assert date(first_day_aged(impl, day(dt.date(2001, 2, 28)), 192)) == dt.date(2017, 2, 28)
    assert date(first_day_aged(impl, day(dt.date(2000, 2, 29)), 180)) == dt.date(2015, 3, 1)
    assert date(first_day_aged(impl, day(dt.date(2000, 3, 31)), 1)) == dt.date(2000, 5, 1)


def test_counted_days_edges(impl: str) -> None:
    covid = (day(dt.date(2020, 3, 1)), day(dt.date(2020, 6, 30)))
    s = day(dt.date(2019, 12, 27))
    # G2: 64 counted days on 2020-02-29 (29 February itself not counted), and still 64
    # through the COVID dead period; 65 on 2020-07-01.
    for on, expected in [
        ("2020-02-28", 64),
        ("2020-02-29", 64),
        ("2020-03-11", 64),
        ("2020-06-30", 64),
        ("2020-07-01", 65),
    ]:
        b = day(dt.date.fromisoformat(on))
        assert counted_days(impl, s, b, [covid[0]], [covid[1]]) == expected, on
    # without the dead period 2020-03-01 is day 65
    assert counted_days(impl, s, day(dt.date(2020, 3, 1)), [], []) == 65
    # an interval inside a dead period, and an empty interval
    assert counted_days(impl, covid[0] + 3, covid[0] + 10, [covid[0]], [covid[1]]) == 0
    assert counted_days(impl, s, s - 1, [], []) == 0


@MANY
@given(data=st.data())
def test_counted_window_start(data: st.DataObject) -> None:
    # R20/R44: the latest day with `days` counted days through ref (dead days and 29
    # February skipped), never before the spell start; both twins against brute force
    lo = data.draw(st.integers(DAY_MIN, DAY_MAX - 4000), label="lo")
    starts, ends = data.draw(dead_intervals(lo, lo + 3000), label="dead")
    spell_start = data.draw(st.integers(lo - 50, lo + 1500), label="spell_start")
    ref = data.draw(st.integers(spell_start, spell_start + 1500), label="ref")
    days = data.draw(st.sampled_from([1, 2, 46, 91, 183, 274, 365, 400]), label="days")
    expected = ref_window_start(spell_start, ref, days, starts, ends)
    ds = np.array(starts, np.int32)
    de = np.array(ends, np.int32)
    assert nb_counted.counted_window_start(spell_start, ref, days, len(starts), ds, de) == expected
    if core is not None:
        assert core.counted_window_start(spell_start, ref, days, ds, de) == expected


def test_gap_contains_whole_month_at_the_length_shortcuts() -> None:
    # D4 answers gaps under 28 days "no" and of 61 days or more "yes" without calendar
    # arithmetic; the longest gap without a whole month is 60 days (2nd of a 31-day month
    # to the 30th of the next). Every start day of 2019-2024 at the lengths around both.
    start = (dt.date(2019, 1, 1) - dt.date(1970, 1, 1)).days
    stop = (dt.date(2024, 12, 31) - dt.date(1970, 1, 1)).days
    seen_60_without = False
    for a in range(start, stop + 1):
        for length in (27, 28, 29, 59, 60, 61, 62):
            b = a + length - 1
            expected = ref_gap_contains_whole_month(a, b)
            seen_60_without |= length == 60 and not expected
            assert gap_contains_whole_month("numba", a, b) is expected, (a, length)
            if core is not None:
                assert gap_contains_whole_month("cpp", a, b) is expected, (a, length)
    assert seen_60_without  # the 60-day bound is tight
