"""XlsxWriter building blocks shared by the workbooks (:mod:`.workbook`,
:mod:`.audit_workbook`): cell formats, the two-row header table, and key/value notes.

A sheet is written row by row (``constant_memory``), so every helper writes in row order
and merges only horizontally.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Cell formats by column kind.
FORMATS: dict[str, dict[str, Any]] = {
    "month": {"num_format": "yyyy-mm", "align": "left"},
    "code": {"num_format": "0", "align": "left"},
    "text": {},
    "count": {"num_format": "#,##0"},
    "share": {"num_format": "0.0%"},
    "mean": {"num_format": "0.00"},
    "int": {"num_format": "0"},
    "flag": {"align": "center"},
    "change": {"num_format": "0.0"},
    "general": {},
}
WIDTHS = {"month": 9, "code": 7, "text": 16, "count": 10, "share": 9, "mean": 9, "int": 8,
          "flag": 8, "change": 10, "general": 12}  # fmt: skip
HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#14365D", "border": 1,
          "border_color": "#FFFFFF", "align": "center", "valign": "vcenter",
          "text_wrap": True}  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One worksheet column: its block (upper header, ``""`` for none), its label (lower
    header) and its kind (a key of :data:`FORMATS`)."""

    top: str
    label: str
    kind: str
    width: float | None = None


def add_formats(wb: Any) -> dict[str, Any]:
    """The workbook's formats: one per column kind, and ``header``, ``title``, ``bold``,
    ``wrap``."""
    formats = {k: wb.add_format(v) for k, v in FORMATS.items()}
    formats["header"] = wb.add_format(HEADER)
    formats["title"] = wb.add_format({"bold": True, "font_size": 14})
    formats["bold"] = wb.add_format({"bold": True})
    formats["wrap"] = wb.add_format({"text_wrap": True, "valign": "top"})
    return formats


def write_table(
    ws: Any,
    formats: dict[str, Any],
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    n_frozen: int,
) -> int:
    """Two header rows (blocks merged on top), column formats and widths, the rows,
    frozen panes (``n_frozen`` key columns) and an autofilter. Rows must already hold
    Excel-ready values (numbers, strings or None for an empty cell). Returns the number
    of data rows."""
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width or WIDTHS[col.kind], formats[col.kind])
    ws.set_row(1, 45)
    header = formats["header"]
    c = 0
    while c < len(columns):  # row 0: blocks (only horizontal merges: constant_memory)
        end = c
        while end + 1 < len(columns) and columns[end + 1].top == columns[c].top:
            end += 1
        if columns[c].top and end > c:
            ws.merge_range(0, c, 0, end, columns[c].top, header)
        else:
            for k in range(c, end + 1):
                ws.write_string(0, k, columns[k].top, header)
        c = end + 1
    for c, col in enumerate(columns):
        ws.write_string(1, c, col.label, header)
    n = 0
    for n, row in enumerate(rows, start=1):
        ws.write_row(1 + n, 0, row)
    ws.freeze_panes(2, n_frozen)
    ws.autofilter(1, 0, 1 + max(n, 1), len(columns) - 1)
    return n


def write_key_values(
    ws: Any, formats: dict[str, Any], rows: Sequence[tuple[str, Any, str | None]]
) -> None:
    """A notes sheet: ``(key, value, style)`` rows, the key in column A (in ``style``,
    a format name, if given), the value in column B (numbers as counts); ``None`` values
    leave B empty."""
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 100, formats["wrap"])
    for r, (key, value, style) in enumerate(rows):
        if key:
            ws.write_string(r, 0, key, formats[style] if style else None)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            ws.write_number(r, 1, value, formats["count"])
        else:
            ws.write_string(r, 1, str(value))


def nan_to_none(values: np.ndarray) -> list[list[Any]]:
    obj = values.astype(object)
    obj[np.isnan(values)] = None
    return obj.tolist()


def labels_of(codes: list[Any], fn: Any) -> list[str]:
    """``fn`` of every code, computed once per distinct code."""
    cache: dict[Any, str] = {}
    return [cache[c] if c in cache else cache.setdefault(c, fn(c)) for c in codes]
