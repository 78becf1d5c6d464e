"""SPEC §5: exemptions (R30 qualifying codes, R31 share over the window, R32 the 2024
rules with MII, D13, D14).

Expected values are computed by hand; the arithmetic is in the comments. Code 3 is in
every list of R30, so the tests use it as "a qualifying code".
"""

from __future__ import annotations

import pytest

from builders import (
    benefit,
    dagpenge_period,
    exemption,
    measure,
    mii,
    one_row,
    visitation,
)

# --- R30 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code", "category", "exempt"),
    [
        ("dagpenge", 2, None, True),
        ("dagpenge", 11, None, True),
        ("dagpenge", 66, None, True),
        ("dagpenge", 6, None, False),
        ("dagpenge", 65, None, False),  # removed in v1.72
        ("kontanthjaelp", 3, "aktivitetsparat", True),
        ("kontanthjaelp", 76, "aktivitetsparat", True),
        ("kontanthjaelp", 78, "aktivitetsparat", True),  # D13: historic code still counts
        ("kontanthjaelp", 2, "jobparat", True),
        ("kontanthjaelp", 2, "aktivitetsparat", False),
        ("kontanthjaelp", 2, None, False),  # category unknown: only the "all" list
        ("kontanthjaelp", 11, "jobparat", False),
        ("kontanthjaelp", 65, "jobparat", False),
        ("uddannelseshjaelp", 47, "uddannelsesparat", True),
        ("uddannelseshjaelp", 2, "aabenlyst_uddannelsesparat", True),
        ("uddannelseshjaelp", 2, "uddannelsesparat", False),
        ("uddannelseshjaelp", 43, "aabenlyst_uddannelsesparat", False),
        ("overgangsydelse", 43, "jobparat", True),
        ("overgangsydelse", 77, "aabenlyst_uddannelsesparat", True),
        ("overgangsydelse", 43, "aktivitetsparat", False),
        ("overgangsydelse", 47, "jobparat", False),
        ("revalidering", 16, None, True),
        ("forrevalidering", 16, None, True),
        ("revalidering", 6, None, False),
        ("sygedagpenge", 53, None, True),
        ("sygedagpenge", 70, None, True),
        ("sygedagpenge", 4, None, False),
        ("ledighedsydelse", 23, None, True),
        ("ledighedsydelse", 50, None, False),
        ("ressourceforloeb", 76, None, True),
        ("ressourceforloeb", 45, None, False),
        ("jobafklaring", 45, None, True),
        ("jobafklaring", 23, None, False),
    ],
)
def test_R30_qualifying_codes_per_group_and_category(backend, kind, code, category, exempt):
    # spell 2019-01-01..03-31 (90 days, window = whole spell), exemption on every day
    m = measure(
        benefits=[
            benefit(kind, "2019-01-01", "2019-03-31", hours=300.0 if kind == "dagpenge" else None)
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")] if kind == "dagpenge" else [],
        exemptions=[exemption(code, "2019-01-01", "2019-03-31")],
        visitation=[visitation(category, "2019-01-01", "2019-12-31")] if category else [],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03")
    assert row["exempt"] is exempt
    assert row["excluded"] is None


@pytest.mark.parametrize(
    ("jobparat_until", "exempt"), [("2019-02-14", True), ("2019-02-13", False)]
)
def test_R30_category_specific_code_uses_the_category_of_each_day(backend, jobparat_until, exempt):
    # kontanthjaelp 2019-01-01..03-31 (90 days), code 2 on every day; code 2 qualifies only
    # on jobparat days. jobparat 01-01..02-14 = 31 + 14 = 45 days -> 50 % -> exempt;
    # until 02-13 = 44 days -> 48.9 % -> not. (Category on the reference date is
    # aktivitetsparat, so a "category on the reference date" reading would give 0 %.)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(2, "2019-01-01", "2019-03-31")],
        visitation=[
            visitation("jobparat", "2019-01-01", jobparat_until),
            visitation("aktivitetsparat", "2019-02-15", "2019-12-31"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["exempt"] is exempt


def test_R30_overlapping_exemption_rows_count_each_day_once(backend):
    # 200-day spell 2019-01-01..07-19; code 3 on 01-01..04-09 (99 days) and code 10 on
    # 04-01..04-09 (inside it) -> 99 distinct days = 49.5 % -> not exempt (108 if doubled)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-07-19")],
        exemptions=[
            exemption(3, "2019-01-01", "2019-04-09"),
            exemption(10, "2019-04-01", "2019-04-09"),
        ],
        start="2019-07",
        backend=backend,
    )
    assert one_row(m, "2019-07")["exempt"] is False


def test_R30_several_qualifying_codes_add_up(backend):
    # code 3 on 01-01..02-28 (59) and code 10 on 03-01..04-10 (41) -> 100 of 200 -> exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-07-19")],
        exemptions=[
            exemption(3, "2019-01-01", "2019-02-28"),
            exemption(10, "2019-03-01", "2019-04-10"),
        ],
        start="2019-07",
        backend=backend,
    )
    assert one_row(m, "2019-07")["exempt"] is True


# --- R31 / D14 --------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "exempt"), [("2019-03-05", True), ("2019-03-04", False)])
def test_R31_D14_at_least_50_percent(backend, end, exempt):
    # 10-day spell 2019-03-01..03-10; 5 exempt days = 50 % -> exempt; 4 = 40 % -> not
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-03-01", "2019-03-10")],
        exemptions=[exemption(3, "2019-03-01", end)],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["exempt"] is exempt


def test_R31_dead_days_leave_the_denominator(backend):
    # 200-day spell 2019-01-01..07-19; code 3 on 01-01..03-31 = 90 days.
    # person 1: 901 on 06-01..06-20 -> 180 counted window days -> 90/180 = 50 % -> exempt
    # person 2: nothing dead -> 90/200 = 45 % -> not exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-07-19", person=p) for p in (1, 2)],
        exemptions=[
            exemption(3, "2019-01-01", "2019-03-31", person=1),
            exemption(901, "2019-06-01", "2019-06-20", person=1),
            exemption(3, "2019-01-01", "2019-03-31", person=2),
        ],
        start="2019-07",
        backend=backend,
    )
    assert one_row(m, "2019-07", person=1)["exempt"] is True
    assert one_row(m, "2019-07", person=2)["exempt"] is False


def test_R31_exemption_days_on_dead_days_do_not_count(backend):
    # 200-day spell; code 3 on 01-01..04-10 (100 days) but 901 on 04-01..04-10:
    # 90 exempt counted days / 190 counted days = 47.4 % -> not exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-07-19")],
        exemptions=[
            exemption(3, "2019-01-01", "2019-04-10"),
            exemption(901, "2019-04-01", "2019-04-10"),
        ],
        start="2019-07",
        backend=backend,
    )
    assert one_row(m, "2019-07")["exempt"] is False


@pytest.mark.parametrize(
    ("start", "end", "exempt"),
    [
        ("2018-01-01", "2018-12-31", False),  # all before the window
        ("2019-01-01", "2019-07-02", True),  # 181 + 2 = 183 of 365 = 50.1 %
        ("2019-01-01", "2019-07-01", False),  # 182 of 365 = 49.9 %
    ],
)
def test_R31_share_is_over_the_12_month_window(backend, start, end, exempt):
    # k 2018-01-01..2019-12-31 = 730 days -> `12+`; window = 2019 (365 counted days)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2018-01-01", "2019-12-31")],
        exemptions=[exemption(3, start, end)],
        start="2019-12",
        backend=backend,
    )
    row = one_row(m, "2019-12")
    assert row["interval"] == "12+"
    assert row["exempt"] is exempt


@pytest.mark.parametrize(
    ("spell_end", "start", "end", "exempt"),
    [
        # only 03-01..03-10 of the exemption lies in the spell: 10/31 = 32 %
        ("2019-03-31", "2019-01-01", "2019-03-10", False),
        # 03-01..03-16: 16/31 = 51.6 %
        ("2019-03-31", "2019-03-01", "2019-03-16", True),
        # reference date 03-20: 03-12..03-20 = 9 of 20 days = 45 % (days after the
        # reference date do not count; up to 03-31 it would be 20/31)
        ("2019-03-20", "2019-03-12", "2019-12-31", False),
        # 03-11..03-20 = 10 of 20 = 50 %
        ("2019-03-20", "2019-03-11", "2019-12-31", True),
    ],
)
def test_R31_window_is_spell_start_to_reference_date(backend, spell_end, start, end, exempt):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-03-01", spell_end)],
        exemptions=[exemption(3, start, end)],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["exempt"] is exempt


def test_R31_window_without_counted_day_has_share_0(backend):
    # spell wholly inside the COVID dead period: no counted day -> share 0 -> not exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2020-04-01", "2020-04-30")],
        exemptions=[exemption(3, "2020-04-01", "2020-04-30")],
        start="2020-04",
        backend=backend,
    )
    row = one_row(m, "2020-04")
    assert row["excluded"] is None  # R3 concerns ordinary dead periods only
    assert row["duration_days"] == 0
    assert row["interval"] == "<1"
    assert row["exempt"] is False


# --- R32 --------------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "exempt"), [("2024-02-05", True), ("2024-02-04", False)])
def test_R32_2024_duration_under_6_months_threshold_30_percent(backend, end, exempt):
    # k 2024-01-01..04-30: 31 + 28 (29 Feb not counted) + 31 + 30 = 120 -> `3`
    # code 3 on 01-01..02-05 = 36 days = 30 % -> exempt; ..02-04 = 35 = 29.2 % -> not
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-01-01", "2024-04-30")],
        exemptions=[exemption(3, "2024-01-01", end)],
        start="2024-04",
        backend=backend,
    )
    row = one_row(m, "2024-04")
    assert (row["duration_days"], row["interval"]) == (120, "3")
    assert row["exempt"] is exempt


def test_R32_interval_5_uses_30_percent_interval_6_uses_50(backend):
    # person 1: 2023-10-01..2024-03-31 = 31+30+31+31+28+31 = 182 -> `5`;
    #           code 3 on 2023-10-01..11-24 = 31 + 24 = 55 -> 30.2 % -> exempt
    # person 2: 2023-09-30..2024-03-31 = 183 -> `6`;
    #           code 3 on 2023-09-30..11-24 = 56 -> 30.6 % < 50 % -> not exempt
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2023-10-01", "2024-03-31", person=1),
            benefit("kontanthjaelp", "2023-09-30", "2024-03-31", person=2),
        ],
        exemptions=[
            exemption(3, "2023-10-01", "2023-11-24", person=1),
            exemption(3, "2023-09-30", "2023-11-24", person=2),
        ],
        start="2024-03",
        backend=backend,
    )
    one = one_row(m, "2024-03", person=1)
    assert (one["duration_days"], one["interval"], one["exempt"]) == (182, "5", True)
    two = one_row(m, "2024-03", person=2)
    assert (two["duration_days"], two["interval"], two["exempt"]) == (183, "6", False)


def test_R32_does_not_apply_before_2024(backend):
    # k 2023-09-01..12-31 = 30+31+30+31 = 122 -> `4`, reference date 2023-12-31.
    # code 3 on 09-01..10-19 = 49 days = 40.2 % (< 50 %), and 10 MII days -> not exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-09-01", "2023-12-31")],
        exemptions=[exemption(3, "2023-09-01", "2023-10-19")],
        mii=[mii("2023-11-01", "2023-11-10")],
        start="2023-12",
        backend=backend,
    )
    row = one_row(m, "2023-12")
    assert (row["duration_days"], row["interval"]) == (122, "4")
    assert row["exempt"] is False


def test_R32_mii_does_not_apply_from_interval_6(backend):
    # k 2023-09-01..2024-03-31 = 212 -> `6`; 10 MII days; code 3 on 2023-09-01..11-24 =
    # 85 days = 40.1 % -> not exempt (50 % rule alone)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-09-01", "2024-03-31")],
        exemptions=[exemption(3, "2023-09-01", "2023-11-24")],
        mii=[mii("2024-01-10", "2024-01-19")],
        start="2024-03",
        backend=backend,
    )
    row = one_row(m, "2024-03")
    assert (row["duration_days"], row["interval"]) == (212, "6")
    assert row["exempt"] is False


def test_R32_mii_five_distinct_days_in_the_spell(backend):
    # every person: k 2023-12-22..2024-03-31 (100 counted days, `3`), no exemption rows
    # except person 5's dead days.
    mii_rows = {
        1: [("2024-01-10", "2024-01-14")],  # 5 days -> exempt
        2: [("2024-01-10", "2024-01-12"), ("2024-01-11", "2024-01-13")],  # 4 distinct
        3: [("2024-02-27", "2024-03-02")],  # 27, 28, 29 Feb, 1, 2 Mar = 5 -> exempt
        4: [("2023-12-18", "2023-12-22")],  # only 12-22 inside the spell -> 1
        5: [("2024-01-10", "2024-01-14")],  # 5 days, all dead (901): still 5 -> exempt
        6: [("2024-04-01", "2024-04-05")],  # after the reference date -> 0
    }
    expected = {1: True, 2: False, 3: True, 4: False, 5: True, 6: False}
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-12-22", "2024-03-31", person=p) for p in mii_rows],
        mii=[mii(s, e, person=p) for p, rows in mii_rows.items() for s, e in rows],
        exemptions=[exemption(901, "2024-01-10", "2024-01-14", person=5)],
        start="2024-03",
        backend=backend,
    )
    got = {p: one_row(m, "2024-03", person=p)["exempt"] for p in mii_rows}
    assert got == expected
    # person 5: 100 - 5 dead days = 95 -> still `3`
    assert one_row(m, "2024-03", person=5)["duration_days"] == 95
