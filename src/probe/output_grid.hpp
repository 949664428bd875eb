#pragma once
// OutputGrid: the network's output over a square grid of the input domain, the Playground's
// big heatmap. The domain is cut into resolution x resolution cells and each is sampled at its
// centre, so the image stretched over the domain is exact. Row 0 is the top (y_max side),
// column 0 the left (x_min side).
// The grid is cut into one block of points per thread, each with its own feature-major
// workspace (a unit's values over the block are one row), and the blocks run through the
// network in parallel. Inputs and workspaces are built once; compute() allocates nothing.
#include <vector>

#include "nn/feature_major.hpp"

#include "data/synthetic2d.hpp"
#include "train/session.hpp"

namespace netlens::probe {

struct Domain {
  double x_min = data::kDomainMin, x_max = data::kDomainMax;
  double y_min = data::kDomainMin, y_max = data::kDomainMax;
};

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

 private:
  int resolution_;
  Domain domain_;
  std::vector<nn::FeatureMajorWorkspace> blocks_;  // blocks_[b]: grid points [b * block_points_, ...)
  int block_points_;
  std::vector<float> values_;
};

}  // namespace netlens::probe
