"""The Excel workbook of a measurement (XlsxWriter, written row by row in
``constant_memory`` mode).

What goes where — chosen for an analyst who follows the municipalities against the focus
target, and sized for speed: XlsxWriter writes about 150,000 cells a second, and every
municipality × group × month of the 50,000-person demo (72 months × 100 municipalities ×
10 groups) with M1–M5 for two intervals is 1.7 million cells (≈ 15 s, ≈ 10 MB). So the
municipal sheets hold the *municipal window*, by default the 12 months ending with the
report month (the months R41's 12-month mean is taken over), while the national sheet
covers the whole period; ``municipal_months=None`` (CLI ``--all-months``) gives every
month everywhere. The demo's default workbook is ≈ 750,000 cells, ≈ 4 MB.

``M1-M5``
    One row per month × municipality × group in the municipal window, national total
    (``0``, "Hele landet") first in each month and "Uoplyst" (``999``) last, for the
    nine measured groups and "Alle ydelser" (category breakdowns: nationally on ``Hele
    landet``, per municipality in ``Fokusmål``). Columns: the summary duration intervals
    under 12 and 12+ months (the focus target is on 12+), each with M1 (0…5+ counted
    interviews), M2 persons, M3 fewer than 4, M4 their share and M5 exempt, under a
    two-row header (interval on top, measure below). An interval without a cell is left
    blank (R40: a missing cell is all zeros, no person); a row without any cell is left
    out.
``Hele landet``
    The national rows for every month of the period and every group slot, category
    breakdowns included, with every duration interval (under 1…11 months, under 12,
    12+, the year bands) × M1–M5: the full R40 resolution where it is dense enough to
    read.
``Fokusmål``
    R41 for the report month (default: the last): per municipality and group slot, M4
    for 12+ in the month, its 12-month mean, the months used and whether the mean is
    below 20 %; and the activation companion (share without an active offer). Rows
    without any value are left out.
``Samtaletal``
    R43 per month of the municipal window, municipality and requirement (persons > 0).
``Passivitet``
    R44 per month of the municipal window, municipality and group (the measured groups
    and "Alle ydelser", 12+ persons > 0): the persons and the share without an active
    offer in the latest 1.5, 3, 6, 9 and 12 months.
``Noter``
    Rule set, data period, municipal window, run date, backend, version, what each sheet
    holds, the group labels with their codes, and the quality report (SPEC §8), one key
    per row.

Every data sheet freezes its two header rows and key columns (month, municipality code
and name, group), has an autofilter on the lower header row, shows shares as ``0.0%``,
counts with a thousands separator and months as ``yyyy-mm``. Groups and intervals carry
Danish labels (``Noter`` maps the labels to the library's codes). Everything else — every
municipality × interval × month — is in ``cells.parquet`` (``jobindsats measure --out``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import atomic
from ..schema import INTERVALS
from .cells import (
    EXCEL_EPOCH_OFFSET,
    MEASURES,
    all_groups,
    main_groups,
    month_days,
    months,
    months_up_to,
    pivot,
)
from .derived_tables import Derived, compute_derived, passivity_windows
from .labels import (
    GROUP_LABELS,
    group_label,
    interval_label,
    measure_label,
    municipality_label,
    window_label,
)
from .xlsx import (
    Column,
    add_formats,
    labels_of,
    nan_to_none,
    write_key_values,
    write_table,
)

#: Sheet names, in workbook order.
SHEETS: tuple[str, ...] = (
    "M1-M5", "Hele landet", "Fokusmål", "Samtaletal", "Passivitet", "Noter",
)  # fmt: skip
#: Months of the municipal sheets by default: the R41 window.
MUNICIPAL_MONTHS = 12
#: The measures of the ``M1-M5`` and ``Hele landet`` sheets: M1 (n0…n5plus), M2, M3, M4, M5.
SHEET_MEASURES: tuple[str, ...] = MEASURES[:10]
#: The duration intervals of the ``M1-M5`` sheet.
SUMMARY_INTERVALS: tuple[str, ...] = ("under12", "12+")

KEY_COLUMNS = (
    Column("", "Måned", "month"),
    Column("", "Kom.nr.", "code"),
    Column("", "Kommune", "text", 15),
    Column("", "Ydelsesgruppe", "text", 24),
)


def write_workbook(
    measurement: Any,
    path: str | os.PathLike[str],
    *,
    derived: Derived | None = None,
    month: str | dt.date | None = None,
    intervals: Sequence[str] = SUMMARY_INTERVALS,
    municipal_months: int | None = MUNICIPAL_MONTHS,
) -> Path:
    """Write the measurement as an ``.xlsx`` workbook (sheets :data:`SHEETS`).

    ``derived`` holds the R41/R43/R44 tables (computed with
    :func:`~jobindsats.report.derived_tables.compute_derived` for ``month`` when not
    given; ``month`` defaults to the last month). The municipal sheets cover the
    ``municipal_months`` months ending with that month (``None``: every month up to it);
    ``intervals`` are the duration intervals of the ``M1-M5`` sheet. Returns the path
    written.
    """
    import xlsxwriter

    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"the workbook must be an .xlsx file, got {out.name!r}")
    bad = [i for i in intervals if i not in INTERVALS]
    if bad:
        raise ValueError(f"unknown interval(s) {bad}; choose from {list(INTERVALS)}")
    if derived is None:
        derived = compute_derived(measurement, month)
    filled = derived

    def write(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False},
        )
        try:
            _fill_workbook(wb, measurement, filled, tuple(intervals), municipal_months)
        except BaseException:
            with contextlib.suppress(Exception):
                wb.close()
            raise
        wb.close()

    # written under a temporary name and renamed into place: no half-written workbook,
    # and an earlier one stays as it was if this one fails
    return atomic.write_file(out, write)


def _fill_workbook(
    wb: Any,
    measurement: Any,
    derived: Derived,
    intervals: tuple[str, ...],
    municipal_months: int | None,
) -> None:
    """Every sheet of :data:`SHEETS` into the open workbook ``wb``."""
    wb.set_properties(
        {
            "title": "Jobsamtaler til alle ydelsesmodtagere i jobcentre",
            "subject": f"Regelsæt {measurement.rules}, {_period(measurement)}",
            "author": "jobindsats",
        }
    )
    formats = add_formats(wb)
    cells = measurement.cells
    local = months_up_to(cells, derived.month, municipal_months)
    _sheet_cells(wb, formats, "M1-M5", local, main_groups(cells), intervals, None)
    _sheet_cells(wb, formats, "Hele landet", cells, all_groups(cells), INTERVALS, 0)
    _sheet_focus(wb, formats, derived.focus)
    _sheet_samtaletal(wb, formats, months_up_to(derived.samtaletal, derived.month,
                                                municipal_months))  # fmt: skip
    _sheet_passivity(wb, formats, months_up_to(derived.passivity, derived.month,
                                               municipal_months))  # fmt: skip
    window = _window(local)
    _sheet_notes(wb, formats, measurement, derived, intervals, window)


# --- one table on one sheet -------------------------------------------------------------


def _excel_months(column: pa.ChunkedArray) -> list[int]:
    return (month_days(column) + EXCEL_EPOCH_OFFSET).tolist()


def _values(table: pa.Table, name: str, kind: str) -> list[Any]:
    """A table column as Excel-ready Python values."""
    col = table[name]
    if kind == "month":
        return _excel_months(col)
    values = col.to_pylist()
    if kind == "flag":
        return [None if v is None else ("ja" if v else "nej") for v in values]
    if kind in ("share", "mean"):
        return [None if v is None or v != v else v for v in values]
    return values


def _key_values(table: pa.Table) -> list[list[Any]]:
    codes = table["municipality"].to_pylist()
    if "municipality_name" in table.column_names:
        names = table["municipality_name"].to_pylist()
    else:
        names = labels_of(codes, municipality_label)
    return [
        _excel_months(table["month"]),
        codes,
        names,
        labels_of(table["group"].to_pylist(), group_label),
    ]


def _rows(columns: list[list[Any]]) -> Iterable[Sequence[Any]]:
    return zip(*columns, strict=True)


# --- the sheets -------------------------------------------------------------------------


def _sheet_cells(
    wb: Any,
    formats: dict[str, Any],
    name: str,
    cells: pa.Table,
    groups: list[str],
    intervals: tuple[str, ...],
    municipality: int | None,
) -> None:
    ws = wb.add_worksheet(name)
    pv = pivot(cells, groups, intervals, SHEET_MEASURES, municipality=municipality)
    columns = list(KEY_COLUMNS)
    for iv in intervals:
        for m in SHEET_MEASURES:
            columns.append(Column(interval_label(iv), measure_label(m),
                                  "share" if m == "share_lt4" else "count"))  # fmt: skip
    keys = [
        (pv.month + EXCEL_EPOCH_OFFSET).tolist(),
        pv.municipality.tolist(),
        labels_of(pv.municipality.tolist(), municipality_label),
        labels_of(pv.group, group_label),
    ]
    pv.values[~pv.present] = np.nan  # no cell: left blank (R40: all zeros, no person)
    values = nan_to_none(pv.values.reshape(pv.n_rows, -1))
    rows = ([*k, *v] for *k, v in zip(*keys, values, strict=True))
    write_table(ws, formats, columns, rows, len(KEY_COLUMNS))


def _sheet_focus(wb: Any, formats: dict[str, Any], focus: pa.Table) -> None:
    ws = wb.add_worksheet("Fokusmål")
    keep = pc.or_(
        pc.greater(pc.fill_null(focus["share_lt4_months"], 0), 0),
        pc.greater(pc.fill_null(focus["no_activation_months"], 0), 0),
    )
    table = focus.filter(keep)
    top_s = "Færre end 4 samtaler, 12+ mdr. (M4)"
    top_a = "Uden aktivt tilbud, 12+ mdr."
    spec = [
        (top_s, "Andel i måneden", "share_lt4", "share"),
        (top_s, "Gns. 12 mdr.", "share_lt4_mean", "share"),
        (top_s, "Måneder i gns.", "share_lt4_months", "int"),
        (top_s, "Gns. under 20 %", "share_lt4_below", "flag"),
        (top_a, "Personer", "activation_persons", "count"),
        (top_a, "Uden tilbud", "no_activation", "count"),
        (top_a, "Andel i måneden", "no_activation_share", "share"),
        (top_a, "Gns. 12 mdr.", "no_activation_mean", "share"),
        (top_a, "Måneder i gns.", "no_activation_months", "int"),
        (top_a, "Gns. under 20 %", "no_activation_below", "flag"),
    ]
    _write_spec(ws, formats, table, spec)


def _sheet_samtaletal(wb: Any, formats: dict[str, Any], table: pa.Table) -> None:
    ws = wb.add_worksheet("Samtaletal")
    table = table.filter(pc.greater(table["persons"], 0))
    spec = [
        ("Krav", "Samtaler (N)", "required_interviews", "int"),
        ("Krav", "Inden for mdr. (M)", "within_months", "int"),
        ("Personer i måned M..M+2", "Personer", "persons", "count"),
        ("Personer i måned M..M+2", "Med mindst N samtaler", "persons_met", "count"),
        ("Personer i måned M..M+2", "Andel med mindst N", "share_met", "share"),
        ("Personer i måned M..M+2", "Gns. samtaler", "mean_interviews", "mean"),
    ]
    _write_spec(ws, formats, table, spec)


def _sheet_passivity(wb: Any, formats: dict[str, Any], table: pa.Table) -> None:
    ws = wb.add_worksheet("Passivitet")
    groups = pa.array(main_groups(table), pa.string())
    table = table.filter(
        pc.and_(pc.greater(table["persons"], 0), pc.is_in(table["group"], value_set=groups))
    )
    spec = [("12+ mdr.", "Personer", "persons", "count")]
    top = "Andel uden aktivt tilbud i de seneste …"
    for w in passivity_windows(table):
        spec.append((top, window_label(w), f"share_passive_{w}", "share"))
    _write_spec(ws, formats, table, spec)


def _write_spec(
    ws: Any, formats: dict[str, Any], table: pa.Table, spec: list[tuple[str, str, str, str]]
) -> None:
    missing = [name for _, _, name, _ in spec if name not in table.column_names]
    if missing:
        raise ValueError(f"derived table lacks column(s) {missing}")
    columns = [*KEY_COLUMNS, *(Column(top, label, kind) for top, label, _, kind in spec)]
    data = _key_values(table) + [_values(table, name, kind) for _, _, name, kind in spec]
    write_table(ws, formats, columns, _rows(data), len(KEY_COLUMNS))


def _window(cells: pa.Table) -> str:
    present = months(cells)
    return f"{present[0]:%Y-%m}..{present[-1]:%Y-%m}" if present else "-"


def _period(measurement: Any) -> str:
    return f"{measurement.start:%Y-%m}..{measurement.end:%Y-%m}"


def _sheet_notes(
    wb: Any,
    formats: dict[str, Any],
    measurement: Any,
    derived: Derived,
    intervals: tuple[str, ...],
    window: str,
) -> None:
    from .. import __version__

    ws = wb.add_worksheet("Noter")
    rows: list[tuple[str, Any, str | None]] = [
        ("Jobsamtaler til alle ydelsesmodtagere i jobcentre", None, "title"),
        ("", None, None),
        ("Regelsæt", measurement.rules, None),
        ("Regelsættets sha256", measurement.rules_digest or "ukendt", None),
        ("Dataperiode", _period(measurement), None),
        ("Kørselsdato", dt.datetime.now().strftime("%Y-%m-%d %H:%M"), None),
        ("Backend", measurement.backend, None),
        ("jobindsats", __version__, None),
        ("Rapportmåned (fokusmål)", f"{derived.month:%Y-%m}", None),
        ("Kommunale ark (måneder)", window, None),
        ("", None, None),
        ("Ark", None, "bold"),
        ("M1-M5", "Måned × kommune × ydelsesgruppe i de kommunale måneder (hele landet "
         "først, Uoplyst = 999 sidst); varighed "
         f"{', '.join(interval_label(i) for i in intervals)} × målene M1 (antal samtaler "
         "0…5+), M2 personer, M3 færre end 4, M4 andel, M5 fritagne. De ni ydelsesgrupper "
         "og alle ydelser. Tom celle: ingen personer.", None),
        ("Hele landet", "Hele perioden, hele landet: alle ydelsesgrupper og kategorier × "
         "alle varigheder × M1–M5.", None),
        ("Fokusmål", "R41 for fokusmåneden: andel med færre end 4 samtaler (12+ mdr.) og "
         "andel uden aktivt tilbud, med gennemsnit over de seneste 12 måneder og om det er "
         "under 20 %.", None),
        ("Samtaletal", "R43 i de kommunale måneder: personer i måned M..M+2 af forløbet, og "
         "hvor mange der har haft mindst N samtaler.", None),
        ("Passivitet", "R44 i de kommunale måneder: andel af personer med 12+ mdr. uden "
         "aktivt tilbud i de seneste 1,5, 3, 6, 9 og 12 måneder.", None),
        ("", None, None),
        ("Ydelsesgrupper (kode)", None, "bold"),
        *((label, code, None) for code, label in GROUP_LABELS.items()),
        ("", None, None),
        ("Kvalitetsrapport (SPEC §8)", None, "bold"),
        *((str(k), _quality_value(v), None) for k, v in measurement.quality.items()),
    ]  # fmt: skip
    write_key_values(ws, formats, rows)


def _quality_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
