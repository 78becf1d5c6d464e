// Twin of python/jobindsats/kernels/spells.py.
#include "spells.hpp"

#include "constants.hpp"
#include "dates.hpp"
#include "segments.hpp"

namespace jobindsats {

int64_t main_benefit_segments(const Data& d, const Rules& rules, Scratch& s, int64_t p) {
  const int64_t lo = d.ben_off[p], hi = d.ben_off[p + 1];
  for (int64_t r = lo; r < hi; ++r)
    s.rank[static_cast<size_t>(r - lo)] =
        rules.benefit_rank[d.ben_benefit[r]] + (d.ben_supp[r] ? 64 : 0);
  const int64_t n = paint(d.ben_start, d.ben_end, s.rank.data(), lo, hi, s.bounds.data(),
                          s.active.data(), s.seg_start.data(), s.seg_end.data(),
                          s.seg_row.data());
  for (int64_t i = 0; i < n; ++i) {
    const int8_t code = d.ben_benefit[s.seg_row[static_cast<size_t>(i)]];
    const int8_t g = rules.benefit_group[code];
    s.seg_key[static_cast<size_t>(i)] = g >= 0 ? g : static_cast<int32_t>(UNMEASURED_KEY + code);
  }
  return merge_by_key(n, s.seg_start.data(), s.seg_end.data(), s.seg_key.data());
}

void spell_starts(int64_t n, const int32_t* seg_start, const int32_t* seg_end,
                  const int32_t* seg_key, int64_t oy_join_mask, int32_t* out_spell_start) {
  int64_t last_dp = -1;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t k = seg_key[i];
    out_spell_start[i] = seg_start[i];
    if (k == DAGPENGE) {
      if (last_dp >= 0 &&
          !gap_contains_whole_month(int64_t{seg_end[last_dp]} + 1, int64_t{seg_start[i]} - 1))
        out_spell_start[i] = out_spell_start[last_dp];
      last_dp = i;
    } else if (i > 0 &&
               !gap_contains_whole_month(int64_t{seg_end[i - 1]} + 1, int64_t{seg_start[i]} - 1)) {
      if (seg_key[i - 1] == k) {
        out_spell_start[i] = out_spell_start[i - 1];
      } else if (k < UNMEASURED_KEY && ((oy_join_mask >> k) & 1) &&
                 seg_key[i - 1] == OVERGANGSYDELSE) {
        out_spell_start[i] = out_spell_start[i - 1];  // R8
      }
    }
  }
}

int64_t sickness_spells(const Data& d, int64_t lo, int64_t hi, int32_t* out_start,
                        int32_t* out_end) {
  int64_t n = 0;
  for (int64_t r = lo; r < hi; ++r) {
    if (d.ben_benefit[r] != BENEFIT_SYGEDAGPENGE) continue;
    const int32_t s = d.ben_start[r], e = d.ben_end[r];
    if (n > 0 && int64_t{s} <= int64_t{out_end[n - 1]} - 1) {
      if (e > out_end[n - 1]) out_end[n - 1] = e;
    } else {
      out_start[n] = s;
      out_end[n] = e;
      ++n;
    }
  }
  return n;
}

int64_t sickness_spell_start(int64_t n, const int32_t* sp_start, const int32_t* sp_end,
                             int64_t ref) {
  for (int64_t i = n - 1; i >= 0; --i)
    if (sp_start[i] <= ref && ref <= sp_end[i]) return sp_start[i];
  return NO_DATE;
}

int64_t dagpenge_spell_start(const Data& d, int64_t p, int64_t n_seg, const Scratch& s,
                             int64_t ref, int64_t seg) {
  int64_t best = NO_DATE;
  for (int64_t i = d.dp_off[p]; i < d.dp_off[p + 1]; ++i) {
    if (d.dp_start[i] <= ref)
      best = d.dp_start[i];
    else
      break;
  }
  if (best != NO_DATE) return best;
  const int64_t j = seg >= 0 ? seg : segment_at(n_seg, s.seg_start.data(), s.seg_end.data(), ref);
  return s.seg_spell[static_cast<size_t>(j)];
}

}  // namespace jobindsats
