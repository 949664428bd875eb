#include "probe/probability_map.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "nn/layers/dense.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

train::Session session_for(const json& j) { return train::Session(train::parse_run_spec(j)); }

// A network without hidden layers whose output k is w_k * x1 (bias 0).
void set_linear(train::Session& s, const std::vector<float>& w) {
  auto& dense = dynamic_cast<nn::Dense&>(s.network().layer(0));
  dense.weight().fill(0.0f);
  dense.bias().fill(0.0f);
  for (std::size_t k = 0; k < w.size(); ++k) dense.weight()[k] = w[k];  // row x1, column k
}

}  // namespace

TEST(ProbabilityMap, TanhOutputGivesTwoClassesFromItsValue) {
  auto s = session_for(json{{"hidden_layers", json::array()}});
  set_linear(s, {0.5f});
  probe::ProbabilityMap map(s, probe::square_grid({-2, 2, -2, 2}, 2));  // x1 centres -1, 1
  ASSERT_EQ(map.classes(), 2);
  const auto& p = map.compute(s);
  ASSERT_EQ(p.size(), 8u);
  const float y = std::tanh(0.5f);  // at x1 = 1
  EXPECT_NEAR(p[4 + 1], (y + 1) / 2, 1e-6);  // class 1 at the top right
  EXPECT_NEAR(p[1], 1 - (y + 1) / 2, 1e-6);  // class 0 there
  EXPECT_NEAR(p[4 + 0], (1 - y) / 2, 1e-6);  // class 1 at the top left (x1 = -1)
}

TEST(ProbabilityMap, LogitOutputGivesTheSigmoid) {
  auto s = session_for(json{{"hidden_layers", json::array()}, {"loss", "binary_cross_entropy"}});
  set_linear(s, {2.0f});
  probe::ProbabilityMap map(s, probe::square_grid({-2, 2, -2, 2}, 2));
  const auto& p = map.compute(s);
  EXPECT_NEAR(p[4 + 1], 1 / (1 + std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(p[1] + p[4 + 1], 1.0, 1e-6);
}

TEST(ProbabilityMap, SevenClassesAreASoftmaxThatSumsToOne) {
  auto s = session_for(json{{"dataset", "blobs7"}, {"hidden_layers", json::array()}});
  set_linear(s, {0, 1, 2, 3, 0, 0, 0});
  const auto grid = probe::square_grid({-2, 2, -2, 2}, 2);
  probe::ProbabilityMap map(s, grid);
  ASSERT_EQ(map.classes(), 7);
  const auto& p = map.compute(s);
  ASSERT_EQ(p.size(), 7u * 4);
  for (int i = 0; i < 4; ++i) {
    double sum = 0;
    for (int c = 0; c < 7; ++c) sum += p[static_cast<std::size_t>(c * 4 + i)];
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
  // At x1 = 1 the logits are 0 1 2 3 0 0 0.
  const double z = 4 + std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(p[3 * 4 + 1], std::exp(3.0) / z, 1e-6);
  EXPECT_NEAR(p[0 * 4 + 1], 1 / z, 1e-6);
}

TEST(ProbabilityMap, ATrainedSevenClassNetworkPredictsEachBlobsClassAtItsCentre) {
  auto s = session_for(json{{"dataset", "blobs7"}, {"num_samples", 700}, {"optimizer", "adam"},
                            {"learning_rate", 0.01}, {"hidden_layers", {{{"units", 8}}, {{"units", 8}}}}});
  for (int e = 0; e < 40; ++e) s.train_epoch();
  // A 3 x 3 grid over [-6, 6]^2 has its centre point at the origin: class 0.
  probe::ProbabilityMap map(s, probe::square_grid({-6, 6, -6, 6}, 3));
  const auto& p = map.compute(s);
  EXPECT_GT(p[0 * 9 + 4], 0.9);
}

TEST(ProbabilityMap, RegressionHasNoClasses) {
  auto s = session_for(json{{"dataset", "plane"}});
  EXPECT_THROW(probe::ProbabilityMap(s, probe::square_grid({}, 10)), Error);
}
