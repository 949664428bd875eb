#pragma once
// TracedRun: a small network trained by full-batch gradient descent on every point of a 2D
// data set, with a record of each refresh: the training loss, the gradient norm of each
// weight layer, and the weights it visited. The Inside view and `netlens xor` draw from it.
// One thread drives a TracedRun.
#include <cstdint>
#include <string>
#include <vector>

#include "nn/layers/activation.hpp"
#include "nn/loss.hpp"
#include "train/session.hpp"

namespace netlens::train {

struct TracedRunSpec {
  std::string dataset = "xor4";  // "xor4" (the four points) or a binary set of data::synthetic2d_sets()
  double noise = 0;              // percent, 0..50, for the generated sets
  int num_samples = 200;         // for the generated sets
  std::uint64_t data_seed = 1;
  std::vector<int> hidden{2};    // units of each hidden layer
  nn::Activation activation = nn::Activation::Tanh;
  nn::Loss loss = nn::Loss::SquaredError;  // or binary_cross_entropy
  double learning_rate = 0.01;  // XOR: loss < 0.01 at epoch 7,700 with the default seed
  std::uint64_t seed = 1;  // the initial weights, as a Playground run's seed
  int epochs = 40000;      // one epoch is one full-batch step
  int refresh = 200;       // epochs between records
};

struct TracedRunLimits {
  static constexpr int kMaxHiddenLayers = 4, kMaxUnits = 64;
  static constexpr int kMinSamples = 4, kMaxSamples = 2000;
  static constexpr int kMaxEpochs = 1000000;
  static constexpr int kMaxRecords = 5000;  // epochs / refresh, so the trace stays small
  static constexpr double kMaxLearningRate = 10;
};

// Throws Error naming the first bad field ("hidden[0]: must be 1..64, got 0").
void validate(const TracedRunSpec& spec);

// The run as a Playground spec: features x1 and x2, a tanh output for squared error (a logit
// for binary cross-entropy), plain SGD with one batch of every point.
RunSpec playground_spec(const TracedRunSpec& spec);

struct TraceRecord {
  int epoch = 0;
  double loss = 0;                     // mean training loss at `params`
  double accuracy = 0;                 // share of training points classified right
  std::vector<double> gradient_norms;  // ||dL/dθ|| of each weight layer (weights and bias) at `params`
  std::vector<float> params;           // every parameter, in network.params() order
};

class TracedRun {
 public:
  explicit TracedRun(const TracedRunSpec& spec);  // validates; records epoch 0
  TracedRun(const TracedRun&) = delete;  // the session's trainer refers to its network
  TracedRun& operator=(const TracedRun&) = delete;

  // Trains min(refresh, epochs left) epochs and records the result; false once finished.
  bool advance();
  bool finished() const { return session_.epoch() >= spec_.epochs; }

  const TracedRunSpec& spec() const { return spec_; }
  const std::vector<TraceRecord>& trace() const { return trace_; }
  Session& session() { return session_; }
  const Session& session() const { return session_; }

 private:
  void record();

  TracedRunSpec spec_;
  Session session_;
  nn::Workspace gradient_ws_;
  std::vector<TraceRecord> trace_;
};

// Every parameter of the network in params() order, and back.
std::vector<float> flat_params(nn::Network& network);
void load_flat_params(nn::Network& network, const std::vector<float>& values);

// The full-batch gradient's norm per Dense layer at the current weights, computed in `ws`
// (capacity >= the set's size); overwrites the parameter gradients and nothing else.
std::vector<double> layer_gradient_norms(nn::Network& network, nn::Workspace& ws, const Dataset& set, nn::Loss loss);

}  // namespace netlens::train
