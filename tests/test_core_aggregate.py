"""The compiled module's two ways to R40 cells agree: rows added in the kernel threads
as they are made (measure_persons with a cells sink) and the standalone aggregate_cells
over the returned rows."""

from __future__ import annotations

import numpy as np
import pytest

import jobindsats
from jobindsats.kernels.backend import empty_cells, row_capacity
from jobindsats.measure import category_slots, month_range, municipality_slots
from jobindsats.synth import generate_tables

_core = pytest.importorskip("jobindsats._core")


@pytest.mark.wheel
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_fused_and_standalone_aggregation_agree(threads):
    ds = jobindsats.Dataset.from_tables(**generate_tables(1500, seed=8))
    arrays = ds.kernel_arrays()
    rules = jobindsats.get_rules()
    kr = rules.kernel_rules()
    mf, ml = month_range("2018-01", "2021-12")
    n = arrays["person_ids"].shape[0]
    cap = row_capacity(arrays, kr, mf, ml)
    fused = _core.CellSink(mf.shape[0])
    rows, _ = _core.measure_persons(
        arrays, kr._asdict(), mf, ml, 0, n, cap, threads,
        fused, municipality_slots(), category_slots(rules),
    )  # fmt: skip
    standalone = _core.CellSink(mf.shape[0])
    _core.aggregate_cells(rows, municipality_slots(), category_slots(rules), standalone, threads)
    assert fused.base_cells().sum() > 0
    np.testing.assert_array_equal(fused.base_cells(), standalone.base_cells())
    with pytest.raises(ValueError, match="cells has 49 months, the run 48"):
        _core.measure_persons(
            arrays, kr._asdict(), mf, ml, 0, n, cap, threads,
            _core.CellSink(mf.shape[0] + 1), municipality_slots(), category_slots(rules),
        )  # fmt: skip
    with pytest.raises(TypeError, match=r"cells must be a jobindsats\._core\.CellSink"):
        _core.measure_persons(
            arrays, kr._asdict(), mf, ml, 0, n, cap, threads,
            empty_cells(mf.shape[0]), municipality_slots(), category_slots(rules),
        )  # fmt: skip


def _kernel_inputs(persons: int, seed: int, start: str, end: str):
    """Kernel arrays of a synthetic population, the kernel rules, the month bounds of
    start..end and the number of persons."""
    ds = jobindsats.Dataset.from_tables(**generate_tables(persons, seed=seed))
    arrays = ds.kernel_arrays()
    mf, ml = month_range(start, end)
    return arrays, jobindsats.get_rules().kernel_rules(), mf, ml, arrays["person_ids"].shape[0]


@pytest.mark.wheel
def test_kernel_computes_the_same_rows_without_a_given_capacity():
    # the C++ driver's own row capacity (row_capacity in cpp/measure.cpp) and the NumPy
    # one (backend.row_capacity) size the buffers alike: identical rows either way
    arrays, kr, mf, ml, n = _kernel_inputs(800, 9, "2016-06", "2024-12")
    given, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n,
                                     row_capacity(arrays, kr, mf, ml), 2)  # fmt: skip
    own, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, 2)
    assert given["person"].shape[0] > 1000
    for name, values in given.items():
        np.testing.assert_array_equal(own[name], values, err_msg=name)


@pytest.mark.wheel
@pytest.mark.parametrize("threads", [1, 2])
def test_labelled_rows_carry_person_ids_and_month_starts(threads):
    # labels=True (the R47 table's rows, backend.run_kernel): the same rows, the person
    # index replaced by the person's id and the month index by the month's first day, in
    # place; the rest unchanged
    arrays, kr, mf, ml, n = _kernel_inputs(600, 12, "2018-01", "2023-12")
    arrays["person_ids"] = arrays["person_ids"] * 7 + 1000  # ids unlike their indices
    plain, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads)
    labelled, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads,
                                        labels=True)  # fmt: skip
    assert plain["person"].shape[0] > 1000
    assert set(labelled) == set(plain) - {"person", "month"} | {"person_id", "month_start"}
    np.testing.assert_array_equal(labelled["person_id"], arrays["person_ids"][plain["person"]])
    np.testing.assert_array_equal(labelled["month_start"], mf[plain["month"]])
    for name in set(plain) - {"person", "month"}:
        np.testing.assert_array_equal(labelled[name], plain[name], err_msg=name)


def test_kernel_refuses_month_bounds_of_different_lengths_before_sizing_rows():
    # checked before the driver sizes the row buffers from month_last (which would read
    # past a shorter array)
    arrays, kr, mf, ml, n = _kernel_inputs(20, 3, "2019-01", "2019-12")
    with pytest.raises(ValueError, match="same length"):
        _core.measure_persons(arrays, kr._asdict(), mf, ml[:3], 0, n)
    with pytest.raises(ValueError, match="outside the dataset"):
        _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n + 1)


def _every_cell_reference(rows, n_months):
    """R40 the long way: each kept row added into all its cells (own municipality and
    national x group, category breakdown and all x fine and summary interval)."""
    from jobindsats.kernels import cells as A

    rules = jobindsats.get_rules()
    muni, cat_slot = municipality_slots(), category_slots(rules)
    cells = empty_cells(n_months)
    for i in np.flatnonzero(rows["excluded"] == 0):
        g, c, iv = int(rows["group"][i]), int(rows["category"][i]), int(rows["interval"][i])
        ivs = (
            (iv, A.UNDER12_SLOT)
            if iv < 12
            else (A.TWELVE_PLUS_SLOT, A.FIRST_BAND_SLOT + rows["band"][i])
        )
        groups = [g, A.ALL_GROUP_SLOT] + ([cat_slot[g] + c] if c >= 0 and cat_slot[g] >= 0 else [])
        k = int(rows["counted"][i])
        exempt = bool(rows["exempt"][i])
        for mu in (muni[rows["municipality"][i]], 0):
            for gs in groups:
                for s in ivs:
                    cell = cells[rows["month"][i], mu, gs, s]
                    cell[A.EXEMPT_MEASURE if exempt else min(k, 5)] += 1
                    cell[A.INTERVIEWS_MEASURE] += 0 if exempt else k
                    for f in range(A.N_ACTIVITY_BITS):
                        cell[A.FIRST_ACTIVITY_MEASURE + f] += (int(rows["activity"][i]) >> f) & 1
    return cells


@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_base_cells_completed_equal_every_row_in_all_its_cells(backend):
    # R40: the kernels add a row to its base cells only; complete_cells adds the summaries
    # (under 12, 12+, all, national). Held to a plain row-by-row reference.
    from jobindsats.kernels.backend import base_cells, run_kernel
    from jobindsats.kernels.cells import complete_cells

    ds = jobindsats.Dataset.from_tables(**generate_tables(400, seed=11))
    rules = jobindsats.get_rules()
    mf, ml = month_range("2019-01", "2022-12")
    kept = []
    result = run_kernel(backend, ds.kernel_arrays(), rules.kernel_rules(), mf, ml,
                        municipality_slots(), category_slots(rules), 2, kept.append)  # fmt: skip
    rows = {k: np.concatenate([r[k] for r in kept]) for k in kept[0]}
    rows["month"] = np.searchsorted(mf, rows["month_start"])  # (on_rows: labelled rows)
    np.testing.assert_array_equal(mf[rows["month"]], rows["month_start"])
    cells = base_cells(backend, result["cells"])
    assert cells[:, 0].sum() == 0  # nothing national before completion
    complete_cells(cells)
    reference = _every_cell_reference(rows, mf.shape[0])
    assert reference[:, 0, 21, 12, :6].sum() > 1000  # national, all groups, under 12
    assert (rows["category"] >= 0).any()
    assert (rows["interval"] == 12).any()
    np.testing.assert_array_equal(cells, reference)


@pytest.mark.parametrize(("n", "threads"), [(5000, 1), (5000, 2), (200_001, 2), (200_001, 3)])
def test_gather_cells_equals_the_numpy_gather(n, threads):
    # 200,001 cells: split over the threads (one per 65,536 cells at most), uneven parts
    from jobindsats.kernels.backend import gather_cells

    rng = np.random.default_rng(5)
    cells = empty_cells(6)  # 237,600 cells
    flat = cells.reshape(-1, cells.shape[-1])
    index = np.sort(rng.choice(flat.shape[0], n, replace=False))
    flat[index] = rng.integers(0, 1000, (index.shape[0], flat.shape[1]))
    got = gather_cells("cpp", cells, index, threads)
    assert got.shape == (15, n)
    assert got.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(got, gather_cells("numba", cells, index))
    with pytest.raises(ValueError, match="out of range"):
        gather_cells("cpp", cells, np.array([flat.shape[0]], np.int64))
    with pytest.raises(ValueError, match="at least 1"):
        gather_cells("cpp", cells, index, 0)


@pytest.mark.parametrize(
    ("threads", "months"), [(1, "2019-01"), (2, "2019-06"), (3, "2019-07"), (8, "2019-03")]
)
def test_cell_sink_finish_equals_complete_occupied_gather(threads, months):
    # R40: the CellSink (one cache line a cell, int32 person counts) finished one month
    # at a time (summaries, occupied cells, their counts) against the dense int64 array
    # of the same rows completed by NumPy's complete_cells, occupied_cells and gather.
    from jobindsats.kernels import cells as C
    from jobindsats.kernels.backend import finish_cells, gather_cells, occupied_cells

    arrays, kr, mf, ml, n = _kernel_inputs(600, 4, "2018-11", months)
    rules = jobindsats.get_rules()
    sink = _core.CellSink(mf.shape[0])
    _rows, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads,
                                    sink, municipality_slots(), category_slots(rules))  # fmt: skip
    expected = sink.base_cells()
    assert expected[:, 0].sum() == 0
    assert expected.sum() > 0
    C.complete_cells(expected)
    index = occupied_cells("numba", expected)
    counts = gather_cells("numba", expected, index)
    got_index, got_counts = finish_cells("cpp", sink, threads)
    np.testing.assert_array_equal(got_index, index)
    np.testing.assert_array_equal(got_counts, counts)
    assert got_counts.shape == (C.N_MEASURES, index.shape[0])
    assert (got_counts[C.INTERVIEWS_MEASURE] > 0).any()
    assert (got_counts[8:] > 0).any()
    # the sink is unchanged by finish: a second finish gives the same
    again_index, again_counts = sink.finish(threads)
    np.testing.assert_array_equal(again_index, index)
    np.testing.assert_array_equal(again_counts, counts)
    with pytest.raises(ValueError, match="at least 1"):
        sink.finish(0)
    with pytest.raises(ValueError, match="at least one month"):
        _core.CellSink(0)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_cells_only_run_adds_the_same_cells_without_rows(threads):
    # rows=False: no compaction, no row arrays handed back; the slots a person left unused
    # (the row capacity is an upper bound) must land nowhere.
    arrays, kr, mf, ml, n = _kernel_inputs(900, 12, "2018-06", "2021-05")
    rules = jobindsats.get_rules()
    with_rows, only = _core.CellSink(mf.shape[0]), _core.CellSink(mf.shape[0])
    rows, q_rows = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads,
                                         with_rows, municipality_slots(), category_slots(rules))  # fmt: skip
    none, q_only = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads,
                                         only, municipality_slots(), category_slots(rules),
                                         rows=False)  # fmt: skip
    assert none is None
    cap = row_capacity(arrays, kr, mf, ml)
    assert cap.sum() > rows["person"].shape[0]  # some slots are left unused
    np.testing.assert_array_equal(only.base_cells(), with_rows.base_cells())
    np.testing.assert_array_equal(q_only, q_rows)
    with pytest.raises(ValueError, match="rows=False needs cells"):
        _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, threads, rows=False)
