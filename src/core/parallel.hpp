#pragma once
// parallel_for: the engine's one thread pool. Work is split into one contiguous range per
// thread; the caller and the workers claim the ranges, so the caller runs the ranges of workers
// that have not started, and waits only for those that have. Workers spin briefly between
// calls (a training step makes several) and then sleep. A call made while another is running,
// or too small to share, runs serially in the caller, so any thread may call it at any time.
// Nothing is allocated per call.
#include <cstddef>

namespace netlens::parallel {

int threads();            // the pool's size, the machine's cores by default
void set_threads(int n);  // 1 runs everything serially; call before the first parallel_for

namespace detail {
using RangeFn = void (*)(void* context, std::size_t begin, std::size_t end);
void run(RangeFn fn, void* context, std::size_t n, std::size_t min_per_thread);
}  // namespace detail

// Calls f(begin, end) over [0, n) in parallel ranges of at least min_per_thread items.
template <class F>
void parallel_for(std::size_t n, std::size_t min_per_thread, F&& f) {
  detail::run([](void* c, std::size_t b, std::size_t e) { (*static_cast<F*>(c))(b, e); }, &f, n, min_per_thread);
}

}  // namespace netlens::parallel
