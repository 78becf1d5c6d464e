"""User-facing outputs of a measurement: an Excel workbook in the agency's style, charts
(PNG/SVG) and a self-contained HTML summary.

>>> from jobindsats.report import load_measurement, write_report
>>> m = load_measurement("out")                      # written by `jobindsats measure --out`
>>> write_report(m, "report/report.xlsx")            # workbook, charts, report.html

Modules: :mod:`.workbook` (sheets and what goes where), :mod:`.charts`, :mod:`.html`,
:mod:`.loader` (measurement directories), :mod:`.bundle` (all at once); :mod:`.cells`
and :mod:`.labels` are the shared selection and Danish labelling.

The focus audit (SPEC R45) has its own: :func:`write_audit_report` (Parquet tables,
``audit.xlsx``, charts, ``audit.html``; modules :mod:`.audit_workbook`,
:mod:`.audit_charts`, :mod:`.audit_html`, :mod:`.audit_labels`).
"""

from __future__ import annotations

from .audit_bundle import write_audit_report
from .bundle import write_report
from .charts import (
    STANDARD,
    interview_distribution,
    municipality_bars,
    national_series,
    save,
    standard_charts,
)
from .derived_tables import Derived, compute_derived
from .html import render_html, write_html
from .loader import load_input, load_measurement
from .workbook import SHEETS, write_workbook

__all__ = [
    "SHEETS",
    "STANDARD",
    "Derived",
    "compute_derived",
    "interview_distribution",
    "load_input",
    "load_measurement",
    "municipality_bars",
    "national_series",
    "render_html",
    "save",
    "standard_charts",
    "write_audit_report",
    "write_html",
    "write_report",
    "write_workbook",
]
