#include "data/synthetic2d.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

using namespace netlens;
using data::Point2D;

namespace {
std::vector<Point2D> make(std::string_view name, int count, double noise, std::uint64_t seed = 1) {
  Rng rng(seed);
  return data::find_synthetic2d(name, "dataset").generate(count, noise, rng);
}
}  // namespace

TEST(Synthetic2D, SameSeedSamePointsOtherSeedOtherPoints) {
  for (const auto& set : data::synthetic2d_sets()) {
    const auto a = make(set.name, 200, 0.2), b = make(set.name, 200, 0.2), c = make(set.name, 200, 0.2, 2);
    ASSERT_EQ(a.size(), 200u) << set.name;
    bool differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].x1, b[i].x1);
      EXPECT_EQ(a[i].label, b[i].label);
      differs |= a[i].x1 != c[i].x1;
    }
    EXPECT_TRUE(differs) << set.name;
  }
}

TEST(Synthetic2D, CircleWithoutNoiseIsInsideOrInTheRing) {
  for (const auto& p : make("circle", 500, 0.0)) {
    const double r = std::hypot(p.x1, p.x2);
    if (p.label > 0)
      EXPECT_LE(r, 2.5);
    else
      EXPECT_TRUE(r >= 3.5 && r <= 5.0) << r;
  }
}

TEST(Synthetic2D, XorLabelIsTheSignOfTheProductAwayFromTheAxes) {
  for (const auto& p : make("xor", 500, 0.0)) {
    EXPECT_GE(std::abs(p.x1), 0.3f);
    EXPECT_EQ(p.label, p.x1 * p.x2 >= 0 ? 1.0f : -1.0f);
  }
}

TEST(Synthetic2D, GaussBlobsSitAtPlusMinusTwo) {
  double sx[2] = {0, 0};
  int n[2] = {0, 0};
  for (const auto& p : make("gauss", 2000, 0.0)) {
    const int k = p.label > 0;
    sx[k] += p.x1;
    ++n[k];
  }
  EXPECT_EQ(n[0], 1000);
  EXPECT_NEAR(sx[1] / n[1], 2.0, 0.1);
  EXPECT_NEAR(sx[0] / n[0], -2.0, 0.1);
}

TEST(Synthetic2D, SpiralArmsAreMirrorImages) {
  const auto pts = make("spiral", 100, 0.0);
  for (int i = 0; i < 50; ++i) {  // arm 2 is arm 1 turned by pi
    EXPECT_NEAR(pts[50 + i].x1, -pts[i].x1, 1e-4);
    EXPECT_EQ(pts[i].label, 1.0f);
    EXPECT_EQ(pts[50 + i].label, -1.0f);
  }
}

TEST(Synthetic2D, PlaneLabelIsTheScaledSumClippedToOne) {
  for (const auto& p : make("plane", 300, 0.0)) EXPECT_NEAR(p.label, std::clamp((p.x1 + p.x2) / 10.0, -1.0, 1.0), 1e-5);
}

TEST(Synthetic2D, MultiGaussianLabelsStayInRange) {
  int strong = 0;
  for (const auto& p : make("multi_gaussian", 1200, 0.0)) {
    EXPECT_LE(std::abs(p.label), 1.0f);
    strong += std::abs(p.label) > 0.5f;
  }
  EXPECT_GT(strong, 50);
}

TEST(Synthetic2D, CheckerboardAlternatesBySquare) {
  for (const auto& p : make("checkerboard", 400, 0.0)) {
    const long cell = static_cast<long>(std::floor(p.x1 / 3.0) + std::floor(p.x2 / 3.0));
    EXPECT_EQ(p.label, cell % 2 == 0 ? 1.0f : -1.0f);
  }
}

TEST(Synthetic2D, TwoMoonsHasTwoBalancedClasses) {
  int pos = 0;
  for (const auto& p : make("two_moons", 300, 0.0)) {
    pos += p.label > 0;
    EXPECT_LE(std::abs(p.x1), 6.0f);
  }
  EXPECT_EQ(pos, 150);
}

TEST(Synthetic2D, NoiseFlipsSomeCircleLabels) {
  int wrong = 0;
  for (const auto& p : make("circle", 500, 0.5)) wrong += (std::hypot(p.x1, p.x2) < 2.5) != (p.label > 0);
  EXPECT_GT(wrong, 10);
}

TEST(Synthetic2D, UnknownNameListsTheKnownOnes) {
  EXPECT_THROW(data::find_synthetic2d("moons", "dataset"), Error);
}

TEST(Synthetic2D, Blobs7HasSevenEqualClassesAroundTheirCentres) {
  const auto& set = data::find_synthetic2d("blobs7", "dataset");
  EXPECT_EQ(set.classes, 7);
  EXPECT_EQ(set.problem, data::Problem::Classification);
  double sx[7] = {}, sy[7] = {};
  int n[7] = {};
  for (const auto& p : make("blobs7", 7000, 0.0)) {
    const int c = static_cast<int>(p.label);
    ASSERT_EQ(p.label, static_cast<float>(c));
    ASSERT_TRUE(c >= 0 && c < 7);
    sx[c] += p.x1;
    sy[c] += p.x2;
    ++n[c];
  }
  for (int c = 0; c < 7; ++c) {
    EXPECT_EQ(n[c], 1000);
    // Class 0 at the origin, the others on a hexagon of radius 4.
    EXPECT_NEAR(std::hypot(sx[c] / n[c], sy[c] / n[c]), c == 0 ? 0.0 : 4.0, 0.1) << c;
  }
}

TEST(Synthetic2D, Blobs7NoiseSpreadsTheBlobs) {
  auto spread = [](double noise) {
    double s = 0;
    for (const auto& p : make("blobs7", 700, noise))
      if (p.label == 0) s += p.x1 * p.x1 + p.x2 * p.x2;
    return std::sqrt(s / 100 / 2);  // per-axis standard deviation of class 0 (100 points)
  };
  EXPECT_NEAR(spread(0.0), 0.5, 0.1);
  EXPECT_NEAR(spread(0.5), 2.0, 0.4);
}

TEST(Synthetic2D, BinarySetsHaveTwoClassesAndRegressionSetsNone) {
  for (const auto& set : data::synthetic2d_sets()) {
    if (set.problem == data::Problem::Regression) {
      EXPECT_EQ(set.classes, 0) << set.name;
    } else if (set.name != "blobs7") {
      EXPECT_EQ(set.classes, 2) << set.name;
    }
  }
}

TEST(Synthetic2D, Xor4IsTheTruthTableOfXor) {
  const auto points = data::xor4_points();
  ASSERT_EQ(points.size(), 4u);
  for (const auto& p : points) {
    const bool differ = (p.x1 > 0.5f) != (p.x2 > 0.5f);
    EXPECT_TRUE(p.x1 == 0 || p.x1 == 1);
    EXPECT_TRUE(p.x2 == 0 || p.x2 == 1);
    EXPECT_EQ(p.label, differ ? 1.0f : -1.0f);
  }
  int corners = 0;  // one bit per corner, so a repeated corner leaves a bit unset
  for (const auto& p : points) corners |= 1 << static_cast<int>(2 * p.x1 + p.x2);
  EXPECT_EQ(corners, 0b1111);
}
