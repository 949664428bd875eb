#pragma once
// Image networks from a layer list, the format small from-scratch CNN projects use:
//   {"in_channels": 1, "input_size": 14, "num_classes": 10,
//    "layers": [{"type": "conv", "out_channels": 8, "filter_size": 3, "stride": 1, "padding": 0},
//               {"type": "relu"}, {"type": "maxpool", "filter_size": 2, "stride": 2},
//               {"type": "flatten"}, {"type": "dense", "out_features": 10}, {"type": "softmax"}]}
// Shapes are inferred layer by layer; a bad list is refused with the layer's index and the
// reason ("layers[5] dense: needs a flatten before it"). The network is trained with softmax
// cross-entropy on its logits, so a final softmax is folded into the loss, not built.
// A network may also take a flat input, {"input_features": K} in place of in_channels and
// input_size (dense networks, as ONNX import and the Playground give them), and end with a
// log_softmax (folded like softmax) or, with num_classes 1, with one output.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"

namespace netlens::nn {

struct LayerSpec {
  std::string type;  // conv, maxpool, avgpool, flatten, dense, dropout, an activation (relu, tanh, ...), softmax, log_softmax
  int out_channels = 0, filter_size = 0, stride = 0, padding = 0;  // conv; pools use filter_size, stride
  int out_features = 0;                                          // dense
  float rate = 0;                                                // dropout
};

struct ImageNetworkSpec {
  int in_channels = 1, input_size = 14, num_classes = 10;
  int input_features = 0;  // > 0: a flat input of that many values (in_channels and input_size unused)
  std::vector<LayerSpec> layers;
  std::vector<Shape> shapes;  // shapes[i] is the input of layers[i]; shapes.back() the output
  std::size_t param_count = 0;  // weights and biases of every conv and dense layer
};

// What one network may need: beyond these a config is refused before anything is built.
inline constexpr std::size_t kMaxImageParams = 64u << 20;       // 256 MiB of float32 weights
inline constexpr std::size_t kMaxImageActivations = 16u << 20;  // values per sample, all layers together

// Reads in_channels, input_size (or input_features), num_classes and layers from a config object
// (other keys are the caller's); defaults: in_channels 1, input_size 14, num_classes 10. Throws Error, also
// for a network over kMaxImageParams or kMaxImageActivations.
ImageNetworkSpec parse_image_network(const nlohmann::json& config);

// Whether the last layer is a softmax or log_softmax, which the network leaves to its reader.
bool ends_with_softmax(const ImageNetworkSpec& spec);

// The layers (a final softmax or log_softmax left out), weights initialised from `seed` (He before ReLU,
// else Xavier; conv He), dropout masks seeded from it too.
Network build_image_network(const ImageNetworkSpec& spec, std::uint64_t seed);

}  // namespace netlens::nn
