#pragma once
// Trainer: mini-batch training of a network on a data set held in two tensors, inputs (N, ...)
// and targets (N, K). Each epoch visits the rows in a new shuffled order. Everything a step
// needs is allocated at construction: step() allocates nothing.
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "nn/loss.hpp"
#include "nn/network.hpp"
#include "nn/optimizer.hpp"

namespace netlens::train {

struct Evaluation {
  double loss = 0;      // mean per-sample loss
  double accuracy = 0;  // share of rows whose predicted class is the target's (nn::output_class)
  std::vector<std::vector<int>> confusion;  // [target][predicted], when classes were asked for
};

class Trainer {
 public:
  static constexpr int kEvalChunk = 1024;  // rows per forward pass when evaluating a whole set

  Trainer(nn::Network& network, nn::Loss loss, const nn::OptimizerConfig& optimizer, int batch_size, int rows,
          std::uint64_t seed);

  void step(const Tensor& inputs, const Tensor& targets);   // one mini-batch
  void epoch(const Tensor& inputs, const Tensor& targets);  // up to the end of the current epoch
  void reset(std::uint64_t seed);                           // optimizer state, order, counters
  void set_rows(int rows);  // the data set changed size: a new epoch starts over all rows
  void set_learning_rate(float rate) { optimizer_.set_learning_rate(rate); }
  // New optimizer settings and batch size from the next step on; the epoch goes on.
  void configure(const nn::OptimizerConfig& optimizer, int batch_size);
  void start_at_epoch(int epoch) { epoch_ = epoch; }  // a run that goes on from an imported model
  // A run trained elsewhere, followed checkpoint by checkpoint: its epoch and examples seen.
  void start_at(int epoch, long examples) { epoch_ = epoch, examples_ = examples; }
  // Loss and accuracy; with classes > 0 also the confusion matrix over that many classes.
  Evaluation evaluate(const Tensor& inputs, const Tensor& targets, int classes = 0);

  long dead_links() const { return optimizer_.dead_links(); }  // weights L1 set to 0 for good
  int epochs() const { return epoch_; }
  long steps() const { return steps_; }
  long examples() const { return examples_; }  // rows trained on since the last reset

 private:
  nn::Network& network_;
  nn::Loss loss_;
  nn::Optimizer optimizer_;
  int batch_size_;
  nn::Workspace batch_ws_, eval_ws_;
  Tensor batch_targets_;
  std::vector<int> order_;
  Rng rng_;
  int cursor_ = 0;
  int epoch_ = 0;
  long steps_ = 0;
  long examples_ = 0;
};

}  // namespace netlens::train
