"""Danish labels for the user-facing outputs, and number formatting the Danish way.

The tables keep the library's codes (``kontanthjaelp/jobparat``, ``12+``, ``share_lt4``);
workbook, charts and HTML show these labels instead. Unknown codes fall back to the code.
"""

from __future__ import annotations

import datetime as dt
import math

from ..municipalities import municipality_name
from ..schema import CATEGORIES, GROUPS

GROUP_LABELS: dict[str, str] = {
    "dagpenge": "Dagpenge",
    "sygedagpenge": "Sygedagpenge",
    "kontanthjaelp": "Kontanthjælp",
    "uddannelseshjaelp": "Uddannelseshjælp",
    "overgangsydelse": "Overgangsydelse",
    "revalidering": "Revalidering",
    "ressourceforloeb": "Ressourceforløb",
    "jobafklaring": "Jobafklaringsforløb",
    "ledighedsydelse": "Ledighedsydelse",
    "all": "Alle ydelser",
}
CATEGORY_LABELS: dict[str, str] = {
    "jobparat": "jobparat",
    "aktivitetsparat": "aktivitetsparat",
    "uddannelsesparat": "uddannelsesparat",
    "aabenlyst_uddannelsesparat": "åbenlyst uddannelsesparat",
}

INTERVAL_LABELS: dict[str, str] = {
    "<1": "Under 1 md.",
    "1": "1 md.",
    **{str(k): f"{k} mdr." for k in range(2, 12)},
    "under12": "Under 12 mdr.",
    "12+": "12+ mdr.",
    "1-2y": "1-2 år",
    "3-5y": "3-5 år",
    "6-9y": "6-9 år",
    "10y+": "10+ år",
}

#: R40 measures: label, and whether the value is a share (formatted as %).
MEASURE_LABELS: dict[str, str] = {
    "n0": "0 samtaler",
    "n1": "1 samtale",
    "n2": "2 samtaler",
    "n3": "3 samtaler",
    "n4": "4 samtaler",
    "n5plus": "5+ samtaler",
    "persons": "Personer (M2)",
    "lt4": "Færre end 4 (M3)",
    "share_lt4": "Andel færre end 4 (M4)",
    "exempt": "Fritagne (M5)",
    "interviews": "Samtaler i alt",
}
SHARE_MEASURES = frozenset({"share_lt4"})

#: The focus-target line of R41: a share must be *below* 20 %.
FOCUS_LINE = 0.20


def group_label(code: str) -> str:
    """``kontanthjaelp/jobparat`` → ``Kontanthjælp, jobparat``."""
    if "/" in code:
        group, category = code.split("/", 1)
        return f"{GROUP_LABELS.get(group, group)}, {CATEGORY_LABELS.get(category, category)}"
    return GROUP_LABELS.get(code, code)


def interval_label(code: str) -> str:
    return INTERVAL_LABELS.get(code, code)


def measure_label(code: str) -> str:
    return MEASURE_LABELS.get(code, code)


def window_label(code: str) -> str:
    """An R44 window name (``1_5m``, ``12m``) → ``1,5 mdr.``, ``12 mdr.``."""
    return code.rstrip("m").replace("_", ",") + " mdr."


def municipality_label(code: int) -> str:
    try:
        return municipality_name(int(code))
    except KeyError:
        return str(code)


def group_order(codes: list[str] | set[str]) -> list[str]:
    """Group slots in output order: the measured groups (R1 order), their category
    breakdowns, then ``all``; unknown codes last, alphabetically."""
    known = list(GROUPS)
    known += [f"{g}/{c}" for g in GROUPS for c in CATEGORIES]
    known.append("all")
    rank = {code: i for i, code in enumerate(known)}
    return sorted(set(codes), key=lambda c: (rank.get(c, len(rank)), c))


def pct(x: float | None, digits: int = 1) -> str:
    """``0.2345`` → ``23,5 %`` (Danish decimal comma); ``None``/NaN → ``-``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x * 100:.{digits}f} %".replace(".", ",")


def num(x: float | None, digits: int = 0) -> str:
    """``12345`` → ``12.345``; ``1.5`` (digits 2) → ``1,50``; ``None`` → ``-``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    text = f"{x:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def month_label(d: dt.date) -> str:
    return f"{d:%Y-%m}"
