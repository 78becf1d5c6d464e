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


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_fused_and_standalone_aggregation_agree(threads):
    ds = jobindsats.Dataset.from_tables(**generate_tables(1500, seed=8))
    arrays = ds.kernel_arrays()
    rules = jobindsats.get_rules()
    kr = rules.kernel_rules()
    mf, ml = month_range("2018-01", "2021-12")
    n = arrays["person_ids"].shape[0]
    cap = row_capacity(arrays, kr, mf, ml)
    fused = empty_cells(mf.shape[0])
    rows, _ = _core.measure_persons(
        arrays, kr._asdict(), mf, ml, 0, n, cap, threads,
        fused, municipality_slots(), category_slots(rules),
    )  # fmt: skip
    standalone = empty_cells(mf.shape[0])
    _core.aggregate_cells(rows, municipality_slots(), category_slots(rules), standalone, threads)
    assert fused.sum() > 0
    np.testing.assert_array_equal(fused, standalone)
    with pytest.raises(ValueError, match="cells must be"):
        _core.measure_persons(
            arrays, kr._asdict(), mf, ml, 0, n, cap, threads,
            empty_cells(mf.shape[0] + 1), municipality_slots(), category_slots(rules),
        )  # fmt: skip


def test_kernel_computes_the_same_rows_without_a_given_capacity():
    # the C++ driver's own row capacity (row_capacity in cpp/measure.cpp) and the NumPy
    # one (backend.row_capacity) size the buffers alike: identical rows either way
    ds = jobindsats.Dataset.from_tables(**generate_tables(800, seed=9))
    arrays = ds.kernel_arrays()
    kr = jobindsats.get_rules().kernel_rules()
    mf, ml = month_range("2016-06", "2024-12")
    n = arrays["person_ids"].shape[0]
    given, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n,
                                     row_capacity(arrays, kr, mf, ml), 2)  # fmt: skip
    own, _ = _core.measure_persons(arrays, kr._asdict(), mf, ml, 0, n, None, 2)
    assert given["person"].shape[0] > 1000
    for name, values in given.items():
        np.testing.assert_array_equal(own[name], values, err_msg=name)
