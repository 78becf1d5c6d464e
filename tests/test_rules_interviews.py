"""SPEC §6: which interviews count (R20 window, R21 kind/holder/date, R22 contact form with
D10, R23 trial municipalities, R24 pre-payment interviews, R25 dagpenge unpaid days,
R26 sygedagpenge, R27 one per day, R28 exemption days, D16).

Expected values are computed by hand; the arithmetic is in the comments. Contact-form tests
hold their interviews in :data:`builders.NON_TRIAL` (Aarhus, in no trial of R23) unless
the trial is the point, and keep spells short (under 6 months) so that R22(c) is not in
play unless it is the point.
"""

from __future__ import annotations

import datetime as dt

import pytest

from builders import (
    NON_TRIAL,
    D,
    benefit,
    counted,
    dagpenge_period,
    exemption,
    interview,
    measure,
    monthly_benefit,
    offer,
    one_row,
    registration,
    residence,
)


def short_spell_around(day: str, kind: str = "kontanthjaelp", person: int = 1):
    """A spell from the 1st of the month before ``day`` to the last day of ``day``'s month
    (at most 62 days: interval `<1`..`2`, far below R22(c)'s 6 months)."""
    d = D(day)
    first = dt.date(d.year - (d.month == 1), (d.month - 2) % 12 + 1, 1)
    nxt = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return benefit(kind, first.isoformat(), last.isoformat(), person=person)


# --- R20 --------------------------------------------------------------------------------


def test_R20_under_12_months_the_window_is_the_whole_spell(backend):
    # 2019-01-01..12-30 = 364 days -> `11`; the interview on the first day counts
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-30")],
        interviews=[interview("2019-01-01")],
        start="2019-12",
        backend=backend,
    )
    row = one_row(m, "2019-12")
    assert (row["interval"], row["counted"]) == ("11", 1)


def test_R20_12_months_window_is_the_latest_365_counted_days(backend):
    # k 2018-01-01..2019-12-31 (730 -> `12+`): window 2019-01-01..2019-12-31
    m = measure(
        benefits=[benefit("kontanthjaelp", "2018-01-01", "2019-12-31")],
        interviews=[interview("2018-12-31"), interview("2019-01-01")],
        start="2019-12",
        backend=backend,
    )
    assert counted(m, "2019-12") == 1


def test_R20_window_reaches_back_past_29_february(backend):
    # k 2015-01-01..2016-12-31: 2016 has 366 calendar days but 365 counted (D1), so the
    # window of December 2016 is exactly 2016-01-01..2016-12-31
    m = measure(
        benefits=[benefit("kontanthjaelp", "2015-01-01", "2016-12-31")],
        interviews=[interview("2015-12-31"), interview("2016-01-01")],
        start="2016-12",
        backend=backend,
    )
    row = one_row(m, "2016-12")
    assert row["duration_days"] == 730  # 365 + 365
    assert row["counted"] == 1


def test_R20_window_reaches_back_past_the_covid_period(backend):
    # G1: December 2020 window starts 2019-09-01 (184 + 59 + 122 = 365 counted days)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2020-12-31")],
        interviews=[interview("2019-08-31"), interview("2019-09-01")],
        start="2020-12",
        backend=backend,
    )
    assert counted(m, "2020-12") == 1


@pytest.mark.parametrize(
    ("part_time", "hours", "expected"),
    [
        # full-time, 1000 h per payment day: 12-02 (1000) + 06-03 (2000 >= 1923.96)
        # -> window from 2019-06-03: 06-03, 09-10 (unpaid, R25), 12-02 = 3
        (None, 1000.0, 3),
        # part-time, 800 h: 12-02 (800) + 06-03 (1600 >= 1560) -> from 06-03: 3
        (True, 800.0, 3),
        # full-time, 800 h: 1600 < 1923.96 -> + 01-07 (2400): window from 2019-01-07:
        # 03-01, 06-02 (unpaid Sunday), 06-03, 09-10, 12-02 = 5
        (None, 800.0, 5),
    ],
)
def test_R20_dagpenge_window_is_the_latest_1923_96_or_1560_hours(
    backend, part_time, hours, expected
):
    # one dagpenge period from 2019-01-01; payments on Mondays 01-07, 06-03 and 12-02
    # only (one-day rows). Reference date for December: 12-02. Duration >= 2400 h: `12+`.
    # Interviews (in person, jobcentre) on days without any main benefit count by R25
    # inside the window; 12-20 is after the reference date.
    pay = ("2019-01-07", "2019-06-03", "2019-12-02")
    m = measure(
        benefits=[benefit("dagpenge", d, d, hours=hours, part_time=part_time) for d in pay],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[
            interview(d)
            for d in (
                "2019-03-01",
                "2019-06-02",
                "2019-06-03",
                "2019-09-10",
                "2019-12-02",
                "2019-12-20",
            )
        ],
        start="2019-12",
        backend=backend,
    )
    row = one_row(m, "2019-12", "dagpenge")
    assert row["reference_date"] == D("2019-12-02")
    assert row["interval"] == "12+"
    assert row["counted"] == expected


# --- R21 / D16 --------------------------------------------------------------------------


def test_R21_only_job_interviews_count(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        interviews=[
            interview("2019-01-10"),  # counts
            interview("2019-01-20", kind="anden"),
            interview("2019-01-30", kind="sygeopfoelgning"),
            # joint does not make another kind a job interview
            interview("2019-02-10", kind="anden", joint=True, akasse_present=True),
        ],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03") == 1


def test_R21_D16_holders(backend):
    # kontanthjaelp: jobcentre and other actor count, the unemployment fund does not;
    # dagpenge: the unemployment fund counts too (D16)
    holders = {"2019-01-10": "jobcenter", "2019-01-21": "anden_aktoer", "2019-01-30": "akasse"}
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("dagpenge", "2019-01-01", "2019-03-31", hours=480.0, person=2),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01", person=2)],
        interviews=[interview(d, held_by=h, person=p) for p in (1, 2) for d, h in holders.items()],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03", person=1) == 2
    assert counted(m, "2019-03", person=2) == 3


def test_R21_interview_dates_between_spell_start_and_reference_date(backend):
    # spell 01-10..03-20: 01-09 is before it, 03-21 after the reference date
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-10", "2019-03-20")],
        interviews=[interview(d) for d in ("2019-01-09", "2019-01-10", "2019-03-20", "2019-03-21")],
        start="2019-01",
        end="2019-04",
        backend=backend,
    )
    assert counted(m, "2019-01") == 1
    assert counted(m, "2019-03") == 2
    assert one_row(m, "2019-03")["reference_date"] == D("2019-03-20")


def test_R21_interview_on_a_gap_day_inside_the_spell_counts(backend):
    # k January and 02-10..03-31: the gap 02-01..02-09 does not break the spell (D4)
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-01-31"),
            benefit("kontanthjaelp", "2019-02-10", "2019-03-31"),
        ],
        interviews=[interview("2019-02-05")],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03") == 1


def test_R21_interview_between_two_spells_does_not_count(backend):
    # k January, nothing in February (whole month: new spell from 03-01)
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-01-31"),
            benefit("kontanthjaelp", "2019-03-01", "2019-03-31"),
        ],
        interviews=[interview("2019-01-15"), interview("2019-02-15")],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03") == 0


# --- R22 up to 2023-03-21 ---------------------------------------------------------------


@pytest.mark.parametrize(("form", "expected"), [("personligt", 1), ("telefon", 0), ("digitalt", 0)])
def test_R22_before_2023_in_person_always_counts_remote_needs_a_reason(backend, form, expected):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-04-01", "2019-05-31")],
        interviews=[interview("2019-05-10", form=form, municipality=NON_TRIAL)],
        start="2019-05",
        backend=backend,
    )
    assert counted(m, "2019-05") == expected


@pytest.mark.parametrize(
    ("kind", "offer_start", "offer_end", "expected"),
    [
        ("vejledning_opkvalificering", "2019-05-10", "2019-05-10", 1),
        ("virksomhedspraktik", "2019-05-01", "2019-05-31", 1),
        ("loentilskud", "2019-04-01", "2019-05-10", 1),
        ("nytteindsats", "2019-05-10", "2019-06-30", 1),
        ("ordinaer_uddannelse", "2019-05-06", "2019-05-17", 1),
        ("other", "2019-05-06", "2019-05-17", 1),
        ("virksomhedspraktik", "2019-04-01", "2019-05-09", 0),  # ended the day before
        ("virksomhedspraktik", "2019-05-11", "2019-05-31", 0),  # starts the day after
    ],
)
def test_R22_a_remote_interview_during_an_active_offer_counts(
    backend, kind, offer_start, offer_end, expected
):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-04-01", "2019-05-31")],
        interviews=[interview("2019-05-10", form="telefon", municipality=NON_TRIAL)],
        offers=[offer(offer_start, offer_end, kind=kind)],
        start="2019-05",
        backend=backend,
    )
    assert counted(m, "2019-05") == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2020-05-27", 1),
        ("2021-01-15", 1),
        ("2021-08-31", 1),
        ("2021-09-01", 0),
        ("2021-12-18", 0),
        ("2021-12-19", 1),
        ("2022-01-31", 1),
        ("2022-02-01", 0),
    ],
)
@pytest.mark.parametrize("form", ["telefon", "digitalt"])
def test_R22_b_remote_interviews_in_the_covid_reopening_count(backend, day, form, expected):
    # short spell around the day (duration < 6 months, so R22(c) does not apply)
    m = measure(
        benefits=[short_spell_around(day)],
        interviews=[interview(day, form=form, municipality=NON_TRIAL)],
        start=day[:7],
        backend=backend,
    )
    assert counted(m, day[:7]) == expected


@pytest.mark.parametrize(
    ("start", "end", "day", "expected"),
    [
        # duration on 2022-03-01 from 2021-08-31: 1 + 30 + 31 + 30 + 31 + 31 + 28 + 1 = 183
        # -> `6` (D10) -> counts
        ("2021-08-31", "2022-03-31", "2022-03-01", 1),
        # from 2021-09-01: 182 -> `5` -> does not count
        ("2021-09-01", "2022-03-31", "2022-03-01", 0),
        # from 2021-10-01: 152 on 2022-03-01 (`4`), although 273 (`8`) on the reference
        # date 2022-06-30: the duration on the interview date decides
        ("2021-10-01", "2022-06-30", "2022-03-01", 0),
        # 2021-11-15 is before 2022 (and outside the reopening): 319 days do not help
        ("2021-01-01", "2021-11-30", "2021-11-15", 0),
    ],
)
@pytest.mark.parametrize("form", ["telefon", "digitalt"])
def test_R22_c_D10_remote_from_2022_when_duration_is_6_months(
    backend, start, end, day, expected, form
):
    m = measure(
        benefits=[benefit("kontanthjaelp", start, end)],
        interviews=[interview(day, form=form, municipality=NON_TRIAL)],
        start=end[:7],
        backend=backend,
    )
    assert counted(m, end[:7]) == expected


# --- R22 from 2023-03-22 ----------------------------------------------------------------


def test_R22_from_2023_03_22_first_interview_must_be_in_person(backend):
    # spells 2023-04-01..05-31 (61 days)
    plans = {
        # first by phone does not count; the later phone interview does
        1: [("2023-04-03", "telefon"), ("2023-04-10", "telefon")],
        # first in person counts, later digital counts
        2: [("2023-04-03", "personligt"), ("2023-04-10", "digitalt")],
        # first date has a phone and an in-person interview: the date counts once (R27)
        3: [("2023-04-03", "telefon"), ("2023-04-03", "personligt"), ("2023-04-10", "telefon")],
        # only a digital interview: it is the first -> 0
        4: [("2023-05-02", "digitalt")],
    }
    expected = {1: 1, 2: 2, 3: 2, 4: 0}
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-04-01", "2023-05-31", person=p) for p in plans],
        interviews=[
            interview(d, form=f, municipality=NON_TRIAL, person=p)
            for p, ivs in plans.items()
            for d, f in ivs
        ],
        start="2023-05",
        backend=backend,
    )
    assert {p: counted(m, "2023-05", person=p) for p in plans} == expected


def test_R22_first_interview_is_the_spells_first_even_outside_the_window(backend):
    # k 2022-06-01..2023-12-31: 214 + 365 = 579 days -> `12+`, window = 2023.
    # person 1: in-person 2022-07-01 (outside the window) is the first -> the phone
    #           interview 2023-06-01 is not first and counts -> 1
    # person 2: the phone interview 2023-06-01 is the first -> 0
    m = measure(
        benefits=[benefit("kontanthjaelp", "2022-06-01", "2023-12-31", person=p) for p in (1, 2)],
        interviews=[
            interview("2022-07-01", municipality=NON_TRIAL, person=1),
            interview("2023-06-01", form="telefon", municipality=NON_TRIAL, person=1),
            interview("2023-06-01", form="telefon", municipality=NON_TRIAL, person=2),
        ],
        start="2023-12",
        backend=backend,
    )
    assert one_row(m, "2023-12", person=1)["interval"] == "12+"
    assert counted(m, "2023-12", person=1) == 1
    assert counted(m, "2023-12", person=2) == 0


def test_R22_first_ignores_interviews_R21_would_not_consider(backend):
    # k 2023-04-01..06-30; each person has a phone job interview on 05-10 and before it
    # an in-person interview that is not a considered job interview -> 05-10 is first -> 0
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2023-04-01", "2023-06-30", person=p) for p in (1, 2, 3)
        ],
        exemptions=[exemption(901, "2023-04-10", "2023-04-10", person=1)],
        interviews=[
            interview("2023-04-10", municipality=NON_TRIAL, person=1),  # on a dead day
            interview("2023-04-05", kind="anden", municipality=NON_TRIAL, person=2),
            interview("2023-04-05", held_by="akasse", municipality=NON_TRIAL, person=3),
            *(
                interview("2023-05-10", form="telefon", municipality=NON_TRIAL, person=p)
                for p in (1, 2, 3)
            ),
        ],
        start="2023-06",
        backend=backend,
    )
    assert {p: counted(m, "2023-06", person=p) for p in (1, 2, 3)} == {1: 0, 2: 0, 3: 0}


def test_R22_first_interview_before_2023_03_22_is_still_the_first(backend):
    # k 2023-03-01..04-30: phone 2023-03-21 (old rules: no reason -> not counted) is the
    # first job interview, so the phone interview of 2023-04-10 is a later one -> counts
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-03-01", "2023-04-30")],
        interviews=[
            interview("2023-03-21", form="telefon", municipality=NON_TRIAL),
            interview("2023-04-10", form="telefon", municipality=NON_TRIAL),
        ],
        start="2023-04",
        backend=backend,
    )
    assert counted(m, "2023-04") == 1


def test_R22_first_interview_in_a_trial_municipality(backend):
    # 2023-05-02 digital in Aalborg (851, digital trial until 2023-12-31):
    # person 1 kontanthjaelp, held by the jobcentre -> counts
    # person 2 dagpenge, held by the unemployment fund -> the trial does not apply -> 0
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2023-04-01", "2023-05-31", person=1),
            benefit("dagpenge", "2023-04-01", "2023-05-31", hours=300.0, person=2),
        ],
        dagpenge_periods=[dagpenge_period("2023-04-01", person=2)],
        interviews=[
            interview("2023-05-02", form="digitalt", municipality=851, person=1),
            interview("2023-05-02", form="digitalt", municipality=851, held_by="akasse", person=2),
        ],
        start="2023-05",
        backend=backend,
    )
    assert counted(m, "2023-05", person=1) == 1
    assert counted(m, "2023-05", person=2) == 0


# --- R23 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("municipality", "form", "day", "expected"),
    [
        # Nordjyske frikommuner: digital 2017-07-01..2023-12-31
        (851, "digitalt", "2019-05-10", 1),
        (851, "telefon", "2019-05-10", 0),
        (860, "digitalt", "2017-07-01", 1),
        (860, "digitalt", "2017-06-30", 0),
        (820, "digitalt", "2019-05-10", 1),
        (773, "digitalt", "2023-01-16", 1),
        # Sjællandske frikommuner: digital 2017-07-01..2021-12-31
        (201, "digitalt", "2019-05-10", 1),
        (201, "telefon", "2019-05-10", 0),
        (219, "digitalt", "2021-12-17", 1),
        (201, "digitalt", "2022-02-01", 0),
        # København: digital and phone 2018-09-01..2020-09-01
        (101, "telefon", "2018-09-01", 1),
        (101, "telefon", "2018-08-31", 0),
        (101, "digitalt", "2019-05-10", 1),
        (101, "telefon", "2021-09-15", 0),
        # Solrød: digital 2018-11-01..2022-12-31
        (269, "digitalt", "2018-10-31", 0),
        (269, "digitalt", "2018-11-01", 1),
        (269, "digitalt", "2022-12-30", 1),
        (269, "digitalt", "2023-01-16", 0),
        # no trial
        (751, "digitalt", "2019-05-10", 0),
        # from 2023-03-22 the trial also makes a *first* interview count
        (851, "digitalt", "2023-06-01", 1),
        (851, "telefon", "2023-06-01", 0),
        (851, "digitalt", "2024-01-10", 0),  # trial ended 2023-12-31
        (101, "telefon", "2023-06-01", 0),
    ],
)
def test_R23_trial_municipalities(backend, municipality, form, day, expected):
    # one remote job interview held by the jobcentre of `municipality`, in a short spell
    # (no offer, outside the reopening periods, duration < 6 months; the spell of
    # 2024-01-10 starts 2023-12-01, so R24 does not apply)
    m = measure(
        benefits=[short_spell_around(day)],
        interviews=[interview(day, form=form, municipality=municipality)],
        start=day[:7],
        backend=backend,
    )
    assert counted(m, day[:7]) == expected


def test_R23_holding_municipality_not_residence_decides(backend):
    # person 1 lives in Aalborg (trial), interview held by Aarhus -> 0
    # person 2 lives in Aarhus, interview held by Aalborg (digital 2019) -> 1
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-04-01", "2019-05-31", person=p) for p in (1, 2)],
        residence=[
            residence(851, "2000-01-01", "2030-12-31", person=1),
            residence(751, "2000-01-01", "2030-12-31", person=2),
        ],
        interviews=[
            interview("2019-05-10", form="digitalt", municipality=751, person=1),
            interview("2019-05-10", form="digitalt", municipality=851, person=2),
        ],
        start="2019-05",
        backend=backend,
    )
    assert counted(m, "2019-05", person=1) == 0
    assert counted(m, "2019-05", person=2) == 1


# --- R24 --------------------------------------------------------------------------------


def test_R24_prepayment_interviews_belong_to_the_spell(backend):
    # k 2024-03-01..05-31; registration 2024-01-15 (>= 2023-12-01 = start - 3 months).
    # In-person job interview 2024-02-01 counts, and as the first job interview it makes
    # the phone interview of 03-15 a later one (R22) -> 2 in March and in May (92 days, `3`)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-03-01", "2024-05-31")],
        registrations=[registration("2024-01-15")],
        interviews=[
            interview("2024-02-01", municipality=NON_TRIAL),
            interview("2024-03-15", form="telefon", municipality=NON_TRIAL),
        ],
        start="2024-03",
        end="2024-05",
        backend=backend,
    )
    assert counted(m, "2024-03") == 2
    may = one_row(m, "2024-05")
    assert (may["duration_days"], may["interval"], may["counted"]) == (92, "3", 2)


@pytest.mark.parametrize(
    ("reg", "expected"),
    [
        ("2023-12-01", 1),  # = 2024-03-01 - 3 months
        ("2023-11-30", 0),  # too early
        ("2024-03-01", 0),  # not before the spell start
    ],
)
def test_R24_registration_within_3_months_before_the_spell(backend, reg, expected):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-03-01", "2024-03-31")],
        registrations=[registration(reg)],
        interviews=[interview("2023-12-15", municipality=NON_TRIAL)],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03") == expected


@pytest.mark.parametrize(("reg", "expected"), [("2024-02-29", 1), ("2024-02-28", 0)])
def test_R24_three_months_back_is_clamped_to_the_months_last_day(backend, reg, expected):
    # spell start 2024-05-31: 3 months back = 2024-02-29 (clamped from 02-31)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-05-31", "2024-06-30")],
        registrations=[registration(reg)],
        interviews=[interview("2024-03-15", municipality=NON_TRIAL)],
        start="2024-06",
        backend=backend,
    )
    assert counted(m, "2024-06") == expected


def test_R24_the_earliest_qualifying_registration_is_taken(backend):
    # registrations 01-10 and 02-10: r = 01-10, so the interview of 01-20 counts
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-03-01", "2024-03-31")],
        registrations=[registration("2024-02-10"), registration("2024-01-10")],
        interviews=[interview("2024-01-20", municipality=NON_TRIAL)],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03") == 1


def test_R24_only_spells_starting_2024_or_later(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2023-12-01", "2024-01-31")],
        registrations=[registration("2023-10-01")],
        interviews=[interview("2023-11-01", municipality=NON_TRIAL)],
        start="2024-01",
        backend=backend,
    )
    assert counted(m, "2024-01") == 0


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("kontanthjaelp", 1),
        ("uddannelseshjaelp", 1),
        ("overgangsydelse", 1),
        ("ledighedsydelse", 0),
        ("ressourceforloeb", 0),
        ("jobafklaring", 0),
        ("revalidering", 0),
    ],
)
def test_R24_only_some_groups_take_prepayment_interviews(backend, kind, expected):
    m = measure(
        benefits=[benefit(kind, "2024-03-01", "2024-03-31")],
        registrations=[registration("2024-01-15")],
        interviews=[interview("2024-02-01", municipality=NON_TRIAL)],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03") == expected


def test_R24_first_prepayment_interview_is_the_first_for_R22(backend):
    # the pre-payment phone interview 02-01 is the first job interview -> not counted;
    # the phone interview 03-15 is a later one -> counts
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-03-01", "2024-03-31")],
        registrations=[registration("2024-01-15")],
        interviews=[
            interview("2024-02-01", form="telefon", municipality=NON_TRIAL),
            interview("2024-03-15", form="telefon", municipality=NON_TRIAL),
        ],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03") == 1


def test_R24_prepayment_interviews_count_only_under_12_months(backend):
    # k 2024-03-01..2025-02-28; pre-payment interview 2024-02-01.
    # Jan 2025: 306 + 31 = 337 days -> `11` -> counts. Feb 2025: 365 -> `12+` -> not.
    m = measure(
        benefits=[benefit("kontanthjaelp", "2024-03-01", "2025-02-28")],
        registrations=[registration("2024-01-15")],
        interviews=[interview("2024-02-01", municipality=NON_TRIAL)],
        start="2025-01",
        end="2025-02",
        backend=backend,
    )
    jan = one_row(m, "2025-01")
    assert (jan["duration_days"], jan["interval"], jan["counted"]) == (337, "11", 1)
    feb = one_row(m, "2025-02")
    assert (feb["duration_days"], feb["interval"], feb["counted"]) == (365, "12+", 0)


def test_R24_dagpenge_registration_needs_no_dagpenge_paid_before_the_start(backend):
    # dagpenge period from 2024-03-01, March paid; registration 2024-01-15, in-person
    # interview 2024-02-01.
    # person 1: nothing paid in [01-15, 03-01) -> the interview belongs to the spell -> 1
    # person 2: dagpenge paid 02-05..02-09 -> the registration does not qualify -> 0
    m = measure(
        benefits=[
            *(
                benefit("dagpenge", "2024-03-01", "2024-03-31", hours=100.0, person=p)
                for p in (1, 2)
            ),
            benefit("dagpenge", "2024-02-05", "2024-02-09", hours=30.0, person=2),
        ],
        dagpenge_periods=[dagpenge_period("2024-03-01", person=p) for p in (1, 2)],
        registrations=[registration("2024-01-15", person=p) for p in (1, 2)],
        interviews=[interview("2024-02-01", municipality=NON_TRIAL, person=p) for p in (1, 2)],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03", "dagpenge", person=1) == 1
    assert counted(m, "2024-03", "dagpenge", person=2) == 0


# --- R25 --------------------------------------------------------------------------------


def test_R25_dagpenge_interview_on_a_day_without_payment(backend):
    # one period from 2019-01-01; dagpenge paid January and March (100 h each)
    # person 1: February has no main benefit at all -> the 02-15 interview counts
    # person 2: kontanthjaelp in February -> not for dagpenge (counts for kontanthjaelp)
    m = measure(
        benefits=[
            *(
                benefit("dagpenge", s, e, hours=100.0, person=p)
                for p in (1, 2)
                for s, e in (("2019-01-01", "2019-01-31"), ("2019-03-01", "2019-03-31"))
            ),
            benefit("kontanthjaelp", "2019-02-01", "2019-02-28", person=2),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01", person=p) for p in (1, 2)],
        interviews=[interview("2019-02-15", person=p) for p in (1, 2)],
        start="2019-02",
        end="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03", "dagpenge", person=1) == 1
    assert counted(m, "2019-03", "dagpenge", person=2) == 0
    assert counted(m, "2019-02", "kontanthjaelp", person=2) == 1


# --- R26 --------------------------------------------------------------------------------


def test_R26_sygedagpenge_counts_follow_up_interviews_any_form_any_holder(backend):
    m = measure(
        benefits=[benefit("sygedagpenge", "2019-01-01", "2019-03-31")],
        interviews=[
            interview(
                "2019-01-10",
                kind="sygeopfoelgning",
                form="telefon",
                held_by="anden_aktoer",
                municipality=NON_TRIAL,
            ),
            interview(
                "2019-01-20",
                kind="sygeopfoelgning",
                form="digitalt",
                held_by="akasse",
                municipality=NON_TRIAL,
            ),
            interview("2019-01-30", kind="sygeopfoelgning"),
            interview("2019-02-10"),  # a job interview: not counted for sygedagpenge
            interview("2019-02-20", kind="anden"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03", "sygedagpenge") == 3


def test_R26_first_interview_rule_does_not_apply_to_sygedagpenge(backend):
    m = measure(
        benefits=[benefit("sygedagpenge", "2023-04-01", "2023-05-31")],
        interviews=[
            interview("2023-04-10", kind="sygeopfoelgning", form="telefon", municipality=NON_TRIAL)
        ],
        start="2023-05",
        backend=backend,
    )
    assert counted(m, "2023-05", "sygedagpenge") == 1


def test_R26_sygedagpenge_dead_days_and_covid(backend):
    # sygedagpenge 2020-01-01..07-31; 901 on 01-10..01-12 (interview 01-11 not counted),
    # 2020-04-01 in the closed COVID period (never), 2020-06-01 counts
    m = measure(
        benefits=[benefit("sygedagpenge", "2020-01-01", "2020-07-31")],
        exemptions=[exemption(901, "2020-01-10", "2020-01-12")],
        interviews=[
            interview(d, kind="sygeopfoelgning") for d in ("2020-01-11", "2020-04-01", "2020-06-01")
        ],
        start="2020-07",
        backend=backend,
    )
    assert counted(m, "2020-07", "sygedagpenge") == 1


# --- R27 --------------------------------------------------------------------------------


def test_R27_at_most_one_counted_interview_per_day(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("sygedagpenge", "2019-01-01", "2019-03-31", person=2),
        ],
        interviews=[
            interview("2019-02-01", person=1),
            interview("2019-02-01", held_by="anden_aktoer", person=1),
            interview("2019-02-01", form="telefon", municipality=101, person=1),
            interview("2019-02-02", person=1),
            interview("2019-02-01", kind="sygeopfoelgning", person=2),
            interview("2019-02-01", kind="sygeopfoelgning", form="telefon", person=2),
        ],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03", person=1) == 2
    assert counted(m, "2019-03", person=2) == 1


# --- R28 --------------------------------------------------------------------------------


def test_R28_interviews_held_while_exempt_count(backend):
    # k 2019-01-01..06-30 (181 days); code 3 on March (31 days = 17 %: not exempt);
    # the in-person interview of 03-15 lies on an exemption day and counts
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-06-30")],
        exemptions=[exemption(3, "2019-03-01", "2019-03-31")],
        interviews=[interview("2019-03-15")],
        start="2019-06",
        backend=backend,
    )
    row = one_row(m, "2019-06")
    assert row["exempt"] is False
    assert row["counted"] == 1


def test_R28_exempt_persons_counted_interviews_are_still_computed(backend):
    # code 3 on every day -> exempt; both interviews are still counted for the person
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(3, "2019-01-01", "2019-03-31")],
        interviews=[interview("2019-01-15"), interview("2019-02-15")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03")
    assert row["exempt"] is True
    assert row["counted"] == 2


def test_R21_D16_akasse_interview_counts_for_a_monthly_paid_dagpenge_spell(backend):
    # dagpenge Jan..Mar 2019, 160.33 h each month (R12: 3 x 160.33 = 480.99 h sums back
    # exactly to interval `3`); an interview held by the unemployment fund on Tuesday
    # 02-05, a paid day, counts (D16)
    m = measure(
        benefits=monthly_benefit("dagpenge", "2019-01", "2019-03", hours=160.33),
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[interview("2019-02-05", held_by="akasse")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03", "dagpenge")
    assert row["interval"] == "3"  # 3 x 160.33 = 480.99
    assert row["counted"] == 1
