#pragma once
// ONNX export: a netlens network as an ONNX model (opset 13, float32, a dynamic batch "N"), so a
// model trained here opens in any ONNX tool; netlens imports it back as the same network.
//   Dense → Gemm; Conv2D → Conv; MaxPool2D, AvgPool2D → MaxPool, AveragePool; Flatten → Flatten;
//   activations → their ONNX ops (SiLU as Sigmoid·x, GELU's tanh form and Mish as torch spells
//   them below opset 20; sine → Sin); Dropout is left out (inference); a final softmax folded out
//   of the network (nn/image_network) comes back as Softmax or LogSoftmax.
// Node and tensor names follow torch.onnx.export's: "/layer3/Conv", "/layer3/Conv_output_0".
#include <string>

#include "nn/network.hpp"

namespace netlens::nn {

inline constexpr int kExportOpset = 13;

struct OnnxExport {
  std::string final_op;     // "", "Softmax" or "LogSoftmax": applied to the network's output
  std::string doc;          // the graph's doc_string: what the input and output mean
  std::string input = "input", output = "output";
};

// The serialized ModelProto.
std::string export_onnx(const Network& network, const OnnxExport& how);

}  // namespace netlens::nn
