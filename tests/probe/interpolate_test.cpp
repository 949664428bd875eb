#include "probe/interpolate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

using namespace netlens;
using probe::Interpolation;

namespace {
// Two classes at three points, class-major.
const std::vector<float> kBefore{0.9f, 0.5f, 0.2f, 0.1f, 0.5f, 0.8f};
const std::vector<float> kA{0.8f, 0.6f, 0.3f, 0.2f, 0.4f, 0.7f};
const std::vector<float> kB{0.1f, 0.7f, 1.0f, 0.9f, 0.3f, 0.0f};
const std::vector<float> kAfter{0.3f, 0.9f, 0.6f, 0.7f, 0.1f, 0.4f};

std::vector<float> at(Interpolation m, float t) {
  std::vector<float> out(6);
  probe::interpolate_maps(m, kBefore.data(), kA.data(), kB.data(), kAfter.data(), 2, 3, t, out.data());
  return out;
}
}  // namespace

TEST(Interpolate, EndpointsAreTheCheckpointsExactly) {
  for (auto m : {Interpolation::Linear, Interpolation::Geometric, Interpolation::Cubic}) {
    EXPECT_EQ(at(m, 0.0f), kA) << probe::interpolation_name(m);
    EXPECT_EQ(at(m, 1.0f), kB) << probe::interpolation_name(m);
  }
}

TEST(Interpolate, LinearIsTheWeightedMean) {
  const auto mid = at(Interpolation::Linear, 0.25f);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_NEAR(mid[i], 0.75f * kA[i] + 0.25f * kB[i], 1e-6);
}

TEST(Interpolate, GeometricIsNormalisedAndBetweenTheEnds) {
  const auto mid = at(Interpolation::Geometric, 0.5f);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(mid[static_cast<std::size_t>(i)] + mid[static_cast<std::size_t>(3 + i)], 1.0, 1e-6);
  }
  // Point 0: sqrt(0.8 * 0.1) : sqrt(0.2 * 0.9), normalised.
  const double c0 = std::sqrt(0.08), c1 = std::sqrt(0.18);
  EXPECT_NEAR(mid[0], c0 / (c0 + c1), 1e-6);
  // Point 2's class 1 is 0 at b: the floor keeps it finite and it heads towards 0.
  EXPECT_TRUE(std::isfinite(mid[5]));
  EXPECT_LT(at(Interpolation::Geometric, 0.9f)[5], 0.2f);
}

TEST(Interpolate, CubicUsesTheNeighboursAndStaysAProbability) {
  const auto cubic = at(Interpolation::Cubic, 0.5f), linear = at(Interpolation::Linear, 0.5f);
  bool differs = false;
  for (int i = 0; i < 3; ++i) {
    const auto a = static_cast<std::size_t>(i), b = static_cast<std::size_t>(3 + i);
    EXPECT_GE(cubic[a], 0.0f);
    EXPECT_LE(cubic[a], 1.0f);
    EXPECT_NEAR(cubic[a] + cubic[b], 1.0, 1e-6);
    differs |= std::abs(cubic[a] - linear[a]) > 1e-3;
  }
  EXPECT_TRUE(differs);
  // Catmull-Rom at t = 1/2: (-p0 + 9 p1 + 9 p2 - p3) / 16; point 1, class 0: no clamping needed.
  EXPECT_NEAR(cubic[1], (-0.5 + 9 * 0.6 + 9 * 0.7 - 0.9) / 16, 1e-6);
}

TEST(Interpolate, CubicWithoutNeighboursStandsInTheEnds) {
  std::vector<float> with(6), without(6);
  probe::interpolate_maps(Interpolation::Cubic, kA.data(), kA.data(), kB.data(), kB.data(), 2, 3, 0.3f, with.data());
  probe::interpolate_maps(Interpolation::Cubic, nullptr, kA.data(), kB.data(), nullptr, 2, 3, 0.3f, without.data());
  EXPECT_EQ(with, without);
}

TEST(Interpolate, FramePositionsCoverEveryIntervalAndEndOnTheLastCheckpoint) {
  const auto frames = probe::frame_positions(4, 3);
  ASSERT_EQ(frames.size(), 10u);  // (4 - 1) * 3 + 1
  EXPECT_EQ(frames[0].index, 0u);
  EXPECT_EQ(frames[0].t, 0.0f);
  EXPECT_EQ(frames[4].index, 1u);
  EXPECT_FLOAT_EQ(frames[4].t, 1.0f / 3);
  EXPECT_EQ(frames[9].index, 3u);
  EXPECT_EQ(frames[9].t, 0.0f);
  EXPECT_EQ(probe::frame_positions(1, 5).size(), 1u);
  EXPECT_EQ(probe::frame_positions(5, 1).size(), 5u);
}

TEST(Interpolate, NamesParse) {
  EXPECT_EQ(probe::parse_interpolation("geometric", "x"), Interpolation::Geometric);
  EXPECT_THROW(probe::parse_interpolation("spline", "--interp-method"), Error);
}
