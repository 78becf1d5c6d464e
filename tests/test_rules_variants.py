"""Rule sets as data change results exactly where they should (SPEC D11, R14, R20).

Hand-computed cases under ``v1.73`` and its variant ``v1.73-ret-og-pligt`` (COVID dead
periods for dagpenge only: 2020-03-01..08-31 and 2021-01-01..06-30), and under rule sets
derived with a shifted COVID period or another window length, on both backends; and a
property over generated populations: the two built-in rule sets agree wherever no COVID
period of either can reach, and differ by exactly the frozen days where they should.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import jobindsats
from builders import (
    NON_TRIAL,
    benefit,
    counted,
    dagpenge_period,
    interview,
    measure,
    monthly_benefit,
    one_row,
)
from jobindsats import rules
from jobindsats.synth import synthesize

RET = "v1.73-ret-og-pligt"


@pytest.mark.parametrize(
    ("rule_set", "expected"),
    [
        # v1.73: dead 2020-03-01..06-30, so every month from July 2020 counts its hours
        ("v1.73", {"2020-09": 3, "2021-01": 7, "2021-07": 13}),
        # ret og pligt: July-August 2020 and January-June 2021 are dead for dagpenge
        (RET, {"2020-09": 1, "2021-01": 4, "2021-07": 5}),
    ],
)
def test_D11_dagpenge_spell_across_both_covid_periods(backend, rule_set, expected):
    # dagpenge period from 2020-07-01, 160.33 h paid in every month 2020-07..2021-07: a
    # month's row adds its 160.33 h when none of its days is dead, nothing when all are
    m = measure(
        benefits=monthly_benefit("dagpenge", "2020-07", "2021-07", hours=160.33),
        dagpenge_periods=[dagpenge_period("2020-07-01")],
        start="2020-07",
        end="2021-07",
        backend=backend,
        rules=rule_set,
    )
    for month, live_months in expected.items():
        row = one_row(m, month, "dagpenge")
        assert row["duration_hours"] == pytest.approx(160.33 * live_months, abs=1e-6)
        assert row["interval"] == (str(live_months) if live_months < 12 else "12+")


@pytest.mark.parametrize(
    ("rule_set", "april_days", "july_days"),
    [
        # v1.73: Jan 31 + Feb 28 (29 February is not counted, D1) = 59, frozen Mar-Jun
        ("v1.73", 59, 59 + 31),
        # ret og pligt: kontanthjælp has no COVID dead period: Jan..Apr = 31+28+31+30
        (RET, 120, 120 + 31 + 30 + 31),
    ],
)
def test_D11_kontanthjaelp_spell_across_april_2020(backend, rule_set, april_days, july_days):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2020-01-01", "2020-12-31")],
        # R14's closed window 2020-03-12..05-26 stays in both rule sets
        interviews=[
            interview("2020-04-15", municipality=NON_TRIAL),
            interview("2020-06-10", municipality=NON_TRIAL),
        ],
        start="2020-04",
        end="2020-07",
        backend=backend,
        rules=rule_set,
    )
    assert one_row(m, "2020-04", "kontanthjaelp")["duration_days"] == april_days
    assert one_row(m, "2020-07", "kontanthjaelp")["duration_days"] == july_days
    assert counted(m, "2020-04", "kontanthjaelp") == 0
    assert counted(m, "2020-07", "kontanthjaelp") == 1


def test_a_derived_shifted_covid_period_changes_durations_exactly(backend):
    # kontanthjælp's COVID period moved to April 2020 only: on 2020-07-31 the duration is
    # Jan..Jul (31+28+31+30+31+30+31 = 212) less April's 30 = 182 (interval 5, not 6)
    shifted = rules.builtin("v1.73").derive(
        "april-only", covid_dead={"kontanthjaelp": [("2020-04-01", "2020-04-30")]}
    )
    m = measure(
        benefits=[benefit("kontanthjaelp", "2020-01-01", "2020-12-31")],
        start="2020-07",
        backend=backend,
        rules=shifted,
    )
    row = one_row(m, "2020-07", "kontanthjaelp")
    assert (row["duration_days"], row["interval"]) == (182, "5")


@pytest.mark.parametrize(("window_days", "expected"), [(365, 1), (300, 0), (306, 1)])
def test_a_derived_window_length_moves_the_window(backend, window_days, expected):
    # kontanthjælp 2021-01-01..2022-12-31, in-person interview 2022-03-01 (and one in
    # 2021). December 2022 (12+): the window is the latest `window_days` counted days up
    # to 2022-12-31: 365 -> from 2022-01-01, 300 -> from 2022-03-07 (misses 03-01),
    # 306 -> from 2022-03-01 (holds it)
    rule_set = rules.builtin("v1.73").derive("window", window_days=window_days)
    m = measure(
        benefits=[benefit("kontanthjaelp", "2021-01-01", "2022-12-31")],
        interviews=[
            interview("2021-03-01", municipality=NON_TRIAL),
            interview("2022-03-01", municipality=NON_TRIAL),
        ],
        start="2022-12",
        backend=backend,
        rules=rule_set,
    )
    assert counted(m, "2022-12", "kontanthjaelp") == expected


def test_measure_records_the_rule_set_it_ran(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2021-01-01", "2021-03-31")],
        start="2021-03",
        backend=backend,
        rules=RET,
    )
    variant = rules.builtin(RET)
    assert m.rules == m.rule_set.name == RET
    assert m.run_info["rules"] == RET
    assert m.run_info["rules_digest"] == variant.digest != rules.builtin("v1.73").digest
    meta = m.cells.schema.metadata
    assert meta[b"jobindsats.rules"] == RET.encode()
    assert meta[b"jobindsats.rules_digest"] == variant.digest.encode()


# --- property: where the two built-in rule sets agree and where they differ ------------

_FROZEN_DAYS = 31 + 30 + 31 + 30  # 2020-03-01..06-30, no 29 February inside


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A small synthetic dataset, and the persons with an ordinary dead period (R13)."""
    path = tmp_path_factory.mktemp("synth") / "data"
    synthesize(path, persons=600, seed=11, start="2018-01-01", end="2022-12-31")
    data = jobindsats.read_dataset(path)
    ex = data.tables.get("exemptions")
    dead = set()
    if ex is not None:
        codes = pa.array(rules.builtin("v1.73").dead_codes, pa.int16())
        dead = set(ex.filter(pc.is_in(ex["code"], value_set=codes))["person_id"].to_pylist())
    return data, dead


def test_D11_property_the_variants_agree_outside_covid_and_differ_inside(backend, generated):
    data, dead_persons = generated
    runs = [
        jobindsats.measure(data, start="2019-01", end="2022-12", backend=backend, rules=r)
        for r in ("v1.73", RET)
    ]
    keys = ("person_id", "month", "group")
    rows = [{tuple(r[k] for k in keys): r for r in m.persons.to_pylist()} for m in runs]
    assert rows[0].keys() == rows[1].keys()
    covid_start, frozen_end = dt.date(2020, 3, 1), dt.date(2020, 6, 30)
    agree = differ = 0
    for key, a in rows[0].items():
        b = rows[1][key]
        ref = a["reference_date"]
        if ref < covid_start:
            assert a == b, key  # no COVID period of either rule set reaches this row
            agree += 1
            continue
        if a["group"] == "dagpenge" or key[0] in dead_persons:
            continue
        # Under ret og pligt a day-counted spell of these persons has no dead day, so its
        # start follows from its duration (29 February 2020 is the one skipped day, D1)
        start = ref - dt.timedelta(days=b["duration_days"] - 1)
        if start <= dt.date(2020, 2, 29) <= ref:
            start -= dt.timedelta(days=1)
        # v1.73 freezes exactly the spell's days in 2020-03-01..06-30
        lo, hi = max(start, covid_start), min(ref, frozen_end)
        frozen = max(0, (hi - lo).days + 1)
        assert b["duration_days"] - a["duration_days"] == frozen, key
        if frozen == 0 and start > frozen_end:
            assert a == b, key  # a spell after every COVID period of either rule set
            agree += 1
        differ += frozen == _FROZEN_DAYS
    assert agree > 100
    assert differ > 20
    # and the cells agree for every month before the first COVID period
    order = [(c, "ascending") for c in ("month", "municipality", "group", "interval")]
    before = [
        m.cells.filter(pc.less(m.cells["month"], pa.scalar(covid_start))).sort_by(order)
        for m in runs
    ]
    assert before[0].num_rows > 0
    assert before[0].equals(before[1])
