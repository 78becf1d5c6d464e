"""SPEC §4: main benefit per day, spells, reference date, duration and intervals
(R5–R12, with D1, D4, D5, D6, D7, D8, D9, D15).

Expected values are computed by hand; the arithmetic is in the comments. Note that R11
counts every counted day from the spell start through the reference date, including gap
days inside a spell (days without payment that do not break it, D4) — the seed counts
"bagud i tid til og med den første dag i ydelsesforløbet".
"""

from __future__ import annotations

import pytest

from builders import (
    D,
    benefit,
    cell,
    counted,
    dagpenge_period,
    days_before,
    exemption,
    interview,
    measure,
    monthly_benefit,
    one_row,
    person_rows,
)


def groups_in(m, month: str) -> set[str]:
    return {r["group"] for r in person_rows(m, month=month)}


# --- R5 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("higher", "lower", "group"),
    [
        ("foertidspension", "sygedagpenge", None),
        ("foertidspension", "kontanthjaelp", None),
        ("sygedagpenge", "dagpenge", "sygedagpenge"),
        ("dagpenge", "ledighedsydelse", "dagpenge"),
        ("ledighedsydelse", "ressourceforloeb", "ledighedsydelse"),
        ("ressourceforloeb", "jobafklaring", "ressourceforloeb"),
        ("jobafklaring", "revalidering", "jobafklaring"),
        ("revalidering", "kontanthjaelp", "revalidering"),
        ("forrevalidering", "kontanthjaelp", "revalidering"),
        ("kontanthjaelp", "uddannelseshjaelp", "kontanthjaelp"),
        ("uddannelseshjaelp", "overgangsydelse", "uddannelseshjaelp"),
        ("overgangsydelse", "overgangsydelse_program", "overgangsydelse"),
        ("overgangsydelse_program", "arbejdsfordeling", None),
        ("kontanthjaelp", "other", "kontanthjaelp"),
    ],
)
def test_R5_D5_priority_of_main_benefit(backend, higher, lower, group):
    # both benefits paid on every day of March 2019: only the higher one is main
    m = measure(
        benefits=[
            benefit(lower, "2019-03-01", "2019-03-31"),
            benefit(higher, "2019-03-01", "2019-03-31"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert groups_in(m, "2019-03") == (set() if group is None else {group})


def test_R5_supplementary_counts_only_on_days_without_other_payment(backend):
    # supplementary kontanthjaelp Jan..Jun; uddannelseshjaelp (not supplementary) in March
    # -> March main benefit is uddannelseshjaelp although kontanthjaelp ranks higher (D5)
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-06-30", supplementary=True),
            benefit("uddannelseshjaelp", "2019-03-01", "2019-03-31"),
        ],
        start="2019-02",
        end="2019-04",
        backend=backend,
    )
    assert groups_in(m, "2019-02") == {"kontanthjaelp"}
    assert groups_in(m, "2019-03") == {"uddannelseshjaelp"}
    assert one_row(m, "2019-02", "kontanthjaelp")["duration_days"] == 59  # 31 + 28
    # R6: the March days end the kontanthjaelp spell; a new one starts 04-01 -> 30 days
    assert one_row(m, "2019-04", "kontanthjaelp")["duration_days"] == 30


def test_R5_supplementary_loses_to_an_unmeasured_payment(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-06-30", supplementary=True),
            benefit("other", "2019-03-01", "2019-03-31"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert groups_in(m, "2019-03") == set()


def test_R5_supplementary_alone_is_the_main_benefit(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31", supplementary=True)],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", "kontanthjaelp")["duration_days"] == 90


def test_R5_unmeasured_main_benefit_days_belong_to_no_spell(backend):
    # kontanthjaelp Jan..Jun, foertidspension 03-10..03-12 -> the kontanthjaelp spell
    # ends (R6); new spell from 03-13: Mar 19 + Apr 30 + May 31 + Jun 30 = 110 -> `3`
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-06-30"),
            benefit("foertidspension", "2019-03-10", "2019-03-12"),
        ],
        start="2019-03",
        end="2019-06",
        backend=backend,
    )
    march = one_row(m, "2019-03", "kontanthjaelp")
    assert march["reference_date"] == D("2019-03-31")
    assert march["duration_days"] == 19
    june = one_row(m, "2019-06", "kontanthjaelp")
    assert june["duration_days"] == 110
    assert june["interval"] == "3"


# --- R6 ---------------------------------------------------------------------------------


def test_R6_benefit_switch_ends_the_spell(backend):
    # k 01-01..03-15, u 03-16..03-20, k 03-21..06-30
    # June: spell from 03-21: 11 + 30 + 31 + 30 = 102 -> `3`; the interview of 02-01
    # belongs to the earlier spell and is not counted
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-15"),
            benefit("uddannelseshjaelp", "2019-03-16", "2019-03-20"),
            benefit("kontanthjaelp", "2019-03-21", "2019-06-30"),
        ],
        interviews=[interview("2019-02-01")],
        start="2019-03",
        end="2019-06",
        backend=backend,
    )
    # D12: both groups measured in March
    assert groups_in(m, "2019-03") == {"kontanthjaelp", "uddannelseshjaelp"}
    k = one_row(m, "2019-03", "kontanthjaelp")
    assert (k["reference_date"], k["duration_days"]) == (D("2019-03-31"), 11)
    u = one_row(m, "2019-03", "uddannelseshjaelp")
    assert (u["reference_date"], u["duration_days"]) == (D("2019-03-20"), 5)
    assert u["counted"] == 0  # 02-01 is before the uddannelseshjaelp spell
    june = one_row(m, "2019-06", "kontanthjaelp")
    assert (june["duration_days"], june["interval"], june["counted"]) == (102, "3", 0)


def test_R6_dagpenge_spell_is_not_ended_by_another_benefit(backend):
    # one dagpenge period from 2019-01-01; dagpenge Jan, Feb, Apr (100 h each),
    # kontanthjaelp in March. April: 300 h -> `1` (160.33 <= 300 < 320.66); the
    # interview of 01-15 is in the same spell -> counted
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=100.0),
            benefit("dagpenge", "2019-02-01", "2019-02-28", hours=100.0),
            benefit("kontanthjaelp", "2019-03-01", "2019-03-31"),
            benefit("dagpenge", "2019-04-01", "2019-04-30", hours=100.0),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[interview("2019-01-15")],
        start="2019-03",
        end="2019-04",
        backend=backend,
    )
    assert groups_in(m, "2019-03") == {"kontanthjaelp"}
    april = one_row(m, "2019-04", "dagpenge")
    assert april["duration_hours"] == pytest.approx(300.0, abs=1e-6)
    assert april["interval"] == "1"
    assert april["counted"] == 1


def test_R6_sygedagpenge_spell_is_not_ended_by_another_benefit(backend):
    # one sickness row Jan..Mar; foertidspension (higher rank) on 02-10..02-12.
    # The spell is the merged sickness rows (R9), so the follow-up interview of 01-15
    # still lies in the spell measured in March. (Whether the foertidspension days add
    # to the duration is left open by the SPEC; not asserted.)
    m = measure(
        benefits=[
            benefit("sygedagpenge", "2019-01-01", "2019-03-31"),
            benefit("foertidspension", "2019-02-10", "2019-02-12"),
        ],
        interviews=[interview("2019-01-15", kind="sygeopfoelgning")],
        start="2019-03",
        backend=backend,
    )
    assert counted(m, "2019-03", "sygedagpenge") == 1


# --- R7 ---------------------------------------------------------------------------------


def test_R7_forrevalidering_is_part_of_the_revalidering_spell(backend):
    # forrevalidering Jan..Feb, revalidering March -> one spell: 31 + 28 + 31 = 90 -> `2`
    m = measure(
        benefits=[
            benefit("forrevalidering", "2019-01-01", "2019-02-28"),
            benefit("revalidering", "2019-03-01", "2019-03-31"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-01",
        end="2019-03",
        backend=backend,
    )
    assert {r["group"] for r in person_rows(m)} == {"revalidering"}
    feb = one_row(m, "2019-02", "revalidering")
    assert (feb["duration_days"], feb["interval"]) == (59, "1")
    march = one_row(m, "2019-03", "revalidering")
    assert (march["duration_days"], march["interval"], march["counted"]) == (90, "2", 1)


def test_R7_revalidering_then_forrevalidering_is_one_spell(backend):
    m = measure(
        benefits=[
            benefit("revalidering", "2019-01-01", "2019-02-28"),
            benefit("forrevalidering", "2019-03-01", "2019-03-31"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", "revalidering")["duration_days"] == 90


# --- R8 ---------------------------------------------------------------------------------


def test_R8_overgangsydelse_joins_following_kontanthjaelp(backend):
    # og 01-01..02-28 then k 03-01..04-30: the kontanthjaelp spell starts 01-01
    # April: 31 + 28 + 31 + 30 = 120 -> `3`; the 01-15 interview counts
    m = measure(
        benefits=[
            benefit("overgangsydelse", "2019-01-01", "2019-02-28"),
            benefit("kontanthjaelp", "2019-03-01", "2019-04-30"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-02",
        end="2019-04",
        backend=backend,
    )
    # R6: still measured as overgangsydelse in its own months
    feb = one_row(m, "2019-02")
    assert (feb["group"], feb["duration_days"], feb["interval"]) == ("overgangsydelse", 59, "1")
    april = one_row(m, "2019-04", "kontanthjaelp")
    assert (april["duration_days"], april["interval"], april["counted"]) == (120, "3", 1)


def test_R8_overgangsydelse_joins_uddannelseshjaelp_across_a_short_gap(backend):
    # og 01-01..02-10, gap 02-11..03-04 (no whole calendar month), u 03-05..04-30
    # -> joined: spell from 01-01, April duration 120 (gap days are counted, R11) -> `3`
    m = measure(
        benefits=[
            benefit("overgangsydelse", "2019-01-01", "2019-02-10"),
            benefit("uddannelseshjaelp", "2019-03-05", "2019-04-30"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-04",
        backend=backend,
    )
    april = one_row(m, "2019-04", "uddannelseshjaelp")
    assert april["counted"] == 1
    assert april["duration_days"] == 120
    assert april["interval"] == "3"


def test_R8_gap_with_a_whole_month_does_not_join(backend):
    # og January, nothing in February, k 03-01..04-30 -> spell from 03-01: 61 -> `1`
    m = measure(
        benefits=[
            benefit("overgangsydelse", "2019-01-01", "2019-01-31"),
            benefit("kontanthjaelp", "2019-03-01", "2019-04-30"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-04",
        backend=backend,
    )
    april = one_row(m, "2019-04", "kontanthjaelp")
    assert (april["duration_days"], april["interval"], april["counted"]) == (61, "1", 0)


def test_R8_another_main_benefit_in_between_does_not_join(backend):
    # og 01-01..02-26, other 02-27..02-28, k 03-01..04-30 -> spell from 03-01: 61
    m = measure(
        benefits=[
            benefit("overgangsydelse", "2019-01-01", "2019-02-26"),
            benefit("other", "2019-02-27", "2019-02-28"),
            benefit("kontanthjaelp", "2019-03-01", "2019-04-30"),
        ],
        interviews=[interview("2019-01-15")],
        start="2019-04",
        backend=backend,
    )
    april = one_row(m, "2019-04", "kontanthjaelp")
    assert (april["duration_days"], april["counted"]) == (61, 0)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("overgangsydelse_program", "kontanthjaelp"),  # program never joins
        ("overgangsydelse", "ressourceforloeb"),  # only k / u are joined
    ],
)
def test_R8_joins_only_overgangsydelse_into_k_and_u(backend, first, then):
    m = measure(
        benefits=[
            benefit(first, "2019-01-01", "2019-02-28"),
            benefit(then, "2019-03-01", "2019-04-30"),
        ],
        start="2019-04",
        backend=backend,
    )
    assert one_row(m, "2019-04", then)["duration_days"] == 61  # 31 + 30


# --- R9: other groups (D4) --------------------------------------------------------------


def test_R9_D4_gap_containing_a_whole_month_breaks_the_spell(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-01-31"),
            benefit("kontanthjaelp", "2019-03-01", "2019-04-30"),
        ],
        start="2019-04",
        backend=backend,
    )
    assert one_row(m, "2019-04")["duration_days"] == 61


def test_R9_D4_long_gap_without_a_whole_month_keeps_the_spell(backend):
    # k 01-01..01-15, gap 01-16..02-27 (43 days, but no whole calendar month),
    # k 02-28..04-30 -> one spell from 01-01; April: 120 -> `3`.
    # Interviews 01-10 (paid day) and 02-10 (gap day inside the spell, R21) count.
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-01-15"),
            benefit("kontanthjaelp", "2019-02-28", "2019-04-30"),
        ],
        interviews=[interview("2019-01-10"), interview("2019-02-10")],
        start="2019-01",
        end="2019-04",
        backend=backend,
    )
    jan = one_row(m, "2019-01")
    assert (jan["reference_date"], jan["duration_days"]) == (D("2019-01-15"), 15)
    feb = one_row(m, "2019-02")
    assert (feb["reference_date"], feb["duration_days"]) == (D("2019-02-28"), 59)
    april = one_row(m, "2019-04")
    assert (april["duration_days"], april["interval"], april["counted"]) == (120, "3", 2)


def test_R9_D4_gap_of_30_days_across_two_months_keeps_the_spell(backend):
    # person 1: k ..03-31, gap 04-01..04-30 = all of April -> new spell 05-01: 31 -> `1`
    # person 2: k ..04-01, gap 04-02..05-01 (30 days, no whole month) -> one spell
    #           from 01-01: May duration 151 (Jan..May) -> `4`
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("kontanthjaelp", "2019-05-01", "2019-05-31", person=1),
            benefit("kontanthjaelp", "2019-01-01", "2019-04-01", person=2),
            benefit("kontanthjaelp", "2019-05-02", "2019-05-31", person=2),
        ],
        start="2019-05",
        backend=backend,
    )
    one = one_row(m, "2019-05", person=1)
    two = one_row(m, "2019-05", person=2)
    assert (one["duration_days"], one["interval"]) == (31, "1")
    assert (two["duration_days"], two["interval"]) == (151, "4")


# --- R9: sygedagpenge (D6) --------------------------------------------------------------


def test_R9_D6_sygedagpenge_adjacent_rows_are_separate_spells(backend):
    # 01-01..01-10 and 01-11..01-20: 01-11 <= 01-10 - 1 is false -> two spells;
    # reference date 01-20 -> measured spell 01-11..01-20 = 10 days
    m = measure(
        benefits=[
            benefit("sygedagpenge", "2019-01-01", "2019-01-10"),
            benefit("sygedagpenge", "2019-01-11", "2019-01-20"),
        ],
        start="2019-01",
        backend=backend,
    )
    assert one_row(m, "2019-01")["duration_days"] == 10


def test_R9_D6_sygedagpenge_gap_rule_does_not_apply(backend):
    # 01-01..01-10 and 01-15..01-31 do not overlap -> separate spells (no D4 merging)
    m = measure(
        benefits=[
            benefit("sygedagpenge", "2019-01-01", "2019-01-10"),
            benefit("sygedagpenge", "2019-01-15", "2019-01-31"),
        ],
        start="2019-01",
        backend=backend,
    )
    assert one_row(m, "2019-01")["duration_days"] == 17


def test_R9_D6_sygedagpenge_merge_uses_the_running_latest_end(backend):
    # person 1 rows (given unsorted): A 01-01..01-31, B 01-05..01-10, C 01-20..02-15.
    # Sorted A, B, C; running latest end after B is 01-31, C starts 01-20 <= 01-30 ->
    # one spell 01-01..02-15: Feb duration 31 + 15 = 46.
    # person 2 adds D 02-15..02-28: 02-15 <= 02-15 - 1 is false -> separate spell;
    # reference date 02-28 lies only in D -> 14 days.
    rows = [
        ("2019-01-20", "2019-02-15"),
        ("2019-01-05", "2019-01-10"),
        ("2019-01-01", "2019-01-31"),
    ]
    m = measure(
        benefits=[
            *(benefit("sygedagpenge", s, e, person=1) for s, e in rows),
            *(benefit("sygedagpenge", s, e, person=2) for s, e in rows),
            benefit("sygedagpenge", "2019-02-15", "2019-02-28", person=2),
        ],
        start="2019-02",
        backend=backend,
    )
    one = one_row(m, "2019-02", person=1)
    assert (one["reference_date"], one["duration_days"], one["interval"]) == (
        D("2019-02-15"),
        46,
        "1",
    )
    two = one_row(m, "2019-02", person=2)
    assert (two["reference_date"], two["duration_days"]) == (D("2019-02-28"), 14)


# --- R9: dagpenge (D7, D8, D15) ---------------------------------------------------------


def test_R9_dagpenge_spell_runs_until_the_day_before_the_next_period(backend):
    # periods 2019-01-01 and 2019-04-01; 100 h in each month Jan..May
    # March: 300 h (`1`); April: new spell, 100 h (`<1`); May: 200 h (`1`)
    m = measure(
        benefits=monthly_benefit("dagpenge", "2019-01", "2019-05", hours=100.0),
        dagpenge_periods=[dagpenge_period("2019-01-01"), dagpenge_period("2019-04-01")],
        start="2019-03",
        end="2019-05",
        backend=backend,
    )
    got = {
        mo: (one_row(m, mo)["duration_hours"], one_row(m, mo)["interval"])
        for mo in ("2019-03", "2019-04", "2019-05")
    }
    assert got["2019-03"][0] == pytest.approx(300.0, abs=1e-6)
    assert got["2019-04"][0] == pytest.approx(100.0, abs=1e-6)
    assert got["2019-05"][0] == pytest.approx(200.0, abs=1e-6)
    assert [got[mo][1] for mo in sorted(got)] == ["1", "<1", "1"]


def test_R9_dagpenge_gap_does_not_break_a_period(backend):
    # one period from 2019-01-01; paid Jan and Apr (100 h each), nothing Feb..Mar
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=100.0),
            benefit("dagpenge", "2019-04-01", "2019-04-30", hours=100.0),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-04",
        backend=backend,
    )
    april = one_row(m, "2019-04", "dagpenge")
    assert april["duration_hours"] == pytest.approx(200.0, abs=1e-6)
    assert april["interval"] == "1"


def test_R9_D7_hours_are_spread_over_weekdays(backend):
    # row Sat 2019-01-26 .. Fri 2019-02-01 with 200 h: 5 weekdays (01-28..01-31, 02-01),
    # 40 h each. January (reference date 01-31): 4 x 40 = 160 h -> `<1` (160 < 160.33);
    # February: 200 h -> `1`. (Spread over all 7 days January would get 171.43 h.)
    m = measure(
        benefits=[benefit("dagpenge", "2019-01-26", "2019-02-01", hours=200.0)],
        dagpenge_periods=[dagpenge_period("2019-01-26")],
        start="2019-01",
        end="2019-02",
        backend=backend,
    )
    jan = one_row(m, "2019-01", "dagpenge")
    assert jan["duration_hours"] == pytest.approx(160.0, abs=1e-6)
    assert jan["interval"] == "<1"
    feb = one_row(m, "2019-02", "dagpenge")
    assert feb["duration_hours"] == pytest.approx(200.0, abs=1e-6)
    assert feb["interval"] == "1"


def test_R9_D7_row_without_weekday_is_spread_over_all_its_days(backend):
    # Sat 2019-08-31 .. Sun 2019-09-01, 300 h, no weekday -> 150 h per day
    m = measure(
        benefits=[benefit("dagpenge", "2019-08-31", "2019-09-01", hours=300.0)],
        dagpenge_periods=[dagpenge_period("2019-08-31")],
        start="2019-08",
        end="2019-09",
        backend=backend,
    )
    assert one_row(m, "2019-08")["duration_hours"] == pytest.approx(150.0, abs=1e-6)
    assert one_row(m, "2019-09")["duration_hours"] == pytest.approx(300.0, abs=1e-6)


def test_R9_D8_dagpenge_without_periods_uses_the_gap_rule(backend):
    # no dagpenge_periods at all.
    # person 1: Jan and Mar paid (100 h), February empty (whole month) -> March: 100 h
    # person 2: Jan, Feb, Mar paid -> one spell, 300 h -> `1`
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=100.0, person=1),
            benefit("dagpenge", "2019-03-01", "2019-03-31", hours=100.0, person=1),
            *monthly_benefit("dagpenge", "2019-01", "2019-03", hours=100.0, person=2),
        ],
        start="2019-03",
        backend=backend,
    )
    one = one_row(m, "2019-03", person=1)
    assert one["duration_hours"] == pytest.approx(100.0, abs=1e-6)
    assert one["interval"] == "<1"
    two = one_row(m, "2019-03", person=2)
    assert two["duration_hours"] == pytest.approx(300.0, abs=1e-6)
    assert two["interval"] == "1"


def test_R9_D8_days_before_the_first_period_form_their_own_spell(backend):
    # dagpenge Jan and Feb (100 h each); the first period starts 2019-02-01.
    # January days form a fallback spell (100 h); February is the period spell (100 h).
    m = measure(
        benefits=monthly_benefit("dagpenge", "2019-01", "2019-02", hours=100.0),
        dagpenge_periods=[dagpenge_period("2019-02-01")],
        start="2019-01",
        end="2019-02",
        backend=backend,
    )
    assert one_row(m, "2019-01")["duration_hours"] == pytest.approx(100.0, abs=1e-6)
    feb = one_row(m, "2019-02")
    assert feb["duration_hours"] == pytest.approx(100.0, abs=1e-6)
    assert feb["interval"] == "<1"


def test_R9_D15_hours_count_only_on_dagpenge_main_days(backend):
    # Jan 2019: 230 h over 23 weekdays = 10 h/weekday; Feb 2019: 200 h over 20 weekdays.
    # sygedagpenge Mon 01-21 .. Fri 01-25 outranks dagpenge (R5): 5 x 10 h not counted.
    # February: 230 - 50 + 200 = 380 h -> `2` (320.66 <= 380 < 480.99)
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=230.0),
            benefit("dagpenge", "2019-02-01", "2019-02-28", hours=200.0),
            benefit("sygedagpenge", "2019-01-21", "2019-01-25"),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-02",
        backend=backend,
    )
    feb = one_row(m, "2019-02", "dagpenge")
    assert feb["duration_hours"] == pytest.approx(380.0, abs=1e-6)
    assert feb["interval"] == "2"


# --- R10 --------------------------------------------------------------------------------


def test_R10_reference_date_is_the_last_day_on_the_benefit_in_the_month(backend):
    m = measure(
        benefits=[
            # person 1: spell ends 03-20
            benefit("kontanthjaelp", "2019-01-01", "2019-03-20", person=1),
            # person 2: paid 03-15..03-20 after a short gap
            benefit("kontanthjaelp", "2019-01-01", "2019-03-10", person=2),
            benefit("kontanthjaelp", "2019-03-15", "2019-03-20", person=2),
            # person 3: sygedagpenge is main from 03-25 -> last kontanthjaelp day 03-24
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=3),
            benefit("sygedagpenge", "2019-03-25", "2019-03-31", person=3),
        ],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", "kontanthjaelp", person=1)["reference_date"] == D("2019-03-20")
    assert one_row(m, "2019-03", "kontanthjaelp", person=2)["reference_date"] == D("2019-03-20")
    three = one_row(m, "2019-03", "kontanthjaelp", person=3)
    assert three["reference_date"] == D("2019-03-24")
    assert three["duration_days"] == 83  # 31 + 28 + 24


# --- R11 --------------------------------------------------------------------------------


def test_R11_duration_counts_both_ends(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),  # 31+28+31
            benefit("kontanthjaelp", "2019-03-31", "2019-03-31", person=2),  # one day
        ],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", person=1)["duration_days"] == 90
    assert one_row(m, "2019-03", person=2)["duration_days"] == 1
    assert one_row(m, "2019-03", person=2)["interval"] == "<1"


def test_R11_D1_29_february_is_not_counted(backend):
    m = measure(
        benefits=[
            # 2020-01-30..02-29: 2 + 28 = 30 (29 Feb skipped) -> `<1` (31 would be `1`)
            benefit("kontanthjaelp", "2020-01-30", "2020-02-29", person=1),
            # 2016 (leap year): 366 calendar days, 365 counted -> `12+`
            benefit("kontanthjaelp", "2016-01-01", "2016-12-31", person=2),
            # 2016-01-02..12-31: 364 counted -> `11`
            benefit("kontanthjaelp", "2016-01-02", "2016-12-31", person=3),
        ],
        start="2016-12",
        end="2020-02",
        backend=backend,
    )
    one = one_row(m, "2020-02", person=1)
    assert (one["duration_days"], one["interval"]) == (30, "<1")
    two = one_row(m, "2016-12", person=2)
    assert (two["duration_days"], two["interval"]) == (365, "12+")
    three = one_row(m, "2016-12", person=3)
    assert (three["duration_days"], three["interval"]) == (364, "11")


def test_R11_dead_days_are_not_counted(backend):
    # 2019-01-01..03-31 with 901 on 02-01..02-10: 90 - 10 = 80
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        exemptions=[exemption(901, "2019-02-01", "2019-02-10")],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["duration_days"] == 80


# --- R12 --------------------------------------------------------------------------------

DAY_EDGES = {
    1: "<1",
    30: "<1",
    31: "1",
    61: "1",
    62: "2",
    91: "2",
    92: "3",
    121: "3",
    122: "4",
    152: "4",
    153: "5",
    182: "5",
    183: "6",
    212: "6",
    213: "7",
    243: "7",
    244: "8",
    273: "8",
    274: "9",
    303: "9",
    304: "10",
    334: "10",
    335: "11",
    364: "11",
    365: "12+",
}


def test_R12_every_day_interval_edge(backend):
    # person n has a spell of n days ending 2019-12-31 (all inside 2019: no 29 Feb, no
    # dead day, so counted days = calendar days)
    m = measure(
        benefits=[
            benefit("kontanthjaelp", days_before("2019-12-31", n), "2019-12-31", person=n)
            for n in DAY_EDGES
        ],
        start="2019-12",
        backend=backend,
    )
    got = {n: one_row(m, "2019-12", person=n)["interval"] for n in DAY_EDGES}
    assert got == DAY_EDGES
    assert {n: one_row(m, "2019-12", person=n)["duration_days"] for n in DAY_EDGES} == {
        n: n for n in DAY_EDGES
    }


def test_R12_summary_intervals_contain_their_fine_intervals(backend):
    # persons with 90 (`2`), 100 (`3`), 364 (`11`), 365 (`12+`, `1-2y`) days, all 2019
    days = {1: 90, 2: 100, 3: 364, 4: 365}
    m = measure(
        benefits=[
            benefit("kontanthjaelp", days_before("2019-12-31", n), "2019-12-31", person=p)
            for p, n in days.items()
        ],
        start="2019-12",
        backend=backend,
    )
    persons = {
        iv: (c["persons"] if (c := cell(m, "2019-12", "kontanthjaelp", iv)) else 0)
        for iv in ("2", "3", "11", "under12", "12+", "1-2y", "3-5y", "6-9y", "10y+")
    }
    assert persons == {
        "2": 1,
        "3": 1,
        "11": 1,
        "under12": 3,
        "12+": 1,
        "1-2y": 1,
        "3-5y": 0,
        "6-9y": 0,
        "10y+": 0,
    }


@pytest.mark.parametrize(
    ("hours", "part_time", "fine", "band"),
    [
        # full-time: month k starts at k x 160.33 h
        (320.65, None, "1", None),
        (320.66, None, "2", None),
        (1763.62, None, "10", None),
        (1763.63, None, "11", None),  # 11 x 160.33
        (1923.95, None, "11", None),
        (1923.96, None, "12+", "1-2y"),  # 12 x 160.33 (D9: not 1924.96)
        (5771.87, None, "12+", "1-2y"),
        (5771.88, None, "12+", "3-5y"),  # 36 x 160.33 (D9: not 5772.88)
        (11543.76, None, "12+", "6-9y"),  # 72 x 160.33
        (19239.59, None, "12+", "6-9y"),
        (19239.60, None, "12+", "10y+"),  # 120 x 160.33 (D9: not 19239.51)
        # part-time: month k starts at k x 130 h
        (259.99, True, "1", None),
        (260.0, True, "2", None),
        (1559.99, True, "11", None),
        (1560.0, True, "12+", "1-2y"),
        (4680.0, True, "12+", "3-5y"),
        (9360.0, True, "12+", "6-9y"),
        (15599.99, True, "12+", "6-9y"),
        (15600.0, True, "12+", "10y+"),
    ],
)
def test_R12_D9_hour_intervals_and_year_bands(backend, hours, part_time, fine, band):
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=hours, part_time=part_time)
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-01",
        backend=backend,
    )
    row = one_row(m, "2019-01", "dagpenge")
    assert row["duration_hours"] == pytest.approx(hours, abs=1e-6)
    assert row["interval"] == fine
    if band is None:
        assert cell(m, "2019-01", "dagpenge", "under12")["persons"] == 1
    else:
        assert cell(m, "2019-01", "dagpenge", band)["persons"] == 1
        assert cell(m, "2019-01", "dagpenge", "under12") is None


@pytest.mark.parametrize(
    ("jan", "feb", "fine"),
    [
        (False, True, "2"),  # latest row part-time: 270 >= 2 x 130
        (True, False, "1"),  # latest row full-time: 160.33 <= 270 < 320.66
        (True, None, "1"),  # null = full-time
    ],
)
def test_R12_part_time_status_of_the_latest_row(backend, jan, feb, fine):
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=135.0, part_time=jan),
            benefit("dagpenge", "2019-02-01", "2019-02-28", hours=135.0, part_time=feb),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-02",
        backend=backend,
    )
    row = one_row(m, "2019-02", "dagpenge")
    assert row["duration_hours"] == pytest.approx(270.0, abs=1e-6)
    assert row["interval"] == fine


def test_R12_part_time_status_ignores_other_benefits_and_later_rows(backend):
    # a kontanthjaelp row starting later than the part-time dagpenge row, and a
    # full-time dagpenge row starting after the reference date: the part-time row decides
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-02-14", hours=270.0, part_time=True),
            benefit("kontanthjaelp", "2019-02-15", "2019-02-20"),
            benefit("dagpenge", "2019-03-01", "2019-03-31", hours=160.0, part_time=False),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-02",
        end="2019-02",
        backend=backend,
    )
    row = one_row(m, "2019-02", "dagpenge")
    assert row["duration_hours"] == pytest.approx(270.0, abs=1e-6)
    assert row["interval"] == "2"  # 270 >= 2 x 130 (part-time); full-time would be "1"


def test_R12_part_time_on_equals_the_latest_dagpenge_row_by_definition():
    """``part_time_on`` (a binary search, then a walk back) against the definition: the
    last dagpenge row, in row order, among the rows starting on or before the day."""
    import numpy as np

    from jobindsats.kernels.constants import BENEFIT_DAGPENGE
    from jobindsats.kernels.duration import part_time_on

    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(0, 12))
        start = np.sort(rng.integers(0, 40, n)).astype(np.int32)
        benefit_code = rng.choice([BENEFIT_DAGPENGE, BENEFIT_DAGPENGE + 1], n).astype(np.int8)
        part = rng.integers(-1, 2, n).astype(np.int8)  # -1 null, 0 full-time, 1 part-time
        lo = int(rng.integers(0, n + 1))
        for day in range(-1, 42):
            expected = False
            for r in range(lo, n):
                if start[r] <= day and benefit_code[r] == BENEFIT_DAGPENGE:
                    expected = bool(part[r] == 1)
            assert part_time_on(benefit_code, start, part, lo, n, day) == expected


def test_R12_D1_hours_paid_on_29_february_count(backend):
    # Feb 2024 has 21 weekdays incl. Thursday 29 Feb; 210 h -> 10 h each, all counted.
    # (Spell starts in 2024, but without registrations R24 adds nothing.)
    m = measure(
        benefits=[benefit("dagpenge", "2024-02-01", "2024-02-29", hours=210.0)],
        dagpenge_periods=[dagpenge_period("2024-02-01")],
        start="2024-02",
        backend=backend,
    )
    row = one_row(m, "2024-02", "dagpenge")
    assert row["reference_date"] == D("2024-02-29")
    assert row["duration_hours"] == pytest.approx(210.0, abs=1e-6)


def test_R12_null_hours_are_zero(backend):
    m = measure(
        benefits=[benefit("dagpenge", "2019-01-01", "2019-03-31", hours=None)],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-03",
        backend=backend,
    )
    row = one_row(m, "2019-03", "dagpenge")
    assert row["duration_hours"] == pytest.approx(0.0, abs=1e-6)
    assert row["duration_days"] is None
    assert row["interval"] == "<1"
