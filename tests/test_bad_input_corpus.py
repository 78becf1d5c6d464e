"""The bad-input corpus (issue 18, SPEC §8): every malformed dataset of
:mod:`bad_input_cases` fails the same way in memory, from Parquet and on the command line.

For each case: ``Dataset.from_tables`` raises the exact error class, naming the table, the
column and the offending rows (person id and values); ``read_dataset`` on the same tables
written as Parquet raises the same message; ``jobindsats validate`` and ``jobindsats
measure`` exit with status 2 and print exactly ``error: <that message>`` on one line of
stderr, without a traceback, and ``measure`` leaves nothing behind.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import jobindsats
from bad_input_cases import CASES, REQUIRED, Case, D, valid_tables, with_row
from jobindsats import errors
from jobindsats.cli import app
from jobindsats.dataset import Dataset, read_dataset

runner = CliRunner()


def test_the_corpus_has_at_least_40_distinct_cases() -> None:
    assert len({case.id for case in CASES}) == len(CASES) >= 40
    missing = {(c.table, c.column) for c in CASES if c.id.startswith("missing-")}
    assert missing == {(t, col) for t, cols in REQUIRED.items() for col in cols}


def expect_message(case: Case, exc: Exception) -> str:
    """The error is of the case's class, names its table and column, and shows the rows."""
    assert type(exc) is getattr(errors, case.error)
    assert (exc.table, exc.column) == (case.table, case.column)  # type: ignore[attr-defined]
    message = str(exc)
    where = case.table if case.column is None else f"{case.table}.{case.column}"
    assert message.startswith(f"{where}: "), message
    for piece in case.shows:
        assert piece in message, (piece, message)
    return message


def write_dataset(tables: dict, path) -> None:
    path.mkdir()
    for name, table in tables.items():
        pq.write_table(table, path / f"{name}.parquet")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_dataset(case: Case, tmp_path) -> None:
    with pytest.raises(Exception) as in_memory:  # noqa: PT011 - the class is checked below
        Dataset.from_tables(**case.make())
    message = expect_message(case, in_memory.value)
    if not case.on_disk:
        return
    data = tmp_path / "data"
    write_dataset(case.make(), data)
    with pytest.raises(Exception) as from_parquet:  # noqa: PT011
        read_dataset(data)
    assert expect_message(case, from_parquet.value) == message
    out = tmp_path / "out"
    for args in (
        ["validate", str(data)],
        ["measure", str(data), "--from", "2020-01", "--to", "2020-02", "--out", str(out)],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args[0], result.output)
        assert result.stderr == f"error: {message}\n", args[0]
        assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no output, no temp file


# --- legal input that looks odd: measured, and measured right ------------------------------


def _measure(tables: dict, backend: str = "cpp") -> jobindsats.Measurement:
    return jobindsats.measure(Dataset.from_tables(**tables), "2020-01", "2020-02", backend=backend)


def _renumbered(tables: dict, ids: dict[int, int]) -> dict:
    out = {}
    for name, t in tables.items():
        new = [ids[p] for p in t.column("person_id").to_pylist()]
        out[name] = t.set_column(0, "person_id", pa.array(new, pa.int64()))
    return out


@pytest.mark.parametrize(
    "ids", [{1: -(2**62), 2: 2**53 + 1}, {1: -(2**63), 2: 2**63 - 1}], ids=["2^53+1", "int64-edges"]
)
@pytest.mark.parametrize("backend", ["cpp", "numba"])
def test_ids_above_2_53_and_negative_ids_are_measured_exactly(backend: str, ids: dict) -> None:
    """Decision: SPEC §2 makes person_id int64, so every int64 is a valid id, negative or
    not. Ids that float64 cannot hold (2^53 + 1) are kept exactly: the result equals that
    of the same persons under the ids 1 and 2, bit for bit, with only the ids changed."""
    small = valid_tables()
    expected, got = _measure(small, backend), _measure(_renumbered(small, ids), backend)
    assert got.cells.equals(expected.cells)
    assert got.quality == expected.quality
    assert got.persons.column("person_id").to_pylist() == [
        ids[p] for p in expected.persons.column("person_id").to_pylist()
    ]
    assert got.persons.drop_columns(["person_id"]).equals(
        expected.persons.drop_columns(["person_id"])
    )


def test_an_id_that_float64_cannot_hold_is_named_exactly_in_messages() -> None:
    tables = with_row("benefits", start=None)
    ids = pa.array([1, 2, 2**53 + 1], pa.int64())
    tables["benefits"] = tables["benefits"].set_column(0, "person_id", ids)
    with pytest.raises(jobindsats.InputError, match=r"person_id=9007199254740993 start=null"):
        Dataset.from_tables(**tables)


def test_an_empty_benefits_table_is_an_empty_measurement_with_its_quality_report(
    tmp_path,
) -> None:
    """Decision: a dataset whose tables hold no rows is valid (SPEC §2 says nothing
    against it, and a month without anyone is a fact to report, not an error); the
    measurement has no cells and a quality report of zeros that is conserved. Without a
    ``benefits`` table at all it is an error (test_bad_input_files)."""
    empty = {name: t.slice(0, 0) for name, t in valid_tables().items()}
    m = _measure(empty)
    assert m.cells.num_rows == 0
    assert m.persons.num_rows == 0
    assert m.quality["population"] == 0
    assert m.quality["conserved"] is True
    write_dataset(empty, tmp_path / "data")
    assert runner.invoke(app, ["validate", str(tmp_path / "data")]).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["measure", str(tmp_path / "data"), "--from", "2020-01", "--to", "2020-01",
              "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "0 person-months" in result.stdout
    assert pq.read_table(out / "cells.parquet").num_rows == 0


def test_the_edges_of_the_date_range_are_valid() -> None:
    ds = Dataset.from_tables(**with_row("mii", start=D("1900-01-01"), end=D("2100-12-31")))
    assert ds.summary()[5]["min_date"] == "1900-01-01"
    assert ds.summary()[5]["max_date"] == "2100-12-31"
