"""Helpers of the synthetic generator (:mod:`jobindsats.synth`): day arithmetic, ragged
expansion, the chunk context, persons and residence.

Everything works on whole NumPy arrays; day numbers are ``int64`` days since 1970-01-01
(Arrow ``date32`` after the final cast).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .municipalities import MUNICIPALITIES, POPULATION
from .rules import day_number

#: municipality codes in code order and their population weights (cumulative)
MUNI_CODES = np.array(sorted(MUNICIPALITIES), dtype=np.int16)
_w = np.array([POPULATION[int(c)] for c in MUNI_CODES], dtype=np.float64)
MUNI_CUM = np.cumsum(_w / _w.sum())
N_MUNI = MUNI_CODES.size

#: day number of 1900-01-01; every generated date lies in [1900, 2100]
DAY_1900 = day_number(dt.date(1900, 1, 1))
#: bits for a day offset from 1900 in packed sort / search keys (2100 - 1900 < 2**17 days)
DAY_BITS = 17


def to_day(d: str | dt.date) -> int:
    """Day number of an ISO date string or a ``datetime.date``."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return day_number(d)


# Lookup tables over every day of 1900..2100 (gathers are much faster than datetime64
# conversions): month number of each day, first day of each month, weekdays before a day.
_DAYS = np.arange(DAY_1900, day_number(dt.date(2101, 1, 2)), dtype=np.int64)
_MONTH_LUT = _DAYS.astype("M8[D]").astype("M8[M]").astype(np.int64)
_MONTH0 = int(_MONTH_LUT[0])
_MONTH_FIRST_LUT = (
    np.arange(_MONTH0, _MONTH_LUT[-1] + 2).astype("M8[M]").astype("M8[D]").astype(np.int64)
)
_x = _DAYS - 4  # 1970-01-05 (day 4) is a Monday
_WEEKDAYS_LUT = 5 * (_x // 7) + np.minimum(_x % 7, 5)  # weekdays in [1970-01-05, d)
del _x


def month_of(d: np.ndarray) -> np.ndarray:
    """Month number (months since 1970-01) of day numbers (1900..2100)."""
    return _MONTH_LUT[np.asarray(d, dtype=np.int64) - DAY_1900]


def month_first(m: np.ndarray) -> np.ndarray:
    """Day number of the first day of month numbers (1900-01..2101-01)."""
    return _MONTH_FIRST_LUT[np.asarray(m, dtype=np.int64) - _MONTH0]


def weekdays(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of weekdays (Monday..Friday) in the closed interval ``[a, b]``."""
    return _WEEKDAYS_LUT[np.asarray(b) + 1 - DAY_1900] - _WEEKDAYS_LUT[np.asarray(a) - DAY_1900]


def uniform_weekday(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A uniform weekday (Monday..Friday) in each closed interval ``[a, b]``; a uniform day
    where the interval has no weekday (requires ``b >= a``)."""
    wa = _WEEKDAYS_LUT[a - DAY_1900]
    nw = _WEEKDAYS_LUT[b + 1 - DAY_1900] - wa
    k = wa + (rng.random(np.size(a)) * nw).astype(np.int64)  # weekday number from 1970-01-05
    day = 4 + 7 * (k // 5) + k % 5
    return np.where(nw > 0, day, a + (rng.random(np.size(a)) * (b - a + 1)).astype(np.int64))


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ragged expansion: ``owner`` (index repeated ``counts`` times) and ``rank`` (0..count-1)."""
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts
    rank = np.arange(owner.size, dtype=np.int64) - offsets[owner]
    return owner, rank


def pick(rng: np.random.Generator, cum: np.ndarray, size: int) -> np.ndarray:
    """Categorical draws (indices) from a cumulative probability vector."""
    return np.searchsorted(cum, rng.random(size) * cum[-1], side="right").astype(np.int64)


def pick_rows(rng: np.random.Generator, cum2d: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Categorical draws where draw ``i`` uses the cumulative row ``cum2d[rows[i]]``
    (rows normalised to end at 1): one ``searchsorted`` over the rows laid end to end."""
    r, w = cum2d.shape
    flat = (cum2d + np.arange(r)[:, None]).ravel()
    u = rng.random(rows.size) + rows
    return np.minimum(np.searchsorted(flat, u, side="right") - rows * w, w - 1)


def cumulative(p: ArrayLike) -> np.ndarray:
    """Row-wise cumulative probabilities (normalised)."""
    p = np.asarray(p, dtype=np.float64)
    c = np.cumsum(p, axis=-1)
    return c / c[..., -1:]


def lognormal_days(
    rng: np.random.Generator,
    median: np.ndarray | float,
    sigma: np.ndarray | float,
    lo: np.ndarray | float,
    hi: np.ndarray | float,
    size: int,
) -> np.ndarray:
    """Durations in days: log-normal around ``median``, clipped to ``[lo, hi]``."""
    x = np.exp(np.log(median) + sigma * rng.standard_normal(size))
    return np.clip(np.rint(x), lo, hi).astype(np.int64)


def uniform_in(rng: np.random.Generator, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A uniform day in each closed interval ``[a, b]`` (requires ``b >= a``)."""
    return a + (rng.random(np.size(a)) * (b - a + 1)).astype(np.int64)


@dataclass
class Chunk:
    """The state shared by the table generators for one chunk of persons."""

    rng: np.random.Generator
    n: int
    first_id: int
    start: int  # first day of the period
    end: int  # last day of the period
    birth: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    main_muni: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # index
    res_person: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    res_muni: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # index
    res_start: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    res_end: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def age_years(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        return (day - self.birth[person]) / 365.25

    def municipality_at(self, person: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Residence municipality code on ``day``; the main municipality in a gap."""
        key_rows = (self.res_person << DAY_BITS) + (self.res_start - DAY_1900)
        key = (person << DAY_BITS) + (day - DAY_1900)
        i = np.searchsorted(key_rows, key, side="right") - 1
        i = np.maximum(i, 0)
        ok = (self.res_person[i] == person) & (self.res_end[i] >= day)
        idx = np.where(ok, self.res_muni[i], self.main_muni[person])
        return MUNI_CODES[idx]


def make_persons(ch: Chunk) -> dict[str, np.ndarray]:
    """Birth dates (ages mostly 16..60 at the period start, a few younger / older) and the
    ~0.5 % of persons without a ``persons`` row."""
    rng, n = ch.rng, ch.n
    u = rng.random(n)
    age = np.where(
        u < 0.04,
        rng.uniform(12.0, 16.0, n),
        np.where(u < 0.92, rng.uniform(16.0, 60.0, n), rng.uniform(60.0, 72.0, n)),
    )
    ch.birth = ch.start - np.rint(age * 365.25).astype(np.int64)
    keep = rng.random(n) >= 0.005
    return {"person": np.flatnonzero(keep), "birth_date": ch.birth[keep]}


def make_residence(ch: Chunk) -> dict[str, np.ndarray]:
    """Address history: a population-weighted main municipality, ~10 % move once or twice,
    ~0.3 % have a gap without a residence row. Rows are consecutive and end on the last day
    of the period; the first starts before the period (or at birth)."""
    rng, n, S, E = ch.rng, ch.n, ch.start, ch.end
    main = pick(rng, MUNI_CUM, n)
    u = rng.random(n)
    moves = np.where(u < 0.03, 2, np.where(u < 0.10, 1, 0))
    gap = rng.random(n) < 0.003
    moves = np.where(gap, np.maximum(moves, 1), moves)
    b1 = S + 30 + rng.integers(0, E - S - 31, n)
    b2 = S + 30 + rng.integers(0, E - S - 31, n)
    lo, hi = np.minimum(b1, b2), np.maximum(b1, b2)
    hi = np.where(hi == lo, hi + 1, hi)
    first = np.where(moves == 2, lo, b1)
    m1 = pick(rng, MUNI_CUM, n)
    m1 = np.where(m1 == main, (m1 + 1) % N_MUNI, m1)
    m1 = np.where(gap & (rng.random(n) < 0.7), main, m1)  # away and back again
    m2 = pick(rng, MUNI_CUM, n)
    m2 = np.where(m2 == m1, (m2 + 1) % N_MUNI, m2)
    r0 = np.maximum(ch.birth, S - 1826 - rng.integers(0, 3650, n))
    gap_len = rng.integers(10, 121, n)

    owner, rank = expand(moves + 1)
    nseg = moves[owner] + 1
    start = np.select([rank == 0, rank == 1], [r0[owner], first[owner]], hi[owner])
    nxt = np.select([rank == 0, rank == 1], [first[owner], hi[owner]], E + 1)
    end = np.where(rank == nseg - 1, E, nxt - 1)
    end = np.where(gap[owner] & (rank == 0), end - gap_len[owner], end)
    muni = np.select([rank == 0, rank == 1], [main[owner], m1[owner]], m2[owner])

    ch.main_muni = main
    ch.res_person, ch.res_muni, ch.res_start, ch.res_end = owner, muni, start, end
    return {"person": owner, "municipality": MUNI_CODES[muni], "start": start, "end": end}
