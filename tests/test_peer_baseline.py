"""The peer baseline (``benchmarks/peer_baseline.py``, DuckDB SQL) computes exactly the
engine's cells for the groups it covers, on a small synthetic population."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import jobindsats
from compare import first_difference
from jobindsats.synth import synthesize

pytest.importorskip("duckdb")

PEER = Path(__file__).resolve().parents[1] / "benchmarks" / "peer_baseline.py"


def _load_peer():
    spec = importlib.util.spec_from_file_location("peer_baseline", PEER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("peer") / "pop"
    synthesize(out, persons=3000, seed=1, start="2016-01-01", end="2024-12-31")
    return out


@pytest.mark.parametrize(("start", "end"), [("2018-01", "2021-12"), ("2022-01", "2024-12")])
def test_peer_equals_engine(population: Path, start: str, end: str) -> None:
    """2018–2021 has the COVID rules (R14, R22 b); 2022–2024 the 6-month remote rule
    (R22 c), the first-interview rule (R22, 2023-03-22), R24 and R32."""
    peer = _load_peer()
    got = peer.peer_cells(population, start, end, threads=2)
    expected = peer.engine_cells(jobindsats.measure(population, start, end).cells)
    assert got.num_rows > 1000
    assert set(got["group"].to_pylist()) == set(peer.COVERED)
    assert got.equals(expected), first_difference(
        got, expected, ["month", "municipality", "group", "interval"]
    )


def test_peer_subset_of_groups(population: Path) -> None:
    peer = _load_peer()
    groups = ("kontanthjaelp", "uddannelseshjaelp")
    got = peer.peer_cells(population, "2023-01", "2023-12", groups=groups)
    expected = peer.engine_cells(jobindsats.measure(population, "2023-01", "2023-12").cells, groups)
    assert got.equals(expected), first_difference(
        got, expected, ["month", "municipality", "group", "interval"]
    )
    with pytest.raises(ValueError, match="does not cover"):
        peer.peer_cells(population, "2023-01", "2023-12", groups=("dagpenge",))
