"""SPEC §3: who is measured in a month (R1 benefits, R2 age, R3 whole month dead, R4 exempt).

Expected values are computed by hand from the SPEC; see the comments.
"""

from __future__ import annotations

import pytest

from builders import D, benefit, cell, exemption, interview, measure, one_row, person_rows

MEASURED = {
    "dagpenge": "dagpenge",
    "sygedagpenge": "sygedagpenge",
    "kontanthjaelp": "kontanthjaelp",
    "uddannelseshjaelp": "uddannelseshjaelp",
    "overgangsydelse": "overgangsydelse",
    "revalidering": "revalidering",
    "forrevalidering": "revalidering",
    "ressourceforloeb": "ressourceforloeb",
    "jobafklaring": "jobafklaring",
    "ledighedsydelse": "ledighedsydelse",
}
UNMEASURED = ("arbejdsfordeling", "overgangsydelse_program", "foertidspension", "other")


# --- R1 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("benefit_kind", "group"), sorted(MEASURED.items()))
def test_R1_each_measured_benefit_is_in_the_population(backend, benefit_kind, group):
    m = measure(
        benefits=[benefit(benefit_kind, "2019-03-05", "2019-03-20")],
        start="2019-02",
        end="2019-04",
        backend=backend,
    )
    rows = person_rows(m)
    assert len(rows) == 1
    assert rows[0]["month"] == D("2019-03-01")
    assert rows[0]["group"] == group
    assert rows[0]["reference_date"] == D("2019-03-20")
    assert m.quality["population"] == 1


@pytest.mark.parametrize("benefit_kind", UNMEASURED)
def test_R1_unmeasured_benefits_are_not_in_the_population(backend, benefit_kind):
    m = measure(
        benefits=[benefit(benefit_kind, "2019-01-01", "2019-12-31")],
        start="2019-01",
        end="2019-12",
        backend=backend,
    )
    assert m.persons.num_rows == 0
    assert m.cells.num_rows == 0
    assert m.quality["population"] == 0


def test_R1_one_day_of_the_month_is_enough(backend):
    # 2019-03-31..2019-04-01: one day in March, one in April, nothing in Feb / May
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-03-31", "2019-04-01")],
        start="2019-02",
        end="2019-05",
        backend=backend,
    )
    rows = sorted(person_rows(m), key=lambda r: r["month"])
    assert [r["month"] for r in rows] == [D("2019-03-01"), D("2019-04-01")]
    assert [r["reference_date"] for r in rows] == [D("2019-03-31"), D("2019-04-01")]
    assert [r["duration_days"] for r in rows] == [1, 2]
    assert m.quality["population"] == 2


# --- R2 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "reference", "excluded"),
    [
        # 16 years = 192 completed months
        ("2003-06-30", "2019-06-30", False),  # exactly 192 months
        ("2003-07-01", "2019-06-30", True),  # 191 months
        # born before 1954: 65 years = 780 months
        ("1953-12-31", "2019-06-30", True),  # 786 months
        # 1954-01-01..06-30: 65½ = 786 months
        ("1954-01-01", "2019-06-30", False),  # 785 months
        ("1954-03-10", "2019-09-09", False),  # 785
        ("1954-03-10", "2019-09-10", True),  # 786
        # the 31st does not exist in September: the 786th month is completed on 10-01
        ("1954-03-31", "2019-09-30", False),  # 785
        ("1954-03-31", "2019-10-01", True),  # 786
        ("1954-06-30", "2019-12-31", True),  # 786 >= 786
        # 1954-07-01..12-31: 66 = 792 months
        ("1954-07-01", "2019-12-31", False),  # 785
        ("1954-12-31", "2021-01-15", True),  # 792 >= 792
        # 1955-01-01..06-30: 66½ = 798 months
        ("1955-01-01", "2021-01-15", False),  # 792
        ("1955-06-30", "2022-01-15", True),  # 798 >= 798
        # 1955-07-01..1962-12-31: 67 = 804 months
        ("1955-07-01", "2022-01-15", False),  # 798
        # 29 February does not exist in 2023: the 804th month is completed on 2023-03-01
        ("1956-02-29", "2023-02-28", False),  # 803
        ("1956-02-29", "2023-03-01", True),  # 804
        ("1962-12-31", "2030-06-30", True),  # 809 >= 804
        # 1963-01-01..1966-12-31: 68 = 816 months
        ("1963-01-01", "2030-06-30", False),  # 809
        ("1966-12-31", "2035-06-30", True),  # 821 >= 816
        # 1967-01-01 and later: 69 = 828 months
        ("1967-01-01", "2035-06-30", False),  # 821
    ],
)
def test_R2_age_in_completed_months_on_reference_date(backend, birth, reference, excluded):
    # the spell runs from the 1st of the month to `reference`, the reference date (R10)
    first = reference[:8] + "01"
    m = measure(
        benefits=[benefit("kontanthjaelp", first, reference)],
        persons=[(1, birth)],
        start=reference[:7],
        backend=backend,
    )
    row = one_row(m, reference[:7], "kontanthjaelp")
    assert row["reference_date"] == D(reference)
    assert row["excluded"] == ("age" if excluded else None)
    assert m.quality["excluded_age"] == int(excluded)
    assert m.quality["measured"] == int(not excluded)
    assert m.quality["population"] == 1


def test_R2_excluded_by_age_is_in_no_cell(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        persons=[(1, "1950-01-01")],  # 69 years in 2019 > 65
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["excluded"] == "age"
    assert m.cells.num_rows == 0


def test_R2_person_without_persons_row_is_measured_and_reported(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        persons=[],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03", "kontanthjaelp")
    assert row["excluded"] is None
    assert m.quality["measured"] == 1
    assert m.quality["persons_without_birth_date"] == 1
    assert m.quality["rows_without_birth_date"] == 1


def test_R2_is_tested_before_R3(backend):
    # too old AND every day of March 2019 dead (code 901) -> excluded as `age`
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(901, "2019-03-01", "2019-03-31")],
        persons=[(1, "1950-01-01")],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["excluded"] == "age"
    assert m.quality["excluded_age"] == 1
    assert m.quality["excluded_dead_month"] == 0


# --- R3 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [901, 902])
def test_R3_whole_month_dead_is_excluded(backend, code):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-31")],
        exemptions=[exemption(code, "2019-03-01", "2019-03-31")],
        start="2019-02",
        end="2019-04",
        backend=backend,
    )
    assert one_row(m, "2019-02")["excluded"] is None
    assert one_row(m, "2019-03")["excluded"] == "dead_month"
    assert one_row(m, "2019-04")["excluded"] is None
    assert m.quality["excluded_dead_month"] == 1
    assert m.quality["measured"] == 2
    assert cell(m, "2019-03", "kontanthjaelp", "under12") is None


def test_R3_one_live_day_up_to_reference_date_keeps_the_month(backend):
    # 901 covers 03-01..03-30; the reference date 03-31 is not dead
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-31")],
        exemptions=[exemption(901, "2019-03-01", "2019-03-30")],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["excluded"] is None


def test_R3_days_before_spell_start_do_not_matter(backend):
    # spell starts 03-15; 901 covers 03-15..03-31 = every spell day of March
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-03-15", "2019-12-31")],
        exemptions=[exemption(901, "2019-03-15", "2019-03-31")],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["excluded"] == "dead_month"


def test_R3_days_after_reference_date_do_not_matter(backend):
    # spell ends 03-20 (= reference date); 901 covers 03-01..03-20; 03-21..31 irrelevant
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-20")],
        exemptions=[exemption(901, "2019-03-01", "2019-03-20")],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["excluded"] == "dead_month"


def test_R3_covid_period_is_not_an_ordinary_dead_month(backend):
    # R3 speaks of ordinary dead periods (R13) only; April 2020 is dead by R14 but measured
    m = measure(
        benefits=[benefit("kontanthjaelp", "2020-01-01", "2020-12-31")],
        start="2020-04",
        backend=backend,
    )
    row = one_row(m, "2020-04")
    assert row["excluded"] is None
    # duration: Jan 31 + Feb 28 (29 Feb not counted), April dead -> 59 -> interval 1
    assert row["duration_days"] == 59
    assert row["interval"] == "1"


def test_R3_ordinary_exemption_codes_do_not_kill_a_month(backend):
    # code 4 ("Barsel max 14 dage") is an ordinary exemption (D2), not a dead period
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-31")],
        exemptions=[exemption(4, "2019-03-01", "2019-03-31")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03")
    assert row["excluded"] is None
    assert row["duration_days"] == 90  # 31 + 28 + 31


# --- R4 ---------------------------------------------------------------------------------


def test_R4_exempt_person_only_in_M5(backend):
    # code 3 covers the whole spell (100 %) -> exempt; two in-person interviews held
    # while exempt still count for the person (R28) but not in the non-exempt measures
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(3, "2019-01-01", "2019-03-31")],
        interviews=[interview("2019-02-01"), interview("2019-03-01")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03", "kontanthjaelp")
    assert row["exempt"] is True
    assert row["excluded"] is None
    assert m.quality["exempt"] == 1
    assert m.quality["measured"] == 0
    for group in ("kontanthjaelp", "all"):
        for interval in ("2", "under12"):  # 90 days -> interval 2
            c = cell(m, "2019-03", group, interval)
            assert c is not None
            assert c["exempt"] == 1
            assert c["persons"] == 0
            assert (c["n0"], c["n1"], c["n2"], c["n3"], c["n4"], c["n5plus"]) == (0,) * 6
            assert c["lt4"] == 0
            assert c["interviews"] == 0
            assert c["share_lt4"] is None
