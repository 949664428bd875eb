#include "probe/output_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "nn/layers/dense.hpp"

using namespace netlens;

TEST(OutputGrid, RowZeroIsTheTopAndColumnZeroTheLeft) {
  // No hidden layer, linear regression: output = w1 x1 + w2 x2 + b with w = (1, 0), b = 0.
  train::Session s(train::parse_run_spec(nlohmann::json{{"dataset", "plane"}, {"hidden_layers", nlohmann::json::array()}}));
  auto& dense = dynamic_cast<nn::Dense&>(s.network().layer(0));
  dense.weight()[0] = 0.1f;   // x1
  dense.weight()[1] = 0.05f;  // x2
  dense.bias()[0] = 0.0f;
  probe::OutputGrid grid(s, 5);
  const auto& v = grid.compute(s);
  ASSERT_EQ(v.size(), 25u);
  // cells of width 2.4: centres -4.8, -2.4, 0, 2.4, 4.8 on each axis; row 0 is x2 = +4.8
  EXPECT_NEAR(v[0], 0.1 * -4.8 + 0.05 * 4.8, 1e-6);   // top left
  EXPECT_NEAR(v[4], 0.1 * 4.8 + 0.05 * 4.8, 1e-6);    // top right
  EXPECT_NEAR(v[24], 0.1 * 4.8 + 0.05 * -4.8, 1e-6);  // bottom right
  EXPECT_NEAR(v[12], 0.0, 1e-6);                      // centre
}

TEST(OutputGrid, TrainedCircleIsPositiveInsideAndNegativeOutside) {
  train::Session s(train::parse_run_spec(nlohmann::json::object()));
  for (int e = 0; e < 150; ++e) s.train_epoch();
  probe::OutputGrid grid(s, 101);
  const auto& v = grid.compute(s);
  EXPECT_GT(v[50 * 101 + 50], 0.5f);   // the origin
  EXPECT_LT(v[50 * 101 + 84], -0.5f);  // (4.1, 0), in the ring
  for (float x : v) {
    EXPECT_GE(x, -1.0f);
    EXPECT_LE(x, 1.0f);
  }
}
