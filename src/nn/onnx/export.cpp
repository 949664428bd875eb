#include "nn/onnx/export.hpp"

#include <map>

#include <onnx/onnx_pb.h>

#include "core/error.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/dense.hpp"
#include "nn/layers/dropout.hpp"
#include "nn/layers/flatten.hpp"
#include "nn/layers/pool.hpp"
#include "nn/layers/softmax.hpp"

namespace netlens::nn {

namespace {

// Writes the graph node by node; `cur` is the tensor the next node reads.
class GraphWriter {
 public:
  explicit GraphWriter(onnx::GraphProto& g, std::string input) : g_(g), cur_(std::move(input)) {}

  const std::string& cur() const { return cur_; }

  // A node reading `inputs` (cur first unless given), writing "/layerL/Op[_k]_output_0".
  std::string node(const std::string& op, std::vector<std::string> inputs, int layer) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) at "_" + to_string(k).
    std::string name = "/layer";
    name += std::to_string(layer);
    name += "/";
    name += op;
    const int k = count_[name]++;
    if (k > 0) {
      name += "_";
      name += std::to_string(k);
    }
    onnx::NodeProto& n = *g_.add_node();
    n.set_name(name);
    n.set_op_type(op);
    for (const auto& in : inputs) n.add_input(in);
    n.add_output(name + "_output_0");
    last_ = &n;
    return n.output(0);
  }

  // The usual case: op applied to cur, the result becoming cur.
  onnx::NodeProto& then(const std::string& op, int layer, std::vector<std::string> more = {}) {
    more.insert(more.begin(), cur_);
    cur_ = node(op, more, layer);
    return *last_;
  }

  void set_cur(std::string t) { cur_ = std::move(t); }
  onnx::NodeProto& last() { return *last_; }

  std::string initializer(const std::string& name, const std::vector<std::int64_t>& dims, const float* data) {
    onnx::TensorProto& t = *g_.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::FLOAT);
    std::size_t n = 1;
    for (auto d : dims) t.add_dims(d), n *= static_cast<std::size_t>(d);
    t.set_raw_data(data, n * sizeof(float));
    return name;
  }

  std::string scalar(const std::string& name, float v) { return initializer(name, {}, &v); }

 private:
  onnx::GraphProto& g_;
  std::string cur_;
  std::map<std::string, int> count_;
  onnx::NodeProto* last_ = nullptr;
};

void set_int(onnx::NodeProto& n, const std::string& name, std::int64_t v) {
  auto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(v);
}

void set_float(onnx::NodeProto& n, const std::string& name, float v) {
  auto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(v);
}

void set_ints(onnx::NodeProto& n, const std::string& name, std::vector<std::int64_t> v) {
  auto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (auto x : v) a.add_ints(x);
}

void activation(GraphWriter& w, Activation a, int layer) {
  const std::string p = "layer" + std::to_string(layer) + ".";
  const std::string x = w.cur();
  switch (a) {
    case Activation::Linear: return;
    case Activation::ReLU: w.then("Relu", layer); return;
    case Activation::LeakyReLU: set_float(w.then("LeakyRelu", layer), "alpha", kLeakyReLUSlope); return;
    case Activation::Tanh: w.then("Tanh", layer); return;
    case Activation::Sigmoid: w.then("Sigmoid", layer); return;
    case Activation::ELU: set_float(w.then("Elu", layer), "alpha", kELUAlpha); return;
    case Activation::Softplus: w.then("Softplus", layer); return;
    case Activation::Sine: w.then("Sin", layer); return;
    case Activation::SiLU:  // x σ(x)
      w.then("Sigmoid", layer);
      w.set_cur(w.node("Mul", {x, w.cur()}, layer));
      return;
    case Activation::Mish:  // x tanh(softplus x)
      w.then("Softplus", layer);
      w.then("Tanh", layer);
      w.set_cur(w.node("Mul", {x, w.cur()}, layer));
      return;
    case Activation::GELU: {  // x/2 (1 + tanh(√(2/π) (x + 0.044715 x³)))
      const std::string x3 = w.node("Mul", {x, w.node("Mul", {x, x}, layer)}, layer);
      const std::string inner = w.node("Add", {x, w.node("Mul", {x3, w.scalar(p + "gelu_a", 0.044715f)}, layer)}, layer);
      const std::string t = w.node("Tanh", {w.node("Mul", {inner, w.scalar(p + "gelu_c", 0.7978845608f)}, layer)}, layer);
      const std::string one = w.node("Add", {t, w.scalar(p + "one", 1.0f)}, layer);
      w.set_cur(w.node("Mul", {w.node("Mul", {x, one}, layer), w.scalar(p + "half", 0.5f)}, layer));
      return;
    }
  }
}

void value_info(onnx::ValueInfoProto& v, const std::string& name, const Shape& shape) {
  v.set_name(name);
  auto& t = *v.mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::FLOAT);
  t.mutable_shape()->add_dim()->set_dim_param("N");
  for (int d : shape) t.mutable_shape()->add_dim()->set_dim_value(d);
}

}  // namespace

std::string export_onnx(const Network& network, const OnnxExport& how) {
  onnx::ModelProto m;
  m.set_ir_version(7);  // the IR of opset 13 (ONNX 1.8)
  m.set_producer_name("netlens");
  m.set_producer_version(NETLENS_VERSION);
  auto& opset = *m.add_opset_import();
  opset.set_domain("");
  opset.set_version(kExportOpset);
  onnx::GraphProto& g = *m.mutable_graph();
  g.set_name("netlens");
  g.set_doc_string(how.doc);
  value_info(*g.add_input(), how.input, network.input_shape());
  GraphWriter w(g, how.input);
  for (std::size_t i = 0; i < network.size(); ++i) {
    const Layer& l = network.layer(i);
    const int layer = static_cast<int>(i);
    const std::string p = "layer" + std::to_string(i) + ".";
    if (const auto* d = dynamic_cast<const Dense*>(&l)) {
      const std::string W = w.initializer(p + "weight", {d->in(), d->out()}, d->weight().data());  // Gemm's B is (in, out)
      const std::string b = w.initializer(p + "bias", {d->out()}, d->bias().data());
      w.then("Gemm", layer, {W, b});
    } else if (const auto* c = dynamic_cast<const Conv2D*>(&l)) {
      const Conv2DShape& s = c->shape();
      const std::string W = w.initializer(p + "weight", {s.out_channels, s.in_channels, s.filter, s.filter}, c->weight().data());
      const std::string b = w.initializer(p + "bias", {s.out_channels}, c->bias().data());
      onnx::NodeProto& n = w.then("Conv", layer, {W, b});
      set_ints(n, "kernel_shape", {s.filter, s.filter});
      set_ints(n, "strides", {s.stride, s.stride});
      set_ints(n, "pads", {s.padding, s.padding, s.padding, s.padding});
    } else if (const auto* pool = dynamic_cast<const Pool2D*>(&l)) {
      onnx::NodeProto& n = w.then(dynamic_cast<const MaxPool2D*>(pool) ? "MaxPool" : "AveragePool", layer);
      set_ints(n, "kernel_shape", {pool->shape().filter, pool->shape().filter});
      set_ints(n, "strides", {pool->shape().stride, pool->shape().stride});
    } else if (dynamic_cast<const Flatten*>(&l)) {
      set_int(w.then("Flatten", layer), "axis", 1);
    } else if (const auto* a = dynamic_cast<const ActivationLayer*>(&l)) {
      activation(w, a->activation(), layer);
    } else if (dynamic_cast<const Softmax*>(&l)) {
      set_int(w.then("Softmax", layer), "axis", 1);
    } else if (!dynamic_cast<const Dropout*>(&l)) {
      throw Error("export", "layer " + std::to_string(i) + " (" + l.name() + ") has no ONNX form here");
    }
  }
  if (!how.final_op.empty()) set_int(w.then(how.final_op, static_cast<int>(network.size())), "axis", 1);
  // The output keeps its own name: rename the last node's output (or add an Identity).
  if (g.node_size() == 0 || w.cur() == how.input) w.then("Identity", static_cast<int>(network.size()));
  g.mutable_node(g.node_size() - 1)->set_output(0, how.output);
  value_info(*g.add_output(), how.output, network.output_shape());
  std::string bytes;
  if (!m.SerializeToString(&bytes)) throw Error("export", "the model is over protobuf's 2 GB limit");
  return bytes;
}

}  // namespace netlens::nn
