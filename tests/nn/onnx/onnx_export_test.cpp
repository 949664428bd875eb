// netlens networks exported to ONNX pass python3-onnx's checker and import back with equal outputs.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/atomic_file.hpp"
#include "core/rng.hpp"
#include "nn/image_network.hpp"
#include "nn/onnx/export.hpp"
#include "nn/onnx/onnx_support.hpp"
#include "support/scratch.hpp"

using namespace netlens;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path temp(const std::string& name) { return test::scratch_dir() / ("export" + name); }

bool checker_passes(const fs::path& p) {
  const std::string cmd = "/usr/bin/python3 -c \"import onnx; onnx.checker.check_model(onnx.load('" + p.string() + "'))\"";
  return std::system(cmd.c_str()) == 0;
}

// Exports the network of `config`, checks the file, imports it back and compares outputs.
void round_trip(const json& config, const std::string& final_op) {
  const nn::ImageNetworkSpec spec = nn::parse_image_network(config);
  nn::Network net = nn::build_image_network(spec, 7);
  for (auto& p : net.params()) {  // biases too, so a lost bias shows
    Rng rng(3);
    for (auto& v : p.value->values()) v = static_cast<float>(rng.normal(0.0, 0.3));
  }
  const fs::path path = temp(".onnx");
  write_file_atomically(path, nn::export_onnx(net, {final_op, "test", "input", "output"}));
  EXPECT_TRUE(checker_passes(path));
  const nn::Model back = nn::load_model(path);
  std::vector<std::string> types, back_types;  // dropout is left out of an inference graph
  for (const auto& l : spec.layers)
    if (l.type != "dropout") types.push_back(l.type);
  for (const auto& l : back.spec.layers) back_types.push_back(l.type);
  EXPECT_EQ(back_types, types);
  const int batch = 3;
  std::vector<float> x(batch * shape_size(net.input_shape()));
  Rng rng(5);
  for (auto& v : x) v = static_cast<float>(rng.normal(0.0, 1.0));
  const nn::Model original{{}, spec, std::move(net)};
  test::expect_close(test::run_model(back, x, batch), test::run_model(original, x, batch), 1e-6);
  fs::remove(path);
}

json layer(const std::string& type, json more = json::object()) {
  more["type"] = type;
  return more;
}

}  // namespace

TEST(OnnxExport, ImageNetworkPassesTheCheckerAndImportsBackEqual) {
  round_trip({{"in_channels", 2},
              {"input_size", 12},
              {"num_classes", 5},
              {"layers",
               {layer("conv", {{"out_channels", 4}, {"filter_size", 3}, {"padding", 1}}), layer("relu"),
                layer("maxpool", {{"filter_size", 2}, {"stride", 2}}),
                layer("conv", {{"out_channels", 3}, {"filter_size", 3}, {"stride", 2}}), layer("tanh"),
                layer("avgpool", {{"filter_size", 2}, {"stride", 1}}), layer("flatten"), layer("dropout", {{"rate", 0.5}}),
                layer("dense", {{"out_features", 5}}), layer("softmax")}}},
             "Softmax");
}

TEST(OnnxExport, EveryActivationPassesTheCheckerAndImportsBackEqual) {
  json layers = json::array();
  for (const char* a : {"relu", "leaky_relu", "tanh", "sigmoid", "elu", "softplus", "silu", "gelu", "mish", "sine"}) {
    layers.push_back(layer("dense", {{"out_features", 6}}));
    layers.push_back(layer(a));
  }
  layers.push_back(layer("dense", {{"out_features", 3}}));
  layers.push_back(layer("log_softmax"));
  round_trip({{"input_features", 4}, {"num_classes", 3}, {"layers", layers}}, "LogSoftmax");
}

TEST(OnnxExport, OneOutputNetworkImportsBackEqual) {
  round_trip({{"input_features", 2}, {"num_classes", 1}, {"layers", {layer("dense", {{"out_features", 4}}), layer("tanh"),
                                                                      layer("dense", {{"out_features", 1}}), layer("tanh")}}},
             "");
}
