"""The focus audit (SPEC R45), hand-computed, on both kernels.

Each test names the R45 rule it holds. Dates used (2019): 01-01 is a Tuesday, 01-03 and
01-31 Thursdays, 01-12/13 a weekend, 03-31 and 06-30 Sundays, 04-01 a Monday. Dagpenge
months below are whole months of 160.33 h (``monthly_benefit``), so the seniority in
months is the number of whole paid months, a month being reached on its last weekday.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

import jobindsats
from builders import (
    ADULT,
    HOME,
    benefit,
    dagpenge_period,
    dataset,
    interview,
    monthly_benefit,
    offer,
    residence,
    tables,
    visitation,
)
from jobindsats.audit import AUDIT_SCHEMAS

FULL = 160.33  # R12: hours of a full-time month
H1 = "2019-01-01:2019-06-30"  # Thursdays 01-03 .. 06-27: 26 weeks
H2 = "2019-07-01:2019-12-31"  # Thursdays 07-04 .. 12-26: 26 weeks


def run(ds: Any, group: str, periods: Any, backend: str, **kw: Any) -> jobindsats.AuditResult:
    return jobindsats.audit(ds, group, periods, backend=backend, threads=1, **kw)


def rows(t: pa.Table, /, **where: Any) -> list[dict[str, Any]]:
    return [r for r in t.to_pylist() if all(r[k] == v for k, v in where.items())]


def one(t: pa.Table, /, **where: Any) -> dict[str, Any]:
    found = rows(t, **where)
    assert len(found) == 1, f"expected one row for {where}, got {found}"
    return found[0]


def kh(start: str, end: str, person: int = 1) -> dict[str, Any]:
    return benefit("kontanthjaelp", start, end, person=person)


# --- R45.1 benefit weeks ---------------------------------------------------------------


def test_R45_1_weeks_belong_to_the_period_of_their_thursday(backend):
    # 2019-01-04 (Fri) .. 2019-01-30 (Wed) holds the Thursdays 01-10, 01-17, 01-24 only
    ds = dataset(
        benefits=[kh("2018-12-01", "2019-03-31")],
        interviews=[
            interview("2019-01-04"),  # week of Thursday 01-03: before the period
            interview("2019-01-07"),  # Monday of the first week
            interview("2019-01-27"),  # Sunday of the last week
            interview("2019-01-30"),  # week of Thursday 01-31: after the period
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-01-04:2019-01-30", backend)
    got = one(r.intensity, municipality=0, seniority="all")
    assert (got["benefit_weeks"], got["interviews"]) == (3, 2)


def test_R45_1_edge_weeks_reach_outside_the_period_at_both_ends(backend):
    # 2019-01-03 (Thu) .. 2019-01-31 (Thu): five weeks, Monday 2018-12-31 .. Sunday 2019-02-03
    ds = dataset(
        benefits=[kh("2018-12-01", "2019-03-31")],
        interviews=[
            interview("2018-12-30"),  # Sunday before: not in a week of the period
            interview("2018-12-31"),  # Monday of the first week, before the period
            interview("2019-02-03"),  # Sunday of the last week, after the period
            interview("2019-02-04"),  # Monday after: not in a week of the period
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-01-03:2019-01-31", backend)
    got = one(r.intensity, municipality=0, seniority="all")
    assert (got["benefit_weeks"], got["interviews"]) == (5, 2)


def test_R45_1_a_weekend_of_benefit_makes_a_benefit_week_and_R45_3_counts_its_weekdays(backend):
    # benefit only on Saturday 01-12 and Sunday 01-13: the week 01-07..01-13 is a benefit
    # week (reference day Sunday), and an interview on its Wednesday (no benefit) counts
    ds = dataset(
        benefits=[kh("2019-01-12", "2019-01-13")],
        interviews=[interview("2019-01-09"), interview("2019-01-14")],
    )
    r = run(ds, "kontanthjaelp", "2019-01-01:2019-01-31", backend)
    got = one(r.intensity, municipality=0, seniority="all")
    assert (got["benefit_weeks"], got["interviews"], got["intensity"]) == (1, 1, 1.0)


def test_R45_1_reference_day_is_the_last_benefit_day_of_the_week_for_R42(backend):
    # benefit Monday..Wednesday 01-07..01-09; the person moves on Thursday 01-10: the week's
    # municipality is that of Wednesday (101), not of the week's end (751)
    ds = dataset(
        benefits=[kh("2019-01-07", "2019-01-09")],
        residence=[
            residence(101, "2000-01-01", "2019-01-09"),
            residence(751, "2019-01-10", "2030-01-01"),
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-01-01:2019-01-31", backend)
    assert [x["municipality"] for x in rows(r.intensity, seniority="all")] == [0, 101]


def test_R45_1_dead_periods_do_not_remove_weeks(backend):
    # 2020-04 is dead for every group under v1.73 (R14) and interviews then were closed;
    # the audit still counts the weeks and every interview in them
    ds = dataset(
        benefits=[kh("2020-01-01", "2020-06-30")],
        interviews=[interview("2020-04-15")],
    )
    r = run(ds, "kontanthjaelp", "2020-04-01:2020-04-30", backend)  # Thursdays 04-02..04-30
    got = one(r.intensity, municipality=0, seniority="all")
    assert (got["benefit_weeks"], got["interviews"]) == (5, 1)


# --- R45.2 seniority ---------------------------------------------------------------------

#: (counted days at the reference day, months): R12's edges 92 (3), 183 (6), 365 (12) and
#: 12 per year beyond: 365 + 183 = 548 (18), 730 (24)
DAY_BOUNDARIES = [(92, 3, "0-3", "3-6"), (183, 6, "3-6", "6-12"), (365, 12, "6-12", "12-18"),
                  (548, 18, "12-18", "18-24"), (730, 24, "18-24", "24+")]  # fmt: skip


def _start_for(days: int, ref: str = "2019-06-30") -> str:
    """The spell start that gives ``days`` counted days on ``ref`` (no 29 February and no
    dead day lies in 2016-03-01..2019-06-30)."""
    import datetime as dt

    return (dt.date.fromisoformat(ref) - dt.timedelta(days=days - 1)).isoformat()


@pytest.mark.parametrize(("days", "months", "below", "at"), DAY_BOUNDARIES)
def test_R45_2_seniority_boundaries_in_days(backend, days, months, below, at):
    del months  # (named in the parameters for the reader)
    # person 1 is one day short of the boundary on Sunday 06-30, person 2 reaches it; only
    # person 2 has an interview, so each week's seniority group shows whose it is
    ds = dataset(
        benefits=[
            kh(_start_for(days - 1), "2019-06-30", person=1),
            kh(_start_for(days), "2019-06-30", person=2),
        ],
        interviews=[interview("2019-06-26", person=2)],
    )
    r = run(ds, "kontanthjaelp", "2019-06-24:2019-06-30", backend)  # one week
    lower, upper = (
        one(r.intensity, municipality=0, seniority=below),
        one(r.intensity, municipality=0, seniority=at),
    )
    assert (lower["benefit_weeks"], lower["interviews"]) == (1, 0)
    assert (upper["benefit_weeks"], upper["interviews"]) == (1, 1)


@pytest.mark.parametrize("part_time", [False, True])
@pytest.mark.parametrize(("months", "below", "at"), [(3, "0-3", "3-6"), (6, "3-6", "6-12"),
                         (12, "6-12", "12-18"), (18, "12-18", "18-24"), (24, "18-24", "24+")])  # fmt: skip
def test_R45_2_seniority_boundaries_in_dagpenge_hours(backend, part_time, months, below, at):
    # one row each: paid hours months x unit minus a hundredth (person 1) and exactly
    # months x unit (person 2) through the reference day 06-30; unit 160.33 h full-time,
    # 130 h part-time (R12/D9)
    unit = 130.0 if part_time else FULL
    ds = dataset(
        benefits=[
            benefit(
                "dagpenge",
                "2019-01-07",
                "2019-06-30",
                person=1,
                hours=months * unit - 0.01,
                part_time=part_time,
            ),
            benefit(
                "dagpenge",
                "2019-01-07",
                "2019-06-30",
                person=2,
                hours=months * unit,
                part_time=part_time,
            ),
        ],
        dagpenge_periods=[
            dagpenge_period("2019-01-07", person=1),
            dagpenge_period("2019-01-07", person=2),
        ],
        interviews=[interview("2019-06-26", person=2)],
    )
    r = run(ds, "dagpenge", "2019-06-24:2019-06-30", backend)
    assert one(r.intensity, municipality=0, seniority=below)["interviews"] == 0
    assert one(r.intensity, municipality=0, seniority=at)["interviews"] == 1


def test_R45_2_coarse_groups_and_all_count_a_person_once(backend):
    # a spell from 2019-01-01: weeks to 03-31 have months 0-2, from the week of 04-01 on 3
    ds = dataset(benefits=[kh("2019-01-01", "2019-12-31")])
    r = run(ds, "kontanthjaelp", "2019-03-04:2019-04-28", backend)  # 8 weeks
    weeks = {x["seniority"]: x["benefit_weeks"] for x in rows(r.intensity, municipality=0)}
    assert weeks == {"0-3": 4, "3-6": 4, "under6": 8, "all": 8}
    persons = {x["seniority"]: x["persons"] for x in rows(r.activation, municipality=0)}
    assert persons == {"0-3": 1, "3-6": 1, "under6": 1, "all": 1}


# --- R45.3 intensity and spread ----------------------------------------------------------


def test_R45_3_every_interview_row_counts_same_day_kinds_joint_and_holders(backend):
    ds = dataset(
        benefits=[kh("2019-01-01", "2019-01-31")],
        interviews=[
            interview("2019-01-08"),
            interview("2019-01-08"),  # the same day: both count (unlike R27)
            interview("2019-01-08", kind="anden", held_by="anden_aktoer"),
            interview("2019-01-09", kind="sygeopfoelgning", form="telefon"),
            interview("2019-01-10", joint=True, akasse_present=True),
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-01-07:2019-01-13", backend)
    got = one(r.intensity, municipality=0, seniority="all")
    assert (got["benefit_weeks"], got["interviews"], got["intensity"]) == (1, 5, 5.0)


def _two_week_persons(interviews_per_person: list[int]) -> Any:
    """Persons on kontanthjælp all January 2019, person i with the given number of
    interviews in the two weeks 01-07..01-20."""
    days = ["2019-01-08", "2019-01-09", "2019-01-15", "2019-01-16", "2019-01-17"]
    return dataset(
        benefits=[
            kh("2019-01-01", "2019-01-31", person=p)
            for p in range(1, len(interviews_per_person) + 1)
        ],
        interviews=[
            interview(days[j], person=p)
            for p, n in enumerate(interviews_per_person, start=1)
            for j in range(n)
        ],
    )


def test_R45_3_spread_nearest_rank_quartiles_with_ties(backend):
    # intensities 0, 0, 0, .5, .5, 1, 1, 2 (n = 8): q25 = 2nd = 0, q75 = 6th = 1;
    # fewest (<= 0): three persons, mean 0; most (>= 1): three, mean (1 + 1 + 2) / 3
    ds = _two_week_persons([0, 1, 2, 0, 4, 1, 2, 0])
    r = run(ds, "kontanthjaelp", "2019-01-07:2019-01-20", backend)
    got = one(r.intensity_spread, seniority="all")
    assert got == {
        "period": "2019-01-07:2019-01-20", "seniority": "all", "n_persons": 8,
        "q25": 0.0, "q75": 1.0, "fewest_n": 3, "fewest_mean": 0.0,
        "most_n": 3, "most_mean": pytest.approx(4 / 3),
    }  # fmt: skip


def test_R45_3_spread_ranks_round_up(backend):
    # n = 5, intensities sorted 0, 0, .5, 1, 2: ranks ceil(1.25) = 2 and ceil(3.75) = 4
    ds = _two_week_persons([1, 0, 2, 0, 4])
    r = run(ds, "kontanthjaelp", "2019-01-07:2019-01-20", backend)
    got = one(r.intensity_spread, seniority="0-3")
    assert (got["q25"], got["q75"]) == (0.0, 1.0)
    assert (got["fewest_n"], got["fewest_mean"], got["most_n"], got["most_mean"]) == (
        2, 0.0, 2, 1.5,
    )  # fmt: skip


# --- R45.4 mix ---------------------------------------------------------------------------


def test_R45_4_types_partition_the_interviews_and_forms_are_counted(backend):
    ds = dataset(
        benefits=[kh("2019-01-01", "2019-01-31")],
        interviews=[
            interview("2019-01-08"),  # jobsamtale
            interview("2019-01-08", joint=True, akasse_present=True),  # faellessamtale
            interview("2019-01-09", kind="anden", joint=True, form="digitalt"),  # faelles
            interview("2019-01-09", kind="anden", form="telefon"),  # anden
            interview("2019-01-10", kind="sygeopfoelgning", form="telefon"),
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-01-07:2019-01-13", backend)
    types = {x["value"]: (x["count"], x["share"])
             for x in rows(r.mix, municipality=0, dimension="type")}  # fmt: skip
    assert types == {"jobsamtale": (1, 0.2), "faellessamtale": (2, 0.4), "anden": (1, 0.2),
                     "sygeopfoelgning": (1, 0.2)}  # fmt: skip
    forms = {x["value"]: x["count"] for x in rows(r.mix, municipality=HOME, dimension="form")}
    assert forms == {"personligt": 2, "telefon": 2, "digitalt": 1}


# --- R45.5 activation ----------------------------------------------------------------------


def test_R45_5_two_offer_kinds_in_one_week_and_a_move_between_municipalities(backend):
    # both persons on kontanthjælp from 2019-01-01; 8 weeks 03-04..04-28, the first four
    # with seniority 0-3, the last four 3-6. Person 1 lives in 101 until 03-31, then in 751,
    # and has two offer kinds in the week 03-11..03-17 and one offer in the week of 04-10.
    ds = dataset(
        benefits=[
            kh("2019-01-01", "2019-12-31", person=1),
            kh("2019-01-01", "2019-12-31", person=2),
        ],
        offers=[
            offer("2019-03-13", "2019-03-13", kind="virksomhedspraktik", person=1),
            offer("2019-03-15", "2019-03-16", kind="loentilskud", person=1),
            offer("2019-04-10", "2019-04-10", kind="loentilskud", person=1),
            offer("2019-05-10", "2019-05-20", kind="nytteindsats", person=2),  # after the period
        ],
        residence=[
            residence(101, "2000-01-01", "2019-03-31", person=1),
            residence(751, "2019-04-01", "2030-01-01", person=1),
            residence(101, "2000-01-01", "2030-01-01", person=2),
        ],
    )
    r = run(ds, "kontanthjaelp", "2019-03-04:2019-04-28", backend)

    def act(muni: int, seniority: str) -> tuple[int, ...]:
        x = one(r.activation, municipality=muni, seniority=seniority)
        return x["persons"], x["touched"], x["benefit_weeks"], x["activation_weeks"]

    assert act(0, "0-3") == (2, 1, 8, 1)
    assert act(0, "3-6") == (2, 1, 8, 1)
    assert act(0, "all") == (2, 1, 16, 2)  # person 1 counts once, touched once
    assert act(101, "0-3") == (2, 1, 8, 1)
    assert act(101, "3-6") == (1, 0, 4, 0)  # person 2 only
    assert act(101, "all") == (2, 1, 12, 1)
    assert act(751, "3-6") == (1, 1, 4, 1)
    assert act(751, "all") == (1, 1, 4, 1)
    assert one(r.activation, municipality=0, seniority="all")["touch_rate"] == 0.5
    assert one(r.activation, municipality=0, seniority="all")["week_share"] == 2 / 16
    kinds = {x["kind"]: (x["weeks"], x["share"])
             for x in rows(r.activation_kinds, municipality=0, seniority="0-3")}  # fmt: skip
    assert kinds["virksomhedspraktik"] == (1, 0.5)
    assert kinds["loentilskud"] == (1, 0.5)
    assert kinds["nytteindsats"] == (0, 0.0)
    kinds_all = {x["kind"]: x["weeks"] for x in rows(r.activation_kinds, municipality=0,
                                                     seniority="all")}  # fmt: skip
    assert kinds_all["loentilskud"] == 2
    assert sum(kinds_all.values()) == 3
    # the intensity table follows the week's municipality too
    assert one(r.intensity, municipality=751, seniority="all")["benefit_weeks"] == 4


# --- R45.6 joint interviews ------------------------------------------------------------------


def test_R45_6_participation_by_presence_flags_null_is_false(backend):
    t = tables(
        benefits=monthly_benefit("dagpenge", "2019-01", "2019-06", hours=FULL),
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[
            interview("2019-02-05", joint=True, akasse_present=True, jobcenter_present=True),
            interview("2019-02-06", joint=True, akasse_present=True, jobcenter_present=False),
            interview("2019-02-07", joint=True, akasse_present=False, jobcenter_present=True),
            interview("2019-02-08", joint=True, akasse_present=False, jobcenter_present=False),
            interview("2019-02-11", joint=True),  # flags set to null below: neither
            interview("2019-02-12"),  # not joint
            # Tuesday 03-26: seniority 2 on the day (18 of March's 21 weekdays paid), while
            # its week's reference day 03-31 has 3: table 4.1 takes the interview day's
            interview("2019-03-26", joint=True, akasse_present=True, jobcenter_present=True),
        ],
    )
    iv = t["interviews"]
    dates = iv.column("date").to_pylist()
    null_row = [str(d) == "2019-02-11" for d in dates]
    for name in ("akasse_present", "jobcenter_present"):
        values = [
            None if n else v for n, v in zip(null_row, iv.column(name).to_pylist(), strict=True)
        ]
        iv = iv.set_column(iv.schema.get_field_index(name), name, pa.array(values, pa.bool_()))
    t["interviews"] = iv
    ds = jobindsats.Dataset.from_tables(**t)
    r = run(ds, "dagpenge", H1, backend)
    counts = {
        x["participation"]: x["count"] for x in rows(r.joint, municipality=0, seniority="0-3")
    }
    assert counts == {"both": 2, "akasse_only": 1, "jobcenter_only": 1, "neither": 2}
    assert (
        one(r.joint, municipality=HOME, seniority="all", participation="both")["share_both"]
        == 2 / 6
    )
    assert rows(r.joint, seniority="3-6") == []
    # the week of 03-26 is in 3-6 for intensity (its reference day's seniority)
    assert one(r.intensity, municipality=0, seniority="3-6")["interviews"] == 1


def test_R45_6_joint_interview_on_another_main_benefit_day_is_not_counted(backend):
    ds = dataset(
        benefits=[
            *monthly_benefit("dagpenge", "2019-01", "2019-06", hours=FULL),
            benefit("sygedagpenge", "2019-02-18", "2019-02-22"),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        interviews=[interview("2019-02-20", joint=True), interview("2019-02-25", joint=True)],
    )
    r = run(ds, "dagpenge", H1, backend)
    assert (
        one(r.joint, municipality=0, seniority="all", participation="jobcenter_only")["count"] == 1
    )


def _entitlement_population() -> Any:
    """Dagpenge persons whose last benefit week of 2019-01-07..2019-06-30 earns the 1st,
    2nd or 3rd joint interview (see the test)."""
    full = {"hours": FULL}
    ben, dp, iv = [], [], []

    def monthly(person: int, first: str, last: str) -> None:
        ben.extend(monthly_benefit("dagpenge", first, last, person=person, **full))
        dp.append(dagpenge_period(f"{first}-01", person=person))

    # 1st (last week's reference day 05-31, 5 months): had one at 1 month / only at 3
    monthly(1, "2019-01", "2019-05")
    iv.append(interview("2019-02-12", joint=True, person=1))
    monthly(2, "2019-01", "2019-05")
    iv.append(interview("2019-04-10", joint=True, person=2))
    # 1st (reference day 03-31: 400 h part-time = 3 months). In July the person is paid
    # full-time: a joint interview on 07-10 has 403.5 h / 160.33 = 2 months, but it is
    # after the reference day and must not count (person 3); person 4 also had one at 0
    for p in (3, 4):
        ben.append(benefit("dagpenge", "2019-01-07", "2019-03-31", person=p, hours=400.0,
                           part_time=True))  # fmt: skip
        ben.append(benefit("dagpenge", "2019-07-01", "2019-07-31", person=p, hours=10.0,
                           part_time=False))  # fmt: skip
        dp.append(dagpenge_period("2019-01-07", person=p))
        iv.append(interview("2019-07-10", joint=True, person=p))
    iv.append(interview("2019-01-21", joint=True, person=4))
    # 2nd (reference day 03-31, 6 months from 2018-10): had one at 3 / only one at 1
    monthly(5, "2018-10", "2019-03")
    iv.append(interview("2019-01-15", joint=True, person=5))
    monthly(6, "2018-10", "2019-03")
    iv.append(interview("2018-11-15", joint=True, person=6))
    # 3rd (reference day 06-30, 18 months from 2018-01): had one at 7
    monthly(7, "2018-01", "2019-06")
    iv.append(interview("2018-08-15", joint=True, person=7))
    # none (2 months); an offer, so that every table has rows
    monthly(8, "2019-01", "2019-02")
    return dataset(benefits=ben, dagpenge_periods=dp, interviews=iv,
                   offers=[offer("2019-02-04", "2019-02-08", person=8)])  # fmt: skip


def test_R45_6_entitlement_to_the_first_second_and_third_joint_interview(backend):
    r = run(_entitlement_population(), "dagpenge", "2019-01-07:2019-06-30", backend)
    got = {x["which"]: (x["entitled"], x["had"], x["share"])
           for x in rows(r.entitlement, municipality=0)}  # fmt: skip
    assert got == {"1st": (4, 2, 0.5), "2nd": (2, 1, 0.5), "3rd": (1, 1, 1.0)}
    assert {x["which"] for x in rows(r.entitlement, municipality=HOME)} == {"1st", "2nd", "3rd"}


def test_R45_6_is_for_dagpenge_only(backend):
    ds = dataset(
        benefits=[kh("2019-01-01", "2019-06-30")],
        interviews=[interview("2019-02-05", joint=True)],
    )
    r = run(ds, "kontanthjaelp", H1, backend)
    assert r.joint.num_rows == 0
    assert r.entitlement.num_rows == 0
    assert one(r.mix, municipality=0, dimension="type", value="faellessamtale")["count"] == 1


# --- R45.7 subgroups --------------------------------------------------------------------------


def _persons(rows_: list[tuple[int, str, str | None, str | None, str | None]]) -> pa.Table:
    ids, births, sex, origin, education = (list(c) for c in zip(*rows_, strict=True))
    return pa.table(
        {
            "person_id": pa.array(ids, pa.int64()),
            "birth_date": pa.array([__import__("datetime").date.fromisoformat(b) for b in births]),
            "sex": pa.array(sex, pa.string()),
            "origin": pa.array(origin, pa.string()),
            "education": pa.array(education, pa.string()),
        }
    )


def test_R45_7_subgroups_with_a_null_attribute_and_age_on_the_last_day(backend):
    t = tables(
        benefits=[kh("2019-12-01", "2019-12-31", person=p) for p in (1, 2, 3)],
        interviews=[interview("2019-12-10", person=1)],
        offers=[offer("2019-12-10", "2019-12-10", person=2)],
    )
    # person 1 turns 25 on the period's last day; person 2 has no sex; person 3 has no
    # persons row at all (every attribute unknown)
    t["persons"] = _persons([(1, "1994-12-31", "kvinde", "dansk", "grundskole"),
                             (2, "1995-01-01", None, "dansk", None)])  # fmt: skip
    r = run(jobindsats.Dataset.from_tables(**t), "kontanthjaelp", "2019-12-01:2019-12-31", backend)

    def persons(dimension: str) -> dict[str, int]:
        return {x["value"]: x["persons"] for x in rows(r.subgroups, dimension=dimension)}

    assert persons("sex") == {"kvinde": 1, "unknown": 2}
    assert persons("age_band") == {"<25": 1, "25-29": 1, "unknown": 1}
    assert persons("origin") == {"dansk": 2, "unknown": 1}
    assert persons("education") == {"grundskole": 1, "unknown": 2}
    # December 2019 has the Thursdays 12-05 .. 12-26: four weeks per person
    kvinde = one(r.subgroups, dimension="sex", value="kvinde")
    assert (kvinde["benefit_weeks"], kvinde["interviews"], kvinde["intensity"]) == (4, 1, 0.25)
    unknown = one(r.subgroups, dimension="sex", value="unknown")
    assert (unknown["benefit_weeks"], unknown["touched"], unknown["activation_weeks"]) == (8, 1, 1)
    assert (unknown["touch_rate"], unknown["week_share"]) == (0.5, 1 / 8)


def test_R45_7_age_band_on_r2_calendar_for_a_29_february_birthday(backend):
    # born 2000-02-29: 25 on 2025-03-01 (a birthday that does not exist is reached on the 1st
    # of the next month), still 24 on 2025-02-28
    t = tables(benefits=[kh("2025-02-01", "2025-03-31")], persons=[(1, "2000-02-29")])
    ds = jobindsats.Dataset.from_tables(**t)
    before = run(ds, "kontanthjaelp", "2025-02-01:2025-02-28", backend)
    after = run(ds, "kontanthjaelp", "2025-02-01:2025-03-01", backend)
    assert [x["value"] for x in rows(before.subgroups, dimension="age_band")] == ["<25"]
    assert [x["value"] for x in rows(after.subgroups, dimension="age_band")] == ["25-29"]


# --- R45.8 change ---------------------------------------------------------------------------


def test_R45_8_change_rank_and_before_zero(backend):
    # persons in 101, 751, 147 on kontanthjælp all 2019; person 4 in 461 only after 07-01.
    # interviews: 101 and 751 from 2 to 4 (+100 %, tie: by code), 147 from 0 to 3 (null)
    ben = [kh("2019-01-01", "2019-12-31", person=p) for p in (1, 2, 3)]
    ben.append(kh("2019-07-01", "2019-12-31", person=4))
    munis = {1: 101, 2: 751, 3: 147, 4: 461}
    res = [residence(m, "2000-01-01", "2030-01-01", person=p) for p, m in munis.items()]
    before_days, after_days = ["2019-02-05", "2019-03-05"], ["2019-08-06", "2019-09-03",
                                                             "2019-10-01", "2019-11-05"]  # fmt: skip
    iv = [interview(d, person=p) for p in (1, 2) for d in before_days + after_days]
    iv += [interview(d, person=3) for d in after_days[:3]]
    ds = dataset(benefits=ben, residence=res, interviews=iv)
    # given after-first: 'before' is the earlier-starting period
    r = run(ds, "kontanthjaelp", [H2, H1], backend)
    assert r.periods == [H2, H1]

    def change(metric: str, muni: int, table: str = "intensity") -> dict[str, Any]:
        return one(r.change, table=table, metric=metric, municipality=muni, seniority="all")

    c101 = change("interviews", 101)
    assert (c101["period_before"], c101["period_after"]) == (H1, H2)
    assert (c101["before"], c101["after"], c101["change_pct"], c101["rank"]) == (2, 4, 100.0, 1)
    assert (change("interviews", 751)["change_pct"], change("interviews", 751)["rank"]) == (
        100.0,
        2,
    )
    c147 = change("interviews", 147)
    assert (c147["before"], c147["after"], c147["change_pct"], c147["rank"]) == (0, 3, None, None)
    national = change("interviews", 0)
    assert (national["before"], national["after"], national["rank"]) == (4, 11, None)
    # a key in one period only: 0 for a count, null for a ratio
    weeks_461 = change("benefit_weeks", 461)
    assert (weeks_461["before"], weeks_461["after"], weeks_461["change_pct"]) == (0, 26, None)
    ratio_461 = change("intensity", 461)
    assert (ratio_461["before"], ratio_461["change_pct"], ratio_461["rank"]) == (None, None, None)
    # equal changes (0 % weeks) are ranked by municipality code
    ranks = {m: change("benefit_weeks", m)["rank"] for m in (101, 147, 751)}
    assert ranks == {101: 1, 147: 2, 751: 3}
    # key columns that do not apply are null, and the table's schema is R45.10's
    spread = rows(r.change, table="intensity_spread", metric="q25")
    assert spread
    assert all(x["municipality"] is None and x["rank"] is None for x in spread)
    assert r.change.schema.equals(AUDIT_SCHEMAS["change"])


def test_R45_8_one_period_gives_an_empty_change_table(backend):
    ds = dataset(benefits=[kh("2019-01-01", "2019-06-30")])
    r = run(ds, "kontanthjaelp", H1, backend)
    assert r.change.num_rows == 0
    assert r.change.schema.equals(AUDIT_SCHEMAS["change"])


# --- R45.9 scope -------------------------------------------------------------------------------


def test_R45_9_category_weeks_need_a_day_with_group_and_category(backend):
    # January 2019 (5 weeks, Thursdays 01-03 .. 01-31): jobparat 01-01..01-09, then
    # aktivitetsparat; the person moves from 101 to 751 on 01-10
    ds = dataset(
        benefits=[kh("2019-01-01", "2019-02-28")],
        visitation=[
            visitation("jobparat", "2018-12-01", "2019-01-09"),
            visitation("aktivitetsparat", "2019-01-10", "2019-12-31"),
        ],
        residence=[
            residence(101, "2000-01-01", "2019-01-09"),
            residence(751, "2019-01-10", "2030-01-01"),
        ],
    )

    def weeks(category: str | None) -> dict[int, int]:
        r = run(ds, "kontanthjaelp", "2019-01-01:2019-01-31", backend, category=category)
        return {x["municipality"]: x["benefit_weeks"] for x in rows(r.intensity, seniority="all")}

    # the week 01-07..01-13 has jobparat days up to Wednesday: reference day 01-09 (101)
    assert weeks("jobparat") == {0: 2, 101: 2}
    assert weeks("aktivitetsparat") == {0: 4, 751: 4}
    assert weeks(None) == {0: 5, 101: 1, 751: 4}


def test_R45_9_no_age_exclusion_and_forrevalidering_is_revalidering(backend):
    # an 80-year-old (R2 would exclude) is audited; forrevalidering days count for revalidering
    ds = dataset(
        benefits=[
            benefit("revalidering", "2019-01-01", "2019-01-13", person=1),
            benefit("forrevalidering", "2019-01-14", "2019-01-31", person=2),
        ],
        persons=[(1, "1938-06-01"), (2, ADULT)],
    )
    r = run(ds, "revalidering", "2019-01-01:2019-01-31", backend)
    assert one(r.activation, municipality=0, seniority="all")["persons"] == 2
    assert one(r.intensity, municipality=0, seniority="all")["benefit_weeks"] == 2 + 3


# --- R45.10 output ------------------------------------------------------------------------------


def test_R45_10_tables_have_exactly_the_schemas(backend):
    r = run(_entitlement_population(), "dagpenge", [H1, H2], backend)
    for name, table in r.tables().items():
        assert table.schema.equals(AUDIT_SCHEMAS[name]), name
        assert table.num_rows > 0, name
    assert r.periods == [H1, H2]
    assert set(r.to_pandas()) == set(AUDIT_SCHEMAS)
    assert r.to_polars()["joint"].height == r.joint.num_rows
    assert r.intensity.schema.metadata[b"jobindsats.rules"] == b"v1.73"
    assert r.rules == "v1.73"
    assert r.rules_digest
