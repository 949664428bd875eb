#include "probe/lurk/backprop.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "nn/layers/activation.hpp"

namespace netlens::probe::lurk {

namespace {

Shape batched(int capacity, const Shape& per_sample) {
  Shape s{capacity};
  s.insert(s.end(), per_sample.begin(), per_sample.end());
  return s;
}

bool is_relu(const nn::Layer& layer) {
  const auto* a = dynamic_cast<const nn::ActivationLayer*>(&layer);
  return a && a->activation() == nn::Activation::ReLU;
}

// The modified ReLU rules, n values: guided dx = 1[x > 0] max(g, 0); deconvnet dx = max(g, 0).
void relu_rule(Rule rule, const float* x, const float* g, float* dx, std::size_t n) {
  if (rule == Rule::Guided)
    for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0.0f && g[i] > 0.0f ? g[i] : 0.0f;
  else
    for (std::size_t i = 0; i < n; ++i) dx[i] = g[i] > 0.0f ? g[i] : 0.0f;
}

}  // namespace

Target unit_target(int layer, int channel, int y, int x) { return {Target::Kind::Unit, layer, channel, y, x}; }
Target channel_mean_target(int layer, int channel) { return {Target::Kind::ChannelMean, layer, channel, 0, 0}; }

void check_layer(const nn::Network& network, int layer) {
  const int n = static_cast<int>(network.size());
  if (layer < 0 || layer >= n)
    throw Error("layer " + std::to_string(layer),
                "no such layer; the model has " + std::to_string(n) + " (0.." + std::to_string(n - 1) + ")");
}

Backprop::Backprop(const nn::Network& network, int capacity) : net_(network), ws_(network.make_workspace(capacity)) {
  shapes_.push_back(network.input_shape());
  for (std::size_t l = 0; l < network.size(); ++l) shapes_.push_back(network.layer(l).output_shape(shapes_.back()));
  for (const Shape& s : shapes_) grads_.emplace_back(batched(capacity, s));
}

void Backprop::check(const Target& t) const {
  check_layer(net_, t.layer);
  const Shape& s = shape(t.layer);
  auto where = [&] { return "layer " + std::to_string(t.layer) + " " + net_.layer(static_cast<std::size_t>(t.layer)).name(); };
  if (t.channel < 0 || t.channel >= s[0])
    throw Error(where(), "no unit " + std::to_string(t.channel) + "; it has " + std::to_string(s[0]) + " (0.." +
                           std::to_string(s[0] - 1) + ")");
  const int h = s.size() == 3 ? s[1] : 1, w = s.size() == 3 ? s[2] : 1;
  if (t.kind == Target::Kind::Unit && (t.y < 0 || t.y >= h || t.x < 0 || t.x >= w))
    throw Error(where(), "no position (" + std::to_string(t.y) + ", " + std::to_string(t.x) + ") in its " +
                           std::to_string(h) + "x" + std::to_string(w) + " map");
}

void Backprop::forward(int batch) {
  if (batch < 1 || batch > ws_.capacity)
    throw Error("Backprop", "batch " + std::to_string(batch) + " outside 1.." + std::to_string(ws_.capacity));
  net_.forward(ws_, batch);
}

float Backprop::value(const Target& t, int sample) const {
  const Shape& s = shape(t.layer);
  const std::size_t per_sample = shape_size(s), plane = s.size() == 3 ? static_cast<std::size_t>(s[1]) * s[2] : 1;
  const float* a = activation(t.layer).data() + static_cast<std::size_t>(sample) * per_sample + t.channel * plane;
  if (t.kind == Target::Kind::ChannelMean) {
    double sum = 0;
    for (std::size_t i = 0; i < plane; ++i) sum += a[i];
    return static_cast<float>(sum / static_cast<double>(plane));
  }
  const int w = s.size() == 3 ? s[2] : 1;
  return a[static_cast<std::size_t>(t.y * w + t.x)];
}

const Tensor& Backprop::backward(const Target& t, Rule rule, int batch) {
  check(t);
  const Shape& s = shape(t.layer);
  const std::size_t per_sample = shape_size(s), plane = s.size() == 3 ? static_cast<std::size_t>(s[1]) * s[2] : 1;
  Tensor& g = seed(t.layer);
  std::fill_n(g.data(), per_sample * static_cast<std::size_t>(batch), 0.0f);
  for (int n = 0; n < batch; ++n) {
    float* gn = g.data() + static_cast<std::size_t>(n) * per_sample + t.channel * plane;
    if (t.kind == Target::Kind::ChannelMean)
      std::fill_n(gn, plane, 1.0f / static_cast<float>(plane));  // d mean / d a_ij = 1 / (H W)
    else
      gn[static_cast<std::size_t>(t.y * (s.size() == 3 ? s[2] : 1) + t.x)] = 1.0f;
  }
  return backward_from(t.layer, rule, batch);
}

// grads_[l] = backward_input of layer l from grads_[l + 1], for l = layer .. 0
const Tensor& Backprop::backward_from(int layer, Rule rule, int batch) {
  check_layer(net_, layer);
  for (int l = layer; l >= 0; --l) {
    const nn::Layer& L = net_.layer(static_cast<std::size_t>(l));
    const Tensor& x = ws_.acts[static_cast<std::size_t>(l)];
    const Tensor& g = grads_[static_cast<std::size_t>(l + 1)];
    Tensor& dx = grads_[static_cast<std::size_t>(l)];
    if (rule != Rule::Normal && is_relu(L))
      relu_rule(rule, x.data(), g.data(), dx.data(), shape_size(shapes_[static_cast<std::size_t>(l)]) * static_cast<std::size_t>(batch));
    else
      L.backward_input(x, ws_.acts[static_cast<std::size_t>(l + 1)], g, dx, batch);
  }
  return grads_.front();
}

}  // namespace netlens::probe::lurk
