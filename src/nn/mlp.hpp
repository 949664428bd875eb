#pragma once
// Multi-layer perceptrons: a chain of Dense layers, each followed by its activation (none for
// linear), with seeded initialisation: He before the ReLU family, Xavier before the others
// (init_weights also initialises any Conv2D layer of a network, He).
#include <vector>

#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/network.hpp"

namespace netlens::nn {

struct DenseSpec {
  int units;
  Activation activation;
};

Network build_mlp(int inputs, const std::vector<DenseSpec>& layers);
void init_weights(Network& network, Rng& rng);

}  // namespace netlens::nn
