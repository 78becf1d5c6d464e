"""Benefit careers of the synthetic generator (:mod:`jobindsats.synth`): spells, the
``benefits`` payment rows and ``dagpenge_periods``.

A career is a sequence of spells per person, drawn as a Markov chain over the benefit
groups: after each spell either a *linked* transition follows after a short gap (dagpenge
exhausted → kontanthjælp, overgangsydelse → kontanthjælp within a month (R8),
forrevalidering → revalidering (R7), sygedagpenge → jobafklaring, ...) or the person
leaves benefits for an exponential time (person-specific mean) and re-enters with a
group drawn from the entry distribution — or never comes back. Spells are vectorised
over persons; the loop runs over the spell number only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .schema import BENEFITS
from .synth_base import (
    DAY_1900,
    DAY_BITS,
    Chunk,
    cumulative,
    expand,
    lognormal_days,
    month_first,
    month_of,
    pick,
    uniform_in,
    weekdays,
)

# benefit codes (indices in schema.BENEFITS)
DP, SDP, KH, UH, OY, REV, FREV, RFL, JAF, LY, AF, OYP, FTP, OTH = (
    BENEFITS.index(b)
    for b in (
        "dagpenge",
        "sygedagpenge",
        "kontanthjaelp",
        "uddannelseshjaelp",
        "overgangsydelse",
        "revalidering",
        "forrevalidering",
        "ressourceforloeb",
        "jobafklaring",
        "ledighedsydelse",
        "arbejdsfordeling",
        "overgangsydelse_program",
        "foertidspension",
        "other",
    )
)
EXH = len(BENEFITS)  # pseudo state: dagpenge spell that ran to exhaustion (2 years)

#: spell duration in days per group: (median, sigma, min, max); foertidspension is absorbing
_DUR = {
    DP: (130, 1.1, 14, 730),
    SDP: (45, 1.0, 7, 400),
    KH: (420, 1.1, 30, 4000),
    UH: (270, 1.0, 30, 2500),
    OY: (300, 0.9, 30, 2500),
    REV: (550, 0.6, 90, 2200),
    FREV: (100, 0.6, 21, 365),
    RFL: (650, 0.5, 365, 1826),
    JAF: (520, 0.5, 365, 1826),
    LY: (200, 1.1, 30, 2500),
    AF: (60, 0.6, 14, 180),
    OYP: (400, 0.7, 60, 1500),
    FTP: (10_000, 0.1, 10_000, 10_000),
    OTH: (90, 1.0, 14, 1000),
}
DUR = np.array([_DUR[g] for g in range(len(BENEFITS))], dtype=np.float64)

#: entry distribution of a career (and after every free transition)
_ENTRY = {
    DP: 30,
    SDP: 35,
    KH: 11,
    OY: 3,
    REV: 0.5,
    FREV: 1.5,
    RFL: 1.5,
    JAF: 1.0,
    LY: 2.5,
    AF: 2.0,
    OYP: 2.0,
    FTP: 0.4,
    OTH: 12,
}
ENTRY_CUM = cumulative([_ENTRY.get(g, 0.0) for g in range(len(BENEFITS))])

#: linked transitions: state -> (next group, probability, gap min, gap max in days)
_LINKS: dict[int, list[tuple[int, float, int, int]]] = {
    DP: [(KH, 0.04, 1, 30), (SDP, 0.03, 0, 0)],
    EXH: [(KH, 0.50, 1, 45)],
    SDP: [(JAF, 0.08, 0, 1), (RFL, 0.02, 0, 14), (DP, 0.05, 0, 14)],
    KH: [(RFL, 0.06, 0, 10), (FREV, 0.03, 0, 10)],
    UH: [(KH, 0.10, 0, 5), (FREV, 0.02, 0, 10)],
    OY: [(KH, 0.50, 1, 25), (KH, 0.10, 35, 90), (UH, 0.10, 1, 25)],  # R8 with gaps < 1 month
    OYP: [(OY, 0.30, 0, 10), (KH, 0.20, 1, 20)],
    FREV: [(REV, 0.85, 0, 0)],  # R7
    RFL: [(FTP, 0.12, 0, 30), (LY, 0.15, 0, 30), (RFL, 0.15, 0, 0)],
    JAF: [(RFL, 0.20, 0, 14), (FTP, 0.06, 0, 30), (LY, 0.10, 0, 30), (SDP, 0.20, 0, 0)],
    AF: [(DP, 0.20, 0, 10)],
}
_NL = max(len(v) for v in _LINKS.values())
LNEXT = np.full((EXH + 1, _NL), -1, dtype=np.int64)
LCUM = np.zeros((EXH + 1, _NL))
LGAP = np.zeros((EXH + 1, _NL, 2), dtype=np.int64)
for _s, _opts in _LINKS.items():
    _c = 0.0
    for _j in range(_NL):
        if _j < len(_opts):
            _nx, _p, _lo, _hi = _opts[_j]
            _c += _p
            LNEXT[_s, _j], LGAP[_s, _j] = _nx, (_lo, _hi)
        LCUM[_s, _j] = _c

P_NEVER = 0.25  # persons with no benefit career at all
P_LEAVE = 0.04  # leave benefits for good after a spell without a linked transition
GAP_MEDIAN, GAP_SIGMA = 550.0, 0.9  # person-specific mean time off benefits (days)
LEAD_DAYS = 8 * 365  # careers start up to 8 years before the period
KEEP_BEFORE = 365  # spells ending earlier than this before the period are dropped
MAX_SPELLS = 200


@dataclass
class Spells:
    person: np.ndarray
    group: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def take(self, sel: np.ndarray) -> Spells:
        return Spells(self.person[sel], self.group[sel], self.start[sel], self.end[sel])

    @property
    def days(self) -> np.ndarray:
        return self.end - self.start + 1

    @staticmethod
    def concat(parts: list[Spells]) -> Spells:
        return Spells(
            *(np.concatenate([getattr(p, f) for p in parts]) for f in Spells.__dataclass_fields__)
        )


def _age_switch(ch: Chunk, who: np.ndarray, t: np.ndarray, g: np.ndarray) -> np.ndarray:
    """kontanthjælp below 30 is mostly uddannelseshjælp, uddannelseshjælp from 30 is
    kontanthjælp."""
    young = ch.age_years(who, t) < 30.0
    g = np.where((g == KH) & young & (ch.rng.random(g.size) < 0.85), UH, g)
    return np.where((g == UH) & ~young, KH, g)


def careers(ch: Chunk) -> tuple[Spells, np.ndarray]:
    """All career spells of the chunk and, per spell, the first day of the ordinary
    dagpenge period it belongs to (only meaningful for dagpenge spells): a return to
    dagpenge within a year usually continues the period, otherwise a new one opens."""
    rng, n, S, E = ch.rng, ch.n, ch.start, ch.end
    gap_mean = np.exp(np.log(GAP_MEDIAN) + GAP_SIGMA * rng.standard_normal(n))
    who = np.flatnonzero(rng.random(n) >= P_NEVER)
    t = S - rng.integers(0, LEAD_DAYS, who.size) + rng.exponential(gap_mean[who]).astype(np.int64)
    # careers begin at 15..16 at the earliest (a few months under 16 for R2) and end
    # around pension age (68..70; some spells run past it)
    earliest = ch.birth + (365.25 * rng.uniform(15.0, 16.0, n)).astype(np.int64)
    latest = ch.birth + (365.25 * rng.uniform(68.0, 70.0, n)).astype(np.int64)
    t = np.maximum(t, earliest[who])
    g = _age_switch(ch, who, t, pick(rng, ENTRY_CUM, who.size))
    last_dp_end = np.full(n, -(10**7), dtype=np.int64)
    period_of = np.zeros(n, dtype=np.int64)
    e = np.empty(0, dtype=np.int64)
    parts: list[Spells] = [Spells(e, e, e, e)]
    period_parts: list[np.ndarray] = [e]
    for _ in range(MAX_SPELLS):
        live = t <= E
        who, t, g = who[live], t[live], g[live]
        m = who.size
        if m == 0:
            break
        dur = lognormal_days(rng, DUR[g, 0], DUR[g, 1], DUR[g, 2], DUR[g, 3], m)
        end = np.where(g == FTP, E, t + dur - 1)
        is_dp = g == DP
        newp = is_dp & ((t - last_dp_end[who] > 365) | (rng.random(m) < 0.3))
        last_dp_end[who[is_dp]] = end[is_dp]
        period_of[who[newp]] = t[newp]
        parts.append(Spells(who, g, t, np.minimum(end, E)))
        period_parts.append(np.where(is_dp, period_of[who], 0))

        state = np.where(is_dp & (dur >= DUR[DP, 3]), EXH, g)
        u = rng.random(m)
        j = (u[:, None] >= LCUM[state]).sum(axis=1)
        jj = np.minimum(j, _NL - 1)
        linked = j < _NL
        nxt = np.where(linked, LNEXT[state, jj], -1)
        linked &= nxt >= 0
        glo, ghi = LGAP[state, jj, 0], LGAP[state, jj, 1]
        lgap = glo + (rng.random(m) * (ghi - glo + 1)).astype(np.int64)
        fgap = 1 + rng.exponential(gap_mean[who]).astype(np.int64)
        t_next = end + 1 + np.where(linked, lgap, fgap)
        g_next = np.where(linked, nxt, pick(rng, ENTRY_CUM, m))
        g_next = _age_switch(ch, who, t_next, g_next)
        stay = (linked | (rng.random(m) >= P_LEAVE)) & (g != FTP) & (t_next < latest[who])
        who, t, g = who[stay], t_next[stay], g_next[stay]

    return Spells.concat(parts), np.concatenate(period_parts)


def dagpenge_periods(ch: Chunk, sp: Spells, period: np.ndarray) -> dict[str, np.ndarray]:
    """The start of every ordinary period that a (kept) dagpenge spell belongs to,
    sometimes a new start in the middle of long unemployment; ~5 % of persons have no
    counter data (D8)."""
    rng = ch.rng
    sel = sp.group == DP
    key = np.unique((sp.person[sel] << DAY_BITS) + (period[sel] - DAY_1900))
    person, start = key >> DAY_BITS, (key & ((1 << DAY_BITS) - 1)) + DAY_1900
    dp = sp.take(sel)
    long = dp.days > 365
    mid = long & (rng.random(dp.person.size) < 0.2)
    mid_start = (
        dp.start[mid] + 180 + (rng.random(mid.sum()) * (dp.days[mid] - 210)).astype(np.int64)
    )
    person = np.concatenate([person, dp.person[mid]])
    start = np.concatenate([start, mid_start])
    no_counter = rng.random(ch.n) < 0.05
    keep = ~no_counter[person]
    return {"person": person[keep], "start": start[keep]}


def sickness_overlays(ch: Chunk, sp: Spells) -> Spells:
    """Sickness (sygedagpenge) during other benefit spells, ~8 % per spell-year."""
    rng = ch.rng
    hostable = np.isin(sp.group, (DP, KH, UH, OY, REV, RFL, LY, FTP))
    p = 1.0 - np.exp(-np.minimum(sp.days, 3650) / 365.0 * 0.08)
    host = sp.take(hostable & (rng.random(sp.person.size) < p))
    a = uniform_in(rng, host.start, host.end)
    length = lognormal_days(rng, 40, 0.8, 7, 300, a.size)
    return Spells(host.person, np.full(a.size, SDP), a, np.minimum(a + length - 1, ch.end))


def _monthly(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, gaps: bool):
    """Split spells ``[a, b]`` into calendar-month payment rows. With ``gaps`` some inner
    rows lose a few days at their start (a gap under a month) and a few inner months are
    not paid at all (a gap containing a whole calendar month, D4)."""
    ma = month_of(a)
    cnt = month_of(b) - ma + 1
    owner, rank = expand(cnt)
    m = ma[owner] + rank
    rs = np.maximum(a[owner], month_first(m))
    re = np.minimum(b[owner], month_first(m + 1) - 1)
    if not gaps:
        return owner, rs, re
    inner = (rank > 0) & (rank < cnt[owner] - 1)
    u = rng.random(owner.size)
    drop = inner & (u < 0.004)
    trim = inner & (u >= 0.004) & (u < 0.03)
    k = 1 + (rng.random(owner.size) * np.minimum(20, re - rs)).astype(np.int64)
    rs = np.where(trim, np.minimum(rs + k, re), rs)
    keep = ~drop
    return owner[keep], rs[keep], re[keep]


def _sickness_rows(rng: np.random.Generator, sk: Spells):
    """Sickness-absence rows: one to three rows per sickness spell; consecutive rows mostly
    overlap (one spell, R9), sometimes only touch or share a single day (two spells, D6)."""
    L = sk.days
    u = rng.random(L.size)
    k = np.where(L < 6, 0, np.where(u < 0.70, 0, np.where(u < 0.92, 1, 2)))
    owner, rank = expand(k + 1)
    a, b, Lo = sk.start[owner], sk.end[owner], L[owner]
    h = Lo // 2
    c1 = a + 1 + (rng.random(owner.size) * np.maximum(h - 1, 1)).astype(np.int64)
    c2 = a + h + 1 + (rng.random(owner.size) * np.maximum(Lo - h - 2, 1)).astype(np.int64)
    c2 = np.minimum(c2, b)
    start = np.select([rank == 0, rank == 1], [a, c1], c2)
    nxt = np.select([rank == 0, rank == 1], [c1, c2], b + 1)
    last = rank == k[owner]
    v = rng.random(owner.size)
    ext = np.where(
        v < 0.1, -1, np.where(v < 0.2, 0, 1 + (rng.random(owner.size) * 10).astype(np.int64))
    )
    end = np.where(last, b, np.minimum(nxt + ext, b))
    return sk.person[owner], start, end


def benefit_rows(ch: Chunk, sp: Spells, sick: Spells) -> dict[str, np.ndarray]:
    """The ``benefits`` table: monthly payment rows of every spell except sygedagpenge,
    sickness-absence rows of sygedagpenge (career spells and overlays), supplementary
    kontanthjælp on top of dagpenge / førtidspension, and dagpenge hours / part-time."""
    rng = ch.rng
    monthly = sp.take(sp.group != SDP)
    o, rs, re = _monthly(rng, monthly.start, monthly.end, gaps=True)
    person, group = monthly.person[o], monthly.group[o]

    # supplementary kontanthjælp on top of dagpenge or førtidspension
    host = monthly.take(
        ((monthly.group == DP) & (rng.random(monthly.person.size) < 0.06))
        | ((monthly.group == FTP) & (rng.random(monthly.person.size) < 0.08))
    )
    sa = host.start + (rng.random(host.person.size) * host.days * 0.7).astype(np.int64)
    sb = np.minimum(host.end, sa + lognormal_days(rng, 90, 0.7, 20, 365, sa.size) - 1)
    so, srs, sre = _monthly(rng, sa, sb, gaps=False)

    sick_all = Spells.concat([sp.take(sp.group == SDP), sick])
    kp, ks, ke = _sickness_rows(rng, sick_all)

    person = np.concatenate([person, host.person[so], kp])
    group = np.concatenate([group, np.full(so.size, KH), np.full(kp.size, SDP)])
    start = np.concatenate([rs, srs, ks])
    end = np.concatenate([re, sre, ke])
    supp = np.zeros(person.size, dtype=bool)
    supp[rs.size : rs.size + so.size] = True

    # dagpenge: paid hours per monthly row (share of the month's weekdays), part-time
    # insured persons (130 h a month, else 160.33 h), deductions, a few null hours
    part_person = rng.random(ch.n) < 0.10
    pt_null_person = rng.random(ch.n) < 0.5
    dp = np.flatnonzero(group == DP)
    ds, de, pt = start[dp], end[dp], part_person[person[dp]]
    m = month_of(ds)
    frac = weekdays(ds, de) / weekdays(month_first(m), month_first(m + 1) - 1)
    h = np.round(np.where(pt, 130.0, 160.33) * frac, 2)
    ded = rng.random(dp.size) < 0.15
    h = np.where(ded, np.round(h * rng.uniform(0.3, 0.95, dp.size), 2), h)
    h[rng.random(dp.size) < 0.01] = np.nan
    hours = np.full(person.size, np.nan)
    hours[dp] = h
    part_time = np.full(person.size, -1, dtype=np.int8)
    part_time[dp] = np.where(pt, 1, np.where(pt_null_person[person[dp]], -1, 0))
    return {
        "person": person,
        "benefit": group.astype(np.int8),
        "start": start,
        "end": end,
        "hours": hours,
        "part_time": part_time,
        "supplementary": supp,
    }


def keep_recent(ch: Chunk, sp: Spells, period: np.ndarray) -> tuple[Spells, np.ndarray]:
    """Drop spells that ended long before the period (they cannot affect it)."""
    keep = sp.end >= ch.start - KEEP_BEFORE
    return sp.take(keep), period[keep]
