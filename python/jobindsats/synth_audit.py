"""Synthetic data for the focus audit (SPEC R45): persons' attributes and the presence
flags of joint interviews.

Drawn from a random stream of their own (``np.random.default_rng([seed, chunk,
AUDIT_STREAM])``), after every other table of the chunk is generated, so that adding them
changed no draw of the other tables: the measurement's results on a synthetic
population are the same as before they existed (the measurement reads neither).

* ``sex``, ``origin``, ``education`` (R45.7): shares like those of the unemployed in the
  seed's table 3.1, with a few nulls (unknown).
* joint interviews (R45.6): who was present, with the shares of the seed's table 4.1
  (36 % both, most of the rest the jobcentre only, a few the fund only) and a few with
  neither present.
"""

from __future__ import annotations

import numpy as np

AUDIT_STREAM = 45  # the third seed word of the audit's stream (R45)

SEX = ("mand", "kvinde")
SEX_P = (0.52, 0.48)
ORIGIN = (
    "dansk",
    "indvandrer_ikke_vestlig",
    "indvandrer_vestlig",
    "efterkommer_ikke_vestlig",
    "efterkommer_vestlig",
)
ORIGIN_P = (0.795, 0.10, 0.07, 0.03, 0.005)
EDUCATION = (
    "grundskole",
    "adgangsgivende",
    "gymnasial",
    "erhvervsfaglig",
    "kort_videregaaende",
    "mellemlang_videregaaende",
    "bachelor",
    "lang_videregaaende",
    "phd",
)
EDUCATION_P = (0.22, 0.01, 0.08, 0.33, 0.05, 0.14, 0.04, 0.12, 0.01)
#: share of nulls per attribute
NULL_P = {"sex": 0.002, "origin": 0.01, "education": 0.03}
#: joint interviews: both, akasse only, jobcenter only, neither
PRESENCE_P = (0.36, 0.04, 0.58, 0.02)


def _attribute(rng: np.random.Generator, values: tuple[str, ...], p: tuple[float, ...],
               null_p: float, n: int) -> np.ndarray:  # fmt: skip
    out = np.asarray(values, dtype=object)[rng.choice(len(values), size=n, p=p)]
    out[rng.random(n) < null_p] = None
    return out


def add_audit_columns(rng: np.random.Generator, cols: dict[str, dict[str, np.ndarray]]) -> None:
    """Add the persons' attributes and redraw the joint interviews' presence flags of one
    chunk's column arrays, in place."""
    persons = cols["persons"]
    n = len(persons["person"])
    persons["sex"] = _attribute(rng, SEX, SEX_P, NULL_P["sex"], n)
    persons["origin"] = _attribute(rng, ORIGIN, ORIGIN_P, NULL_P["origin"], n)
    persons["education"] = _attribute(rng, EDUCATION, EDUCATION_P, NULL_P["education"], n)
    iv = cols["interviews"]
    joint = np.flatnonzero(iv["joint"])
    who = rng.choice(4, size=joint.size, p=PRESENCE_P)
    akasse = np.asarray(iv["akasse_present"], dtype=bool).copy()
    jobcenter = np.asarray(iv["jobcenter_present"], dtype=bool).copy()
    akasse[joint] = (who == 0) | (who == 1)
    jobcenter[joint] = (who == 0) | (who == 2)
    iv["akasse_present"] = akasse
    iv["jobcenter_present"] = jobcenter
