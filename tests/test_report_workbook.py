"""The Excel workbook (jobindsats.report.workbook), read back with openpyxl, and the
measurement loader it shares with the command line (jobindsats.report.loader)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from jobindsats.report import SHEETS, compute_derived, load_measurement, write_workbook
from jobindsats.report.cells import pivot
from jobindsats.report.labels import group_label, measure_label
from jobindsats.report.loader import restrict
from jobindsats.report.workbook import SHEET_MEASURES
from jobindsats.schema import INTERVALS
from report_data import report_measurement


@pytest.fixture(scope="module")
def measurement():
    return report_measurement(7)


@pytest.fixture(scope="module")
def derived(measurement):
    return compute_derived(measurement)


@pytest.fixture(scope="module")
def book(measurement, derived, tmp_path_factory):
    path = tmp_path_factory.mktemp("wb") / "report.xlsx"
    assert write_workbook(measurement, path, derived=derived) == path
    return openpyxl.load_workbook(path)


def _header_columns(ws) -> dict[tuple[str, str], int]:
    """(interval label, measure label) → 1-based column, from the two header rows (the
    interval label is on the first cell of each merged block)."""
    out = {}
    top = ""
    for c in range(1, ws.max_column + 1):
        top = ws.cell(1, c).value or top
        out[(top, ws.cell(2, c).value)] = c
    return out


def _cell_lookup(cells: pa.Table) -> dict[tuple, dict]:
    return {
        (r["month"], r["municipality"], r["group"], r["interval"]): r for r in cells.to_pylist()
    }


def test_sheets_are_in_order(book):
    assert book.sheetnames == list(SHEETS)
    assert SHEETS == ("M1-M5", "Hele landet", "Fokusmål", "Samtaletal", "Passivitet", "Noter")


def test_m1_m5_has_a_two_row_header_interval_over_measure(book):
    ws = book["M1-M5"]
    assert [ws.cell(2, c).value for c in range(1, 5)] == [
        "Måned", "Kom.nr.", "Kommune", "Ydelsesgruppe",
    ]  # fmt: skip
    assert ws["E1"].value == "Under 12 mdr."
    assert ws["O1"].value == "12+ mdr."
    assert ws["E2"].value == "0 samtaler"
    assert ws["K2"].value == "Personer (M2)"
    assert ws["M2"].value == "Andel færre end 4 (M4)"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"E1:N1", "O1:X1"} <= merged
    assert ws.max_column == 4 + 2 * len(SHEET_MEASURES)


def test_m1_m5_freezes_header_and_keys_and_filters(book):
    ws = book["M1-M5"]
    assert ws.freeze_panes == "E3"
    assert ws.auto_filter.ref == f"A2:X{ws.max_row}"


def test_m1_m5_values_equal_the_cells(book, measurement):
    ws = book["M1-M5"]
    cols = _header_columns(ws)
    lookup = _cell_lookup(measurement.cells)
    labels = {group_label(g): g for g in set(measurement.cells["group"].to_pylist())}
    checked = 0
    for row in ws.iter_rows(min_row=3, values_only=True):
        month, code, _, glabel = row[:4]
        if code not in (0, 101, 999):
            continue
        for iv, ivl in (("under12", "Under 12 mdr."), ("12+", "12+ mdr.")):
            cell = lookup.get((month.date(), code, labels[glabel], iv))
            for m in ("n0", "n5plus", "persons", "lt4", "share_lt4", "exempt"):
                got = row[cols[(ivl, measure_label(m))] - 1]
                if cell is None:
                    assert got is None  # no cell: blank
                elif m == "share_lt4" and cell[m] is None:
                    assert got is None
                else:
                    assert got == pytest.approx(cell[m]), (month, code, glabel, iv, m)
                checked += 1
    assert checked > 500


def test_m1_m5_rows_national_first_then_codes_and_the_12_month_window(book, measurement):
    ws = book["M1-M5"]
    rows = list(ws.iter_rows(min_row=3, max_col=4, values_only=True))
    months = sorted({r[0].date() for r in rows})
    assert months[0] == dt.date(2024, 1, 1)
    assert months[-1] == dt.date(2024, 12, 1)
    assert len(months) == 12
    first = [r for r in rows if r[0].date() == months[0]]
    codes = [r[1] for r in first]
    assert codes[0] == 0
    assert first[0][2] == "Hele landet"
    assert codes == sorted(codes)  # 0 first, 999 (Uoplyst) last: numeric order
    keys = [(r[0], r[1]) for r in rows]
    assert keys == sorted(keys)
    groups = {r[3] for r in rows}
    assert "Alle ydelser" in groups
    assert not any("," in g for g in groups)  # no category breakdowns on M1-M5


def test_number_formats(book):
    ws = book["M1-M5"]
    assert ws["A3"].number_format == "yyyy-mm"
    assert ws["K3"].number_format == "#,##0"  # persons, under 12
    assert ws["M3"].number_format == "0.0%"  # share, under 12
    assert ws["W3"].number_format == "0.0%"  # share, 12+


def test_hele_landet_sheet_is_national_with_every_interval_and_category(book, measurement):
    ws = book["Hele landet"]
    tops = [ws.cell(1, c).value for c in range(5, ws.max_column + 1)]
    assert len([t for t in tops if t]) == len(INTERVALS)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert {r[1] for r in rows} == {0}
    assert "Kontanthjælp, jobparat" in {r[3] for r in rows}
    assert len({r[0] for r in rows}) == 24  # every month of the period
    # the national persons of group `all`, interval `<1`, in the last month
    cols = _header_columns(ws)
    last = [r for r in rows if r[0].date() == dt.date(2024, 12, 1) and r[3] == "Alle ydelser"]
    cell = _cell_lookup(measurement.cells)[(dt.date(2024, 12, 1), 0, "all", "<1")]
    assert last[0][cols[("Under 1 md.", "Personer (M2)")] - 1] == cell["persons"]


def test_focus_sheet_equals_the_focus_targets(book, derived):
    ws = book["Fokusmål"]
    assert ws["E1"].value == "Færre end 4 samtaler, 12+ mdr. (M4)"
    assert ws.freeze_panes == "E3"
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    national_all = next(r for r in rows if r[1] == 0 and r[3] == "Alle ydelser")
    want = next(
        r for r in derived.focus.to_pylist() if r["municipality"] == 0 and r["group"] == "all"
    )
    assert national_all[4] == pytest.approx(want["share_lt4"])
    assert national_all[5] == pytest.approx(want["share_lt4_mean"])
    assert national_all[6] == want["share_lt4_months"]
    assert national_all[7] == ("ja" if want["share_lt4_below"] else "nej")
    assert national_all[8] == want["activation_persons"]
    assert national_all[11] == pytest.approx(want["no_activation_mean"])
    assert ws["F3"].number_format == "0.0%"
    assert {r[0].date() for r in rows} == {derived.month}


def test_samtaletal_and_passivity_sheets_equal_the_derived_tables(book, derived):
    ws = book["Samtaletal"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    want = [
        r for r in derived.samtaletal.to_pylist()
        if r["month"] == derived.month and r["municipality"] == 0 and r["persons"] > 0
    ]  # fmt: skip
    got = [r for r in rows if r[0].date() == derived.month and r[1] == 0]
    assert [r[3] for r in got] == [group_label(w["group"]) for w in want]
    for g, w in zip(got, want, strict=True):
        assert g[4:8] == (w["required_interviews"], w["within_months"], w["persons"],
                          w["persons_met"])  # fmt: skip
        assert g[8] == pytest.approx(w["share_met"])
    ws = book["Passivitet"]
    assert ws["F1"].value == "Andel uden aktivt tilbud i de seneste …"
    assert [ws.cell(2, c).value for c in range(6, 11)] == [
        "1,5 mdr.", "3 mdr.", "6 mdr.", "9 mdr.", "12 mdr.",
    ]  # fmt: skip
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    got_all = next(r for r in rows if r[0].date() == derived.month and r[1] == 0
                   and r[3] == "Alle ydelser")  # fmt: skip
    want_all = next(
        r for r in derived.passivity.to_pylist()
        if r["month"] == derived.month and r["municipality"] == 0 and r["group"] == "all"
    )  # fmt: skip
    assert got_all[4] == want_all["persons"]
    assert got_all[5] == pytest.approx(want_all["share_passive_1_5m"])
    assert got_all[9] == pytest.approx(want_all["share_passive_12m"])


def test_notes_state_rules_period_backend_and_the_quality_report(book, measurement):
    ws = book["Noter"]
    notes = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}
    assert notes["Regelsæt"] == "v1.73"
    assert notes["Dataperiode"] == "2023-01..2024-12"
    assert notes["Backend"] == measurement.backend
    assert notes["Kommunale ark (måneder)"] == "2024-01..2024-12"
    dt.datetime.strptime(notes["Kørselsdato"], "%Y-%m-%d %H:%M")
    for key, value in measurement.quality.items():
        expected = ("ja" if value else "nej") if isinstance(value, bool) else value
        assert notes[key] == expected, key
    assert notes["Alle ydelser"] == "all"


def test_all_months_in_the_municipal_sheets(measurement, derived, tmp_path):
    path = write_workbook(measurement, tmp_path / "all.xlsx", derived=derived,
                          municipal_months=None)  # fmt: skip
    ws = openpyxl.load_workbook(path)["M1-M5"]
    months = {r[0] for r in ws.iter_rows(min_row=3, max_col=1, values_only=True)}
    assert len(months) == 24


def test_workbook_rejects_other_suffixes_and_unknown_intervals(measurement, derived, tmp_path):
    with pytest.raises(ValueError, match=r"\.xlsx"):
        write_workbook(measurement, tmp_path / "x.xls", derived=derived)
    with pytest.raises(ValueError, match="unknown interval"):
        write_workbook(measurement, tmp_path / "x.xlsx", derived=derived, intervals=("13",))


def test_pivot_marks_missing_cells_and_orders_groups():
    cells = pa.table(
        {
            "month": pa.array([dt.date(2024, 1, 1)] * 3, pa.date32()),
            "municipality": pa.array([999, 101, 0], pa.int16()),
            "group": ["all", "dagpenge", "all"],
            "interval": ["12+", "under12", "12+"],
            **{m: pa.array([1, 2, 3], pa.int64()) for m in SHEET_MEASURES if m != "share_lt4"},
            "interviews": pa.array([0, 0, 0], pa.int64()),
            "share_lt4": pa.array([0.5, None, 0.25], pa.float64()),
        }
    )
    pv = pivot(cells, ["dagpenge", "all"], ("under12", "12+"), ("persons", "share_lt4"))
    assert pv.municipality.tolist() == [0, 101, 999]
    assert pv.group == ["all", "dagpenge", "all"]
    assert pv.present.tolist() == [[False, True], [True, False], [False, True]]
    assert pv.values[0, 1].tolist() == [3.0, 0.25]
    assert pv.values[1, 0, 0] == 2.0
    assert pv.values[1, 1, 0] == 0.0  # a missing cell counts zero persons…
    assert pv.values[1, 1, 1] != pv.values[1, 1, 1]  # …and has no share (NaN)


def test_load_measurement_round_trips_a_written_measurement(measurement, tmp_path):
    measurement.write(tmp_path / "m")
    loaded = load_measurement(tmp_path / "m")
    assert loaded.cells.equals(measurement.cells)
    assert loaded.quality == measurement.quality
    assert (loaded.start, loaded.end) == (dt.date(2023, 1, 1), dt.date(2024, 12, 1))
    assert loaded.rules == "v1.73"
    assert loaded.persons.num_rows == 0
    short = restrict(loaded, "2024-01", "2024-06")
    assert {m.month for m in short.cells["month"].to_pylist()} == {1, 2, 3, 4, 5, 6}
    assert (short.start, short.end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    with pytest.raises(ValueError, match=r"covers 2023-01\.\.2024-12"):
        restrict(loaded, "2022-01", "2024-06")
    with pytest.raises(FileNotFoundError, match=r"cells\.parquet"):
        load_measurement(tmp_path)


def test_dictionary_encoded_cells_load_as_strings(measurement, tmp_path):
    import pyarrow.parquet as pq

    cells = measurement.cells
    i = cells.schema.get_field_index("group")
    encoded = cells.set_column(i, "group", pc.dictionary_encode(cells["group"]))
    (tmp_path / "m").mkdir()
    pq.write_table(encoded, tmp_path / "m" / "cells.parquet")
    loaded = load_measurement(tmp_path / "m")
    assert loaded.cells.schema.field("group").type == pa.string()
    assert loaded.backend == "unknown"
