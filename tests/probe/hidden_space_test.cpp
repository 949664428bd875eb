#include "probe/hidden_space.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "nn/layers/dense.hpp"
#include "train/traced_run.hpp"

using namespace netlens;

namespace {
train::TracedRunSpec spec(std::vector<int> hidden, int epochs) {
  train::TracedRunSpec s;
  s.hidden = std::move(hidden);
  s.epochs = s.refresh = epochs;
  return s;
}
probe::HiddenSpaceOptions xor_options() {
  probe::HiddenSpaceOptions o;
  o.domain = {data::kXor4Min, data::kXor4Max, data::kXor4Min, data::kXor4Max};
  return o;
}
// tanh(W^T x + b) of the first Dense layer, by hand.
std::vector<double> first_layer(const train::Session& s, double x1, double x2) {
  const auto& d = dynamic_cast<const nn::Dense&>(s.network().layer(0));
  std::vector<double> a;
  for (int j = 0; j < d.out(); ++j) a.push_back(std::tanh(x1 * d.weight()[j] + x2 * d.weight()[d.out() + j] + d.bias()[j]));
  return a;
}
}  // namespace

TEST(HiddenSpace, PointsAreTheHiddenActivationsOfTheTrainingPoints) {
  train::TracedRun run(spec({2}, 300));
  run.advance();
  const auto h = probe::hidden_space(run.session(), xor_options());
  ASSERT_EQ(h.dims, 2);
  EXPECT_FALSE(h.projected);
  const auto& points = run.session().train_set().points;
  ASSERT_EQ(h.points.size(), 8u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto a = first_layer(run.session(), points[i].x1, points[i].x2);
    EXPECT_NEAR(h.points[2 * i], a[0], 1e-5);
    EXPECT_NEAR(h.points[2 * i + 1], a[1], 1e-5);
    EXPECT_EQ(h.labels[i], points[i].label);
  }
}

// Line 0 is x1 = x_min from y_min up; line 11 (the first of constant x2) is x2 = y_min from x_min.
TEST(HiddenSpace, WarpedGridIsTheDomainsGridLinesThroughTheLayer) {
  train::TracedRun run(spec({3}, 100));
  const auto h = probe::hidden_space(run.session(), xor_options());
  ASSERT_EQ(h.grid.size(), 22u);
  ASSERT_EQ(h.grid[0].size(), 41u * 3);
  const auto start = first_layer(run.session(), -0.5, -0.5), end = first_layer(run.session(), -0.5, 1.5);
  const auto across = first_layer(run.session(), 1.5, -0.5), middle = first_layer(run.session(), 0.5, 0.5);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(h.grid[0][j], start[j], 1e-5);
    EXPECT_NEAR(h.grid[0][40 * 3 + j], end[j], 1e-5);
    EXPECT_NEAR(h.grid[11][j], start[j], 1e-5);
    EXPECT_NEAR(h.grid[11][40 * 3 + j], across[j], 1e-5);
    EXPECT_NEAR(h.grid[5][20 * 3 + j], middle[j], 1e-5);  // the middle line's middle point
  }
}

// The acceptance claim: after XOR is learnt, a line separates the classes in the hidden space,
// while no line separates them in the input plane.
TEST(HiddenSpace, XorBecomesLinearlySeparableInTheHiddenLayer) {
  train::TracedRun run(spec({2}, 40000));
  run.advance();
  EXPECT_EQ(probe::hidden_space(run.session(), xor_options()).separator.accuracy, 1.0);
  std::vector<double> inputs;
  std::vector<float> labels;
  for (const auto& p : run.session().train_set().points) {
    inputs.insert(inputs.end(), {p.x1, p.x2});
    labels.push_back(p.label);
  }
  EXPECT_LT(probe::fit_logistic_regression(inputs, labels, 2).accuracy, 1.0);
}

// A 6-unit layer is shown on its first PCA axes; their variances fall and their shares sum to <= 1.
TEST(HiddenSpace, WideLayerIsProjectedOnItsPrincipalAxes) {
  train::TracedRunSpec s = spec({6}, 200);
  s.dataset = "xor";
  s.noise = 10;
  train::TracedRun run(s);
  run.advance();
  auto o = xor_options();
  o.domain = {};
  for (int dims : {2, 3}) {
    o.dims = dims;
    const auto h = probe::hidden_space(run.session(), o);
    EXPECT_TRUE(h.projected);
    ASSERT_EQ(h.dims, dims);
    ASSERT_EQ(h.points.size(), 200u * dims);
    std::vector<double> variance(dims, 0.0), mean(dims, 0.0);
    for (int i = 0; i < 200; ++i)
      for (int k = 0; k < dims; ++k) mean[k] += h.points[i * dims + k] / 200;
    for (int i = 0; i < 200; ++i)
      for (int k = 0; k < dims; ++k) variance[k] += std::pow(h.points[i * dims + k] - mean[k], 2) / 199;
    double shares = 0;
    for (int k = 0; k < dims; ++k) {
      EXPECT_NEAR(mean[k], 0, 1e-9);  // centred on the points' mean
      if (k > 0) {
        EXPECT_GE(variance[k - 1], variance[k]);
      }
      shares += h.explained[k];
    }
    EXPECT_LE(shares, 1.0 + 1e-12);
    EXPECT_GT(h.explained[0], 0.2);
  }
}

TEST(HiddenSpace, RefusesALayerThatIsNotHiddenOrTooNarrow) {
  train::TracedRun run(spec({1, 2}, 10));
  auto o = xor_options();
  try {
    o.layer = 2;
    probe::hidden_space(run.session(), o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "layer: must be a hidden layer, 0..1, got 2");
  }
  o.layer = 0;
  EXPECT_THROW(probe::hidden_space(run.session(), o), Error);
  o.layer = 1;
  EXPECT_EQ(probe::hidden_space(run.session(), o).dims, 2);
}
