#pragma once
// ProbabilityMap: the probability of each of k >= 2 classes at every point of a Grid, for the
// network's current weights. Binary runs give two classes (class 1 is the label +1):
//   squared error (tanh output y):  p1 = (y + 1) / 2, clamped to [0, 1]
//   binary cross-entropy (logit z): p1 = s(z)
//   softmax cross-entropy:          p = softmax(z) over the k logits
// Values are class-major: class c at grid point p is values[c * points + p], so each class's
// map is one row-major image (row 0 the top). compute() allocates nothing.
#include <vector>

#include "probe/grid.hpp"

namespace netlens::probe {

class ProbabilityMap {
 public:
  // Throws Error for a regression run (it has no classes).
  ProbabilityMap(const train::Session& session, Grid grid);

  const std::vector<float>& compute(const train::Session& session);

  int classes() const { return classes_; }
  const Grid& grid() const { return grid_; }

 private:
  Grid grid_;
  int classes_;
  GridBlocks blocks_;
  std::vector<float> values_;
};

}  // namespace netlens::probe
