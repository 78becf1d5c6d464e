"""Outputs appear whole or not at all (issue 18, :mod:`jobindsats.atomic`).

A failure injected in the middle of writing (an exception, or Ctrl-C) leaves no file
under the final name, no temporary file, and an earlier file of that name as it was;
for every writer the CLI and API use: the measurement's files, rule files, the
workbook, the charts and the HTML summary.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

import jobindsats
from bad_input_cases import valid_tables
from jobindsats import OutputError, atomic


class Boom(Exception):
    pass


def half_then(error: BaseException):
    """A writer that writes half a file, then fails with ``error``."""

    def write(tmp: Path) -> None:
        tmp.write_bytes(b"half a file")
        raise error

    return write


@pytest.mark.parametrize("error", [Boom("disk"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_a_failed_write_leaves_nothing_and_keeps_the_earlier_file(tmp_path, error) -> None:
    final = tmp_path / "cells.parquet"
    with pytest.raises(type(error)):
        atomic.write_file(final, half_then(error))
    assert list(tmp_path.iterdir()) == []
    final.write_bytes(b"earlier run")
    with pytest.raises(type(error)):
        atomic.write_file(final, half_then(error))
    assert list(tmp_path.iterdir()) == [final]
    assert final.read_bytes() == b"earlier run"


def test_a_write_appears_whole_and_its_temporary_file_is_hidden(tmp_path) -> None:
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_text("whole")

    out = atomic.write_file(tmp_path / "sub" / "run.json", write)
    assert out.read_text() == "whole"
    assert seen[0].parent == out.parent  # same directory: os.replace is atomic
    assert seen[0].name.startswith(".run.json.")
    assert sorted(p.name for p in out.parent.iterdir()) == ["run.json"]


@pytest.mark.parametrize("error", [Boom("disk"), KeyboardInterrupt()], ids=["error", "ctrl-c"])
def test_a_set_of_files_appears_together_or_not_at_all(tmp_path, error) -> None:
    (tmp_path / "cells.parquet").write_text("earlier")
    (tmp_path / "persons.parquet").write_text("earlier")
    writers = {
        "cells.parquet": lambda tmp: tmp.write_text("new"),
        "quality.json": half_then(error),
        "run.json": lambda tmp: tmp.write_text("new"),
    }
    with pytest.raises(type(error)):
        atomic.write_files(tmp_path, writers, remove=["persons.parquet"])
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "cells.parquet": "earlier",
        "persons.parquet": "earlier",
    }
    writers["quality.json"] = lambda tmp: tmp.write_text("new")
    atomic.write_files(tmp_path, writers, remove=["persons.parquet"])
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == dict.fromkeys(writers, "new")


def test_file_system_errors_are_output_errors_naming_the_path(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match=r"cannot write .*file/out\.json: File exists \(.*file\)"):
        atomic.write_text(tmp_path / "file" / "out.json", "{}")


@pytest.fixture(scope="module")
def measurement() -> jobindsats.Measurement:
    ds = jobindsats.Dataset.from_tables(**valid_tables())
    return jobindsats.measure(ds, "2020-01", "2020-02", backend="cpp")


def test_a_measurement_that_fails_half_way_writes_nothing(tmp_path, measurement, monkeypatch):
    """The persons table fails to write after the cells were written: no file appears,
    not even cells.parquet, and no temporary file is left."""
    real = pq.write_table

    def failing(table, where, *args, **kwargs):
        if table is measurement.persons:
            Path(where).write_bytes(b"PAR1 half")
            raise KeyboardInterrupt
        return real(table, where, *args, **kwargs)

    monkeypatch.setattr(pq, "write_table", failing)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        measurement.write(out)
    assert list(out.iterdir()) == []
    monkeypatch.setattr(pq, "write_table", real)
    measurement.write(out)
    assert pq.read_table(out / "persons.parquet").equals(measurement.persons)


def test_rule_files_are_written_atomically(tmp_path, monkeypatch) -> None:
    rs = jobindsats.get_rules("v1.73")
    path = rs.dump(tmp_path / "mine.toml")
    before = path.read_bytes()
    monkeypatch.setattr(type(rs), "to_toml", lambda self: (_ for _ in ()).throw(Boom("x")))
    with pytest.raises(Boom):
        rs.dump(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]


def test_a_workbook_that_fails_half_way_leaves_the_earlier_one(tmp_path, measurement, monkeypatch):
    from jobindsats.report import workbook

    out = workbook.write_workbook(measurement, tmp_path / "report.xlsx")
    before = out.read_bytes()

    def late_failure(*args, **kwargs):
        raise Boom("late sheet")

    monkeypatch.setattr(workbook, "_sheet_notes", late_failure)
    with pytest.raises(Boom):
        workbook.write_workbook(measurement, out)
    assert out.read_bytes() == before  # earlier workbook intact (it used to be deleted)
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_chart_that_fails_half_way_leaves_nothing(tmp_path) -> None:
    from matplotlib.figure import Figure

    from jobindsats.report import charts

    fig = Figure()

    def savefig(where, **kwargs):
        Path(where).write_bytes(b"\x89PNG half")
        raise Boom("render")

    fig.savefig = savefig  # type: ignore[method-assign]
    with pytest.raises(Boom):
        charts.save(fig, tmp_path / "chart.png")
    assert list(tmp_path.iterdir()) == []


def test_the_html_summary_is_replaced_whole(tmp_path, measurement, monkeypatch) -> None:
    from jobindsats.report import html

    out = html.write_html(measurement, tmp_path / "report.html", charts={})
    assert out.read_text(encoding="utf-8").lstrip().startswith("<!")
    written = []
    real = atomic.write_text
    monkeypatch.setattr(atomic, "write_text", lambda p, t: written.append(p) or real(p, t))
    html.write_html(measurement, out, charts={})
    assert written == [out]  # through the atomic writer
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("buckets", [None, 2])
def test_an_interrupted_synth_leaves_no_partial_population(tmp_path, monkeypatch, buckets):
    """Ctrl-C after the first chunk was written: no table file appears (closed early, it
    would read as a valid, smaller population), and no temporary file is left."""
    from jobindsats import synth

    real, calls = synth._write_parts, []

    def interrupted(*args):
        calls.append(1)
        if len(calls) > len(synth.TABLE_ORDER):  # the second chunk
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(synth, "_write_parts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        synth.synthesize(tmp_path / "pop", 300, 1, chunk_persons=100, buckets=buckets)
    assert [p for p in (tmp_path / "pop").rglob("*") if p.is_file()] == []
