// libFuzzer target for the binding-level validation (cpp/contract.hpp, called by
// src/register_measure.cpp on every call): valid input from decode.hpp, then corrupted by
// a few edits the fuzzer chooses — any entry of any array set to any value, or an array
// cut short. Whatever the contract check accepts must then run through the kernel and the
// aggregation with every invariant of harness.hpp; what it refuses never reaches them.
//
// Bytes: u8 header (bits 0-2: number of edits; bit 7: the edits corrupt the kernel's
// output rows before the R40 aggregation instead of its input), the edits (u8 array id,
// bit 7 = cut the array to index % (size + 1) instead of setting an entry; u16 index; u32
// value), then the decode.hpp bytes.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "contract.hpp"
#include "decode.hpp"
#include "harness.hpp"
#include "rules_data.inc"

namespace {

using namespace jobindsats;

struct Edit {
  uint8_t id;
  uint16_t index;
  uint32_t value;
};

template <class T>
void apply_edit(std::vector<T>& a, const Edit& e) {
  if (e.id & 0x80) {
    a.resize(e.index % (a.size() + 1));
    return;
  }
  if (a.empty()) return;
  T& x = a[e.index % a.size()];
  if constexpr (std::is_floating_point_v<T>) {
    const double special[] = {std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity(), -1.0, 0.0, 1e300, -0.0};
    const uint32_t k = e.value % 8;
    x = k < 7 ? special[k] : static_cast<double>(e.value >> 3) / 4.0;
  } else {
    x = static_cast<T>(static_cast<int32_t>(e.value));
  }
}

void edit_input(fuzz::Input& in, const Edit& e) {
  switch ((e.id & 0x7f) % 43) {
    case 0: return apply_edit(in.person_ids, e);
    case 1: return apply_edit(in.birth_date, e);
    case 2: return apply_edit(in.ben_off, e);
    case 3: return apply_edit(in.ben_benefit, e);
    case 4: return apply_edit(in.ben_start, e);
    case 5: return apply_edit(in.ben_end, e);
    case 6: return apply_edit(in.ben_hours, e);
    case 7: return apply_edit(in.ben_part_time, e);
    case 8: return apply_edit(in.ben_supp, e);
    case 9: return apply_edit(in.dp_off, e);
    case 10: return apply_edit(in.dp_start, e);
    case 11: return apply_edit(in.iv_off, e);
    case 12: return apply_edit(in.iv_date, e);
    case 13: return apply_edit(in.iv_kind, e);
    case 14: return apply_edit(in.iv_form, e);
    case 15: return apply_edit(in.iv_held_by, e);
    case 16: return apply_edit(in.iv_muni, e);
    case 17: return apply_edit(in.ex_off, e);
    case 18: return apply_edit(in.ex_code, e);
    case 19: return apply_edit(in.ex_start, e);
    case 20: return apply_edit(in.ex_end, e);
    case 21: return apply_edit(in.mii_off, e);
    case 22: return apply_edit(in.mii_start, e);
    case 23: return apply_edit(in.mii_end, e);
    case 24: return apply_edit(in.of_off, e);
    case 25: return apply_edit(in.of_start, e);
    case 26: return apply_edit(in.of_end, e);
    case 27: return apply_edit(in.res_off, e);
    case 28: return apply_edit(in.res_muni, e);
    case 29: return apply_edit(in.res_start, e);
    case 30: return apply_edit(in.res_end, e);
    case 31: return apply_edit(in.vis_off, e);
    case 32: return apply_edit(in.vis_cat, e);
    case 33: return apply_edit(in.vis_start, e);
    case 34: return apply_edit(in.vis_end, e);
    case 35: return apply_edit(in.reg_off, e);
    case 36: return apply_edit(in.reg_date, e);
    case 37: return apply_edit(in.emp_off, e);
    case 38: return apply_edit(in.emp_month, e);
    case 39: return apply_edit(in.emp_hours, e);
    case 40: return apply_edit(in.month_first, e);
    case 41: return apply_edit(in.month_last, e);
    default: return;  // 42: no edit
  }
}

// Output-row edits never cut an array (the rows have one length, the binding checks it).
void edit_rows(fuzz::OwnedRows& o, Edit e) {
  e.id &= 0x7f;
  if (o.n == 0) return;
  e.index = static_cast<uint16_t>(e.index % o.n);
  switch (e.id % 8) {
    case 0: return apply_edit(o.month, e);
    case 1: return apply_edit(o.group, e);
    case 2: return apply_edit(o.category, e);
    case 3: return apply_edit(o.municipality, e);
    case 4: return apply_edit(o.interval, e);
    case 5: return apply_edit(o.band, e);
    case 6: return apply_edit(o.counted, e);
    default: return apply_edit(o.excluded, e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static uint64_t runs = 0;
  fuzz::Reader r{data, size};
  const uint8_t header = r.u8();
  std::vector<Edit> edits(header & 7);
  for (Edit& e : edits) {
    e.id = r.u8();
    e.index = r.u16();
    e.value = static_cast<uint32_t>(r.u16()) | (static_cast<uint32_t>(r.u16()) << 16);
  }
  const size_t skip = std::min(r.at, size);
  fuzz::Input in = fuzz::decode(data + skip, size - skip, MUNICIPALITY_CODES, MUNICIPALITY_CODES_n,
                     SPECIAL_CODES, SPECIAL_CODES_n);
  const bool on_rows = header & 0x80;
  if (!on_rows)
    for (const Edit& e : edits) edit_input(in, e);
  const Data d = in.data();
  const Rules k = in.rule_set == 0 ? rules_0() : rules_1();
  const View<int8_t> category_slot =
      in.rule_set == 0 ? View<int8_t>{R0_category_slot, 9} : View<int8_t>{R1_category_slot, 9};
  const View<int16_t> muni_slot{MUNI_SLOT, MUNI_SLOT_n};
  const View<int32_t> mf = fuzz::Input::v(in.month_first), ml = fuzz::Input::v(in.month_last);
  // what the binding does: refuse, or measure
  if (!check_months(mf, ml).empty()) return 0;
  const bool refused = !check_input(d, k, 0, d.n_persons()).empty();
  // the cells path's block check (rows_clear) passes exactly the input check_input does
  if (check_tables(d, 0, d.n_persons()).empty())
    FUZZ_CHECK(rows_clear(d, k, 0, d.n_persons()) == !refused, "refused %d", int{refused});
  if (refused) return 0;
  fuzz::OwnedRows rows = fuzz::run_kernel(d, k, mf, ml, 0, d.n_persons());
  if (!on_rows) {
    fuzz::check_rows(rows, d, k, mf, ml, muni_slot);
  } else {
    for (const Edit& e : edits) edit_rows(rows, e);
    if (!check_rows(rows.rows(), rows.n, mf.size, muni_slot, category_slot).empty()) return 0;
  }
  // every 256th run also scans all cells for a count outside the rows' cells
  fuzz::check_cells(rows, muni_slot, category_slot, mf.size, ++runs % 256 == 0);
  return 0;
}
