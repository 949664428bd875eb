#include "train/trainer.hpp"

#include <algorithm>
#include <numeric>

#include "core/parallel.hpp"

namespace netlens::train {

namespace {
constexpr std::size_t kMinGatherFloats = 32768;  // floats per thread before a batch's copy is shared

std::size_t row_size(const Tensor& t) { return t.size() / static_cast<std::size_t>(t.dim(0)); }

Shape batch_shape(const Shape& per_sample, int batch) {
  Shape s{batch};
  s.insert(s.end(), per_sample.begin(), per_sample.end());
  return s;
}
}  // namespace

Trainer::Trainer(nn::Network& network, nn::Loss loss, const nn::OptimizerConfig& optimizer, int batch_size,
                 int rows, std::uint64_t seed)
    : network_(network),
      loss_(loss),
      optimizer_(optimizer, network.params()),
      batch_size_(batch_size),
      batch_ws_(network.make_workspace(batch_size)),
      eval_ws_(network.make_workspace(kEvalChunk)),
      batch_targets_(batch_shape(network.output_shape(), batch_size)),
      order_(static_cast<std::size_t>(rows)),
      rng_(seed) {
  reset(seed);
}

void Trainer::reset(std::uint64_t seed) {
  optimizer_.reset();
  rng_ = Rng(seed);
  std::iota(order_.begin(), order_.end(), 0);
  cursor_ = static_cast<int>(order_.size());  // the next step shuffles and starts an epoch
  epoch_ = 0;
  steps_ = 0;
  examples_ = 0;
}

void Trainer::configure(const nn::OptimizerConfig& optimizer, int batch_size) {
  optimizer_.configure(optimizer);
  if (batch_size == batch_size_) return;
  batch_size_ = batch_size;
  batch_ws_ = network_.make_workspace(batch_size);
  batch_targets_ = Tensor(batch_shape(network_.output_shape(), batch_size));
}

void Trainer::set_rows(int rows) {
  order_.resize(static_cast<std::size_t>(rows));
  std::iota(order_.begin(), order_.end(), 0);
  cursor_ = rows;
}

void Trainer::step(const Tensor& inputs, const Tensor& targets) {
  if (cursor_ >= static_cast<int>(order_.size())) {
    rng_.shuffle(order_);
    cursor_ = 0;
  }
  const int batch = std::min(batch_size_, static_cast<int>(order_.size()) - cursor_);
  const std::size_t in = row_size(inputs), k = row_size(targets);
  float* x = batch_ws_.input().data();
  float* t = batch_targets_.data();
  const int* rows = order_.data() + cursor_;
  parallel::parallel_for(batch, kMinGatherFloats / (in + k) + 1, [&](std::size_t r0, std::size_t r1) {
    for (std::size_t r = r0; r < r1; ++r) {
      const auto row = static_cast<std::size_t>(rows[r]);
      std::copy_n(inputs.data() + row * in, in, x + r * in);
      std::copy_n(targets.data() + row * k, k, t + r * k);
    }
  });
  network_.set_training(true);
  const Tensor& out = network_.forward(batch_ws_, batch);
  nn::loss_gradient(loss_, out.data(), t, batch, static_cast<int>(k), 1.0f / static_cast<float>(batch),
                    batch_ws_.output_grad().data());
  network_.backward(batch_ws_, batch);
  network_.set_training(false);  // every other forward (evaluation, probes) runs in evaluation mode
  optimizer_.step();

  cursor_ += batch;
  ++steps_;
  examples_ += batch;
  if (cursor_ >= static_cast<int>(order_.size())) ++epoch_;
}

void Trainer::epoch(const Tensor& inputs, const Tensor& targets) {
  const int target = epoch_ + 1;
  while (epoch_ < target) step(inputs, targets);
}

Evaluation Trainer::evaluate(const Tensor& inputs, const Tensor& targets, int classes) {
  const int n = inputs.dim(0);
  const std::size_t in = row_size(inputs);
  const int k = static_cast<int>(row_size(targets));
  double loss = 0;
  long correct = 0;
  Evaluation e;
  if (classes > 0) e.confusion.assign(static_cast<std::size_t>(classes), std::vector<int>(static_cast<std::size_t>(classes)));
  for (int start = 0; start < n; start += kEvalChunk) {
    const int rows = std::min(kEvalChunk, n - start);
    std::copy_n(inputs.data() + start * in, rows * in, eval_ws_.input().data());
    const Tensor& out = network_.forward(eval_ws_, rows);
    const float* t = targets.data() + static_cast<std::size_t>(start) * k;
    loss += nn::loss_sum(loss_, out.data(), t, rows, k);
    for (int r = 0; r < rows; ++r) {
      const int predicted = nn::output_class(loss_, out.data() + r * k, k);
      const int target = nn::target_class(loss_, t + r * k, k);
      correct += predicted == target;
      if (classes > 0) ++e.confusion[static_cast<std::size_t>(target)][static_cast<std::size_t>(predicted)];
    }
  }
  e.loss = n ? loss / n : 0.0;
  e.accuracy = n ? double(correct) / n : 0.0;
  return e;
}

}  // namespace netlens::train
