"""SPEC §7 derived measures: R41 focus targets (M4 and activation), R43 samtaletal, R44
passivity. Both backends; expected values computed by hand (arithmetic in comments).

Common case unless a test says otherwise: kontanthjaelp from 2018-01-01, measured in
2019-06 (reference date 2019-06-30): 546 counted days -> `12+`; the R20 window is the
latest 365 counted days, 2018-07-01..2019-06-30. The R44 windows of 46, 91, 183, 274 and
365 counted days start on 2019-05-16, 2019-04-01, 2018-12-30, 2018-09-30 and 2018-07-01.
"""

from __future__ import annotations

import pytest

import jobindsats
from builders import (
    ADULT,
    benefit,
    cell,
    dagpenge_period,
    dataset,
    employment,
    exemption,
    interview,
    measure,
    monthly_benefit,
    offer,
    one_row,
    residence,
    visitation,
)

WINDOWS = ("1_5m", "3m", "6m", "9m", "12m")


def passive_counts(m, month="2019-06", group="kontanthjaelp", municipality=0):
    c = cell(m, month, group, "12+", municipality=municipality)
    assert c is not None
    return tuple(c[f"passive_{w}"] for w in WINDOWS)


def kh_2018(**kwargs):
    return measure(
        benefits=[benefit("kontanthjaelp", "2018-01-01", "2019-12-31")],
        start="2019-06",
        **kwargs,
    )


# --- R44 passivity ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        # last offer day 05-25 lies in every window
        ([("2019-05-20", "2019-05-25")], (0, 0, 0, 0, 0)),
        # 05-15 is the day before the 46-day window (05-16..06-30)
        ([("2019-05-01", "2019-05-15")], (1, 0, 0, 0, 0)),
        # 2018-09-29 is the day before the 274-day window, inside the 365-day one
        ([("2018-09-29", "2018-09-29")], (1, 1, 1, 1, 0)),
        # 2018-06-30 is before the 365-day window (07-01..): passive in all five
        ([("2018-06-30", "2018-06-30")], (1, 1, 1, 1, 1)),
        # an offer after the reference date does not count
        ([("2019-07-01", "2019-08-01")], (1, 1, 1, 1, 1)),
        # an offer running through the reference date: active in every window
        ([("2018-01-01", "2020-01-01")], (0, 0, 0, 0, 0)),
        # the latest of several rows decides; kind does not matter
        ([("2018-01-01", "2018-02-01"), ("2019-03-31", "2019-03-31")], (1, 1, 0, 0, 0)),
        ([], (1, 1, 1, 1, 1)),
    ],
)
def test_R44_passivity_windows_of_counted_days_ending_on_the_reference_date(
    backend, offers, expected
):
    m = kh_2018(
        offers=[offer(a, b, kind="ordinaer_uddannelse") for a, b in offers], backend=backend
    )
    assert passive_counts(m) == expected


def test_R44_windows_skip_dead_days(backend):
    # a dead period (901, R13) 2019-06-01..06-20: the 46 counted days ending 06-30 are
    # 06-21..30 (10) + May (31) + 04-26..30 (5) -> the window starts 2019-04-26, so an
    # offer on 05-01 lies inside it (without the dead period the window starts 05-16).
    m = kh_2018(
        offers=[offer("2019-05-01", "2019-05-01")],
        exemptions=[exemption(901, "2019-06-01", "2019-06-20")],
        backend=backend,
    )
    assert passive_counts(m) == (0, 0, 0, 0, 0)
    m = kh_2018(offers=[offer("2019-05-01", "2019-05-01")], backend=backend)
    assert passive_counts(m) == (1, 0, 0, 0, 0)


def test_R44_exempt_persons_count_and_excluded_ones_do_not(backend):
    # person 1 exempt (code 3 over the whole window, R30/R31) without offers; person 2
    # too young (R2: born 2005-01-01, 14 on the reference date) -> excluded.
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2018-01-01", "2019-12-31", person=1),
            benefit("kontanthjaelp", "2018-01-01", "2019-12-31", person=2),
        ],
        persons=[(1, ADULT), (2, "2005-01-01")],
        exemptions=[exemption(3, "2018-01-01", "2019-12-31", person=1)],
        start="2019-06",
        backend=backend,
    )
    assert one_row(m, "2019-06", person=1)["exempt"] is True
    assert one_row(m, "2019-06", person=2)["excluded"] == "age"
    assert passive_counts(m) == (1, 1, 1, 1, 1)
    table = jobindsats.passivity(m).to_pylist()
    [national] = [r for r in table if r["municipality"] == 0 and r["group"] == "kontanthjaelp"]
    assert national["persons"] == 1  # the exempt person; not the excluded one
    assert national["share_passive_12m"] == 1.0
    assert national["municipality_name"] == "Hele landet"


def test_R44_only_12_plus_rows_are_counted(backend):
    # spell from 2019-01-01: 181 counted days on 06-30 -> `5`: no 12+ cell at all
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-31")],
        start="2019-06",
        backend=backend,
    )
    assert cell(m, "2019-06", "kontanthjaelp", "12+") is None
    assert cell(m, "2019-06", "kontanthjaelp", "5")["passive_12m"] == 0
    assert jobindsats.passivity(m).num_rows == 0


def test_R44_shares_per_municipality_and_nationally(backend):
    # three persons 12+ in 101 (two without offers) and one in 751 with an offer
    people = [(1, 101, None), (2, 101, None), (3, 101, "2019-06-01"), (4, 751, "2019-06-01")]
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2018-01-01", "2019-12-31", person=p) for p, _, _ in people
        ],
        residence=[residence(mu, "1950-01-01", "2099-12-31", person=p) for p, mu, _ in people],
        offers=[offer(o, o, person=p) for p, _, o in people if o],
        start="2019-06",
        backend=backend,
    )
    rows = {
        r["municipality"]: r
        for r in jobindsats.passivity(m).to_pylist()
        if r["group"] == "kontanthjaelp"
    }
    assert list(rows) == [0, 101, 751]  # national first
    assert (rows[0]["persons"], rows[0]["passive_1_5m"]) == (4, 2)
    assert rows[0]["share_passive_1_5m"] == pytest.approx(0.5)
    assert rows[101]["share_passive_3m"] == pytest.approx(2 / 3)
    assert rows[751]["share_passive_12m"] == 0.0


# --- R41 activation focus target --------------------------------------------------------


def no_activation(m, month="2019-06", group="kontanthjaelp"):
    return cell(m, month, group, "12+")["no_activation"]


@pytest.mark.parametrize(
    ("offers", "expected"),
    [
        ([("2018-07-01", "2018-07-01")], 0),  # the window's first day
        ([("2018-06-30", "2018-06-30")], 1),  # the day before the window
        ([("2019-07-01", "2019-07-31")], 1),  # after the reference date
        ([], 1),
    ],
)
def test_R41_activation_offer_day_in_the_measurement_window(backend, offers, expected):
    m = kh_2018(offers=[offer(a, b) for a, b in offers], backend=backend)
    assert no_activation(m) == expected


def test_R41_employment_hours_do_not_matter_outside_dagpenge(backend):
    m = kh_2018(employment=[employment("2019-03", 1000.0)], backend=backend)
    assert no_activation(m) == 1


def dagpenge_12_plus(**kwargs):
    # dagpenge 2018-01..2019-06, 200 h a month = 3600 h on 2019-06-30 -> `12+`
    # (12 x 160.33 = 1923.96); the window is the latest 1923.96 hours, which begins in
    # 2018 (9.6 months of 200 h), so employment months 2019-01..2019-06 lie inside it and
    # 2017-06 outside.
    return measure(
        benefits=monthly_benefit("dagpenge", "2018-01", "2019-06", hours=200.0),
        dagpenge_periods=[dagpenge_period("2018-01-01")],
        start="2019-06",
        **kwargs,
    )


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ({}, 1),  # no employment table: 0 hours
        ({"2019-02": 100.0, "2019-03": 124.99}, 1),  # 224.99 < 225
        ({"2019-02": 100.0, "2019-03": 125.0}, 0),  # 225 hours: activated
        ({"2017-06": 1000.0}, 1),  # outside the window
        ({"2019-06": 300.0}, 0),  # the reference month's row lies in the window
    ],
)
def test_R41_dagpenge_counts_225_paid_working_hours_as_activation(backend, hours, expected):
    m = dagpenge_12_plus(
        employment=[employment(month, h) for month, h in hours.items()], backend=backend
    )
    assert one_row(m, "2019-06", "dagpenge")["interval"] == "12+"
    assert no_activation(m, group="dagpenge") == expected


def test_R41_dagpenge_offer_alone_is_activation(backend):
    m = dagpenge_12_plus(offers=[offer("2019-05-01", "2019-05-02")], backend=backend)
    assert no_activation(m, group="dagpenge") == 0


# --- R41 focus target: the 12-month mean of M4 -------------------------------------------


def persons_with_interviews(counts, *, start="2018-01-01", municipality=101, first=1):
    """kontanthjaelp persons from ``start``; person i gets counts[i] job interviews in
    2019-05 (inside every window measured below)."""
    benefits, interviews, homes = [], [], []
    for i, n in enumerate(counts):
        p = first + i
        benefits.append(benefit("kontanthjaelp", start, "2019-12-31", person=p))
        homes.append(residence(municipality, "1950-01-01", "2099-12-31", person=p))
        interviews += [interview(f"2019-05-{d + 1:02d}", person=p) for d in range(n)]
    return benefits, interviews, homes


def focus_row(table, municipality=101, group="kontanthjaelp"):
    [row] = [
        r for r in table.to_pylist() if r["municipality"] == municipality and r["group"] == group
    ]
    return row


@pytest.mark.parametrize(
    ("counts", "share", "below"),
    [
        ((4, 4, 4, 4, 0), 0.2, False),  # exactly 20 %: not below (strictly)
        ((4, 4, 4, 4, 4, 0), 1 / 6, True),
    ],
)
def test_R41_focus_target_threshold_is_strict(backend, counts, share, below):
    b, i, r = persons_with_interviews(counts)
    m = measure(benefits=b, interviews=i, residence=r, start="2019-06", backend=backend)
    row = focus_row(jobindsats.focus_targets(m, "2019-06"))
    assert row["share_lt4"] == pytest.approx(share)
    assert row["share_lt4_mean"] == pytest.approx(share)
    assert row["share_lt4_months"] == 1  # only 2019-06 was measured
    assert row["share_lt4_below"] is below
    assert row["municipality_name"] == "København"


def test_R41_mean_over_the_months_that_have_a_value(backend):
    # one person from 2018-07-01 without interviews: 365 counted days on 2019-06-30, so
    # `12+` from June; May (335 days) is `11`. Measured 2019-01..12: the 12+ cell has a
    # value in June..December -> 7 months, M4 = 1 in each, mean 1.
    b, i, r = persons_with_interviews((0,), start="2018-07-01")
    m = measure(benefits=b, interviews=i, residence=r, start="2019-01", end="2019-12",
                backend=backend)  # fmt: skip
    row = focus_row(jobindsats.focus_targets(m, "2019-12"))
    assert row["share_lt4_months"] == 7
    assert row["share_lt4_mean"] == 1.0
    assert row["share_lt4_below"] is False
    # the months m-11..m only: for 2019-06 just June counts
    assert focus_row(jobindsats.focus_targets(m, "2019-06"))["share_lt4_months"] == 1


def test_R41_mean_is_unweighted_over_months(backend):
    # 101: person 1 (0 interviews) is 12+ from 2018-12 (spell from 2018-01-01); person 2
    # (4 interviews in May) is 12+ from 2019-06 (spell from 2018-07-01). Measured
    # 2019-06..07: June M4 = 1/2, July M4 = 1/2 (May interviews still in the window).
    # With 2019-05 also measured: May M4 = 1/1 (person 2 is `11`) -> mean (1 + .5 + .5)/3.
    b1, i1, r1 = persons_with_interviews((0,), start="2018-01-01")
    b2, i2, r2 = persons_with_interviews((4,), start="2018-07-01", first=2)
    m = measure(benefits=b1 + b2, interviews=i1 + i2, residence=r1 + r2,
                start="2019-05", end="2019-07", backend=backend)  # fmt: skip
    row = focus_row(jobindsats.focus_targets(m, "2019-07"))
    assert row["share_lt4"] == pytest.approx(0.5)
    assert row["share_lt4_months"] == 3
    assert row["share_lt4_mean"] == pytest.approx((1 + 0.5 + 0.5) / 3)


def test_R41_activation_share_and_its_mean(backend):
    # two persons 12+ in 101 in 2019-06, one with an offer in the window: 1/2 without
    # activation -> share 0.5, mean over the one month 0.5, not below 20 %.
    b, i, r = persons_with_interviews((0, 0))
    m = measure(benefits=b, interviews=i, residence=r, offers=[offer("2019-01-01", "2019-01-05")],
                start="2019-06", backend=backend)  # fmt: skip
    row = focus_row(jobindsats.focus_targets(m, "2019-06"))
    assert (row["no_activation"], row["activation_persons"]) == (1, 2)
    assert row["no_activation_share"] == pytest.approx(0.5)
    assert row["no_activation_mean"] == pytest.approx(0.5)
    assert row["no_activation_months"] == 1
    assert row["no_activation_below"] is False


def test_R41_focus_targets_measures_the_twelve_months_itself(backend):
    # given data rather than a Measurement, m-11..m is measured: the same as measuring
    # 2018-07..2019-06 and reading the result
    b, i, r = persons_with_interviews((0, 4))
    ds = dataset(benefits=b, interviews=i, residence=r)
    direct = jobindsats.focus_targets(ds, "2019-06", backend=backend)
    m = jobindsats.measure(ds, "2018-07", "2019-06", backend=backend)
    assert direct.equals(jobindsats.focus_targets(m, "2019-06"))
    # 12+ from 2018-12 (2018-01-01..12-31 = 365 counted days): Dec..Jun = 7 months
    assert focus_row(direct)["share_lt4_months"] == 7


def test_R41_focus_targets_month_outside_the_measurement_is_an_error(backend):
    m = kh_2018(backend=backend)
    with pytest.raises(ValueError, match="2020-01"):
        jobindsats.focus_targets(m, "2020-01")


# --- R43 samtaletal ---------------------------------------------------------------------


def test_R43_samtaletal_requirement_by_category_and_interval(backend):
    # 2019-04 (reference date 04-30):
    #  p1 jobparat from 2019-01-01 (120 days -> `3`), 3 interviews -> met (N=3, M=3)
    #  p2 jobparat from 2019-01-01, 2 interviews -> not met
    #  p3 jobparat from 2018-10-01 (212 days -> `6`): outside [3, 6), not counted
    #  p4 jobparat from 2019-01-01, exempt (code 3 all window) -> not counted
    #  p5 aktivitetsparat from 2018-10-01 (`6` in [6, 9)), 3 interviews -> met (N=3, M=6)
    starts = {1: "2019-01-01", 2: "2019-01-01", 3: "2018-10-01", 4: "2019-01-01",
              5: "2018-10-01"}  # fmt: skip
    n_interviews = {1: 3, 2: 2, 3: 3, 4: 3, 5: 3}
    m = measure(
        benefits=[benefit("kontanthjaelp", s, "2019-12-31", person=p) for p, s in starts.items()],
        visitation=[
            visitation(
                "aktivitetsparat" if p == 5 else "jobparat", "2018-01-01", "2019-12-31", person=p
            )
            for p in starts
        ],
        interviews=[
            interview(f"2019-0{k + 1}-15", person=p)
            for p, n in n_interviews.items()
            for k in range(n)
        ],
        exemptions=[exemption(3, "2019-01-01", "2019-12-31", person=4)],
        start="2019-04",
        backend=backend,
    )
    assert [one_row(m, "2019-04", person=p)["interval"] for p in (1, 3, 5)] == ["3", "6", "6"]
    assert [one_row(m, "2019-04", person=p)["counted"] for p in (1, 2, 5)] == [3, 2, 3]
    rows = {r["group"]: r for r in jobindsats.samtaletal(m).to_pylist() if r["municipality"] == 0}
    job = rows["kontanthjaelp/jobparat"]
    assert (job["required_interviews"], job["within_months"]) == (3, 3)
    assert (job["persons"], job["persons_met"]) == (2, 1)
    assert job["share_met"] == pytest.approx(0.5)
    assert job["mean_interviews"] == pytest.approx(2.5)
    akt = rows["kontanthjaelp/aktivitetsparat"]
    assert (akt["required_interviews"], akt["within_months"]) == (3, 6)
    assert (akt["persons"], akt["persons_met"], akt["mean_interviews"]) == (1, 1, 3.0)


@pytest.mark.parametrize(("n", "met"), [(5, 0), (6, 1), (7, 1)])
def test_R43_dagpenge_needs_six_interviews_beyond_the_5plus_cap(backend, n, met):
    # dagpenge 2019-01..05, 200 h a month: 1000 h on 05-31 -> `6` (6 x 160.33 = 961.98)
    days = ["01-10", "02-10", "03-10", "04-10", "05-10", "05-20", "05-27"][:n]
    m = measure(
        benefits=monthly_benefit("dagpenge", "2019-01", "2019-05", hours=200.0),
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[interview(f"2019-{d}") for d in days],
        start="2019-05",
        backend=backend,
    )
    row = one_row(m, "2019-05", "dagpenge")
    assert (row["interval"], row["counted"]) == ("6", n)
    [dp] = [
        r
        for r in jobindsats.samtaletal(m).to_pylist()
        if r["municipality"] == 0 and r["group"] == "dagpenge"
    ]
    assert (dp["required_interviews"], dp["within_months"]) == (6, 6)
    assert (dp["persons"], dp["persons_met"]) == (1, met)
    assert dp["mean_interviews"] == float(n)
