"""HTML building blocks shared by the one-file pages (:mod:`.html`, :mod:`.audit_html`):
the stylesheet, tables with multi-row headers, number cells, embedded PNG figures and
the document shell. Nothing loads from outside the page."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

from .labels import num, pct

CSS = """
body { font-family: "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 2em auto;
       max-width: 1400px; padding: 0 1em; color: #1d1d1b; }
h1 { color: #14365d; font-size: 1.6em; margin-bottom: 0.2em; }
h2 { color: #14365d; font-size: 1.2em; margin-top: 2em; border-bottom: 2px solid #14365d; }
p.meta { color: #555; margin-top: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.82em; margin: 0.5em 0; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
th, td { padding: 0.25em 0.55em; border-bottom: 1px solid #ddd; }
th { background: #14365d; color: #fff; font-weight: 600; border: 1px solid #fff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: #b03a2e; font-weight: 600; }
td.good { color: #1e7b34; }
tr:nth-child(even) td { background: #f4f6f9; }
figure { margin: 1.5em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #e3e3e3; }
figcaption { font-size: 0.85em; color: #555; }
"""

Cell = tuple[str, str]  # (text, css class)
Charts = dict[str, bytes]


def png_bytes(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buf.getvalue()


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def table(
    header: Sequence[Sequence[tuple[str, int]]],
    rows: Sequence[Sequence[Cell]],
    *,
    caption: str = "",
    table_id: str | None = None,
) -> str:
    """``header`` is a list of header rows of ``(text, colspan)``."""
    id_attr = f' id="{esc(table_id)}"' if table_id else ""
    parts = [f'<div class="scroll"><table{id_attr}>']
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append("<thead>")
    for hrow in header:
        cells = "".join(
            f"<th{f' colspan={span}' if span > 1 else ''}>{esc(text)}</th>" for text, span in hrow
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</thead><tbody>")
    for row in rows:
        cells = "".join(
            (f'<td class="{cls}">' if cls else "<td>") + f"{esc(text)}</td>" for text, cls in row
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def num_cell(x: Any, digits: int = 0) -> Cell:
    return (num(x, digits), "num")


def pct_cell(x: Any) -> Cell:
    return (pct(x), "num")


def figures(charts: Charts) -> str:
    """Every chart (caption → PNG bytes) as a ``<figure>`` with a data-URI image."""
    parts = []
    for caption, png in charts.items():
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{esc(caption)}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>"
        )
    return "".join(parts)


def document(title: str, body: Sequence[str], css: str = "") -> str:
    """A whole Danish-language page: ``body`` parts joined by newlines, :data:`CSS` plus
    ``css`` inline."""
    return (
        '<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{CSS}{css}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
