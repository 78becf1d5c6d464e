// Running the parts of a job on threads: the calling thread runs part 0.
#pragma once

#include <thread>
#include <vector>

namespace jobindsats {

// Calls part(t) for t = 0..n_parts-1, each on its own thread (part 0 on the caller's),
// and returns when all are done.
template <class Part>
void run_parts(int n_parts, const Part& part) {
  if (n_parts <= 1) {
    part(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(n_parts - 1));
  for (int t = 1; t < n_parts; ++t) pool.emplace_back([&part, t] { part(t); });
  part(0);
  for (auto& th : pool) th.join();
}

}  // namespace jobindsats
