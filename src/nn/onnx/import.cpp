#include "nn/onnx/import.hpp"

#include <cmath>
#include <set>

#include "nn/onnx/elementwise.hpp"
#include "nn/onnx/importer.hpp"

namespace netlens::nn {

namespace onnx_model {

namespace {

// Every op the importer reads besides the element-wise ones (onnx_model::is_elementwise).
const std::set<std::string> kSupported{"Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast",
                                       "Gemm", "MatMul", "Conv", "MaxPool", "AveragePool", "GlobalAveragePool",
                                       "Flatten", "Reshape", "BatchNormalization", "Softmax", "LogSoftmax"};

const std::set<std::string> kRecurrent{"LSTM", "GRU", "RNN", "If", "Loop", "Scan", "Attention"};

}  // namespace

Model Importer::run() {
  read_header();
  read_initializers();
  prescan();
  read_input_output();
  count_uses();
  done_.assign(static_cast<std::size_t>(g_.node_size()), false);
  for (int i = 0; i < g_.node_size(); ++i)
    if (!done_[static_cast<std::size_t>(i)]) step(i);
  if (cur_ != output_)
    throw Error(name_, "onnx: the graph's output \"" + excerpt(output_) + "\" is not the end of its chain of layers");
  return build();
}

void Importer::read_header() {
  if (!m_.has_graph()) throw fail("the file has no graph: it is not an ONNX model, or it is corrupt");
  for (const auto& o : m_.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") opset_ = static_cast<int>(o.version());
  if (opset_ == 0) throw fail("the model declares no ONNX opset (ir_version " + std::to_string(m_.ir_version()) + " is too old)");
  if (opset_ < kMinOnnxOpset || opset_ > kMaxOnnxOpset)
    throw fail("opset " + std::to_string(opset_) + " is not supported: netlens reads opsets " +
               std::to_string(kMinOnnxOpset) + " to " + std::to_string(kMaxOnnxOpset) +
               " (export with opset_version=14)");
  if (m_.functions_size() > 0) throw fail("the model defines local functions, which netlens does not read");
  if (m_.training_info_size() > 0) throw fail("the model carries training_info, which netlens does not read");
  if (g_.sparse_initializer_size() > 0) throw fail("the model has sparse initializers, which netlens does not read");
}

void Importer::read_initializers() {
  for (const auto& t : g_.initializer())
    consts_[t.name()] = read_tensor(t, "onnx: initializer \"" + excerpt(t.name()) + "\"");
}

// Before anything else, the nodes netlens cannot import at all, named: ops outside the
// whitelist, and nodes joining two computed tensors (a residual Add, attention's MatMul) whose
// inputs do not come from one tensor through element-wise ops only (as SiLU's Mul(x, σ(x)) does).
void Importer::prescan() const {
  std::set<std::string> fixed;  // weights, constants and shape values
  for (const auto& [t, v] : consts_) fixed.insert(t);
  std::map<std::string, std::string> root;  // tensor -> the tensor it is an element-wise function of
  // Recurrent layers and control flow first: a Transpose or Slice around an LSTM is not the news.
  for (int i = 0; i < g_.node_size(); ++i)
    if (kRecurrent.count(g_.node(i).op_type())) throw node_fail(i, "not supported; " + std::string(kImports));
  const auto root_of = [&](const std::string& t) {
    const auto it = root.find(t);
    return it == root.end() ? t : it->second;
  };
  for (int i = 0; i < g_.node_size(); ++i) {
    const auto& n = g_.node(i);
    const std::string& op = n.op_type();
    if (!kSupported.count(op) && !is_elementwise(op))
      throw node_fail(i, "not supported; " + std::string(kImports));
    std::set<std::string> inputs, roots;
    for (const auto& in : n.input())
      if (!in.empty() && !fixed.count(in)) inputs.insert(in), roots.insert(root_of(in));
    if (op == "Constant" || op == "Shape" || inputs.empty()) {
      for (const auto& out : n.output()) fixed.insert(out);
      continue;
    }
    if (inputs.size() > 1 && (!is_elementwise(op) || roots.size() > 1)) {
      std::string names;
      for (const auto& in : inputs) names += (names.empty() ? "\"" : " and \"") + excerpt(in) + "\"";
      throw node_fail(i, "joins two computed tensors (" + names + "): residual connections, branches and attention are "
                         "not supported; " + kImports);
    }
    if (is_elementwise(op) && n.output_size() > 0) root[n.output(0)] = *roots.begin();
  }
}

void Importer::read_input_output() {
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& v : g_.input())
    if (!consts_.count(v.name())) inputs.push_back(&v);
  if (inputs.size() != 1)
    throw fail("the graph has " + std::to_string(inputs.size()) +
               " inputs besides its weights; netlens imports networks of exactly one input");
  if (g_.output_size() != 1)
    throw fail("the graph has " + std::to_string(g_.output_size()) + " outputs; netlens imports networks of exactly one output");
  const onnx::ValueInfoProto& in = *inputs[0];
  input_ = cur_ = in.name();
  output_ = g_.output(0).name();
  const std::string where = "input \"" + excerpt(input_) + "\"";
  if (!in.type().has_tensor_type() || in.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
    throw fail(where + ": must be a float32 tensor");
  const auto& t = in.type().tensor_type();
  if (!t.has_shape()) throw fail(where + ": has no shape (export with an example input)");
  const auto& dims = t.shape().dim();
  if (dims.size() != 2 && dims.size() != 4)
    throw fail(where + ": has " + std::to_string(dims.size()) +
               " dimensions; netlens imports inputs of (batch, features) or (batch, channels, height, width)");
  if (dims[0].has_dim_value()) input_batch_ = dims[0].dim_value();
  for (int d = 1; d < dims.size(); ++d) {
    if (!dims[d].has_dim_value() || dims[d].dim_value() < 1 || dims[d].dim_value() > (1 << 20))
      throw fail(where + ": dimension " + std::to_string(d) + " is " +
                 (dims[d].has_dim_param() ? "dynamic (\"" + excerpt(dims[d].dim_param()) + "\")" : "not a positive size") +
                 "; only the batch dimension may be dynamic");
    shape_.push_back(static_cast<int>(dims[d].dim_value()));
  }
  if (shape_.size() == 3 && shape_[1] != shape_[2])
    throw fail(where + ": its images are " + std::to_string(shape_[1]) + "×" + std::to_string(shape_[2]) +
               "; netlens's image networks take square images");
  input_shape_ = shape_;
}

// Reading a tensor's shape is no use of its values: Shape nodes do not count.
void Importer::count_uses() {
  for (const auto& n : g_.node())
    if (n.op_type() != "Shape")
      for (const auto& i : n.input()) ++uses_[i];
  ++uses_[output_];
}

const TensorData& Importer::constant(int i, int k) const {
  const auto& n = g_.node(i);
  if (k >= n.input_size() || n.input(k).empty()) throw node_fail(i, "input " + std::to_string(k) + " is missing");
  const auto it = consts_.find(n.input(k));
  if (it == consts_.end())
    throw node_fail(i, "input " + std::to_string(k) + " (\"" + excerpt(n.input(k)) +
                           "\") must be a constant (weights); netlens imports networks whose weights are initializers");
  if (it->second.integer && k > 0 && n.op_type() != "Reshape")
    throw node_fail(i, "input " + std::to_string(k) + " holds int64 values; netlens reads float32 weights");
  return it->second;
}

// The node's outputs past the first must not be used (Dropout's mask, MaxPool's indices, ...).
void Importer::only_first_output(int i) const {
  const auto& n = g_.node(i);
  for (int k = 1; k < n.output_size(); ++k)
    if (!n.output(k).empty() && uses_.count(n.output(k)))
      throw node_fail(i, "its output " + std::to_string(k) + " is used; netlens imports inference graphs (one output per node)");
}

void Importer::advance(int i) {
  only_first_output(i);
  cur_ = g_.node(i).output(0);
  done_[static_cast<std::size_t>(i)] = true;
}

void Importer::add_layer(json layer) {
  layers_.push_back(std::move(layer));
  weight_layer_.reset();
}

void Importer::step(int i) {
  const auto& n = g_.node(i);
  const std::string& op = n.op_type();
  if (!n.domain().empty() && n.domain() != "ai.onnx")
    throw node_fail(i, "is an op of domain \"" + excerpt(n.domain()) + "\"; " + kImports);
  if (n.output_size() < 1) throw node_fail(i, "has no output");
  if (op == "Constant") {
    consts_[n.output(0)] = constant_value(i);
    done_[static_cast<std::size_t>(i)] = true;
    return;
  }
  std::vector<std::string> inputs;
  for (const auto& in : n.input())
    if (computed(in)) inputs.push_back(in);
  if (op == "Shape") return shape_of(i);
  if (inputs.empty()) return fold(i);
  for (const auto& in : inputs)
    if (in != cur_)
      throw node_fail(i, "reads \"" + excerpt(in) + "\", which is not the output of the layer before it: branches, "
                         "skip connections and several inputs are not supported; " + kImports);
  if (ended_) throw node_fail(i, "comes after the final Softmax; netlens ends a network with its softmax");
  if (is_elementwise(op)) return elementwise(i);
  if (inputs.size() > 1) throw node_fail(i, "reads the same tensor twice; " + std::string(kImports));
  if (uses_[cur_] > 1)
    throw node_fail(i, "\"" + excerpt(cur_) + "\" is read by several nodes (a branch); " + std::string(kImports));
  if (n.input(0) != cur_) throw node_fail(i, "must read the layer before it as its first input");
  if (op == "Gemm") return gemm(i);
  if (op == "MatMul") return matmul(i);
  if (op == "Conv") return conv(i);
  if (op == "MaxPool" || op == "AveragePool") return pool(i);
  if (op == "GlobalAveragePool") return global_pool(i);
  if (op == "Flatten") return flatten(i);
  if (op == "Reshape") return reshape(i);
  if (op == "BatchNormalization") return batch_norm(i);
  if (op == "Softmax" || op == "LogSoftmax") return softmax(i);
  throw node_fail(i, "not supported; " + std::string(kImports));
}

Model Importer::build() {
  if (shape_.size() != 1)
    throw fail("the network ends with a " + shape_text(shape_) +
               " map; netlens's networks end with a flat output (one score per class): add a Flatten and a Gemm");
  json config{{"num_classes", shape_[0]}, {"layers", layers_}};
  if (input_shape_.size() == 1)
    config["input_features"] = input_shape_[0];
  else
    config["in_channels"] = input_shape_[0], config["input_size"] = input_shape_[1];
  if (layers_.empty()) throw fail("the graph computes nothing netlens builds (no layer after folding)");
  ImageNetworkSpec spec;
  try {
    spec = parse_image_network(config);
  } catch (const Error& e) {
    throw fail(std::string("the network it describes is beyond netlens's: ") + e.what());
  }
  json header{{"config", config},
              {"source", "onnx"},
              {"onnx", {{"producer", excerpt(m_.producer_name() + (m_.producer_version().empty() ? "" : " " + m_.producer_version()))},
                        {"opset", opset_},
                        {"input", excerpt(input_)},
                        {"output", excerpt(output_)}}}};
  Model model{std::move(header), spec, build_image_network(spec, 1)};
  const auto params = model.network.params();
  if (params.size() != params_.size()) throw fail("internal: the layers' weights do not match the network");
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (params[k].value->size() != params_[k].size()) throw fail("internal: a layer's weights do not match the network");
    for (float v : params_[k])
      if (!std::isfinite(v)) throw fail("a weight is not a finite number");
    std::copy(params_[k].begin(), params_[k].end(), params[k].value->data());
  }
  return model;
}

}  // namespace onnx_model

Model import_onnx(std::string_view bytes, const std::string& name) {
  if (bytes.size() > kMaxOnnxBytes)
    throw Error(name, "onnx: the file is " + std::to_string(bytes.size() >> 20) + " MiB; netlens reads models up to " +
                          std::to_string(kMaxOnnxBytes >> 20) + " MiB");
  onnx::ModelProto m;
  if (bytes.empty() || !m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw Error(name, "onnx: not a readable ONNX model: the file is truncated or corrupt (protobuf could not parse it)");
  return onnx_model::Importer(m, name).run();
}

}  // namespace netlens::nn
