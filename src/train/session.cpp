#include "train/session.hpp"

#include <algorithm>
#include <cmath>

#include "core/vmath.hpp"

#include "nn/mlp.hpp"

namespace netlens::train {

namespace {

int output_units(const RunSpec& s) {
  return s.loss == nn::Loss::SoftmaxCrossEntropy ? std::max(2, num_classes(s)) : 1;
}

// The target row of a point for the spec's loss: the label itself for squared error (-1/+1 or
// the regression value), 0/1 for binary cross-entropy, one-hot for softmax cross-entropy (class
// 1 is the label +1 of a binary set; a k-class set's label is its class).
void encode_target(const RunSpec& s, float label, float* t) {
  switch (s.loss) {
    case nn::Loss::SquaredError: t[0] = label; break;
    case nn::Loss::BinaryCrossEntropy: t[0] = label > 0 ? 1.0f : 0.0f; break;
    case nn::Loss::SoftmaxCrossEntropy: {
      const int k = output_units(s);
      const int c = k > 2 ? static_cast<int>(label) : label > 0;
      for (int j = 0; j < k; ++j) t[j] = j == c ? 1.0f : 0.0f;
      break;
    }
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
    case nn::Loss::SoftmaxCrossEntropy: {
      const int k = network_.output_shape()[0];
      if (k == 2) {
        for (int i = 0; i < points; ++i) values[i] = vmath::tanh(0.5f * (z[points + i] - z[i]));
        break;
      }
      // 2 p_max - 1 with p_max = 1 / sum_j exp(z_j - z_max): the predicted class's confidence.
      for (int i = 0; i < points; ++i) {
        float z_max = z[i];
        for (int j = 1; j < k; ++j) z_max = std::max(z_max, z[j * points + i]);
        float sum = 0;
        for (int j = 0; j < k; ++j) sum += std::exp(z[j * points + i] - z_max);
        values[i] = 2.0f / sum - 1.0f;
      }
      break;
    }
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
