"""Charts (jobindsats.report.charts): what is drawn, and the PNG/SVG files."""

from __future__ import annotations

import datetime as dt
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from matplotlib.figure import Figure

from jobindsats.report import charts
from jobindsats.report.cells import select
from jobindsats.report.labels import FOCUS_LINE
from report_data import report_measurement

LAST = dt.date(2024, 12, 1)


@pytest.fixture(scope="module")
def measurement():
    return report_measurement(11)


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def _pixels(fig: Figure) -> tuple[int, int]:
    w, h = fig.get_size_inches() * fig.dpi
    return round(w), round(h)


def test_municipality_bars_sorted_with_national_and_focus_lines(measurement):
    fig = charts.municipality_bars(measurement)
    ax = fig.axes[0]
    cells = select(measurement.cells, month=LAST, group="all", interval="12+").to_pylist()
    expected = {
        r["municipality"]: r["share_lt4"]
        for r in cells
        if r["municipality"] not in (0, 999) and r["share_lt4"] is not None
    }
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top to bottom
    widths = [b.get_width() for b in bars]
    assert len(bars) == len(expected)
    assert widths == sorted(widths, reverse=True)
    assert sorted(widths) == pytest.approx(sorted(expected.values()))
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert "København" in names or "Aarhus" in names  # municipalities by name
    national = next(r["share_lt4"] for r in cells if r["municipality"] == 0)
    vlines = {ln.get_label(): ln.get_xdata()[0] for ln in ax.get_lines()}
    assert vlines[next(k for k in vlines if k.startswith("Hele landet"))] == pytest.approx(national)
    assert vlines["Fokusmål: under 20 %"] == FOCUS_LINE
    red = [b for b in bars if b.get_facecolor()[0] > 0.6]  # at or above 20 %: red
    assert all(b.get_width() >= FOCUS_LINE for b in red)
    assert "2024-12" in ax.get_title(loc="left")


def test_municipality_bars_of_a_count_measure_have_no_focus_line(measurement):
    fig = charts.municipality_bars(measurement, "2024-06", group="dagpenge", measure="persons")
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert not any(lab.startswith("Fokusmål") for lab in labels)
    assert "Personer (M2)" in fig.axes[0].get_title(loc="left")


def test_national_series_one_line_per_group_with_the_cells(measurement):
    fig = charts.national_series(measurement)
    lines = {ln.get_label(): ln for ln in fig.axes[0].get_lines()}
    assert "Alle ydelser" in lines
    assert "Dagpenge" in lines
    national = select(measurement.cells, municipality=0, group="all", interval="12+")
    want = dict(zip(national["month"].to_pylist(), national["share_lt4"].to_pylist(),
                    strict=True))  # fmt: skip
    line = lines["Alle ydelser"]
    got = dict(zip(line.get_xdata(), line.get_ydata(), strict=True))
    assert len(got) == 24
    for month, value in want.items():
        assert got[month] == pytest.approx(value)
    assert lines["Fokusmål: under 20 %"].get_ydata()[0] == FOCUS_LINE


def test_interview_distribution_stacks_to_one(measurement):
    fig = charts.interview_distribution(measurement, LAST)
    ax = fig.axes[0]
    patches = ax.patches
    assert len(patches) == 6 * 13  # 0..5+ interviews × 13 fine intervals
    tops = np.zeros(13)
    for p in patches:
        i = round(p.get_x() + p.get_width() / 2)
        tops[i] = max(tops[i], p.get_y() + p.get_height())
    cells = select(measurement.cells, month=LAST, group="all", municipality=0).to_pylist()
    has_persons = {r["interval"] for r in cells if r["persons"]}
    for i, label in enumerate(["<1", *map(str, range(1, 12)), "12+"]):
        assert tops[i] == pytest.approx(1.0 if label in has_persons else 0.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "0 samtaler"


def test_save_png_has_the_figure_size_and_svg_is_xml(measurement, tmp_path):
    fig = charts.national_series(measurement)
    png = charts.save(fig, tmp_path / "s.png")
    svg = charts.save(fig, tmp_path / "s.SVG")
    assert png.stat().st_size > 10_000
    assert _png_size(png) == _pixels(fig) == (1000, 550)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "Hele landet" in svg.read_text(encoding="utf-8") or root.find(".//{*}path") is not None


def test_save_is_deterministic_and_checks_the_suffix(measurement, tmp_path):
    fig = charts.interview_distribution(measurement)
    a = charts.save(fig, tmp_path / "a.svg").read_bytes()
    b = charts.save(fig, tmp_path / "b.svg").read_bytes()
    assert a == b
    a = charts.save(fig, tmp_path / "a.png").read_bytes()
    b = charts.save(fig, tmp_path / "b.png").read_bytes()
    assert a == b
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        charts.save(fig, tmp_path / "a.jpg")


def test_bad_choices_are_value_errors(measurement):
    with pytest.raises(ValueError, match="unknown measure"):
        charts.municipality_bars(measurement, measure="m4")
    with pytest.raises(ValueError, match="unknown interval"):
        charts.national_series(measurement, interval="13")
    with pytest.raises(ValueError, match="no group 'bogus'"):
        charts.interview_distribution(measurement, group="bogus")
    with pytest.raises(ValueError, match="2019-01 is not in the measurement"):
        charts.municipality_bars(measurement, "2019-01")


def test_standard_charts_are_the_three_kinds(measurement):
    figs = charts.standard_charts(measurement)
    assert set(figs) == set(charts.STANDARD) == {
        "municipality_bars", "national_series", "interview_distribution",
    }  # fmt: skip
    assert all(isinstance(f, Figure) for f in figs.values())
