// Exempt share and the 2024 rules: SPEC R30-R32.
// Twin of python/jobindsats/kernels/exemptions.py. Qualifying exemption days of the
// window are collected as closed pieces (whole rows for codes that qualify in every
// category; for category-specific codes, the parts on days with a qualifying category),
// sorted, and their union is counted in counted days (R11).
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

// R30/R31: counted days of [window_start, ref] covered by a qualifying exemption.
int64_t qualifying_exempt_days(const Data& d, const Rules& rules, Scratch& s, int64_t p,
                               int64_t group, const Timeline& t, int64_t window_start,
                               int64_t ref);

// R31/R32/D14: exempt at >= 50 %; from 2024 below interval 6: >= 30 % or >= 5 MII days.
bool is_exempt(const Data& d, const Rules& rules, Scratch& s, int64_t p, int64_t group,
               const Timeline& t, int64_t spell_start, int64_t window_start, int64_t ref,
               int64_t interval);

}  // namespace jobindsats
