#pragma once
// Session: one Playground run. Build it from a RunSpec; it generates the data, builds the
// network and its optimizer, and then trains epoch by epoch. Everything a step needs is
// allocated here, once. A Session is not thread-safe: one thread drives it.
#include <optional>
#include <utility>
#include <vector>

#include "nn/network.hpp"
#include "train/run_spec.hpp"
#include "train/trainer.hpp"

namespace netlens::train {

// Points with their network inputs (features) and targets, encoded for the spec's loss.
struct Dataset {
  std::vector<data::Point2D> points;
  Tensor inputs;   // (N, features)
  Tensor targets;  // (N, outputs)
  int size() const { return static_cast<int>(points.size()); }
};

struct Metrics {
  int epoch = 0;
  double train_loss = 0, test_loss = 0;  // mean per-sample loss (squared error: 1/2 (y - t)^2)
  std::optional<double> train_accuracy, test_accuracy;  // classification only
};

class Session {
 public:
  explicit Session(RunSpec spec);

  // An upper bound of the heap a Session of `spec` allocates, computed without allocating, so
  // a spec that would need more than a cap can be refused first.
  static std::size_t estimate_bytes(const RunSpec& spec);

  void train_epoch();  // one pass over the training points in shuffled mini-batches
  void train_step();   // one mini-batch (an epoch is ceil(N / batch) steps)
  void reset();        // the initial weights again (same seed), epoch 0
  Metrics evaluate();  // losses and accuracies on both sets

  const RunSpec& spec() const { return spec_; }
  int epoch() const { return trainer_.epochs(); }
  long steps() const { return trainer_.steps(); }
  const Dataset& train_set() const { return train_; }
  const Dataset& test_set() const { return test_; }
  nn::Network& network() { return network_; }
  const nn::Network& network() const { return network_; }

  // The network's outputs for `points` samples, feature-major (output j's values at
  // z + j * points), mapped to [-1, 1] as the Playground shows them: a tanh output as is; a
  // logit z as tanh(z / 2) = 2 s(z) - 1; two softmax classes as p1 - p0 = tanh((z1 - z0) / 2).
  void display_outputs(const float* z, int points, float* values) const;

 private:
  Session(RunSpec spec, std::pair<Dataset, Dataset> split);
  void initialize_weights();

  RunSpec spec_;
  Dataset train_, test_;
  nn::Network network_;
  Trainer trainer_;
};

}  // namespace netlens::train
