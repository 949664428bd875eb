#pragma once
// OutputGrid: the network's output over a square grid of the input domain, the Playground's
// big heatmap. Row 0 is y_max, column 0 is x_min; grid points include both ends of each axis.
// The grid's inputs and the workspace are built once; compute() allocates nothing.
#include <vector>

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

  // Values in [-1, 1] (Session::display_output), resolution * resolution of them.
  const std::vector<float>& compute(const train::Session& session);

  int resolution() const { return resolution_; }
  const Domain& domain() const { return domain_; }

 private:
  int resolution_;
  Domain domain_;
  nn::Workspace ws_;
  std::vector<float> values_;
};

}  // namespace netlens::probe
