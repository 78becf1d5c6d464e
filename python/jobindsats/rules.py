"""Rule sets as data (SPEC D11): every date, period, code list, threshold and priority of
SPEC §3–§7, read from versioned rule files (``rulesets/*.toml``: ``v1.73`` and its
variant ``v1.73-ret-og-pligt``), or from a user's file, or derived by changing named values.

Kernels never hold these values as literals: :meth:`RuleSet.kernel_rules` turns the rule
set into the flat arrays and scalars that both the C++ kernel and its Numba twin read
(``docs/kernel.md``). Each value cites, in its file, the rule id it comes from.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from . import rulefile
from .errors import RuleSetError
from .schema import BENEFITS, CATEGORIES, CONTACT_FORMS, GROUPS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

EPOCH = dt.date(1970, 1, 1)


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01 (Arrow ``date32``)."""
    return (d - EPOCH).days


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
    covid_dead_off: np.ndarray  # int64[10] R14/D11: group g's periods are [off[g], off[g+1])
    covid_dead_start: np.ndarray  # int32[k]
    covid_dead_end: np.ndarray  # int32[k]
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
    """All rule data of one rule set (SPEC §3–§7), typed and immutable.

    Built from a rule file (:func:`builtin`, :func:`load`; ``rulesets/*.toml`` in the
    package): the field names are the file's keys, each under the section of the rule id
    it implements (:data:`jobindsats.rulefile.FIELDS`). ``name`` and ``description`` are
    labels; :attr:`digest` identifies the values.
    """

    name: str
    description: str
    measured: dict[str, str]  # R1 / §1: measured benefit -> reported group (R7)
    min_age_months: int  # R2
    pension_age: tuple[tuple[dt.date, int], ...]  # R2: (birth date from, months)
    benefit_priority: tuple[str, ...]  # R5 / D5: first wins
    overgangsydelse_joins: tuple[str, ...]  # R8
    day_edges: tuple[int, ...]  # R12 (Skema 1)
    band_day_edges: tuple[int, ...]
    hours_per_month_full: float  # R12 / D9
    hours_per_month_part: float
    band_months: tuple[int, ...]
    hours_tolerance: float
    dead_codes: tuple[int, ...]  # R13 / D2
    covid_dead: dict[str, tuple[tuple[dt.date, dt.date], ...]]  # R14 / D11: per group
    covid_interviews_never: tuple[dt.date, dt.date]  # R14
    window_days: int  # R20
    window_months: int
    form_rule_from: dt.date  # R22
    reopening: tuple[tuple[dt.date, dt.date], ...]  # R22 (b)
    remote_after_6_months_from: dt.date  # R22 (c)
    remote_after_interval: int  # R22 (c) / D10
    trials: tuple[tuple[tuple[int, ...], tuple[str, ...], dt.date, dt.date], ...]  # R23
    prepayment_from: dt.date  # R24
    prepayment_months: int
    prepayment_groups: tuple[str, ...]
    exemption_codes: dict[str, dict[str, tuple[int, ...]]]  # R30: group -> all/category
    exempt_threshold_pct: int  # R31 / D14
    exempt_2024_from: dt.date  # R32
    exempt_2024_threshold_pct: int
    exempt_2024_below_interval: int
    mii_exempt_days: int
    focus_threshold: float  # R41
    focus_months: int
    activation_employment_hours: float
    category_groups: tuple[str, ...]  # R40: groups with category breakdowns
    samtaletal_rows: tuple[tuple[str, str | None, int, int], ...]  # R43
    passivity_months: tuple[float, ...]  # R44

    # --- as data ------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The rule values by file key (Python values)."""
        return {f.key: getattr(self, _ATTR.get(f.key, f.key)) for f in rulefile.FIELDS}

    def to_data(self) -> dict[str, Any]:
        """The plain data of the rule values, by key, as a rule file holds them."""
        return rulefile.to_data(self.values())

    @functools.cached_property
    def digest(self) -> str:
        """sha256 of the canonical serialisation of the rule values (not of the name or
        description: two rule sets with the same values have the same digest)."""
        return hashlib.sha256(rulefile.canonical_json(self.to_data()).encode()).hexdigest()

    @property
    def version(self) -> str:
        """The rule set's name (the older spelling)."""
        return self.name

    @property
    def provenance(self) -> dict[str, str]:
        """What every output records of the rule set: name and digest (SPEC D11)."""
        return {"rules": self.name, "rules_digest": self.digest}

    def derive(self, name: str, *, description: str | None = None, **changes: Any) -> RuleSet:
        """A new rule set with the named values changed (keys of :meth:`values`), checked
        like a file. A table value (``measured``, ``covid_dead``, ``exemption_codes``) is
        changed entry by entry: ``covid_dead={"dagpenge": [...]}`` changes dagpenge only."""
        plain = {k: rulefile.to_data({**self.values(), k: v})[k] if k in rulefile.BY_KEY
                 else v for k, v in changes.items()}  # fmt: skip
        unknown = [k for k in plain if k not in rulefile.BY_KEY]
        if unknown:
            raise RuleSetError(
                f"unknown rule value; known: {', '.join(rulefile.BY_KEY)}", key=unknown[0]
            )
        data = rulefile.merge(self.to_data(), plain)
        desc = (
            description
            if description is not None
            else f"{self.name} with " + ", ".join(sorted(changes))
        )
        return from_data(name, desc, data)

    def diff(self, other: RuleSet) -> list[tuple[str, Any, Any]]:
        """``(key, old, new)`` for every value that differs (table values entry by entry,
        as ``covid_dead.dagpenge``); values in their plain form (ISO dates)."""
        a, b = self.to_data(), other.to_data()
        out: list[tuple[str, Any, Any]] = []
        for f in rulefile.FIELDS:
            x, y = _jsonable(a[f.key]), _jsonable(b[f.key])
            if x == y:
                continue
            if isinstance(x, dict) and isinstance(y, dict):
                for k in [*x, *(k for k in y if k not in x)]:
                    if x.get(k) != y.get(k):
                        out.append((f"{f.key}.{k}", x.get(k), y.get(k)))
            else:
                out.append((f.key, x, y))
        return out

    def to_toml(self) -> str:
        return rulefile.to_toml(
            {"name": self.name, "description": self.description}, self.to_data()
        )

    def to_json(self) -> str:
        return rulefile.to_json(
            {"name": self.name, "description": self.description, **_jsonable(self.to_data())}
        )

    def dump(self, path: str | Path) -> Path:
        """Write the rule set as a whole rule file (TOML; JSON if ``path`` ends in
        ``.json``); :func:`load` reads it back to the same values and digest."""
        path = Path(path)
        from . import atomic

        text = self.to_json() if path.suffix == ".json" else self.to_toml()
        return atomic.write_text(path, text)

    # --- views the code uses ------------------------------------------------------------

    @property
    def trial_municipalities(self) -> tuple[TrialMunicipality, ...]:
        """R23 / Skema 2, one entry per municipality."""
        return tuple(
            TrialMunicipality(m, forms, a, b) for munis, forms, a, b in self.trials for m in munis
        )

    @property
    def samtaletal(self) -> tuple[Samtaletal, ...]:
        """R43 requirements."""
        return tuple(Samtaletal(*row) for row in self.samtaletal_rows)

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
        for key, codes in self.exemption_codes.get(group, {}).items():
            if key == "all" or key == category:
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
        covid = [p for g in GROUPS for p in self.covid_dead.get(g, ())]
        covid_off = [0]
        for g in GROUPS:
            covid_off.append(covid_off[-1] + len(self.covid_dead.get(g, ())))
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
            covid_dead_off=np.array(covid_off, dtype=np.int64),
            covid_dead_start=np.array([day_number(a) for a, _ in covid], dtype=np.int32),
            covid_dead_end=np.array([day_number(b) for _, b in covid], dtype=np.int32),
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


_ATTR = {"trial_municipalities": "trials", "samtaletal": "samtaletal_rows"}
_RULESETS_DIR = Path(__file__).parent / "rulesets"


def _jsonable(v: Any) -> Any:
    return json.loads(rulefile.canonical_json({"v": v}))["v"]


def from_data(
    name: str, description: str, data: dict[str, Any], text: str | None = None
) -> RuleSet:
    """A rule set from the plain data of its values (checked; ``text`` gives lines)."""
    values = rulefile.parse(data, text)
    return RuleSet(
        name=name, description=description, **{_ATTR.get(k, k): v for k, v in values.items()}
    )


def available() -> list[str]:
    """The names of the built-in rule sets."""
    return sorted(p.stem for p in _RULESETS_DIR.glob("*.toml"))


@functools.cache
def builtin(name: str) -> RuleSet:
    """A built-in rule set by name (``available()`` lists them)."""
    path = _RULESETS_DIR / f"{name}.toml"
    if not path.is_file():
        raise RuleSetError(f"unknown rule set {name!r}; known: {', '.join(available())}")
    return load(path)


def _read_file(path: Path, seen: tuple[str, ...]) -> tuple[str, str, dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleSetError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise RuleSetError(f"not valid TOML: {exc}", line=int(m.group(1)) if m else None).located(
            str(path)
        ) from None
    try:
        for key in ("name", "description", "extends"):
            if key in raw and not isinstance(raw[key], str):
                raise RuleSetError(
                    f"must be a string, got {type(raw[key]).__name__}",
                    key=key,
                    line=rulefile.line_finder(text)(key),
                )
        values = rulefile.flatten(raw, text)
        name = raw.get("name", path.stem)
        description = raw.get("description", "")
        parent = raw.get("extends")
        if parent is not None:
            if parent in seen:
                raise RuleSetError(f"extends {parent!r} in a cycle", key="extends")
            base = _resolve_parent(parent, path, (*seen, name))
            values = rulefile.merge(base.to_data(), values)
            description = description or base.description
        return name, description, values, text
    except RuleSetError as exc:
        raise exc.located(str(path)) from None


def _resolve_parent(parent: str, path: Path, seen: tuple[str, ...]) -> RuleSet:
    sibling = path.parent / parent
    if sibling.suffix in (".toml", ".json") and sibling.is_file():
        name, description, values, _text = _read_file(sibling, seen)
        return from_data(name, description, values)
    return builtin(parent)


def load(path: str | Path) -> RuleSet:
    """A rule set from a rule file (TOML, or JSON as ``rules show --format json`` writes).

    The file may say ``extends = "v1.73"`` (a built-in name, or a file beside it) and list
    only what differs. Every value is checked; errors name the key and the line.
    """
    path = Path(path)
    if path.suffix == ".json":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RuleSetError(f"cannot read {path}: {exc}") from None
        if not isinstance(raw, dict):
            kind = type(raw).__name__
            raise RuleSetError(f"{path}: a rule file holds an object of keys, not a JSON {kind}")
        try:
            values = {k: v for k, v in raw.items() if k not in rulefile.TOP_LEVEL}
            if "extends" in raw:
                values = rulefile.merge(_resolve_parent(raw["extends"], path, ()).to_data(), values)
            return from_data(raw.get("name", path.stem), raw.get("description", ""), values)
        except RuleSetError as exc:
            raise exc.located(str(path)) from None
    name, description, values, text = _read_file(path, ())
    try:
        return from_data(name, description, values, text)
    except RuleSetError as exc:
        raise exc.located(str(path)) from None


def get_rules(rules: str | Path | RuleSet = "v1.73") -> RuleSet:
    """A rule set from a built-in name, a rule file's path, or a :class:`RuleSet`."""
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, Path) or (
        isinstance(rules, str) and (rules.endswith((".toml", ".json")) or "/" in rules)
    ):
        return load(rules)
    if isinstance(rules, str):
        return builtin(rules)
    raise TypeError(f"rules must be a name, a path or a RuleSet, not {type(rules).__name__}")


V1_73 = builtin("v1.73")
