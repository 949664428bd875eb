#include "train/session.hpp"

#include <algorithm>
#include <cmath>

#include "core/vmath.hpp"

#include "nn/mlp.hpp"

namespace netlens::train {

namespace {

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
  std::vector<nn::DenseSpec> layers;
  for (const auto& l : s.hidden_layers) layers.push_back({l.units, l.activation});
  const bool tanh_output = s.problem == data::Problem::Classification && s.loss == nn::Loss::SquaredError;
  layers.push_back({output_units(s), tanh_output ? nn::Activation::Tanh : nn::Activation::Linear});
  return nn::build_mlp(static_cast<int>(s.features.size()), layers);
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

// The data is generated from the seed, shuffled and split like the Playground does it.
std::pair<Dataset, Dataset> make_split(const RunSpec& s) {
  Rng rng(s.seed);
  auto points = data::find_synthetic2d(s.dataset, "dataset").generate(s.num_samples, s.noise / 100.0, rng);
  rng.shuffle(points);
  const auto n_train = std::lround(static_cast<double>(points.size()) * s.train_ratio);
  return {make_dataset(s, {points.begin(), points.begin() + n_train}),
          make_dataset(s, {points.begin() + n_train, points.end()})};
}

}  // namespace

Session::Session(RunSpec spec) : Session(spec, make_split(spec)) {}

// build_network's layers, counted: each Dense (and its activation) keeps its outputs and their
// gradients per row of each workspace (a training batch and an evaluation chunk); parameters
// come with a gradient and the optimizer's moments.
std::size_t Session::estimate_bytes(const RunSpec& s) {
  const std::size_t features = s.features.size(), outputs = static_cast<std::size_t>(output_units(s));
  std::vector<std::size_t> widths{features};
  for (const auto& l : s.hidden_layers) widths.push_back(static_cast<std::size_t>(l.units));
  widths.push_back(outputs);
  std::size_t params = 0, row = features;
  for (std::size_t i = 1; i < widths.size(); ++i) {
    params += widths[i - 1] * widths[i] + widths[i];
    row += 2 * widths[i];
  }
  const std::size_t moments = s.optimizer == nn::OptimizerKind::Adam ? 2 : s.optimizer == nn::OptimizerKind::Momentum ? 1 : 0;
  const auto rows = static_cast<std::size_t>(s.num_samples);
  const std::size_t floats = params * (2 + moments) +
                             2 * row * static_cast<std::size_t>(s.batch_size + Trainer::kEvalChunk) +
                             rows * (features + outputs) + static_cast<std::size_t>(s.batch_size) * outputs;
  // Points are generated, then copied into the two sets; the batch order is an int per row.
  const std::size_t bytes = floats * sizeof(float) + rows * (2 * sizeof(data::Point2D) + sizeof(int));
  return bytes + bytes / 4 + (64 << 10);  // allocator rounding, layer objects
}

Session::Session(RunSpec spec, std::pair<Dataset, Dataset> split)
    : spec_(std::move(spec)),
      train_(std::move(split.first)),
      test_(std::move(split.second)),
      network_(build_network(spec_)),
      trainer_(network_, spec_.loss, optimizer_config(spec_), spec_.batch_size, train_.size(), spec_.seed + 2) {
  initialize_weights();
}

void Session::initialize_weights() {
  // A stream of its own (seed + 1), so the weights do not depend on how many points were drawn.
  Rng rng(spec_.seed + 1);
  nn::init_weights(network_, rng);
}

void Session::reset() {
  initialize_weights();
  trainer_.reset(spec_.seed + 2);
}

void Session::train_step() { trainer_.step(train_.inputs, train_.targets); }

void Session::train_epoch() { trainer_.epoch(train_.inputs, train_.targets); }

void Session::display_outputs(const float* z, int points, float* values) const {
  switch (spec_.loss) {
    case nn::Loss::SquaredError:
      std::copy_n(z, points, values);
      break;
    case nn::Loss::BinaryCrossEntropy:
      for (int i = 0; i < points; ++i) values[i] = vmath::tanh(0.5f * z[i]);
      break;
    case nn::Loss::SoftmaxCrossEntropy:
      for (int i = 0; i < points; ++i) values[i] = vmath::tanh(0.5f * (z[points + i] - z[i]));
      break;
  }
}

Metrics Session::evaluate() {
  const Evaluation train = trainer_.evaluate(train_.inputs, train_.targets);
  const Evaluation test = trainer_.evaluate(test_.inputs, test_.targets);
  Metrics m;
  m.epoch = epoch();
  m.train_loss = train.loss;
  m.test_loss = test.loss;
  if (spec_.problem == data::Problem::Classification) {
    m.train_accuracy = train.accuracy;
    m.test_accuracy = test.accuracy;
  }
  return m;
}

}  // namespace netlens::train
