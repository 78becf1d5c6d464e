"""A one-file HTML summary of a measurement: inline CSS, charts as base64 PNG, no
external URL, so it can be mailed or opened offline.

Sections: the national M1–M5 table for the report month by group (element
``id="national-table"``), the R41 focus targets (national, with how many municipalities
are not below 20 %), R43 samtaletal and R44 passivity nationally for that month, the
charts and the quality report (SPEC §8).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .. import atomic
from ..municipalities import NATIONAL, UNKNOWN_MUNICIPALITY
from .cells import MEASURES, all_groups, month_days, pivot
from .derived_tables import Derived, compute_derived, passivity_windows
from .html_parts import Cell, Charts, document, png_bytes
from .html_parts import esc as _esc
from .html_parts import figures as _figures
from .html_parts import num_cell as _n
from .html_parts import pct_cell as _p
from .html_parts import table as _table
from .labels import (
    group_label,
    interval_label,
    measure_label,
    month_label,
    window_label,
)


def write_html(
    measurement: Any,
    path: str | os.PathLike[str],
    *,
    derived: Derived | None = None,
    charts: Charts | None = None,
    month: str | dt.date | None = None,
) -> Path:
    """Write the summary as one self-contained HTML file. ``charts`` maps a caption to
    PNG bytes (default: the three charts of :mod:`jobindsats.report.charts` for the
    report month)."""
    if derived is None:
        derived = compute_derived(measurement, month)
    if charts is None:
        charts = default_charts(measurement, derived.month)
    out = Path(path)
    return atomic.write_text(out, render_html(measurement, derived, charts))


def default_charts(measurement: Any, month: dt.date) -> Charts:
    """The standard charts (:data:`jobindsats.report.charts.STANDARD`) as PNG bytes, by
    caption."""
    from .charts import STANDARD, standard_charts

    return {STANDARD[k]: png_bytes(fig) for k, fig in standard_charts(measurement, month).items()}


def _flag(below: Any) -> Cell:
    if below is None:
        return ("-", "")
    return ("ja", "good") if below else ("nej", "bad")


def _month_rows(table: pa.Table, month: dt.date, municipality: int = NATIONAL) -> list[dict]:
    mask = pc.and_(
        pc.equal(table["month"], pa.scalar(month, pa.date32())),
        pc.equal(table["municipality"], pa.scalar(municipality, pa.int16())),
    )
    return table.filter(mask).to_pylist()


# --- the sections -----------------------------------------------------------------------


def _national_table(measurement: Any, month: dt.date) -> str:
    cells = measurement.cells
    intervals = ("under12", "12+")
    measures = ("persons", *MEASURES[:6], "lt4", "share_lt4", "exempt")
    pv = pivot(cells, all_groups(cells), intervals, measures, municipality=NATIONAL)
    day = month_days(pa.array([month], pa.date32()))[0]
    header = [
        [("Hele landet", 1), *((interval_label(iv), len(measures)) for iv in intervals)],
        [("Ydelsesgruppe", 1), *((measure_label(m), 1) for _ in intervals for m in measures)],
    ]
    rows = []
    for r in range(pv.n_rows):
        if pv.month[r] != day:
            continue
        row: list[Cell] = [(group_label(pv.group[r]), "")]
        for i in range(len(intervals)):
            for k, m in enumerate(measures):
                v = pv.values[r, i, k]
                row.append(_p(None if v != v else v) if m == "share_lt4" else _n(v))
        rows.append(row)
    caption = f"Hele landet, {month_label(month)}: M1–M5 efter ydelsesgruppe og varighed"
    return _table(header, rows, caption=caption, table_id="national-table")


def _focus_table(focus: pa.Table, month: dt.date) -> str:
    not_below: dict[str, list[int]] = {}
    for r in focus.select(["municipality", "group", "share_lt4_below",
                           "no_activation_below"]).to_pylist():  # fmt: skip
        if r["municipality"] in (NATIONAL, UNKNOWN_MUNICIPALITY):
            continue
        c = not_below.setdefault(r["group"], [0, 0])
        c[0] += r["share_lt4_below"] is False
        c[1] += r["no_activation_below"] is False
    header = [
        [("", 1), ("Færre end 4 samtaler, 12+ mdr. (M4)", 5),
         ("Uden aktivt tilbud, 12+ mdr.", 5)],
        [("Ydelsesgruppe", 1),
         *[(t, 1) for t in ("Måneden", "Gns. 12 mdr.", "Mdr. i gns.", "Under 20 %",
                            "Kommuner ikke under 20 %")] * 2],
    ]  # fmt: skip
    rows = []
    for r in _month_rows(focus, month):
        c = not_below.get(r["group"], [0, 0])
        if not r["share_lt4_months"] and not r["no_activation_months"]:
            continue
        rows.append([
            (group_label(r["group"]), ""),
            _p(r["share_lt4"]), _p(r["share_lt4_mean"]), _n(r["share_lt4_months"]),
            _flag(r["share_lt4_below"]), _n(c[0]),
            _p(r["no_activation_share"]), _p(r["no_activation_mean"]),
            _n(r["no_activation_months"]), _flag(r["no_activation_below"]), _n(c[1]),
        ])  # fmt: skip
    caption = (
        f"Fokusmål (R41), hele landet, {month_label(month)}: gennemsnit over de seneste "
        "12 måneder skal være under 20 %"
    )
    return _table(header, rows, caption=caption, table_id="focus-table")


def _samtaletal_table(table: pa.Table, month: dt.date) -> str:
    header = [[(t, 1) for t in ("Ydelsesgruppe", "Samtaler (N)", "Inden for mdr. (M)",
                                "Personer", "Med mindst N", "Andel", "Gns. samtaler")]]  # fmt: skip
    rows = [
        [(group_label(r["group"]), ""), _n(r["required_interviews"]), _n(r["within_months"]),
         _n(r["persons"]), _n(r["persons_met"]), _p(r["share_met"]),
         _n(r["mean_interviews"], 2)]
        for r in _month_rows(table, month)
    ]  # fmt: skip
    caption = f"Samtaletal (R43), hele landet, {month_label(month)}"
    return _table(header, rows, caption=caption, table_id="samtaletal-table")


def _passivity_table(table: pa.Table, month: dt.date) -> str:
    windows = passivity_windows(table)
    header = [
        [("Ydelsesgruppe", 1), ("Personer 12+ mdr.", 1),
         *((f"Uden tilbud seneste {window_label(w)}", 1) for w in windows)],
    ]  # fmt: skip
    rows = [
        [(group_label(r["group"]), ""), _n(r["persons"]),
         *(_p(r[f"share_passive_{w}"]) for w in windows)]
        for r in _month_rows(table, month)
        if r["persons"]
    ]  # fmt: skip
    caption = f"Passivitet (R44), hele landet, {month_label(month)}: andel uden aktivt tilbud"
    return _table(header, rows, caption=caption, table_id="passivity-table")


def _quality_table(quality: dict[str, Any]) -> str:
    rows = []
    for key, value in quality.items():
        if isinstance(value, bool):
            cell: Cell = ("ja" if value else "nej", "")
        elif isinstance(value, (int, float)):
            cell = _n(value, 0 if isinstance(value, int) else 3)
        else:
            cell = (str(value), "")
        rows.append([(key, ""), cell])
    return _table([[("Kontrol", 1), ("Værdi", 1)]], rows, table_id="quality-table")


def render_html(measurement: Any, derived: Derived, charts: Charts) -> str:
    """The HTML document as a string."""
    from .. import __version__

    month = derived.month
    run = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    meta = (
        f"Regelsæt {measurement.rules} · data {measurement.start:%Y-%m}..{measurement.end:%Y-%m}"
        f" · rapportmåned {month_label(month)} · backend {measurement.backend} · kørt {run}"
        f" · jobindsats {__version__}"
    )
    body = [
        "<h1>Jobsamtaler til alle ydelsesmodtagere i jobcentre</h1>",
        f'<p class="meta">{_esc(meta)}</p>',
        "<h2>Hele landet (M1–M5)</h2>",
        _national_table(measurement, month),
        "<h2>Fokusmål</h2>",
        _focus_table(derived.focus, month),
        "<h2>Samtaletal</h2>",
        _samtaletal_table(derived.samtaletal, month),
        "<h2>Passivitet</h2>",
        _passivity_table(derived.passivity, month),
        "<h2>Figurer</h2>",
        _figures(charts),
        "<h2>Kvalitetsrapport (SPEC §8)</h2>",
        _quality_table(measurement.quality),
        '<footer class="meta">'
        + _esc(
            f"Regelsæt {measurement.rules}, sha256 {measurement.rules_digest or 'ukendt'}"
            f" · jobindsats {__version__}"
        )
        + "</footer>",
    ]
    return document(f"jobindsats — {month_label(month)}", body)
