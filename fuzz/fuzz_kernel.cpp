// libFuzzer target: arbitrary bytes -> person-sorted kernel input (decode.hpp) -> the
// per-person kernel (measure_persons, as the binding calls it) and the R40 aggregation,
// under ASan + UBSan; the invariants are checked in harness.hpp.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "contract.hpp"
#include "decode.hpp"
#include "harness.hpp"
#include "rules_data.inc"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace jobindsats;
  static uint64_t runs = 0;
  const fuzz::Input in = fuzz::decode(data, size, MUNICIPALITY_CODES, MUNICIPALITY_CODES_n,
                     SPECIAL_CODES, SPECIAL_CODES_n);
  const Data d = in.data();
  const Rules k = in.rule_set == 0 ? rules_0() : rules_1();
  const View<int8_t> category_slot =
      in.rule_set == 0 ? View<int8_t>{R0_category_slot, 9} : View<int8_t>{R1_category_slot, 9};
  const View<int16_t> muni_slot{MUNI_SLOT, MUNI_SLOT_n};
  const View<int32_t> mf = fuzz::Input::v(in.month_first), ml = fuzz::Input::v(in.month_last);
  const int64_t n_persons = d.n_persons();
  // the decoder honours the contract: the binding's check must accept what it makes
  const std::string refused = check_months(mf, ml) + check_input(d, k, 0, n_persons);
  FUZZ_CHECK(refused.empty(), "contract check refused valid input: %s", refused.c_str());

  fuzz::OwnedRows rows = fuzz::run_kernel(d, k, mf, ml, 0, n_persons);
  fuzz::check_rows(rows, d, k, mf, ml, muni_slot);
  if (n_persons >= 2) {  // the same rows when the persons are cut in two calls
    const int64_t h = n_persons / 2;
    fuzz::OwnedRows a = fuzz::run_kernel(d, k, mf, ml, 0, h);
    const fuzz::OwnedRows b = fuzz::run_kernel(d, k, mf, ml, h, n_persons);
    fuzz::OwnedRows joined = a;
    const size_t na = static_cast<size_t>(a.n), nb = static_cast<size_t>(b.n);
    joined.resize(na + nb);
    auto append = [&](auto& to, const auto& from) {
      std::copy(from.begin(), from.begin() + static_cast<std::ptrdiff_t>(nb), to.begin() + static_cast<std::ptrdiff_t>(na));
    };
    append(joined.person, b.person);
    append(joined.month, b.month);
    append(joined.group, b.group);
    append(joined.category, b.category);
    append(joined.municipality, b.municipality);
    append(joined.reference, b.reference);
    append(joined.spell_start, b.spell_start);
    append(joined.duration_days, b.duration_days);
    append(joined.duration_hours, b.duration_hours);
    append(joined.interval, b.interval);
    append(joined.band, b.band);
    append(joined.counted, b.counted);
    append(joined.exempt, b.exempt);
    append(joined.excluded, b.excluded);
    append(joined.activity, b.activity);
    joined.n = a.n + b.n;
    fuzz::check_same(rows, joined);
  }
  // every 256th run also scans all cells for a count outside the rows' cells
  fuzz::check_cells(rows, muni_slot, category_slot, mf.size, ++runs % 256 == 0);
  if (runs % 64 == 1) fuzz::check_cells_path(d, k, mf, ml, rows, muni_slot, category_slot);
  return 0;
}
