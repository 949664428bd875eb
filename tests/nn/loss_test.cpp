#include "nn/loss.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "support/gradient_check.hpp"

using namespace netlens;
using nn::Loss;

TEST(Loss, SquaredErrorIsHalfTheSquare) {
  const float z[] = {0.5f, -1.0f}, t[] = {1.0f, 1.0f};
  EXPECT_DOUBLE_EQ(nn::loss_sum(Loss::SquaredError, z, t, 2, 1), 0.5 * 0.25 + 0.5 * 4.0);
}

TEST(Loss, BinaryCrossEntropyOnLogitsIsStable) {
  const float z[] = {0.0f, 100.0f, -100.0f}, t[] = {1.0f, 1.0f, 1.0f};
  EXPECT_NEAR(nn::loss_sum(Loss::BinaryCrossEntropy, z, t, 1, 1), std::log(2.0), 1e-9);
  EXPECT_NEAR(nn::loss_sum(Loss::BinaryCrossEntropy, z + 1, t, 1, 1), 0.0, 1e-9);
  EXPECT_NEAR(nn::loss_sum(Loss::BinaryCrossEntropy, z + 2, t, 1, 1), 100.0, 1e-9);
}

TEST(Loss, SoftmaxCrossEntropyIsMinusLogProbability) {
  const float z[] = {1, 2, 3}, t[] = {0, 1, 0};
  const double p = std::exp(2.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  EXPECT_NEAR(nn::loss_sum(Loss::SoftmaxCrossEntropy, z, t, 1, 3), -std::log(p), 1e-6);
}

class LossGradient : public ::testing::TestWithParam<Loss> {};

TEST_P(LossGradient, GradientMatchesFiniteDifferences) {
  const Loss loss = GetParam();
  const int batch = 4, k = 3;
  Rng rng(41);
  std::vector<float> z(batch * k), t(batch * k, 0.0f), grad(batch * k);
  for (auto& v : z) v = static_cast<float>(rng.uniform(-2, 2));
  for (int r = 0; r < batch; ++r) {
    if (loss == Loss::SoftmaxCrossEntropy)
      t[r * k + rng.below(k)] = 1.0f;
    else
      for (int j = 0; j < k; ++j) t[r * k + j] = loss == Loss::SquaredError ? float(rng.uniform(-1, 1)) : float(rng.below(2));
  }
  nn::loss_gradient(loss, z.data(), t.data(), batch, k, 1.0f, grad.data());
  for (int i = 0; i < batch * k; ++i) {
    const float keep = z[i];
    z[i] = keep + test::kStep;
    const double plus = nn::loss_sum(loss, z.data(), t.data(), batch, k);
    z[i] = keep - test::kStep;
    const double minus = nn::loss_sum(loss, z.data(), t.data(), batch, k);
    z[i] = keep;
    const double numeric = (plus - minus) / (2.0 * test::kStep);
    EXPECT_LT(test::relative_error(grad[i], numeric), test::kGradientTolerance)
        << i << ": analytic " << grad[i] << ", numeric " << numeric;
  }
}

INSTANTIATE_TEST_SUITE_P(All, LossGradient,
                         ::testing::Values(Loss::SquaredError, Loss::BinaryCrossEntropy, Loss::SoftmaxCrossEntropy),
                         [](const auto& p) { return std::string(nn::loss_name(p.param)); });

TEST(Loss, GradientIsScaled) {
  const float z[] = {2.0f}, t[] = {1.0f};
  float g;
  nn::loss_gradient(Loss::SquaredError, z, t, 1, 1, 0.25f, &g);
  EXPECT_FLOAT_EQ(g, 0.25f);
}
