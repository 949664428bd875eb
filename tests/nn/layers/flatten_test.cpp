#include "nn/layers/flatten.hpp"

#include <gtest/gtest.h>

#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

using namespace netlens;

TEST(Flatten, KeepsTheValuesAndMultipliesTheShape) {
  nn::Flatten flatten;
  EXPECT_EQ(flatten.output_shape({3, 4, 5}), Shape{60});
  Rng rng(95);
  Tensor x({2, 3, 4, 5});
  test::fill_away_from_zero(x, rng);
  Tensor y({2, 60});
  flatten.forward(x, y, 2);
  EXPECT_EQ(y.values(), x.values());
  test::expect_gradients_match(flatten, x, 2);
}

TEST(Flatten, BackwardInputEqualsBackwardsDx) {
  nn::Flatten layer;
  Rng rng(14);
  Tensor x({2, 3, 4, 4});
  test::fill_away_from_zero(x, rng);
  test::expect_input_gradient_matches_backward(layer, x, 2);
}
