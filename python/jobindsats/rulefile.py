"""Rule files: the TOML form of a rule set, read, checked and written (SPEC D11).

A rule file has a few top-level keys (``name``, ``description``, ``extends``) and one
section per rule id (``[R14]``, ``[R30.exemption_codes.dagpenge]`` …) holding the values
of that rule, so that every value carries the rule it implements. :data:`FIELDS` is the
one list of keys, with their rule id and their kind; :func:`parse` turns the plain data of
a file (what ``tomllib`` returns) into checked Python values, :func:`to_data` does the
reverse, and :func:`to_toml` writes it back as TOML, so that a dumped rule set loads to the
same values (and the same digest).

Errors raise :class:`~jobindsats.errors.RuleSetError` naming the key, and the line where
the file gives one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import RuleSetError
from .municipalities import MUNICIPALITIES
from .schema import BENEFITS, CATEGORIES, CONTACT_FORMS, GROUPS

TOP_LEVEL = ("name", "description", "extends")


@dataclass(frozen=True)
class Field:
    """One rule value: its key, the rule id (file section) it implements, its kind."""

    key: str
    rule: str
    kind: str
    doc: str


#: Every rule value, in file order. ``kind`` names the checker in :data:`_CHECKERS`.
FIELDS: tuple[Field, ...] = (
    Field("measured", "R1", "benefit_to_group", "measured benefits -> reported group (R7)"),
    Field("min_age_months", "R2", "count", "minimum age in completed months"),
    Field("pension_age", "R2", "pension_table", "[birth date from, pension age in months]"),
    Field("benefit_priority", "R5", "benefit_order", "main benefit per day: first wins (D5)"),
    Field("overgangsydelse_joins", "R8", "groups", "a preceding overgangsydelse run joins"),
    Field("day_edges", "R12", "ascending_counts", "first counted day of intervals 1..12"),
    Field("band_day_edges", "R12", "ascending_counts", "first counted day of the year bands"),
    Field("hours_per_month_full", "R12", "positive_hours", "hours a month, full-time (D9)"),
    Field("hours_per_month_part", "R12", "positive_hours", "hours a month, part-time (D9)"),
    Field("band_months", "R12", "ascending_counts", "year bands in months of hours (D9)"),
    Field("hours_tolerance", "R12", "tolerance", "hours compared with this tolerance"),
    Field("dead_codes", "R13", "codes", "exemption codes that make days dead (D2)"),
    Field("covid_dead", "R14", "group_periods", "COVID dead periods per group (D11)"),
    Field("covid_interviews_never", "R14", "period", "interviews here never count"),
    Field("window_days", "R20", "count", "counted days of a 12+ window"),
    Field("window_months", "R20", "count", "months of hours of a dagpenge 12+ window"),
    Field("form_rule_from", "R22", "date", "first-interview regime from this date"),
    Field("reopening", "R22", "periods", "(b) COVID reopening periods"),
    Field("remote_after_6_months_from", "R22", "date", "(c) from this date"),
    Field("remote_after_interval", "R22", "interval", "(c) duration interval on the day (D10)"),
    Field("trial_municipalities", "R23", "trials", "Skema 2: trial municipalities"),
    Field("prepayment_from", "R24", "date", "spells starting on/after this date"),
    Field("prepayment_months", "R24", "count", "registration at most this many months before"),
    Field("prepayment_groups", "R24", "groups", "groups that take pre-payment interviews"),
    Field("exemption_codes", "R30", "exemption_table", "qualifying codes per group/category"),
    Field("exempt_threshold_pct", "R31", "percent", "exempt from this share (D14)"),
    Field("exempt_2024_from", "R32", "date", "reference dates from this date"),
    Field("exempt_2024_threshold_pct", "R32", "percent", "threshold below the interval"),
    Field("exempt_2024_below_interval", "R32", "interval", "durations below this interval"),
    Field("mii_exempt_days", "R32", "count", "MII days that make a person exempt"),
    Field("focus_threshold", "R41", "fraction", "the focus-target line (share)"),
    Field("focus_months", "R41", "count", "months averaged"),
    Field("activation_employment_hours", "R41", "positive_hours", "dagpenge working hours"),
    Field("category_groups", "R40", "groups", "groups with category breakdowns"),
    Field("samtaletal", "R43", "samtaletal", "N interviews in the first M months"),
    Field("passivity_months", "R44", "ascending_months", "passivity windows in months"),
)
BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
SECTIONS: dict[str, tuple[str, ...]] = {}
for _f in FIELDS:
    SECTIONS.setdefault(_f.rule, ())
    SECTIONS[_f.rule] += (_f.key,)


# --- reading: plain data -> checked values ----------------------------------------------


class _Checker:
    """Checks the plain value of one key; ``fail`` raises with the key and its line."""

    def __init__(self, key: str, line_of: Callable[[str], int | None]):
        self.key = key
        self._line_of = line_of

    def fail(self, what: str, sub: str | None = None) -> None:
        key = f"{self.key}.{sub}" if sub else self.key
        raise RuleSetError(what, key=key, line=self._line_of(key.split(".")[-1]))


def _date(c: _Checker, v: Any, sub: str | None = None) -> dt.date:
    if isinstance(v, dt.datetime):
        c.fail(f"expected a date, got a date-time {v.isoformat()}", sub)
    if isinstance(v, dt.date):
        d = v
    elif isinstance(v, str):
        try:
            d = dt.date.fromisoformat(v)
        except ValueError:
            c.fail(f"{v!r} is not a date (YYYY-MM-DD)", sub)
    else:
        c.fail(f"expected a date, got {type(v).__name__} {v!r}", sub)
    if not dt.date(1900, 1, 1) <= d <= dt.date(2100, 12, 31):
        c.fail(f"{d} lies outside 1900..2100", sub)
    return d


def _int(c: _Checker, v: Any, lo: int, hi: int, sub: str | None = None) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        c.fail(f"expected a whole number, got {type(v).__name__} {v!r}", sub)
    if not lo <= v <= hi:
        c.fail(f"{v} lies outside {lo}..{hi}", sub)
    return int(v)


def _float(c: _Checker, v: Any, lo: float, hi: float, sub: str | None = None) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or v != v:
        c.fail(f"expected a number, got {type(v).__name__} {v!r}", sub)
    if not lo <= v <= hi:
        c.fail(f"{v} lies outside {lo}..{hi}", sub)
    return float(v)


def _list(c: _Checker, v: Any, sub: str | None = None) -> list[Any]:
    if not isinstance(v, list):
        c.fail(f"expected a list, got {type(v).__name__} {v!r}", sub)
    return v


def _table(c: _Checker, v: Any, sub: str | None = None) -> dict[str, Any]:
    if not isinstance(v, dict):
        c.fail(f"expected a table, got {type(v).__name__} {v!r}", sub)
    return v


def _name(c: _Checker, v: Any, allowed: tuple[str, ...], what: str, sub: str | None = None) -> str:
    if v not in allowed:
        c.fail(f"unknown {what} {v!r}; known: {', '.join(allowed)}", sub)
    return str(v)


def _period(c: _Checker, v: Any, sub: str | None = None) -> tuple[dt.date, dt.date]:
    pair = _list(c, v, sub)
    if len(pair) != 2:
        c.fail(f"a period is [start, end], got {pair!r}", sub)
    a, b = _date(c, pair[0], sub), _date(c, pair[1], sub)
    if b < a:
        c.fail(f"period ends ({b}) before it starts ({a})", sub)
    return a, b


def _periods(c: _Checker, v: Any, sub: str | None = None) -> tuple[tuple[dt.date, dt.date], ...]:
    out = tuple(_period(c, p, sub) for p in _list(c, v, sub))
    for (_, e1), (s2, _) in itertools.pairwise(out):
        if s2 <= e1:
            c.fail(f"periods must be sorted and must not overlap ({s2} <= {e1})", sub)
    return out


def _ascending(c: _Checker, values: list[Any], sub: str | None = None) -> None:
    for a, b in itertools.pairwise(values):
        if not a < b:
            c.fail(f"must be strictly ascending ({a} then {b})", sub)


def _check_benefit_to_group(c: _Checker, v: Any) -> dict[str, str]:
    t = _table(c, v)
    return {
        _name(c, b, BENEFITS, "benefit", b): _name(c, g, GROUPS, "group", b) for b, g in t.items()
    }


def _check_count(c: _Checker, v: Any) -> int:
    return _int(c, v, 0, 100_000)


def _check_interval(c: _Checker, v: Any) -> int:
    return _int(c, v, 0, 12)


def _check_percent(c: _Checker, v: Any) -> int:
    return _int(c, v, 0, 100)


def _check_fraction(c: _Checker, v: Any) -> float:
    return _float(c, v, 0.0, 1.0)


def _check_tolerance(c: _Checker, v: Any) -> float:
    return _float(c, v, 0.0, 1.0)


def _check_positive_hours(c: _Checker, v: Any) -> float:
    value = _float(c, v, 0.0, 1e6)
    if value <= 0:
        c.fail("must be above 0")
    return value


def _check_date(c: _Checker, v: Any) -> dt.date:
    return _date(c, v)


def _check_period(c: _Checker, v: Any) -> tuple[dt.date, dt.date]:
    return _period(c, v)


def _check_periods(c: _Checker, v: Any) -> tuple[tuple[dt.date, dt.date], ...]:
    return _periods(c, v)


def _check_group_periods(c: _Checker, v: Any) -> dict[str, tuple[tuple[dt.date, dt.date], ...]]:
    t = _table(c, v)
    return {_name(c, g, GROUPS, "group", g): _periods(c, p, g) for g, p in t.items()}


def _check_groups(c: _Checker, v: Any) -> tuple[str, ...]:
    out = tuple(_name(c, g, GROUPS, "group") for g in _list(c, v))
    if len(set(out)) != len(out):
        c.fail("lists a group twice")
    return out


def _check_benefit_order(c: _Checker, v: Any) -> tuple[str, ...]:
    out = tuple(_name(c, b, BENEFITS, "benefit") for b in _list(c, v))
    if sorted(out) != sorted(BENEFITS):
        c.fail(f"must list every benefit exactly once: {', '.join(BENEFITS)}")
    return out


def _check_ascending_counts(c: _Checker, v: Any) -> tuple[int, ...]:
    out = [_int(c, x, 0, 100_000) for x in _list(c, v)]
    _ascending(c, out)
    return tuple(out)


def _check_ascending_months(c: _Checker, v: Any) -> tuple[float, ...]:
    out = [_float(c, x, 0.0, 1200.0) for x in _list(c, v)]
    _ascending(c, out)
    return tuple(out)


def _check_codes(c: _Checker, v: Any, sub: str | None = None) -> tuple[int, ...]:
    out = tuple(_int(c, x, 0, 999, sub) for x in _list(c, v, sub))
    if len(set(out)) != len(out):
        c.fail("lists a code twice", sub)
    return out


def _check_pension_table(c: _Checker, v: Any) -> tuple[tuple[dt.date, int], ...]:
    out = []
    for row in _list(c, v):
        pair = _list(c, row)
        if len(pair) != 2:
            c.fail(f"a row is [birth date from, months], got {pair!r}")
        out.append((_date(c, pair[0]), _int(c, pair[1], 0, 1200)))
    if not out:
        c.fail("needs at least one row")
    _ascending(c, [d for d, _ in out])
    return tuple(out)


def _check_trials(
    c: _Checker, v: Any
) -> tuple[tuple[tuple[int, ...], tuple[str, ...], dt.date, dt.date], ...]:
    out = []
    for row in _list(c, v):
        t = _table(c, row)
        unknown = set(t) - {"municipalities", "forms", "start", "end"}
        if unknown:
            c.fail(f"unknown key {sorted(unknown)[0]!r}; known: municipalities, forms, start, end")
        for need in ("municipalities", "forms", "start", "end"):
            if need not in t:
                c.fail(f"a trial needs {need!r}")
        munis = tuple(_int(c, m, 0, 999, "municipalities") for m in _list(c, t["municipalities"]))
        for m in munis:
            if m not in MUNICIPALITIES:
                c.fail(f"{m} is not one of the 98 Danish municipality codes", "municipalities")
        forms = tuple(
            _name(c, f, CONTACT_FORMS, "contact form", "forms") for f in _list(c, t["forms"])
        )
        a, b = _period(c, [t["start"], t["end"]], "end")
        out.append((munis, forms, a, b))
    return tuple(out)


def _check_exemption_table(c: _Checker, v: Any) -> dict[str, dict[str, tuple[int, ...]]]:
    t = _table(c, v)
    out: dict[str, dict[str, tuple[int, ...]]] = {}
    for g, lists in t.items():
        _name(c, g, GROUPS, "group", g)
        inner = _table(c, lists, g)
        out[g] = {
            _name(c, k, ("all", *CATEGORIES), "category (or 'all')", f"{g}.{k}"): _check_codes(
                c, codes, f"{g}.{k}"
            )
            for k, codes in inner.items()
        }
    return out


def _check_samtaletal(c: _Checker, v: Any) -> tuple[tuple[str, str | None, int, int], ...]:
    out = []
    for row in _list(c, v):
        t = _table(c, row)
        unknown = set(t) - {"group", "category", "interviews", "months"}
        if unknown:
            c.fail(
                f"unknown key {sorted(unknown)[0]!r}; known: group, category, interviews, months"
            )
        for need in ("group", "interviews", "months"):
            if need not in t:
                c.fail(f"a requirement needs {need!r}")
        cat = t.get("category")
        out.append(
            (
                _name(c, t["group"], GROUPS, "group", "group"),
                None if cat is None else _name(c, cat, CATEGORIES, "category", "category"),
                _int(c, t["interviews"], 0, 100, "interviews"),
                _int(c, t["months"], 0, 120, "months"),
            )
        )
    return tuple(out)


_CHECKERS: dict[str, Callable[[_Checker, Any], Any]] = {
    name[len("_check_") :]: fn for name, fn in globals().items() if name.startswith("_check_")
}


def line_finder(text: str | None) -> Callable[[str], int | None]:
    """A function from a key to the first line of ``text`` that assigns or opens it."""
    if not text:
        return lambda key: None
    lines = text.splitlines()

    def line_of(key: str) -> int | None:
        pattern = re.compile(
            rf"^\s*(\[+[^\]]*\b{re.escape(key)}\b[^\]]*\]+|\"?{re.escape(key)}\"?\s*=)"
        )
        for i, line in enumerate(lines, 1):
            if pattern.search(line):
                return i
        return None

    return line_of


def flatten(data: Mapping[str, Any], text: str | None = None) -> dict[str, Any]:
    """The rule values of a file's plain data, by key (sections checked and removed)."""
    line_of = line_finder(text)
    out: dict[str, Any] = {}
    for section, body in data.items():
        if section in TOP_LEVEL:
            continue
        if section not in SECTIONS:
            known = ", ".join((*TOP_LEVEL, *SECTIONS))
            raise RuleSetError(
                f"unknown key {section!r} (rule sections are rule ids; known: {known})",
                key=section,
                line=line_of(section),
            )
        if not isinstance(body, dict):
            raise RuleSetError(
                f"[{section}] must be a table of rule values", key=section, line=line_of(section)
            )
        for key, value in body.items():
            if key not in SECTIONS[section]:
                where = BY_KEY[key].rule if key in BY_KEY else None
                hint = f" (it belongs in [{where}])" if where else ""
                known = ", ".join(SECTIONS[section])
                raise RuleSetError(
                    f"unknown key {key!r} in [{section}]{hint}; known: {known}",
                    key=f"{section}.{key}",
                    line=line_of(key),
                )
            out[key] = value
    return out


def parse(values: Mapping[str, Any], text: str | None = None) -> dict[str, Any]:
    """Check every rule value (plain data, by key) and return the Python values."""
    line_of = line_finder(text)
    missing = [f.key for f in FIELDS if f.key not in values]
    if missing:
        field = BY_KEY[missing[0]]
        raise RuleSetError(
            f"missing rule value {field.key!r} ([{field.rule}]: {field.doc})", key=field.key
        )
    out = {}
    for f in FIELDS:
        out[f.key] = _CHECKERS[f.kind](_Checker(f.key, line_of), values[f.key])
    return out


# --- writing: values -> plain data -> TOML ----------------------------------------------


def _plain(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def to_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """The plain data (as a file holds it) of checked rule values, by key."""
    out = {}
    for f in FIELDS:
        v = values[f.key]
        if f.kind == "trials":
            v = [
                {"municipalities": list(m), "forms": list(fs), "start": a, "end": b}
                for m, fs, a, b in v
            ]
        elif f.kind == "samtaletal":
            v = [
                {"group": g, **({"category": c} if c else {}), "interviews": n, "months": m}
                for g, c, n, m in v
            ]
        out[f.key] = _plain(v)
    return out


def _json_default(v: Any) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    raise TypeError(type(v).__name__)


def canonical_json(data: Mapping[str, Any]) -> str:
    """The canonical serialisation of a rule set's plain data (sorted keys, ISO dates)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_json_default)


def to_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, default=_json_default, ensure_ascii=False) + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _is_table(v: Any) -> bool:
    """Written as TOML (sub)tables rather than inline: tables and lists of tables."""
    return isinstance(v, dict) or (isinstance(v, list) and bool(v) and isinstance(v[0], dict))


def to_toml(header: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """A rule file: the header keys, then one section per rule id with its values.

    ``values`` is plain data by key (:func:`to_data`), possibly only some keys (a file
    that ``extends`` another lists only what differs).
    """
    lines = [f"{k} = {_toml_value(v)}" for k, v in header.items() if v is not None]
    for rule, keys in SECTIONS.items():
        present = [k for k in keys if k in values]
        if not present:
            continue
        tables = [k for k in present if _is_table(values[k])]
        inline = [k for k in present if k not in tables]
        if inline:
            lines += ["", f"[{rule}]"]
        for k in inline:
            lines.append(f"{_toml_key(k)} = {_toml_value(values[k])}  # {BY_KEY[k].doc}")
        for k in tables:
            v = values[k]
            if isinstance(v, dict):
                nested = all(isinstance(x, dict) for x in v.values()) and v
                if nested:
                    for sub, body in v.items():
                        lines += ["", f"[{rule}.{k}.{_toml_key(sub)}]  # {BY_KEY[k].doc}"]
                        lines += [f"{_toml_key(a)} = {_toml_value(b)}" for a, b in body.items()]
                else:
                    lines += ["", f"[{rule}.{k}]  # {BY_KEY[k].doc}"]
                    lines += [f"{_toml_key(a)} = {_toml_value(b)}" for a, b in v.items()]
            else:
                for row in v:
                    lines += ["", f"[[{rule}.{k}]]  # {BY_KEY[k].doc}"]
                    lines += [f"{_toml_key(a)} = {_toml_value(b)}" for a, b in row.items()]
    return "\n".join(lines) + "\n"


def merge(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied (plain data by key). A table value (``measured``,
    ``covid_dead``, ``exemption_codes``) is changed entry by entry, so that a change names
    only the groups it changes; every other value is replaced whole."""
    out = dict(base)
    for k, v in changes.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out
