"""SPEC §4 dead periods: R13 ordinary dead periods (codes 901/902, D2), R14 the COVID dead
period, R15 the COVID extension of dagpenge (ignored by the measurement).

Expected values are computed by hand; the arithmetic is in the comments.
"""

from __future__ import annotations

import pytest

from builders import (
    benefit,
    cell,
    counted,
    dagpenge_period,
    exemption,
    interview,
    measure,
    monthly_benefit,
    one_row,
)

# --- R13 --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [901, 902])
def test_R13_dead_days_add_nothing_to_duration(backend, code):
    # k 2019-01-01..02-28 with January dead: February duration = 28 -> `<1` (59 -> `1`)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-02-28")],
        exemptions=[exemption(code, "2019-01-01", "2019-01-31")],
        start="2019-02",
        backend=backend,
    )
    row = one_row(m, "2019-02")
    assert (row["duration_days"], row["interval"]) == (28, "<1")


def test_R13_interviews_on_dead_days_are_not_counted(backend):
    # 901 on 02-01..02-10: the 02-05 interview is on a dead day, 02-15 is not
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(901, "2019-02-01", "2019-02-10")],
        interviews=[interview("2019-02-05"), interview("2019-02-15")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03")
    assert row["counted"] == 1
    assert row["duration_days"] == 80  # 90 - 10 dead


def test_R13_dead_days_do_not_fill_the_window(backend):
    # k 2017-01-01..2019-12-31, 902 on all of January 2019.
    # duration: 365 + 365 + (365 - 31) = 1064 -> `12+`, `1-2y`
    # window: 2019 gives 334 counted days, 31 more from December 2018 -> 2018-12-01
    m = measure(
        benefits=[benefit("kontanthjaelp", "2017-01-01", "2019-12-31")],
        exemptions=[exemption(902, "2019-01-01", "2019-01-31")],
        interviews=[interview("2018-11-30"), interview("2018-12-01")],
        start="2019-12",
        backend=backend,
    )
    row = one_row(m, "2019-12")
    assert row["duration_days"] == 1064
    assert row["interval"] == "12+"
    assert row["counted"] == 1
    assert cell(m, "2019-12", "kontanthjaelp", "1-2y")["n1"] == 1


@pytest.mark.parametrize(("code", "hours"), [(901, 180.0), (902, 180.0), (46, 230.0)])
def test_R13_D2_dagpenge_hours_paid_on_dead_days_are_not_counted(backend, code, hours):
    # January 2019: 230 h over 23 weekdays = 10 h each; the exemption covers
    # Mon 01-14 .. Fri 01-18 (5 weekdays). Dead (901/902): 230 - 50 = 180 h.
    # Code 46 ("Barsel inden for 6 uger") is an ordinary exemption (D2): 230 h.
    m = measure(
        benefits=[benefit("dagpenge", "2019-01-01", "2019-01-31", hours=230.0)],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        exemptions=[exemption(code, "2019-01-14", "2019-01-18")],
        start="2019-01",
        backend=backend,
    )
    assert one_row(m, "2019-01", "dagpenge")["duration_hours"] == pytest.approx(hours, abs=1e-6)


def test_R13_D2_codes_4_and_46_are_ordinary_exemptions(backend):
    # codes 4 and 46 over Jan and Feb: nothing dead -> duration 90, interview counts;
    # 59 of 90 days exempt = 65.6 % -> exempt (codes 4 and 46 qualify for kontanthjaelp)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[
            exemption(4, "2019-01-01", "2019-01-31"),
            exemption(46, "2019-02-01", "2019-02-28"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-01",
        end="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03")
    assert row["duration_days"] == 90
    assert row["counted"] == 1
    assert row["exempt"] is True
    assert one_row(m, "2019-01")["excluded"] is None  # not a dead month (R3)


# --- R14 --------------------------------------------------------------------------------


def test_R14_covid_period_freezes_duration_for_every_group(backend):
    m = measure(
        benefits=[
            # kontanthjaelp 2020-01-01..07-31: 31 + 28 + 31 = 90 -> `2`
            benefit("kontanthjaelp", "2020-01-01", "2020-07-31", person=1),
            # sygedagpenge 2020-02-01..07-15: 28 + 15 = 43 -> `1`
            benefit("sygedagpenge", "2020-02-01", "2020-07-15", person=2),
            # ressourceforloeb 2020-03-15..08-31: Jul 31 + Aug 31 = 62 -> `2`
            benefit("ressourceforloeb", "2020-03-15", "2020-08-31", person=3),
        ],
        start="2020-07",
        end="2020-08",
        backend=backend,
    )
    one = one_row(m, "2020-07", person=1)
    assert (one["duration_days"], one["interval"]) == (90, "2")
    two = one_row(m, "2020-07", person=2)
    assert (two["duration_days"], two["interval"]) == (43, "1")
    three = one_row(m, "2020-08", person=3)
    assert (three["duration_days"], three["interval"]) == (62, "2")
    assert one_row(m, "2020-07", person=3)["duration_days"] == 31


def test_R14_covid_period_freezes_dagpenge_hours(backend):
    # one period from 2020-01-01, 100 h paid in each month Jan..Jul 2020;
    # Mar..Jun are dead -> July: Jan + Feb + Jul = 300 h -> `1`
    m = measure(
        benefits=monthly_benefit("dagpenge", "2020-01", "2020-07", hours=100.0),
        dagpenge_periods=[dagpenge_period("2020-01-01")],
        start="2020-04",
        end="2020-07",
        backend=backend,
    )
    assert one_row(m, "2020-04")["duration_hours"] == pytest.approx(200.0, abs=1e-6)
    july = one_row(m, "2020-07")
    assert july["duration_hours"] == pytest.approx(300.0, abs=1e-6)
    assert july["interval"] == "1"


def test_R14_which_covid_interviews_count(backend):
    # k 2020-01-01..07-31 (duration 90 in July: window = whole spell). In person:
    # 03-01, 03-11 count; 03-12, 04-15, 05-26 never; 05-27, 06-30 count.
    dates = ("2020-03-01", "2020-03-11", "2020-03-12", "2020-04-15", "2020-05-26")
    dates += ("2020-05-27", "2020-06-30")
    m = measure(
        benefits=[benefit("kontanthjaelp", "2020-01-01", "2020-07-31")],
        interviews=[interview(d) for d in dates],
        start="2020-03",
        end="2020-07",
        backend=backend,
    )
    assert {
        mo: counted(m, mo) for mo in ("2020-03", "2020-04", "2020-05", "2020-06", "2020-07")
    } == {
        "2020-03": 2,
        "2020-04": 2,
        "2020-05": 3,
        "2020-06": 4,
        "2020-07": 4,
    }


def test_R14_window_reaches_back_over_the_covid_period(backend):
    # k 2019-01-01..2020-07-31; July 2020 window: Jul 31 + Jan 1..Feb 28 59 = 90, then
    # 275 days of 2019 (Apr..Dec) -> starts 2019-04-01
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2020-07-31")],
        interviews=[interview("2019-03-31"), interview("2019-04-01")],
        start="2020-07",
        backend=backend,
    )
    row = one_row(m, "2020-07")
    assert row["duration_days"] == 455  # 365 + 59 + 31
    assert row["counted"] == 1


# --- R15 --------------------------------------------------------------------------------


def test_R15_dagpenge_duration_ignores_the_covid_extension(backend):
    # one period from 2019-01-01 (it would expire in the extension window), 100 h paid in
    # every month 2019-01..2021-06. Nothing special: hours are summed, Mar..Jun 2020 dead.
    # Nov 2020: 23 months - 4 dead = 19 -> 1900 h -> `11` (1763.63 <= 1900 < 1923.96)
    # Dec 2020: 20 -> 2000 h -> `12+`; Jun 2021: 26 -> 2600 h -> `12+`, `1-2y`
    m = measure(
        benefits=monthly_benefit("dagpenge", "2019-01", "2021-06", hours=100.0),
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2020-11",
        end="2021-06",
        backend=backend,
    )
    nov = one_row(m, "2020-11")
    assert nov["duration_hours"] == pytest.approx(1900.0, abs=1e-6)
    assert nov["interval"] == "11"
    dec = one_row(m, "2020-12")
    assert dec["duration_hours"] == pytest.approx(2000.0, abs=1e-6)
    assert dec["interval"] == "12+"
    june = one_row(m, "2021-06")
    assert june["duration_hours"] == pytest.approx(2600.0, abs=1e-6)
    assert cell(m, "2021-06", "dagpenge", "1-2y")["persons"] == 1
