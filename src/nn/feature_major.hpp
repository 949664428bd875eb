#pragma once
// Forward passes of an MLP over many points in feature-major layout: every tensor is
// (units, points), so each unit's values over the points are one contiguous row, which is a
// unit's heatmap over a grid. The Playground's frames use it; training stays row-major
// (Network::forward), the layout of small batches.
#include <vector>

#include "nn/network.hpp"

namespace netlens::nn {

struct FeatureMajorWorkspace {
  int points = 0;
  std::vector<Tensor> acts;  // acts[0] the inputs (features, points); acts[i + 1] layer i's output
  Tensor& input() { return acts.front(); }
  const Tensor& output() const { return acts.back(); }
};

// Sized once for `points`; the network may hold Dense and activation layers only (throws Error
// naming the first other layer).
FeatureMajorWorkspace make_feature_major_workspace(const Network& network, int points);
const Tensor& forward_feature_major(const Network& network, FeatureMajorWorkspace& ws);

}  // namespace netlens::nn
