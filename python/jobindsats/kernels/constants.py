"""Codes fixed by the kernel contract (``docs/kernel.md``, ``jobindsats.schema``).

These are encodings, not rules: the rule values themselves come from ``KernelRules``.
Twin of ``cpp/constants.hpp``.
"""

from __future__ import annotations

NO_DATE = -2147483648  # INT32_MIN: "no such date"

# schema.GROUPS indices the algorithm names
DAGPENGE = 0
SYGEDAGPENGE = 1
OVERGANGSYDELSE = 4
N_GROUPS = 9
UNMEASURED_KEY = 100  # segment key of an unmeasured main benefit: 100 + benefit code

# schema.BENEFITS codes
BENEFIT_DAGPENGE = 0
BENEFIT_SYGEDAGPENGE = 1

# schema enumerations
KIND_JOBSAMTALE = 0
KIND_SYGEOPFOELGNING = 1
FORM_PERSONLIGT = 0
HOLDER_AKASSE = 2
UNKNOWN_CATEGORY_BIT = 4  # bit of KernelRules.exempt_mask for days without a category

N_FINE_INTERVALS = 13  # <1, 1..11, 12+ (index 12)
TWELVE_PLUS = 12

# Why an interview was or was not counted (explain, R46)
COUNTED = 0
REJECT_DUPLICATE_DAY = 1  # R27
REJECT_KIND = 2  # R21 / R26
REJECT_HOLDER = 3  # R21 / D16
REJECT_OUTSIDE_WINDOW = 4  # R20 (and R24 after 12 months)
REJECT_DEAD_DAY = 5  # R13
REJECT_COVID_CLOSED = 6  # R14
REJECT_OTHER_BENEFIT = 7  # R25
REJECT_FORM = 8  # R22

# excluded codes (schema.EXCLUSIONS)
EXCLUDED_AGE = 1  # R2
EXCLUDED_DEAD_MONTH = 2  # R3

# quality counters filled by the kernel (SPEC §8): interviews without a measured main
# benefit day, then the conservation counts of the person x month x group rows (every
# row, measured, exempt, excluded by R2 or R3) and the rows of persons without a birth date
Q_INTERVIEWS_WITHOUT_BENEFIT_DAY = 0
Q_POPULATION = 1
Q_MEASURED = 2
Q_EXEMPT = 3
Q_EXCLUDED_AGE = 4
Q_EXCLUDED_DEAD_MONTH = 5
Q_ROWS_WITHOUT_BIRTH_DATE = 6
N_QUALITY = 7
