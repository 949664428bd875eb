#pragma once
// Rng: a small seeded generator (xoshiro256**, seeded by splitmix64) with its own uniform and
// normal draws, so the same seed gives the same numbers on every compiler and library
// (std::normal_distribution is implementation-defined).
#include <cstdint>
#include <vector>

namespace netlens {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next_u64();
  double uniform();                        // [0, 1)
  double uniform(double lo, double hi);    // [lo, hi)
  double normal(double mean, double stddev);
  std::uint32_t below(std::uint32_t n);    // [0, n), unbiased

  template <class T>
  void shuffle(std::vector<T>& v) {  // Fisher-Yates
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(static_cast<std::uint32_t>(i))]);
  }

 private:
  std::uint64_t s_[4];
};

}  // namespace netlens
