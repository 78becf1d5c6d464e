"""The small measurement the report tests (workbook, charts, HTML) read."""

from __future__ import annotations

import importlib

import jobindsats
from jobindsats.synth import generate_tables


def available_backend() -> str:
    """``cpp`` when the compiled module is built, else the Numba twin."""
    try:
        importlib.import_module("jobindsats._core")
    except ImportError:
        return "numba"
    return "cpp"


def report_measurement(seed: int) -> jobindsats.Measurement:
    """2,000 synthetic persons over 2021–2024, measured for 2023-01..2024-12."""
    tables = generate_tables(2000, seed, start="2021-01-01", end="2024-12-31")
    data = jobindsats.Dataset.from_tables(**tables)
    return jobindsats.measure(data, "2023-01", "2024-12", backend=available_backend(), threads=1)
