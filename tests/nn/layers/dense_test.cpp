#include "nn/layers/dense.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

using namespace netlens;

TEST(Dense, ForwardComputesAffineMap) {
  nn::Dense d(2, 3);
  // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1, 0]
  const float w[] = {1, 2, 3, 4, 5, 6};
  std::copy(w, w + 6, d.weight().data());
  d.bias()[0] = 0.5f;
  d.bias()[1] = -1.0f;
  Tensor x({2, 2}), y({2, 3});
  x[0] = 1; x[1] = 2;   // row 0
  x[2] = -1; x[3] = 0;  // row 1
  d.forward(x, y, 2);
  const float expect[] = {9.5f, 11, 15, -0.5f, -3, -3};
  for (int i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(y[i], expect[i]) << i;
}

TEST(Dense, GradientMatchesFiniteDifferences) {
  Rng rng(11);
  nn::Dense d(5, 4);
  d.init(nn::Init::Xavier, rng);
  for (auto& b : d.bias().values()) b = static_cast<float>(rng.uniform(-0.5, 0.5));
  Tensor x({3, 5});
  test::fill_away_from_zero(x, rng);
  test::expect_gradients_match(d, x, 3);
}

TEST(Dense, BackwardUsesOnlyTheFirstBatchRows) {
  Rng rng(12);
  nn::Dense d(3, 2);
  d.init(nn::Init::Xavier, rng);
  Tensor x({4, 3}), y({4, 2}), dy({4, 2}, 1.0f);
  test::fill_away_from_zero(x, rng);
  d.backward(x, y, dy, nullptr, 2);
  // db = sum over the two rows of dy = 2
  EXPECT_FLOAT_EQ(d.bias().size() ? d.params()[1].grad->values()[0] : 0, 2.0f);
}

TEST(Dense, XavierAndHeHaveTheirScales) {
  Rng rng(13);
  nn::Dense xavier(400, 100), he(400, 100);
  xavier.init(nn::Init::Xavier, rng);
  he.init(nn::Init::He, rng);
  auto stddev = [](const Tensor& t) {
    double s = 0;
    for (float v : t.values()) s += double(v) * v;
    return std::sqrt(s / t.size());
  };
  EXPECT_NEAR(stddev(xavier.weight()), std::sqrt(2.0 / 500), 0.003);  // U(+-a) has a / sqrt(3)
  EXPECT_NEAR(stddev(he.weight()), std::sqrt(2.0 / 400), 0.003);
  for (float b : he.bias().values()) EXPECT_EQ(b, 0.0f);
}

TEST(Dense, RejectsAnInputOfTheWrongWidth) {
  nn::Dense d(3, 2);
  EXPECT_THROW(d.output_shape({4}), Error);
}

TEST(Dense, BackwardInputEqualsBackwardsDx) {
  nn::Dense layer(5, 3);
  Rng rng(3);
  layer.init(nn::Init::He, rng);
  Tensor x({4, 5});
  test::fill_away_from_zero(x, rng);
  test::expect_input_gradient_matches_backward(layer, x, 3);
}
