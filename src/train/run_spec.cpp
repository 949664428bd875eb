#include "train/run_spec.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/json_fields.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

std::vector<HiddenLayer> read_hidden_layers(const Fields& spec, nn::Activation fallback) {
  const json& v = spec.array("hidden_layers");
  if (v.size() > Limits::kMaxHiddenLayers)
    throw Error("hidden_layers", "at most " + std::to_string(Limits::kMaxHiddenLayers) + " layers, got " +
                                     std::to_string(v.size()));
  std::vector<HiddenLayer> layers;
  for (std::size_t i = 0; i < v.size(); ++i)
    layers.push_back(read_object(v[i], "hidden_layers[" + std::to_string(i) + "]", [&](const Fields& f) {
      HiddenLayer layer{f.integer("units", 1, Limits::kMaxUnits), fallback};
      if (auto a = f.optional_string("activation")) layer.activation = nn::parse_activation(*a, f.path("activation"));
      return layer;
    }));
  return layers;
}

std::vector<data::Feature> read_features(const Fields& spec) {
  const json& v = spec.array("features");
  if (v.empty()) throw Error("features", "must be a non-empty array of feature names");
  std::vector<data::Feature> features;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string path = "features[" + std::to_string(i) + "]";
    if (!v[i].is_string()) throw Error(path, "must be a string, got " + json_kind(v[i]));
    const auto f = data::parse_feature(v[i].get<std::string>(), path);
    for (auto g : features)
      if (g == f) throw Error(path, "feature '" + std::string(data::feature_name(f)) + "' is listed twice");
    features.push_back(f);
  }
  return features;
}

template <class T>
void read_into(T& value, const std::optional<T>& given) {
  if (given) value = *given;
}

}  // namespace

RunSpec parse_run_spec(const json& j, const RunSpec& base) {
  if (!j.is_object()) throw Error("spec", "must be a JSON object, got " + json_kind(j));
  const Fields f(j, "");
  RunSpec s = base;
  // "activation" is the default for hidden layers without their own, so it is read first.
  std::optional<nn::Activation> activation;
  if (auto a = f.optional_string("activation")) activation = nn::parse_activation(*a, "activation");
  if (activation)
    for (auto& l : s.hidden_layers) l.activation = *activation;

  if (auto d = f.optional_string("dataset")) {
    data::find_synthetic2d(*d, "dataset");
    s.dataset = *d;
  }
  read_into(s.noise, f.optional_number("noise", 0, Limits::kMaxNoise));
  read_into(s.train_ratio, f.optional_number("train_ratio", 0.1, 0.9));
  const auto samples = f.optional_integer("num_samples", Limits::kMinSamples, Limits::kMaxSamples);
  read_into(s.num_samples, samples);
  if (f.has("features")) s.features = read_features(f);
  if (f.has("hidden_layers")) s.hidden_layers = read_hidden_layers(f, activation.value_or(nn::Activation::Tanh));
  if (auto i = f.optional_string("init")) s.init = nn::parse_weight_init(*i, "init");
  const auto problem = f.optional_string("problem");
  if (problem && *problem != "classification" && *problem != "regression")
    throw Error("problem", "unknown problem '" + excerpt(*problem) + "' (known: classification, regression)");
  if (auto l = f.optional_string("loss")) s.loss = nn::parse_loss(*l, "loss");
  if (auto o = f.optional_string("optimizer")) s.optimizer = nn::parse_optimizer(*o, "optimizer");
  read_into(s.learning_rate, f.optional_number("learning_rate", 0, Limits::kMaxLearningRate));
  if (s.learning_rate == 0) throw Error("learning_rate", "must be greater than 0");
  read_into(s.momentum, f.optional_number("momentum", 0, 0.999));
  if (auto r = f.optional_string("regularization")) s.regularization = nn::parse_regularization(*r, "regularization");
  read_into(s.regularization_rate, f.optional_number("regularization_rate", 0, Limits::kMaxRegularizationRate));
  read_into(s.batch_size, f.optional_integer("batch_size", 1, Limits::kMaxBatch));
  read_into(s.seed, f.optional_seed("seed"));
  read_into(s.data_seed, f.optional_seed("data_seed"));
  f.refuse_unknown();

  // Cross-field rules: the data set decides the problem; the loss must fit the problem.
  const auto& set = data::find_synthetic2d(s.dataset, "dataset");
  const auto problem_of = [](const std::string& p) {
    return p == "classification" ? data::Problem::Classification : data::Problem::Regression;
  };
  if (problem && problem_of(*problem) != set.problem)
    throw Error("problem", "data set '" + s.dataset + "' is a " +
                               (set.problem == data::Problem::Regression ? "regression" : "classification") +
                               " set");
  if (j.contains("dataset") && !samples && set.problem != s.problem)
    s.num_samples = set.problem == data::Problem::Regression ? 1200 : 500;
  s.problem = set.problem;
  if (s.problem == data::Problem::Regression && s.loss != nn::Loss::SquaredError)
    throw Error("loss", "regression needs squared_error, got " + std::string(nn::loss_name(s.loss)));
  // More than two classes need one logit per class: softmax_cross_entropy, chosen when the
  // spec names no loss.
  if (set.classes > 2 && s.loss != nn::Loss::SoftmaxCrossEntropy) {
    if (j.contains("loss"))
      throw Error("loss", "data set '" + s.dataset + "' has " + std::to_string(set.classes) +
                              " classes and needs softmax_cross_entropy, got " + std::string(nn::loss_name(s.loss)));
    s.loss = nn::Loss::SoftmaxCrossEntropy;
  }
  if (s.batch_size > s.num_samples * s.train_ratio)
    throw Error("batch_size", "must be at most the number of training points (" +
                                  std::to_string(static_cast<int>(s.num_samples * s.train_ratio)) + "), got " +
                                  std::to_string(s.batch_size));
  return s;
}

RunSpec load_run_spec(const std::string& path) {
  const json j = read_json_file(path, "spec file");
  try {
    return parse_run_spec(j);
  } catch (const Error& e) {
    throw Error(path, e.what());
  }
}

json to_json(const RunSpec& s) {
  json features = json::array();
  for (auto f : s.features) features.push_back(std::string(data::feature_name(f)));
  json layers = json::array();
  for (const auto& l : s.hidden_layers)
    layers.push_back({{"units", l.units}, {"activation", std::string(nn::activation_name(l.activation))}});
  return {
      {"dataset", s.dataset},
      {"noise", s.noise},
      {"train_ratio", s.train_ratio},
      {"num_samples", s.num_samples},
      {"features", features},
      {"hidden_layers", layers},
      {"init", std::string(nn::weight_init_name(s.init))},
      {"problem", s.problem == data::Problem::Regression ? "regression" : "classification"},
      {"loss", std::string(nn::loss_name(s.loss))},
      {"optimizer", std::string(nn::optimizer_name(s.optimizer))},
      {"learning_rate", s.learning_rate},
      {"momentum", s.momentum},
      {"regularization", std::string(nn::regularization_name(s.regularization))},
      {"regularization_rate", s.regularization_rate},
      {"batch_size", s.batch_size},
      {"seed", s.seed},
      {"data_seed", s.data_seed},
  };
}

int num_classes(const RunSpec& spec) { return data::find_synthetic2d(spec.dataset, "dataset").classes; }

void copy_training_settings(const RunSpec& from, RunSpec& to) {
  to.learning_rate = from.learning_rate;
  to.optimizer = from.optimizer;
  to.momentum = from.momentum;
  to.regularization = from.regularization;
  to.regularization_rate = from.regularization_rate;
  to.batch_size = from.batch_size;
}

bool same_data_and_network(const RunSpec& a, const RunSpec& b) {
  RunSpec same = a;
  copy_training_settings(b, same);
  return to_json(same) == to_json(b);
}

int output_units(const RunSpec& spec) {
  return spec.loss == nn::Loss::SoftmaxCrossEntropy ? std::max(2, num_classes(spec)) : 1;
}

}  // namespace netlens::train
