"""Everything at once: the workbook, the charts (PNG and SVG) and the HTML summary,
side by side, from one computation of the derived tables."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from . import charts as ch
from .derived_tables import compute_derived
from .html import write_html
from .workbook import MUNICIPAL_MONTHS, write_workbook


def write_report(
    measurement: Any,
    path: str | os.PathLike[str],
    *,
    month: str | dt.date | None = None,
    municipal_months: int | None = MUNICIPAL_MONTHS,
) -> list[Path]:
    """Write ``path`` (an ``.xlsx`` workbook), next to it ``<stem>_<chart>.png`` and
    ``.svg`` for each chart of :data:`jobindsats.report.charts.STANDARD`, and
    ``<stem>.html``. ``month`` (default: the last month) is the month of the focus
    targets, the charts and the HTML tables; ``municipal_months`` as for
    :func:`~jobindsats.report.workbook.write_workbook`. Returns the paths written, workbook first,
    HTML last. A chart without data is skipped."""
    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"the report is named after its workbook, an .xlsx file; got {out.name!r}")
    derived = compute_derived(measurement, month)
    written = [write_workbook(measurement, out, derived=derived, municipal_months=municipal_months)]
    pngs: dict[str, bytes] = {}
    for name, fig in ch.standard_charts(measurement, derived.month).items():
        png = ch.save(fig, out.with_name(f"{out.stem}_{name}.png"))
        written += [png, ch.save(fig, out.with_name(f"{out.stem}_{name}.svg"))]
        pngs[ch.STANDARD[name]] = png.read_bytes()
    written.append(write_html(measurement, out.with_suffix(".html"), derived=derived, charts=pngs))
    return written
