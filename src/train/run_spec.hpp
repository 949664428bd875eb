#pragma once
// RunSpec: everything that defines a Playground run (data, features, network, training), read
// from JSON and validated field by field. Every error names the field's path and the reason:
// "hidden_layers[0].units: must be 1..1024, got 0". Limits are the constants below (README
// lists them).
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "data/features.hpp"
#include "data/synthetic2d.hpp"
#include "nn/layers/activation.hpp"
#include "nn/loss.hpp"
#include "nn/mlp.hpp"
#include "nn/optimizer.hpp"

namespace netlens::train {

struct HiddenLayer {
  int units;
  nn::Activation activation;
};

struct RunSpec {
  std::string dataset = "circle";
  double noise = 0;            // percent, 0..50, as TensorFlow Playground's slider
  double train_ratio = 0.5;    // share of the points used for training, 0.1..0.9
  int num_samples = 500;       // points generated in all (Playground: 500; regression sets 1200)
  std::vector<data::Feature> features{data::Feature::X1, data::Feature::X2};
  std::vector<HiddenLayer> hidden_layers{{4, nn::Activation::Tanh}, {2, nn::Activation::Tanh}};
  nn::WeightInit init = nn::WeightInit::Xavier;  // the initial weights' rule
  data::Problem problem = data::Problem::Classification;
  nn::Loss loss = nn::Loss::SquaredError;
  nn::OptimizerKind optimizer = nn::OptimizerKind::SGD;
  double learning_rate = 0.03;
  double momentum = 0.9;
  nn::Regularization regularization = nn::Regularization::None;
  double regularization_rate = 0;
  int batch_size = 10;
  std::uint64_t seed = 1;       // the initial weights (stream seed + 1) and batch order (seed + 2)
  std::uint64_t data_seed = 1;  // the generated points, so "regenerate" and "new seed" are separate
};

struct Limits {
  static constexpr int kMaxHiddenLayers = 10;
  static constexpr int kMaxUnits = 1024;
  static constexpr int kMinSamples = 10, kMaxSamples = 100000;
  static constexpr int kMaxBatch = 1024;
  static constexpr double kMaxNoise = 50, kMaxLearningRate = 10, kMaxRegularizationRate = 10;
};

// Reads a spec from JSON: absent keys keep `base`'s values (the defaults unless given), unknown
// keys, wrong types and out-of-range values throw Error naming the field.
RunSpec parse_run_spec(const nlohmann::json& j, const RunSpec& base = RunSpec{});
// A spec file: a regular file of at most kMaxJsonFileBytes (core/json.hpp); errors are prefixed with
// its path.
RunSpec load_run_spec(const std::string& path);
nlohmann::json to_json(const RunSpec& spec);

// The data set's number of classes: 2 for the binary sets, k for a k-class set (which trains
// with softmax_cross_entropy on k logits), 0 for regression.
int num_classes(const RunSpec& spec);
// The training settings a run can change as it goes: learning_rate, optimizer, momentum,
// regularization, regularization_rate and batch_size.
void copy_training_settings(const RunSpec& from, RunSpec& to);
// True when `a` and `b` differ in those settings at most: the same data and network.
bool same_data_and_network(const RunSpec& a, const RunSpec& b);
// The network's outputs: one logit per class (at least two) for softmax_cross_entropy, else 1.
int output_units(const RunSpec& spec);

}  // namespace netlens::train
