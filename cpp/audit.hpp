// The focus audit's per-person work (SPEC R45). Twin of python/jobindsats/kernels/audit.py.
// For each person and period: the benefit weeks of the group (R45.1), each week's seniority
// (R45.2, on the measurement's spells and durations) and municipality (R42 on its reference
// day), the interviews (R45.3/R45.4) and offer days (R45.5) of the week, and for dagpenge the
// joint interviews and the entitlement facts (R45.6). Everything is added into a small
// dense array of counts; the one per-person output is each person's weeks, interviews and
// activation weeks per period x seniority slot (the R45.3 spread and R45.7 subgroups).
#pragma once

#include <cstdint>
#include <vector>

#include "data.hpp"

namespace jobindsats {

// Seniority slots (R45.2): six fine groups, under6, 6+, all.
constexpr int64_t N_SENIORITY_SLOTS = 9;
constexpr int64_t SLOT_UNDER6 = 6, SLOT_SIX_PLUS = 7, SLOT_ALL = 8;

// Measures of the dense array cells[period, muni slot, seniority slot, measure]
// (municipality slots as measure.municipality_slots: 0 national, 1..98, 99 unknown).
constexpr int64_t AM_PERSONS = 0;           // R45.5 persons with a benefit week there
constexpr int64_t AM_TOUCHED = 1;           // R45.5 of them with an offer day in one
constexpr int64_t AM_WEEKS = 2;             // R45.1 benefit weeks
constexpr int64_t AM_INTERVIEWS = 3;        // R45.3 interviews attributed to them
constexpr int64_t AM_ACTIVATION_WEEKS = 4;  // R45.5 benefit weeks with an offer day
constexpr int64_t AM_KIND_WEEKS = 5;        // + offer kind (6): weeks with that kind
constexpr int64_t AM_TYPE = 11;             // + R45.4 type (4), slot all only
constexpr int64_t AM_FORM = 15;             // + contact form (3), slot all only
constexpr int64_t AM_JOINT = 18;            // + R45.6 participation (4)
constexpr int64_t AM_ENTITLED = 22;         // + which (3), slot all only
constexpr int64_t AM_HAD = 25;              // + which (3), slot all only
constexpr int64_t N_AUDIT_MEASURES = 28;
constexpr int64_t N_OFFER_KINDS = 6;
constexpr int64_t N_MUNI_SLOTS_AUDIT = 100;
// The per-person output: out[person, period, seniority slot, value].
constexpr int64_t PV_WEEKS = 0, PV_INTERVIEWS = 1, PV_ACTIVATION_WEEKS = 2, N_PERSON_VALUES = 3;

// The interview and offer columns only the audit reads (docs/kernel.md).
struct AuditEvents {
  View<uint8_t> iv_joint, iv_akasse_present, iv_jobcenter_present;
  View<int8_t> of_kind;
};

// What is audited: a measured group (forrevalidering is revalidering, R7), a category or
// -1 (R45.9), and the periods [start, end].
struct AuditQuery {
  int64_t group = 0, category = -1;
  View<int32_t> period_start, period_end;
  View<int16_t> muni_slot;  // municipality code -> slot (1000 entries)
};

// Per-thread buffers of the audit, besides the measurement's Scratch.
struct AuditScratch {
  std::vector<int32_t> q_start, q_end;  // the person's days with the group (and category)
  std::vector<int64_t> stamp;           // [muni slot, seniority slot]: last person-period
  std::vector<uint8_t> touched;         // ... and whether it was touched there
  AuditScratch();
};

// R45.2: the seniority in months of the group's spell with `day` as reference date (day
// must have the group as main benefit); spell_start receives the spell's first day.
int64_t seniority_months(const Data& d, const Rules& rules, const Scratch& s, int64_t p,
                         int64_t group, int64_t day, const Timeline& t, int64_t* spell_start);

// R45.2: the fine seniority slot (0-3 ... 24+) of a seniority in months.
int64_t seniority_slot(int64_t months);

// All of person p: adds into cells (int64[periods, 100, 9, N_AUDIT_MEASURES]) and writes
// person_out (int32[periods, 9, N_PERSON_VALUES], every value) of the person.
void audit_person(const Data& d, const AuditEvents& e, const Rules& rules, Scratch& s,
                  AuditScratch& a, const AuditQuery& q, int64_t p, int64_t* cells,
                  int32_t* person_out);

// Persons p0..p1-1 on `threads` threads: each thread adds into its own cells, summed into
// `cells` at the end (integer sums: the same for any thread count); person_out holds
// (p1 - p0) persons' values.
void audit_persons(const Data& d, const AuditEvents& e, const Rules& rules,
                   const AuditQuery& q, int64_t p0, int64_t p1, int64_t* cells,
                   int32_t* person_out, int threads);

}  // namespace jobindsats
