// Main benefit per day and spells by group: SPEC R5-R9.
// Twin of python/jobindsats/kernels/spells.py. Segments carry a key: the measured group
// (forrevalidering folded into revalidering, R7) or 100 + benefit code.
#pragma once

#include <cstdint>

#include "data.hpp"

namespace jobindsats {

// R5: main benefit of every paid day, as merged keyed segments (supplementary rows win
// only on days without any other payment; otherwise the D5 priority).
int64_t main_benefit_segments(const Data& d, const Rules& rules, Scratch& s, int64_t p);

// R6-R9, D4, D8: the first day of the spell each segment belongs to.
void spell_starts(int64_t n, const int32_t* seg_start, const int32_t* seg_end,
                  const int32_t* seg_key, int64_t oy_join_mask, int32_t* out_spell_start);

// R9/D6: sygedagpenge rows merge while a row starts at least one day before the running end.
int64_t sickness_spells(const Data& d, int64_t lo, int64_t hi, int32_t* out_start,
                        int32_t* out_end);

// R9: start of the sickness spell containing ref; the later-starting one when two do.
int64_t sickness_spell_start(int64_t n, const int32_t* sp_start, const int32_t* sp_end,
                             int64_t ref);

// R9: the latest dagpenge period start on or before ref; without one, D8's gap-rule spell
// (seg: the index of the segment containing ref if the caller knows it, else -1).
int64_t dagpenge_spell_start(const Data& d, int64_t p, int64_t n_seg, const Scratch& s,
                             int64_t ref, int64_t seg = -1);

}  // namespace jobindsats
