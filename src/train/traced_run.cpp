#include "train/traced_run.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "data/synthetic2d.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::train {

namespace {

void check_range(double v, double lo, double hi, const std::string& field) {
  if (!(v >= lo && v <= hi)) {
    auto text = [](double x) {
      std::string s = std::to_string(x);
      s.erase(s.find_last_not_of('0') + 1);
      if (s.back() == '.') s.pop_back();
      return s;
    };
    throw Error(field, "must be " + text(lo) + ".." + text(hi) + ", got " + text(v));
  }
}

CustomPoints custom_points(const TracedRunSpec& spec) {
  if (spec.dataset == "xor4") return {data::xor4_points(), {}};
  return {};
}

}  // namespace

void validate(const TracedRunSpec& s) {
  if (s.dataset != "xor4") {
    const auto& set = data::find_synthetic2d(s.dataset, "dataset");
    if (set.problem != data::Problem::Classification || set.classes != 2)
      throw Error("dataset", "must be xor4 or a two-class set, got '" + s.dataset + "'");
  }
  check_range(s.noise, 0, 50, "noise");
  check_range(s.num_samples, TracedRunLimits::kMinSamples, TracedRunLimits::kMaxSamples, "num_samples");
  if (s.hidden.empty() || s.hidden.size() > TracedRunLimits::kMaxHiddenLayers)
    throw Error("hidden", "must list 1.." + std::to_string(TracedRunLimits::kMaxHiddenLayers) +
                              " hidden layers, got " + std::to_string(s.hidden.size()));
  for (std::size_t i = 0; i < s.hidden.size(); ++i)
    check_range(s.hidden[i], 1, TracedRunLimits::kMaxUnits, "hidden[" + std::to_string(i) + "]");
  if (s.loss == nn::Loss::SoftmaxCrossEntropy)
    throw Error("loss", "must be squared_error or binary_cross_entropy, got softmax_cross_entropy");
  if (!(s.learning_rate > 0 && s.learning_rate <= TracedRunLimits::kMaxLearningRate))
    throw Error("learning_rate", "must be above 0 and at most 10, got " + std::to_string(s.learning_rate));
  check_range(s.epochs, 1, TracedRunLimits::kMaxEpochs, "epochs");
  check_range(s.refresh, 1, s.epochs, "refresh");
  if (s.epochs / s.refresh > TracedRunLimits::kMaxRecords)
    throw Error("refresh", "must be at least epochs / " + std::to_string(TracedRunLimits::kMaxRecords) + " = " +
                               std::to_string((s.epochs + TracedRunLimits::kMaxRecords - 1) / TracedRunLimits::kMaxRecords) +
                               " (at most " + std::to_string(TracedRunLimits::kMaxRecords) + " records), got " +
                               std::to_string(s.refresh));
}

RunSpec playground_spec(const TracedRunSpec& s) {
  RunSpec r;
  r.dataset = s.dataset == "xor4" ? "xor" : s.dataset;  // xor4's points come as uploaded ones
  r.noise = s.noise;
  r.num_samples = s.num_samples;
  r.data_seed = s.data_seed;
  r.train_ratio = 1.0;  // every point trains; there is no test set
  r.hidden_layers.clear();
  for (int units : s.hidden) r.hidden_layers.push_back({units, s.activation});
  r.loss = s.loss;
  r.optimizer = nn::OptimizerKind::SGD;
  r.learning_rate = s.learning_rate;
  r.batch_size = s.dataset == "xor4" ? 4 : s.num_samples;
  r.seed = s.seed;
  return r;
}

TracedRun::TracedRun(const TracedRunSpec& spec)
    : spec_((validate(spec), spec)),
      session_(playground_spec(spec_), custom_points(spec_)),
      gradient_ws_(session_.network().make_workspace(session_.train_set().size())) {
  record();
}

bool TracedRun::advance() {
  if (finished()) return false;
  const int target = std::min(spec_.epochs, session_.epoch() + spec_.refresh);
  while (session_.epoch() < target) session_.train_epoch();
  record();
  return true;
}

void TracedRun::record() {
  const Dataset& set = session_.train_set();
  TraceRecord r;
  r.epoch = session_.epoch();
  r.gradient_norms = layer_gradient_norms(session_.network(), gradient_ws_, set, spec_.loss);
  // The forward pass of the gradient left the outputs for every point in the workspace.
  const int n = set.size();
  const float* z = gradient_ws_.output().data();
  r.loss = nn::loss_sum(spec_.loss, z, set.targets.data(), n, 1) / n;
  int correct = 0;
  for (int i = 0; i < n; ++i)
    correct += nn::output_class(spec_.loss, z + i, 1) == nn::target_class(spec_.loss, set.targets.data() + i, 1);
  r.accuracy = double(correct) / n;
  r.params = flat_params(session_.network());
  trace_.push_back(std::move(r));
}

std::vector<float> flat_params(nn::Network& network) {
  std::vector<float> values;
  for (const auto& p : network.params()) values.insert(values.end(), p.value->values().begin(), p.value->values().end());
  return values;
}

void load_flat_params(nn::Network& network, const std::vector<float>& values) {
  std::size_t at = 0;
  for (const auto& p : network.params()) {
    std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(at), p.value->size(), p.value->data());
    at += p.value->size();
  }
}

std::vector<double> layer_gradient_norms(nn::Network& network, nn::Workspace& ws, const Dataset& set, nn::Loss loss) {
  const int n = set.size();
  std::copy_n(set.inputs.data(), set.inputs.size(), ws.input().data());
  const Tensor& out = network.forward(ws, n);
  const int k = set.targets.dim(1);
  nn::loss_gradient(loss, out.data(), set.targets.data(), n, k, 1.0f / static_cast<float>(n), ws.output_grad().data());
  network.backward(ws, n);
  std::vector<double> norms;
  for (std::size_t i = 0; i < network.size(); ++i) {
    auto* dense = dynamic_cast<nn::Dense*>(&network.layer(i));
    if (!dense) continue;
    double sum = 0;
    for (const auto& p : dense->params())
      for (float g : p.grad->values()) sum += double(g) * g;
    norms.push_back(std::sqrt(sum));
  }
  return norms;
}

}  // namespace netlens::train
