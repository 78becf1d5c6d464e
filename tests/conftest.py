"""Shared fixtures: the ``backend`` parameter and the dataset builders.

pytest runs with ``--import-mode=importlib`` (pyproject), which does not put ``tests/`` on
``sys.path``; we add it so that test modules can ``import builders``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import builders  # noqa: E402

BACKENDS = ("cpp", "numba")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Every engine test runs on both kernels; the C++ one only when it is built."""
    if request.param == "cpp":
        try:
            importlib.import_module("jobindsats._core")
        except ImportError as exc:
            pytest.skip(f"C++ core jobindsats._core is not built: {exc}")
    return request.param


@pytest.fixture
def build():
    """The :mod:`builders` module, for tests that prefer a fixture to an import."""
    return builders


# --- hypothesis profiles ----------------------------------------------------------------
# "ci" (the default) keeps the property tests quick; "soak" is for long local runs:
#   HYPOTHESIS_PROFILE=soak python -m pytest tests/test_properties.py
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "soak", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# On a failing example the hypothesis pytest plugin imports hypothesis.extra._patching
# (libcst), whose import emits a DeprecationWarning from mypy_extensions; with
# filterwarnings = error that turns every hypothesis failure into a pytest INTERNALERROR
# that hides the falsifying example. Import it once here with that warning silenced.
# (Without libcst the plugin skips its patches itself: ImportError is fine.)
import contextlib  # noqa: E402
import warnings  # noqa: E402

with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401


@pytest.fixture
def decoding_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, for every table scan read batch by batch, whether its Parquet was decoded
    on pyarrow's thread pool (``TableScan.batches(use_threads=...)``)."""
    from jobindsats import io

    seen: list[bool] = []
    batches = io.TableScan.batches

    def recording(self: io.TableScan, use_threads: bool = True):  # type: ignore[no-untyped-def]
        seen.append(use_threads)
        return batches(self, use_threads)

    monkeypatch.setattr(io.TableScan, "batches", recording)
    return seen
