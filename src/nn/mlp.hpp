#pragma once
// Multi-layer perceptrons: a chain of Dense layers, each followed by its activation (none for
// linear), with seeded initialisation (init_weights also initialises any Conv2D layer of a
// network, He).
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/network.hpp"

namespace netlens::nn {

struct DenseSpec {
  int units;
  Activation activation;
};

// How Dense layers start: `xavier` is Xavier before tanh, sigmoid and linear and He before the
// ReLU family; `he` is He everywhere; `playground` is TensorFlow Playground's U(+-0.5) weights
// and 0.1 biases.
enum class WeightInit { Xavier, Playground, He };
std::string_view weight_init_name(WeightInit w);
std::vector<std::string_view> weight_init_names();  // every name, in the order users see them
WeightInit parse_weight_init(std::string_view name, const std::string& where);

Network build_mlp(int inputs, const std::vector<DenseSpec>& layers);
void init_weights(Network& network, Rng& rng, WeightInit how = WeightInit::Xavier);

}  // namespace netlens::nn
