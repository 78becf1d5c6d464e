// Codes fixed by the kernel contract (docs/kernel.md, jobindsats.schema).
// Twin of python/jobindsats/kernels/constants.py. These are encodings, not rules.
#pragma once

#include <cstdint>
#include <limits>

namespace jobindsats {

constexpr int64_t NO_DATE = std::numeric_limits<int32_t>::min();

// schema.GROUPS indices the algorithm names
constexpr int64_t DAGPENGE = 0;
constexpr int64_t SYGEDAGPENGE = 1;
constexpr int64_t OVERGANGSYDELSE = 4;
constexpr int64_t N_GROUPS = 9;
constexpr int64_t UNMEASURED_KEY = 100;  // segment key of an unmeasured benefit: 100 + code

// schema.BENEFITS codes
constexpr int64_t BENEFIT_DAGPENGE = 0;
constexpr int64_t BENEFIT_SYGEDAGPENGE = 1;

// schema enumerations
constexpr int64_t KIND_JOBSAMTALE = 0;
constexpr int64_t KIND_SYGEOPFOELGNING = 1;
constexpr int64_t FORM_PERSONLIGT = 0;
constexpr int64_t HOLDER_AKASSE = 2;
constexpr int64_t UNKNOWN_CATEGORY_BIT = 4;

constexpr int64_t TWELVE_PLUS = 12;

// Why an interview was or was not counted (explain, R46)
constexpr int8_t COUNTED = 0;
constexpr int8_t REJECT_DUPLICATE_DAY = 1;   // R27
constexpr int8_t REJECT_KIND = 2;            // R21 / R26
constexpr int8_t REJECT_HOLDER = 3;          // R21 / D16
constexpr int8_t REJECT_OUTSIDE_WINDOW = 4;  // R20
constexpr int8_t REJECT_DEAD_DAY = 5;        // R13
constexpr int8_t REJECT_COVID_CLOSED = 6;    // R14
constexpr int8_t REJECT_OTHER_BENEFIT = 7;   // R25
constexpr int8_t REJECT_FORM = 8;            // R22

constexpr int8_t EXCLUDED_AGE = 1;         // R2
constexpr int8_t EXCLUDED_DEAD_MONTH = 2;  // R3

// Quality counters filled by the kernel (SPEC §8): interviews without a measured main
// benefit day, then the conservation counts of the person x month x group rows (every
// row, measured, exempt, excluded by R2 or R3) and the rows of persons without a birth date.
constexpr int64_t Q_INTERVIEWS_WITHOUT_BENEFIT_DAY = 0;
constexpr int64_t Q_POPULATION = 1;
constexpr int64_t Q_MEASURED = 2;
constexpr int64_t Q_EXEMPT = 3;
constexpr int64_t Q_EXCLUDED_AGE = 4;
constexpr int64_t Q_EXCLUDED_DEAD_MONTH = 5;
constexpr int64_t Q_ROWS_WITHOUT_BIRTH_DATE = 6;
constexpr int64_t N_QUALITY = 7;

}  // namespace jobindsats
