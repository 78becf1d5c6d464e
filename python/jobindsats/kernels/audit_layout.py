"""The layout of the focus audit kernel's outputs (plain Python, no Numba, so that the
compiled backend needs no Numba): the seniority slots, the measures of the dense counts
``cells[period, muni slot, seniority slot, measure]`` and the per-person values. Twin of
the constants in ``cpp/audit.hpp``; ``kernels/audit.py`` (the Numba twin) and the table
builders (``audit_tables.py``) read them from here.
"""

from __future__ import annotations

# Seniority slots (R45.2): six fine groups, under6, 6+, all.
N_SENIORITY_SLOTS = 9
SLOT_UNDER6 = 6
SLOT_SIX_PLUS = 7
SLOT_ALL = 8

# Measures of cells[period, muni slot, seniority slot, measure] (municipality slots as
# measure.municipality_slots: 0 national, 1..98, 99 unknown).
AM_PERSONS = 0  # R45.5 persons with a benefit week there
AM_TOUCHED = 1  # R45.5 of them with an offer day in one
AM_WEEKS = 2  # R45.1 benefit weeks
AM_INTERVIEWS = 3  # R45.3 interviews attributed to them
AM_ACTIVATION_WEEKS = 4  # R45.5 benefit weeks with an offer day
AM_KIND_WEEKS = 5  # + offer kind (6): weeks with that kind
AM_TYPE = 11  # + R45.4 type (4), slot all only
AM_FORM = 15  # + contact form (3), slot all only
AM_JOINT = 18  # + R45.6 participation (4)
AM_ENTITLED = 22  # + which (3), slot all only
AM_HAD = 25  # + which (3), slot all only
N_AUDIT_MEASURES = 28
N_OFFER_KINDS = 6
N_MUNI_SLOTS = 100
# The per-person output: out[person, period, seniority slot, value].
PV_WEEKS = 0
PV_INTERVIEWS = 1
PV_ACTIVATION_WEEKS = 2
N_PERSON_VALUES = 3
