#include "server/protocol.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/names.hpp"
#include "nn/layers/dense.hpp"
#include "probe/unit_maps.hpp"
#include "train/playground_export.hpp"

#ifndef NETLENS_VERSION
#define NETLENS_VERSION "0.0.0"
#endif

namespace netlens::server {

using nlohmann::json;

namespace {

constexpr NameTable<CommandType, 12> kCommandNames{{
    {CommandType::Play, "play"},
    {CommandType::Pause, "pause"},
    {CommandType::Step, "step"},
    {CommandType::Reset, "reset"},
    {CommandType::SetSpec, "set_spec"},
    {CommandType::SetRun, "set_run"},
    {CommandType::SetParam, "set_param"},
    {CommandType::AddPoint, "add_point"},
    {CommandType::UploadCsv, "upload_csv"},
    {CommandType::Prune, "prune"},
    {CommandType::Export, "export"},
    {CommandType::Import, "import"},
}};

constexpr NameTable<train::PruneBy, 2> kPruneByNames{{
    {train::PruneBy::OutgoingWeight, "weight"},
    {train::PruneBy::Activation, "activation"},
}};

std::string json_kind(const json& v) {
  if (v.is_number()) return "a number";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return std::string("a ") + v.type_name();
}

// A field of message `msg` of type `type`; errors read "set_param.value: must be a number, got a string".
const json* field(const json& msg, const std::string& type, const char* name, bool required) {
  const auto it = msg.find(name);
  if (it == msg.end()) {
    if (required) throw Error(type + "." + name, "is missing");
    return nullptr;
  }
  return &*it;
}

std::optional<double> number_field(const json& msg, const std::string& type, const char* name, bool required) {
  const json* v = field(msg, type, name, required);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw Error(type + "." + name, "must be a number, got " + json_kind(*v));
  return v->get<double>();
}

std::optional<int> int_field(const json& msg, const std::string& type, const char* name, bool required) {
  const auto x = number_field(msg, type, name, required);
  if (!x) return std::nullopt;
  if (std::floor(*x) != *x || std::abs(*x) > 1e9)
    throw Error(type + "." + name, "must be an integer, got " + msg[name].dump());
  return static_cast<int>(*x);
}

std::string string_field(const json& msg, const std::string& type, const char* name) {
  const json* v = field(msg, type, name, true);
  if (!v->is_string()) throw Error(type + "." + name, "must be a string, got " + json_kind(*v));
  return v->get<std::string>();
}

void put_u32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

void append_float(std::string& out, float v) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void append_points(std::string& out, const std::vector<data::Point2D>& points) {
  out += '[';
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i) out += ',';
    out += '[';
    append_float(out, points[i].x1);
    out += ',';
    append_float(out, points[i].x2);
    out += ',';
    append_float(out, points[i].label);
    out += ']';
  }
  out += ']';
}

}  // namespace

Command parse_command(std::string_view text) {
  const json msg = parse_json(text, "message");
  if (!msg.is_object()) throw Error("message", "must be a JSON object, got " + json_kind(msg));
  const auto type = msg.find("type");
  if (type == msg.end()) throw Error("type", "missing; every message needs a string \"type\"");
  if (!type->is_string()) throw Error("type", "must be a string, got " + json_kind(*type));

  const std::string& name = type->get_ref<const std::string&>();
  Command cmd;
  cmd.type = parse_name(kCommandNames, name, "type", "type");
  switch (cmd.type) {
    case CommandType::SetSpec:
    case CommandType::Import: {
      const char* key = cmd.type == CommandType::SetSpec ? "spec" : "model";
      const auto it = msg.find(key);
      if (it == msg.end())
        throw Error(name, std::string("\"") + key + "\" is missing; send {\"type\":\"" + name + "\",\"" + key +
                              "\":{...}}");
      if (!it->is_object()) throw Error(name, std::string("\"") + key + "\" must be an object, got " + json_kind(*it));
      cmd.spec = *it;
      break;
    }
    case CommandType::SetRun:
      cmd.epochs_per_frame = int_field(msg, name, "epochs_per_frame", false);
      cmd.stop_epoch = int_field(msg, name, "stop_epoch", false);
      cmd.stop_test_loss = number_field(msg, name, "stop_test_loss", false);
      break;
    case CommandType::SetParam:
      cmd.layer = *int_field(msg, name, "layer", true);
      cmd.unit = *int_field(msg, name, "unit", true);
      cmd.input = int_field(msg, name, "input", false).value_or(-1);
      cmd.value = static_cast<float>(*number_field(msg, name, "value", true));
      break;
    case CommandType::AddPoint:
      cmd.point = {static_cast<float>(*number_field(msg, name, "x1", true)),
                   static_cast<float>(*number_field(msg, name, "x2", true)),
                   static_cast<float>(*number_field(msg, name, "label", true))};
      for (float x : {cmd.point.x1, cmd.point.x2})
        if (!(std::abs(x) <= data::kDomainMax))
          throw Error(name, "the point must lie in the domain -6..6 on both axes");
      break;
    case CommandType::UploadCsv:
      cmd.name = string_field(msg, name, "name");
      cmd.text = string_field(msg, name, "text");
      break;
    case CommandType::Prune:
      cmd.layer = int_field(msg, name, "layer", false).value_or(0);
      cmd.count = *int_field(msg, name, "count", true);
      if (cmd.count < 1) throw Error(name + ".count", "must be at least 1, got " + std::to_string(cmd.count));
      if (const json* by = field(msg, name, "by", false)) {
        if (!by->is_string()) throw Error(name + ".by", "must be a string, got " + json_kind(*by));
        cmd.prune_by = parse_name(kPruneByNames, by->get<std::string>(), name + ".by", "ranking");
      }
      break;
    default:
      break;
  }
  return cmd;
}

RunSettings apply_run_settings(RunSettings s, const Command& c) {
  if (c.epochs_per_frame) {
    if (*c.epochs_per_frame < 1 || *c.epochs_per_frame > 1000)
      throw Error("set_run.epochs_per_frame", "must be 1..1000, got " + std::to_string(*c.epochs_per_frame));
    s.epochs_per_frame = *c.epochs_per_frame;
  }
  if (c.stop_epoch) {
    if (*c.stop_epoch < 0) throw Error("set_run.stop_epoch", "must be 0 (never) or more, got " + std::to_string(*c.stop_epoch));
    s.stop_epoch = *c.stop_epoch;
  }
  if (c.stop_test_loss) {
    if (!(*c.stop_test_loss >= 0 && *c.stop_test_loss < 1e6))
      throw Error("set_run.stop_test_loss", "must be 0 (never) or a positive loss");
    s.stop_test_loss = *c.stop_test_loss;
  }
  return s;
}

std::string error_message(std::string_view message) {
  // Replaces bytes that are not UTF-8 rather than throw: a message may quote a client's input.
  return json{{"type", "error"}, {"message", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string hello_message() {
  // A preview of each data set: 200 points at noise 0, coordinates rounded to 0.01.
  json sets = json::array();
  for (const auto& set : data::synthetic2d_sets()) {
    Rng rng(1);
    json preview = json::array();
    for (const auto& p : set.generate(200, 0.0, rng))
      preview.push_back({std::round(p.x1 * 100) / 100, std::round(p.x2 * 100) / 100, std::round(p.label * 100) / 100});
    sets.push_back({{"name", set.name},
                    {"problem", set.problem == data::Problem::Regression ? "regression" : "classification"},
                    {"classes", set.classes},
                    {"preview", std::move(preview)}});
  }
  // Every feature with its map over the thumbnails' grid, so the page can show unused ones too.
  json features = json::array(), feature_maps = json::object();
  for (auto f : data::all_features()) {
    features.push_back(data::feature_name(f));
    feature_maps[std::string(data::feature_name(f))] = probe::feature_map(f, kUnitGrid);
  }
  const json choices{{"activation", nn::activation_names()},
                     {"loss", nn::loss_names()},
                     {"optimizer", nn::optimizer_names()},
                     {"regularization", nn::regularization_names()}};
  return json{{"type", "hello"},
              {"protocol", kProtocolVersion},
              {"version", NETLENS_VERSION},
              {"datasets", std::move(sets)},
              {"features", std::move(features)},
              {"feature_maps", std::move(feature_maps)},
              {"unit_grid", kUnitGrid},
              {"choices", choices}}
      .dump();
}

std::string spec_message(const train::Session& session, const probe::Domain& domain, int grid, int unit_grid,
                         std::uint32_t run, const std::string& uploaded_name) {
  json layers = json::array();
  for (std::size_t i = 0; i < session.network().size(); ++i)
    if (const auto* d = dynamic_cast<const nn::Dense*>(&session.network().layer(i)))
      layers.push_back({{"in", d->in()}, {"out", d->out()}});
  const auto& custom = session.custom_points();
  return json{{"type", "spec"},
              {"run", run},
              {"spec", train::to_json(session.spec())},
              {"layers", std::move(layers)},
              {"classes", session.spec().problem == data::Problem::Regression ? 0 : std::max(2, train::num_classes(session.spec()))},
              {"domain", {{"x_min", domain.x_min}, {"x_max", domain.x_max}, {"y_min", domain.y_min}, {"y_max", domain.y_max}}},
              {"grid", grid},
              {"unit_grid", unit_grid},
              {"uploaded", custom.uploaded.empty() ? json(nullptr) : json(uploaded_name)},
              {"added_points", custom.added.size()}}
      .dump();
}

std::string data_message(const train::Session& session) {
  std::string out = R"({"type":"data","problem":")";
  out += session.spec().problem == data::Problem::Regression ? "regression" : "classification";
  out += R"(","train":)";
  append_points(out, session.train_set().points);
  out += R"(,"test":)";
  append_points(out, session.test_set().points);
  out += '}';
  return out;
}

std::string state_message(std::uint32_t seq, bool running, const train::Metrics& m, const train::Session& session,
                          const RunSettings& settings, const std::string& stopped) {
  // nlohmann writes NaN and infinity as null, which the protocol asks for.
  json j{{"type", "state"},       {"seq", seq},
         {"epoch", m.epoch},      {"running", running},
         {"train_loss", m.train_loss}, {"test_loss", m.test_loss},
         {"epochs_per_frame", settings.epochs_per_frame},
         {"stop_epoch", settings.stop_epoch},
         {"stop_test_loss", settings.stop_test_loss}};
  if (m.train_accuracy) j["train_accuracy"] = *m.train_accuracy;
  if (m.test_accuracy) j["test_accuracy"] = *m.test_accuracy;
  if (!m.confusion.empty()) j["confusion"] = m.confusion;
  json pruned = json::array();
  for (const auto& layer : session.pruned()) {
    json units = json::array();
    for (std::size_t u = 0; u < layer.size(); ++u)
      if (layer[u]) units.push_back(u);
    pruned.push_back(std::move(units));
  }
  j["pruned"] = std::move(pruned);
  if (!stopped.empty()) j["stopped"] = stopped;
  return j.dump();
}

std::string export_message(const train::Session& session) {
  return json{{"type", "export"}, {"model", train::export_model(session)}, {"pytorch", train::pytorch_snippet(session)}}
      .dump();
}

std::string encode_frame(std::uint32_t seq, const FrameBody& b) {
  const auto out_n = static_cast<std::size_t>(b.outputs) * static_cast<std::size_t>(b.grid) * b.grid;
  const auto unit_n = static_cast<std::size_t>(b.nodes) * static_cast<std::size_t>(b.unit_grid) * b.unit_grid;
  constexpr std::size_t kHeader = 28;
  std::string out(kHeader + 4 * (out_n + b.params.size()) + unit_n, '\0');
  std::memcpy(out.data(), "NLFR", 4);
  put_u32(out, 4, seq);
  put_u32(out, 8, static_cast<std::uint32_t>(b.grid));
  put_u32(out, 12, static_cast<std::uint32_t>(b.outputs));
  put_u32(out, 16, static_cast<std::uint32_t>(b.unit_grid));
  put_u32(out, 20, static_cast<std::uint32_t>(b.nodes));
  put_u32(out, 24, static_cast<std::uint32_t>(b.params.size()));
  // The machine is little-endian (x86-64, as the protocol's byte order), so floats copy as they are.
  static_assert(std::endian::native == std::endian::little);
  std::memcpy(out.data() + kHeader, b.output, 4 * out_n);
  std::memcpy(out.data() + kHeader + 4 * out_n, b.params.data(), 4 * b.params.size());
  std::memcpy(out.data() + kHeader + 4 * (out_n + b.params.size()), b.units, unit_n);
  return out;
}

}  // namespace netlens::server
