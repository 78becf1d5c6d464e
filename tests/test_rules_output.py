"""SPEC §7 outputs and §8 run quality: R40 the cell table, R42 municipality, R47 per-person
rows, and the conservation of §8.

Expected values are computed by hand; the arithmetic is in the comments.
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from builders import (
    ADULT,
    NON_TRIAL,
    D,
    all_cells,
    benefit,
    cell,
    dagpenge_period,
    exemption,
    interview,
    measure,
    one_row,
    person_rows,
    residence,
    visitation,
)

COUNTS = ("n0", "n1", "n2", "n3", "n4", "n5plus", "persons", "lt4", "exempt", "interviews")
N_COLUMNS = ("n0", "n1", "n2", "n3", "n4", "n5plus")


def cell_key(c):
    return (c["month"], c["municipality"], c["group"], c["interval"])


def interviews_on(*days, person=1):
    return [interview(d, person=person) for d in days]


# --- R40 --------------------------------------------------------------------------------


def test_R40_one_person_appears_in_every_cell_that_contains_it(backend):
    # k 2019-01-01..03-31 (90 days -> `2`), jobparat, lives in 101, 2 interviews.
    # Cells: municipality {0, 101} x group {kontanthjaelp, kontanthjaelp/jobparat, all}
    # x interval {2, under12} = 12 cells, nothing else.
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        visitation=[visitation("jobparat", "2019-01-01", "2019-12-31")],
        interviews=interviews_on("2019-02-01", "2019-03-01"),
        start="2019-03",
        backend=backend,
    )
    cells = all_cells(m)
    expected_keys = {
        (D("2019-03"), muni, group, interval)
        for muni in (0, 101)
        for group in ("kontanthjaelp", "kontanthjaelp/jobparat", "all")
        for interval in ("2", "under12")
    }
    assert {cell_key(c) for c in cells} == expected_keys
    assert len(cells) == 12
    for c in cells:
        assert {k: c[k] for k in COUNTS} == {
            "n0": 0,
            "n1": 0,
            "n2": 1,
            "n3": 0,
            "n4": 0,
            "n5plus": 0,
            "persons": 1,
            "lt4": 1,
            "exempt": 0,
            "interviews": 2,
        }
        assert c["share_lt4"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("n", "column", "lt4", "share"),
    [
        (0, "n0", 1, 1.0),
        (3, "n3", 1, 1.0),
        (4, "n4", 0, 0.0),
        (5, "n5plus", 0, 0.0),
        (7, "n5plus", 0, 0.0),
    ],
)
def test_R40_interview_classes_cap_at_5_but_interviews_are_uncapped(backend, n, column, lt4, share):
    # k 2019-01-01..03-31; n in-person interviews on n different days of January
    days = [f"2019-01-{d:02d}" for d in range(2, 2 + n)]
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        interviews=interviews_on(*days),
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03")["counted"] == n
    c = cell(m, "2019-03", "kontanthjaelp", "2")
    assert {k: c[k] for k in N_COLUMNS} == {k: int(k == column) for k in N_COLUMNS}
    assert (c["persons"], c["lt4"], c["interviews"]) == (1, lt4, n)
    assert c["share_lt4"] == pytest.approx(share)


def test_R40_share_lt4_over_several_persons(backend):
    # three persons with 1, 4 and 6 counted interviews: lt4 = 1 of 3
    plans = {1: 1, 2: 4, 3: 6}
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=p) for p in plans],
        interviews=[
            interview(f"2019-01-{d:02d}", person=p)
            for p, n in plans.items()
            for d in range(2, 2 + n)
        ],
        start="2019-03",
        backend=backend,
    )
    for group in ("kontanthjaelp", "all"):
        for interval in ("2", "under12"):
            c = cell(m, "2019-03", group, interval)
            assert (c["n1"], c["n4"], c["n5plus"], c["persons"], c["lt4"]) == (1, 1, 1, 3, 1)
            assert c["interviews"] == 11
            assert c["share_lt4"] == pytest.approx(1 / 3)


def test_R40_national_rows_sum_the_municipalities(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=p) for p in (1, 2, 3)
        ],
        residence=[
            residence(101, "2000-01-01", "2030-12-31", person=1),
            residence(NON_TRIAL, "2000-01-01", "2030-12-31", person=2),
            residence(NON_TRIAL, "2000-01-01", "2030-12-31", person=3),
        ],
        start="2019-03",
        backend=backend,
    )
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=101)["persons"] == 1
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=NON_TRIAL)["persons"] == 2
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=0)["persons"] == 3
    assert {c["municipality"] for c in all_cells(m)} == {0, 101, NON_TRIAL}


def test_R40_category_breakdowns_only_for_three_groups(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-03-01", "2019-03-31", person=1),
            benefit("uddannelseshjaelp", "2019-03-01", "2019-03-31", person=2),
            benefit("overgangsydelse", "2019-03-01", "2019-03-31", person=3),
            benefit("sygedagpenge", "2019-03-01", "2019-03-31", person=4),
            benefit("kontanthjaelp", "2019-03-01", "2019-03-31", person=5),  # no category
            benefit("forrevalidering", "2019-03-01", "2019-03-31", person=6),
        ],
        visitation=[
            visitation("aktivitetsparat", "2019-01-01", "2019-12-31", person=1),
            visitation("aabenlyst_uddannelsesparat", "2019-01-01", "2019-12-31", person=2),
            visitation("jobparat", "2019-01-01", "2019-12-31", person=3),
            visitation("jobparat", "2019-01-01", "2019-12-31", person=4),
            visitation("jobparat", "2019-01-01", "2019-12-31", person=6),
        ],
        start="2019-03",
        backend=backend,
    )
    groups = {c["group"] for c in all_cells(m)}
    assert groups == {
        "kontanthjaelp",
        "kontanthjaelp/aktivitetsparat",
        "uddannelseshjaelp",
        "uddannelseshjaelp/aabenlyst_uddannelsesparat",
        "overgangsydelse",
        "overgangsydelse/jobparat",
        "sygedagpenge",
        "revalidering",
        "all",
    }
    # 31 days -> `1`
    assert cell(m, "2019-03", "kontanthjaelp", "1")["persons"] == 2
    assert cell(m, "2019-03", "kontanthjaelp/aktivitetsparat", "1")["persons"] == 1
    assert cell(m, "2019-03", "all", "1")["persons"] == 6


def test_R40_D12_all_sums_person_group_pairs(backend):
    # one person: k 03-01..03-15 (15 days) and u 03-16..03-31 (16 days), both `<1`
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-03-01", "2019-03-15"),
            benefit("uddannelseshjaelp", "2019-03-16", "2019-03-31"),
        ],
        start="2019-03",
        backend=backend,
    )
    assert cell(m, "2019-03", "kontanthjaelp", "<1")["persons"] == 1
    assert cell(m, "2019-03", "uddannelseshjaelp", "<1")["persons"] == 1
    assert cell(m, "2019-03", "all", "<1")["persons"] == 2
    assert cell(m, "2019-03", "all", "under12")["persons"] == 2


def test_R40_twelve_plus_rows_and_year_bands(backend):
    # person 1: 2017-01-01..2019-12-31 = 1095 -> `12+`, `3-5y`
    # person 2: 2019-01-01..2019-12-31 = 365 -> `12+`, `1-2y`
    # person 3: 2019-07-02..2019-12-31 = 183 -> `6`, `under12`
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2017-01-01", "2019-12-31", person=1),
            benefit("kontanthjaelp", "2019-01-01", "2019-12-31", person=2),
            benefit("kontanthjaelp", "2019-07-02", "2019-12-31", person=3),
        ],
        start="2019-12",
        backend=backend,
    )
    got = {
        c["interval"]: c["persons"]
        for c in all_cells(m)
        if c["group"] == "kontanthjaelp" and c["municipality"] == 0
    }
    assert got == {"6": 1, "under12": 1, "12+": 2, "1-2y": 1, "3-5y": 1}


def test_R40_exempt_cells_and_only_non_empty_cells(backend):
    # person 1 exempt (code 3 on every day), person 2 measured with 0 interviews
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=p) for p in (1, 2)],
        exemptions=[exemption(3, "2019-01-01", "2019-03-31", person=1)],
        start="2019-03",
        backend=backend,
    )
    c = cell(m, "2019-03", "kontanthjaelp", "2")
    assert (c["exempt"], c["persons"], c["n0"], c["lt4"]) == (1, 1, 1, 1)
    assert c["share_lt4"] == pytest.approx(1.0)
    for c in all_cells(m):
        assert c["persons"] + c["exempt"] > 0


def test_R40_cell_table_schema(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        start="2019-03",
        backend=backend,
    )
    schema = m.cells.schema
    assert schema.field("month").type == pa.date32()
    assert schema.field("municipality").type == pa.int16()
    assert schema.field("group").type == pa.string()
    assert schema.field("interval").type == pa.string()
    for name in COUNTS:
        assert schema.field(name).type == pa.int64(), name
    assert schema.field("share_lt4").type == pa.float64()


def test_R40_dagpenge_cells_by_hours(backend):
    # dagpenge 3 x 160.33 h (Jan..Mar 2019, one period) -> `3`
    m = measure(
        benefits=[
            benefit("dagpenge", "2019-01-01", "2019-01-31", hours=160.33),
            benefit("dagpenge", "2019-02-01", "2019-02-28", hours=160.33),
            benefit("dagpenge", "2019-03-01", "2019-03-31", hours=160.33),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01")],
        start="2019-03",
        backend=backend,
    )
    assert cell(m, "2019-03", "dagpenge", "3")["persons"] == 1
    assert cell(m, "2019-03", "all", "3")["persons"] == 1


# --- R42 --------------------------------------------------------------------------------


def test_R42_municipality_of_residence_on_the_reference_date(backend):
    # person 1 moves from 101 to 751 on 03-16: Feb -> 101, March (ref 03-31) -> 751
    # person 2 same move, but the spell ends 03-10: reference date 03-10 -> 101
    moves = [residence(101, "2000-01-01", "2019-03-15", person=p) for p in (1, 2)] + [
        residence(NON_TRIAL, "2019-03-16", "2030-12-31", person=p) for p in (1, 2)
    ]
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("kontanthjaelp", "2019-01-01", "2019-03-10", person=2),
        ],
        residence=moves,
        start="2019-02",
        end="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-02", person=1)["municipality"] == 101
    assert one_row(m, "2019-03", person=1)["municipality"] == NON_TRIAL
    assert one_row(m, "2019-03", person=2)["municipality"] == 101
    # person 1 (90 days) and person 2 (2019-01-01..03-10 = 69 days) are both in `2`
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=NON_TRIAL)["persons"] == 1
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=101)["persons"] == 1
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=0)["persons"] == 2


def test_R42_unknown_residence_is_999(backend):
    # person 1: no residence rows at all; person 2: residence ends before the ref date
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=p) for p in (1, 2)],
        residence=[residence(101, "2000-01-01", "2019-02-28", person=2)],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", person=1)["municipality"] == 999
    assert one_row(m, "2019-03", person=2)["municipality"] == 999
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=999)["persons"] == 2
    assert cell(m, "2019-03", "kontanthjaelp", "2", municipality=0)["persons"] == 2


def test_R42_overlapping_residence_latest_start_wins(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-05-31")],
        residence=[
            residence(101, "2019-01-01", "2019-12-31"),
            residence(NON_TRIAL, "2019-03-01", "2019-04-30"),
        ],
        start="2019-03",
        end="2019-05",
        backend=backend,
    )
    assert one_row(m, "2019-03")["municipality"] == NON_TRIAL
    assert one_row(m, "2019-04")["municipality"] == NON_TRIAL
    assert one_row(m, "2019-05")["municipality"] == 101


def test_R42_overlapping_visitation_latest_start_wins(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-05-31")],
        visitation=[
            visitation("jobparat", "2019-01-01", "2019-12-31"),
            visitation("aktivitetsparat", "2019-03-01", "2019-04-30"),
        ],
        start="2019-03",
        end="2019-05",
        backend=backend,
    )
    assert one_row(m, "2019-03")["category"] == "aktivitetsparat"
    assert one_row(m, "2019-05")["category"] == "jobparat"


# --- R47 --------------------------------------------------------------------------------


def test_R47_person_row_schema(backend):
    m = measure(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-03-31")],
        start="2019-03",
        backend=backend,
    )
    # the string columns of the (large) person table are dictionary-encoded strings
    text = pa.dictionary(pa.int8(), pa.string())
    expected = {
        "person_id": pa.int64(),
        "month": pa.date32(),
        "group": text,
        "category": text,
        "municipality": pa.int16(),
        "reference_date": pa.date32(),
        "duration_days": pa.int32(),
        "duration_hours": pa.float64(),
        "interval": text,
        "counted": pa.int32(),
        "exempt": pa.bool_(),
        "excluded": text,
    }
    schema = m.persons.schema
    assert schema.names == list(expected)
    for name, typ in expected.items():
        assert schema.field(name).type == typ, name
    row = m.persons.to_pylist()[0]
    assert (row["group"], row["interval"], row["category"], row["excluded"]) == (
        "kontanthjaelp",
        "2",
        None,
        None,
    )


def test_R47_one_row_per_person_month_and_group(backend):
    # k Jan..Mar with sygedagpenge 02-10..02-20 (R5: it wins those days):
    # Jan k; Feb k and sygedagpenge; Mar k -> 4 rows
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31"),
            benefit("sygedagpenge", "2019-02-10", "2019-02-20"),
        ],
        start="2019-01",
        end="2019-03",
        backend=backend,
    )
    keys = sorted((r["month"], r["group"]) for r in person_rows(m))
    assert keys == [
        (D("2019-01"), "kontanthjaelp"),
        (D("2019-02"), "kontanthjaelp"),
        (D("2019-02"), "sygedagpenge"),
        (D("2019-03"), "kontanthjaelp"),
    ]
    syg = one_row(m, "2019-02", "sygedagpenge")
    assert (syg["reference_date"], syg["duration_days"]) == (D("2019-02-20"), 11)
    # R6: the kontanthjaelp spell restarts 02-21 -> Feb ref 02-28: 8 days
    k = one_row(m, "2019-02", "kontanthjaelp")
    assert (k["reference_date"], k["duration_days"]) == (D("2019-02-28"), 8)


def test_R47_category_on_the_reference_date_and_only_for_three_groups(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("sygedagpenge", "2019-01-01", "2019-03-31", person=2),
            benefit("uddannelseshjaelp", "2019-01-01", "2019-03-31", person=3),
        ],
        visitation=[
            visitation("aktivitetsparat", "2019-01-01", "2019-03-15", person=1),
            visitation("jobparat", "2019-03-16", "2019-12-31", person=1),
            visitation("jobparat", "2019-01-01", "2019-12-31", person=2),
        ],
        start="2019-03",
        backend=backend,
    )
    assert one_row(m, "2019-03", person=1)["category"] == "jobparat"
    assert one_row(m, "2019-03", person=2)["category"] is None  # not a category group
    assert one_row(m, "2019-03", person=3)["category"] is None  # unknown
    assert cell(m, "2019-03", "kontanthjaelp/jobparat", "2")["persons"] == 1
    assert cell(m, "2019-03", "kontanthjaelp/aktivitetsparat", "2") is None


def test_R47_duration_columns_by_group(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("dagpenge", "2019-01-01", "2019-03-31", hours=300.0, person=2),
        ],
        dagpenge_periods=[dagpenge_period("2019-01-01", person=2)],
        start="2019-03",
        backend=backend,
    )
    k = one_row(m, "2019-03", person=1)
    assert (k["duration_days"], k["duration_hours"]) == (90, None)
    d = one_row(m, "2019-03", person=2)
    assert d["duration_days"] is None
    assert d["duration_hours"] == pytest.approx(300.0, abs=1e-6)
    assert d["interval"] == "1"


def test_R47_excluded_rows_keep_their_key_columns(backend):
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=1),
            benefit("kontanthjaelp", "2019-01-01", "2019-03-31", person=2),
        ],
        exemptions=[exemption(901, "2019-03-01", "2019-03-31", person=2)],
        persons=[(1, "1940-01-01"), (2, ADULT)],
        start="2019-03",
        backend=backend,
    )
    one = one_row(m, "2019-03", "kontanthjaelp", person=1)
    two = one_row(m, "2019-03", "kontanthjaelp", person=2)
    assert one["excluded"] == "age"
    assert two["excluded"] == "dead_month"
    for row in (one, two):
        assert row["month"] == D("2019-03")
        assert row["group"] == "kontanthjaelp"
    assert m.cells.num_rows == 0


# --- §8 conservation --------------------------------------------------------------------


def test_R47_section8_conservation_of_the_population(backend):
    # March 2019, kontanthjaelp unless noted:
    # 1 measured; 2 exempt (code 3 on every day); 3 too old; 4 whole March dead (901);
    # 5 too old and dead (R2 first -> age); 6 no persons row (measured without R2);
    # 7 switches k 03-01..03-15 -> u 03-16..03-31: two person x group units, measured
    k = ("2019-01-01", "2019-03-31")
    m = measure(
        benefits=[
            *(benefit("kontanthjaelp", *k, person=p) for p in (1, 2, 3, 4, 5, 6)),
            benefit("kontanthjaelp", "2019-03-01", "2019-03-15", person=7),
            benefit("uddannelseshjaelp", "2019-03-16", "2019-03-31", person=7),
        ],
        exemptions=[
            exemption(3, *k, person=2),
            exemption(901, "2019-03-01", "2019-03-31", person=4),
            exemption(901, "2019-03-01", "2019-03-31", person=5),
        ],
        persons=[
            (1, ADULT),
            (2, ADULT),
            (3, "1950-01-01"),
            (4, ADULT),
            (5, "1950-01-01"),
            (7, ADULT),
        ],
        start="2019-03",
        backend=backend,
    )
    q = m.quality
    assert q["measured"] == 4  # persons 1, 6, 7 (twice)
    assert q["exempt"] == 1
    assert q["excluded_age"] == 2
    assert q["excluded_dead_month"] == 1
    assert q["population"] == 8
    assert (
        q["measured"] + q["exempt"] + q["excluded_age"] + q["excluded_dead_month"]
        == q["population"]
    )
    assert q["persons_without_birth_date"] == 1
    assert q["rows_without_birth_date"] == 1  # person 6's one row
    assert m.persons.num_rows == q["population"]
    # the kernel's counters (both backends) agree with the person rows they describe
    rows = m.persons.to_pydict()
    kept = [e is None for e in rows["excluded"]]
    assert q["measured"] == sum(k and not x for k, x in zip(kept, rows["exempt"], strict=True))
    assert q["exempt"] == sum(k and x for k, x in zip(kept, rows["exempt"], strict=True))
    assert q["excluded_age"] == rows["excluded"].count("age")
    assert q["excluded_dead_month"] == rows["excluded"].count("dead_month")
    # the cells agree: group `all`, national, summed over the fine intervals
    fine = {"<1", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12+"}
    national_all = [
        c
        for c in all_cells(m)
        if c["municipality"] == 0 and c["group"] == "all" and c["interval"] in fine
    ]
    assert sum(c["persons"] for c in national_all) == q["measured"]
    assert sum(c["exempt"] for c in national_all) == q["exempt"]


@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_quality_counts_interviews_on_days_without_a_measured_main_benefit(backend):
    # SPEC §8: an interview on a day without a measured main benefit is counted in the
    # run quality. Person 1: kontanthjælp 2019-03-01..03-10 and 03-15..03-31, nothing in
    # between; interviews before, on the first and last days of each stretch, in the gap
    # and after the last. Person 3 has no benefit row at all. 4 + 1 + 1.
    m = measure(
        benefits=[
            benefit("kontanthjaelp", "2019-03-01", "2019-03-10"),
            benefit("kontanthjaelp", "2019-03-15", "2019-03-31"),
            benefit("dagpenge", "2019-03-01", "2019-03-31", person=2, hours=150.0),
        ],
        interviews=[
            interview("2019-02-28"),  # before any benefit
            interview("2019-03-01"),  # first day
            interview("2019-03-01"),  # the same day again (each interview counts)
            interview("2019-03-10"),  # last day of the first segment
            interview("2019-03-11"),  # in the gap
            interview("2019-03-14"),  # last day of the gap
            interview("2019-03-15"),  # first day of the second segment
            interview("2019-04-01"),  # after the last segment
            interview("2019-03-31", person=2),
            interview("2019-04-02", person=2),
            interview("2019-05-02", person=3),  # a person without any benefit row
        ],
        start="2019-03",
        backend=backend,
    )
    assert m.quality["interviews_without_benefit_day"] == 6


def test_R47_person_columns_built_from_bitmaps_equal_masked_arrays():
    # _PersonsBuilder packs validity and flags with packbits instead of pa.array(mask=):
    # on random kernel rows the columns must equal the plain masked construction
    import numpy as np

    from jobindsats.measure import PERSONS_SCHEMA, _PersonsBuilder
    from jobindsats.schema import CATEGORIES, EXCLUSIONS, FINE_INTERVALS, GROUPS

    rng = np.random.default_rng(47)
    n = 1000
    group = rng.integers(0, len(GROUPS), n).astype(np.int8)
    rows = {
        "person_id": rng.integers(1, 10**9, n).astype(np.int64),
        "month_start": rng.integers(17000, 20000, n).astype(np.int32),
        "group": group,
        "category": rng.integers(-1, len(CATEGORIES), n).astype(np.int8),
        "municipality": rng.integers(101, 900, n).astype(np.int16),
        "reference": rng.integers(17000, 20000, n).astype(np.int32),
        "duration_days": rng.integers(0, 2000, n).astype(np.int32),
        "duration_hours": rng.random(n) * 3000,
        "interval": rng.integers(0, len(FINE_INTERVALS), n).astype(np.int8),
        "counted": rng.integers(0, 9, n).astype(np.int32),
        "exempt": rng.integers(0, 2, n).astype(np.int8),
        "excluded": rng.integers(0, len(EXCLUSIONS), n).astype(np.int8),
    }
    builder = _PersonsBuilder()
    builder.add(rows)
    got = builder.table()

    def dictionary(codes, labels, null_code):
        mask = codes == null_code
        indices = pa.array(np.where(mask, 0, codes).astype(np.int8), pa.int8(), mask=mask)
        return pa.DictionaryArray.from_arrays(indices, pa.array(list(labels), pa.string()))

    is_dp = group == 0
    expected = pa.table(
        [
            pa.array(rows["person_id"]),
            pa.array(rows["month_start"], pa.int32()).view(pa.date32()),
            dictionary(group, GROUPS, -1),
            dictionary(rows["category"], CATEGORIES, -1),
            pa.array(rows["municipality"]),
            pa.array(rows["reference"], pa.int32()).view(pa.date32()),
            pa.array(rows["duration_days"], mask=is_dp),
            pa.array(rows["duration_hours"], mask=~is_dp),
            dictionary(rows["interval"], FINE_INTERVALS, -1),
            pa.array(rows["counted"]),
            pa.array(rows["exempt"].astype(bool)),
            dictionary(rows["excluded"], EXCLUSIONS, 0),
        ],
        schema=PERSONS_SCHEMA,
    )
    assert got.column("duration_days").null_count == int(is_dp.sum()) > 0
    assert got.column("category").null_count == int((rows["category"] == -1).sum()) > 0
    assert got.column("excluded").null_count == int((rows["excluded"] == 0).sum()) > 0
    assert got.equals(expected)
    got.validate(full=True)
