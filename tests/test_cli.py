"""The command line as a user runs it: synth → validate → measure → explain, demo, errors."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jobindsats.cli import app
from jobindsats.schema import TABLES, arrow_schema

runner = CliRunner()


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pop")
    result = runner.invoke(
        app, ["synth", str(out), "--persons", "1500", "--seed", "3", "--start", "2018-01-01"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 1,500 persons" in result.output
    return out


def test_synth_writes_every_table_with_the_canonical_schema(population):
    for name in TABLES:
        schema = pq.read_schema(population / f"{name}.parquet")
        assert schema.names == arrow_schema(name).names, name
        assert [f.type for f in schema] == [f.type for f in arrow_schema(name)], name


def test_validate_reports_every_table(population):
    result = runner.invoke(app, ["validate", str(population)])
    assert result.exit_code == 0, result.output
    for name in TABLES:
        assert name in result.output
    assert "valid:" in result.output
    assert "benefit:string" in result.output  # column names with their types
    assert "overlapping benefit rows" in result.output


def test_measure_writes_cells_persons_and_quality(population, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["measure", str(population), "--from", "2023-01", "--to", "2023-06", "--out", str(out),
         "--backend", "cpp", "--threads", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cells = pq.read_table(out / "cells.parquet")
    persons = pq.read_table(out / "persons.parquet")
    quality = json.loads((out / "quality.json").read_text())
    assert cells.num_rows > 0
    assert persons.num_rows > 0
    assert quality["conserved"] is True
    assert quality["population"] == persons.num_rows
    assert sorted(set(cells.column("month").to_pylist()))[0].isoformat() == "2023-01-01"


def test_explain_prints_the_steps(population):
    persons = pq.read_table(population / "benefits.parquet").column("person_id")
    pid = persons[0].as_py()
    result = runner.invoke(
        app, ["explain", str(population), "--person", str(pid), "--month", "2023-03"]
    )
    assert result.exit_code == 0, result.output
    assert f"person {pid}, month 2023-03" in result.output
    assert "main benefit per day (R5)" in result.output


@pytest.mark.wheel
def test_demo_runs_the_main_job_and_prints_the_summary():
    result = runner.invoke(app, ["demo", "--persons", "3000"])
    assert result.exit_code == 0, result.output
    assert "share with fewer than 4 interviews" in result.output
    assert "Focus targets (R41), 2024-12" in result.output
    # R41: the mean over the twelve months m-11..m (all have 12+ persons in the demo)
    assert "│     12 │" in result.output
    assert "jobafklaring" in result.output  # group names are not cut on 80 columns
    assert "conservation (SPEC §8)" in result.output
    assert "✓" in result.output


@pytest.mark.wheel
def test_bad_data_is_one_clear_message_and_exit_status_2(tmp_path):
    bad = pa.table(
        {
            "person_id": pa.array([7], pa.int64()),
            "benefit": ["kontanthjaelp"],
            "start": pa.array([18400], pa.int32()).view(pa.date32()),
            "end": pa.array([18300], pa.int32()).view(pa.date32()),
        }
    )
    pq.write_table(bad, tmp_path / "benefits.parquet")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "error:" in result.output
    assert "benefits.end" in result.output
    assert "person_id=7" in result.output
    assert "Traceback" not in result.output


def test_debug_flag_shows_the_traceback(tmp_path):
    result = runner.invoke(app, ["--debug", "validate", str(tmp_path / "missing")])
    assert result.exit_code != 0
    assert result.exception is not None  # raised, not turned into a message


def test_a_bad_month_is_a_clear_error(population, tmp_path):
    result = runner.invoke(
        app,
        [
            "measure",
            str(population),
            "--from",
            "2023-13",
            "--to",
            "2023-01",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "error:" in result.output


def test_python_dash_m_entry_point_exists():
    import importlib.util

    assert importlib.util.find_spec("jobindsats.__main__") is not None
