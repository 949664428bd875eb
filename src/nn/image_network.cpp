#include "nn/image_network.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/json_fields.hpp"
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

// Every activation but linear (no layer) is a layer type of its own name.
std::vector<std::string> layer_types() {
  std::vector<std::string> types{"conv", "maxpool", "avgpool", "flatten", "dense", "dropout"};
  for (auto a : activation_names())
    if (a != activation_name(Activation::Linear)) types.emplace_back(a);
  types.insert(types.end(), {"softmax", "log_softmax"});
  return types;
}

const std::vector<std::string> kTypes = layer_types();

bool is_activation(const std::string& t) {
  const auto names = activation_names();
  return t != activation_name(Activation::Linear) && std::find(names.begin(), names.end(), t) != names.end();
}

bool is_softmax(const std::string& t) { return t == "softmax" || t == "log_softmax"; }

std::string square(int a, int b) { return std::to_string(a) + "×" + std::to_string(b); }

// One layer object, closed: its "type" and the fields that type has.
LayerSpec parse_layer(const Fields& f) {
  LayerSpec l;
  l.type = f.string("type");
  if (std::find(kTypes.begin(), kTypes.end(), l.type) == kTypes.end()) {
    std::string known;
    for (const auto& t : kTypes) known += (known.empty() ? "" : ", ") + t;
    throw Error(f.path("type"), "unknown layer type '" + excerpt(l.type) + "' (known: " + known + ")");
  }
  if (l.type == "conv") {
    l.out_channels = f.integer("out_channels", 1, 1024);
    l.filter_size = f.integer("filter_size", 1, 64);
    l.stride = f.optional_integer("stride", 1, 64).value_or(1);
    l.padding = f.optional_integer("padding", 0, 64).value_or(0);
    if (l.padding >= l.filter_size)
      throw Error(f.path("padding"), "must be smaller than filter_size (" + std::to_string(l.filter_size) + "), got " +
                                         std::to_string(l.padding));
  } else if (l.type == "maxpool" || l.type == "avgpool") {
    l.filter_size = f.optional_integer("filter_size", 1, 64).value_or(2);
    l.stride = f.optional_integer("stride", 1, 64).value_or(l.filter_size);
  } else if (l.type == "dense") {
    l.out_features = f.integer("out_features", 1, 65536);
  } else if (l.type == "dropout") {
    const double rate = f.optional_number("rate", 0, 1).value_or(0.5);
    if (rate == 1) throw Error(f.path("rate"), "must be a number 0 <= x < 1, got 1");
    l.rate = static_cast<float>(rate);
  }
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
  if (is_softmax(l.type)) {
    if (spatial) throw Error(where, "needs a flat input (a dense layer's output)");
    if (!last) throw Error(where, "must be the last layer (it turns the outputs into class probabilities)");
  }
  return s;
}

}  // namespace

ImageNetworkSpec parse_image_network(const json& config) {
  const Fields f(config, "");  // not closed: the other keys are the caller's
  ImageNetworkSpec spec;
  spec.input_features = f.optional_integer("input_features", 1, 1 << 20).value_or(0);
  if (spec.input_features > 0)
    for (const char* key : {"in_channels", "input_size"})
      if (f.has(key)) throw Error(key, "must not be given with input_features (a flat input)");
  spec.in_channels = f.optional_integer("in_channels", 1, 16).value_or(spec.in_channels);
  spec.input_size = f.optional_integer("input_size", 2, 256).value_or(spec.input_size);
  // One output: a regression or a binary classifier's single score (ONNX import, the Playground).
  spec.num_classes = f.optional_integer("num_classes", 1, 65536).value_or(spec.num_classes);
  const json& layers = f.array("layers");
  if (layers.empty())
    throw Error("layers", "must be a non-empty array of layers, e.g. [{\"type\": \"flatten\"}, {\"type\": \"dense\", \"out_features\": 10}]");
  Shape s = spec.input_features > 0 ? Shape{spec.input_features} : Shape{spec.in_channels, spec.input_size, spec.input_size};
  spec.shapes.push_back(s);
  std::size_t activations = shape_size(s);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string index = "layers[" + std::to_string(i) + "]";
    LayerSpec l = read_object(layers[i], index, parse_layer);
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

bool ends_with_softmax(const ImageNetworkSpec& spec) { return !spec.layers.empty() && is_softmax(spec.layers.back().type); }

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
    // softmax, log_softmax: folded into the loss (softmax cross-entropy on the logits)
  }
  Rng rng(seed);
  init_weights(net, rng);
  return net;
}

}  // namespace netlens::nn
