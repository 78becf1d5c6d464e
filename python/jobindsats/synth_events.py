"""Events around the benefit spells of the synthetic generator (:mod:`jobindsats.synth`):
interviews, registrations, exemptions, MII days, offers, assessment categories and
employment hours. Every generator takes the spell arrays and draws per-spell counts
(Poisson with group-specific rates) that are expanded with :func:`expand`.
"""

from __future__ import annotations

import numpy as np

from .rules import V1_73, day_number
from .schema import BENEFITS, CONTACT_FORMS, HOLDERS, INTERVIEW_KINDS
from .synth_base import (
    DAY_1900,
    N_MUNI,
    Chunk,
    cumulative,
    expand,
    lognormal_days,
    month_first,
    month_of,
    pick_rows,
    to_day,
    uniform_in,
    uniform_weekday,
)
from .synth_spells import (
    DP,
    FREV,
    JAF,
    KH,
    LY,
    OTH,
    OY,
    OYP,
    REV,
    RFL,
    SDP,
    UH,
    Spells,
)

NB = len(BENEFITS)
_RULES = V1_73
LOOKBACK = 366  # events are generated from this many days before the period on

# --- interviews ------------------------------------------------------------------------

#: interviews per month on a spell, by benefit group
_IV_RATE = {
    DP: 1.0,
    SDP: 0.5,
    KH: 0.5,
    UH: 0.5,
    OY: 0.4,
    REV: 0.25,
    FREV: 0.3,
    RFL: 0.4,
    JAF: 0.4,
    LY: 0.3,
    OYP: 0.2,
    OTH: 0.02,
}
IV_RATE = np.array([_IV_RATE.get(g, 0.0) for g in range(NB)])
#: kind (jobsamtale, sygeopfoelgning, anden) by benefit group
KIND_CUM = cumulative(
    [
        [0.0, 0.92, 0.08] if g == SDP else [0.4, 0.0, 0.6] if g in (OYP, OTH) else [0.9, 0.0, 0.1]
        for g in range(NB)
    ]
)
#: holder (jobcenter, anden_aktoer, akasse) by benefit group
HOLDER_CUM = cumulative([[0.75, 0.13, 0.12] if g == DP else [0.87, 0.13, 0.0] for g in range(NB)])

_I = INTERVIEW_KINDS.index
_F = CONTACT_FORMS.index
_H = HOLDERS.index
#: contact form (personligt, telefon, digitalt) by era: rows start on these dates
ERA_START = np.array([to_day(d) for d in ("1900-01-01", "2020-03-12", "2020-05-27", "2023-01-01")])
ERA_FORM = np.array(
    [[0.92, 0.05, 0.03], [0.15, 0.65, 0.20], [0.50, 0.32, 0.18], [0.60, 0.25, 0.15]]
)
CLOSED = (
    day_number(_RULES.covid_interviews_never[0]),
    day_number(_RULES.covid_interviews_never[1]),
)
# R14: the skærpet-tilsyn COVID dead period (v1.73: the same for every group)
COVID = (
    day_number(_RULES.covid_dead["kontanthjaelp"][0][0]),
    day_number(_RULES.covid_dead["kontanthjaelp"][0][1]),
)


# R23: per municipality code the trial period and the extra share moved from personligt
# to telefon / digitalt inside it (every trial municipality is in one trial only)
TRIAL_START = np.full(1000, 1, dtype=np.int64)
TRIAL_END = np.zeros(1000, dtype=np.int64)
TRIAL_SHIFT = np.zeros((1000, 3))
for _t in _RULES.trial_municipalities:
    TRIAL_START[_t.municipality] = day_number(_t.start)
    TRIAL_END[_t.municipality] = day_number(_t.end)
    for _f in _t.forms:
        TRIAL_SHIFT[_t.municipality, _F(_f)] = 0.25 if _f == "digitalt" else 0.15


def _form(ch: Chunk, date: np.ndarray, muni: np.ndarray) -> np.ndarray:
    """Contact form by era; trial municipalities use their allowed forms more (R23)."""
    p = ERA_FORM[np.searchsorted(ERA_START, date, side="right") - 1]
    m = muni.astype(np.int64)
    trial = np.flatnonzero((date >= TRIAL_START[m]) & (date <= TRIAL_END[m]))
    shift = TRIAL_SHIFT[m[trial]]
    shift *= np.minimum(1.0, p[trial, 0] / shift.sum(axis=1))[:, None]
    p[trial, 1:] += shift[:, 1:]
    p[trial, 0] -= shift[:, 1:].sum(axis=1)
    c = np.cumsum(p, axis=1)
    u = ch.rng.random(date.size)
    return (u >= c[:, 0]).astype(np.int64) + (u >= c[:, 1])


def interviews(
    ch: Chunk, sp: Spells, pre_person: np.ndarray, pre_date: np.ndarray, pre_group: np.ndarray
) -> dict[str, np.ndarray]:
    """Interviews: a Poisson process on every spell (rate by group, person and
    municipality) on weekdays, plus the pre-payment job interviews after a registration
    (R24); almost none while the jobcentres were closed in spring 2020; ~1 % of the
    interview days have two."""
    rng = ch.rng
    lo = np.maximum(sp.start, ch.start - LOOKBACK)
    L = np.maximum(sp.end - lo + 1, 0)
    person_factor = rng.gamma(4.0, 0.25, ch.n)
    muni_factor = np.exp(0.25 * rng.standard_normal(N_MUNI))
    rate = IV_RATE[sp.group] * person_factor[sp.person] * muni_factor[ch.main_muni[sp.person]]
    cnt = rng.poisson(rate * L / 30.44)
    o, _ = expand(cnt)
    person = np.concatenate([sp.person[o], pre_person])
    group = np.concatenate([sp.group[o], pre_group])
    date = np.concatenate([uniform_weekday(rng, lo[o], sp.end[o]), pre_date])
    kind = pick_rows(rng, KIND_CUM, group)
    kind[o.size :] = _I("jobsamtale")

    # spring 2020: almost nothing while closed, fewer around it
    u = rng.random(date.size)
    closed = (date >= CLOSED[0]) & (date <= CLOSED[1])
    covid = (date >= COVID[0]) & (date <= COVID[1])
    keep = ~((closed & (u < 0.95)) | (covid & (u < 0.3)))
    # ~1 % of interviews get a second one on the same day
    dup = np.flatnonzero(keep & (rng.random(date.size) < 0.01))
    idx = np.concatenate([np.flatnonzero(keep), dup])
    person, group, date, kind = person[idx], group[idx], date[idx], kind[idx]
    n = idx.size

    muni = ch.municipality_at(person, date)
    form = _form(ch, date, muni)
    held = pick_rows(rng, HOLDER_CUM, group)
    is_dp = group == DP
    akasse = held == _H("akasse")
    jc = held == _H("jobcenter")
    jc_present = ~akasse | (rng.random(n) < 0.35)
    joint = (akasse & jc_present) | (is_dp & jc & (rng.random(n) < 0.12))
    akasse_present = akasse | joint
    return {
        "person": person,
        "date": date,
        "kind": kind.astype(np.int8),
        "form": form.astype(np.int8),
        "held_by": held.astype(np.int8),
        "joint": joint,
        "akasse_present": akasse_present,
        "jobcenter_present": jc_present,
        "municipality": muni,
    }


# --- registrations (R24) -----------------------------------------------------------------


def registrations(ch: Chunk, sp: Spells):
    """A registration 0..90 days before ~60 % of the spells of the R24 groups, and for
    ~40 % of them one or two job interviews between registration and spell start.
    Returns the table and the pre-payment interviews (person, date, group)."""
    rng = ch.rng
    sel = np.isin(sp.group, (DP, KH, UH, OY)) & (rng.random(sp.person.size) < 0.6)
    reg = sp.take(sel)
    r = reg.start - rng.integers(0, 91, reg.person.size)
    ok = r >= ch.start - LOOKBACK
    reg, r = reg.take(ok), r[ok]
    gap = reg.start - r
    n_pre = np.where((gap >= 2) & (rng.random(r.size) < 0.4), 1 + (rng.random(r.size) < 0.3), 0)
    o, _ = expand(n_pre)
    pre_date = uniform_weekday(rng, r[o], reg.start[o] - 1)
    table = {"person": reg.person, "date": r}
    return table, reg.person[o], pre_date, reg.group[o]


# --- exemptions ----------------------------------------------------------------------------


def _codes_of(group: str) -> tuple[int, ...]:
    return tuple(sorted({c for cs in _RULES.exemption_codes[group].values() for c in cs}))


NON_QUALIFYING = (1, 12, 30, 65, 99)
_GROUP_KEY = {
    DP: "dagpenge",
    SDP: "sygedagpenge",
    KH: "kontanthjaelp",
    UH: "uddannelseshjaelp",
    OY: "overgangsydelse",
    REV: "revalidering",
    FREV: "revalidering",
    RFL: "ressourceforloeb",
    JAF: "jobafklaring",
    LY: "ledighedsydelse",
}
#: per benefit group: table of codes (qualifying list + non-qualifying), padded
_CODE_LISTS = [
    (_codes_of(_GROUP_KEY[g]) if g in _GROUP_KEY else ()) + NON_QUALIFYING for g in range(NB)
]
_CW = max(len(c) for c in _CODE_LISTS)
CODE_TABLE = np.array([list(c) + [c[-1]] * (_CW - len(c)) for c in _CODE_LISTS], dtype=np.int64)
CODE_LEN = np.array([len(c) for c in _CODE_LISTS], dtype=np.int64)
QUAL_LEN = CODE_LEN - len(NON_QUALIFYING)
MEASURED = np.array([g in _GROUP_KEY for g in range(NB)])


def exemptions(ch: Chunk, sp: Spells) -> dict[str, np.ndarray]:
    """Exemption rows: short ones (days..months) on ~12 % of the spells, with a qualifying
    code of the group (75 %) or a non-qualifying one (65, 1, 99, ...); a long one covering
    most of ~5 % of the spells; maternity (901, 2..12 months) on ~0.4 % of the spells and
    ~1 % of all persons (~2 % of the persons in all); follow-up without personal contact
    (902) on ~1 % of the kontanthjælp, sygedagpenge, ressourceforløb, jobafklaring spells."""
    rng, S, E = ch.rng, ch.start, ch.end
    ms = sp.take(MEASURED[sp.group] & (sp.end >= S - LOOKBACK))
    m = ms.person.size
    L = ms.days
    # short exemptions
    cnt = np.where(rng.random(m) < 0.12, 1 + rng.integers(0, 3, m), 0)
    o, _ = expand(cnt)
    a1 = uniform_in(rng, ms.start[o], ms.end[o])
    e1 = a1 + lognormal_days(rng, 25, 1.0, 1, 240, o.size) - 1
    qual = rng.random(o.size) < 0.75
    g = ms.group[o]
    j = np.where(
        qual,
        (rng.random(o.size) * QUAL_LEN[g]).astype(np.int64),
        QUAL_LEN[g] + (rng.random(o.size) * len(NON_QUALIFYING)).astype(np.int64),
    )
    c1 = CODE_TABLE[g, j]
    p1 = ms.person[o]
    # exempt for most of a spell
    big = np.flatnonzero(rng.random(m) < 0.05)
    a2 = ms.start[big] + (rng.random(big.size) * 0.2 * L[big]).astype(np.int64)
    e2 = np.maximum(ms.end[big] - (rng.random(big.size) * 0.2 * L[big]).astype(np.int64), a2)
    c2 = CODE_TABLE[
        ms.group[big], (rng.random(big.size) * QUAL_LEN[ms.group[big]]).astype(np.int64)
    ]
    p2 = ms.person[big]
    # maternity / parental leave (901): in spells and at random
    mat = np.flatnonzero(np.isin(ms.group, (DP, KH, UH, SDP, OY)) & (rng.random(m) < 0.004))
    rnd = np.flatnonzero(rng.random(ch.n) < 0.01)
    a3 = np.concatenate(
        [
            uniform_in(rng, ms.start[mat], ms.end[mat]),
            S - 200 + rng.integers(0, E - S + 170, rnd.size),
        ]
    )
    p3 = np.concatenate([ms.person[mat], rnd])
    e3 = a3 + rng.integers(60, 366, a3.size) - 1
    # follow-up without personal contact (902)
    f = np.flatnonzero(np.isin(ms.group, (KH, SDP, RFL, JAF)) & (rng.random(m) < 0.01))
    a4 = uniform_in(rng, ms.start[f], ms.end[f])
    e4 = a4 + rng.integers(30, 181, f.size) - 1
    p4 = ms.person[f]
    return {
        "person": np.concatenate([p1, p2, p3, p4]),
        "code": np.concatenate([c1, c2, np.full(a3.size, 901), np.full(f.size, 902)]).astype(
            np.int16
        ),
        "start": np.concatenate([a1, a2, a3, a4]),
        "end": np.minimum(np.concatenate([e1, e2, e3, e4]), E + 365),
    }


# --- MII (R32) ---------------------------------------------------------------------------


def mii(ch: Chunk, sp: Spells) -> dict[str, np.ndarray]:
    """Reduced-intensity days from 2024: one to four rows of 1..10 days on ~10 % of the
    measured spells running in 2024 or later."""
    rng = ch.rng
    from_ = day_number(_RULES.exempt_2024_from)
    lo = np.maximum(sp.start, from_)
    sel = (
        MEASURED[sp.group]
        & (sp.group != SDP)
        & (sp.end >= lo)
        & (rng.random(sp.person.size) < 0.10)
    )
    idx = np.flatnonzero(sel)
    cnt = 1 + rng.integers(0, 4, idx.size)
    o, _ = expand(cnt)
    i = idx[o]
    a = uniform_in(rng, lo[i], sp.end[i])
    return {"person": sp.person[i], "start": a, "end": a + rng.integers(0, 10, a.size)}


# --- offers ------------------------------------------------------------------------------

_OF_RATE = {
    DP: 0.06,
    SDP: 0.01,
    KH: 0.07,
    UH: 0.08,
    OY: 0.08,
    REV: 0.10,
    FREV: 0.10,
    RFL: 0.06,
    JAF: 0.05,
    LY: 0.04,
}
OF_RATE = np.array([_OF_RATE.get(g, 0.0) for g in range(NB)])
#: offer kind mix per group (order of OFFER_KINDS)
OF_KIND_CUM = cumulative(
    [
        [0.40, 0.25, 0.20, 0.00, 0.10, 0.05]
        if g == DP
        else [0.15, 0.20, 0.05, 0.05, 0.50, 0.05]
        if g in (UH, REV, FREV)
        else [0.25, 0.30, 0.10, 0.20, 0.08, 0.07]
        if g in (KH, OY)
        else [0.30, 0.30, 0.15, 0.05, 0.10, 0.10]
        for g in range(NB)
    ]
)


def offers(ch: Chunk, sp: Spells) -> dict[str, np.ndarray]:
    """Active offers: Poisson per spell month (so more in long spells), person-specific
    propensity (many never activated); weeks to months long."""
    rng = ch.rng
    lo = np.maximum(sp.start, ch.start - LOOKBACK)
    L = np.maximum(sp.end - lo + 1, 0)
    prop = rng.gamma(0.6, 1 / 0.6, ch.n)
    cnt = rng.poisson(OF_RATE[sp.group] * prop[sp.person] * L / 30.44)
    o, _ = expand(cnt)
    a = uniform_in(rng, lo[o], sp.end[o])
    e = a + lognormal_days(rng, 50, 0.8, 7, 365, o.size) - 1
    return {
        "person": sp.person[o],
        "kind": pick_rows(rng, OF_KIND_CUM, sp.group[o]).astype(np.int8),
        "start": a,
        "end": np.minimum(e, ch.end + 180),
    }


# --- visitation ----------------------------------------------------------------------------

CAT_CUM = cumulative(
    [
        [0.0, 0.35, 0.45, 0.20]
        if g == UH
        else [0.50, 0.48, 0.0, 0.02]
        if g == OY
        else [0.55, 0.45, 0.0, 0.0]
        for g in range(NB)
    ]
)


def visitation(ch: Chunk, sp: Spells) -> dict[str, np.ndarray]:
    """Assessment category rows covering each kontanthjælp / uddannelseshjælp /
    overgangsydelse spell (~3 % missing); ~20 % of the spells change category once."""
    rng = ch.rng
    v = sp.take(np.isin(sp.group, (KH, UH, OY)) & (rng.random(sp.person.size) >= 0.03))
    m = v.person.size
    change = (v.days >= 60) & (rng.random(m) < 0.2)
    cut = v.start + 30 + (rng.random(m) * np.maximum(v.days - 59, 1)).astype(np.int64)
    o, rank = expand(1 + change)
    cat0 = pick_rows(rng, CAT_CUM, v.group)
    cat1 = pick_rows(rng, CAT_CUM, v.group)
    cat1 = np.where(cat1 == cat0, pick_rows(rng, CAT_CUM, v.group), cat1)
    two = change[o]
    start = np.where(rank == 1, cut[o], v.start[o])
    end = np.where(two & (rank == 0), cut[o] - 1, v.end[o])
    cat = np.where(rank == 1, cat1[o], cat0[o])
    return {"person": v.person[o], "category": cat.astype(np.int8), "start": start, "end": end}


# --- employment ----------------------------------------------------------------------------


def employment(ch: Chunk, sp: Spells) -> dict[str, np.ndarray]:
    """Monthly paid working hours (0..160): ~60 % of the months of ~40 % of the dagpenge
    spells, and a stretch of 3..24 months for ~5 % of all persons."""
    rng, S, E = ch.rng, ch.start, ch.end
    dp = sp.take((sp.group == DP) & (rng.random(sp.person.size) < 0.4))
    ma = month_of(np.maximum(dp.start, S - LOOKBACK))
    cnt = np.maximum(month_of(dp.end) - ma + 1, 0)
    o, rank = expand(cnt)
    m1 = ma[o] + rank
    k1 = rng.random(o.size) < 0.6
    p1, m1 = dp.person[o][k1], m1[k1]
    who = np.flatnonzero(rng.random(ch.n) < 0.05)
    first = month_of(S + rng.integers(0, E - S, who.size))
    cnt2 = np.minimum(rng.integers(3, 25, who.size), month_of(np.array([E]))[0] - first + 1)
    o2, rank2 = expand(cnt2)
    p2, m2 = who[o2], first[o2] + rank2
    person = np.concatenate([p1, p2])
    month = month_first(np.concatenate([m1, m2]))
    # one row per person and month
    _, first_row = np.unique((person << 20) + (month - DAY_1900), return_index=True)
    person, month = person[first_row], month[first_row]
    hours = np.round(160.0 * rng.beta(0.7, 1.3, person.size), 2)
    return {"person": person, "month": month, "hours": hours}
