"""The binding refuses kernel input that breaks the contract of docs/kernel.md
(cpp/contract.hpp) instead of reading or writing out of bounds: every value the kernel
indexes with (offsets, benefit codes, municipalities, months, row fields) is checked on
each call. Arrays from Dataset.kernel_arrays() always pass; these are built by hand, as
a caller of jobindsats._core could."""

from __future__ import annotations

import re

import numpy as np
import pytest

import jobindsats
from builders import benefit, dataset, interview
from jobindsats.measure import category_slots, month_range, municipality_slots

_core = pytest.importorskip("jobindsats._core")


@pytest.fixture
def inputs():
    ds = dataset(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2020-12-31"),
            benefit("dagpenge", "2020-02-01", "2020-03-31", person=2),
        ],
        interviews=[interview("2020-01-10"), interview("2020-02-10", person=2)],
    )
    arrays = {k: np.array(v, copy=True) for k, v in ds.kernel_arrays().items()}
    mf, ml = month_range("2020-01", "2020-12")
    return arrays, jobindsats.get_rules().kernel_rules()._asdict(), mf, ml


def _measure(arrays, rules, mf, ml, threads=1):
    return _core.measure_persons(
        arrays, rules, mf, ml, 0, arrays["person_ids"].shape[0], threads=threads
    )


def _measure_cells(arrays, rules, mf, ml, cells=None, threads=1):
    """The cells-only path (cpp/measure.hpp measure_cells): each block's rows are checked
    just before they are measured."""
    cells = _core.CellSink(mf.shape[0]) if cells is None else cells
    rows, quality = _core.measure_persons(
        arrays, rules, mf, ml, 0, arrays["person_ids"].shape[0], threads=threads,
        cells=cells, muni_slot=municipality_slots(),
        category_slot=category_slots(jobindsats.get_rules()), rows=False,
    )  # fmt: skip
    assert rows is None
    return quality


MEASURE_PATHS = [_measure, _measure_cells]


def test_valid_input_passes(inputs):
    rows, quality = _measure(*inputs)
    assert rows["person"].shape[0] == 12 + 2  # person 1: 12 months, person 2: Feb, Mar
    assert (_measure_cells(*inputs) == quality).all()


@pytest.mark.parametrize(
    ("array", "index", "value", "message"),
    [
        ("ben_off", 1, 5, "'ben_off' row 1: offsets must be non-decreasing and within the rows"),
        ("ben_off", 2, 1, "'ben_off' row 2: the last offset must be the number of rows"),
        ("ben_off", 0, 1, "'ben_off' row 0: the first offset must be 0"),
        ("iv_off", 1, -3, "'iv_off' row 1: offsets must be non-decreasing"),
        ("ben_benefit", 0, 99, "'ben_benefit' row 0: code outside 0..13"),
        ("ben_benefit", 1, -1, "'ben_benefit' row 1: code outside 0..13"),
        ("ben_start", 0, 200_000, "'ben_start' row 0: date outside 1900..2100"),
        ("ben_end", 0, 17_000, "'ben_start' row 0: end before start"),
        ("ben_hours", 0, np.nan, "'ben_hours' row 0: hours must be finite and >= 0"),
        ("iv_muni", 0, 1000, "'iv_muni' row 0: code outside 0..999"),
        ("iv_kind", 1, 7, "'iv_kind' row 1: code outside 0..2"),
        ("birth_date", 0, -30_000, "'birth_date' row 0: date outside 1900..2100"),
    ],
)
@pytest.mark.parametrize("measure", MEASURE_PATHS)
def test_input_breaking_the_contract_is_refused(inputs, array, index, value, message, measure):
    arrays, rules, mf, ml = inputs
    arrays[array][index] = value
    with pytest.raises(ValueError, match=re.escape(message)):
        measure(arrays, rules, mf, ml)


@pytest.fixture(scope="module")
def many_persons():
    """Kernel arrays of 2,000 generated persons: eight blocks of the kernel's 256."""
    from jobindsats.synth import generate_tables

    ds = jobindsats.Dataset.from_tables(**generate_tables(persons=2000, seed=5))
    return {k: np.array(v, copy=True) for k, v in ds.kernel_arrays().items()}


@pytest.mark.parametrize("threads", [1, 2])
def test_the_cells_path_names_the_first_offending_row_of_any_block(many_persons, threads):
    # faults in two late blocks: whichever block a thread checks first, the message names
    # the first offending row in person order, as the rows path does
    arrays = {k: v.copy() for k, v in many_persons.items()}
    rules = jobindsats.get_rules().kernel_rules()._asdict()
    mf, ml = month_range("2017-01", "2024-12")
    off = arrays["iv_off"]
    first, later = int(off[1300]), int(off[1900])
    assert off[1301] > first  # (persons with interviews)
    assert off[1901] > later
    arrays["iv_kind"][later] = 9
    arrays["iv_kind"][first] = 7
    message = f"'iv_kind' row {first}: code outside 0..2"
    with pytest.raises(ValueError, match=re.escape(message)):
        _measure(arrays, rules, mf, ml, threads=threads)
    cells = _core.CellSink(mf.shape[0])
    with pytest.raises(ValueError, match=re.escape(message)):
        _measure_cells(arrays, rules, mf, ml, cells=cells, threads=threads)
    # the sink may hold some blocks' rows: it refuses any further use
    for use in (
        lambda: cells.finish(1),
        cells.base_cells,
        lambda: _measure_cells(many_persons, rules, mf, ml, cells=cells),
    ):
        with pytest.raises(ValueError, match="holds part of the rows of a call that failed"):
            use()


def test_the_cells_path_adds_what_the_rows_path_adds(many_persons):
    rules = jobindsats.get_rules().kernel_rules()._asdict()
    mf, ml = month_range("2017-01", "2024-12")
    slots = (municipality_slots(), category_slots(jobindsats.get_rules()))
    with_rows = _core.CellSink(mf.shape[0])
    _, q_rows = _core.measure_persons(
        many_persons, rules, mf, ml, 0, 2000, threads=2, cells=with_rows, muni_slot=slots[0],
        category_slot=slots[1],
    )  # fmt: skip
    only = _core.CellSink(mf.shape[0])
    q_cells = _measure_cells(many_persons, rules, mf, ml, cells=only, threads=2)
    assert (q_rows == q_cells).all()
    assert np.array_equal(with_rows.base_cells(), only.base_cells())
    assert with_rows.base_cells().sum() > 0


@pytest.mark.parametrize("measure", MEASURE_PATHS)
def test_unsorted_rows_are_refused(inputs, measure):
    _, rules, mf, ml = inputs
    ds = dataset(
        benefits=[
            benefit("kontanthjaelp", "2019-01-01", "2019-12-31"),
            benefit("kontanthjaelp", "2020-01-01", "2020-12-31"),
        ]
    )
    a = {k: np.array(v, copy=True) for k, v in ds.kernel_arrays().items()}
    a["ben_start"][:] = a["ben_start"][::-1].copy()
    a["ben_end"][:] = a["ben_end"][::-1].copy()
    with pytest.raises(
        ValueError, match=re.escape("'ben_start' row 1: rows not sorted by (start, end)")
    ):
        measure(a, rules, mf, ml)


def test_a_column_of_another_length_is_refused(inputs):
    arrays, rules, mf, ml = inputs
    arrays["ben_hours"] = arrays["ben_hours"][:-1].copy()
    with pytest.raises(ValueError, match="'ben_off' must all have the length"):
        _measure(arrays, rules, mf, ml)


def test_months_out_of_order_are_refused(inputs):
    arrays, rules, mf, ml = inputs
    mf, ml = mf[::-1].copy(), ml[::-1].copy()
    with pytest.raises(ValueError, match="months must be increasing and disjoint"):
        _measure(arrays, rules, mf, ml)


def test_aggregation_refuses_rows_it_would_index_out_of_bounds(inputs):
    rows, _ = _measure(*inputs)
    mf = inputs[2]
    rules = jobindsats.get_rules()
    for field, value, message in [
        ("group", 50, "'group' row 0: group outside 0..8"),
        ("municipality", 1000, "'municipality' row 0: municipality outside 0..999"),
        ("interval", 13, "'interval' row 0: interval outside 0..12"),
        ("category", 9, "'category' row 0: category outside -1..3"),
        ("month", 12, "row month index outside the cells array"),
        # fuzz_check found this one: a negative count wrote before its cell (R40 adds a
        # row into measure min(counted, 5)); fuzz/regressions/fuzz_check/negative-counted
        ("counted", -1, "'counted' row 0: negative count of interviews"),
    ]:
        bad = {k: v.copy() for k, v in rows.items()}
        bad[field][0] = value
        with pytest.raises(ValueError, match=re.escape(message)):
            _core.aggregate_cells(
                bad, municipality_slots(), category_slots(rules), _core.CellSink(mf.shape[0])
            )
    slots = municipality_slots().copy()
    slots[101] = 100
    with pytest.raises(ValueError, match=re.escape("'muni_slot' row 101: slot outside 0..99")):
        _core.aggregate_cells(rows, slots, category_slots(rules), _core.CellSink(mf.shape[0]))
