"""A quick end-to-end check for an installed wheel (marker ``wheel``): the compiled
kernel gives SPEC §10's G1 result, and the Python API and the compiled module are the
same version. Hand-computed values: tests/test_examples.py (G1)."""

from __future__ import annotations

import pytest

from builders import D, benefit, cell, dataset, interview, one_row, run

pytestmark = pytest.mark.wheel


def test_G1_december_2020_on_the_compiled_kernel():
    pytest.importorskip("jobindsats._core")
    ds = dataset(
        benefits=[benefit("kontanthjaelp", "2019-01-01", "2020-12-31")],
        interviews=[interview(d) for d in ("2019-06-19", "2020-01-10", "2020-03-12", "2020-06-02")],
    )
    m = run(ds, "2020-12", backend="cpp")
    row = one_row(m, "2020-12", "kontanthjaelp")
    assert row["reference_date"] == D("2020-12-31")
    assert row["duration_days"] == 608  # 365 + 365 - 122 COVID dead days (R11, R14)
    assert row["interval"] == "12+"
    assert row["counted"] == 2  # 2020-01-10, 2020-06-02 (R20, R14: 2020-03-12 never)
    c = cell(m, "2020-12", "kontanthjaelp", "12+")
    assert c is not None
    assert (c["n2"], c["persons"], c["lt4"], c["interviews"]) == (1, 1, 1, 2)


def test_compiled_module_matches_the_package_version():
    core = pytest.importorskip("jobindsats._core")
    import jobindsats

    assert core.__version__ == jobindsats.__version__
