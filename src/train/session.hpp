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
  // Classification only: confusion[target][predicted] over the test set, classes in label
  // order (binary: 0 is the -1 class, 1 the +1 class).
  std::vector<std::vector<int>> confusion;
};

// Points that replace or join the generated data: `uploaded` (a CSV) replaces the data set and
// is split like it; `added` (clicked on the page) join the training set.
struct CustomPoints {
  std::vector<data::Point2D> uploaded, added;
};

// How to rank a hidden layer's units for pruning, weakest first.
enum class PruneBy {
  OutgoingWeight,  // L2 norm of the unit's outgoing weights
  Activation,      // mean |activation| over the training set
};

class Session {
 public:
  explicit Session(RunSpec spec, CustomPoints custom = {});

  // An upper bound of the heap a Session of `spec` allocates, computed without allocating, so
  // a spec that would need more than a cap can be refused first.
  static std::size_t estimate_bytes(const RunSpec& spec);

  void train_epoch();  // one pass over the training points in shuffled mini-batches
  void train_step();   // one mini-batch (an epoch is ceil(N / batch) steps)
  void reset();        // the initial weights again (same seed), epoch 0, nothing pruned
  Metrics evaluate();  // losses and accuracies on both sets

  // Takes `next`'s training settings (train/run_spec's copy_training_settings) from the next
  // step on, keeping the weights and the epoch. Throws Error when `next` changes the data or the
  // network (those need a new Session).
  void change_training(const RunSpec& next);
  // The epoch count goes on from `epoch` (an imported model's); reset() goes back to 0.
  void start_at_epoch(int epoch) { trainer_.start_at_epoch(epoch); }
  void start_at(int epoch, long examples) { trainer_.start_at(epoch, examples); }

  // Adds one training point; training goes on from the current weights (a new epoch starts).
  void add_point(const data::Point2D& point);
  // Sets one weight (input >= 0: from that input of the layer to `unit`) or, for input -1, the
  // unit's bias, of Dense layer `layer` (0 is the first hidden layer). Throws Error when out of range.
  void set_param(int layer, int unit, int input, float value);
  // The `count` weakest units of hidden layer `layer` that are not pruned yet, weakest first.
  std::vector<int> weakest_units(int layer, int count, PruneBy by);
  // Prunes units of hidden layer `layer`: their outgoing weights become zero and stay zero.
  void prune(int layer, const std::vector<int>& units);
  // pruned()[l][u] is true when unit u of hidden layer l is pruned.
  const std::vector<std::vector<bool>>& pruned() const { return pruned_; }
  // Replaces every parameter, in network.params() order, each tensor's values in a row.
  void load_params(const std::vector<std::vector<float>>& values);

  const CustomPoints& custom_points() const { return custom_; }

  const RunSpec& spec() const { return spec_; }
  int epoch() const { return trainer_.epochs(); }
  long steps() const { return trainer_.steps(); }
  long examples_seen() const { return trainer_.examples(); }  // training rows stepped over
  long dead_links() const { return trainer_.dead_links(); }   // weights L1 set to 0 until reset
  const Dataset& train_set() const { return train_; }
  const Dataset& test_set() const { return test_; }
  nn::Network& network() { return network_; }
  const nn::Network& network() const { return network_; }

  // The network's outputs for `points` samples, feature-major (output j's values at
  // z + j * stride; stride 0 means points), mapped to [-1, 1] as the Playground shows them: a
  // tanh output as is; a logit z as tanh(z / 2) = 2 s(z) - 1; two softmax classes as
  // p1 - p0 = tanh((z1 - z0) / 2); k > 2 classes as 2 p_max - 1, the confidence of the
  // predicted class (probe::ProbabilityMap gives every class's probability).
  void display_outputs(const float* z, int points, float* values, int stride = 0) const;

 private:
  Session(RunSpec spec, CustomPoints custom, std::pair<Dataset, Dataset> split);
  void initialize_weights();
  void apply_pruning();

  RunSpec spec_;
  CustomPoints custom_;
  Dataset train_, test_;
  std::vector<std::vector<bool>> pruned_;  // per hidden layer
  bool any_pruned_ = false;
  nn::Network network_;
  Trainer trainer_;
};

}  // namespace netlens::train
