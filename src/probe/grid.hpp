#pragma once
// Grid: points over a rectangle of the input plane, sampled at cell centres like OutputGrid:
// point (row, col) is x1 = x_min + (col + 1/2) (x_max - x_min) / width,
// x2 = y_max - (row + 1/2) (y_max - y_min) / height; row 0 is the top. Either a square grid
// over a given domain, or a number of points per unit over the data's extent.
#include <vector>

#include "nn/feature_major.hpp"
#include "probe/output_grid.hpp"
#include "train/session.hpp"

namespace netlens::probe {

struct Grid {
  Domain domain;
  int width = 0, height = 0;  // points per row, rows
  int points() const { return width * height; }
};

inline constexpr int kMaxGridSide = 2048;

Grid square_grid(Domain domain, int points_per_axis);      // throws Error unless 2..kMaxGridSide
Grid grid_per_unit(Domain domain, double points_per_unit);  // each side ceil(extent * density), at least 2
// The smallest rectangle holding every train and test point, grown by `margin` of its size on
// each side (and to at least 1 unit a side).
Domain data_extent(const train::Session& session, double margin = 0.1);

// The grid's points cut into one block per thread, each a feature-major workspace whose inputs
// hold the spec's features at its points: blocks[b] covers points [b * block_points, ...).
struct GridBlocks {
  std::vector<nn::FeatureMajorWorkspace> blocks;
  int block_points = 0;
};
GridBlocks make_grid_blocks(const train::Session& session, const Grid& grid);

}  // namespace netlens::probe
