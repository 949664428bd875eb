#include "nn/layers/activation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "support/gradient_check.hpp"
#include "support/input_gradient_check.hpp"

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
                                           Activation::Tanh, Activation::Sigmoid, Activation::ELU,
                                           Activation::Softplus, Activation::SiLU, Activation::GELU,
                                           Activation::Mish, Activation::Sine),
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

namespace {
const Activation kAll[] = {Activation::Linear, Activation::ReLU, Activation::LeakyReLU, Activation::Tanh,
                           Activation::Sigmoid, Activation::ELU, Activation::Softplus, Activation::SiLU,
                           Activation::GELU, Activation::Mish, Activation::Sine};
// The ones added with ELU: each has a double-precision reference below.
const Activation kNew[] = {Activation::ELU, Activation::Softplus, Activation::SiLU,
                           Activation::GELU, Activation::Mish, Activation::Sine};

// The new activations and their derivatives in double, written the textbook way.
double reference(Activation a, double x) {
  switch (a) {
    case Activation::ELU: return x > 0 ? x : std::expm1(x);
    case Activation::Softplus: return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
    case Activation::SiLU: return x / (1 + std::exp(-x));
    case Activation::GELU:  // PyTorch's GELU(approximate='tanh'), literally. Its 1 + tanh cancels for
                            // x < -6, but by far less than the 1e-6 absolute error allowed.
      return 0.5 * x * (1 + std::tanh(std::sqrt(2 / std::numbers::pi) * (x + 0.044715 * x * x * x)));
    case Activation::Mish: return x * std::tanh(std::log1p(std::exp(x)));
    case Activation::Sine: return std::sin(x);
    default: ADD_FAILURE() << "no reference"; return 0;
  }
}

double reference_derivative(Activation a, double x) {
  const double s = 1 / (1 + std::exp(-x));
  switch (a) {
    case Activation::ELU: return x > 0 ? 1 : std::exp(x);
    case Activation::Softplus: return s;
    case Activation::SiLU: return s * (1 + x * (1 - s));
    case Activation::GELU: {
      const double c = std::sqrt(2 / std::numbers::pi), t = std::tanh(c * (x + 0.044715 * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
    }
    case Activation::Mish: {
      const double t = std::tanh(std::log1p(std::exp(x)));
      return t + x * s * (1 - t * t);
    }
    case Activation::Sine: return std::cos(x);
    default: ADD_FAILURE() << "no reference"; return 0;
  }
}

// Error as a fraction of what is allowed: 1e-5 relative or 1e-6 absolute, whichever is larger.
double error_ratio(double got, double want) {
  return std::abs(got - want) / std::max(1e-5 * std::abs(want), 1e-6);
}

// Largest error_ratio over xs, and where.
std::pair<double, float> worst(const std::vector<float>& xs, const std::vector<float>& got, auto&& want) {
  std::pair<double, float> w{0.0, 0.0f};
  for (std::size_t i = 0; i < xs.size(); ++i) w = std::max(w, {error_ratio(got[i], want(double(xs[i]))), xs[i]});
  return w;
}
}  // namespace

// The whole array in one call, so the (vectorised) loops are what is measured.
TEST(Activation, NewActivationsMatchDoublePrecisionOverMinus20To20) {
  std::vector<float> xs;
  for (double x = -20.0; x <= 20.0; x += 0.00917) xs.push_back(static_cast<float>(x));
  for (float x : {-20.0f, -1e-3f, -1e-6f, 0.0f, 1e-6f, 1e-3f, 20.0f}) xs.push_back(x);
  const std::vector<float> ones(xs.size(), 1.0f);
  std::vector<float> y(xs.size()), dx(xs.size());
  for (auto a : kNew) {
    nn::activation_forward(a, xs.data(), y.data(), xs.size());
    nn::activation_backward(a, xs.data(), y.data(), ones.data(), dx.data(), xs.size());
    const auto [fw, fx] = worst(xs, y, [a](double x) { return reference(a, x); });
    EXPECT_LE(fw, 1.0) << nn::activation_name(a) << " forward at x = " << fx;
    const auto [bw, bx] = worst(xs, dx, [a](double x) { return reference_derivative(a, x); });
    EXPECT_LE(bw, 1.0) << nn::activation_name(a) << " backward at x = " << bx;
  }
}

TEST(Activation, NewActivationsAtChosenPoints) {
  const float x[] = {-100.0f, -20.0f, -3.0f, -0.5f, 0.0f, 0.5f, 3.0f, 20.0f, 100.0f, -1e12f, 1e12f, -1e30f, 1e30f};
  constexpr std::size_t n = std::size(x);
  float dy[n], y[n], dx[n];
  std::fill_n(dy, n, 1.0f);
  for (auto a : kNew) {
    nn::activation_forward(a, x, y, n);
    nn::activation_backward(a, x, y, dy, dx, n);
    for (std::size_t i = 0; i < n; ++i) {
      // No inf or NaN even at +-1e30 (where GELU's x^3 is inf): every exp is clamped or of -|x|.
      ASSERT_TRUE(std::isfinite(y[i]) && std::isfinite(dx[i])) << nn::activation_name(a) << " at x = " << x[i];
      EXPECT_LE(error_ratio(y[i], reference(a, x[i])), 1.0) << nn::activation_name(a) << "(" << x[i] << ") = " << y[i];
      EXPECT_LE(error_ratio(dx[i], reference_derivative(a, x[i])), 1.0)
          << nn::activation_name(a) << "'(" << x[i] << ") = " << dx[i];
    }
  }
  // A few values known independently of the formulas above.
  nn::activation_forward(Activation::ELU, x, y, n);
  EXPECT_FLOAT_EQ(y[0], -1.0f);
  EXPECT_FLOAT_EQ(y[8], 100.0f);
  nn::activation_forward(Activation::Softplus, x, y, n);
  EXPECT_NEAR(y[4], std::log(2.0), 1e-7);
  EXPECT_FLOAT_EQ(y[8], 100.0f);
  EXPECT_GE(y[0], 0.0f);
  nn::activation_forward(Activation::SiLU, x, y, n);
  EXPECT_EQ(y[4], 0.0f);
  EXPECT_FLOAT_EQ(y[8], 100.0f);
  nn::activation_forward(Activation::GELU, x, y, n);
  EXPECT_NEAR(y[6], 2.9963626, 1e-6);  // 1.5 (1 + tanh(sqrt(2/pi) 4.207305)), the tanh form, not erf's 2.9959503
  EXPECT_NEAR(y[0], 0.0f, 1e-30);
  nn::activation_forward(Activation::Mish, x, y, n);
  EXPECT_NEAR(y[5], 0.3752452, 1e-6);  // 0.5 tanh(log(1 + e^0.5))
  EXPECT_FLOAT_EQ(y[8], 100.0f);
}

TEST(Activation, NamesRoundTripAndUnknownNamesAreRefused) {
  for (auto a : kAll) EXPECT_EQ(nn::parse_activation(nn::activation_name(a), "x"), a);
  EXPECT_EQ(nn::activation_name(Activation::ELU), "elu");
  EXPECT_EQ(nn::activation_name(Activation::Softplus), "softplus");
  EXPECT_EQ(nn::activation_name(Activation::SiLU), "silu");
  EXPECT_EQ(nn::activation_name(Activation::GELU), "gelu");
  EXPECT_EQ(nn::activation_name(Activation::Mish), "mish");
  EXPECT_EQ(nn::activation_name(Activation::Sine), "sine");
  try {
    nn::parse_activation("relu6", "hidden_layers[1].activation");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "hidden_layers[1].activation: unknown activation 'relu6' (known: linear, relu, leaky_relu, tanh, "
                 "sigmoid, elu, softplus, silu, gelu, mish, sine)");
  }
}

TEST(Activation, SwishIsAnAliasForSilu) {
  EXPECT_EQ(nn::parse_activation("swish", "x"), Activation::SiLU);
  EXPECT_EQ(nn::activation_name(nn::parse_activation("swish", "x")), "silu");
  EXPECT_THROW(nn::parse_activation("Swish", "x"), Error);  // names are case-sensitive, as before
}

TEST(Activation, ReluLikeOnesAreTheOnesThatWantHeInit) {
  std::vector<std::string_view> relu_like;
  for (auto a : kAll)
    if (nn::is_relu_like(a)) relu_like.push_back(nn::activation_name(a));
  const std::vector<std::string_view> want{"relu", "leaky_relu", "elu", "softplus", "silu", "gelu", "mish"};
  EXPECT_EQ(relu_like, want);
}

TEST(Activation, BackwardInputEqualsBackwardsDxForEveryActivation) {
  Rng rng(4);
  Tensor x({3, 2, 5, 5});
  test::fill_away_from_zero(x, rng);
  for (std::string_view name : nn::activation_names()) {
    nn::ActivationLayer layer(nn::parse_activation(name, "test"));
    test::expect_input_gradient_matches_backward(layer, x, 3);
  }
}
