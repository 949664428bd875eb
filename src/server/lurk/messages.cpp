#include "server/lurk/messages.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "probe/lurk/cam.hpp"
#include "probe/lurk/dataset_pass.hpp"
#include "server/common/wire.hpp"
#include "server/lurk/cam_layer.hpp"
#include "server/lurk/commands.hpp"

namespace netlens::server::lurk {

using nlohmann::json;

namespace {

std::string layer_kind(const std::string& name) {
  const auto paren = name.find('(');
  return name.substr(0, paren);
}

json top_entry(const json& e) {
  json out{{"image", e.at("image")}, {"label", e.at("label")}, {"score", e.at("score")}};
  for (const char* k : {"y", "x", "box"})
    if (e.contains(k)) out[k] = e[k];
  return out;
}

}  // namespace

json hello_message(const std::vector<std::string>& models, const std::vector<std::string>& runs) {
  json h = hello_header("lurk", kProtocolVersion);
  h["models"] = models;
  h["runs"] = runs;
  return h;
}

json network_message(const std::string& model, nn::Network& network, const std::vector<std::string>& classes,
                     const std::string& dataset, const std::string& split, int images) {
  json layers = json::array();
  Shape shape = network.input_shape();
  std::vector<int> cam_layers;
  for (std::size_t i = 0; i < network.size(); ++i) {
    nn::Layer& l = network.layer(i);
    shape = l.output_shape(shape);
    std::size_t params = 0;
    for (const auto& p : l.params()) params += p.value->size();
    float weight_max = 0;  // the largest |w| of the layer's weights (not its biases): the page's colour scales
    if (!l.params().empty())
      for (float w : l.params()[0].value->values()) weight_max = std::max(weight_max, std::abs(w));
    layers.push_back({{"index", i}, {"name", l.name()}, {"kind", layer_kind(l.name())}, {"shape", shape}, {"params", params},
                      {"weight_max", weight_max}});
    if (shape.size() == 3) cam_layers.push_back(static_cast<int>(i));
  }
  json scored = json::array();
  for (const auto& sl : probe::lurk::scored_layers(network, 1, static_cast<int>(classes.size())))
    scored.push_back({{"layer", sl.layer}, {"scored_layer", sl.scored}, {"name", sl.name}, {"kind", sl.conv ? "conv" : "dense"},
                      {"units", sl.units}, {"height", sl.height}, {"width", sl.width}});
  json cam_default = nullptr;
  if (!cam_layers.empty()) cam_default = view_cam_layer(network);
  return {{"type", "network"}, {"model", model}, {"input", network.input_shape()}, {"layers", layers},
          {"scored", scored}, {"classes", classes}, {"cam_layers", cam_layers}, {"cam_default", cam_default},
          {"methods", probe::lurk::method_names()}, {"dataset", dataset}, {"split", split}, {"images", images}};
}

json progress_message(int done, int total, bool cached) {
  return {{"type", "progress"}, {"done", done}, {"total", total}, {"cached", cached}};
}

const json& manifest_layer(const json& manifest, int layer) {
  std::string known;
  for (const auto& l : manifest.at("layers")) {
    if (l.at("layer") == layer) return l;
    known += (known.empty() ? "" : ", ") + std::to_string(l.at("layer").get<int>());
  }
  throw Error("layer", std::to_string(layer) + " has no units Lurk scores (conv and dense layers: " + known + ")");
}

json layer_message(const json& manifest, int layer) {
  const json& l = manifest_layer(manifest, layer);
  json units = json::array();
  for (const auto& u : l.at("unit_stats")) {
    const json& top = u.at("top_max");
    units.push_back({{"unit", u.at("unit")}, {"mean", u.at("mean")}, {"dead_fraction", u.at("dead_fraction")},
                     {"class_mean", u.at("class_mean")}, {"top", top.empty() ? json(nullptr) : top_entry(top[0])}});
  }
  return {{"type", "layer"}, {"layer", layer}, {"name", l.at("name")}, {"kind", l.at("kind")}, {"field", l.at("field")},
          {"units", units}};
}

json unit_message(const json& manifest, int layer, int unit, std::uint32_t seq, const float* bias) {
  const json& l = manifest_layer(manifest, layer);
  const int units = l.at("units").get<int>();
  if (unit >= units)
    throw Error("unit", std::to_string(unit) + ": no such unit; layer " + std::to_string(layer) + " has " +
                            std::to_string(units) + " (0.." + std::to_string(units - 1) + ")");
  const json& u = l.at("unit_stats").at(static_cast<std::size_t>(unit));
  json top_max = json::array(), top_mean = json::array();
  for (const auto& e : u.at("top_max")) top_max.push_back(top_entry(e));
  for (const auto& e : u.at("top_mean")) top_mean.push_back(top_entry(e));
  json m{{"type", "unit"}, {"seq", seq}, {"layer", layer}, {"unit", unit}, {"name", l.at("name")}, {"kind", l.at("kind")},
         {"mean", u.at("mean")}, {"dead_fraction", u.at("dead_fraction")}, {"class_max", u.at("class_max")},
         {"class_mean", u.at("class_mean")}, {"top_max", top_max}, {"top_mean", top_mean}, {"bias", nullptr}};
  if (bias) m["bias"] = *bias;
  return m;
}

json dream_message(int layer, int unit, const probe::lurk::Dream& dream, double top_score, std::uint32_t seq) {
  const auto& b = dream.field;
  return {{"type", "dream"}, {"seq", seq}, {"layer", layer}, {"unit", unit}, {"value", dream.value},
          {"initial_value", dream.initial_value}, {"top_score", top_score}, {"stddev", dream.stddev}, {"flat", dream.flat},
          {"box", {b.y0, b.x0, b.y1, b.x1}}};
}

json explanation_message(const ExplanationInfo& info) {
  json m{{"type", "explanation"}, {"seq", info.seq}, {"method", probe::lurk::method_name(info.method)},
         {"target", info.target}, {"predicted", info.predicted}, {"cam_layer", nullptr}, {"test", nullptr},
         {"test_label", nullptr}, {"logits", info.logits}, {"probabilities", info.probabilities}, {"output", info.output},
         {"forward_passes", info.forward_passes}};
  if (info.cam_layer >= 0) m["cam_layer"] = info.cam_layer;
  if (info.test >= 0) m["test"] = info.test, m["test_label"] = info.test_label;
  return m;
}

}  // namespace netlens::server::lurk
