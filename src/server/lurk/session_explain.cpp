#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "data/digit_image.hpp"
#include "data/resize.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/pool.hpp"
#include "probe/lurk/attribution.hpp"
#include "probe/lurk/cam.hpp"
#include "probe/lurk/sanity.hpp"
#include "server/common/wire.hpp"
#include "server/lurk/cam_layer.hpp"
#include "server/lurk/conv_weights.hpp"
#include "server/lurk/messages.hpp"
#include "server/lurk/session.hpp"

// Why this answer (a test image or a drawing, and the maps of every method) and how a unit computes.
namespace netlens::server::lurk {

using nlohmann::json;

namespace {

std::vector<float> softmax(const float* z, int k) {
  const float m = *std::max_element(z, z + k);
  std::vector<float> p(static_cast<std::size_t>(k));
  double sum = 0;
  for (int i = 0; i < k; ++i) sum += p[static_cast<std::size_t>(i)] = std::exp(z[i] - m);
  for (auto& v : p) v = static_cast<float>(v / sum);
  return p;
}


}  // namespace

// A random test image of class `label`: its index and label, for an explain to name.
void LurkSession::on(const Sample& c) {
  need_model();
  if (c.label >= static_cast<int>(classes_.size()))
    throw Error("label", std::to_string(c.label) + ": the model has " + std::to_string(classes_.size()) + " classes");
  std::vector<int> of_class;
  for (int i = 0; i < images_.size(); ++i)
    if (images_.labels[static_cast<std::size_t>(i)] == c.label) of_class.push_back(i);
  if (of_class.empty()) throw Error("label", "no test image of class " + std::to_string(c.label));
  static thread_local Rng rng(static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
  const int index = of_class[rng.below(static_cast<std::uint32_t>(of_class.size()))];
  send_text(json{{"type", "sample"}, {"label", c.label}, {"index", index}}.dump());
}

// Why the network answers what it answers: the probabilities, the method's map for the target
// class and the same method's map for every class (the CAMs at the chosen layer).
void LurkSession::on(const Explain& c) {
  need_model();
  const nn::Network& network = shown().network;
  const Shape& in = network.input_shape();
  const std::size_t n = shape_size(in);
  std::vector<float> input(n);
  ExplanationInfo info;
  if (c.test >= 0) {
    if (c.test >= images_.size())
      throw Error("test", std::to_string(c.test) + ": no such test image (0.." + std::to_string(images_.size() - 1) + ")");
    std::copy_n(image(c.test), n, input.data());
    info.test = c.test;
    info.test_label = images_.labels[static_cast<std::size_t>(c.test)];
  } else {
    const std::vector<float> digit = data::prepare_digit(c.pixels, c.height, c.width);
    data::resize_area(digit.data(), data::kDigitSize, data::kDigitSize, input.data(), in[1], in[2]);
  }
  input_ = input;
  const int classes = static_cast<int>(classes_.size());
  if (c.target >= classes)
    throw Error("target", std::to_string(c.target) + ": the model has " + std::to_string(classes) + " classes (0.." +
                              std::to_string(classes - 1) + ")");
  probe::lurk::AttributionOptions options;
  options.layer = c.cam_layer;
  if (probe::lurk::is_cam(c.method)) {
    if (options.layer < 0) options.layer = view_cam_layer(network);
    probe::lurk::check_cam_layer(network, options.layer);
  }
  std::copy(input.begin(), input.end(), bp_->input().data());
  bp_->forward(1);
  const int last = static_cast<int>(network.size()) - 1;
  const float* logits = bp_->activation(last).data();
  info.logits.assign(logits, logits + classes);
  info.probabilities = softmax(logits, classes);
  info.predicted = probe::lurk::predicted_class(*bp_);
  info.target = c.target >= 0 ? c.target : info.predicted;
  info.method = c.method;
  info.cam_layer = probe::lurk::is_cam(c.method) ? options.layer : -1;

  const int H = in[1], W = in[2];
  Tensor picture({H, W}), map({H, W}), per_class({classes, H, W});
  std::copy(input.begin(), input.end(), picture.data());
  for (int k = 0; k < classes; ++k) {
    options.target_class = k;
    const probe::lurk::Attribution a = probe::lurk::attribute(*bp_, input, c.method, options);
    std::copy(a.map.begin(), a.map.end(), per_class.data() + static_cast<std::size_t>(k) * n);
    if (k == info.target) {
      std::copy(a.map.begin(), a.map.end(), map.data());
      info.output = a.output;
      info.forward_passes = a.forward_passes;
    }
  }
  info.seq = ++seq_;
  // Only the newest input's answer matters: the message and its maps travel together.
  publish({text_message(explanation_message(info).dump()),
           {std::make_shared<const std::string>(encode_tensors(kExplanationMagic, seq_, {&picture, &map, &per_class})), true}});
}

// The sanity check beside the map: the method's map on the last explain's input as the weights
// are re-drawn layer by layer from the top (probe/lurk/sanity.hpp), each step's map and its
// Spearman correlation with the trained model's.
void LurkSession::on(const Sanity& c) {
  need_model();
  if (input_.empty()) throw Error("draw a digit or pick a test image first: the sanity check is made on that input");
  nn::Network& network = shown().network;
  probe::lurk::AttributionOptions options;
  options.target_class = c.target;
  options.layer = c.cam_layer;
  if (probe::lurk::is_cam(c.method)) {
    if (options.layer < 0) options.layer = view_cam_layer(network);
    probe::lurk::check_cam_layer(network, options.layer);
  }
  const std::vector<probe::lurk::SanityStep> steps = probe::lurk::cascading_randomisation(network, input_, {c.method}, options);
  const Shape& in = network.input_shape();
  const std::size_t n = shape_size(in);
  Tensor maps({static_cast<int>(steps.size()), in[1], in[2]});
  json list = json::array();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::copy_n(steps[i].maps[0].begin(), n, maps.data() + i * n);
    list.push_back({{"layer", steps[i].layer}, {"name", steps[i].name}, {"correlation", steps[i].correlation[0]}});
  }
  ++seq_;
  send_text(json{{"type", "sanity"}, {"seq", seq_}, {"method", probe::lurk::method_name(c.method)},
                 {"cam_layer", probe::lurk::is_cam(c.method) ? json(options.layer) : json(nullptr)}, {"steps", std::move(list)}}
                .dump());
  send_binary(encode_tensors(kSanityMagic, seq_, {&maps}));
}

// A conv unit at (y, x) on the last explain's input: each input channel's patch (zeros where the
// window reaches past the map: the padding), the unit's kernels, its bias, the engine's value of
// the unit there before and after the activation that follows, and the unit's whole map (after
// it) to pick another position from; and when a max-pool follows, its window holding (y, x).
void LurkSession::on(const Operate& c) {
  need_model();
  if (input_.empty()) throw Error("draw a digit or pick a test image first: the operation is shown on that input");
  nn::Network& network = shown().network;
  probe::lurk::check_layer(network, c.layer);
  const nn::Conv2D* conv = conv_at(network, c.layer);
  if (!conv) throw Error("layer", std::to_string(c.layer) + " is not a conv layer");
  const auto& s = conv->shape();
  if (c.unit >= s.out_channels)
    throw Error("unit", std::to_string(c.unit) + ": no such unit; layer " + std::to_string(c.layer) + " has " +
                            std::to_string(s.out_channels) + " (0.." + std::to_string(s.out_channels - 1) + ")");
  const int H = s.out_height(), W = s.out_width();
  if (c.y >= H || c.x >= W)
    throw Error("position", "(" + std::to_string(c.y) + ", " + std::to_string(c.x) + ") is outside the " +
                                std::to_string(H) + "×" + std::to_string(W) + " map");
  std::copy(input_.begin(), input_.end(), bp_->input().data());
  bp_->forward(1);
  const float* x = c.layer == 0 ? bp_->input().data() : bp_->activation(c.layer - 1).data();
  const int F = s.filter;
  Tensor patches({s.in_channels, F, F});
  for (int ch = 0; ch < s.in_channels; ++ch)
    for (int i = 0; i < F; ++i)
      for (int j = 0; j < F; ++j) {
        const int yy = c.y * s.stride - s.padding + i, xx = c.x * s.stride - s.padding + j;
        const bool inside = yy >= 0 && yy < s.height && xx >= 0 && xx < s.width;
        patches.data()[(static_cast<std::size_t>(ch) * F + i) * F + j] =
            inside ? x[(static_cast<std::size_t>(ch) * s.height + yy) * s.width + xx] : 0.0f;
      }
  const Tensor kernel = kernels(network, c.layer, c.unit);
  const bool activated = c.layer + 1 < static_cast<int>(network.size()) &&
                         dynamic_cast<const nn::ActivationLayer*>(&network.layer(static_cast<std::size_t>(c.layer + 1)));
  const int after = activated ? c.layer + 1 : c.layer;
  const std::size_t map_size = static_cast<std::size_t>(H) * W;
  const float* pre = bp_->activation(c.layer).data() + static_cast<std::size_t>(c.unit) * map_size;
  const float* post = bp_->activation(after).data() + static_cast<std::size_t>(c.unit) * map_size;
  Tensor map({H, W});
  std::copy_n(post, map_size, map.data());
  const float bias = network.layer(static_cast<std::size_t>(c.layer)).params()[1].value->data()[c.unit];
  // The colour scales of the unit's map the page can pick: the largest |value| of the layer's
  // units there, and of every layer's (the input excluded).
  const auto max_abs = [](const Tensor& t) {  // of the batch's first input, the one forwarded
    float m = 0;
    const std::size_t n = t.size() / static_cast<std::size_t>(t.shape()[0]);
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::abs(t.data()[i]));
    return m;
  };
  float global_max = 0;
  for (int l = 0; l < static_cast<int>(network.size()); ++l) global_max = std::max(global_max, max_abs(bp_->activation(l)));
  const json map_max{{"layer", max_abs(bp_->activation(after))}, {"global", global_max}};

  // The max-pool window after the activation that holds (y, x), as CNN Explainer shows it.
  json pool = nullptr;
  const std::size_t next = static_cast<std::size_t>(after + 1);
  if (const auto* mp = next < network.size() ? dynamic_cast<const nn::MaxPool2D*>(&network.layer(next)) : nullptr) {
    const nn::Pool2DShape& p = mp->shape();
    const int py = c.y / p.stride, px = c.x / p.stride;
    if (py < p.out_height() && px < p.out_width()) {
      std::vector<float> window;
      std::size_t argmax = 0;
      for (int i = 0; i < p.filter; ++i)
        for (int j = 0; j < p.filter; ++j) {
          const float v = post[static_cast<std::size_t>(py * p.stride + i) * W + px * p.stride + j];
          if (!window.empty() && v > window[argmax]) argmax = window.size();
          window.push_back(v);
        }
      const std::size_t out_size = static_cast<std::size_t>(p.out_height()) * p.out_width();
      const float out = bp_->activation(static_cast<int>(next)).data()[c.unit * out_size + static_cast<std::size_t>(py) * p.out_width() + px];
      pool = {{"layer", next}, {"name", mp->name()}, {"filter", p.filter}, {"stride", p.stride}, {"y", py}, {"x", px},
              {"values", window}, {"argmax", argmax}, {"output", out}};
    }
  }
  ++seq_;
  const std::size_t at = static_cast<std::size_t>(c.y) * W + c.x;
  send_text(json{{"type", "operation"}, {"seq", seq_}, {"layer", c.layer}, {"unit", c.unit}, {"y", c.y}, {"x", c.x},
                 {"kernel", F}, {"stride", s.stride}, {"padding", s.padding}, {"channels", s.in_channels},
                 {"bias", bias}, {"value", pre[at]}, {"activation", post[at]},
                 {"activation_name", after == c.layer ? "none" : network.layer(static_cast<std::size_t>(after)).name()},
                 {"pool", std::move(pool)}, {"map_max", map_max}}
                .dump());
  send_binary(encode_tensors(kOperationMagic, seq_, {&patches, &kernel, &map}));
}

}  // namespace netlens::server::lurk
