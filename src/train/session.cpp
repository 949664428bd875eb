#include "train/session.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "nn/layers/dense.hpp"

namespace netlens::train {

namespace {

constexpr int kEvalChunk = 1024;  // rows evaluated per forward pass when measuring a whole set

int output_units(const RunSpec& s) { return s.loss == nn::Loss::SoftmaxCrossEntropy ? 2 : 1; }

// The target row of a point for the spec's loss: the label itself for squared error (-1/+1 or
// the regression value), 0/1 for binary cross-entropy, one-hot for softmax cross-entropy.
void encode_target(const RunSpec& s, float label, float* t) {
  switch (s.loss) {
    case nn::Loss::SquaredError: t[0] = label; break;
    case nn::Loss::BinaryCrossEntropy: t[0] = label > 0 ? 1.0f : 0.0f; break;
    case nn::Loss::SoftmaxCrossEntropy:
      t[0] = label > 0 ? 0.0f : 1.0f;
      t[1] = label > 0 ? 1.0f : 0.0f;
      break;
  }
}

Dataset make_dataset(const RunSpec& s, std::vector<data::Point2D> points) {
  Dataset d;
  const int n = static_cast<int>(points.size());
  const int f = static_cast<int>(s.features.size());
  const int k = output_units(s);
  d.inputs = Tensor({n, f});
  d.targets = Tensor({n, k});
  for (int i = 0; i < n; ++i) {
    data::compute_features(s.features, points[i].x1, points[i].x2, d.inputs.data() + i * f);
    encode_target(s, points[i].label, d.targets.data() + i * k);
  }
  d.points = std::move(points);
  return d;
}

// Hidden layers as given; the output is tanh for classification with squared error (the
// Playground's), linear otherwise (logits for the cross-entropies, values for regression).
nn::Network build_network(const RunSpec& s) {
  nn::Network net({static_cast<int>(s.features.size())});
  int in = static_cast<int>(s.features.size());
  for (const auto& l : s.hidden_layers) {
    net.add(std::make_unique<nn::Dense>(in, l.units));
    net.add(std::make_unique<nn::ActivationLayer>(l.activation));
    in = l.units;
  }
  net.add(std::make_unique<nn::Dense>(in, output_units(s)));
  if (s.problem == data::Problem::Classification && s.loss == nn::Loss::SquaredError)
    net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::Tanh));
  return net;
}

nn::OptimizerConfig optimizer_config(const RunSpec& s) {
  nn::OptimizerConfig c;
  c.kind = s.optimizer;
  c.learning_rate = static_cast<float>(s.learning_rate);
  c.momentum = static_cast<float>(s.momentum);
  c.regularization = s.regularization;
  c.regularization_rate = static_cast<float>(s.regularization_rate);
  return c;
}

}  // namespace

Session::Session(RunSpec spec)
    : spec_(std::move(spec)),
      network_(build_network(spec_)),
      optimizer_(optimizer_config(spec_), network_.params()),
      order_rng_(spec_.seed) {
  // The data: generated from the seed, shuffled, then split like the Playground does.
  Rng data_rng(spec_.seed);
  const auto& set = data::find_synthetic2d(spec_.dataset, "dataset");
  auto points = set.generate(spec_.num_samples, spec_.noise / 100.0, data_rng);
  data_rng.shuffle(points);
  const auto n_train = static_cast<std::size_t>(std::lround(points.size() * spec_.train_ratio));
  train_ = make_dataset(spec_, {points.begin(), points.begin() + static_cast<long>(n_train)});
  test_ = make_dataset(spec_, {points.begin() + static_cast<long>(n_train), points.end()});

  batch_ws_ = network_.make_workspace(spec_.batch_size);
  eval_ws_ = network_.make_workspace(kEvalChunk);
  order_.resize(static_cast<std::size_t>(train_.size()));
  reset();
}

void Session::initialize_weights() {
  // A stream of its own (seed + 1), so the weights do not depend on how many points were drawn.
  Rng rng(spec_.seed + 1);
  for (std::size_t i = 0; i < network_.size(); ++i) {
    auto* dense = dynamic_cast<nn::Dense*>(&network_.layer(i));
    if (!dense) continue;
    // He for the ReLU family (the activation that follows), Xavier otherwise.
    auto init = nn::Init::Xavier;
    if (i + 1 < network_.size())
      if (auto* act = dynamic_cast<const nn::ActivationLayer*>(&network_.layer(i + 1)))
        if (act->activation() == nn::Activation::ReLU || act->activation() == nn::Activation::LeakyReLU)
          init = nn::Init::He;
    dense->init(init, rng);
  }
}

void Session::reset() {
  initialize_weights();
  optimizer_.reset();
  order_rng_ = Rng(spec_.seed + 2);
  std::iota(order_.begin(), order_.end(), 0);
  cursor_ = static_cast<int>(order_.size());  // the next step starts a new shuffled epoch
  epoch_ = 0;
  steps_ = 0;
}

void Session::load_batch(const Dataset& set, const int* rows, int batch) {
  const int f = set.inputs.dim(1);
  float* x = batch_ws_.input().data();
  for (int r = 0; r < batch; ++r) std::copy_n(set.inputs.data() + rows[r] * f, f, x + r * f);
}

void Session::train_step() {
  if (cursor_ >= static_cast<int>(order_.size())) {
    order_rng_.shuffle(order_);
    cursor_ = 0;
  }
  const int batch = std::min(spec_.batch_size, static_cast<int>(order_.size()) - cursor_);
  const int* rows = order_.data() + cursor_;
  load_batch(train_, rows, batch);
  const Tensor& out = network_.forward(batch_ws_, batch);

  // dL/d output of the batch mean, row by row since the batch's targets are scattered.
  const int k = train_.targets.dim(1);
  float* grad = batch_ws_.output_grad().data();
  for (int r = 0; r < batch; ++r)
    nn::loss_gradient(spec_.loss, out.data() + r * k, train_.targets.data() + rows[r] * k, 1, k,
                      1.0f / static_cast<float>(batch), grad + r * k);
  network_.backward(batch_ws_, batch);
  optimizer_.step();

  cursor_ += batch;
  ++steps_;
  if (cursor_ >= static_cast<int>(order_.size())) ++epoch_;
}

void Session::train_epoch() {
  const int target = epoch_ + 1;
  while (epoch_ < target) train_step();
}

float Session::display_output(const float* output) const {
  switch (spec_.loss) {
    case nn::Loss::SquaredError: return output[0];
    case nn::Loss::BinaryCrossEntropy: return std::tanh(0.5f * output[0]);
    case nn::Loss::SoftmaxCrossEntropy: return std::tanh(0.5f * (output[1] - output[0]));  // p1 - p0
  }
  return 0.0f;
}

double Session::set_loss(const Dataset& set, double* accuracy) {
  const int n = set.size(), f = set.inputs.dim(1), k = set.targets.dim(1);
  double loss = 0.0;
  int correct = 0;
  for (int start = 0; start < n; start += kEvalChunk) {
    const int rows = std::min(kEvalChunk, n - start);
    std::copy_n(set.inputs.data() + start * f, rows * f, eval_ws_.input().data());
    const Tensor& out = network_.forward(eval_ws_, rows);
    loss += nn::loss_sum(spec_.loss, out.data(), set.targets.data() + start * k, rows, k);
    for (int r = 0; r < rows; ++r)
      correct += (display_output(out.data() + r * k) >= 0.0f) == (set.points[start + r].label > 0);
  }
  if (accuracy) *accuracy = n ? double(correct) / n : 0.0;
  return n ? loss / n : 0.0;
}

Metrics Session::evaluate() {
  Metrics m;
  m.epoch = epoch_;
  double train_acc = 0, test_acc = 0;
  m.train_loss = set_loss(train_, &train_acc);
  m.test_loss = set_loss(test_, &test_acc);
  if (spec_.problem == data::Problem::Classification) {
    m.train_accuracy = train_acc;
    m.test_accuracy = test_acc;
  }
  return m;
}

}  // namespace netlens::train
