#include "probe/grid.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace netlens::probe {

Grid square_grid(Domain domain, int points_per_axis) {
  if (points_per_axis < 2 || points_per_axis > kMaxGridSide)
    throw Error("grid", "points per axis must be 2.." + std::to_string(kMaxGridSide) + ", got " +
                            std::to_string(points_per_axis));
  return {domain, points_per_axis, points_per_axis};
}

Grid grid_per_unit(Domain domain, double density) {
  auto side = [&](double extent) {
    const double n = std::ceil(extent * density);
    if (!(density > 0) || n > kMaxGridSide)
      throw Error("grid", "points per unit must give 2.." + std::to_string(kMaxGridSide) + " points a side, got " +
                              std::to_string(density) + " over " + std::to_string(extent) + " units");
    return std::max(2, static_cast<int>(n));
  };
  return {domain, side(domain.x_max - domain.x_min), side(domain.y_max - domain.y_min)};
}

Domain data_extent(const train::Session& session, double margin) {
  Domain d{1e30, -1e30, 1e30, -1e30};
  for (const auto* set : {&session.train_set(), &session.test_set()})
    for (const auto& p : set->points) {
      d.x_min = std::min(d.x_min, double(p.x1));
      d.x_max = std::max(d.x_max, double(p.x1));
      d.y_min = std::min(d.y_min, double(p.x2));
      d.y_max = std::max(d.y_max, double(p.x2));
    }
  auto grow = [margin](double& lo, double& hi) {
    const double pad = std::max((hi - lo) * margin, (1.0 - (hi - lo)) / 2);
    lo -= pad;
    hi += pad;
  };
  grow(d.x_min, d.x_max);
  grow(d.y_min, d.y_max);
  return d;
}

GridBlocks make_grid_blocks(const train::Session& session, const Grid& grid) {
  GridBlocks g;
  const int points = grid.points();
  g.block_points = (points + parallel::threads() - 1) / parallel::threads();
  for (int start = 0; start < points; start += g.block_points)
    g.blocks.push_back(nn::make_feature_major_workspace(session.network(), std::min(g.block_points, points - start)));

  const auto& features = session.spec().features;
  std::vector<float> values(features.size());
  const double step_x = (grid.domain.x_max - grid.domain.x_min) / grid.width;
  const double step_y = (grid.domain.y_max - grid.domain.y_min) / grid.height;
  for (int p = 0; p < points; ++p) {
    const int row = p / grid.width, col = p % grid.width;
    const auto x1 = static_cast<float>(grid.domain.x_min + (col + 0.5) * step_x);
    const auto x2 = static_cast<float>(grid.domain.y_max - (row + 0.5) * step_y);
    data::compute_features(features, x1, x2, values.data());
    nn::FeatureMajorWorkspace& block = g.blocks[static_cast<std::size_t>(p / g.block_points)];
    for (std::size_t f = 0; f < values.size(); ++f)
      block.input()[f * static_cast<std::size_t>(block.points) + static_cast<std::size_t>(p % g.block_points)] =
          values[f];
  }
  return g;
}

}  // namespace netlens::probe
