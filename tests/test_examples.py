"""SPEC §10: the worked examples G1–G7, exactly as written, on both backends.

Every expected value is computed by hand from the SPEC; the arithmetic is in the comments.
"Counted days" are R11's: not dead (R13, R14 = 2020-03-01..2020-06-30) and not 29 February
(D1).
"""

from __future__ import annotations

import pytest

from builders import (
    NON_TRIAL,
    D,
    benefit,
    cell,
    counted,
    dagpenge_period,
    dataset,
    exemption,
    interview,
    measure,
    mii,
    offer,
    one_row,
    run,
)

# --- G1 ---------------------------------------------------------------------------------

G1_INTERVIEWS = ("2019-06-19", "2020-01-10", "2020-03-12", "2020-06-02")


def g1_dataset():
    return dataset(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2020-12-31")],
        interviews=[interview(d) for d in G1_INTERVIEWS],
    )


def test_G1_december_2020_window_counted_and_interval(backend):
    m = run(g1_dataset(), "2020-12", backend=backend)
    row = one_row(m, "2020-12", "kontanthjaelp")
    assert row["reference_date"] == D("2020-12-31")
    # duration 2019-01-01..2020-12-31: 365 (2019) + 365 (2020 without 29 Feb)
    # - 122 COVID dead days (Mar 31 + Apr 30 + May 31 + Jun 30) = 608 -> 12+, band 1-2y
    assert row["duration_days"] == 608
    assert row["interval"] == "12+"
    # window = latest 365 counted days ending 2020-12-31: Jul..Dec 2020 = 184,
    # Jan 1..Feb 28 2020 = 59 (243), + Sep..Dec 2019 = 30+31+30+31 = 122 -> 2019-09-01.
    # Counted: 2020-01-10 and 2020-06-02 (R14: 05-27..06-30 counts); 2020-03-12 never;
    # 2019-06-19 is before the window.
    assert row["counted"] == 2
    assert row["exempt"] is False
    assert row["excluded"] is None
    for interval in ("12+", "1-2y"):
        c = cell(m, "2020-12", "kontanthjaelp", interval)
        assert c is not None
        assert (c["n2"], c["persons"], c["lt4"], c["interviews"]) == (1, 1, 1, 2)
    assert cell(m, "2020-12", "kontanthjaelp", "under12") is None


def test_G1_may_2020_window_back_to_2019_03_01(backend):
    m = run(g1_dataset(), "2020-05", backend=backend)
    row = one_row(m, "2020-05", "kontanthjaelp")
    assert row["reference_date"] == D("2020-05-31")
    # duration: 365 (2019) + 59 (2020-01-01..02-28; 29 Feb and Mar..May are not counted)
    assert row["duration_days"] == 424
    assert row["interval"] == "12+"
    # window: 59 counted days in 2020 + 306 in 2019 (Mar..Dec) -> 2019-03-01..2020-02-29
    # counted: 2019-06-19, 2020-01-10
    assert row["counted"] == 2


def test_G1_june_2020_adds_2020_06_02(backend):
    m = run(g1_dataset(), "2020-06", backend=backend)
    row = one_row(m, "2020-06", "kontanthjaelp")
    # same window start 2019-03-01 (no counted day added in Mar..Jun 2020); 2020-06-02
    # lies in the reopened part of R14 and on/before the reference date 2020-06-30
    assert row["duration_days"] == 424
    assert row["counted"] == 3


def test_G1_2020_03_12_never_counts(backend):
    m = run(g1_dataset(), "2019-01", "2020-12", backend=backend)
    # hand-computed window starts (latest 365 counted days) and counted interviews:
    # 2019-01..05: whole spell, no interview yet; 2019-06..11: whole spell, 06-19;
    # 2019-12: duration 365, window = 2019 -> 06-19
    # 2020-01 window from 2019-02-01 -> 06-19, 01-10                    = 2
    # 2020-02..05 window from 2019-03-01 -> 06-19, 01-10 (not 03-12)    = 2
    # 2020-06 window from 2019-03-01 -> + 06-02                          = 3
    # 2020-07 from 2019-04-01, 2020-08 from 2019-05-02, 2020-09 from 2019-06-01 -> 3
    # 2020-10 from 2019-07-02, 2020-11 from 2019-08-01, 2020-12 from 2019-09-01 -> 2
    expected = {
        **{f"2019-{mm:02d}": 0 for mm in range(1, 6)},
        **{f"2019-{mm:02d}": 1 for mm in range(6, 13)},
        "2020-01": 2,
        "2020-02": 2,
        "2020-03": 2,
        "2020-04": 2,
        "2020-05": 2,
        "2020-06": 3,
        "2020-07": 3,
        "2020-08": 3,
        "2020-09": 3,
        "2020-10": 2,
        "2020-11": 2,
        "2020-12": 2,
    }
    got = {month: counted(m, month, "kontanthjaelp") for month in expected}
    assert got == expected


def test_G1_explain_mentions_reference_date_and_counted_interviews():
    import jobindsats

    trace = jobindsats.explain(g1_dataset(), 1, month="2020-12")
    text = str(trace)
    assert "2020-12-31" in text
    assert "2020-01-10" in text
    assert "2020-06-02" in text


# --- G2 ---------------------------------------------------------------------------------


def test_G2_duration_stands_still_in_covid_period(backend):
    # spell start 2019-12-27: Dec 27..31 = 5, Jan = 31, Feb 1..28 = 28 -> 64 on 2020-02-29
    # (D1: 29 Feb not counted); 2020-03-01..06-30 dead (R14) -> still 64 on 03-11 and
    # 06-30; 2020-07-01 is counted -> 65. Each person's spell ends on the date to observe,
    # so that date is the reference date of its month (R10, D3).
    ends = {1: "2020-02-29", 2: "2020-03-11", 3: "2020-06-30", 4: "2020-07-01"}
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-12-27", e, person=p) for p, e in ends.items()],
        start="2019-12",
        end="2020-07",
        backend=backend,
    )
    expected = {1: 64, 2: 64, 3: 64, 4: 65}
    for p, end in ends.items():
        row = one_row(m, end[:7], "kontanthjaelp", person=p)
        assert row["reference_date"] == D(end)
        assert row["duration_days"] == expected[p], p
        assert row["interval"] == "2"  # 62..91
        assert row["excluded"] is None  # COVID is not an ordinary dead period (R3)


# --- G3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days", "fine", "band"),
    [
        # within 2019 (no 29 Feb, nothing dead): days = calendar days
        ("2019-12-02", "2019-12-31", 30, "<1", None),
        ("2019-12-01", "2019-12-31", 31, "1", None),
        ("2019-11-01", "2019-12-31", 61, "1", None),  # Nov 30 + Dec 31
        ("2019-10-31", "2019-12-31", 62, "2", None),
        ("2019-07-03", "2019-12-31", 182, "5", None),  # Jul 29 + Aug..Dec 153
        ("2019-07-02", "2019-12-31", 183, "6", None),
        ("2019-01-02", "2019-12-31", 364, "11", None),
        ("2019-01-01", "2019-12-31", 365, "12+", "1-2y"),
        # whole years 2017..2019 = 3 x 365
        ("2017-01-02", "2019-12-31", 1094, "12+", "1-2y"),
        ("2017-01-01", "2019-12-31", 1095, "12+", "3-5y"),
        # 2014..2019 = 6 x 365 (2016 has 365 counted days under D1)
        ("2014-01-01", "2019-12-31", 2190, "12+", "6-9y"),
        # 2010..2019 = 10 x 365 (2012, 2016 without 29 Feb)
        ("2010-01-01", "2019-12-31", 3650, "12+", "10y+"),
    ],
)
def test_G3_day_interval_edges(backend, start, end, days, fine, band):
    m = measure(
        benefits=[benefit("kontanthjaelp", start, end)],
        start="2019-12",
        backend=backend,
    )
    row = one_row(m, "2019-12", "kontanthjaelp")
    assert row["duration_days"] == days
    assert row["duration_hours"] is None
    assert row["interval"] == fine
    c = cell(m, "2019-12", "kontanthjaelp", fine)
    assert c is not None
    assert c["persons"] == 1
    if band is None:
        assert cell(m, "2019-12", "kontanthjaelp", "under12")["persons"] == 1
        assert cell(m, "2019-12", "kontanthjaelp", "12+") is None
    else:
        assert cell(m, "2019-12", "kontanthjaelp", band)["persons"] == 1
        assert cell(m, "2019-12", "kontanthjaelp", "under12") is None
        for other in {"1-2y", "3-5y", "6-9y", "10y+"} - {band}:
            assert cell(m, "2019-12", "kontanthjaelp", other) is None


@pytest.mark.parametrize(
    ("hours", "part_time", "fine"),
    [
        (160.32, None, "<1"),
        (160.33, None, "1"),  # 160.33 spread over the 23 weekdays of Jan 2019 sums back
        (160.32, False, "<1"),
        (160.33, False, "1"),
        (129.99, True, "<1"),
        (130.0, True, "1"),
    ],
)
def test_G3_hour_interval_edges(backend, hours, part_time, fine):
    # one dagpenge period from 2019-01-01, one payment row for January with `hours`;
    # reference date 2019-01-31, so the whole row is in the duration
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=hours, part_time=part_time)
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-01",
        backend=backend,
    )
    row = one_row(m, "2019-01", "dagpenge")
    assert row["duration_days"] is None
    assert row["duration_hours"] == pytest.approx(hours, abs=1e-6)
    assert row["interval"] == fine


# --- G4 ---------------------------------------------------------------------------------


def test_G4_sygedagpenge_overlap_is_start2_le_end1_minus_1(backend):
    m = measure(
        benefits=[
            # person 1: 01-10 <= 01-10 - 1 is false -> two spells; the reference date
            # 2019-01-20 lies only in the second, 01-10..01-20 = 11 days
            benefit("sygedagpenge", "2019-01-01", "2019-01-10", person=1),
            benefit("sygedagpenge", "2019-01-10", "2019-01-20", person=1),
            # person 2: 01-09 <= 01-09 -> one spell 01-01..01-20 = 20 days
            benefit("sygedagpenge", "2019-01-01", "2019-01-10", person=2),
            benefit("sygedagpenge", "2019-01-09", "2019-01-20", person=2),
        ],
        # a follow-up interview on 01-05 is inside person 2's spell only
        interviews=[interview("2019-01-05", kind="sygeopfoelgning", person=p) for p in (1, 2)],
        start="2019-01",
        backend=backend,
    )
    one = one_row(m, "2019-01", "sygedagpenge", person=1)
    two = one_row(m, "2019-01", "sygedagpenge", person=2)
    assert one["reference_date"] == two["reference_date"] == D("2019-01-20")
    assert one["duration_days"] == 11
    assert two["duration_days"] == 20
    assert one["counted"] == 0
    assert two["counted"] == 1


# --- G5 ---------------------------------------------------------------------------------


def test_G5_two_interviews_same_day_count_once(backend):
    # kontanthjaelp 2019-01-01..06-30, two eligible in-person job interviews on 03-05
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-06-30")],
        interviews=[
            interview("2019-03-05"),
            interview("2019-03-05", held_by="anden_aktoer"),
        ],
        start="2019-06",
        backend=backend,
    )
    assert counted(m, "2019-06", "kontanthjaelp") == 1
    c = cell(m, "2019-06", "kontanthjaelp", "5")  # 181 days: Jan..Jun 2019 -> interval 5
    assert (c["n1"], c["interviews"]) == (1, 1)


# --- G6 ---------------------------------------------------------------------------------


def test_G6_phone_2019_05_10_needs_offer_or_kobenhavn(backend):
    phone = {"form": "telefon"}
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-05-31", person=p) for p in (1, 2, 3)
        ],
        interviews=[
            interview("2019-05-10", municipality=NON_TRIAL, person=1, **phone),
            interview("2019-05-10", municipality=NON_TRIAL, person=2, **phone),
            interview("2019-05-10", municipality=101, person=3, **phone),
        ],
        offers=[offer("2019-05-06", "2019-05-17", person=2)],
        start="2019-05",
        backend=backend,
    )
    assert counted(m, "2019-05", person=1) == 0  # no offer, Aarhus is no trial
    assert counted(m, "2019-05", person=2) == 1  # R22(a): in an active offer
    assert counted(m, "2019-05", person=3) == 1  # R22(d): København telefon 2018-09..2020-09


def test_G6_phone_2022_03_01_counts_from_interval_6(backend):
    # duration on 2022-03-01 (R22 c, D10):
    # person 1 from 2021-08-01: Aug..Feb = 31+30+31+30+31+31+28 = 212, +1 = 213 -> `7`
    # person 2 from 2021-10-01: Oct..Feb = 31+30+31+31+28 = 151, +1 = 152 -> `4`
    starts = {1: "2021-08-01", 2: "2021-10-01"}
    m = measure(
        benefits=[benefit("kontanthjaelp", s, "2022-03-31", person=p) for p, s in starts.items()],
        interviews=[
            interview("2022-03-01", form="telefon", municipality=NON_TRIAL, person=p)
            for p in starts
        ],
        start="2022-03",
        backend=backend,
    )
    assert counted(m, "2022-03", person=1) == 1
    assert counted(m, "2022-03", person=2) == 0


def test_G6_phone_2023_04_01_counts_unless_first(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-01-01", "2023-04-30", person=p) for p in (1, 2)],
        interviews=[
            # person 1: an in-person job interview before -> the phone one is not first
            interview("2023-03-25", person=1, municipality=NON_TRIAL),
            interview("2023-04-01", form="telefon", person=1, municipality=NON_TRIAL),
            # person 2: the phone interview is the spell's first job interview
            interview("2023-04-01", form="telefon", person=2, municipality=NON_TRIAL),
        ],
        start="2023-04",
        backend=backend,
    )
    assert counted(m, "2023-04", person=1) == 2
    assert counted(m, "2023-04", person=2) == 0


# --- G7 ---------------------------------------------------------------------------------


def test_G7_exempt_at_50_percent_of_200_days(backend):
    # spell 2019-01-01..2019-07-19 = 181 (Jan..Jun) + 19 = 200 counted days, duration
    # `6` (183..212), window = whole spell (R20). Code 3 qualifies for kontanthjaelp.
    # person 1: 2019-01-01..04-10 = 31+28+31+10 = 100 days -> 50 % -> exempt (D14)
    # person 2: 2019-01-01..04-09 = 99 days -> 49.5 % -> not exempt
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-07-19", person=p) for p in (1, 2)],
        exemptions=[
            exemption(3, "2019-01-01", "2019-04-10", person=1),
            exemption(3, "2019-01-01", "2019-04-09", person=2),
        ],
        start="2019-07",
        backend=backend,
    )
    one = one_row(m, "2019-07", person=1)
    two = one_row(m, "2019-07", person=2)
    assert one["duration_days"] == two["duration_days"] == 200
    assert one["exempt"] is True
    assert two["exempt"] is False


def test_G7_2024_thirty_percent_and_mii(backend):
    # spell 2023-12-22..2024-03-31: Dec 22..31 = 10, Jan 31, Feb 28 (29 Feb not counted),
    # Mar 31 -> 100 counted days = interval `3` (92..121); reference date in 2024-03 -> R32.
    # Code 3 on 2024-03-01..03-30 = 30 days (30 %) -> exempt; 03-01..03-29 = 29 days
    # (29 %) -> not exempt; 29 days + 5 MII days (2024-01-10..01-14) -> exempt.
    # (The spell starts before 2024-01-01, so R24 does not apply.)
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2023-12-22", "2024-03-31", person=p) for p in (1, 2, 3)
        ],
        exemptions=[
            exemption(3, "2024-03-01", "2024-03-30", person=1),
            exemption(3, "2024-03-01", "2024-03-29", person=2),
            exemption(3, "2024-03-01", "2024-03-29", person=3),
        ],
        mii=[mii("2024-01-10", "2024-01-14", person=3)],
        start="2024-03",
        backend=backend,
    )
    rows = {p: one_row(m, "2024-03", person=p) for p in (1, 2, 3)}
    for row in rows.values():
        assert row["duration_days"] == 100
        assert row["interval"] == "3"
    assert rows[1]["exempt"] is True
    assert rows[2]["exempt"] is False
    assert rows[3]["exempt"] is True
