#include "train/playground_export.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "nn/layers/dense.hpp"
#include "support/scratch.hpp"

using namespace netlens;
using nlohmann::json;

namespace {

// Three inputs into relu and tanh layers: the spec the snippet tests read.
const json kReluTanh = {
    {"features", {"x1", "x2", "x1x2"}},
    {"hidden_layers", {{{"units", 4}, {"activation", "relu"}}, {{"units", 2}, {"activation", "tanh"}}}},
    {"seed", 5}};

// One spec per output kind, between them every activation and feature.
const std::vector<json> kSpecs = {
    kReluTanh,
    {{"features", {"x1", "x2", "x1^2", "x2^2", "x1x2", "sin_x1", "sin_x2"}},
     {"hidden_layers",
      {{{"units", 5}, {"activation", "elu"}},
       {{"units", 4}, {"activation", "softplus"}},
       {{"units", 4}, {"activation", "silu"}},
       {{"units", 3}, {"activation", "gelu"}}}},
     {"loss", "softmax_cross_entropy"}},
    {{"dataset", "xor"},
     {"hidden_layers",
      {{{"units", 6}, {"activation", "mish"}},
       {{"units", 3}, {"activation", "sine"}},
       {{"units", 3}, {"activation", "sigmoid"}}}},
     {"loss", "binary_cross_entropy"}},
    {{"dataset", "plane"}, {"hidden_layers", {{{"units", 3}, {"activation", "leaky_relu"}}}}},
};

train::Session trained(const json& spec, int epochs = 3) {
  train::Session s(train::parse_run_spec(spec));
  for (int e = 0; e < epochs; ++e) s.train_epoch();
  return s;
}

const nn::Dense& first_dense(const train::Session& s) { return dynamic_cast<const nn::Dense&>(s.network().layer(0)); }

// The message import_model throws for `model`, or "" when it reads it.
std::string import_error(const json& model) {
  try {
    train::import_model(model);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The session's outputs at `points` (x1, x2 pairs), row by row.
std::vector<float> outputs(train::Session& s, const std::vector<std::pair<float, float>>& points) {
  const int n = static_cast<int>(points.size()), f = static_cast<int>(s.spec().features.size());
  nn::Workspace ws = s.network().make_workspace(n);
  for (int i = 0; i < n; ++i)
    data::compute_features(s.spec().features, points[static_cast<std::size_t>(i)].first,
                           points[static_cast<std::size_t>(i)].second, ws.input().data() + i * f);
  const Tensor& y = s.network().forward(ws, n);
  return {y.data(), y.data() + n * y.dim(1)};
}

std::string temp_path(const std::string& stem, const std::string& ext) {
  return test::temp_path(stem + ext);
}

}  // namespace

TEST(PlaygroundExport, ExportThenImportRestoresASessionWithIdenticalLosses) {
  for (const auto& spec : kSpecs) {
    SCOPED_TRACE(spec.dump());
    auto a = trained(spec, 5);
    // Through text, as a file would carry it.
    const auto imported = train::import_model(json::parse(train::export_model(a).dump()));
    EXPECT_EQ(imported.epoch, 5);
    EXPECT_EQ(train::to_json(imported.spec), train::to_json(a.spec()));
    train::Session b(imported.spec);
    const auto ma = a.evaluate();
    ASSERT_NE(b.evaluate().test_loss, ma.test_loss);  // b starts from the initial weights
    b.load_params(imported.params);
    const auto mb = b.evaluate();
    EXPECT_EQ(ma.test_loss, mb.test_loss);
    EXPECT_EQ(ma.train_loss, mb.train_loss);
  }
}

TEST(PlaygroundExport, ASevenClassExportImportsBackWithALogitPerClass) {
  auto a = trained({{"dataset", "blobs7"}, {"hidden_layers", {{{"units", 5}}}}});
  const json model = json::parse(train::export_model(a).dump());
  EXPECT_EQ(model["layers"][1]["out"], 7);
  const auto imported = train::import_model(model);
  train::Session b(imported.spec);
  b.load_params(imported.params);
  EXPECT_EQ(b.evaluate().test_loss, a.evaluate().test_loss);
}

TEST(PlaygroundExport, ExportedLayersHoldDenseWeightsAsInRowsOfOutValues) {
  const auto s = trained(kReluTanh);
  const json j = train::export_model(s);
  EXPECT_EQ(j["format"], "netlens-playground");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["epoch"], 3);
  ASSERT_EQ(j["layers"].size(), 3u);
  const json& l = j["layers"][0];
  EXPECT_EQ(l["in"], 3);
  EXPECT_EQ(l["out"], 4);
  EXPECT_EQ(l["activation"], "relu");
  EXPECT_EQ(j["layers"][1]["activation"], "tanh");
  EXPECT_EQ(j["layers"][2]["activation"], "tanh");  // the output of classification with squared error
  const nn::Dense& d = first_dense(s);
  ASSERT_EQ(l["weights"].size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(l["weights"][i].size(), 4u);
    for (std::size_t u = 0; u < 4; ++u) EXPECT_EQ(l["weights"][i][u].get<float>(), d.weight()[i * 4 + u]);
  }
  for (std::size_t u = 0; u < 4; ++u) EXPECT_EQ(l["bias"][u].get<float>(), d.bias()[u]);
}

TEST(PlaygroundExport, ImportErrorsNameTheFieldsPath) {
  const json good = train::export_model(trained(json::object(), 1));  // layers 2 -> 4 -> 2 -> 1, all tanh
  EXPECT_EQ(import_error(good), "");
  auto bad = [&](auto change) {
    json j = good;
    change(j);
    return import_error(j);
  };
  EXPECT_EQ(import_error(json::array()), "model: must be an object, got an array");
  EXPECT_EQ(bad([](json& j) { j["format"] = "onnx"; }), "model.format: must be \"netlens-playground\", got \"onnx\"");
  EXPECT_EQ(bad([](json& j) { j["version"] = 2; }), "model.version: unknown version 2 (this netlens reads 1)");
  EXPECT_EQ(bad([](json& j) { j["version"] = "1"; }), "model.version: must be an integer, got a string");
  EXPECT_EQ(bad([](json& j) { j["version"] = 1.5; }), "model.version: must be an integer, got 1.5");
  EXPECT_EQ(bad([](json& j) { j.erase("epoch"); }), "model.epoch: is missing");
  EXPECT_EQ(bad([](json& j) { j["epoch"] = -1; }), "model.epoch: must be an integer of at least 0, got -1");
  EXPECT_EQ(bad([](json& j) { j["format"] = 1; }), "model.format: must be a string, got a number");
  EXPECT_EQ(bad([](json& j) { j["weights"] = 1; }),
            "model.weights: unknown key (known: format, version, epoch, spec, layers)");
  EXPECT_EQ(bad([](json& j) { j["spec"]["learning_rate"] = 0; }), "model.spec.learning_rate: must be greater than 0");
  EXPECT_EQ(bad([](json& j) { j["spec"] = 3; }), "model.spec: must be an object, got a number");
  EXPECT_EQ(bad([](json& j) { j["layers"].erase(2); }), "model.layers: the spec's network has 3 weight layers, got 2");
  EXPECT_EQ(bad([](json& j) { j["layers"][1]["weights"].erase(0); }),
            "model.layers[1].weights: must be 4 rows of 2 numbers");
  EXPECT_EQ(bad([](json& j) { j["layers"][1]["weights"][3].push_back(0.5); }),
            "model.layers[1].weights: must be 4 rows of 2 numbers");
  EXPECT_EQ(bad([](json& j) { j["layers"][0]["weights"][1][2] = "a"; }),
            "model.layers[0].weights: must be 2 rows of 4 numbers (float32), got \"a\" at [1][2]");
  EXPECT_EQ(bad([](json& j) { j["layers"][0]["weights"][0][0] = 1e39; }),
            "model.layers[0].weights: must be 2 rows of 4 numbers (float32), got 1e+39 at [0][0]");
  EXPECT_EQ(bad([](json& j) { j["layers"][2]["bias"] = {0, 1}; }), "model.layers[2].bias: must be 1 number");
  EXPECT_EQ(bad([](json& j) { j["layers"][1]["in"] = 3; }),
            "model.layers[1].in: must be 4 (the spec's network), got 3");
  EXPECT_EQ(bad([](json& j) { j["layers"][0]["activation"] = "relu"; }),
            "model.layers[0].activation: must be \"tanh\" (the spec's network), got \"relu\"");
  EXPECT_EQ(bad([](json& j) { j["layers"][0].erase("bias"); }), "model.layers[0].bias: is missing");
  EXPECT_EQ(bad([](json& j) { j["layers"][0]["activation"] = 1; }), "model.layers[0].activation: must be a string, got a number");
  EXPECT_EQ(bad([](json& j) { j["layers"][1]["out"] = "2"; }),
            "model.layers[1].out: must be an integer of at least 0, got a string");
  EXPECT_EQ(bad([](json& j) { j["layers"][1]["units"] = 2; }),
            "model.layers[1].units: unknown key (known: in, out, activation, weights, bias)");
  EXPECT_EQ(bad([](json& j) { j["layers"] = 3; }), "model.layers: must be an array, got a number");
  EXPECT_EQ(bad([](json& j) { j["layers"][2] = 3; }), "model.layers[2]: must be an object, got a number");
  // Integers follow the one rule: 1.0 is 1.
  EXPECT_EQ(bad([](json& j) {
              j["version"] = 1.0;
              j["epoch"] = 1.0;
              j["layers"][1]["in"] = 4.0;
            }),
            "");
}

TEST(PlaygroundExport, PytorchSnippetHasTheLayersFeaturesAndTransposedWeights) {
  const auto s = trained(kReluTanh);
  const std::string py = train::pytorch_snippet(s);
  for (const char* line :
       {"import torch\n", "from torch import nn\n", "    return torch.stack([x1, x2, x1 * x2], dim=1)\n",
        "    nn.Linear(3, 4), nn.ReLU(),\n", "    nn.Linear(4, 2), nn.Tanh(),\n", "    nn.Linear(2, 1), nn.Tanh(),\n",
        "with torch.no_grad():\n", "class +1 where it is > 0", "print(model(features(torch.tensor([[0.0, 0.0]]))))\n"})
    EXPECT_NE(py.find(line), std::string::npos) << line << "\nmissing from:\n" << py;
  EXPECT_EQ(py.find("Sine"), std::string::npos);

  // torch's weight row 0 holds the weights from each of the 3 inputs into unit 0: our column 0.
  const std::string head = "model[0].weight.copy_(torch.tensor([\n        [";
  const auto at = py.find(head);
  ASSERT_NE(at, std::string::npos);
  std::istringstream row(py.substr(at + head.size(), py.find(']', at + head.size()) - at - head.size()));
  const nn::Dense& d = first_dense(s);
  std::string number;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(std::getline(row, number, ','));
    EXPECT_EQ(std::strtof(number.c_str(), nullptr), d.weight()[static_cast<std::size_t>(i) * 4]) << number;
  }
  EXPECT_FALSE(std::getline(row, number, ','));
}

TEST(PlaygroundExport, PytorchSnippetWeightsReadBackAsTheirExactFloat32) {
  // This float's shortest form is 7.038531e-26, but Python reads that as a double, which
  // rounds to the next float32; the snippet writes the double's digits instead.
  const float tricky = std::bit_cast<float>(std::uint32_t{363742205});
  auto s = trained(kReluTanh, 0);
  s.set_param(0, 0, 0, tricky);
  const std::string py = train::pytorch_snippet(s);
  EXPECT_EQ(py.find("7.038531e-26"), std::string::npos);
  EXPECT_NE(py.find("model[0].weight.copy_(torch.tensor([\n        [7.038530691851209e-26, "), std::string::npos);
  EXPECT_EQ(static_cast<float>(std::strtod("7.038530691851209e-26", nullptr)), tricky);
  EXPECT_NE(static_cast<float>(std::strtod("7.038531e-26", nullptr)), tricky);
}

TEST(PlaygroundExport, PytorchSnippetDefinesSineOnlyWhenUsedAndSaysWhatTheOutputMeans) {
  const std::string bce = train::pytorch_snippet(trained(kSpecs[2], 0));
  EXPECT_NE(bce.find("class Sine(nn.Module):"), std::string::npos);
  EXPECT_NE(bce.find("nn.Linear(6, 3), Sine(),"), std::string::npos);
  EXPECT_NE(bce.find("nn.Linear(2, 6), nn.Mish(),"), std::string::npos);
  EXPECT_NE(bce.find("a logit per point"), std::string::npos);
  const std::string softmax = train::pytorch_snippet(trained(kSpecs[1], 0));
  EXPECT_NE(softmax.find("nn.Linear(4, 3), nn.GELU(approximate='tanh'),"), std::string::npos);
  EXPECT_NE(softmax.find("nn.Linear(3, 2),\n"), std::string::npos);
  EXPECT_NE(softmax.find("two logits per point"), std::string::npos);
}

TEST(PlaygroundExport, PytorchSnippetRunsAndComputesWhatTheSessionComputes) {
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "PyTorch is not installed for /usr/bin/python3";
  // Every spec's snippet in one script (torch takes seconds to import), each followed by its
  // outputs at a few points on a line "OUT <spec> <values>".
  const std::vector<std::pair<float, float>> points{{0.0f, 0.0f}, {1.5f, -2.0f}, {-3.25f, 4.125f}};
  const std::string py_points = "[[0.0, 0.0], [1.5, -2.0], [-3.25, 4.125]]";  // the same, in Python
  std::vector<train::Session> sessions;
  std::string script;
  for (std::size_t k = 0; k < kSpecs.size(); ++k) {
    sessions.push_back(trained(kSpecs[k]));
    script += train::pytorch_snippet(sessions.back()) + "print('OUT " + std::to_string(k) +
              "', *model(features(torch.tensor(" + py_points + "))).flatten().tolist())\n";
  }
  const std::string py_path = temp_path("playground_export", ".py");
  std::ofstream(py_path) << script;
  FILE* pipe = ::popen(("/usr/bin/python3 " + py_path + " 2>&1").c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  std::remove(py_path.c_str());
  ASSERT_EQ(status, 0) << out;

  std::istringstream lines(out);
  std::size_t checked = 0;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream in(line);
    std::string tag;
    std::size_t k = 0;
    if (!(in >> tag >> k) || tag != "OUT") continue;
    ASSERT_LT(k, sessions.size());
    SCOPED_TRACE(kSpecs[k].dump());
    const auto expected = outputs(sessions[k], points);
    std::vector<double> got;
    for (double v; in >> v;) got.push_back(v);
    ASSERT_EQ(got.size(), expected.size()) << line;
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-5) << "output " << i;
    ++checked;
  }
  EXPECT_EQ(checked, kSpecs.size()) << out;
}
