#include "train/run_spec.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

std::string type_name(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return "an integer";
  if (v.is_number()) return "a number";
  return std::string("a ") + v.type_name();
}

std::string quote(const json& v) { return excerpt(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

void expect(bool ok, const std::string& path, const std::string& what, const json& v) {
  if (!ok) throw Error(path, "must be " + what + ", got " + type_name(v) + " (" + quote(v) + ")");
}

double read_number(const json& v, const std::string& path, double lo, double hi) {
  expect(v.is_number(), path, "a number", v);
  const double x = v.get<double>();
  if (!(x >= lo && x <= hi)) {
    std::ostringstream msg;
    msg << "must be " << lo << ".." << hi << ", got " << quote(v);
    throw Error(path, msg.str());
  }
  return x;
}

int read_int(const json& v, const std::string& path, int lo, int hi) {
  const bool integral = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  expect(v.is_number() && integral, path, "an integer", v);
  return static_cast<int>(read_number(v, path, lo, hi));
}

std::string read_string(const json& v, const std::string& path) {
  expect(v.is_string(), path, "a string", v);
  return v.get<std::string>();
}

std::vector<HiddenLayer> read_hidden_layers(const json& v, nn::Activation fallback) {
  expect(v.is_array(), "hidden_layers", "an array of {\"units\": N, \"activation\": name}", v);
  if (v.size() > Limits::kMaxHiddenLayers)
    throw Error("hidden_layers", "at most " + std::to_string(Limits::kMaxHiddenLayers) + " layers, got " +
                                     std::to_string(v.size()));
  std::vector<HiddenLayer> layers;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string path = "hidden_layers[" + std::to_string(i) + "]";
    const json& l = v[i];
    expect(l.is_object(), path, "an object like {\"units\": 4}", l);
    HiddenLayer layer{0, fallback};
    if (!l.contains("units")) throw Error(path + ".units", "is required");
    for (const auto& [key, value] : l.items()) {
      if (key == "units")
        layer.units = read_int(value, path + ".units", 1, Limits::kMaxUnits);
      else if (key == "activation")
        layer.activation = nn::parse_activation(read_string(value, path + ".activation"), path + ".activation");
      else
        throw Error(path + "." + key, "unknown key (known: units, activation)");
    }
    layers.push_back(layer);
  }
  return layers;
}

}  // namespace

RunSpec parse_run_spec(const json& j, const RunSpec& base) {
  if (!j.is_object()) throw Error("spec", "must be a JSON object, got " + type_name(j));
  RunSpec s = base;
  bool problem_given = false, samples_given = false;
  // "activation" is the default for hidden layers without their own, so it is read first.
  std::optional<nn::Activation> activation;
  if (j.contains("activation")) activation = nn::parse_activation(read_string(j["activation"], "activation"), "activation");
  if (activation)
    for (auto& l : s.hidden_layers) l.activation = *activation;

  for (const auto& [key, v] : j.items()) {
    if (key == "dataset") {
      s.dataset = read_string(v, key);
      data::find_synthetic2d(s.dataset, key);
    } else if (key == "noise") {
      s.noise = read_number(v, key, 0, Limits::kMaxNoise);
    } else if (key == "train_ratio") {
      s.train_ratio = read_number(v, key, 0.1, 0.9);
    } else if (key == "num_samples") {
      s.num_samples = read_int(v, key, Limits::kMinSamples, Limits::kMaxSamples);
      samples_given = true;
    } else if (key == "features") {
      expect(v.is_array() && !v.empty(), key, "a non-empty array of feature names", v);
      s.features.clear();
      for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string path = key + "[" + std::to_string(i) + "]";
        const auto f = data::parse_feature(read_string(v[i], path), path);
        for (auto g : s.features)
          if (g == f) throw Error(path, "feature '" + std::string(data::feature_name(f)) + "' is listed twice");
        s.features.push_back(f);
      }
    } else if (key == "hidden_layers") {
      s.hidden_layers = read_hidden_layers(v, activation.value_or(nn::Activation::Tanh));
    } else if (key == "activation") {
      // read above
    } else if (key == "problem") {
      const std::string p = read_string(v, key);
      if (p != "classification" && p != "regression")
        throw Error(key, "unknown problem '" + excerpt(p) + "' (known: classification, regression)");
      s.problem = p == "classification" ? data::Problem::Classification : data::Problem::Regression;
      problem_given = true;
    } else if (key == "loss") {
      s.loss = nn::parse_loss(read_string(v, key), key);
    } else if (key == "optimizer") {
      s.optimizer = nn::parse_optimizer(read_string(v, key), key);
    } else if (key == "learning_rate") {
      s.learning_rate = read_number(v, key, 0, Limits::kMaxLearningRate);
      if (s.learning_rate == 0) throw Error(key, "must be greater than 0");
    } else if (key == "momentum") {
      s.momentum = read_number(v, key, 0, 0.999);
    } else if (key == "regularization") {
      s.regularization = nn::parse_regularization(read_string(v, key), key);
    } else if (key == "regularization_rate") {
      s.regularization_rate = read_number(v, key, 0, Limits::kMaxRegularizationRate);
    } else if (key == "batch_size") {
      s.batch_size = read_int(v, key, 1, Limits::kMaxBatch);
    } else if (key == "seed" || key == "data_seed") {
      expect(v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0), key,
             "a non-negative integer", v);
      (key == "seed" ? s.seed : s.data_seed) = v.get<std::uint64_t>();
    } else {
      throw Error(key, "unknown key (known: dataset, noise, train_ratio, num_samples, features, hidden_layers, "
                       "activation, problem, loss, optimizer, learning_rate, momentum, regularization, "
                       "regularization_rate, batch_size, seed, data_seed)");
    }
  }

  // Cross-field rules: the data set decides the problem; the loss must fit the problem.
  const auto& set = data::find_synthetic2d(s.dataset, "dataset");
  if (problem_given && s.problem != set.problem)
    throw Error("problem", "data set '" + s.dataset + "' is a " +
                               (set.problem == data::Problem::Regression ? "regression" : "classification") +
                               " set");
  if (j.contains("dataset") && !samples_given && set.problem != s.problem)
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

}  // namespace netlens::train
