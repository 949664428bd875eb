#include "nn/optimizer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"

using namespace netlens;
using nn::OptimizerConfig;
using nn::OptimizerKind;
using nn::Regularization;

namespace {
// One weight tensor (regularized) and one bias tensor (not), two values each.
struct Params {
  Tensor w{{2}}, dw{{2}}, b{{2}}, db{{2}};
  std::vector<nn::Param> list() { return {{&w, &dw, true}, {&b, &db, false}}; }
};
}  // namespace

TEST(Optimizer, SgdStepsAgainstTheGradient) {
  Params p;
  p.w[0] = 1.0f; p.dw[0] = 0.5f;
  p.b[0] = 2.0f; p.db[0] = -1.0f;
  OptimizerConfig c;
  c.learning_rate = 0.1f;
  nn::Optimizer opt(c, p.list());
  opt.step();
  EXPECT_FLOAT_EQ(p.w[0], 0.95f);
  EXPECT_FLOAT_EQ(p.b[0], 2.1f);
}

TEST(Optimizer, MomentumAccumulatesVelocity) {
  Params p;
  p.dw[0] = 1.0f;
  OptimizerConfig c;
  c.kind = OptimizerKind::Momentum;
  c.learning_rate = 0.1f;
  c.momentum = 0.9f;
  nn::Optimizer opt(c, p.list());
  opt.step();  // v = 1, w = -0.1
  opt.step();  // v = 1.9, w = -0.29
  EXPECT_FLOAT_EQ(p.w[0], -0.29f);
  opt.reset();
  opt.step();  // v = 1 again
  EXPECT_FLOAT_EQ(p.w[0], -0.39f);
}

TEST(Optimizer, AdamMatchesAReferenceInDouble) {
  Params p;
  OptimizerConfig c;
  c.kind = OptimizerKind::Adam;
  c.learning_rate = 0.01f;
  nn::Optimizer opt(c, p.list());
  double w = 0, m = 0, v = 0;
  const double grads[] = {0.3, -0.1, 0.7, 0.05, -0.4};
  for (int t = 1; t <= 5; ++t) {
    const double g = grads[t - 1];
    p.dw[0] = static_cast<float>(g);
    opt.step();
    m = 0.9 * m + 0.1 * g;
    v = 0.999 * v + 0.001 * g * g;
    w -= 0.01 * (m / (1 - std::pow(0.9, t))) / (std::sqrt(v / (1 - std::pow(0.999, t))) + 1e-8);
    EXPECT_NEAR(p.w[0], w, 1e-6) << "step " << t;
  }
}

TEST(Optimizer, L2AndL1RegularizeWeightsButNotBiases) {
  for (auto reg : {Regularization::L2, Regularization::L1}) {
    Params p;
    p.w[0] = 2.0f; p.w[1] = -2.0f;
    p.b[0] = 2.0f;
    OptimizerConfig c;
    c.learning_rate = 0.1f;
    c.regularization = reg;
    c.regularization_rate = 0.5f;
    nn::Optimizer opt(c, p.list());
    opt.step();
    // L2: w -= lr * rate * w = 2 - 0.1; L1: w -= lr * rate * sign(w) = 2 - 0.05
    const float expect = reg == Regularization::L2 ? 1.9f : 1.95f;
    EXPECT_FLOAT_EQ(p.w[0], expect);
    EXPECT_FLOAT_EQ(p.w[1], -expect);
    EXPECT_FLOAT_EQ(p.b[0], 2.0f);
  }
}

// TensorFlow Playground's rule (nn.ts, updateWeights): the gradient step, then
// w' = w - lr * rate * sign(w before the step); a weight that L1 step carries across zero is
// set to 0 and its link is dead until reset.
TEST(Optimizer, L1SetsAWeightItWouldCarryAcrossZeroToZeroForGood) {
  Params p;
  p.w[0] = 0.12f;  // no gradient: L1 alone walks it to zero
  p.w[1] = 0.01f;  // a gradient carries it across zero: not L1's doing, so it lives
  p.dw[1] = 1.0f;
  OptimizerConfig c;
  c.learning_rate = 0.1f;
  c.regularization = Regularization::L1;
  c.regularization_rate = 0.5f;  // each L1 step moves 0.05
  nn::Optimizer opt(c, p.list());
  opt.step();  // w0: 0.12 - 0.05; w1: 0.01 - 0.1 = -0.09, then - 0.05 (sign of 0.01) = -0.14
  EXPECT_FLOAT_EQ(p.w[0], 0.07f);
  EXPECT_FLOAT_EQ(p.w[1], -0.14f);
  p.dw[1] = 0.0f;
  opt.step();  // w1: -0.14 + 0.05
  EXPECT_FLOAT_EQ(p.w[0], 0.02f);
  EXPECT_FLOAT_EQ(p.w[1], -0.09f);
  EXPECT_EQ(opt.dead_links(), 0);
  opt.step();  // w0: 0.02 - 0.05 would cross zero: exactly 0, dead
  EXPECT_EQ(p.w[0], 0.0f);
  EXPECT_FLOAT_EQ(p.w[1], -0.04f);
  EXPECT_EQ(opt.dead_links(), 1);
  p.dw[0] = -1.0f;  // a gradient that would revive it does not
  opt.step();       // w1: -0.04 + 0.05 would cross zero: dead too
  EXPECT_EQ(p.w[0], 0.0f);
  EXPECT_EQ(p.w[1], 0.0f);
  EXPECT_EQ(opt.dead_links(), 2);
  opt.reset();
  EXPECT_EQ(opt.dead_links(), 0);
  opt.step();  // alive again: 0 - 0.1 * -1 = 0.1, and L1 of sign(0) = 0 does nothing
  EXPECT_FLOAT_EQ(p.w[0], 0.1f);
}

TEST(Optimizer, NamesParseAndUnknownOnesAreRefused) {
  EXPECT_EQ(nn::parse_optimizer("adam", "optimizer"), OptimizerKind::Adam);
  EXPECT_EQ(nn::parse_regularization("l1", "regularization"), Regularization::L1);
  EXPECT_THROW(nn::parse_optimizer("adamw", "optimizer"), Error);
}
