"""Rule set v1.73 pinned to SPEC §3–§7, value by value (a typo here shifts real shares)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jobindsats import get_rules
from jobindsats.municipalities import MUNICIPALITIES, POPULATION, municipality_name
from jobindsats.rules import day_number
from jobindsats.schema import BENEFITS, CATEGORIES, CONTACT_FORMS, GROUPS

R = get_rules("v1.73")
D = dt.date.fromisoformat


def test_unknown_rule_set_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown rule set 'v9'.*v1\.73"):
        get_rules("v9")


def test_R1_measured_groups_and_R7_forrevalidering():
    assert set(R.measured) == {
        "dagpenge", "sygedagpenge", "kontanthjaelp", "uddannelseshjaelp", "overgangsydelse",
        "revalidering", "forrevalidering", "ressourceforloeb", "jobafklaring", "ledighedsydelse",
    }  # fmt: skip
    assert R.measured["forrevalidering"] == "revalidering"
    for unmeasured in ("arbejdsfordeling", "overgangsydelse_program", "foertidspension", "other"):
        assert unmeasured not in R.measured


def test_R2_age_limits_and_pension_ages():
    assert R.min_age_months == 192
    assert R.pension_age == (
        (D("1900-01-01"), 780),
        (D("1954-01-01"), 786),
        (D("1954-07-01"), 792),
        (D("1955-01-01"), 798),
        (D("1955-07-01"), 804),
        (D("1963-01-01"), 816),
        (D("1967-01-01"), 828),
    )


def test_R5_D5_main_benefit_priority():
    assert R.benefit_priority == (
        "foertidspension", "sygedagpenge", "dagpenge", "ledighedsydelse", "ressourceforloeb",
        "jobafklaring", "revalidering", "forrevalidering", "kontanthjaelp", "uddannelseshjaelp",
        "overgangsydelse", "overgangsydelse_program", "arbejdsfordeling", "other",
    )  # fmt: skip
    assert sorted(R.benefit_priority) == sorted(BENEFITS)


def test_R8_overgangsydelse_joins_kontanthjaelp_and_uddannelseshjaelp_only():
    assert R.overgangsydelse_joins == ("kontanthjaelp", "uddannelseshjaelp")


def test_R12_D9_interval_edges_hours_and_year_bands():
    assert R.day_edges == (31, 62, 92, 122, 153, 183, 213, 244, 274, 304, 335, 365)
    assert R.band_day_edges == (365, 1095, 2190, 3650)
    assert R.hours_per_month_full == 160.33
    assert R.hours_per_month_part == 130.0
    assert R.band_months == (12, 36, 72, 120)
    assert R.hours_tolerance == 1e-6


def test_R13_D2_dead_codes_and_R14_covid_periods():
    assert R.dead_codes == (901, 902)
    # D11: v1.73 has the skærpet-tilsyn COVID dead period, the same for every group
    assert R.covid_dead == {g: ((D("2020-03-01"), D("2020-06-30")),) for g in GROUPS}
    assert R.covid_interviews_never == (D("2020-03-12"), D("2020-05-26"))


def test_R20_window():
    assert R.window_days == 365
    assert R.window_months == 12


def test_R22_contact_form_dates():
    assert R.form_rule_from == D("2023-03-22")
    assert R.reopening == (
        (D("2020-05-27"), D("2021-08-31")),
        (D("2021-12-19"), D("2022-01-31")),
    )
    assert R.remote_after_6_months_from == D("2022-01-01")
    assert R.remote_after_interval == 6  # D10


def test_R23_trial_municipalities_skema_2():
    by_muni = {t.municipality: (t.forms, t.start, t.end) for t in R.trial_municipalities}
    nord = (851, 810, 813, 860, 849, 825, 846, 773, 840, 787, 820)
    sjael = (201, 151, 210, 250, 190, 270, 260, 217, 219)
    assert len(by_muni) == len(R.trial_municipalities) == len(nord) + len(sjael) + 2
    for m in nord:
        assert by_muni[m] == (("digitalt",), D("2017-07-01"), D("2023-12-31"))
    for m in sjael:
        assert by_muni[m] == (("digitalt",), D("2017-07-01"), D("2021-12-31"))
    assert by_muni[101] == (("digitalt", "telefon"), D("2018-09-01"), D("2020-09-01"))
    assert by_muni[269] == (("digitalt",), D("2018-11-01"), D("2022-12-31"))


def test_R24_prepayment():
    assert R.prepayment_from == D("2024-01-01")
    assert R.prepayment_months == 3
    assert R.prepayment_groups == (
        "dagpenge",
        "kontanthjaelp",
        "uddannelseshjaelp",
        "overgangsydelse",
    )


EXEMPTION_TABLE = {  # SPEC R30, (group, category or None) -> codes
    ("dagpenge", None): {2, 3, 4, 10, 11, 23, 24, 43, 44, 45, 46, 66, 70, 71, 72, 73, 77, 78, 79},
    ("kontanthjaelp", None): {
        3,
        4,
        6,
        7,
        10,
        43,
        44,
        45,
        46,
        47,
        50,
        70,
        71,
        72,
        73,
        76,
        77,
        78,
        79,
    },
    ("uddannelseshjaelp", None): {3, 4, 6, 7, 10, 45, 46, 47, 50, 70, 71, 72, 73, 76, 78, 79},
    ("overgangsydelse", None): {3, 4, 6, 7, 10, 45, 46, 50, 70, 71, 72, 73, 76, 78, 79},
    ("revalidering", None): {3, 4, 10, 16, 46, 47, 50, 70, 71, 72, 77, 78, 79},
    ("sygedagpenge", None): {3, 53, 70},
    ("ledighedsydelse", None): {3, 4, 10, 23, 24, 43, 44, 45, 46, 47, 70, 71, 72, 73, 77, 78, 79},
    ("ressourceforloeb", None): {3, 4, 10, 43, 44, 46, 47, 50, 70, 71, 72, 73, 76, 77, 78, 79},
    ("jobafklaring", None): {3, 4, 10, 43, 44, 45, 46, 47, 50, 70, 71, 72, 73, 76, 77, 78, 79},
}
CATEGORY_EXTRA = {  # SPEC R30, category-specific additions
    ("kontanthjaelp", "jobparat"): {2},
    ("uddannelseshjaelp", "aabenlyst_uddannelsesparat"): {2},
    ("overgangsydelse", "jobparat"): {2, 43, 44, 77},
    ("overgangsydelse", "aabenlyst_uddannelsesparat"): {2, 43, 44, 77},
}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("category", [None, *CATEGORIES])
def test_R30_qualifying_codes_per_group_and_category(group, category):
    expected = EXEMPTION_TABLE[(group, None)] | CATEGORY_EXTRA.get((group, category), set())
    assert R.exempt_codes_for(group, category) == expected
    assert 65 not in R.exempt_codes_for(group, category)  # removed in v1.72


def test_R30_kernel_mask_matches_the_code_lists():
    k = R.kernel_rules()
    for gi, group in enumerate(GROUPS):
        for ci, category in enumerate([*CATEGORIES, None]):
            qualifying = {c for c in range(1000) if k.exempt_mask[gi, c] >> ci & 1}
            assert qualifying == R.exempt_codes_for(group, category)


def test_R31_R32_thresholds():
    assert R.exempt_threshold_pct == 50  # D14: at least 50 %
    assert R.exempt_2024_from == D("2024-01-01")
    assert R.exempt_2024_threshold_pct == 30
    assert R.exempt_2024_below_interval == 6
    assert R.mii_exempt_days == 5


def test_R41_R43_R44_derived_measures():
    assert R.focus_threshold == 0.20
    assert R.focus_months == 12
    assert R.activation_employment_hours == 225.0
    assert [(s.group, s.category, s.interviews, s.months) for s in R.samtaletal] == [
        ("dagpenge", None, 6, 6),
        ("kontanthjaelp", "jobparat", 3, 3),
        ("kontanthjaelp", "aktivitetsparat", 3, 6),
        ("uddannelseshjaelp", "uddannelsesparat", 3, 3),
        ("uddannelseshjaelp", "aktivitetsparat", 4, 6),
        ("sygedagpenge", None, 5, 6),
    ]
    assert R.passivity_days == (46, 91, 183, 274, 365)


def test_category_breakdown_groups():
    assert R.category_groups == ("kontanthjaelp", "uddannelseshjaelp", "overgangsydelse")


def test_kernel_rules_are_day_numbers_of_the_rule_dates():
    k = R.kernel_rules()
    assert list(k.covid_dead_off) == list(range(len(GROUPS) + 1))
    assert set(k.covid_dead_start) == {day_number(D("2020-03-01"))} == {18322}
    assert set(k.covid_dead_end) == {day_number(D("2020-06-30"))}
    assert k.form_rule_from == day_number(D("2023-03-22"))
    assert list(k.trial_form_mask[[t.municipality for t in R.trial_municipalities].index(101)]
                .reshape(-1)) == [(1 << CONTACT_FORMS.index("digitalt")) | (1 << CONTACT_FORMS.index("telefon"))]  # fmt: skip
    assert k.benefit_rank[BENEFITS.index("foertidspension")] == 0
    assert k.benefit_group[BENEFITS.index("forrevalidering")] == GROUPS.index("revalidering")
    assert np.all(k.benefit_group[[BENEFITS.index(b) for b in ("other", "foertidspension")]] == -1)


def test_the_98_municipalities():
    assert len(MUNICIPALITIES) == 98
    assert min(MUNICIPALITIES) == 101
    assert max(MUNICIPALITIES) == 860
    assert MUNICIPALITIES[101] == "København"
    assert MUNICIPALITIES[851] == "Aalborg"
    assert MUNICIPALITIES[751] == "Aarhus"
    assert MUNICIPALITIES[461] == "Odense"
    assert 411 not in MUNICIPALITIES  # Christiansø is not a municipality
    assert set(POPULATION) == set(MUNICIPALITIES)
    assert municipality_name(0) == "Hele landet"
    assert municipality_name(999) == "Uoplyst"
