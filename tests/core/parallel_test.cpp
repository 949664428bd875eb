#include "core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace netlens;

namespace {
// Runs parallel_for over n items and checks every index was visited exactly once.
void expect_each_index_once(std::size_t n, std::size_t min_per_thread) {
  std::vector<std::atomic<int>> visits(n);
  parallel::parallel_for(n, min_per_thread, [&](std::size_t begin, std::size_t end) {
    ASSERT_LE(begin, end);
    for (std::size_t i = begin; i < end; ++i) visits[i].fetch_add(1);
  });
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << "n=" << n << " index " << i;
}
}  // namespace

TEST(Parallel, EveryIndexIsVisitedExactlyOnce) {
  for (std::size_t n : {0, 1, 2, 3, 7, 33, 1000, 100003})
    for (std::size_t min : {1, 16, 5000}) expect_each_index_once(n, min);
}

// Each part waits until the other has started: they can only both finish if two threads run
// them at once (a worker claims the part the caller leaves while it waits).
TEST(Parallel, LongPartsAreSharedBetweenThreads) {
  if (parallel::threads() < 2) GTEST_SKIP() << "one core";
  std::atomic<int> started{0};
  std::vector<std::thread::id> who(2);
  std::vector<bool> met(2, false);
  parallel::parallel_for(2, 1, [&](std::size_t begin, std::size_t) {
    who[begin] = std::this_thread::get_id();
    started.fetch_add(1);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (started.load() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
    met[begin] = started.load() == 2;
  });
  EXPECT_TRUE(met[0] && met[1]);
  EXPECT_NE(who[0], who[1]);
}

TEST(Parallel, ConcurrentCallersEachGetTheirWholeRange) {
  // Two threads calling at once: one gets the pool, the other runs serially; both complete.
  std::vector<std::thread> callers;
  std::atomic<long> total{0};
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int rep = 0; rep < 200; ++rep)
        parallel::parallel_for(1000, 10, [&](std::size_t begin, std::size_t end) {
          total.fetch_add(static_cast<long>(end - begin));
        });
    });
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4L * 200 * 1000);
}
