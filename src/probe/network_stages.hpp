#pragma once
// The stages of an image network a viewer draws: the input, each Conv2D and Dense layer's
// output after its activation (the activation layer folded in), each pooling layer's output,
// and the class probabilities (softmax of the logits) in place of the last Dense layer.
// Flatten, Dropout and lone activations are not stages of their own.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"

namespace netlens::probe {

struct Stage {
  std::string kind;  // input, conv, pool, dense, output
  std::string name;  // the layer's name, e.g. "Conv2D(1 -> 8, 3x3)"
  Shape shape;       // per sample
  std::size_t act;   // index into Workspace::acts of the values shown
  int layer = -1;    // the Conv2D or Dense layer whose weights lead in, else -1
};

std::vector<Stage> network_stages(const nn::Network& network);
nlohmann::json stages_json(const std::vector<Stage>& stages);

// Each stage's values for sample 0 of a workspace after forward(), the output as probabilities.
std::vector<Tensor> stage_values(const std::vector<Stage>& stages, const nn::Workspace& ws);

// Each stage's incoming weights: Dense (in, out), Conv2D (K, C, F, F); an empty tensor else.
std::vector<Tensor> stage_weights(const std::vector<Stage>& stages, nn::Network& network);

}  // namespace netlens::probe
