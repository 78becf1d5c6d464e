"""`jobindsats report` and `jobindsats plot` as a user runs them, on a small synthetic
population (2,000 persons, two years measured)."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import openpyxl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from jobindsats.cli import app
from jobindsats.report import SHEETS

runner = CliRunner()
CHARTS = ("municipality_bars", "national_series", "interview_distribution")


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pop")
    result = runner.invoke(
        app, ["synth", str(out), "--persons", "2000", "--seed", "4", "--start", "2021-01-01"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def measured(population, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("measured")
    result = runner.invoke(
        app,
        ["measure", str(population), "--from", "2023-01", "--to", "2024-12", "--out", str(out),
         "--threads", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def _flat(text: str) -> str:
    """Rich wraps long error lines at the terminal width."""
    return " ".join(text.split())


def _rows(path, sheet: str, **kwargs) -> list[tuple]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[sheet].iter_rows(values_only=True, **kwargs))
    finally:
        book.close()


def _notes(path) -> dict:
    return {r[0]: r[1] for r in _rows(path, "Noter") if r and r[0]}


def test_report_from_a_dataset_writes_workbook_charts_and_html(population, tmp_path):
    out = tmp_path / "rep" / "report.xlsx"
    result = runner.invoke(
        app,
        ["report", str(population), "--from", "2023-01", "--to", "2024-12", "--out", str(out),
         "--threads", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = [out, *(out.with_name(f"report_{c}{s}") for c in CHARTS for s in (".png", ".svg")),
                out.with_suffix(".html")]  # fmt: skip
    for path in expected:
        assert path.is_file(), path
        assert path.stat().st_size > 1000, path
        assert f"wrote {path}" in result.output
    assert "report for 2023-01..2024-12" in result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == list(SHEETS)
    book.close()
    notes = _notes(out)
    assert notes["Dataperiode"] == "2023-01..2024-12"
    assert notes["Regelsæt"] == "v1.73"
    png = out.with_name("report_national_series.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1000, 550)
    ET.parse(out.with_name("report_municipality_bars.svg"))
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert 'id="national-table"' in html


def test_report_from_a_measurement_directory(measured, tmp_path):
    out = tmp_path / "m.xlsx"
    result = runner.invoke(app, ["report", str(measured), "--out", str(out), "--month", "2024-06"])
    assert result.exit_code == 0, result.output
    notes = _notes(out)
    assert notes["Dataperiode"] == "2023-01..2024-12"
    assert notes["Rapportmåned (fokusmål)"] == "2024-06"
    assert notes["Kommunale ark (måneder)"] == "2023-07..2024-06"
    # a known value: national M2 and M4 of dagpenge, under 12, in the first row (2023-07)
    cells = pq.read_table(measured / "cells.parquet")
    want = cells.filter(
        pc.and_(
            pc.and_(pc.equal(cells["municipality"], 0), pc.equal(cells["group"], "dagpenge")),
            pc.equal(cells["interval"], "under12"),
        )
    ).to_pylist()
    want = next(r for r in want if f"{r['month']:%Y-%m}" == "2023-07")
    row = _rows(out, "M1-M5", min_row=3, max_row=3)[0]
    assert (f"{row[0]:%Y-%m}", row[1], row[2], row[3]) == ("2023-07", 0, "Hele landet", "Dagpenge")
    assert row[4 + 6] == want["persons"]
    assert row[4 + 8] == pytest.approx(want["share_lt4"])


def test_report_restricts_a_measurement_and_all_months(measured, tmp_path):
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["report", str(measured), "--from", "2024-01", "--to", "2024-06", "--all-months",
              "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _notes(out)["Dataperiode"] == "2024-01..2024-06"
    months = {f"{r[0]:%Y-%m}" for r in _rows(out, "M1-M5", min_row=3, max_col=1)}
    assert months == {f"2024-{k:02d}" for k in range(1, 7)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.xlsx"], "give the months to measure with --from and --to"),
        (["--from", "2023-01", "--to", "2023-02", "--out", "x.pdf"], ".xlsx workbook"),
    ],
)
def test_report_user_errors_exit_2(population, tmp_path, args, message):
    result = runner.invoke(app, ["report", str(population), *args])
    assert result.exit_code == 2
    assert message in _flat(result.output)


def test_report_month_outside_the_measurement_exits_2(measured, tmp_path):
    result = runner.invoke(
        app, ["report", str(measured), "--from", "2022-01", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 2
    assert "covers 2023-01..2024-12" in _flat(result.output)
    result = runner.invoke(app, ["report", str(tmp_path / "nowhere"), "--out", "x.xlsx"])
    assert result.exit_code == 2
    assert "neither a dataset nor a measurement directory" in _flat(result.output)


def test_plot_each_kind(measured, tmp_path):
    runs = {
        "municipalities": ["--group", "dagpenge", "--month", "2024-03"],
        "series": ["--measure", "persons", "--interval", "under12"],
        "distribution": ["--municipality", "101"],
    }
    for kind, extra in runs.items():
        for suffix in (".png", ".svg"):
            out = tmp_path / f"{kind}{suffix}"
            result = runner.invoke(app, ["plot", kind, str(measured), "--out", str(out), *extra])
            assert result.exit_code == 0, (kind, result.output)
            assert out.stat().st_size > 1000
            assert f"wrote {out}" in result.output
    assert ET.parse(tmp_path / "series.svg").getroot().tag.endswith("svg")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pie", "--out", "x.png"], "unknown chart 'pie'"),
        (["series", "--out", "x.gif"], ".png or .svg"),
        (["municipalities", "--out", "x.png", "--measure", "m9"], "unknown measure 'm9'"),
        (["municipalities", "--out", "x.png", "--month", "2030-01"], "2030-01 is not in"),
    ],
)
def test_plot_user_errors_exit_2(measured, tmp_path, args, message):
    kind, *rest = args
    result = runner.invoke(app, ["plot", kind, str(measured), *rest])
    assert result.exit_code == 2, result.output
    assert message in _flat(result.output)
