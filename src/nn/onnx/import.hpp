#pragma once
// ONNX import: a model file of a feed-forward chain (what torch.onnx.export writes for an MLP or
// a small CNN) read with libonnx's generated classes and turned into a netlens model: its layer
// list (nn/image_network's format) and weights. Everything outside the chain netlens can build
// is refused before anything is built, naming the node, its op and what netlens imports:
//   model.onnx: onnx: node 17 "/layer2/LSTM" (LSTM): not supported; netlens imports feed-forward chains of ...
// Shape subgraphs (Shape, Gather, Unsqueeze, Concat of constants, as torch emits for
// x.view(x.size(0), -1)) are folded; BatchNormalization is folded into the Conv or Gemm before
// it; Dropout and Identity are dropped; GlobalAveragePool is an average pool over the whole map.
#include <string>
#include <string_view>

#include "nn/model_file.hpp"

namespace netlens::nn {

inline constexpr int kMinOnnxOpset = 7, kMaxOnnxOpset = 17;
inline constexpr std::size_t kMaxOnnxBytes = std::size_t{1} << 30;  // netlens's largest network is 256 MiB of weights

// `name` prefixes every error. The header says where the model came from:
// {"config": {...}, "source": "onnx", "onnx": {"producer", "opset", "input", "output"}}.
Model import_onnx(std::string_view bytes, const std::string& name);

}  // namespace netlens::nn
