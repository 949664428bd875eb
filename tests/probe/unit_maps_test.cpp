#include "probe/unit_maps.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/vmath.hpp"
#include "nn/layers/dense.hpp"

using namespace netlens;
using nlohmann::json;

namespace {
float decode(std::uint8_t c) { return c / 127.5f - 1.0f; }
}  // namespace

TEST(UnitMaps, HoldsEveryFeatureHiddenUnitAndTheOutput) {
  train::Session s(train::parse_run_spec(json{{"features", {"x1", "x2", "x1x2"}},
                                              {"hidden_layers", {{{"units", 3}}, {{"units", 2}}}}}));
  probe::UnitMaps maps(s, 4);
  EXPECT_EQ(maps.nodes(), 3 + 3 + 2 + 1);
  EXPECT_EQ(maps.compute(s).size(), 9u * 16u);
}

TEST(UnitMaps, FeaturesAreScaledToTheirLargestValueAndUnitsMatchTheirMath) {
  // One hidden tanh unit h = tanh(0.5 x1 - 0.2), output linear regression.
  train::Session s(train::parse_run_spec(json{{"dataset", "plane"}, {"hidden_layers", {{{"units", 1}}}}}));
  auto& hidden = dynamic_cast<nn::Dense&>(s.network().layer(0));
  hidden.weight()[0] = 0.5f;  // x1
  hidden.weight()[1] = 0.0f;  // x2
  hidden.bias()[0] = -0.2f;
  probe::UnitMaps maps(s, 5);
  const auto& codes = maps.compute(s);
  // 5 cells over [-6, 6]: centres -4.8 .. 4.8; node 0 is x1 / 4.8, row-major from the top left.
  EXPECT_EQ(codes[0], 0);    // x1 = -4.8: -1
  EXPECT_EQ(codes[4], 255);  // x1 = +4.8: +1
  EXPECT_NEAR(decode(codes[2]), 0.0f, 0.5f / 127.5f + 1e-6f);
  EXPECT_EQ(codes[25 + 0], 255);  // node 1 is x2 / 4.8: top row +1
  EXPECT_EQ(codes[25 + 20], 0);
  const float h = std::tanh(0.5f * 2.4f - 0.2f);  // column 3: x1 = 2.4
  EXPECT_NEAR(decode(codes[50 + 3]), h, 0.5f / 127.5f + 1e-6f);
}

TEST(UnitMaps, TheOutputNodeMatchesTheOutputGrid) {
  train::Session s(train::parse_run_spec(json::object()));
  for (int e = 0; e < 30; ++e) s.train_epoch();
  probe::UnitMaps maps(s, 10);
  probe::OutputGrid grid(s, 10);
  const auto& codes = maps.compute(s);
  const auto& values = grid.compute(s);
  const std::size_t output = static_cast<std::size_t>(maps.nodes() - 1) * 100;
  for (std::size_t p = 0; p < 100; ++p) EXPECT_NEAR(decode(codes[output + p]), values[p], 0.5f / 127.5f + 1e-6f);
}

TEST(UnitMaps, ADivergedNetworkIsDrawnNeutralNotUndefined) {
  train::Session s(train::parse_run_spec(json::object()));
  auto& dense = dynamic_cast<nn::Dense&>(s.network().layer(0));
  dense.weight()[0] = NAN;
  probe::UnitMaps maps(s, 4);
  const auto& codes = maps.compute(s);
  EXPECT_EQ(codes[2 * 16], 128);  // the first hidden unit, NaN everywhere
}
