#include "nn/onnx/importer.hpp"

#include <cmath>

#include "nn/onnx/elementwise.hpp"

namespace netlens::nn::onnx_model {

// A run of element-wise nodes from cur, each segment between cut points one activation.
void Importer::elementwise(int first) {
  std::vector<Step> steps;
  std::map<std::string, int> slot{{cur_, 0}};
  std::vector<int> node_of_step;
  std::map<std::string, int> inside;  // uses by nodes of the run
  for (int j = first; j < g_.node_size(); ++j) {
    if (done_[static_cast<std::size_t>(j)]) continue;
    const auto& n = g_.node(j);
    if (n.op_type() == "Constant" && n.output_size() > 0) {
      consts_[n.output(0)] = constant_value(j);
      done_[static_cast<std::size_t>(j)] = true;
      continue;
    }
    if (!is_elementwise(n.op_type()) || (!n.domain().empty() && n.domain() != "ai.onnx")) break;
    bool reads_run = false, reads_other = false;
    for (const auto& in : n.input())
      if (computed(in)) (slot.count(in) ? reads_run : reads_other) = true;
    if (!reads_run || reads_other) break;
    Step s{n.op_type(), {}, n.op_type() == "LeakyRelu" ? attr_float(n, "alpha", 0.01f) : attr_float(n, "alpha", 1.0f)};
    const int operands = n.op_type() == "Dropout" ? 1 : n.input_size();
    for (int k = 0; k < operands; ++k) {
      const std::string& in = n.input(k);
      if (slot.count(in)) {
        s.args.push_back({slot[in], 0});
        ++inside[in];
      } else {
        const TensorData& c = constant(j, k);
        if (c.size() != 1)
          throw node_fail(j, "applies a constant of shape " + dims_string(c.dims) +
                                 " to every value; netlens imports element-wise activations with scalar constants only");
        s.args.push_back({-1, c.floats[0]});
      }
    }
    if (n.op_type() == "Dropout")
      for (int k = 1; k < n.input_size(); ++k) ++inside[n.input(k)];
    if (s.args.empty()) throw node_fail(j, "has no input");
    if (s.op != "Dropout" && s.op != "Identity" && s.args.size() != (s.op == "Add" || s.op == "Sub" || s.op == "Mul" || s.op == "Div" || s.op == "Pow" ? 2u : 1u))
      throw node_fail(j, "has " + std::to_string(s.args.size()) + " inputs");
    only_first_output(j);
    steps.push_back(std::move(s));
    node_of_step.push_back(j);
    slot[n.output(0)] = static_cast<int>(steps.size());
    done_[static_cast<std::size_t>(j)] = true;
  }
  const int last = static_cast<int>(steps.size());
  // Every value but the last must be read only inside the run, or the run is a branch.
  for (const auto& [t, k] : slot)
    if (k != last && uses_[t] > inside[t])
      throw node_fail(node_of_step[static_cast<std::size_t>(std::max(k, 1)) - 1],
                      "\"" + excerpt(t) + "\" is read outside this element-wise run (a branch); " + kImports);
  // Slot k is a cut when the steps from k on read only slots k and after. From each cut, the
  // longest stretch to a later cut that is an activation is one layer (torch's exact GELU
  // ends with a cut before its final ·0.5, so the shortest stretches would not do).
  std::vector<int> cuts;
  for (int k = 1; k <= last; ++k) {
    bool cut = true;
    for (int s = k; s < last && cut; ++s)
      for (const auto& a : steps[static_cast<std::size_t>(s)].args) cut = cut && (a.slot < 0 || a.slot >= k);
    if (cut) cuts.push_back(k);
  }
  for (int from = 0; from < last;) {
    int to = -1;
    std::optional<Activation> a;
    for (auto k = cuts.rbegin(); k != cuts.rend() && *k > from && !a; ++k)
      if ((a = match_activation(steps, from, *k))) to = *k;
    if (!a) {
      const int node = node_of_step[static_cast<std::size_t>(from)];
      const std::string nodes = last - from == 1 ? "" : " (nodes " + std::to_string(node) + " to " +
                                                            std::to_string(node_of_step.back()) + ")";
      if (is_erf_gelu(steps, from, last))
        throw node_fail(node, "computes the exact GELU" + nodes +
                                  "; netlens's GELU is the tanh approximation: export with nn.GELU(approximate='tanh')");
      throw node_fail(node, "computes an element-wise function" + nodes +
                                " that is none of netlens's activations (relu, leaky_relu with slope 0.01, tanh, sigmoid, "
                                "elu with alpha 1, softplus, silu, gelu as its tanh approximation, mish, sine)");
    }
    if (*a != Activation::Linear) add_layer({{"type", std::string(activation_name(*a))}});
    from = to;
  }
  cur_ = g_.node(node_of_step.back()).output(0);
}

void Importer::need_flat(int i) const {
  if (shape_.size() != 1)
    throw node_fail(i, "needs a flat input, but its input is a " + shape_text(shape_) + " map: put a Flatten before it");
}

void Importer::add_dense(int i, int out, std::vector<float> w, std::vector<float> b) {
  add_layer({{"type", "dense"}, {"out_features", out}});
  weight_layer_ = layers_.size() - 1;
  params_.push_back(std::move(w));
  params_.push_back(std::move(b));
  shape_ = {out};
  advance(i);
}

// Y = alpha A B' + beta C, with B' = B or Bᵀ: netlens's W is (in, out), B' itself.
void Importer::gemm(int i) {
  need_flat(i);
  const auto& n = g_.node(i);
  if (attr_int(n, "transA", 0) != 0) throw node_fail(i, "transA=1 is not supported (the batch must be the first dimension)");
  const bool trans_b = attr_int(n, "transB", 0) != 0;
  const float alpha = attr_float(n, "alpha", 1.0f), beta = attr_float(n, "beta", 1.0f);
  const TensorData& B = constant(i, 1);
  const int in = shape_[0];
  if (B.dims.size() != 2 || B.dims[trans_b ? 1 : 0] != in)
    throw node_fail(i, "its weights have shape " + dims_string(B.dims) + ", which does not take " +
                           std::to_string(in) + " inputs");
  const auto out = static_cast<int>(B.dims[trans_b ? 0 : 1]);
  std::vector<float> w(static_cast<std::size_t>(in) * static_cast<std::size_t>(out));
  for (std::size_t r = 0; r < static_cast<std::size_t>(in); ++r)
    for (std::size_t c = 0; c < static_cast<std::size_t>(out); ++c)
      w[r * out + c] = alpha * B.floats[trans_b ? c * in + r : r * out + c];
  std::vector<float> b(static_cast<std::size_t>(out), 0.0f);
  if (n.input_size() > 2 && !n.input(2).empty()) {
    const TensorData& C = constant(i, 2);
    const bool row = C.size() == static_cast<std::size_t>(out) && (C.dims.size() == 1 || (C.dims.size() == 2 && C.dims[0] == 1));
    if (!row && C.size() != 1)
      throw node_fail(i, "its bias has shape " + dims_string(C.dims) + "; netlens reads one bias per output");
    for (std::size_t c = 0; c < b.size(); ++c) b[c] = beta * C.floats[row ? c : 0];
  }
  add_dense(i, out, std::move(w), std::move(b));
}

// MatMul(x, W) and, when an Add of a constant vector follows, its bias.
void Importer::matmul(int i) {
  need_flat(i);
  const TensorData& B = constant(i, 1);
  const int in = shape_[0];
  if (B.dims.size() != 2 || B.dims[0] != in)
    throw node_fail(i, "its weights have shape " + dims_string(B.dims) + ", which does not take " +
                           std::to_string(in) + " inputs");
  const auto out = static_cast<int>(B.dims[1]);
  std::vector<float> b(static_cast<std::size_t>(out), 0.0f);
  const std::string& y = g_.node(i).output(0);
  for (int j = i + 1; j < g_.node_size(); ++j) {
    const auto& n = g_.node(j);
    if (done_[static_cast<std::size_t>(j)]) continue;
    if (n.op_type() == "Constant" && n.output_size() > 0) {
      consts_[n.output(0)] = constant_value(j);
      done_[static_cast<std::size_t>(j)] = true;
      continue;
    }
    if (n.op_type() != "Add" || n.input_size() != 2 || uses_[y] != 1) break;
    const int k = n.input(0) == y ? 1 : n.input(1) == y ? 0 : -1;
    if (k < 0 || !consts_.count(n.input(k))) break;
    const TensorData& C = constant(j, k);
    if (C.size() != static_cast<std::size_t>(out) || C.dims.back() != out) break;
    b = C.floats;
    add_dense(i, out, B.floats, std::move(b));
    only_first_output(j);
    cur_ = n.output(0);
    done_[static_cast<std::size_t>(j)] = true;
    return;
  }
  add_dense(i, out, B.floats, std::move(b));
}

void Importer::need_map(int i) const {
  if (shape_.size() != 3)
    throw node_fail(i, "needs channels × height × width, but its input is flat (" + std::to_string(shape_[0]) + " values)");
}

Importer::Window Importer::window(int i, const std::vector<std::int64_t>& kernel, bool conv) const {
  const auto& n = g_.node(i);
  if (kernel.size() != 2 || kernel[0] != kernel[1] || kernel[0] < 1 || kernel[0] > 64)
    throw node_fail(i, "its window " + dims_string(kernel) + " is not square (netlens's windows are F×F, F up to 64)");
  auto strides = attr_ints(n, "strides");
  if (strides.empty()) strides = {1, 1};
  if (strides.size() != 2 || strides[0] != strides[1] || strides[0] < 1 || strides[0] > 64)
    throw node_fail(i, "its strides " + dims_string(strides) + " differ by axis; netlens has one stride per layer");
  const auto dilations = attr_ints(n, "dilations");
  if (!all_equal(dilations, 1)) throw node_fail(i, "dilated windows are not supported");
  const std::string auto_pad = attr_string(n, "auto_pad");
  if (!auto_pad.empty() && auto_pad != "NOTSET" && auto_pad != "VALID")
    throw node_fail(i, "auto_pad " + excerpt(auto_pad) + " is not supported; export with explicit pads");
  auto pads = attr_ints(n, "pads");
  if (pads.empty()) pads = {0, 0, 0, 0};
  if (pads.size() != 4 || !all_equal(pads, pads[0]))
    throw node_fail(i, "its pads " + dims_string(pads) + " differ by side; netlens pads every side alike");
  if (!conv && pads[0] != 0) throw node_fail(i, "padded pooling is not supported");
  if (pads[0] >= kernel[0]) throw node_fail(i, "its padding is not smaller than its window");
  if (attr_int(n, "ceil_mode", 0) != 0) throw node_fail(i, "ceil_mode=1 is not supported");
  const Window w{static_cast<int>(kernel[0]), static_cast<int>(strides[0]), static_cast<int>(pads[0])};
  if (shape_[1] + 2 * w.pad < w.filter)
    throw node_fail(i, "its " + std::to_string(w.filter) + "×" + std::to_string(w.filter) + " window is larger than its " +
                           shape_text({shape_[1], shape_[2]}) + " input");
  return w;
}

void Importer::conv(int i) {
  need_map(i);
  const auto& n = g_.node(i);
  if (attr_int(n, "group", 1) != 1) throw node_fail(i, "grouped (or depthwise) convolutions are not supported");
  const TensorData& W = constant(i, 1);
  if (W.dims.size() != 4 || W.dims[1] != shape_[0])
    throw node_fail(i, "its weights have shape " + dims_string(W.dims) + ", which does not take " +
                           std::to_string(shape_[0]) + " channels");
  auto kernel = attr_ints(n, "kernel_shape");
  if (kernel.empty()) kernel = {W.dims[2], W.dims[3]};
  if (kernel != std::vector<std::int64_t>{W.dims[2], W.dims[3]})
    throw node_fail(i, "kernel_shape does not match its weights' shape " + dims_string(W.dims));
  const Window w = window(i, kernel, true);
  const auto k = static_cast<int>(W.dims[0]);
  if (k > 1024) throw node_fail(i, std::to_string(k) + " output channels is more than netlens's 1024");
  std::vector<float> b(static_cast<std::size_t>(k), 0.0f);
  if (n.input_size() > 2 && !n.input(2).empty()) {
    const TensorData& B = constant(i, 2);
    if (B.size() != static_cast<std::size_t>(k))
      throw node_fail(i, "its bias has " + std::to_string(B.size()) + " values for " + std::to_string(k) + " channels");
    b = B.floats;
  }
  add_layer({{"type", "conv"}, {"out_channels", k}, {"filter_size", w.filter}, {"stride", w.stride}, {"padding", w.pad}});
  weight_layer_ = layers_.size() - 1;
  params_.push_back(W.floats);  // (K, C, F, F) is netlens's (K, C·F·F)
  params_.push_back(std::move(b));
  const int side = (shape_[1] + 2 * w.pad - w.filter) / w.stride + 1;
  shape_ = {k, side, side};
  advance(i);
}

void Importer::pool(int i) {
  need_map(i);
  const auto& n = g_.node(i);
  const Window w = window(i, attr_ints(n, "kernel_shape"), false);
  if (attr_int(n, "storage_order", 0) != 0) throw node_fail(i, "storage_order=1 is not supported");
  add_layer({{"type", n.op_type() == "MaxPool" ? "maxpool" : "avgpool"}, {"filter_size", w.filter}, {"stride", w.stride}});
  const int side = (shape_[1] - w.filter) / w.stride + 1;
  shape_ = {shape_[0], side, side};
  advance(i);
}

// The mean of each channel's whole map: an average pool with the map's size as window.
void Importer::global_pool(int i) {
  need_map(i);
  add_layer({{"type", "avgpool"}, {"filter_size", shape_[1]}, {"stride", shape_[1]}});
  shape_ = {shape_[0], 1, 1};
  advance(i);
}

void Importer::flatten_to_vector() {
  if (shape_.size() == 1) return;
  add_layer({{"type", "flatten"}});
  shape_ = {static_cast<int>(shape_size(shape_))};
}

void Importer::flatten(int i) {
  std::int64_t axis = attr_int(g_.node(i), "axis", 1);
  if (axis < 0) axis += static_cast<std::int64_t>(shape_.size()) + 1;
  if (axis != 1) throw node_fail(i, "flattens from axis " + std::to_string(axis) + "; netlens keeps the batch apart (axis 1)");
  flatten_to_vector();
  advance(i);
}

// Reshape to [N, -1] (or the same shape, or [N, size]): a flatten; anything else is refused.
void Importer::reshape(int i) {
  const auto& n = g_.node(i);
  if (n.input_size() < 2 || !consts_.count(n.input(1))) throw node_fail(i, "its shape must be a constant");
  const TensorData& target = consts_.at(n.input(1));
  if (!target.integer) throw node_fail(i, "its shape must be int64");
  const auto& t = target.ints;
  const auto size = static_cast<std::int64_t>(shape_size(shape_));
  std::string shown = "[";
  for (std::size_t k = 0; k < t.size(); ++k) shown += (k ? ", " : "") + (t[k] == kBatch ? std::string("N") : std::to_string(t[k]));
  shown += "]";
  const bool allow_zero = attr_int(g_.node(i), "allowzero", 0) != 0;
  const bool rest_known = t.size() >= 2 && std::find(t.begin() + 1, t.end(), -1) == t.end();
  const bool batch = !t.empty() && (t[0] == kBatch || (t[0] == 0 && !allow_zero) || (input_batch_ > 0 && t[0] == input_batch_) ||
                                    (t[0] == -1 && rest_known));
  std::vector<std::int64_t> rest(t.begin() + (t.empty() ? 0 : 1), t.end());
  std::vector<std::int64_t> current(shape_.begin(), shape_.end());
  std::int64_t rest_size = 1;
  for (auto d : rest) rest_size *= d;
  if (!batch || !(rest == std::vector<std::int64_t>{-1} || rest == current || (rest.size() == 1 && rest_size == size)))
    throw node_fail(i, "reshapes " + shape_text(shape_) + " values to " + shown +
                           "; netlens imports Reshape to [N, -1] (a flatten) only");
  if (rest != current) flatten_to_vector();
  advance(i);
}

// y = γ (x − μ) / √(σ² + ε) + β per channel, folded into the conv or dense before it.
void Importer::batch_norm(int i) {
  const auto& n = g_.node(i);
  if (!weight_layer_) throw node_fail(i, "must follow a Conv, Gemm or MatMul directly (netlens folds it into their weights)");
  if (attr_int(n, "training_mode", 0) != 0) throw node_fail(i, "is in training mode; export the model in eval mode");
  if (attr_int(n, "spatial", 1) != 1) throw node_fail(i, "spatial=0 is not supported");
  const float eps = attr_float(n, "epsilon", 1e-5f);
  const bool conv = layers_[*weight_layer_]["type"] == "conv";
  const auto channels = static_cast<std::size_t>(shape_[0]);
  std::vector<const TensorData*> p;
  for (int k = 1; k <= 4; ++k) {
    p.push_back(&constant(i, k));
    if (p.back()->size() != channels)
      throw node_fail(i, "input " + std::to_string(k) + " has " + std::to_string(p.back()->size()) + " values for " +
                             std::to_string(channels) + " channels");
  }
  std::vector<float>& w = params_[params_.size() - 2];
  std::vector<float>& b = params_.back();
  const std::size_t per = w.size() / channels;  // conv: a channel's C·F·F weights; dense: its in rows
  for (std::size_t c = 0; c < channels; ++c) {
    const double s = p[0]->floats[c] / std::sqrt(static_cast<double>(p[3]->floats[c]) + eps);
    for (std::size_t r = 0; r < per; ++r) {
      float& v = conv ? w[c * per + r] : w[r * channels + c];
      v = static_cast<float>(v * s);
    }
    b[c] = static_cast<float>((b[c] - p[2]->floats[c]) * s + p[1]->floats[c]);
  }
  const std::size_t kept = *weight_layer_;
  advance(i);
  weight_layer_ = kept;
}

void Importer::softmax(int i) {
  const auto& n = g_.node(i);
  need_flat(i);
  const std::int64_t axis = attr_int(n, "axis", opset_ < 13 ? 1 : -1);
  if (axis != 1 && axis != -1) throw node_fail(i, "must apply to the class axis (1), not axis " + std::to_string(axis));
  add_layer({{"type", n.op_type() == "Softmax" ? "softmax" : "log_softmax"}});
  ended_ = true;
  advance(i);
}

}  // namespace netlens::nn::onnx_model
