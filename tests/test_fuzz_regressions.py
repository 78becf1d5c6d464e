"""Inputs the fuzz targets (fuzz/, docs/hardening.md) found, as tests of the public API on
both backends. Their byte forms are in fuzz/regressions/<target>/ (replayed by ctest)."""

from __future__ import annotations

from builders import benefit, cell, dagpenge_period, dataset, one_row, run


def test_huge_finite_hours_give_12_plus_in_the_top_band(backend):
    # fuzz_check: hours of 1e300 pass SPEC §8 (finite, >= 0), but R12's count of months
    # (hours / 160.33) overflowed the conversion to an integer: undefined behaviour in
    # C++, a wrong interval in Numba. The count is capped (duration.cpp/py MONTHS_CAP):
    # any count from 12 months on is 12+, and from the last band edge the top band.
    ds = dataset(
        benefits=[benefit("dagpenge", "2023-01-01", "2023-12-31", hours=1e300)],
        dagpenge_periods=[dagpenge_period("2023-01-01")],
    )
    m = run(ds, "2023-06", backend=backend)
    row = one_row(m, "2023-06", "dagpenge")
    assert row["duration_hours"] > 1e299  # the hours themselves are reported as they are
    assert row["interval"] == "12+"
    top_band = cell(m, "2023-06", "dagpenge", "10y+")
    assert top_band is not None
    assert top_band["persons"] == 1
