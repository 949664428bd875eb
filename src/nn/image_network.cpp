#include "nn/image_network.hpp"

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/dropout.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "nn/mlp.hpp"

namespace netlens::nn {

namespace {

using nlohmann::json;

const std::vector<std::string> kTypes{"conv",   "maxpool", "avgpool",    "flatten", "dense",  "dropout",
                                      "relu",   "leaky_relu", "tanh",    "sigmoid", "softmax"};

bool is_activation(const std::string& t) { return t == "relu" || t == "leaky_relu" || t == "tanh" || t == "sigmoid"; }

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// An integer field in [lo, hi]; `fallback` when absent (required when fallback is < lo).
int int_field(const json& j, const std::string& where, const char* key, int lo, int hi, int fallback) {
  if (!j.contains(key)) {
    if (fallback < lo) throw Error(where, std::string("needs \"") + key + "\"");
    return fallback;
  }
  const json& v = j[key];
  if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
    throw Error(where, (where == key ? "" : std::string(key) + " ") + "must be an integer " + std::to_string(lo) + ".." +
                           std::to_string(hi) + ", got " + v.dump());
  return v.get<int>();
}

std::string square(int a, int b) { return std::to_string(a) + "×" + std::to_string(b); }

LayerSpec parse_layer(const json& j, const std::string& index) {
  if (!j.is_object()) throw Error(index, "must be an object like {\"type\": \"relu\"}, got " + j.dump());
  if (!j.contains("type") || !j["type"].is_string()) throw Error(index, "needs a string \"type\" (one of " + joined(kTypes) + ")");
  LayerSpec l;
  l.type = j["type"].get<std::string>();
  if (std::find(kTypes.begin(), kTypes.end(), l.type) == kTypes.end())
    throw Error(index, "unknown type '" + l.type + "' (known: " + joined(kTypes) + ")");
  const std::string where = index + " " + l.type;
  std::set<std::string> allowed{"type"};
  if (l.type == "conv") {
    allowed.insert({"out_channels", "filter_size", "stride", "padding"});
    l.out_channels = int_field(j, where, "out_channels", 1, 1024, 0);
    l.filter_size = int_field(j, where, "filter_size", 1, 64, 0);
    l.stride = int_field(j, where, "stride", 1, 64, 1);
    l.padding = int_field(j, where, "padding", 0, 64, 0);
    if (l.padding >= l.filter_size)
      throw Error(where, "padding " + std::to_string(l.padding) + " must be smaller than filter_size " + std::to_string(l.filter_size));
  } else if (l.type == "maxpool" || l.type == "avgpool") {
    allowed.insert({"filter_size", "stride"});
    l.filter_size = int_field(j, where, "filter_size", 1, 64, 2);
    l.stride = int_field(j, where, "stride", 1, 64, l.filter_size);
  } else if (l.type == "dense") {
    allowed.insert("out_features");
    l.out_features = int_field(j, where, "out_features", 1, 65536, 0);
  } else if (l.type == "dropout") {
    allowed.insert("rate");
    l.rate = 0.5f;
    if (j.contains("rate")) {
      if (!j["rate"].is_number() || !(j["rate"].get<double>() >= 0 && j["rate"].get<double>() < 1))
        throw Error(where, "rate must be a number in [0, 1), got " + j["rate"].dump());
      l.rate = j["rate"].get<float>();
    }
  }
  for (const auto& [key, value] : j.items())
    if (!allowed.count(key)) throw Error(where, "unknown key '" + key + "'");
  return l;
}

// The output shape of layer l on input s, or Error naming the layer and the reason.
Shape infer_shape(const LayerSpec& l, const Shape& s, const std::string& where, bool last) {
  const bool spatial = s.size() == 3;
  if (l.type == "conv" || l.type == "maxpool" || l.type == "avgpool") {
    if (!spatial) throw Error(where, "needs channels × height × width, but its input is flat (" + std::to_string(s[0]) +
                                         " features): put it before the flatten");
    const int pad = l.type == "conv" ? l.padding : 0;
    if (s[1] + 2 * pad < l.filter_size || s[2] + 2 * pad < l.filter_size)
      throw Error(where, square(s[1], s[2]) + " input" + (pad ? " (padded by " + std::to_string(pad) + ")" : "") +
                             " is smaller than the " + square(l.filter_size, l.filter_size) + " window");
    const int h = (s[1] + 2 * pad - l.filter_size) / l.stride + 1, w = (s[2] + 2 * pad - l.filter_size) / l.stride + 1;
    return {l.type == "conv" ? l.out_channels : s[0], h, w};
  }
  if (l.type == "flatten") return {static_cast<int>(shape_size(s))};
  if (l.type == "dense") {
    if (spatial) throw Error(where, "needs a flatten before it");
    return {l.out_features};
  }
  if (l.type == "softmax") {
    if (spatial) throw Error(where, "needs a flat input (a dense layer's output)");
    if (!last) throw Error(where, "must be the last layer (it turns the outputs into class probabilities)");
  }
  return s;
}

}  // namespace

ImageNetworkSpec parse_image_network(const json& config) {
  ImageNetworkSpec spec;
  spec.in_channels = int_field(config, "in_channels", "in_channels", 1, 16, 1);
  spec.input_size = int_field(config, "input_size", "input_size", 2, 256, 14);
  spec.num_classes = int_field(config, "num_classes", "num_classes", 2, 65536, 10);
  if (!config.contains("layers") || !config["layers"].is_array() || config["layers"].empty())
    throw Error("layers", "needs a non-empty list of layers, e.g. [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"out_features\": 10}]");
  const json& layers = config["layers"];
  Shape s{spec.in_channels, spec.input_size, spec.input_size};
  spec.shapes.push_back(s);
  std::size_t activations = shape_size(s);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string index = "layers[" + std::to_string(i) + "]";
    LayerSpec l = parse_layer(layers[i], index);
    const Shape in = s;
    s = infer_shape(l, s, index + " " + l.type, i + 1 == layers.size());
    const std::size_t inputs = l.type == "conv" ? static_cast<std::size_t>(in[0] * l.filter_size * l.filter_size)
                                                : shape_size(in);
    if (l.type == "conv" || l.type == "dense") spec.param_count += (inputs + 1) * static_cast<std::size_t>(s[0]);
    activations += shape_size(s);
    if (spec.param_count > kMaxImageParams || activations > kMaxImageActivations)
      throw Error(index + " " + l.type, "the network is too large here: " + std::to_string(spec.param_count) +
                                            " parameters and " + std::to_string(activations) +
                                            " values per image so far; at most " + std::to_string(kMaxImageParams) +
                                            " and " + std::to_string(kMaxImageActivations));
    spec.layers.push_back(std::move(l));
    spec.shapes.push_back(s);
  }
  if (s.size() != 1 || s[0] != spec.num_classes) {
    std::size_t last_dense = spec.layers.size();
    for (std::size_t i = 0; i < spec.layers.size(); ++i)
      if (spec.layers[i].type == "dense") last_dense = i;
    if (last_dense == spec.layers.size() || s.size() != 1)
      throw Error("layers", "the network ends with " + shape_string(s) + ", not one score per class (" +
                                std::to_string(spec.num_classes) + "): end with a flatten and a dense layer of " +
                                std::to_string(spec.num_classes) + " out_features");
    throw Error("layers[" + std::to_string(last_dense) + "] dense",
                "out_features is " + std::to_string(s[0]) + " but num_classes is " + std::to_string(spec.num_classes) +
                    " (the last dense layer gives the class scores)");
  }
  return spec;
}

Network build_image_network(const ImageNetworkSpec& spec, std::uint64_t seed) {
  Network net(spec.shapes.front());
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const Shape& in = spec.shapes[i];
    if (l.type == "conv")
      net.add(std::make_unique<Conv2D>(Conv2DShape{in[0], in[1], in[2], l.out_channels, l.filter_size, l.stride, l.padding}));
    else if (l.type == "maxpool")
      net.add(std::make_unique<MaxPool2D>(Pool2DShape{in[0], in[1], in[2], l.filter_size, l.stride}));
    else if (l.type == "avgpool")
      net.add(std::make_unique<AvgPool2D>(Pool2DShape{in[0], in[1], in[2], l.filter_size, l.stride}));
    else if (l.type == "flatten")
      net.add(std::make_unique<Flatten>());
    else if (l.type == "dense")
      net.add(std::make_unique<Dense>(in[0], l.out_features));
    else if (l.type == "dropout")
      net.add(std::make_unique<Dropout>(l.rate, seed + 1000 + i));
    else if (is_activation(l.type))
      net.add(std::make_unique<ActivationLayer>(parse_activation(l.type, "layers[" + std::to_string(i) + "]")));
    // softmax: folded into the loss (softmax cross-entropy on the logits)
  }
  Rng rng(seed);
  init_weights(net, rng);
  return net;
}

}  // namespace netlens::nn
