#include "train/session.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/vmath.hpp"
#include "nn/layers/dense.hpp"

#include "nn/mlp.hpp"

namespace netlens::train {

namespace {

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

// The data is generated from the data seed (or uploaded), shuffled and split like the
// Playground does it; added points join the training set.
std::pair<Dataset, Dataset> make_split(const RunSpec& s, const CustomPoints& custom) {
  Rng rng(s.data_seed);
  auto points = custom.uploaded.empty()
                    ? data::find_synthetic2d(s.dataset, "dataset").generate(s.num_samples, s.noise / 100.0, rng)
                    : custom.uploaded;
  rng.shuffle(points);
  const auto n_train = std::lround(static_cast<double>(points.size()) * s.train_ratio);
  std::vector<data::Point2D> train(points.begin(), points.begin() + n_train);
  train.insert(train.end(), custom.added.begin(), custom.added.end());
  return {make_dataset(s, std::move(train)), make_dataset(s, {points.begin() + n_train, points.end()})};
}

nn::Dense& dense_layer(nn::Network& network, int index, const char* what) {
  int seen = 0;
  for (std::size_t i = 0; i < network.size(); ++i)
    if (auto* d = dynamic_cast<nn::Dense*>(&network.layer(i)); d && seen++ == index) return *d;
  throw Error(what, "no layer " + std::to_string(index) + " (the network has " + std::to_string(seen) +
                        " weight layers, 0.." + std::to_string(seen - 1) + ")");
}

}  // namespace

Session::Session(RunSpec spec, CustomPoints custom) : Session(spec, custom, make_split(spec, custom)) {}

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

Session::Session(RunSpec spec, CustomPoints custom, std::pair<Dataset, Dataset> split)
    : spec_(std::move(spec)),
      custom_(std::move(custom)),
      train_(std::move(split.first)),
      test_(std::move(split.second)),
      network_(build_network(spec_)),
      trainer_(network_, spec_.loss, optimizer_config(spec_), spec_.batch_size, train_.size(), spec_.seed + 2) {
  for (const auto& l : spec_.hidden_layers) pruned_.emplace_back(static_cast<std::size_t>(l.units), false);
  initialize_weights();
}

void Session::initialize_weights() {
  // A stream of its own (seed + 1), so the weights do not depend on how many points were drawn.
  Rng rng(spec_.seed + 1);
  nn::init_weights(network_, rng, spec_.init);
}

void Session::reset() {
  initialize_weights();
  trainer_.reset(spec_.seed + 2);
  for (auto& layer : pruned_) std::fill(layer.begin(), layer.end(), false);
  any_pruned_ = false;
}

void Session::train_step() {
  trainer_.step(train_.inputs, train_.targets);
  apply_pruning();
}

void Session::train_epoch() {
  if (!any_pruned_) return trainer_.epoch(train_.inputs, train_.targets);
  const int target = epoch() + 1;
  while (epoch() < target) train_step();
}

void Session::change_training(const RunSpec& next) {
  if (!same_data_and_network(spec_, next)) throw Error("spec", "changes the data or the network: start a new run");
  if (next.batch_size > train_.size())
    throw Error("batch_size", "must be at most the number of training points (" + std::to_string(train_.size()) +
                                  "), got " + std::to_string(next.batch_size));
  copy_training_settings(next, spec_);
  trainer_.configure(optimizer_config(spec_), spec_.batch_size);
}

void Session::add_point(const data::Point2D& point) {
  custom_.added.push_back(point);
  std::vector<data::Point2D> points = train_.points;
  points.push_back(point);
  train_ = make_dataset(spec_, std::move(points));
  trainer_.set_rows(train_.size());
}

void Session::set_param(int layer, int unit, int input, float value) {
  nn::Dense& dense = dense_layer(network_, layer, "layer");
  if (unit < 0 || unit >= dense.out())
    throw Error("unit", "must be 0.." + std::to_string(dense.out() - 1) + ", got " + std::to_string(unit));
  if (input < -1 || input >= dense.in())
    throw Error("input", "must be 0.." + std::to_string(dense.in() - 1) + " or -1 for the bias, got " +
                             std::to_string(input));
  if (!std::isfinite(value)) throw Error("value", "must be a finite number");
  if (input < 0)
    dense.bias()[static_cast<std::size_t>(unit)] = value;
  else
    dense.weight()[static_cast<std::size_t>(input) * dense.out() + unit] = value;
}

std::vector<int> Session::weakest_units(int layer, int count, PruneBy by) {
  if (layer < 0 || layer >= static_cast<int>(pruned_.size()))
    throw Error("layer", "must be a hidden layer, 0.." + std::to_string(static_cast<int>(pruned_.size()) - 1) +
                             ", got " + std::to_string(layer));
  const nn::Dense& in = dense_layer(network_, layer, "layer");
  const nn::Dense& out = dense_layer(network_, layer + 1, "layer");
  std::vector<double> strength(static_cast<std::size_t>(in.out()), 0.0);
  if (by == PruneBy::OutgoingWeight) {
    for (int u = 0; u < out.in(); ++u)
      for (int j = 0; j < out.out(); ++j) {
        const double w = out.weight()[static_cast<std::size_t>(u) * out.out() + j];
        strength[static_cast<std::size_t>(u)] += w * w;
      }
  } else {
    // Mean |activation| over the training set: the layer's output in a workspace of its own.
    nn::Workspace ws = network_.make_workspace(train_.size());
    std::copy_n(train_.inputs.data(), train_.inputs.size(), ws.input().data());
    network_.forward(ws, train_.size());
    int seen = -1;
    std::size_t act = 0;  // index in ws.acts of the layer's activated output
    for (std::size_t i = 0; i < network_.size(); ++i) {
      if (dynamic_cast<const nn::Dense*>(&network_.layer(i))) ++seen;
      if (seen == layer) act = i + 1;
      if (seen > layer) break;
    }
    const float* a = ws.acts[act].data();
    for (int r = 0; r < train_.size(); ++r)
      for (int u = 0; u < in.out(); ++u) strength[static_cast<std::size_t>(u)] += std::abs(a[r * in.out() + u]);
  }
  std::vector<int> candidates;
  for (int u = 0; u < in.out(); ++u)
    if (!pruned_[static_cast<std::size_t>(layer)][static_cast<std::size_t>(u)]) candidates.push_back(u);
  std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    return strength[static_cast<std::size_t>(a)] < strength[static_cast<std::size_t>(b)];
  });
  candidates.resize(std::min(candidates.size(), static_cast<std::size_t>(std::max(count, 0))));
  return candidates;
}

void Session::prune(int layer, const std::vector<int>& units) {
  if (layer < 0 || layer >= static_cast<int>(pruned_.size()))
    throw Error("layer", "must be a hidden layer, 0.." + std::to_string(static_cast<int>(pruned_.size()) - 1) +
                             ", got " + std::to_string(layer));
  auto& mask = pruned_[static_cast<std::size_t>(layer)];
  for (int u : units) {
    if (u < 0 || u >= static_cast<int>(mask.size()))
      throw Error("units", "must be 0.." + std::to_string(static_cast<int>(mask.size()) - 1) + ", got " +
                               std::to_string(u));
    mask[static_cast<std::size_t>(u)] = true;
    any_pruned_ = true;
  }
  apply_pruning();
}

// A pruned unit's outgoing weights are zeroed after every step, so it no longer contributes;
// its own heatmap still shows what it computes.
void Session::apply_pruning() {
  if (!any_pruned_) return;
  for (std::size_t l = 0; l < pruned_.size(); ++l) {
    nn::Dense& out = dense_layer(network_, static_cast<int>(l) + 1, "layer");
    for (std::size_t u = 0; u < pruned_[l].size(); ++u)
      if (pruned_[l][u]) std::fill_n(out.weight().data() + u * static_cast<std::size_t>(out.out()), out.out(), 0.0f);
  }
}

void Session::load_params(const std::vector<std::vector<float>>& values) {
  auto params = network_.params();
  if (values.size() != params.size())
    throw Error("params", "the network has " + std::to_string(params.size()) + " parameter tensors, got " +
                              std::to_string(values.size()));
  for (std::size_t i = 0; i < params.size(); ++i)
    if (values[i].size() != params[i].value->size())
      throw Error("params[" + std::to_string(i) + "]", "must hold " + std::to_string(params[i].value->size()) +
                                                           " values, got " + std::to_string(values[i].size()));
  for (std::size_t i = 0; i < params.size(); ++i) std::copy(values[i].begin(), values[i].end(), params[i].value->data());
}

void Session::display_outputs(const float* z, int points, float* values, int stride) const {
  if (stride == 0) stride = points;
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
        for (int i = 0; i < points; ++i) values[i] = vmath::tanh(0.5f * (z[stride + i] - z[i]));
        break;
      }
      // 2 p_max - 1 with p_max = 1 / sum_j exp(z_j - z_max): the predicted class's confidence.
      for (int i = 0; i < points; ++i) {
        float z_max = z[i];
        for (int j = 1; j < k; ++j) z_max = std::max(z_max, z[j * stride + i]);
        float sum = 0;
        for (int j = 0; j < k; ++j) sum += std::exp(z[j * stride + i] - z_max);
        values[i] = 2.0f / sum - 1.0f;
      }
      break;
    }
  }
}

Metrics Session::evaluate() {
  const bool classify = spec_.problem == data::Problem::Classification;
  const Evaluation train = trainer_.evaluate(train_.inputs, train_.targets);
  Evaluation test = trainer_.evaluate(test_.inputs, test_.targets, classify ? std::max(2, num_classes(spec_)) : 0);
  Metrics m;
  m.epoch = epoch();
  m.train_loss = train.loss;
  m.test_loss = test.loss;
  if (classify) {
    m.train_accuracy = train.accuracy;
    m.test_accuracy = test.accuracy;
    m.confusion = std::move(test.confusion);
  }
  return m;
}

}  // namespace netlens::train
