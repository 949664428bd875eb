#include "core/float16.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "core/rng.hpp"

#ifdef __F16C__
#include <immintrin.h>
#endif

using namespace netlens;

TEST(Float16, EveryHalfSurvivesARoundTripThroughFloat) {
  for (std::uint32_t h = 0; h < 0x10000; ++h) {
    const float f = half_to_float(static_cast<std::uint16_t>(h));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(half_to_float(float_to_half(f)))) << std::hex << h;
      continue;
    }
    EXPECT_EQ(float_to_half(f), h) << std::hex << h;
  }
}

TEST(Float16, KnownValuesDecodeExactly) {
  EXPECT_EQ(half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(half_to_float(0xC000), -2.0f);
  EXPECT_EQ(half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(half_to_float(0x0400), std::ldexp(1.0f, -14));  // smallest normal
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(half_to_float(0x03FF), std::ldexp(1023.0f, -24));
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);
}

TEST(Float16, ZeroIsExactAndKeepsItsSign) {
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_TRUE(std::signbit(half_to_float(float_to_half(-0.0f))));
  EXPECT_EQ(half_to_float(float_to_half(0.0f)), 0.0f);
}

TEST(Float16, InfinitiesNaNAndOverflow) {
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(float_to_half(inf), 0x7C00);
  EXPECT_EQ(float_to_half(-inf), 0xFC00);
  EXPECT_EQ(half_to_float(0x7C00), inf);
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::numeric_limits<float>::quiet_NaN()))));
  // A signalling NaN whose payload sits only in the low bits must not become infinity.
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(std::bit_cast<float>(0x7F800001u)))));
  EXPECT_EQ(float_to_half(65504.0f), 0x7BFF);
  EXPECT_EQ(float_to_half(65519.99f), 0x7BFF);  // below the half-way point to 65536
  EXPECT_EQ(float_to_half(65520.0f), 0x7C00);   // the tie rounds to even: infinity
  EXPECT_EQ(float_to_half(1e10f), 0x7C00);
  EXPECT_EQ(float_to_half(-1e10f), 0xFC00);
}

TEST(Float16, RoundsToNearestWithTiesToEven) {
  const float ulp = std::ldexp(1.0f, -10);  // spacing of halves in [1, 2)
  EXPECT_EQ(float_to_half(1.0f + ulp / 2), 0x3C00);        // tie, 1.0 is even
  EXPECT_EQ(float_to_half(1.0f + 3 * ulp / 2), 0x3C02);    // tie, rounds up to even
  EXPECT_EQ(float_to_half(1.0f + ulp / 2 + 1e-6f), 0x3C01);  // just past the tie
  EXPECT_EQ(float_to_half(2.0f - ulp / 4), 0x4000);        // carries into the exponent
}

TEST(Float16, SubnormalsRoundCorrectly) {
  const float tiny = std::ldexp(1.0f, -24);
  EXPECT_EQ(float_to_half(tiny), 0x0001);
  EXPECT_EQ(float_to_half(3 * tiny), 0x0003);
  EXPECT_EQ(float_to_half(tiny / 2), 0x0000);          // tie between 0 and the smallest: even is 0
  EXPECT_EQ(float_to_half(tiny / 2 * 1.0001f), 0x0001);
  EXPECT_EQ(float_to_half(tiny * 1.5f), 0x0002);       // tie between 1 and 2: even is 2
  EXPECT_EQ(float_to_half(-tiny), 0x8001);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14) - tiny / 4), 0x0400);  // rounds up into the normals
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::denorm_min()), 0x0000);
}

TEST(Float16, RelativeErrorIsWithinHalfAnUlpOverTheNormalRange) {
  Rng rng(7);
  for (int i = 0; i < 200000; ++i) {
    const float f = static_cast<float>(std::ldexp(rng.uniform(1.0, 2.0), static_cast<int>(rng.uniform(-14.0, 16.0))));
    if (f > 65504.0f) continue;  // past the largest half
    const float back = half_to_float(float_to_half(f));
    EXPECT_LE(std::abs(back - f) / f, 1.0 / 2048 + 1e-9) << f;  // 2^-11 <= 1e-3
  }
}

#ifdef __F16C__
// The processor's own conversion (F16C, round to nearest even) as an independent reference.
TEST(Float16, AgreesWithTheProcessorsConversion) {
  Rng rng(11);
  for (int i = 0; i < 2000000; ++i) {
    const auto bits = static_cast<std::uint32_t>(rng.uniform(0.0, 4294967296.0));
    const float f = std::bit_cast<float>(bits);
    // _mm_cvtps_ph, not _cvtss_sh: clang's _cvtss_sh is a C compound literal (-Wpedantic).
    const auto reference = static_cast<std::uint16_t>(
        _mm_extract_epi16(_mm_cvtps_ph(_mm_set_ss(f), _MM_FROUND_TO_NEAREST_INT), 0));
    if (std::isnan(f)) {
      EXPECT_TRUE(std::isnan(half_to_float(float_to_half(f))));
      continue;
    }
    ASSERT_EQ(float_to_half(f), reference) << std::hex << bits;
    ASSERT_EQ(half_to_float(reference), _cvtsh_ss(reference));
  }
}
#endif

TEST(Float16, ArraysConvertElementByElement) {
  const float in[4] = {0.5f, -1.25f, 100.0f, 0.0f};
  std::uint16_t halves[4];
  float out[4];
  floats_to_halves(in, 4, halves);
  halves_to_floats(halves, 4, out);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i], in[i]);
}
