#!/usr/bin/env bash
# Build the fuzz targets with clang under ASan + UBSan and run each for SECONDS seconds
# (default 20) on one core, starting from the repository corpus (fuzz/corpus/<target>/).
# New inputs go to build/fuzz/corpus/<target>/ (not the repository), crashes to
# build/fuzz/artifacts/<target>/. Exits non-zero on any crash, sanitizer report or
# broken invariant. Needs clang and libFuzzer (Debian: apt-get install clang
# libclang-rt-14-dev). Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(fuzz_kernel fuzz_check); fi
build="$root/build/fuzz"

CC="${CC:-clang}" CXX="${CXX:-clang++}" cmake -S "$root/fuzz" -B "$build" -G Ninja \
  -DJOBINDSATS_SANITIZE=address,undefined >/dev/null
cmake --build "$build" >/dev/null
# the corpus and the regressions first: each must run clean
(cd "$build" && ctest --output-on-failure)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
  echo "== $t: ${seconds}s"
  if ! "$build/$t" -max_total_time="$seconds" -max_len=8192 -timeout=25 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
      "$build/corpus/$t" "$root/fuzz/corpus/$t" > "$build/$t.log" 2>&1; then
    status=1
    grep -E "ERROR|invariant broken|SUMMARY|runtime error" "$build/$t.log" | head -20 || true
    echo "$t: FAILED (log: $build/$t.log, input: $build/artifacts/$t/)"
  fi
  grep -E "^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb" "$build/$t.log" || true
done
exit "$status"
