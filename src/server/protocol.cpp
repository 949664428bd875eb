#include "server/protocol.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "core/names.hpp"

#ifndef NETLENS_VERSION
#define NETLENS_VERSION "0.0.0"
#endif

namespace netlens::server {

using nlohmann::json;

namespace {

constexpr NameTable<CommandType, 5> kCommandNames{{
    {CommandType::Play, "play"},
    {CommandType::Pause, "pause"},
    {CommandType::Step, "step"},
    {CommandType::Reset, "reset"},
    {CommandType::SetSpec, "set_spec"},
}};

std::string json_kind(const json& v) {
  if (v.is_number()) return "a number";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return std::string("a ") + v.type_name();
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
  const json msg = train::parse_json(text, "message");
  if (!msg.is_object()) throw Error("message", "must be a JSON object, got " + json_kind(msg));
  const auto type = msg.find("type");
  if (type == msg.end()) throw Error("type", "missing; every message needs a string \"type\"");
  if (!type->is_string()) throw Error("type", "must be a string, got " + json_kind(*type));

  Command cmd{parse_name(kCommandNames, type->get_ref<const std::string&>(), "type", "type"), {}};
  if (cmd.type == CommandType::SetSpec) {
    const auto spec = msg.find("spec");
    if (spec == msg.end()) throw Error("set_spec", "\"spec\" is missing; send {\"type\":\"set_spec\",\"spec\":{...}}");
    if (!spec->is_object()) throw Error("set_spec", "\"spec\" must be an object, got " + json_kind(*spec));
    cmd.spec = *spec;
  }
  return cmd;
}

std::string error_message(std::string_view message) {
  // Replaces bytes that are not UTF-8 rather than throw: a message may quote a client's input.
  return json{{"type", "error"}, {"message", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string hello_message() {
  return json{{"type", "hello"}, {"protocol", kProtocolVersion}, {"version", NETLENS_VERSION}}.dump();
}

std::string spec_message(const train::RunSpec& spec, const probe::Domain& domain, int grid) {
  return json{{"type", "spec"},
              {"spec", train::to_json(spec)},
              {"domain", {{"x_min", domain.x_min}, {"x_max", domain.x_max}, {"y_min", domain.y_min}, {"y_max", domain.y_max}}},
              {"grid", grid}}
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

std::string state_message(std::uint32_t seq, bool running, const train::Metrics& m) {
  // nlohmann writes NaN and infinity as null, which the protocol asks for.
  json j{{"type", "state"},       {"seq", seq},
         {"epoch", m.epoch},      {"running", running},
         {"train_loss", m.train_loss}, {"test_loss", m.test_loss}};
  if (m.train_accuracy) j["train_accuracy"] = *m.train_accuracy;
  if (m.test_accuracy) j["test_accuracy"] = *m.test_accuracy;
  return j.dump();
}

std::string encode_heatmap(std::uint32_t seq, int width, int height, const float* values) {
  const auto n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::string out(16 + 4 * n, '\0');
  std::memcpy(out.data(), "NLHM", 4);
  put_u32(out, 4, seq);
  put_u32(out, 8, static_cast<std::uint32_t>(width));
  put_u32(out, 12, static_cast<std::uint32_t>(height));
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, &values[i], 4);
    put_u32(out, 16 + 4 * i, bits);
  }
  return out;
}

}  // namespace netlens::server
