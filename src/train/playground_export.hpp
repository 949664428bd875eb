#pragma once
// A trained Playground network taken out of netlens: as JSON that netlens reads back (spec,
// epoch and every weight), and as PyTorch source a user pastes and runs.
//
// The JSON: {"format": "netlens-playground", "version": 1, "epoch": N, "spec": {...RunSpec...},
//   "layers": [{"in": 2, "out": 4, "activation": "tanh", "weights": [[out numbers] x in rows],
//   "bias": [out numbers]}, ...]}, one entry per Dense layer, the output layer last. weights[i][j]
// is from input i to unit j, as Dense stores it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "train/run_spec.hpp"
#include "train/session.hpp"

namespace netlens::train {

inline constexpr int kModelFormatVersion = 1;

nlohmann::json export_model(const Session& session);

struct ImportedModel {
  RunSpec spec;
  std::vector<std::vector<float>> params;  // network.params() order (W then b per layer), for Session::load_params
  int epoch;
};

// Validates everything against the spec's network; errors name the path:
// "model.layers[1].weights: must be 4 rows of 2 numbers".
ImportedModel import_model(const nlohmann::json& j);

// Python: a features(x) function for the spec's features, the network as nn.Sequential with
// its exact float32 weights, and what its output means.
std::string pytorch_snippet(const Session& session);

}  // namespace netlens::train
