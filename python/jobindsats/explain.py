"""``jobindsats.explain``: every step of the measurement for one person and month (R46).

The trace is built from the same kernel step functions the Numba backend runs
(``jobindsats.kernels``), called for one person: nothing is re-derived here, so the
explanation cannot drift from what the measurement does. They are imported (and Numba
loaded) on the first explanation only, so importing ``jobindsats`` stays light.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .kernels import constants as K
from .kernels.backend import DATA_FIELDS, ROW_FIELDS, KernelData
from .measure import month_range, parse_month
from .rules import EPOCH, RuleSet, get_rules
from .schema import (
    BENEFITS,
    CATEGORIES,
    CONTACT_FORMS,
    EXCLUSIONS,
    FINE_INTERVALS,
    GROUPS,
    HOLDERS,
    INTERVIEW_KINDS,
    YEAR_BANDS,
)

REASONS = {
    K.COUNTED: "counted",
    K.REJECT_DUPLICATE_DAY: "R27: another interview already counted that day",
    K.REJECT_KIND: "R21/R26: not the kind of interview counted for this group",
    K.REJECT_HOLDER: "R21/D16: held by the unemployment fund (counts for dagpenge only)",
    K.REJECT_OUTSIDE_WINDOW: "R20: outside the measurement window",
    K.REJECT_DEAD_DAY: "R13: held on an ordinary dead day",
    K.REJECT_COVID_CLOSED: "R14: held 2020-03-12..2020-05-26",
    K.REJECT_OTHER_BENEFIT: "R25: another main benefit that day",
    K.REJECT_FORM: "R22/R23: contact form not eligible",
}


def _date(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


@dataclass
class InterviewTrace:
    date: dt.date
    kind: str
    form: str
    held_by: str
    municipality: int
    counted: bool
    reason: str


@dataclass
class GroupTrace:
    """One measured group of the person in the month."""

    group: str
    reference_date: dt.date
    spell_start: dt.date
    duration_days: int | None
    duration_hours: float | None
    interval: str
    year_band: str | None
    window_start: dt.date
    prepayment_registration: dt.date | None
    dead_periods: list[tuple[dt.date, dt.date]]  # R13 ∪ this group's R14 periods (D11)
    interviews: list[InterviewTrace]
    counted: int
    exempt_days: int
    window_counted_days: int
    exempt_share: float
    mii_days: int
    exempt: bool
    excluded: str | None
    municipality: int
    category: str | None
    cells: list[str]
    last_offer_day: dt.date | None = None
    no_activation: bool = False
    passive: dict[str, bool] = field(default_factory=dict)
    samtaletal_met: bool = False


@dataclass
class Trace:
    """R46: the explanation of one person × month."""

    person_id: int
    month: dt.date
    rules: str
    rules_digest: str
    birth_date: dt.date | None
    main_benefit: list[tuple[dt.date, dt.date, str]]
    dead_periods: list[tuple[dt.date, dt.date]]
    groups: list[GroupTrace] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        lines = [
            f"person {self.person_id}, month {self.month:%Y-%m} (rule set {self.rules}, "
            f"sha256 {self.rules_digest})",
            f"  birth date: {self.birth_date or 'unknown (no persons row: R2 not applied)'}",
            "  main benefit per day (R5):",
        ]
        lines += [f"    {a} .. {b}  {name}" for a, b, name in self.main_benefit] or ["    none"]
        lines.append("  ordinary dead periods (R13):")
        lines += [f"    {a} .. {b}" for a, b in self.dead_periods] or ["    none"]
        if not self.groups:
            lines.append("  not in the population this month (R1: no measured main benefit)")
        for g in self.groups:
            lines.append(f"  group {g.group}:")
            lines.append(f"    reference date (R10): {g.reference_date}")
            dead = ", ".join(f"{a} .. {b}" for a, b in g.dead_periods) or "none"
            lines.append(f"    dead periods of the group (R13, R14): {dead}")
            lines.append(f"    spell start (R6-R9): {g.spell_start}")
            if g.duration_hours is not None:
                lines.append(f"    duration (R12): {g.duration_hours:.2f} paid hours")
            else:
                lines.append(f"    duration (R11): {g.duration_days} counted days")
            band = f" / {g.year_band}" if g.year_band else ""
            lines.append(f"    interval (R12): {g.interval}{band}")
            lines.append(f"    window (R20): {g.window_start} .. {g.reference_date}")
            if g.prepayment_registration:
                lines.append(f"    registration before payment (R24): {g.prepayment_registration}")
            lines.append("    interviews:")
            for iv in g.interviews:
                lines.append(
                    f"      {iv.date} {iv.kind} {iv.form} by {iv.held_by} ({iv.municipality}): "
                    f"{iv.reason}"
                )
            if not g.interviews:
                lines.append("      none")
            lines.append(f"    counted interviews (R27): {g.counted}")
            lines.append(
                f"    exemption (R30-R32): {g.exempt_days} of {g.window_counted_days} counted "
                f"days = {g.exempt_share:.1%}, MII days {g.mii_days} -> "
                f"{'exempt' if g.exempt else 'not exempt'}"
            )
            lines.append(f"    municipality (R42): {g.municipality}; category: {g.category or '-'}")
            if g.excluded:
                lines.append(
                    f"    EXCLUDED: {g.excluded} ({'R2' if g.excluded == 'age' else 'R3'})"
                )
            else:
                lines.append("    cells (R40): " + "; ".join(g.cells))
                if g.interval == "12+":
                    lines.append(
                        f"    last offer day: {g.last_offer_day or 'none'}; without activation "
                        f"in the window (R41): {'yes' if g.no_activation else 'no'}"
                    )
                    passive = [w for w, flag in g.passive.items() if flag]
                    lines.append(
                        "    passive (R44) in the latest: " + (", ".join(passive) or "none")
                    )
                if g.samtaletal_met:
                    lines.append("    samtaletal requirement (R43) met")
        return "\n".join(lines)


def explain(
    data: Any, person_id: int, month: str | dt.date, *, rules: str | RuleSet = "v1.73"
) -> Trace:
    """Explain the measurement of ``person_id`` in ``month`` (``YYYY-MM``), step by step."""
    from .dataset import Dataset, read_dataset
    from .kernels.person import Rows, make_scratch, measure_person, person_timeline

    dataset = data if isinstance(data, Dataset) else read_dataset(data)
    rule_set = get_rules(rules)
    arrays = dataset.kernel_arrays()
    ids = arrays["person_ids"]
    p = int(np.searchsorted(ids, person_id))
    if p >= ids.shape[0] or ids[p] != person_id:
        raise KeyError(f"person_id {person_id} is not in the dataset")
    D = KernelData(**{k: arrays[k] for k in DATA_FIELDS})
    R = rule_set.kernel_rules()
    mf, ml = month_range(month, month)
    off = lambda name: int(arrays[name][p + 1] - arrays[name][p])  # noqa: E731
    S = make_scratch(
        off("ben_off"), off("ex_off"), off("vis_off"), off("iv_off"), R.covid_dead_start.shape[0]
    )
    capacity = 32
    out = Rows(**{name: np.empty(capacity, dtype) for name, dtype in ROW_FIELDS.items()})
    quality = np.zeros(K.N_QUALITY, np.int64)
    n_rows = measure_person(D, R, S, p, mf, ml, out, 0, quality)
    birth = int(arrays["birth_date"][p])
    trace = Trace(
        person_id=int(person_id),
        month=parse_month(month),
        rules=rule_set.name,
        rules_digest=rule_set.digest,
        birth_date=None if birth == K.NO_DATE else _date(birth),
        main_benefit=[],
        dead_periods=[],
    )
    if arrays["ben_off"][p] == arrays["ben_off"][p + 1]:
        return trace
    counts = person_timeline(D, R, S, p)
    n_seg, n_odead = counts[0], counts[1]
    trace.dead_periods = [(_date(S.odead_start[i]), _date(S.odead_end[i])) for i in range(n_odead)]
    for i in range(n_seg):
        key = int(S.seg_key[i])
        name = GROUPS[key] if key < K.N_GROUPS else BENEFITS[key - K.UNMEASURED_KEY]
        trace.main_benefit.append((_date(S.seg_start[i]), _date(S.seg_end[i]), name))
    for i in range(n_rows):
        trace.groups.append(_group_trace(D, R, S, p, out, i, counts, rule_set, arrays))
    return trace


def _group_trace(D, R, S, p, out, i, counts, rule_set, arrays) -> GroupTrace:
    from .kernels.activation import (
        FIRST_PASSIVE_BIT,
        NO_ACTIVATION_BIT,
        SAMTALETAL_MET_BIT,
        last_offer_day,
    )
    from .kernels.counted import counted_days_between
    from .kernels.exemptions import qualifying_exempt_days
    from .kernels.interviews import classify_interviews, prepayment_registration
    from .kernels.person import duration_and_window
    from .kernels.segments import union_days

    n_seg, n_odead, _n_syg, n_cat = counts
    group = int(out.group[i])
    ref = int(out.reference[i])
    spell_start = int(out.spell_start[i])
    days, hours, _unit, interval, band, window_start = duration_and_window(
        D, R, S, p, group, spell_start, ref, counts
    )
    reg = prepayment_registration(D, R, p, group, spell_start)
    ilo, ihi = int(arrays["iv_off"][p]), int(arrays["iv_off"][p + 1])
    S.reasons[: ihi - ilo] = K.REJECT_OUTSIDE_WINDOW
    counted = classify_interviews(
        D, R, S, p, group, spell_start, reg, window_start, ref, interval, n_seg, n_odead,
        S.reasons,
    )  # fmt: skip
    interviews = [
        InterviewTrace(
            date=_date(arrays["iv_date"][j]),
            kind=INTERVIEW_KINDS[arrays["iv_kind"][j]],
            form=CONTACT_FORMS[arrays["iv_form"][j]],
            held_by=HOLDERS[arrays["iv_held_by"][j]],
            municipality=int(arrays["iv_muni"][j]),
            counted=int(S.reasons[j - ilo]) == K.COUNTED,
            reason=REASONS[int(S.reasons[j - ilo])],
        )
        for j in range(ilo, ihi)
        if arrays["iv_date"][j] <= ref
    ]
    n_dead = S.n_dead[group]
    den = counted_days_between(window_start, ref, n_dead, S.dead_start[group], S.dead_end[group])
    num = qualifying_exempt_days(D, R, S, p, group, n_cat, window_start, ref)
    mii = union_days(D.mii_start, D.mii_end, D.mii_off[p], D.mii_off[p + 1], spell_start, ref)
    category = int(out.category[i])
    excluded = EXCLUSIONS[int(out.excluded[i])] or None
    muni = int(out.municipality[i])
    flags = int(out.activity[i])
    last_offer = last_offer_day(D.of_start, D.of_end, D.of_off[p], D.of_off[p + 1], ref)
    group_name = GROUPS[group]
    fine = FINE_INTERVALS[interval]
    band_name = YEAR_BANDS[band] if band >= 0 else None
    summary = band_name if band_name else "under12"
    group_rows = [group_name]
    if category >= 0:
        group_rows.append(f"{group_name}/{CATEGORIES[category]}")
    group_rows.append("all")
    measure = (
        "exempt (M5)" if out.exempt[i] else f"n{min(counted, 5)}{'plus' if counted >= 5 else ''}"
    )
    cells = [
        f"{mu} × {g} × {iv}: {measure}"
        for mu in (muni, 0)
        for g in group_rows
        for iv in (fine, summary)
    ]
    return GroupTrace(
        group=group_name,
        reference_date=_date(ref),
        spell_start=_date(spell_start),
        duration_days=None if days < 0 else int(days),
        duration_hours=None if np.isnan(hours) else float(hours),
        interval=fine,
        year_band=band_name,
        window_start=_date(window_start),
        prepayment_registration=None if reg == K.NO_DATE else _date(reg),
        dead_periods=[
            (_date(S.dead_start[group, k]), _date(S.dead_end[group, k]))
            for k in range(int(S.n_dead[group]))
        ],
        interviews=interviews,
        counted=int(counted),
        exempt_days=int(num),
        window_counted_days=int(den),
        exempt_share=(num / den) if den > 0 else 0.0,
        mii_days=int(mii),
        exempt=bool(out.exempt[i]),
        excluded=excluded,
        municipality=muni,
        category=CATEGORIES[category] if category >= 0 else None,
        cells=cells,
        last_offer_day=None if last_offer == K.NO_DATE else _date(last_offer),
        no_activation=bool(flags >> NO_ACTIVATION_BIT & 1),
        passive={
            label: bool(flags >> (FIRST_PASSIVE_BIT + k) & 1)
            for k, label in enumerate(rule_set.passivity_labels)
        },
        samtaletal_met=bool(flags >> SAMTALETAL_MET_BIT & 1),
    )
