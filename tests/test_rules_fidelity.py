"""Three readings SPEC settled after an independent check (issue 15), hand-computed:

- D10 / R22 (c): "after the 6th month" is the duration on the interview date, with the
  dagpenge hour unit of *that* date (the part-time status of the dagpenge row with the
  latest start on or before it), not of the month's reference date;
- R22 "first": a dagpenge job interview on a day that R25 rejects (another main benefit
  that day) is not the spell's first job interview;
- R24: "no dagpenge paid in [r, spell start)" means no `benefits` row of dagpenge covers
  a day there, whatever that day's main benefit.
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
    interview,
    measure,
    registration,
)

# --- D10: the hour unit of the interview date -------------------------------------------


def _unit_switch(interview_day: str, first_part_time: bool) -> dict:
    """A dagpenge spell whose first row (800 h) ends on the phone interview's day and whose
    second row (800 h, the other part-time status) follows it.

    On the interview day the duration is 800 h: 6 months with the part-time unit (800 /
    130 = 6.15) but 4 with the full-time unit (800 / 160.33 = 4.99). On the reference date
    of the next month the unit is the second row's.
    """
    day = D(interview_day)
    start = day - dt.timedelta(days=180)
    start -= dt.timedelta(days=start.weekday())  # a Monday
    nxt = day + dt.timedelta(days=1)
    return dict(
        benefits=[
            benefit(
                "dagpenge", start.isoformat(), interview_day, hours=800.0, part_time=first_part_time
            ),
            benefit(
                "dagpenge",
                nxt.isoformat(),
                (nxt + dt.timedelta(days=180)).isoformat(),
                hours=800.0,
                part_time=not first_part_time,
            ),
        ],
        dagpenge_periods=[dagpenge_period(start.isoformat())],
        interviews=[interview(interview_day, form="telefon", municipality=NON_TRIAL)],
    )


@pytest.mark.parametrize(
    ("interview_day", "first_part_time", "expected"),
    [
        # R22 (c) applies (2022-01-01 .. 2023-03-21, no reopening, no offer, no trial):
        # part-time on the interview day -> 6 months -> counts, whatever the unit later
        ("2022-06-30", True, 1),
        ("2023-03-21", True, 1),
        # full-time on the interview day -> 4 months -> does not count, although the
        # reference date's part-time unit would give 6 (the old reading counted it)
        ("2022-06-30", False, 0),
        ("2023-03-21", False, 0),
        # after the reopening ended 2021-08-31 and before (c) starts 2022-01-01: a phone
        # interview never counts, whatever the units
        ("2021-09-15", True, 0),
        ("2021-09-15", False, 0),
    ],
)
def test_D10_R22c_hour_unit_of_the_interview_date(backend, interview_day, first_part_time,
                                                  expected):  # fmt: skip
    month = (D(interview_day) + dt.timedelta(days=1)).isoformat()[:7]
    m = measure(**_unit_switch(interview_day, first_part_time), start=month, backend=backend)
    assert counted(m, month, "dagpenge") == expected


def test_D10_eligibility_is_the_same_in_every_month_that_counts_it(backend):
    # part-time -> full-time: the 2022-06-30 phone interview counts in July, August and
    # September alike (the reference dates' full-time unit does not matter)
    m = measure(**_unit_switch("2022-06-30", True), start="2022-07", end="2022-09",
                backend=backend)  # fmt: skip
    assert [counted(m, mo, "dagpenge") for mo in ("2022-07", "2022-08", "2022-09")] == [1, 1, 1]
    m = measure(**_unit_switch("2022-06-30", False), start="2022-07", end="2022-09",
                backend=backend)  # fmt: skip
    assert [counted(m, mo, "dagpenge") for mo in ("2022-07", "2022-08", "2022-09")] == [0, 0, 0]


def test_D10_from_2023_03_22_only_the_first_interview_needs_a_reason(backend):
    # an in-person interview first; the later phone interview on 2023-03-22 counts under
    # the new regime whatever the duration or the unit (R22 "every later job interview")
    for part_time in (True, False):
        case = _unit_switch("2023-03-22", part_time)
        case["interviews"].insert(0, interview("2023-03-01", municipality=NON_TRIAL))
        m = measure(**case, start="2023-03", backend=backend)
        assert counted(m, "2023-03", "dagpenge") == 2


# --- R22: the first job interview is not on a day R25 rejects ---------------------------


def test_R22_first_is_not_an_interview_on_a_day_with_another_main_benefit(backend):
    # one dagpenge period from 2023-01-02: dagpenge Jan-Feb and Jun-Jul 2023.
    # person 1: sygedagpenge Mar-May (main benefit, R5) -> the in-person interview on
    #   2023-04-10 is rejected by R25, so it is not the first job interview; the first is
    #   the digital interview held by the a-kasse on 2023-06-22, which as the first does
    #   not count (R22: in person, or a trial municipality and not held by the fund) -> 0
    # person 2: no benefit at all Mar-May -> 2023-04-10 counts (R25: no main benefit that
    #   day) and is the first, so the 2023-06-22 interview is a later one and counts -> 2
    benefits = []
    for p in (1, 2):
        benefits += [
            benefit("dagpenge", "2023-01-02", "2023-02-28", hours=300.0, person=p),
            benefit("dagpenge", "2023-06-01", "2023-07-31", hours=300.0, person=p),
        ]
    benefits.append(benefit("sygedagpenge", "2023-03-01", "2023-05-31", person=1))
    m = measure(
        benefits=benefits,
        dagpenge_periods=[dagpenge_period("2023-01-02", person=p) for p in (1, 2)],
        interviews=[
            *(interview("2023-04-10", municipality=NON_TRIAL, person=p) for p in (1, 2)),
            *(
                interview(
                    "2023-06-22",
                    form="digitalt",
                    held_by="akasse",
                    municipality=NON_TRIAL,
                    person=p,
                )
                for p in (1, 2)
            ),
        ],
        start="2023-07",
        backend=backend,
    )
    assert counted(m, "2023-07", "dagpenge", person=1) == 0
    assert counted(m, "2023-07", "dagpenge", person=2) == 2


# --- R24: dagpenge paid = a dagpenge row, whatever the main benefit ---------------------


def test_R24_a_dagpenge_row_under_sygedagpenge_is_dagpenge_paid(backend):
    # dagpenge period from 2024-03-01 (March paid); registration 2024-01-15; in-person
    # job interview 2024-02-01; sygedagpenge 2024-02-01..02-29 for both persons.
    # person 1: a dagpenge row 02-05..02-09 lies under the sygedagpenge (main benefit
    #   sygedagpenge) -> dagpenge was paid in [r, start) -> no registration -> 0
    # person 2: no dagpenge row before March -> the registration qualifies -> 1
    m = measure(
        benefits=[
            *(
                benefit("dagpenge", "2024-03-01", "2024-03-31", hours=100.0, person=p)
                for p in (1, 2)
            ),
            *(benefit("sygedagpenge", "2024-02-01", "2024-02-29", person=p) for p in (1, 2)),
            benefit("dagpenge", "2024-02-05", "2024-02-09", hours=30.0, person=1),
        ],
        dagpenge_periods=[dagpenge_period("2024-03-01", person=p) for p in (1, 2)],
        registrations=[registration("2024-01-15", person=p) for p in (1, 2)],
        interviews=[interview("2024-02-01", municipality=NON_TRIAL, person=p) for p in (1, 2)],
        start="2024-03",
        backend=backend,
    )
    assert counted(m, "2024-03", "dagpenge", person=1) == 0
    assert counted(m, "2024-03", "dagpenge", person=2) == 1
