"""The periods of a focus audit (SPEC R45): parsing the ``periods`` argument of
:func:`jobindsats.audit` and the ``"YYYY-MM-DD:YYYY-MM-DD"`` labels of R45.10."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np


def period_label(start: dt.date, end: dt.date) -> str:
    """R45.10: ``"YYYY-MM-DD:YYYY-MM-DD"``."""
    return f"{start.isoformat()}:{end.isoformat()}"


def _parse_day(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"periods: {what} must be a date (YYYY-MM-DD), got {value!r}") from None


def _is_day(value: Any) -> bool:
    return isinstance(value, dt.date) or (isinstance(value, str) and ":" not in value)


def _one_period(value: Any, i: int) -> tuple[dt.date, dt.date]:
    if isinstance(value, str) and ":" in value:
        first, _, last = value.partition(":")
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        first, last = value
    else:
        raise ValueError(
            f"periods: period {i + 1} must be a (start, end) pair or 'YYYY-MM-DD:YYYY-MM-DD', "
            f"got {value!r}"
        )
    start = _parse_day(first, f"the start of period {i + 1}")
    end = _parse_day(last, f"the end of period {i + 1}")
    if end < start:
        raise ValueError(f"periods: period {i + 1} ends ({end}) before it starts ({start})")
    return start, end


def parse_periods(periods: Any) -> list[tuple[dt.date, dt.date]]:
    """One or two periods: ``(start, end)`` pairs of dates or ISO strings, or
    ``"YYYY-MM-DD:YYYY-MM-DD"`` strings; a single pair or string is one period."""
    if isinstance(periods, str):
        items: list[Any] = [periods]
    else:
        try:
            items = list(periods)
        except TypeError:
            raise ValueError(f"periods: expected one or two periods, got {periods!r}") from None
        if len(items) == 2 and all(_is_day(x) for x in items):
            items = [tuple(items)]
    if not items:
        raise ValueError("periods: at least one period is needed")
    if len(items) > 2:
        raise ValueError(
            f"periods: at most two periods (before and after, R45.8), got {len(items)}"
        )
    return [_one_period(p, i) for i, p in enumerate(items)]


def day_of(d: dt.date) -> int:
    """The day number of a date (days since 1970-01-01, Arrow's date32)."""
    return (d - dt.date(1970, 1, 1)).days


def iso_day(day: int) -> str:
    """A day number as ``YYYY-MM-DD``."""
    return str(np.datetime64(int(day), "D"))
