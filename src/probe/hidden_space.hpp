#pragma once
// HiddenSpace: where a hidden layer puts the training points. Each point's activations at the
// layer, as coordinates: the units themselves for a layer of 2 or 3 units, a PCA projection to
// 2 or 3 axes for a wider one. A logistic-regression separator fitted on those coordinates
// shows whether the classes have become linearly separable there. The warped grid is the input
// domain's grid lines pushed through the network to the same layer and coordinates: how the
// network bends the plane.
#include <vector>

#include "probe/logistic_regression.hpp"
#include "probe/output_grid.hpp"
#include "train/session.hpp"

namespace netlens::probe {

struct HiddenSpaceOptions {
  int layer = 0;          // hidden layer, 0 is the first
  int dims = 3;           // axes for a layer wider than 3 units: 2 or 3
  int grid_lines = 11;    // lines per direction, edges included
  int line_samples = 41;  // points along each line
  Domain domain;
};

struct HiddenSpace {
  int units = 0;        // the layer's width
  int dims = 0;         // coordinates per point: units when 2 or 3, else options.dims
  bool projected = false;  // coordinates are PCA axes
  std::vector<double> explained;  // projected: each axis's share of the total variance
  std::vector<double> points;     // (n, dims): the training points, in train_set() order
  std::vector<float> labels;      // -1 or +1
  LinearSeparator separator;      // fitted on `points`
  // 2 * grid_lines lines of line_samples points, (line_samples, dims) each: first the lines of
  // constant x1 (from x_min up), then those of constant x2 (from y_min up).
  std::vector<std::vector<double>> grid;
};

// Throws Error ("layer: ...") for a layer that does not exist or has fewer than 2 units.
HiddenSpace hidden_space(const train::Session& session, const HiddenSpaceOptions& options);

// The activations of hidden layer `layer` for n points (x1, x2) given as (n, 2): (n, units).
std::vector<double> hidden_activations(const train::Session& session, int layer, const std::vector<float>& xy);

}  // namespace netlens::probe
