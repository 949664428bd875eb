#include "nn/layers/activation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "support/gradient_check.hpp"

using namespace netlens;
using nn::Activation;

class ActivationGradient : public ::testing::TestWithParam<Activation> {};

TEST_P(ActivationGradient, GradientMatchesFiniteDifferences) {
  Rng rng(21);
  nn::ActivationLayer layer(GetParam());
  Tensor x({4, 6});
  test::fill_away_from_zero(x, rng, 0.05, 2.5);
  test::expect_gradients_match(layer, x, 4);
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient,
                         ::testing::Values(Activation::Linear, Activation::ReLU, Activation::LeakyReLU,
                                           Activation::Tanh, Activation::Sigmoid),
                         [](const auto& p) { return std::string(nn::activation_name(p.param)); });

TEST(Activation, ForwardValues) {
  const float x[] = {-2.0f, 0.0f, 3.0f};
  float y[3];
  nn::activation_forward(Activation::ReLU, x, y, 3);
  EXPECT_FLOAT_EQ(y[0], 0);
  EXPECT_FLOAT_EQ(y[2], 3);
  nn::activation_forward(Activation::LeakyReLU, x, y, 3);
  EXPECT_FLOAT_EQ(y[0], -0.02f);
  nn::activation_forward(Activation::Sigmoid, x, y, 3);
  EXPECT_FLOAT_EQ(y[1], 0.5f);
  EXPECT_NEAR(y[2], 1 / (1 + std::exp(-3.0)), 1e-7);
  nn::activation_forward(Activation::Tanh, x, y, 3);
  EXPECT_NEAR(y[0], std::tanh(-2.0), 1e-7);
}

TEST(Activation, NamesRoundTripAndUnknownNamesAreRefused) {
  for (auto a : {Activation::Linear, Activation::ReLU, Activation::LeakyReLU, Activation::Tanh, Activation::Sigmoid})
    EXPECT_EQ(nn::parse_activation(nn::activation_name(a), "x"), a);
  try {
    nn::parse_activation("swish", "hidden_layers[1].activation");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "hidden_layers[1].activation: unknown activation 'swish' (known: linear, relu, leaky_relu, tanh, "
                 "sigmoid)");
  }
}
