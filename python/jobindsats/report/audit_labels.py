"""Danish labels of the focus audit's report (SPEC R45, seed 004 chapters 3–4), beside
:mod:`.labels` (which holds the measurement's labels and the Danish number format).

The R45.10 tables keep the library's codes (``0-3``, ``faellessamtale``, ``touch_rate``);
workbook, charts and HTML show these labels. Unknown codes (say, a free ``origin``
value) fall back to the code itself.
"""

from __future__ import annotations

import calendar
import datetime as dt

#: R45.10 table → sheet name (at most 31 characters) and heading.
TABLE_LABELS: dict[str, str] = {
    "intensity": "Samtaleintensitet",
    "intensity_spread": "Spredning",
    "mix": "Samtaletyper",
    "activation": "Aktivering",
    "activation_kinds": "Aktiveringstyper",
    "joint": "Fællessamtaler",
    "entitlement": "Ret til fællessamtaler",
    "subgroups": "Delgrupper",
    "change": "Udvikling",
}

#: R45.2 seniority groups; ``all`` is the seed's "AI*" (alle anciennitetsintervaller).
SENIORITY_LABELS: dict[str, str] = {
    "0-3": "Under 3 mdr.",
    "3-6": "3-6 mdr.",
    "6-12": "6-12 mdr.",
    "12-18": "12-18 mdr.",
    "18-24": "18-24 mdr.",
    "24+": "Over 24 mdr.",
    "under6": "Under 6 mdr.",
    "6+": "Over 6 mdr.",
    "all": "Alle (AI*)",
}
#: The seed's footnote to "AI*".
ALL_SENIORITY_NOTE = "AI* = alle anciennitetsintervaller, dvs. alle samtaler og ydelsesuger."

#: R45.4 interview types and forms, R45.5 offer kinds, R45.6 participation and entitlement.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "type": {
        "jobsamtale": "Jobsamtale",
        "faellessamtale": "Fællessamtale",
        "anden": "Anden samtale",
        "sygeopfoelgning": "Sygeopfølgning",
    },
    "form": {
        "personligt": "Personligt fremmøde",
        "telefon": "Telefon",
        "digitalt": "Digitalt (video)",
    },
    "kind": {
        "vejledning_opkvalificering": "Vejledning og opkvalificering",
        "virksomhedspraktik": "Virksomhedspraktik",
        "loentilskud": "Løntilskud",
        "nytteindsats": "Nytteindsats",
        "ordinaer_uddannelse": "Ordinær uddannelse",
        "other": "Øvrige",
    },
    "participation": {
        "both": "Både a-kasse og jobcenter",
        "akasse_only": "Kun a-kasse",
        "jobcenter_only": "Kun jobcenter",
        "neither": "Ingen af parterne",
    },
    "which": {
        "1st": "1. fællessamtale",
        "2nd": "2. fællessamtale",
        "3rd": "3. fællessamtale",
    },
    # R45.7 subgroups (seed table 3.1); the values are free strings (SPEC §2), these are
    # the codes `jobindsats synth` writes.
    "sex": {"mand": "Mand", "kvinde": "Kvinde"},
    "age_band": {
        "<25": "Under 25",
        "25-29": "25-29",
        "30-39": "30-39",
        "40-49": "40-49",
        "50+": "50 eller over",
    },
    "origin": {
        "dansk": "Etnisk dansker",
        "indvandrer_ikke_vestlig": "Indvandrere fra ikke-vestlige lande",
        "indvandrer_vestlig": "Indvandrere fra vestlige lande",
        "efterkommer_ikke_vestlig": "Efterkommere fra ikke-vestlige lande",
        "efterkommer_vestlig": "Efterkommere fra vestlige lande",
    },
    "education": {
        "grundskole": "Grundskole",
        "adgangsgivende": "Adgangsgivende uddannelsesforløb",
        "gymnasial": "Gymnasiale uddannelser",
        "erhvervsfaglig": "Erhvervsfaglige uddannelser",
        "bachelor": "Bacheloruddannelser",
        "kort_videregaaende": "Korte videregående uddannelser",
        "mellemlang_videregaaende": "Mellemlange videregående uddannelser",
        "lang_videregaaende": "Lange videregående uddannelser",
        "phd": "Ph.d. og forskeruddannelser",
    },
}
UNKNOWN_LABEL = "Ukendt"

#: The ``dimension`` column of ``mix`` and ``subgroups``.
DIMENSION_LABELS: dict[str, str] = {
    "type": "Samtaletype",
    "form": "Samtaleform",
    "sex": "Køn",
    "age_band": "Alder",
    "origin": "Herkomst",
    "education": "Uddannelsesniveau",
}

#: Key columns of the R45.10 tables (header of the workbook's key columns).
KEY_LABELS: dict[str, str] = {
    "municipality": "Kommune",
    "seniority": "Anciennitet",
    "dimension": "Opdeling",
    "value": "Gruppe",
    "kind": "Redskabstype",
    "participation": "Deltagelse",
    "which": "Fællessamtale",
    "table": "Tabel",
    "metric": "Mål",
}

#: Value columns: label, and how to show it: ``count``, ``share`` (a fraction shown as %)
#: or ``mean`` (a ratio with two decimals, e.g. interviews per benefit week).
METRICS: dict[str, tuple[str, str]] = {
    "benefit_weeks": ("Ydelsesuger", "count"),
    "interviews": ("Samtaler", "count"),
    "intensity": ("Samtaleintensitet", "mean"),
    "n_persons": ("Personer", "count"),
    "q25": ("25 %-fraktil", "mean"),
    "q75": ("75 %-fraktil", "mean"),
    "fewest_n": ("Færrest: personer", "count"),
    "fewest_mean": ("Færrest: gns. intensitet", "mean"),
    "most_n": ("Flest: personer", "count"),
    "most_mean": ("Flest: gns. intensitet", "mean"),
    "count": ("Antal", "count"),
    "share": ("Andel", "share"),
    "persons": ("Personer", "count"),
    "touched": ("Aktiveringsberørte", "count"),
    "touch_rate": ("Andel aktiveringsberørte", "share"),
    "activation_weeks": ("Aktiveringsuger", "count"),
    "week_share": ("Andel aktiveringsuger", "share"),
    "weeks": ("Aktiveringsuger", "count"),
    "share_both": ("Andel med både a-kasse og jobcenter", "share"),
    "entitled": ("Berettigede", "count"),
    "had": ("Har fået den", "count"),
}

BEFORE = "Før"
AFTER = "Efter"
CHANGE = "Udvikling i %"
RANK = "Rang"

_MONTHS = ("jan.", "feb.", "marts", "april", "maj", "juni", "juli", "aug.", "sept.", "okt.",
           "nov.", "dec.")  # fmt: skip


def seniority_label(code: str) -> str:
    return SENIORITY_LABELS.get(code, code)


def value_label(dimension: str, code: str | None) -> str:
    """The label of ``code`` in ``dimension`` (``type``, ``form``, ``kind``,
    ``participation``, ``which`` or an R45.7 dimension); R45.7's ``unknown`` is
    "Ukendt"."""
    if code is None:
        return ""
    if code == "unknown":
        return UNKNOWN_LABEL
    return VALUE_LABELS.get(dimension, {}).get(code, code)


def dimension_label(code: str) -> str:
    return DIMENSION_LABELS.get(code, code)


def metric_label(code: str) -> str:
    return METRICS.get(code, (code, "count"))[0]


def metric_kind(code: str) -> str:
    """``count``, ``share`` or ``mean`` (see :data:`METRICS`)."""
    return METRICS.get(code, (code, "count"))[1]


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """``"2019-01-01:2019-12-31"`` → its first and last day."""
    first, _, last = label.partition(":")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last)


def period_label(label: str) -> str:
    """An R45.10 period in the seed's words: a calendar year as ``2019``, whole months as
    ``sept. 2021 – aug. 2022``, other periods as ``01.09.2021 – 15.08.2022``."""
    a, b = period_bounds(label)
    whole_months = a.day == 1 and b.day == calendar.monthrange(b.year, b.month)[1]
    if whole_months and (a.month, b.month) == (1, 12) and a.year == b.year:
        return str(a.year)
    if whole_months:
        if (a.year, a.month) == (b.year, b.month):
            return f"{_MONTHS[a.month - 1]} {a.year}"
        return f"{_MONTHS[a.month - 1]} {a.year} – {_MONTHS[b.month - 1]} {b.year}"
    return f"{a:%d.%m.%Y} – {b:%d.%m.%Y}"
