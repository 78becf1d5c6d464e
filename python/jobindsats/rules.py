"""Rule set ``v1.73`` as data: every date, period, code list, threshold and priority of
SPEC §3–§7, in one place.

Kernels never hold these values as literals: :meth:`RuleSet.kernel_rules` turns the rule
set into the flat arrays and scalars that both the C++ kernel and its Numba twin read
(``docs/kernel.md``). Each field cites the rule id it comes from.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .schema import BENEFITS, CATEGORIES, CONTACT_FORMS, GROUPS

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (Arrow ``date32``)."""
    return (d - EPOCH).days


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


@dataclass(frozen=True)
class TrialMunicipality:
    """R23 / Skema 2: a municipality allowed to count some remote forms in a period."""

    municipality: int
    forms: tuple[str, ...]
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True)
class Samtaletal:
    """R43: ``interviews`` required within the first ``months`` months."""

    group: str
    category: str | None
    interviews: int
    months: int


def _trials(codes: tuple[int, ...], forms: tuple[str, ...], start: str, end: str):
    return tuple(TrialMunicipality(c, forms, _d(start), _d(end)) for c in codes)


_ALL = None  # key for "all categories" in exemption lists

#: R30: qualifying exemption codes per group; key None = every category, else only for
#: the named categories on the exemption day.
_EXEMPTION_CODES: dict[str, dict[tuple[str, ...] | None, tuple[int, ...]]] = {
    "dagpenge": {_ALL: (2, 3, 4, 10, 11, 23, 24, 43, 44, 45, 46, 66, 70, 71, 72, 73, 77, 78, 79)},
    "kontanthjaelp": {
        _ALL: (3, 4, 6, 7, 10, 43, 44, 45, 46, 47, 50, 70, 71, 72, 73, 76, 77, 78, 79),
        ("jobparat",): (2,),
    },
    "uddannelseshjaelp": {
        _ALL: (3, 4, 6, 7, 10, 45, 46, 47, 50, 70, 71, 72, 73, 76, 78, 79),
        ("aabenlyst_uddannelsesparat",): (2,),
    },
    "overgangsydelse": {
        _ALL: (3, 4, 6, 7, 10, 45, 46, 50, 70, 71, 72, 73, 76, 78, 79),
        ("jobparat", "aabenlyst_uddannelsesparat"): (2, 43, 44, 77),
    },
    "revalidering": {_ALL: (3, 4, 10, 16, 46, 47, 50, 70, 71, 72, 77, 78, 79)},
    "sygedagpenge": {_ALL: (3, 53, 70)},
    "ledighedsydelse": {_ALL: (3, 4, 10, 23, 24, 43, 44, 45, 46, 47, 70, 71, 72, 73, 77, 78, 79)},
    "ressourceforloeb": {_ALL: (3, 4, 10, 43, 44, 46, 47, 50, 70, 71, 72, 73, 76, 77, 78, 79)},
    "jobafklaring": {_ALL: (3, 4, 10, 43, 44, 45, 46, 47, 50, 70, 71, 72, 73, 76, 77, 78, 79)},
}


class KernelRules(NamedTuple):
    """The rule set as the kernels read it: day numbers, small integer arrays, floats.

    The same tuple is handed to the Numba twin (as a NamedTuple) and to the C++ kernel
    (as a dict of the same names). ``docs/kernel.md`` documents every field.
    """

    benefit_rank: np.ndarray  # int8[14]  R5/D5: lower rank wins
    benefit_group: np.ndarray  # int8[14] measured group (GROUPS) or -1; forrevalidering->5
    oy_join_mask: int  # R8: bit g = an overgangsydelse run joins a following spell of GROUPS[g]
    category_group_mask: int  # R40/R47: bit g = GROUPS[g] has category breakdowns
    dead_codes: np.ndarray  # int16[k] R13/D2
    covid_dead_start: int  # R14
    covid_dead_end: int
    covid_closed_start: int  # R14: interviews never counted
    covid_closed_end: int
    form_rule_from: int  # R22: first-interview regime from this date
    reopen_start: np.ndarray  # int32[k] R22(b)
    reopen_end: np.ndarray  # int32[k]
    remote_6m_from: int  # R22(c)
    remote_6m_interval: int  # D10
    trial_muni: np.ndarray  # int16[k] R23
    trial_form_mask: np.ndarray  # int8[k] bit f = CONTACT_FORMS[f] allowed
    trial_start: np.ndarray  # int32[k]
    trial_end: np.ndarray  # int32[k]
    prepay_from: int  # R24: spells starting on/after this date
    prepay_months: int  # R24: 3 calendar months
    prepay_group_mask: int  # R24: bit g = GROUPS[g] takes pre-payment interviews
    exempt_mask: (
        np.ndarray
    )  # uint8[9, 1000] R30: bit c = qualifies under CATEGORIES[c]; bit 4 = unknown category
    exempt_pct: int  # R31/D14: at least this percent
    exempt24_from: int  # R32
    exempt24_pct: int
    exempt24_below_interval: int
    mii_days: int
    window_days: int  # R20
    window_months: int  # R20: dagpenge window in months of hours
    day_edges: np.ndarray  # int32[12] R12: first day count of intervals 1..12
    band_day_edges: np.ndarray  # int32[4] R12: first day count of the year bands
    hours_full: float  # R12: hours per month, full-time insured
    hours_part: float  # R12: part-time insured
    hours_tolerance: float
    band_months: np.ndarray  # int32[4] R12/D9: year bands in months of hours
    min_age_months: int  # R2
    pension_birth_from: np.ndarray  # int32[k] R2: birth dates from which pension_months applies
    pension_months: np.ndarray  # int32[k]
    activation_hours: float  # R41: dagpenge paid working hours that count as activation
    samtaletal_required: (
        np.ndarray
    )  # int8[9, 1 + categories] R43: N by group, 1 + category; -1 none
    passivity_days: np.ndarray  # int32[5] R44: counted days of each passivity window


@dataclass(frozen=True)
class RuleSet:
    """All rule data of one version of the measurement definition."""

    version: str = "v1.73"
    # R1 / §1: measured benefit groups (benefit -> reported group)
    measured: dict[str, str] = field(
        default_factory=lambda: {
            "dagpenge": "dagpenge",
            "sygedagpenge": "sygedagpenge",
            "kontanthjaelp": "kontanthjaelp",
            "uddannelseshjaelp": "uddannelseshjaelp",
            "overgangsydelse": "overgangsydelse",
            "revalidering": "revalidering",
            "forrevalidering": "revalidering",  # R7
            "ressourceforloeb": "ressourceforloeb",
            "jobafklaring": "jobafklaring",
            "ledighedsydelse": "ledighedsydelse",
        }
    )
    # R5 / D5: main-benefit priority, first wins
    benefit_priority: tuple[str, ...] = (
        "foertidspension",
        "sygedagpenge",
        "dagpenge",
        "ledighedsydelse",
        "ressourceforloeb",
        "jobafklaring",
        "revalidering",
        "forrevalidering",
        "kontanthjaelp",
        "uddannelseshjaelp",
        "overgangsydelse",
        "overgangsydelse_program",
        "arbejdsfordeling",
        "other",
    )
    # R8: overgangsydelse joins a following spell of these groups
    overgangsydelse_joins: tuple[str, ...] = ("kontanthjaelp", "uddannelseshjaelp")
    # §1 / R40: groups with category breakdowns
    category_groups: tuple[str, ...] = ("kontanthjaelp", "uddannelseshjaelp", "overgangsydelse")
    # R2
    min_age_months: int = 16 * 12
    pension_age: tuple[tuple[dt.date, int], ...] = (
        (dt.date(1900, 1, 1), 65 * 12),
        (_d("1954-01-01"), 65 * 12 + 6),
        (_d("1954-07-01"), 66 * 12),
        (_d("1955-01-01"), 66 * 12 + 6),
        (_d("1955-07-01"), 67 * 12),
        (_d("1963-01-01"), 68 * 12),
        (_d("1967-01-01"), 69 * 12),
    )
    # R12 (Skema 1), D9
    day_edges: tuple[int, ...] = (31, 62, 92, 122, 153, 183, 213, 244, 274, 304, 335, 365)
    band_day_edges: tuple[int, ...] = (365, 1095, 2190, 3650)
    hours_per_month_full: float = 160.33
    hours_per_month_part: float = 130.0
    band_months: tuple[int, ...] = (12, 36, 72, 120)
    hours_tolerance: float = 1e-6
    # R13 / D2
    dead_codes: tuple[int, ...] = (901, 902)
    # R14
    covid_dead: tuple[dt.date, dt.date] = (_d("2020-03-01"), _d("2020-06-30"))
    covid_interviews_never: tuple[dt.date, dt.date] = (_d("2020-03-12"), _d("2020-05-26"))
    # R20
    window_days: int = 365
    window_months: int = 12
    # R22
    form_rule_from: dt.date = _d("2023-03-22")
    reopening: tuple[tuple[dt.date, dt.date], ...] = (
        (_d("2020-05-27"), _d("2021-08-31")),
        (_d("2021-12-19"), _d("2022-01-31")),
    )
    remote_after_6_months_from: dt.date = _d("2022-01-01")
    remote_after_interval: int = 6  # D10
    # R23 (Skema 2)
    trial_municipalities: tuple[TrialMunicipality, ...] = (
        *_trials(
            (851, 810, 813, 860, 849, 825, 846, 773, 840, 787, 820),
            ("digitalt",),
            "2017-07-01",
            "2023-12-31",
        ),
        *_trials(
            (201, 151, 210, 250, 190, 270, 260, 217, 219),
            ("digitalt",),
            "2017-07-01",
            "2021-12-31",
        ),
        *_trials((101,), ("digitalt", "telefon"), "2018-09-01", "2020-09-01"),
        *_trials((269,), ("digitalt",), "2018-11-01", "2022-12-31"),
    )
    # R24
    prepayment_from: dt.date = _d("2024-01-01")
    prepayment_months: int = 3
    prepayment_groups: tuple[str, ...] = (
        "dagpenge",
        "kontanthjaelp",
        "uddannelseshjaelp",
        "overgangsydelse",
    )
    # R30
    exemption_codes: dict[str, dict[tuple[str, ...] | None, tuple[int, ...]]] = field(
        default_factory=lambda: _EXEMPTION_CODES
    )
    # R31 / D14
    exempt_threshold_pct: int = 50
    # R32
    exempt_2024_from: dt.date = _d("2024-01-01")
    exempt_2024_threshold_pct: int = 30
    exempt_2024_below_interval: int = 6
    mii_exempt_days: int = 5
    # R41
    focus_threshold: float = 0.20
    focus_months: int = 12
    activation_employment_hours: float = 225.0
    # R43
    samtaletal: tuple[Samtaletal, ...] = (
        Samtaletal("dagpenge", None, 6, 6),
        Samtaletal("kontanthjaelp", "jobparat", 3, 3),
        Samtaletal("kontanthjaelp", "aktivitetsparat", 3, 6),
        Samtaletal("uddannelseshjaelp", "uddannelsesparat", 3, 3),
        Samtaletal("uddannelseshjaelp", "aktivitetsparat", 4, 6),
        Samtaletal("sygedagpenge", None, 5, 6),
    )
    # R44
    passivity_months: tuple[float, ...] = (1.5, 3, 6, 9, 12)

    @property
    def passivity_days(self) -> tuple[int, ...]:
        """R44: 365/12 × months, rounded half up (46, 91, 183, 274, 365); Python's
        ``round`` would give 182 for 6 months (182.5 rounds to even)."""
        return tuple(math.floor(365 / 12 * m + 0.5) for m in self.passivity_months)

    @property
    def passivity_labels(self) -> tuple[str, ...]:
        """R44 window names used in column names: ``1_5m``, ``3m``, ``6m``, ``9m``, ``12m``."""
        return tuple(f"{m:g}".replace(".", "_") + "m" for m in self.passivity_months)

    def exempt_codes_for(self, group: str, category: str | None) -> frozenset[int]:
        """R30: the qualifying codes for ``group`` and a category (None = unknown)."""
        out: set[int] = set()
        for cats, codes in self.exemption_codes[group].items():
            if cats is None or (category is not None and category in cats):
                out.update(codes)
        return frozenset(out)

    def kernel_rules(self) -> KernelRules:
        """The rule set as flat arrays for the kernels (both backends)."""
        rank = np.full(len(BENEFITS), len(BENEFITS), dtype=np.int8)
        for r, b in enumerate(self.benefit_priority):
            rank[BENEFITS.index(b)] = r
        group = np.full(len(BENEFITS), -1, dtype=np.int8)
        for b, g in self.measured.items():
            group[BENEFITS.index(b)] = GROUPS.index(g)
        mask = np.zeros((len(GROUPS), 1000), dtype=np.uint8)
        for gi, g in enumerate(GROUPS):
            for ci, c in enumerate((*CATEGORIES, None)):
                for code in self.exempt_codes_for(g, c):
                    mask[gi, code] |= np.uint8(1 << ci)
        trials = self.trial_municipalities
        form_mask = np.array(
            [sum(1 << CONTACT_FORMS.index(f) for f in t.forms) for t in trials], dtype=np.int8
        )
        return KernelRules(
            benefit_rank=rank,
            benefit_group=group,
            oy_join_mask=sum(1 << GROUPS.index(g) for g in self.overgangsydelse_joins),
            category_group_mask=sum(1 << GROUPS.index(g) for g in self.category_groups),
            dead_codes=np.array(self.dead_codes, dtype=np.int16),
            covid_dead_start=day_number(self.covid_dead[0]),
            covid_dead_end=day_number(self.covid_dead[1]),
            covid_closed_start=day_number(self.covid_interviews_never[0]),
            covid_closed_end=day_number(self.covid_interviews_never[1]),
            form_rule_from=day_number(self.form_rule_from),
            reopen_start=np.array([day_number(a) for a, _ in self.reopening], dtype=np.int32),
            reopen_end=np.array([day_number(b) for _, b in self.reopening], dtype=np.int32),
            remote_6m_from=day_number(self.remote_after_6_months_from),
            remote_6m_interval=self.remote_after_interval,
            trial_muni=np.array([t.municipality for t in trials], dtype=np.int16),
            trial_form_mask=form_mask,
            trial_start=np.array([day_number(t.start) for t in trials], dtype=np.int32),
            trial_end=np.array([day_number(t.end) for t in trials], dtype=np.int32),
            prepay_from=day_number(self.prepayment_from),
            prepay_months=self.prepayment_months,
            prepay_group_mask=sum(1 << GROUPS.index(g) for g in self.prepayment_groups),
            exempt_mask=mask,
            exempt_pct=self.exempt_threshold_pct,
            exempt24_from=day_number(self.exempt_2024_from),
            exempt24_pct=self.exempt_2024_threshold_pct,
            exempt24_below_interval=self.exempt_2024_below_interval,
            mii_days=self.mii_exempt_days,
            window_days=self.window_days,
            window_months=self.window_months,
            day_edges=np.array(self.day_edges, dtype=np.int32),
            band_day_edges=np.array(self.band_day_edges, dtype=np.int32),
            hours_full=self.hours_per_month_full,
            hours_part=self.hours_per_month_part,
            hours_tolerance=self.hours_tolerance,
            band_months=np.array(self.band_months, dtype=np.int32),
            min_age_months=self.min_age_months,
            pension_birth_from=np.array(
                [day_number(d) for d, _ in self.pension_age], dtype=np.int32
            ),
            pension_months=np.array([m for _, m in self.pension_age], dtype=np.int32),
            activation_hours=self.activation_employment_hours,
            samtaletal_required=self._samtaletal_required(),
            passivity_days=np.array(self.passivity_days, dtype=np.int32),
        )

    def _samtaletal_required(self) -> np.ndarray:
        """R43 as a lookup: [group, 1 + category index] -> interviews required (-1: none);
        column 0 is "no category" (groups without breakdowns, or unknown category)."""
        table = np.full((len(GROUPS), 1 + len(CATEGORIES)), -1, dtype=np.int8)
        for req in self.samtaletal:
            col = 0 if req.category is None else 1 + CATEGORIES.index(req.category)
            table[GROUPS.index(req.group), col] = req.interviews
        return table


V1_73 = RuleSet()

RULE_SETS: dict[str, RuleSet] = {"v1.73": V1_73}


def get_rules(rules: str | RuleSet = "v1.73") -> RuleSet:
    """Look up a rule set by version name (or pass one through)."""
    if isinstance(rules, RuleSet):
        return rules
    try:
        return RULE_SETS[rules]
    except KeyError:
        raise ValueError(
            f"unknown rule set {rules!r}; known: {', '.join(sorted(RULE_SETS))}"
        ) from None
