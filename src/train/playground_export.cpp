#include "train/playground_export.hpp"

#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::train {

using nlohmann::json;

namespace {

constexpr std::string_view kFormat = "netlens-playground";

// One Dense layer of a network and the activation after it ("linear" when none).
struct WeightLayer {
  const nn::Dense* dense;
  std::string_view activation;
};

std::vector<WeightLayer> weight_layers(const nn::Network& network) {
  std::vector<WeightLayer> layers;
  for (std::size_t i = 0; i < network.size(); ++i) {
    if (const auto* dense = dynamic_cast<const nn::Dense*>(&network.layer(i)))
      layers.push_back({dense, "linear"});
    else if (const auto* act = dynamic_cast<const nn::ActivationLayer*>(&network.layer(i)); act && !layers.empty())
      layers.back().activation = nn::activation_name(act->activation());
  }
  return layers;
}

// The weight layers of the spec's network as Session builds it: the hidden layers, then the
// output: 1 tanh unit for classification with squared error, a logit per class (at least 2)
// for softmax cross-entropy, 1 linear unit otherwise.
struct ExpectedLayer {
  int in, out;
  std::string_view activation;
};

std::vector<ExpectedLayer> expected_layers(const RunSpec& s) {
  std::vector<ExpectedLayer> layers;
  int in = static_cast<int>(s.features.size());
  for (const auto& l : s.hidden_layers) {
    layers.push_back({in, l.units, nn::activation_name(l.activation)});
    in = l.units;
  }
  const bool tanh_output = s.problem == data::Problem::Classification && s.loss == nn::Loss::SquaredError;
  layers.push_back({in, output_units(s), tanh_output ? "tanh" : "linear"});
  return layers;
}

// "1 number", "2 numbers"
std::string counted(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// A JSON value as an error message shows it, cut short when long.
std::string shown(const json& v) {
  constexpr std::size_t kMax = 60;
  const std::string s = v.dump();
  return s.size() > kMax ? s.substr(0, kMax) + "..." : s;
}

// A JSON number as float32; non-numbers and values beyond float's range are refused.
bool to_float(const json& v, float& out) {
  if (!v.is_number()) return false;
  const double d = v.get<double>();
  if (!(std::abs(d) <= std::numeric_limits<float>::max())) return false;
  out = static_cast<float>(d);
  return true;
}

std::vector<float> read_weights(const json& v, const std::string& path, int in, int out) {
  const auto rows = static_cast<std::size_t>(in), cols = static_cast<std::size_t>(out);
  const std::string shape = "must be " + counted(rows, "row") + " of " + counted(cols, "number");
  if (!v.is_array() || v.size() != rows) throw Error(path, shape);
  std::vector<float> w(rows * cols);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const json& row = v[i];
    if (!row.is_array() || row.size() != cols) throw Error(path, shape);
    for (std::size_t j = 0; j < row.size(); ++j)
      if (!to_float(row[j], w[i * cols + j]))
        throw Error(path, shape + " (float32), got " + shown(row[j]) + " at [" + std::to_string(i) + "][" +
                              std::to_string(j) + "]");
  }
  return w;
}

std::vector<float> read_bias(const json& v, const std::string& path, int out) {
  const std::string shape = "must be " + counted(static_cast<std::size_t>(out), "number");
  if (!v.is_array() || v.size() != static_cast<std::size_t>(out)) throw Error(path, shape);
  std::vector<float> b(v.size());
  for (std::size_t j = 0; j < v.size(); ++j)
    if (!to_float(v[j], b[j]))
      throw Error(path, shape + " (float32), got " + shown(v[j]) + " at [" + std::to_string(j) + "]");
  return b;
}

// --- PyTorch source ---

// A float32 as Python source that torch reads back as exactly that float32.
std::string py_float(float v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "-float('inf')";
  std::array<char, 32> buf;
  auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;  // shortest that round-trips float32
  std::string s(buf.data(), end);
  // Python reads a double and torch rounds that to float32, which for a few floats lands on the
  // neighbour (7.038531e-26 is one); those are written as their exact double instead.
  if (static_cast<float>(std::strtod(s.c_str(), nullptr)) != v) {
    end = std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<double>(v)).ptr;
    s.assign(buf.data(), end);
  }
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string py_feature(data::Feature f) {
  switch (f) {
    case data::Feature::X1: return "x1";
    case data::Feature::X2: return "x2";
    case data::Feature::X1Squared: return "x1 * x1";
    case data::Feature::X2Squared: return "x2 * x2";
    case data::Feature::X1X2: return "x1 * x2";
    case data::Feature::SinX1: return "torch.sin(x1)";
    case data::Feature::SinX2: return "torch.sin(x2)";
  }
  return "?";
}

// The torch module of an activation, by its netlens name ("" for linear); the constants are
// netlens's (kLeakyReLUSlope, kELUAlpha, GELU's tanh approximation).
std::string py_activation(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kModules{{
      {"linear", ""},
      {"relu", "nn.ReLU()"},
      {"tanh", "nn.Tanh()"},
      {"sigmoid", "nn.Sigmoid()"},
      {"leaky_relu", "nn.LeakyReLU(0.01)"},
      {"elu", "nn.ELU()"},
      {"softplus", "nn.Softplus()"},
      {"silu", "nn.SiLU()"},
      {"gelu", "nn.GELU(approximate='tanh')"},
      {"mish", "nn.Mish()"},
      {"sine", "Sine()"},
  }};
  for (const auto& [n, module] : kModules)
    if (n == name) return std::string(module);
  throw Error("activation", "no PyTorch module for '" + std::string(name) + "'");
}

std::string output_meaning(const RunSpec& s) {
  const std::string out = "# model(features(x)) is ";
  if (s.problem == data::Problem::Regression)
    return out + "the predicted value of each point (targets lie in [-1, 1]).\n";
  switch (s.loss) {
    case nn::Loss::SquaredError:
      return out + "a value in [-1, 1] per point: class +1 where it is > 0, class -1 elsewhere.\n";
    case nn::Loss::BinaryCrossEntropy:
      return out + "a logit per point: class +1 where it is > 0 (probability torch.sigmoid(logit)).\n";
    case nn::Loss::SoftmaxCrossEntropy:
      return out + "two logits per point (class -1, class +1): class +1 where the second is larger.\n";
  }
  return "";
}

}  // namespace

json export_model(const Session& session) {
  json layers = json::array();
  for (const auto& [dense, activation] : weight_layers(session.network())) {
    const std::size_t in = static_cast<std::size_t>(dense->in()), out = static_cast<std::size_t>(dense->out());
    const float* w = dense->weight().data();
    json rows = json::array();
    for (std::size_t i = 0; i < in; ++i) rows.push_back(std::vector<float>(w + i * out, w + (i + 1) * out));
    layers.push_back({{"in", dense->in()},
                      {"out", dense->out()},
                      {"activation", std::string(activation)},
                      {"weights", std::move(rows)},
                      {"bias", dense->bias().values()}});
  }
  return {{"format", std::string(kFormat)},
          {"version", kModelFormatVersion},
          {"epoch", session.epoch()},
          {"spec", to_json(session.spec())},
          {"layers", std::move(layers)}};
}

ImportedModel import_model(const json& j) {
  return read_object(j, "model", [](const Fields& f) {
    if (const std::string format = f.string("format"); format != kFormat)
      throw Error(f.path("format"), "must be \"" + std::string(kFormat) + "\", got " + shown(f.at("format")));
    if (const int version = f.integer("version", INT_MIN); version != kModelFormatVersion)
      throw Error(f.path("version"), "unknown version " + std::to_string(version) + " (this netlens reads " +
                                         std::to_string(kModelFormatVersion) + ")");
    ImportedModel model{RunSpec{}, {}, f.integer("epoch")};
    const json& spec = f.at("spec");
    if (!spec.is_object()) throw Error(f.path("spec"), "must be an object, got " + json_kind(spec));
    try {
      model.spec = parse_run_spec(spec);
    } catch (const Error& e) {
      throw Error(f.path("spec") + "." + e.what());  // e.what() is "field: reason"
    }

    const json& layers = f.array("layers");
    const auto expected = expected_layers(model.spec);
    if (layers.size() != expected.size())
      throw Error(f.path("layers"), "the spec's network has " + std::to_string(expected.size()) + " weight layers, got " +
                                        std::to_string(layers.size()));
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const ExpectedLayer& e = expected[i];
      const Fields l(layers[i], f.path("layers") + "[" + std::to_string(i) + "]");
      const auto check_size = [&](const char* key, int size) {
        if (const int given = l.integer(key); given != size)
          throw Error(l.path(key), "must be " + std::to_string(size) + " (the spec's network), got " + std::to_string(given));
      };
      check_size("in", e.in);
      check_size("out", e.out);
      if (l.string("activation") != e.activation)
        throw Error(l.path("activation"), "must be \"" + std::string(e.activation) + "\" (the spec's network), got " +
                                              shown(l.at("activation")));
      model.params.push_back(read_weights(l.at("weights"), l.path("weights"), e.in, e.out));
      model.params.push_back(read_bias(l.at("bias"), l.path("bias"), e.out));
      l.refuse_unknown();
    }
    return model;
  });
}

std::string pytorch_snippet(const Session& session) {
  const RunSpec& spec = session.spec();
  const auto layers = weight_layers(session.network());

  std::string names, exprs;
  for (auto f : spec.features) {
    names += (names.empty() ? "" : ", ") + std::string(data::feature_name(f));
    exprs += (exprs.empty() ? "" : ", ") + py_feature(f);
  }
  const std::string data =
      session.custom_points().uploaded.empty() ? "data set '" + spec.dataset + "'" : "uploaded points";
  std::string py =
      "# A netlens Playground network (" + data + ", epoch " + std::to_string(session.epoch()) + ") in PyTorch.\n";
  py += "import torch\nfrom torch import nn\n\n\n";
  py += "def features(x):\n";
  py += "    \"\"\"(N, 2) points (x1, x2) in [-6, 6]^2 -> (N, " + std::to_string(spec.features.size()) +
        ") network inputs: " + names + ".\"\"\"\n";
  py += "    x1, x2 = x[:, 0], x[:, 1]\n";
  py += "    return torch.stack([" + exprs + "], dim=1)\n\n\n";
  bool uses_sine = false;
  for (const auto& l : layers) uses_sine = uses_sine || l.activation == "sine";
  if (uses_sine) py += "class Sine(nn.Module):\n    def forward(self, x):\n        return torch.sin(x)\n\n\n";

  // nn.Sequential numbers its modules: the index of each Linear, for the weights below.
  std::vector<int> index;
  int modules = 0;
  py += "model = nn.Sequential(\n";
  for (const auto& l : layers) {
    const std::string act = py_activation(l.activation);
    py += "    nn.Linear(" + std::to_string(l.dense->in()) + ", " + std::to_string(l.dense->out()) + ")," +
          (act.empty() ? "" : " " + act + ",") + "\n";
    index.push_back(modules);
    modules += act.empty() ? 1 : 2;
  }
  py += ")\n\n# torch's Linear weight is (out, in): row j holds the weights into unit j.\n";
  py += "with torch.no_grad():\n";
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const nn::Dense& d = *layers[k].dense;
    const std::string m = "    model[" + std::to_string(index[k]) + "]";
    py += m + ".weight.copy_(torch.tensor([\n";
    for (int j = 0; j < d.out(); ++j) {
      py += "        [";
      for (int i = 0; i < d.in(); ++i)
        py += (i ? ", " : "") + py_float(d.weight()[static_cast<std::size_t>(i) * d.out() + j]);
      py += "],\n";
    }
    py += "    ]))\n" + m + ".bias.copy_(torch.tensor([";
    for (int j = 0; j < d.out(); ++j) py += (j ? ", " : "") + py_float(d.bias()[static_cast<std::size_t>(j)]);
    py += "]))\n";
  }
  py += "\n" + output_meaning(spec) + "print(model(features(torch.tensor([[0.0, 0.0]]))))\n";
  return py;
}

}  // namespace netlens::train
