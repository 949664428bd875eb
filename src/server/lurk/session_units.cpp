#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"
#include "probe/lurk/dream.hpp"
#include "probe/lurk/unit_gradients.hpp"
#include "server/common/wire.hpp"
#include "server/lurk/conv_weights.hpp"
#include "server/lurk/messages.hpp"
#include "server/lurk/session.hpp"

// The dataset pass's answers: a layer's units, a unit's panel, a unit's dream.
namespace netlens::server::lurk {

using nlohmann::json;

// Every unit's top-1 image, and a conv layer's kernels.
void LurkSession::on(const ShowLayer& c) {
  const json message = layer_message(need_manifest(), c.layer);
  const Shape& in = model_->network.input_shape();
  const json& units = message["units"];
  Tensor tops({static_cast<int>(units.size()), in[1], in[2]});
  const std::size_t n = shape_size(in);
  for (std::size_t u = 0; u < units.size(); ++u)
    if (!units[u]["top"].is_null()) std::copy_n(image(units[u]["top"]["image"].get<int>()), n, tops.data() + u * n);
  std::vector<Tensor> tensors{std::move(tops)};
  if (conv_at(shown().network, c.layer)) tensors.push_back(kernels(shown().network, c.layer, -1));
  std::vector<const Tensor*> refs;
  for (const auto& t : tensors) refs.push_back(&t);
  send_text(message.dump());
  send_binary(encode_tensors(kLayerMagic, ++seq_, refs));
}

namespace {

std::vector<probe::lurk::TopEntry> top_entries(const json& top_max) {
  std::vector<probe::lurk::TopEntry> top;
  for (const auto& e : top_max) top.push_back({e["image"].get<int>(), e["score"].get<float>(), e.value("y", 0), e.value("x", 0)});
  return top;
}

float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::abs(x));
  return m;
}

}  // namespace

// The largest |gradient| over every unit's top images, per scored layer (vanilla, guided): the
// ends of the gradient tiles' layer and global colour scales. Once per network shown, on its
// first unit (a batched backward pass per unit: a fraction of a second on these nets).
const std::map<int, std::array<float, 2>>& LurkSession::gradient_maxima() {
  if (!gradient_max_.empty()) return gradient_max_;
  for (const auto& l : need_manifest().at("layers")) {
    std::array<float, 2> m{0, 0};
    const int layer = l.at("layer").get<int>();
    for (int u = 0; u < static_cast<int>(l.at("unit_stats").size()); ++u) {
      const auto views = probe::lurk::top_image_views(*bp_, layer, u, top_entries(l["unit_stats"][static_cast<std::size_t>(u)]["top_max"]),
                                                      images_.images.data());
      m[0] = std::max(m[0], max_abs(views.vanilla));
      m[1] = std::max(m[1], max_abs(views.guided));
    }
    gradient_max_[layer] = m;
  }
  return gradient_max_;
}

// The unit's top images by max, its vanilla and guided gradients on each, its top images by
// mean, and a conv unit's kernels or a dense unit's incoming weights; the JSON and the frame carry the same seq.
void LurkSession::on(const ShowUnit& c) {
  const json& manifest = need_manifest();
  const nn::Conv2D* conv = conv_at(shown().network, c.layer);
  nn::Layer& layer = shown().network.layer(static_cast<std::size_t>(c.layer));
  const float* bias = layer.params().size() > 1 ? layer.params()[1].value->data() + c.unit : nullptr;
  ++seq_;
  json message = unit_message(manifest, c.layer, c.unit, seq_, nullptr);
  if (bias) message["bias"] = *bias;
  const std::vector<probe::lurk::TopEntry> top = top_entries(message["top_max"]);
  std::array<float, 2> global{0, 0};
  for (const auto& [l, m] : gradient_maxima()) global = {std::max(global[0], m[0]), std::max(global[1], m[1])};
  const auto& layer_max = gradient_maxima().at(c.layer);
  message["gradient_max"] = {{"layer", {layer_max[0], layer_max[1]}}, {"global", {global[0], global[1]}}};
  const probe::lurk::TopImageViews views = probe::lurk::top_image_views(*bp_, c.layer, c.unit, top, images_.images.data());
  const Shape& in = model_->network.input_shape();
  const int k = static_cast<int>(top.size()), H = in[1], W = in[2];
  const std::size_t n = shape_size(in);
  Tensor images({k, H, W}), vanilla({k, H, W}), guided({k, H, W});
  for (int i = 0; i < k; ++i) std::copy_n(image(top[static_cast<std::size_t>(i)].image), n, images.data() + static_cast<std::size_t>(i) * n);
  std::copy(views.vanilla.begin(), views.vanilla.end(), vanilla.data());
  std::copy(views.guided.begin(), views.guided.end(), guided.data());
  const json& by_mean = message["top_mean"];
  Tensor means({static_cast<int>(by_mean.size()), H, W});
  for (std::size_t i = 0; i < by_mean.size(); ++i) std::copy_n(image(by_mean[i]["image"].get<int>()), n, means.data() + i * n);
  std::vector<Tensor> tensors;
  tensors.push_back(std::move(images));
  tensors.push_back(std::move(vanilla));
  tensors.push_back(std::move(guided));
  tensors.push_back(std::move(means));
  if (conv) tensors.push_back(kernels(shown().network, c.layer, c.unit));
  else tensors.push_back(dense_weights(shown().network, c.layer, c.unit));
  std::vector<const Tensor*> refs;
  for (const auto& t : tensors) refs.push_back(&t);
  send_text(message.dump());
  send_binary(encode_tensors(kUnitMagic, seq_, refs));
  unit_shown_ = true;
}

// The dream image of a unit (or a diversity set of them), and the best value a test image gives
// the same target.
void LurkSession::on(const DreamUnit& c) {
  need_model();
  probe::lurk::DreamOptions options;
  options.count = c.count;
  options.diversity = c.diversity;
  const std::vector<probe::lurk::Dream> set = probe::lurk::dreams(*bp_, c.layer, c.unit, options);
  const probe::lurk::Dream& d = set.front();
  const std::size_t n = shape_size(model_->network.input_shape());
  float best = -INFINITY;
  for (int first = 0; first < images_.size(); first += kCapacity) {
    const int batch = std::min(kCapacity, images_.size() - first);
    std::copy_n(image(first), n * static_cast<std::size_t>(batch), bp_->input().data());
    bp_->forward(batch);
    for (int i = 0; i < batch; ++i) best = std::max(best, bp_->value(d.target, i));
  }
  const Shape& in = model_->network.input_shape();
  Tensor picture({in[1], in[2]});
  std::copy(d.image.begin(), d.image.end(), picture.data());
  // A diversity set: every image, and each one's value, after the first.
  Tensor all({static_cast<int>(set.size()), in[1], in[2]});
  json values = json::array();
  for (std::size_t i = 0; i < set.size(); ++i) {
    std::copy(set[i].image.begin(), set[i].image.end(), all.data() + i * static_cast<std::size_t>(in[1]) * in[2]);
    values.push_back(set[i].value);
  }
  ++seq_;
  json message = dream_message(c.layer, c.unit, d, best, seq_);
  message["diversity"] = c.diversity;
  message["values"] = std::move(values);
  send_text(message.dump());
  send_binary(encode_tensors(kDreamMagic, seq_, {&picture, &all}));
}

// Every unit of a layer dreams, one unit per tick (so that the other panels are answered in
// between); each dream goes out as it is done, with the count so far.
void LurkSession::on(const DreamLayer& c) {
  need_model();
  nn::Network& network = shown().network;
  probe::lurk::check_layer(network, c.layer);
  const int l = probe::lurk::pre_activation_layer(network, c.layer);
  auto params = network.layer(static_cast<std::size_t>(l)).params();
  if (params.size() < 2)
    throw Error("layer", std::to_string(c.layer) + " (" + network.layer(static_cast<std::size_t>(c.layer)).name() +
                             ") has no units to dream: pick a conv or dense layer");
  layer_dreams_ = {c.layer, static_cast<int>(params[1].value->size()), 0};
}

void LurkSession::dream_next_unit() {
  const int unit = layer_dreams_.next++;
  const probe::lurk::Dream d = probe::lurk::dream(*bp_, layer_dreams_.layer, unit, probe::lurk::DreamOptions{});
  const Shape& in = model_->network.input_shape();
  Tensor picture({in[1], in[2]});
  std::copy(d.image.begin(), d.image.end(), picture.data());
  ++seq_;
  send_text(json{{"type", "layer_dream"}, {"seq", seq_}, {"layer", layer_dreams_.layer}, {"unit", unit}, {"done", unit + 1},
                 {"units", layer_dreams_.units}, {"value", d.value}, {"flat", d.flat}}
                .dump());
  send_binary(encode_tensors(kLayerDreamMagic, seq_, {&picture}));
  if (layer_dreams_.next >= layer_dreams_.units) layer_dreams_ = {};
}

}  // namespace netlens::server::lurk
