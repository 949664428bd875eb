#pragma once
// A test binary that links support/allocation_counter.cpp has its global operator new replaced
// by one that counts: a test can then assert that a step allocates nothing, or compare a memory
// estimate with what was really allocated.
#include <atomic>
#include <cstddef>
#include <thread>

#include "core/parallel.hpp"

namespace netlens::test {

long allocations();             // heap allocations since the program started
std::size_t allocated_bytes();  // their bytes

// Runs f once on each of the pool's threads, one after the other: the engine's per-thread
// scratch is sized on a thread's first use, and any thread may run any part of a later call.
// Every part first waits for all to have started, so each part is on its own thread; a call
// f makes inside runs serially on that thread.
template <class F>
void on_each_pool_thread(F&& f) {
  const std::size_t n = static_cast<std::size_t>(parallel::threads());
  std::atomic<std::size_t> started{0}, turn{0};
  parallel::parallel_for(n, 1, [&](std::size_t begin, std::size_t) {
    started.fetch_add(1);
    while (started.load() < n) std::this_thread::yield();
    while (turn.load() != begin) std::this_thread::yield();
    f();
    turn.fetch_add(1);
  });
}

}  // namespace netlens::test
