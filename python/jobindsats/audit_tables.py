"""The R45.10 tables from the audit kernel's counts (SPEC R45.3–R45.7).

``cells[period, muni slot, seniority slot, measure]`` holds the kernel's sums over persons
(``kernels/audit.py`` names the measures); every table here is a view of it with its
ratios (null when the denominator is 0), except the R45.3 spread, computed from the
per-person intensities, and the R45.7 subgroups, computed from per-person values joined to
the persons' attributes. Only rows with a non-zero denominator are emitted (R45.9).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from .arrow_numpy import arrow_of, nullable_of, strings_of, table_of_lists
from .audit_schema import (
    AGE_BANDS,
    AUDIT_SCHEMAS,
    INTERVIEW_TYPES,
    KINDS,
    MIX_VALUES,
    PARTICIPATION,
    SENIORITY,
    SUBGROUP_DIMENSIONS,
    UNKNOWN,
    WHICH,
)
from .kernels import audit_layout as k
from .measure import slot_municipalities


def _ratio(num: np.ndarray, den: np.ndarray) -> pa.Array:
    """``num / den`` as float64, null where ``den`` is 0."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    zero = den == 0
    return nullable_of(num / np.where(zero, 1.0, den), pa.float64(), ~zero)


def _labels(labels: tuple[str, ...] | list[str], index: np.ndarray) -> pa.Array:
    # (a dictionary of the labels, decoded: no Python string per row)
    indices = arrow_of(index, pa.int32())
    return pa.DictionaryArray.from_arrays(indices, strings_of(labels)).cast(pa.string())


def _munis(index: np.ndarray) -> pa.Array:
    return arrow_of(slot_municipalities()[index], pa.int16())


def _table(name: str, columns: dict[str, object]) -> pa.Table:
    schema = AUDIT_SCHEMAS[name]
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def intensity(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.3: per period × municipality × seniority, interviews per benefit week."""
    weeks = cells[..., k.AM_WEEKS]
    p, m, s = np.nonzero(weeks)
    iv = cells[p, m, s, k.AM_INTERVIEWS]
    return _table(
        "intensity",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "seniority": _labels(SENIORITY, s),
            "benefit_weeks": arrow_of(weeks[p, m, s], pa.int64()),
            "interviews": arrow_of(iv, pa.int64()),
            "intensity": _ratio(iv, weeks[p, m, s]),
        },
    )


def activation(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.5: touched persons and activation weeks per period × municipality × seniority."""
    persons = cells[..., k.AM_PERSONS]
    p, m, s = np.nonzero(persons)
    c = cells[p, m, s]
    return _table(
        "activation",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "seniority": _labels(SENIORITY, s),
            "persons": arrow_of(c[:, k.AM_PERSONS], pa.int64()),
            "touched": arrow_of(c[:, k.AM_TOUCHED], pa.int64()),
            "touch_rate": _ratio(c[:, k.AM_TOUCHED], c[:, k.AM_PERSONS]),
            "benefit_weeks": arrow_of(c[:, k.AM_WEEKS], pa.int64()),
            "activation_weeks": arrow_of(c[:, k.AM_ACTIVATION_WEEKS], pa.int64()),
            "week_share": _ratio(c[:, k.AM_ACTIVATION_WEEKS], c[:, k.AM_WEEKS]),
        },
    )


def _parts(counts: np.ndarray) -> tuple[np.ndarray, ...]:
    """Indices of the rows of a count array ``[..., value]`` whose total over the last
    axis is non-zero, each repeated once per value, and the value index."""
    total = counts.sum(axis=-1)
    keys = np.nonzero(total)
    n_values = counts.shape[-1]
    repeated = tuple(np.repeat(i, n_values) for i in keys)
    value = np.tile(np.arange(n_values), len(keys[0]))
    return (*repeated, value, np.repeat(total[keys], n_values))


def activation_kinds(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.5: benefit weeks with a day of each offer kind and their shares of the sum."""
    counts = cells[..., k.AM_KIND_WEEKS : k.AM_KIND_WEEKS + k.N_OFFER_KINDS]
    p, m, s, kind, total = _parts(counts)
    weeks = counts[p, m, s, kind]
    return _table(
        "activation_kinds",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "seniority": _labels(SENIORITY, s),
            "kind": _labels(KINDS, kind),
            "weeks": arrow_of(weeks, pa.int64()),
            "share": _ratio(weeks, total),
        },
    )


def mix(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.4: interviews in benefit weeks by type and by form, per period × municipality."""
    frames = []
    for dim_index, (dimension, values) in enumerate(MIX_VALUES.items()):
        first = k.AM_TYPE if dimension == "type" else k.AM_FORM
        counts = cells[:, :, k.SLOT_ALL, first : first + len(values)]
        p, m, v, total = _parts(counts)
        frames.append((p, m, np.full(len(p), dim_index), v, counts[p, m, v], total))
    p, m, d, v, count, total = (np.concatenate(x) for x in zip(*frames, strict=True))
    order = np.lexsort((v, d, m, p))
    p, m, d, v, count, total = (x[order] for x in (p, m, d, v, count, total))
    dims = tuple(MIX_VALUES)
    value = [MIX_VALUES[dims[di]][vi] for di, vi in zip(d.tolist(), v.tolist(), strict=True)]
    return _table(
        "mix",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "dimension": _labels(dims, d),
            "value": strings_of(value),
            "count": arrow_of(count, pa.int64()),
            "share": _ratio(count, total),
        },
    )


def joint(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.6 (table 4.1, figure 4.2): joint interviews by participation, per period ×
    municipality (of the interview day) × seniority (on the interview day)."""
    counts = cells[..., k.AM_JOINT : k.AM_JOINT + len(PARTICIPATION)]
    p, m, s, part, total = _parts(counts)
    return _table(
        "joint",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "seniority": _labels(SENIORITY, s),
            "participation": _labels(PARTICIPATION, part),
            "count": arrow_of(counts[p, m, s, part], pa.int64()),
            "share_both": _ratio(counts[p, m, s, 0], total),
        },
    )


def entitlement(cells: np.ndarray, periods: list[str]) -> pa.Table:
    """R45.6 (figure 4.1): persons entitled to the 1st, 2nd and 3rd joint interview and
    those who had it, per period × municipality (of the last benefit week)."""
    entitled = cells[:, :, k.SLOT_ALL, k.AM_ENTITLED : k.AM_ENTITLED + len(WHICH)]
    had = cells[:, :, k.SLOT_ALL, k.AM_HAD : k.AM_HAD + len(WHICH)]
    p, m, w = np.nonzero(entitled)
    return _table(
        "entitlement",
        {
            "period": _labels(periods, p),
            "municipality": _munis(m),
            "which": _labels(WHICH, w),
            "entitled": arrow_of(entitled[p, m, w], pa.int64()),
            "had": arrow_of(had[p, m, w], pa.int64()),
            "share": _ratio(had[p, m, w], entitled[p, m, w]),
        },
    )


def spread(
    period: np.ndarray, slot: np.ndarray, weeks: np.ndarray, interviews: np.ndarray,
    periods: list[str],
) -> pa.Table:  # fmt: skip
    """R45.3 (figure 3.2), national: per period × seniority, the nearest-rank quartiles of
    the persons' own intensities ``interviews / weeks`` (rank ``ceil(n/4)`` and
    ``ceil(3n/4)`` of the ascending list), and the size and unweighted mean of the
    *fewest* (``i_p <= q25``) and *most* (``i_p >= q75``) groups.

    The values are sorted before anything is summed, so the result does not depend on
    the order in which persons (or buckets) arrive.
    """
    ip = interviews.astype(np.float64) / weeks.astype(np.float64)
    key = period.astype(np.int64) * len(SENIORITY) + slot.astype(np.int64)
    order = np.lexsort((ip, key))
    key, ip = key[order], ip[order]
    groups, first = np.unique(key, return_index=True)
    bounds = [*first.tolist(), len(key)]
    rows: dict[str, list[object]] = {name: [] for name in AUDIT_SCHEMAS["intensity_spread"].names}
    for g, lo, hi in zip(groups.tolist(), bounds[:-1], bounds[1:], strict=True):
        v = ip[lo:hi]  # ascending
        n = len(v)
        q25 = float(v[(n + 3) // 4 - 1])
        q75 = float(v[(3 * n + 3) // 4 - 1])
        fewest = v[v <= q25]
        most = v[v >= q75]
        rows["period"].append(periods[g // len(SENIORITY)])
        rows["seniority"].append(SENIORITY[g % len(SENIORITY)])
        rows["n_persons"].append(n)
        rows["q25"].append(q25)
        rows["q75"].append(q75)
        rows["fewest_n"].append(len(fewest))
        rows["fewest_mean"].append(float(np.sum(fewest)) / len(fewest))
        rows["most_n"].append(len(most))
        rows["most_mean"].append(float(np.sum(most)) / len(most))
    return table_of_lists(rows, AUDIT_SCHEMAS["intensity_spread"])


# --- R45.7 subgroups ------------------------------------------------------------------

#: The additive subgroup counts of a part (summed over parts before the ratios).
SUBGROUP_COUNTS = ("persons", "benefit_weeks", "interviews", "touched", "activation_weeks")


def age_band_codes(birth: np.ndarray, day: int) -> np.ndarray:
    """R45.7: the index in ``AGE_BANDS`` of the age band at ``day`` (a day number) of each
    birth date (day numbers; int32 min = none → -1): age in whole years on R2's calendar,
    i.e. a birthday that does not exist that year (29 February) is reached on 1 March."""
    known = birth != np.iinfo(np.int32).min
    b = birth.astype("datetime64[D]")
    by = b.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = (b.astype("datetime64[M]") - b.astype("datetime64[Y]")).astype(np.int64) + 1
    bd = (b - b.astype("datetime64[M]")).astype(np.int64) + 1
    t = np.datetime64(int(day), "D")
    ty = int(t.astype("datetime64[Y]").astype(np.int64)) + 1970
    tm = int((t.astype("datetime64[M]") - t.astype("datetime64[Y]")).astype(np.int64)) + 1
    td = int((t - t.astype("datetime64[M]")).astype(np.int64)) + 1
    before_birthday = (tm < bm) | ((tm == bm) & (td < bd))
    years = ty - by - before_birthday.astype(np.int64)
    band = np.searchsorted(np.array([25, 30, 40, 50]), years, side="right")
    return np.where(known, band, -1)


#: A categorical attribute of every person of a part: the code of each person (-1 when
#: unknown) and the labels the codes index.
Attribute = tuple[np.ndarray, list[str]]


def subgroup_counts(
    person: np.ndarray,
    period: np.ndarray,
    values: np.ndarray,
    attributes: dict[str, Attribute],
    birth: np.ndarray,
    period_ends: list[int],
) -> pa.Table:
    """R45.7: the additive counts per period × dimension × value of one part.

    ``person``/``period`` index the persons' rows of seniority ``all`` (one per person and
    period with a benefit week) and ``values`` holds their weeks, interviews and activation
    weeks; ``attributes`` gives ``sex``/``origin``/``education`` of every person of the
    part as codes, ``birth`` their birth dates. Unknown values count as ``unknown``.
    """
    counts = {
        "persons": np.ones(len(person), np.int64),
        "benefit_weeks": values[:, k.PV_WEEKS].astype(np.int64),
        "interviews": values[:, k.PV_INTERVIEWS].astype(np.int64),
        "touched": (values[:, k.PV_ACTIVATION_WEEKS] > 0).astype(np.int64),
        "activation_weeks": values[:, k.PV_ACTIVATION_WEEKS].astype(np.int64),
    }
    n_periods = len(period_ends)
    columns: dict[str, list[Any]] = {"period": [], "dimension": [], "value": []}
    sums: dict[str, list[np.ndarray]] = {c: [] for c in SUBGROUP_COUNTS}
    for dimension in SUBGROUP_DIMENSIONS:
        if dimension == "age_band":
            labels = list(AGE_BANDS)
            code = np.full(len(person), -1, np.int64)
            for i, end in enumerate(period_ends):
                here = period == i
                code[here] = age_band_codes(birth[person[here]], end)
        else:
            by_person, labels = attributes[dimension]
            code = by_person[person].astype(np.int64)
        n_values = len(labels) + 1  # the last one: unknown
        key = period.astype(np.int64) * n_values + np.where(code < 0, n_values - 1, code)
        size = n_periods * n_values
        total = {c: np.bincount(key, weights=v, minlength=size) for c, v in counts.items()}
        present = np.flatnonzero(total["persons"])
        names = [*labels, UNKNOWN]
        columns["period"] += (present // n_values).tolist()
        columns["dimension"] += [dimension] * len(present)
        columns["value"] += [names[j] for j in (present % n_values).tolist()]
        for c in SUBGROUP_COUNTS:
            # bincount adds in float64: exact for counts below 2**53
            sums[c].append(np.rint(total[c][present]).astype(np.int64))
    return pa.table(
        {
            "period": arrow_of(columns["period"], pa.int8()),
            "dimension": strings_of(columns["dimension"]),
            "value": strings_of(columns["value"]),
            **{c: arrow_of(np.concatenate(sums[c]), pa.int64()) for c in SUBGROUP_COUNTS},
        }
    )


def sum_subgroups(table: pa.Table) -> pa.Table:
    """Add up subgroup counts with the same period, dimension and value (a few hundred
    rows per bucket: in Python, not with ``Table.group_by``, which loads
    ``pyarrow.dataset`` and pandas), keys in order of first appearance."""
    d = table.to_pydict()
    slots: dict[tuple[int, str, str], int] = {}
    keys = zip(d["period"], d["dimension"], d["value"], strict=True)
    slot = np.array([slots.setdefault(key, len(slots)) for key in keys], np.int64)
    columns: dict[str, object] = {
        "period": arrow_of([key[0] for key in slots], pa.int8()),
        "dimension": strings_of([key[1] for key in slots]),
        "value": strings_of([key[2] for key in slots]),
    }
    for c in SUBGROUP_COUNTS:
        total = np.zeros(len(slots), np.int64)
        np.add.at(total, slot, np.asarray(d[c], np.int64))
        columns[c] = arrow_of(total, pa.int64())
    return pa.table(columns)


def subgroups(counts: pa.Table, periods: list[str]) -> pa.Table:
    """R45.7 (table 3.1): the summed counts with their ratios, in a fixed order (period,
    dimension, value: age bands in age order, other values alphabetically, ``unknown``
    last)."""
    d = counts.to_pydict()
    n = counts.num_rows

    def order(i: int) -> tuple[int, int, int, str]:
        dim = SUBGROUP_DIMENSIONS.index(d["dimension"][i])
        value = d["value"][i]
        rank = AGE_BANDS.index(value) if value in AGE_BANDS else 0
        return (d["period"][i], dim, value == UNKNOWN, rank, value)  # type: ignore[return-value]

    idx = sorted(range(n), key=order)
    col = {c: np.asarray([d[c][i] for i in idx], dtype=np.int64) for c in SUBGROUP_COUNTS}
    return _table(
        "subgroups",
        {
            "period": strings_of([periods[d["period"][i]] for i in idx]),
            "dimension": strings_of([d["dimension"][i] for i in idx]),
            "value": strings_of([d["value"][i] for i in idx]),
            **{c: arrow_of(col[c], pa.int64()) for c in SUBGROUP_COUNTS},
            "intensity": _ratio(col["interviews"], col["benefit_weeks"]),
            "touch_rate": _ratio(col["touched"], col["persons"]),
            "week_share": _ratio(col["activation_weeks"], col["benefit_weeks"]),
        },
    )


__all__ = [
    "INTERVIEW_TYPES",
    "activation",
    "activation_kinds",
    "age_band_codes",
    "entitlement",
    "intensity",
    "joint",
    "mix",
    "spread",
    "subgroup_counts",
    "subgroups",
]
