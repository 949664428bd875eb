#include "probe/logistic_regression.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.hpp"

using namespace netlens;

// Points at three places with 3 parameters is a saturated model: without a penalty the fit
// reproduces each place's share of +1 labels, s(b) = 1/4, s(w1 + b) = 3/4, s(w2 + b) = 2/3,
// so b = logit(1/4) = -ln 3, w1 = logit(3/4) - b = 2 ln 3, w2 = logit(2/3) - b = ln 6.
TEST(LogisticRegression, MatchesTheClosedFormOfASaturatedModel) {
  std::vector<double> points;
  std::vector<float> labels;
  auto add = [&](double x1, double x2, int positives, int total) {
    for (int i = 0; i < total; ++i) {
      points.insert(points.end(), {x1, x2});
      labels.push_back(i < positives ? 1.0f : -1.0f);
    }
  };
  add(0, 0, 1, 4);
  add(1, 0, 3, 4);
  add(0, 1, 2, 3);
  const auto s = probe::fit_logistic_regression(points, labels, 2, 0.0);
  EXPECT_NEAR(s.bias, -std::log(3.0), 1e-9);
  EXPECT_NEAR(s.weights[0], 2 * std::log(3.0), 1e-9);
  EXPECT_NEAR(s.weights[1], std::log(6.0), 1e-9);
}

// The reference was computed by plain gradient descent in Python floats (a different
// algorithm) on the same eight points with l2 = 0.1, run until |gradient| < 1e-13.
TEST(LogisticRegression, MatchesAReferenceSolutionWithAPenalty) {
  const std::vector<double> points{0.5, 1.0, 1.5, -0.5, -1.0, 0.5, -0.5, -1.5, 0.2, -0.3, -0.4, 0.6, 1.0, 1.0, -1.2, -0.2};
  const std::vector<float> labels{1, 1, -1, -1, -1, 1, 1, 1};
  const auto s = probe::fit_logistic_regression(points, labels, 2, 0.1);
  EXPECT_NEAR(s.weights[0], 0.5491014005914064, 1e-9);
  EXPECT_NEAR(s.weights[1], 0.7403233472463934, 1e-9);
  EXPECT_NEAR(s.bias, 0.5225705141790681, 1e-9);
  EXPECT_DOUBLE_EQ(s.accuracy, 5.0 / 8);  // (-1, 0.5), (0.2, -0.3) and (-1.2, -0.2) fall on the wrong side
}

// Two classes on either side of a tilted plane in 3D, 0.2 apart: every point ends up on its side.
TEST(LogisticRegression, SeparatesSeparableDataCompletely) {
  Rng rng(7);
  const double normal[3] = {0.6, -0.48, 0.64};  // unit length
  std::vector<double> points;
  std::vector<float> labels;
  while (labels.size() < 300) {
    const double x[3] = {rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)};
    const double d = normal[0] * x[0] + normal[1] * x[1] + normal[2] * x[2] - 0.1;
    if (std::abs(d) < 0.1) continue;
    points.insert(points.end(), x, x + 3);
    labels.push_back(d > 0 ? 1.0f : -1.0f);
  }
  const auto s = probe::fit_logistic_regression(points, labels, 3);
  EXPECT_EQ(s.accuracy, 1.0);
  const double length = std::hypot(s.weights[0], s.weights[1], s.weights[2]);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(s.weights[j] / length, normal[j], 0.05);
  EXPECT_NEAR(-s.bias / length, 0.1, 0.05);
}

// The corners of XOR cannot be split by a line: at best three of four.
TEST(LogisticRegression, CannotSeparateXorCorners) {
  const std::vector<double> points{0, 0, 0, 1, 1, 0, 1, 1};
  const std::vector<float> labels{-1, 1, 1, -1};
  EXPECT_LE(probe::fit_logistic_regression(points, labels, 2).accuracy, 0.75);
}
