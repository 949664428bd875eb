#pragma once
// OutputGrid: the network's output over a square grid of the input domain, the Playground's
// big heatmap. The domain is cut into resolution x resolution cells and each is sampled at its
// centre, so the image stretched over the domain is exact. Row 0 is the top (y_max side),
// column 0 the left (x_min side).
// The grid runs through the network in chunks of points small enough that the widest layer's
// rows for a chunk stay in half the L2 cache (a 1000-unit layer over all 10,000 points is
// 40 MB, and streaming it through memory made a frame 10x slower), shared evenly between the
// chunks so that padding costs little. Each thread has one feature-major workspace (a unit's values over
// the chunk are one row) and takes every threads()-th chunk.
// Inputs and workspaces are built once; compute() allocates nothing.
#include <utility>
#include <vector>

#include "nn/feature_major.hpp"

#include "data/synthetic2d.hpp"
#include "train/session.hpp"

namespace netlens::probe {

struct Domain {
  double x_min = data::kDomainMin, x_max = data::kDomainMax;
  double y_min = data::kDomainMin, y_max = data::kDomainMax;
};

// The input (x1, x2) at the centre of grid point p = row * resolution + col.
inline std::pair<float, float> cell_centre(const Domain& d, int resolution, int p) {
  const int row = p / resolution, col = p % resolution;
  return {static_cast<float>(d.x_min + (col + 0.5) * (d.x_max - d.x_min) / resolution),
          static_cast<float>(d.y_max - (row + 0.5) * (d.y_max - d.y_min) / resolution)};
}

class OutputGrid {
 public:
  OutputGrid(const train::Session& session, int resolution, Domain domain = {});

  // An upper bound of the heap an OutputGrid over a Session of `spec` allocates, computed
  // without allocating (see Session::estimate_bytes).
  static std::size_t estimate_bytes(const train::RunSpec& spec, int resolution);

  // Values in [-1, 1] (Session::display_outputs), resolution * resolution of them.
  const std::vector<float>& compute(const train::Session& session);

  int resolution() const { return resolution_; }
  const Domain& domain() const { return domain_; }
  // Points computed per frame: the grid's, and the padding of its chunks.
  std::size_t computed_points() const { return static_cast<std::size_t>(chunks_) * chunk_points_; }

 private:
  int resolution_;
  Domain domain_;
  int chunk_points_;                                  // points per chunk
  int chunks_;
  std::vector<float> inputs_;                          // (features, chunks_ * chunk_points_), zero-padded
  std::vector<nn::FeatureMajorWorkspace> workspaces_;  // one per thread
  std::vector<float> values_;
};

}  // namespace netlens::probe
