// The corpus encodes the golden cases faithfully: SPEC §10's G1 (December 2020), decoded
// from fuzz/corpus/fuzz_kernel/G1_december_2020_*.bin and run through the kernel as the
// fuzz target runs it, gives the hand-computed row of tests/test_examples.py.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decode.hpp"
#include "harness.hpp"
#include "rules_data.inc"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  for (const auto& e : fs::directory_iterator(argv[1])) {
    if (e.path().filename().string().rfind("G1_december_2020", 0) != 0) continue;
    std::ifstream f(e.path(), std::ios::binary);
    const std::vector<char> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const fuzz::Input in =
        fuzz::decode(reinterpret_cast<const uint8_t*>(b.data()), b.size(), MUNICIPALITY_CODES,
                     MUNICIPALITY_CODES_n,
                     SPECIAL_CODES, SPECIAL_CODES_n);
    const jobindsats::Data d = in.data();
    const fuzz::OwnedRows o =
        fuzz::run_kernel(d, rules_0(), fuzz::Input::v(in.month_first),
                         fuzz::Input::v(in.month_last), 0, d.n_persons());
    // the run is the month 2020-12 (as the test measures it): one row, kontanthjaelp
    FUZZ_CHECK(in.month_first.size() == 1 && in.month_first[0] == 18597, "months");
    FUZZ_CHECK(o.n == 1, "%lld rows", static_cast<long long>(o.n));
    const size_t i = 0;
    FUZZ_CHECK(o.month[i] == 0 && o.group[i] == 2, "month %d group %d", o.month[i], o.group[i]);
    FUZZ_CHECK(o.reference[i] == 18627, "reference %d", o.reference[i]);  // 2020-12-31
    FUZZ_CHECK(o.duration_days[i] == 608, "duration %d", o.duration_days[i]);
    FUZZ_CHECK(o.interval[i] == 12 && o.band[i] == 0, "interval %d band %d", o.interval[i], o.band[i]);
    FUZZ_CHECK(o.counted[i] == 2, "counted %d", o.counted[i]);
    FUZZ_CHECK(o.exempt[i] == 0 && o.excluded[i] == 0, "exempt/excluded");
    std::printf("G1 decoded from %s: 1 passed, 0 failed\n", e.path().filename().c_str());
    return 0;
  }
  std::fprintf(stderr, "no G1_december_2020 input in %s\n", argv[1]);
  return 1;
}
