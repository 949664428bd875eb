#include "nn/layers/softmax.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

using namespace netlens;

TEST(Softmax, RowsArePositiveAndSumToOne) {
  nn::Softmax s;
  Tensor x({2, 3}), y({2, 3});
  const float v[] = {1, 2, 3, 1000, 1000, 1000};  // the second row would overflow a naive exp
  std::copy(v, v + 6, x.data());
  s.forward(x, y, 2);
  const double e = std::exp(1.0), z = e + e * e + e * e * e;
  EXPECT_NEAR(y[0], e / z, 1e-6);
  EXPECT_NEAR(y[2], e * e * e / z, 1e-6);
  for (int i = 3; i < 6; ++i) EXPECT_NEAR(y[i], 1.0 / 3, 1e-6);
}

TEST(Softmax, GradientMatchesFiniteDifferences) {
  Rng rng(31);
  nn::Softmax s;
  Tensor x({3, 5});
  test::fill_away_from_zero(x, rng);
  test::expect_gradients_match(s, x, 3);
}

TEST(Softmax, BackwardInputEqualsBackwardsDx) {
  nn::Softmax layer;
  Rng rng(6);
  Tensor x({4, 7});
  test::fill_away_from_zero(x, rng);
  test::expect_input_gradient_matches_backward(layer, x, 4);
}
