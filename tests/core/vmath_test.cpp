#include "core/vmath.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace netlens;

TEST(Vmath, ExpIsWithinFourUlpsOverTheFloatRange) {
  for (double x = -87.0; x < 88.0; x += 0.00917) {
    const float xf = static_cast<float>(x);
    const double want = std::exp(double(xf));
    ASSERT_LE(std::abs(vmath::exp(xf) - want) / want, 4 * 5.97e-8) << xf;
  }
  EXPECT_EQ(vmath::exp(0.0f), 1.0f);
  EXPECT_GT(vmath::exp(-200.0f), 0.0f);  // clamped, never a denormal or NaN
  EXPECT_TRUE(std::isfinite(vmath::exp(200.0f)));
}

TEST(Vmath, TanhAndSigmoidAreAccurateAndSaturate) {
  for (double x = -12.0; x < 12.0; x += 0.000917) {
    const float xf = static_cast<float>(x);
    const double t = std::tanh(double(xf));
    ASSERT_NEAR(vmath::tanh(xf), t, 1e-6) << xf;
    ASSERT_LE(std::abs(vmath::tanh(xf)), 1.0f) << xf;
    if (std::abs(xf) < 0.5f && xf != 0.0f) {
      ASSERT_LE(std::abs(vmath::tanh(xf) - t) / std::abs(t), 1e-6) << xf;
    }
    ASSERT_NEAR(vmath::sigmoid(xf), 1.0 / (1.0 + std::exp(-double(xf))), 1e-6) << xf;
  }
  EXPECT_EQ(vmath::tanh(0.0f), 0.0f);
  EXPECT_EQ(vmath::tanh(50.0f), 1.0f);
  EXPECT_EQ(vmath::tanh(-50.0f), -1.0f);
  EXPECT_GE(vmath::sigmoid(-100.0f), 0.0f);
}
