#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace netlens::parallel {

namespace {

// A worker spins this long for the next call before it sleeps: longer than the serial work
// between two parallel products of a training step or a frame, short enough to idle cheaply.
constexpr auto kSpinTime = std::chrono::microseconds(500);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

class Pool {
 public:
  explicit Pool(int size) {
    for (int k = 1; k < size; ++k) workers_.emplace_back([this] { work(); });
  }
  ~Pool() {
    stop_.store(true);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    for (auto& w : workers_) w.join();
  }
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  void run(detail::RangeFn fn, void* context, std::size_t n, std::size_t min_per_thread) {
    const std::size_t parts = std::min<std::size_t>(size(), n / std::max<std::size_t>(min_per_thread, 1));
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (parts < 2 || !lock.owns_lock()) {
      fn(context, 0, n);
      return;
    }
    fn_ = fn;
    context_ = context;
    n_ = n;
    done_.store(0, std::memory_order_relaxed);
    next_.store(++calls_ << 32 | parts << 16, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_release);
    generation_.notify_all();
    while (run_a_part()) {
    }
    while (done_.load(std::memory_order_acquire) < parts) cpu_relax();
  }

 private:
  // Claims the current call's next part and runs it; false when none is left. The caller claims
  // parts like the workers do, so a worker the scheduler has not run yet leaves its part to the
  // caller instead of being waited for: on a loaded machine, waiting made 2 threads slower than 1.
  bool run_a_part() {
    std::uint64_t c = next_.load(std::memory_order_acquire);
    for (;;) {
      const std::uint64_t parts = c >> 16 & 0xffff, part = c & 0xffff;
      if (part >= parts) return false;
      if (next_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        fn_(context_, n_ * part / parts, n_ * (part + 1) / parts);
        done_.fetch_add(1, std::memory_order_release);
        return true;
      }
    }
  }

  void work() {
    std::uint32_t seen = 0;
    for (;;) {
      const auto until = std::chrono::steady_clock::now() + kSpinTime;
      while (generation_.load(std::memory_order_acquire) == seen) {
        for (int i = 0; i < 64; ++i) cpu_relax();
        if (std::chrono::steady_clock::now() > until) {
          generation_.wait(seen, std::memory_order_acquire);
          break;
        }
      }
      seen = generation_.load(std::memory_order_acquire);
      if (stop_.load()) return;
      while (run_a_part()) {
      }
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;  // one parallel_for at a time; others run serially
  std::atomic<std::uint32_t> generation_{0};
  // The current call: its number (high 32 bits), its parts (bits 16 to 31) and the next part to
  // claim (low 16 bits), in one word, so that a late worker cannot claim a part of a call that ended.
  std::atomic<std::uint64_t> next_{0};
  std::atomic<std::size_t> done_{0};  // parts of the current call finished
  std::uint64_t calls_ = 0;
  std::atomic<bool> stop_{false};
  detail::RangeFn fn_ = nullptr;
  void* context_ = nullptr;
  std::size_t n_ = 0;
};

int& configured_threads() {
  static int n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return n;
}

Pool& pool() {
  static Pool p(configured_threads());
  return p;
}

}  // namespace

int threads() { return configured_threads(); }
void set_threads(int n) { configured_threads() = std::max(1, n); }

namespace detail {
void run(RangeFn fn, void* context, std::size_t n, std::size_t min_per_thread) {
  if (configured_threads() == 1 || n < 2 * std::max<std::size_t>(min_per_thread, 1)) {  // too small to share
    fn(context, 0, n);
    return;
  }
  pool().run(fn, context, n, min_per_thread);
}
}  // namespace detail

}  // namespace netlens::parallel
