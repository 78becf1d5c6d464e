"""Bad arguments to jobindsats.audit: clear errors naming the argument (issue 17); a period
without any benefit week is not an error but empty tables and a message."""

from __future__ import annotations

import datetime as dt

import pytest

import jobindsats
from builders import benefit, dataset
from jobindsats.audit import AUDIT_SCHEMAS, parse_periods


@pytest.fixture(scope="module")
def ds() -> jobindsats.Dataset:
    return dataset(benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-12-31")])


def test_a_period_whose_end_is_before_its_start(ds):
    with pytest.raises(
        ValueError, match=r"periods: period 2 ends \(2019-01-01\) before it starts \(2019-06-01\)"
    ):
        jobindsats.audit(ds, "kontanthjaelp", ["2019-01-01:2019-02-01", "2019-06-01:2019-01-01"])


def test_a_period_outside_the_data_names_the_period_and_the_data_range(ds):
    with pytest.raises(ValueError, match=(
        r"periods: period 2023-01-01:2023-12-31 lies outside the data: no benefit row "
        r"overlaps it \(benefits run from 2019-01-01 to 2019-12-31\)"
    )):  # fmt: skip
        jobindsats.audit(ds, "kontanthjaelp", ["2019-01-01:2019-12-31", "2023-01-01:2023-12-31"])


def test_a_period_outside_the_data_of_every_bucket(tmp_path):
    from jobindsats.synth import synthesize

    synthesize(tmp_path, 200, 3, "2016-01-01", "2019-12-31", buckets=2)
    with pytest.raises(ValueError, match=r"period 2030-01-01:2030-12-31 lies outside the data"):
        jobindsats.audit(tmp_path, "dagpenge", "2030-01-01:2030-12-31", backend="cpp")


def test_an_unknown_group(ds):
    with pytest.raises(
        ValueError, match=r"group: unknown benefit group 'kontant'; one of dagpenge, "
    ):
        jobindsats.audit(ds, "kontant", "2019-01-01:2019-12-31")


def test_an_unknown_category(ds):
    with pytest.raises(ValueError, match=r"category: unknown category 'parat'; one of jobparat, "):
        jobindsats.audit(ds, "kontanthjaelp", "2019-01-01:2019-12-31", category="parat")


def test_a_category_for_a_group_without_categories(ds):
    with pytest.raises(ValueError, match=r"category: dagpenge has no category breakdown"):
        jobindsats.audit(ds, "dagpenge", "2019-01-01:2019-12-31", category="jobparat")


def test_more_than_two_periods(ds):
    with pytest.raises(
        ValueError, match=r"periods: at most two periods \(before and after, R45.8\), got 3"
    ):
        jobindsats.audit(
            ds, "kontanthjaelp",
            ["2019-01-01:2019-03-31", "2019-04-01:2019-06-30", "2019-07-01:2019-09-30"],
        )  # fmt: skip


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ("2019-13-01:2019-12-31", r"periods: the start of period 1 must be a date \(YYYY-MM-DD\), got '2019-13-01'"),
        ([], r"periods: at least one period is needed"),
        ([("2019-01-01",)], r"periods: period 1 must be a \(start, end\) pair"),
        (42, r"periods: expected one or two periods, got 42"),
    ],
)  # fmt: skip
def test_malformed_periods(ds, periods, message):
    with pytest.raises(ValueError, match=message):
        jobindsats.audit(ds, "kontanthjaelp", periods)


def test_period_spellings():
    one = [(dt.date(2019, 1, 1), dt.date(2019, 12, 31))]
    assert parse_periods("2019-01-01:2019-12-31") == one
    assert parse_periods(("2019-01-01", "2019-12-31")) == one
    assert parse_periods((dt.date(2019, 1, 1), dt.date(2019, 12, 31))) == one
    assert parse_periods([("2019-01-01", dt.date(2019, 12, 31))]) == one
    two = parse_periods(["2019-01-01:2019-12-31", ("2021-09-01", "2022-08-31")])
    assert two == [*one, (dt.date(2021, 9, 1), dt.date(2022, 8, 31))]


def test_threads_and_backend(ds):
    with pytest.raises(ValueError, match=r"threads: must be at least 1, got 0"):
        jobindsats.audit(ds, "kontanthjaelp", "2019-01-01:2019-12-31", threads=0)
    with pytest.raises(ValueError, match=r"backend must be 'auto', 'cpp' or 'numba'"):
        jobindsats.audit(ds, "kontanthjaelp", "2019-01-01:2019-12-31", backend="fortran")


def test_a_period_without_a_benefit_week_gives_empty_tables_and_says_so(backend):
    # kontanthjælp only 2019-01-07..09, another benefit all 2019: March 2019 overlaps a benefit
    # row (so it is inside the data) but holds no benefit week of kontanthjælp
    ds = dataset(
        benefits=[
            benefit("kontanthjaelp", "2019-01-07", "2019-01-09"),
            benefit("other", "2019-01-01", "2019-12-31"),  # lowest priority (R5)
        ]
    )
    r = jobindsats.audit(ds, "kontanthjaelp", "2019-03-01:2019-03-31", backend=backend)
    assert r.messages == [
        "period 2019-03-01:2019-03-31: no benefit week of kontanthjaelp; its tables are empty"
    ]
    for name, table in r.tables().items():
        assert table.num_rows == 0, name
        assert table.schema.equals(AUDIT_SCHEMAS[name]), name
    both = jobindsats.audit(
        ds, "kontanthjaelp", ["2019-01-01:2019-01-31", "2019-03-01:2019-03-31"], backend=backend
    )
    assert len(both.messages) == 1
    assert both.intensity.num_rows > 0
    assert both.change.num_rows > 0  # the second period's figures are 0 / null


def test_the_messages_name_the_category(backend):
    ds = dataset(benefits=[benefit("kontanthjaelp", "2019-01-01", "2019-01-31")])
    r = jobindsats.audit(ds, "kontanthjaelp", "2019-01-01:2019-01-31", category="jobparat",
                         backend=backend)  # fmt: skip
    assert r.messages == [
        "period 2019-01-01:2019-01-31: no benefit week of kontanthjaelp/jobparat; its tables are empty"
    ]
