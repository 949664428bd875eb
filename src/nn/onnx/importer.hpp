#pragma once
// The ONNX importer (import.hpp) as a walk along the graph's chain, in three files: reading and
// checking the graph and building the model (import.cpp), folding constants and the shape
// subgraphs torch emits (import_constants.cpp), and turning nodes into netlens layers
// (import_layers.cpp). Internal to nn/onnx.
#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/error.hpp"
#include "nn/model_file.hpp"
#include "nn/onnx/tensor_data.hpp"

namespace netlens::nn::onnx_model {

using nlohmann::json;

inline constexpr const char* kImports =
    "netlens imports feed-forward chains of Gemm, MatMul+Add, Conv, MaxPool, AveragePool, GlobalAveragePool, "
    "Flatten, Reshape, BatchNormalization, Dropout, Identity, element-wise activations (Relu, LeakyRelu, Tanh, "
    "Sigmoid, Elu, Softplus, Sin, SiLU, tanh GELU, Mish) and a final Softmax or LogSoftmax";

// A shape value standing for the batch size (Shape of the chain's tensor, element 0).
inline constexpr std::int64_t kBatch = INT64_MIN;

inline const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

inline std::int64_t attr_int(const onnx::NodeProto& n, const std::string& name, std::int64_t fallback) {
  const auto* a = find_attr(n, name);
  return a ? a->i() : fallback;
}

inline float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) {
  const auto* a = find_attr(n, name);
  return a ? a->f() : fallback;
}

inline std::vector<std::int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name) {
  const auto* a = find_attr(n, name);
  return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : std::vector<std::int64_t>{};
}

inline std::string attr_string(const onnx::NodeProto& n, const std::string& name) {
  const auto* a = find_attr(n, name);
  return a ? a->s() : "";
}

inline bool all_equal(const std::vector<std::int64_t>& v, std::int64_t value) {
  for (auto x : v)
    if (x != value) return false;
  return true;
}

inline std::string shape_text(const Shape& s) {
  std::string t;
  for (int d : s) t += (t.empty() ? "" : "×") + std::to_string(d);
  return t;
}

// The importer's walk along the chain: `cur` is the tensor the next layer reads, `shape` its
// per-sample shape. Layers and weights are collected as JSON and float vectors; the network is
// built only once the whole graph has been read.
class Importer {
 public:
  Importer(const onnx::ModelProto& m, const std::string& name) : m_(m), g_(m.graph()), name_(name) {}

  Model run();

 private:
  const onnx::ModelProto& m_;
  const onnx::GraphProto& g_;
  std::string name_;
  int opset_ = 0;
  std::map<std::string, TensorData> consts_;
  std::map<std::string, int> uses_;
  std::vector<bool> done_;
  std::string input_, output_, cur_;
  Shape shape_, input_shape_;
  std::int64_t input_batch_ = -1;  // the input's batch dimension when it is fixed
  json layers_ = json::array();
  std::vector<std::vector<float>> params_;  // W then b of each conv and dense, netlens's layout
  std::optional<std::size_t> weight_layer_;  // the conv or dense whose output cur is (BatchNormalization folds into it)
  bool ended_ = false;                     // after the final Softmax

  Error fail(const std::string& what) const { return Error(name_, "onnx: " + what); }

  Error node_fail(int i, const std::string& what) const {
    const auto& n = g_.node(i);
    return fail("node " + std::to_string(i) + " \"" + excerpt(n.name()) + "\" (" + excerpt(n.op_type()) + "): " + what);
  }

  // Reading and checking the graph, building the model (import.cpp).
  void read_header();
  void read_initializers();
  void prescan() const;
  void read_input_output();
  void count_uses();
  bool computed(const std::string& t) const { return !t.empty() && !consts_.count(t); }
  const TensorData& constant(int i, int k) const;
  void only_first_output(int i) const;
  void advance(int i);
  void add_layer(json layer);
  void step(int i);
  Model build();

  // Constants and shape subgraphs (import_constants.cpp).
  TensorData constant_value(int i) const;
  void shape_of(int i);
  void fold(int i);

  // Layers (import_layers.cpp). A window is square, with one stride and no dilation, as
  // netlens's Conv2D and pools have.
  struct Window {
    int filter, stride, pad;
  };
  void elementwise(int first);
  void need_flat(int i) const;
  void add_dense(int i, int out, std::vector<float> w, std::vector<float> b);
  void gemm(int i);
  void matmul(int i);
  void need_map(int i) const;
  Window window(int i, const std::vector<std::int64_t>& kernel, bool conv) const;
  void conv(int i);
  void pool(int i);
  void global_pool(int i);
  void flatten_to_vector();
  void flatten(int i);
  void reshape(int i);
  void batch_norm(int i);
  void softmax(int i);
};

}  // namespace netlens::nn::onnx_model
