// jobindsats._core.build_config(): how this module was built (jobindsats.show_config()).
// The CMake side comes from compile definitions set in CMakeLists.txt; the SIMD level is
// what the compiler was allowed to emit, read from its predefined macros.
#include <pybind11/pybind11.h>

#include <string>
#include <thread>

namespace py = pybind11;

#ifndef JOBINDSATS_CXX_COMPILER_ID  // built outside CMakeLists.txt
#define JOBINDSATS_CXX_COMPILER_ID "unknown"
#define JOBINDSATS_CXX_COMPILER_VERSION "unknown"
#define JOBINDSATS_CXX_STANDARD "17"
#define JOBINDSATS_BUILD_TYPE "unknown"
#define JOBINDSATS_CXX_FLAGS ""
#define JOBINDSATS_LTO 0
#define JOBINDSATS_SANITIZERS ""
#define JOBINDSATS_SYSTEM "unknown"
#endif

namespace {

// The instruction set extensions enabled at compile time, lowest first.
py::list simd_enabled() {
  py::list out;
#if defined(__SSE2__) || defined(_M_X64)
  out.append("SSE2");
#endif
#ifdef __SSE3__
  out.append("SSE3");
#endif
#ifdef __SSSE3__
  out.append("SSSE3");
#endif
#ifdef __SSE4_1__
  out.append("SSE4.1");
#endif
#ifdef __SSE4_2__
  out.append("SSE4.2");
#endif
#ifdef __AVX__
  out.append("AVX");
#endif
#ifdef __AVX2__
  out.append("AVX2");
#endif
#ifdef __FMA__
  out.append("FMA");
#endif
#ifdef __AVX512F__
  out.append("AVX512F");
#endif
#if defined(__ARM_NEON) || defined(__ARM_NEON__)
  out.append("NEON");
#endif
#ifdef __ARM_FEATURE_SVE
  out.append("SVE");
#endif
  return out;
}

py::dict build_config() {
  py::dict compiler;
  compiler["id"] = JOBINDSATS_CXX_COMPILER_ID;
  compiler["version"] = JOBINDSATS_CXX_COMPILER_VERSION;
  compiler["cxx_standard"] = "C++" JOBINDSATS_CXX_STANDARD;
  compiler["__cplusplus"] = static_cast<long>(__cplusplus);
  py::dict build;
  build["type"] = JOBINDSATS_BUILD_TYPE;
  build["flags"] = JOBINDSATS_CXX_FLAGS;
  build["lto"] = JOBINDSATS_LTO != 0;
  build["sanitizers"] = std::string(JOBINDSATS_SANITIZERS).empty() ? "none" : JOBINDSATS_SANITIZERS;
  build["system"] = JOBINDSATS_SYSTEM;
#ifdef NDEBUG
  build["assertions"] = false;
#else
  build["assertions"] = true;
#endif
  py::dict threads;
  threads["backend"] = "std::thread (cpp/threads.hpp run_parts)";
  threads["hardware_concurrency"] = std::thread::hardware_concurrency();
  py::dict out;
  out["version"] = JOBINDSATS_VERSION;
  out["compiler"] = compiler;
  out["build"] = build;
  out["simd"] = simd_enabled();
  out["threads"] = threads;
  return out;
}

}  // namespace

void register_config(py::module_& m) {
  m.def("build_config", &build_config,
        "How this module was built: compiler, C++ standard, build type and flags, SIMD "
        "extensions enabled at compile time, thread backend, LTO, sanitizers, version.");
}
