#include "probe/grid.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

using namespace netlens;

TEST(Grid, SquareGridOverADomain) {
  const auto g = probe::square_grid({-1, 1, -2, 2}, 50);
  EXPECT_EQ(g.width, 50);
  EXPECT_EQ(g.height, 50);
  EXPECT_EQ(g.points(), 2500);
  EXPECT_THROW(probe::square_grid({}, 1), Error);
  EXPECT_THROW(probe::square_grid({}, probe::kMaxGridSide + 1), Error);
}

TEST(Grid, PointsPerUnitFollowTheExtent) {
  const auto g = probe::grid_per_unit({-3, 3, -1, 1.5}, 10);
  EXPECT_EQ(g.width, 60);
  EXPECT_EQ(g.height, 25);
  EXPECT_EQ(probe::grid_per_unit({0, 0.05, 0, 0.05}, 1).width, 2);  // at least two points a side
  EXPECT_THROW(probe::grid_per_unit({-6, 6, -6, 6}, 1000), Error);
  EXPECT_THROW(probe::grid_per_unit({-6, 6, -6, 6}, 0), Error);
}

TEST(Grid, DataExtentHoldsEveryPointWithAMargin) {
  train::Session s(train::parse_run_spec(nlohmann::json{{"dataset", "two_moons"}}));
  const auto d = probe::data_extent(s, 0.1);
  double x_min = 1e9, x_max = -1e9;
  for (const auto* set : {&s.train_set(), &s.test_set()})
    for (const auto& p : set->points) {
      EXPECT_GT(p.x1, d.x_min);
      EXPECT_LT(p.x1, d.x_max);
      EXPECT_GT(p.x2, d.y_min);
      EXPECT_LT(p.x2, d.y_max);
      x_min = std::min(x_min, double(p.x1));
      x_max = std::max(x_max, double(p.x1));
    }
  EXPECT_NEAR(d.x_min, x_min - 0.1 * (x_max - x_min), 1e-9);
  EXPECT_NEAR(d.x_max, x_max + 0.1 * (x_max - x_min), 1e-9);
}

TEST(Grid, BlocksHoldTheFeaturesAtCellCentres) {
  train::Session s(train::parse_run_spec(nlohmann::json{{"features", {"x1", "x2", "x1x2"}}}));
  const probe::Grid g{{-2, 2, -1, 1}, 4, 2};  // x centres -1.5 -0.5 0.5 1.5; y centres 0.5 (top), -0.5
  auto blocks = probe::make_grid_blocks(s, g);
  int seen = 0;
  for (std::size_t b = 0; b < blocks.blocks.size(); ++b) {
    auto& ws = blocks.blocks[b];
    for (int i = 0; i < ws.points; ++i, ++seen) {
      const int p = static_cast<int>(b) * blocks.block_points + i;
      const float x1 = -1.5f + static_cast<float>(p % 4), x2 = p < 4 ? 0.5f : -0.5f;
      const auto n = static_cast<std::size_t>(ws.points);
      EXPECT_FLOAT_EQ(ws.input()[0 * n + static_cast<std::size_t>(i)], x1);
      EXPECT_FLOAT_EQ(ws.input()[1 * n + static_cast<std::size_t>(i)], x2);
      EXPECT_FLOAT_EQ(ws.input()[2 * n + static_cast<std::size_t>(i)], x1 * x2);
    }
  }
  EXPECT_EQ(seen, 8);
}
