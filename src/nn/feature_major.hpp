#pragma once
// Forward passes of an MLP over many points in feature-major layout: every tensor is
// (units, points), so each unit's values over the points are one contiguous row, which is a
// unit's heatmap over a grid. The Playground's frames use it; training stays row-major
// (Network::forward), the layout of small batches.
#include <vector>

#include "nn/network.hpp"

namespace netlens::nn {

// Activation layers work in place on their Dense layer's output, so a unit's row holds its
// activated value (what its heatmap shows) and the pre-activation is not kept: a wide layer's
// frame then writes its 10 MB once, not twice.
struct FeatureMajorWorkspace {
  int points = 0;
  std::vector<Tensor> buffers;       // buffers[0] the inputs (features, points)
  std::vector<std::size_t> outputs;  // outputs[i]: the buffer holding layer i's output
  Tensor& input() { return buffers.front(); }
  const Tensor& output() const { return buffers[outputs.back()]; }
};

// Sized once for `points`; the network may hold Dense and activation layers only (throws Error
// naming the first other layer).
FeatureMajorWorkspace make_feature_major_workspace(const Network& network, int points);
const Tensor& forward_feature_major(const Network& network, FeatureMajorWorkspace& ws);

}  // namespace netlens::nn
