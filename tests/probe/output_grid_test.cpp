#include "probe/output_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "nn/layers/dense.hpp"
#include "support/allocation_counter.hpp"

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

// A wide net runs in many chunks, the last one padded; every point must still match the
// row-major forward pass, softmax outputs included (their second row sits a chunk further on).
TEST(OutputGrid, ChunkedWideSoftmaxGridMatchesTheRowMajorForward) {
  train::Session s(train::parse_run_spec(nlohmann::json{{"hidden_layers", {{{"units", 700}, {"activation", "relu"}}}},
                                                        {"loss", "softmax_cross_entropy"}}));
  for (int e = 0; e < 3; ++e) s.train_epoch();
  probe::OutputGrid grid(s, 37);  // 1369 points: not a multiple of any chunk size
  const auto& v = grid.compute(s);
  nn::Workspace ws = s.network().make_workspace(1);
  for (int p : {0, 500, 1000, 1368}) {
    const auto [x1, x2] = probe::cell_centre(grid.domain(), 37, p);
    ws.input()[0] = x1;
    ws.input()[1] = x2;
    const Tensor& z = s.network().forward(ws, 1);
    EXPECT_NEAR(v[static_cast<std::size_t>(p)], std::tanh(0.5 * (z[1] - z[0])), 2e-5) << "point " << p;
  }
}

// The points are shared evenly between the chunks: the padding they add stays under 16 points
// a chunk, for a narrow net (a few large chunks) and a wide one (many small ones).
TEST(OutputGrid, ChunksPadTheGridByLittle) {
  for (const int units : {8, 1000}) {
    train::Session s(train::parse_run_spec(nlohmann::json{{"hidden_layers", {{{"units", units}}}}}));
    for (const int resolution : {100, 50, 37}) {
      probe::OutputGrid grid(s, resolution);
      const auto points = static_cast<std::size_t>(resolution * resolution);
      EXPECT_GE(grid.computed_points(), points);
      EXPECT_LE(grid.computed_points(), points + points / 50 + 64) << units << " units, " << resolution << "^2 points";
    }
  }
}

TEST(OutputGrid, EstimatedBytesBoundWhatBuildingAllocates) {
  const nlohmann::json specs[] = {
      nlohmann::json::object(),
      {{"dataset", "blobs7"}, {"loss", "softmax_cross_entropy"}, {"hidden_layers", nlohmann::json::array()}},
      {{"features", {"x1", "x2", "x1x2"}}, {"hidden_layers", nlohmann::json::array({{{"units", 1024}}, {{"units", 300}}})}},
      {{"loss", "softmax_cross_entropy"}, {"hidden_layers", nlohmann::json::array()}},
  };
  for (const auto& j : specs) {
    const auto spec = train::parse_run_spec(j);
    train::Session s(spec);
    const std::size_t before = test::allocated_bytes();
    probe::OutputGrid grid(s, 100);
    const std::size_t allocated = test::allocated_bytes() - before;
    const std::size_t estimate = probe::OutputGrid::estimate_bytes(spec, 100);
    EXPECT_LE(allocated, estimate) << j;
    EXPECT_LE(estimate, 2 * allocated + (256 << 10)) << j;
  }
}
