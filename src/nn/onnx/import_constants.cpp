#include "nn/onnx/importer.hpp"

#include <cmath>

namespace netlens::nn::onnx_model {

TensorData Importer::constant_value(int i) const {
  const auto& n = g_.node(i);
  if (n.attribute_size() != 1) throw node_fail(i, "must have exactly one value attribute");
  const auto& a = n.attribute(0);
  const std::string where = "onnx: node " + std::to_string(i) + " \"" + excerpt(n.name()) + "\" (Constant)";
  TensorData d;
  if (a.name() == "value") return read_tensor(a.t(), where);
  if (a.name() == "value_float") d.floats = {a.f()};
  else if (a.name() == "value_floats") d.floats.assign(a.floats().begin(), a.floats().end()), d.dims = {a.floats_size()};
  else if (a.name() == "value_int") d.integer = true, d.ints = {a.i()};
  else if (a.name() == "value_ints") d.integer = true, d.ints.assign(a.ints().begin(), a.ints().end()), d.dims = {a.ints_size()};
  else throw node_fail(i, "holds a \"" + excerpt(a.name()) + "\" value; netlens reads tensors, floats and ints");
  return d;
}

// Shape of the chain's tensor: [batch, the per-sample shape], start and end as opset 15 has them.
void Importer::shape_of(int i) {
  const auto& n = g_.node(i);
  if (n.input_size() < 1 || n.input(0) != cur_) throw node_fail(i, "reads the shape of a tensor that is not the chain's");
  std::vector<std::int64_t> full{kBatch};
  for (int d : shape_) full.push_back(d);
  const auto rank = static_cast<std::int64_t>(full.size());
  auto clamp = [&](std::int64_t v) { return std::clamp(v < 0 ? v + rank : v, std::int64_t{0}, rank); };
  const std::int64_t start = clamp(attr_int(n, "start", 0)), end = clamp(attr_int(n, "end", rank));
  TensorData d;
  d.integer = true;
  for (std::int64_t k = start; k < end; ++k) d.ints.push_back(full[static_cast<std::size_t>(k)]);
  d.dims = {static_cast<std::int64_t>(d.ints.size())};
  consts_[n.output(0)] = std::move(d);
  done_[static_cast<std::size_t>(i)] = true;
}

// The shape ops torch emits around a Reshape, on int64 constants.
void Importer::fold(int i) {
  const auto& n = g_.node(i);
  const std::string& op = n.op_type();
  const auto ints = [&](int k) -> const TensorData& {
    const auto it = consts_.find(k < n.input_size() ? n.input(k) : "");
    if (it == consts_.end() || !it->second.integer)
      throw node_fail(i, "netlens folds only shape computations (int64 constants) before a Reshape");
    return it->second;
  };
  TensorData out;
  out.integer = true;
  if (op == "Identity" || op == "Squeeze" || op == "Unsqueeze" || (op == "Cast" && attr_int(n, "to", 0) == onnx::TensorProto::INT64)) {
    out.ints = ints(0).ints;
    out.dims = {static_cast<std::int64_t>(out.ints.size())};
  } else if (op == "Gather") {
    const TensorData& data = ints(0);
    const TensorData& index = ints(1);
    if (attr_int(n, "axis", 0) != 0 || data.dims.size() > 1) throw node_fail(i, "netlens folds Gather along axis 0 of a shape only");
    const auto size = static_cast<std::int64_t>(data.ints.size());
    for (std::int64_t k : index.ints) {
      if (k < 0) k += size;
      if (k < 0 || k >= size) throw node_fail(i, "index " + std::to_string(k) + " is past the shape's " + std::to_string(size) + " values");
      out.ints.push_back(data.ints[static_cast<std::size_t>(k)]);
    }
    out.dims = index.dims;
  } else if (op == "Concat") {
    for (int k = 0; k < n.input_size(); ++k) {
      const TensorData& part = ints(k);
      out.ints.insert(out.ints.end(), part.ints.begin(), part.ints.end());
    }
    out.dims = {static_cast<std::int64_t>(out.ints.size())};
  } else {
    throw node_fail(i, "computes on constants with an op netlens does not fold (export with do_constant_folding=True); " +
                           std::string(kImports));
  }
  consts_[n.output(0)] = std::move(out);
  done_[static_cast<std::size_t>(i)] = true;
}

}  // namespace netlens::nn::onnx_model
