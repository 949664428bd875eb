#include "nn/layers/simd16.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace netlens::nn;

namespace {
// 48 floats: a guard of 16 sentinels on each side of the 16 a vector covers.
constexpr float kSentinel = -7.5f;
std::vector<float> guarded() { return std::vector<float>(48, kSentinel); }
}  // namespace

// The row-end moves of every n: the first n lanes and nothing else, on every instruction set
// (AVX-512 masks, AVX masked loads and stores in pieces, or the stack copy).
TEST(Simd16, LoadAndStoreOfTheFirstNLanesTouchNothingElse) {
  for (int n = 0; n <= simd16::kLanes; ++n) {
    std::vector<float> src = guarded(), dst = guarded();
    for (int i = 0; i < 16; ++i) src[16 + static_cast<std::size_t>(i)] = static_cast<float>(i + 1);
    const simd16::V16 v = simd16::load_n(src.data() + 16, n);
    for (int i = 0; i < 16; ++i) ASSERT_EQ(v[i], i < n ? static_cast<float>(i + 1) : 0.0f) << "n " << n << " lane " << i;
    simd16::store_n(dst.data() + 16, simd16::load<simd16::V16>(src.data() + 16), n);
    for (int i = 0; i < 48; ++i) {
      const bool written = i >= 16 && i < 16 + n;
      ASSERT_EQ(dst[static_cast<std::size_t>(i)], written ? static_cast<float>(i - 15) : kSentinel) << "n " << n << " at " << i;
    }
  }
}

TEST(Simd16, StoresTheFirstNLanesOfARegisterWidthVector) {
  for (int n = 0; n <= simd16::kNativeLanes; ++n) {
    std::vector<float> dst = guarded();
    simd16::VN v = simd16::splat<simd16::VN>(2.0f);
    for (int i = 0; i < simd16::kNativeLanes; ++i) v[i] += static_cast<float>(i);
    simd16::store_first(dst.data() + 16, v, n);
    for (int i = 0; i < 48; ++i) {
      const bool written = i >= 16 && i < 16 + n;
      ASSERT_EQ(dst[static_cast<std::size_t>(i)], written ? static_cast<float>(i - 16) + 2.0f : kSentinel) << "n " << n << " at " << i;
    }
  }
}

TEST(Simd16, SplatKeepsTheSignOfZero) {
  const simd16::VN v = simd16::splat<simd16::VN>(-0.0f);
  for (int i = 0; i < simd16::kNativeLanes; ++i) EXPECT_TRUE(std::signbit(v[i]));
  const simd16::V16 w = simd16::splat(-3.25f);
  for (int i = 0; i < simd16::kLanes; ++i) EXPECT_EQ(w[i], -3.25f);
}
