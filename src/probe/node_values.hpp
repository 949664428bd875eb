#pragma once
// The value of every node of a Playground network for one sample: each weight layer's
// pre-activation z = W^T a + b, its activation f(z) and its bias b. The Inside view's
// architecture panel shows these for the point under the cursor.
#include <vector>

#include "train/session.hpp"

namespace netlens::probe {

struct LayerValues {
  std::vector<float> pre;         // z, one per unit
  std::vector<float> activation;  // f(z) (z itself for a linear layer)
  std::vector<float> bias;        // b
};

struct NodeValues {
  std::vector<float> inputs;        // the features of (x1, x2)
  std::vector<LayerValues> layers;  // every weight layer, the output layer last
};

NodeValues node_values(const train::Session& session, float x1, float x2);

// Indices into a Workspace's acts of what a weight layer computes: acts[pre] is z, acts[post]
// f(z) (the same index when no activation layer follows).
struct WeightLayerActs {
  int pre, post;
};
std::vector<WeightLayerActs> weight_layer_acts(const nn::Network& network);

}  // namespace netlens::probe
