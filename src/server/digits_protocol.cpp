#include "server/digits_protocol.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "core/json.hpp"

namespace netlens::server {

using nlohmann::json;

namespace {

const char* kTypes = "infer, sample, train, stop, load";

std::string field_string(const json& j, const char* key, std::initializer_list<const char*> allowed, const std::string& where) {
  std::string known;
  for (const char* a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
  if (!j.contains(key) || !j[key].is_string()) throw Error(where, std::string("\"") + key + "\" must be one of " + known);
  const std::string v = j[key].get<std::string>();
  if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; }))
    throw Error(where, std::string("\"") + key + "\" must be one of " + known + ", got '" + v + "'");
  return v;
}

}  // namespace

DigitsCommand parse_digits_command(std::string_view text) {
  const json j = parse_json(text, "message");
  if (!j.is_object()) throw Error("message", std::string("must be a JSON object, got ") + j.type_name());
  if (!j.contains("type") || !j["type"].is_string()) throw Error("type", "missing; every message needs a string \"type\"");
  const std::string type = j["type"].get<std::string>();
  DigitsCommand c{};
  if (type == "infer") {
    c.type = DigitsCommandType::Infer;
    const bool sized = j.contains("width") && j["width"].is_number_integer() && j.contains("height") && j["height"].is_number_integer();
    if (!sized) throw Error("infer", "needs integer \"width\" and \"height\"");
    c.width = j["width"].get<int>();
    c.height = j["height"].get<int>();
    if (c.width < 1 || c.height < 1 || static_cast<std::size_t>(c.width) * static_cast<std::size_t>(c.height) > kMaxDigitsPixels)
      throw Error("infer", "width × height must be 1..65536 pixels");
    if (!j.contains("pixels") || !j["pixels"].is_array() || j["pixels"].size() != static_cast<std::size_t>(c.width * c.height))
      throw Error("infer", "\"pixels\" must be an array of width × height (" + std::to_string(c.width * c.height) + ") numbers");
    c.pixels.reserve(j["pixels"].size());
    for (const auto& v : j["pixels"]) {
      if (!v.is_number()) throw Error("infer", "\"pixels\" must hold numbers in [0, 1]");
      c.pixels.push_back(v.get<float>());
    }
  } else if (type == "sample") {
    c.type = DigitsCommandType::Sample;
    if (!j.contains("label") || !j["label"].is_number_integer() || j["label"].get<int>() < 0 || j["label"].get<int>() > 9)
      throw Error("sample", "\"label\" must be an integer 0..9");
    c.label = j["label"].get<int>();
  } else if (type == "train" || type == "load") {
    c.type = type == "train" ? DigitsCommandType::Train : DigitsCommandType::Load;
    c.data = field_string(j, "data", {"mnist", "fashion-mnist"}, type);
    c.model = field_string(j, "model", {"mlp", "cnn"}, type);
  } else if (type == "stop") {
    c.type = DigitsCommandType::Stop;
  } else {
    throw Error("type", "unknown type '" + type + "' (known: " + kTypes + ")");
  }
  return c;
}

std::string encode_tensors(const char (&magic)[5], std::uint32_t seq, const std::vector<const Tensor*>& tensors) {
  std::string out(magic, 4);
  auto put = [&out](std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); };
  put(seq);
  put(static_cast<std::uint32_t>(tensors.size()));
  for (const Tensor* t : tensors) {
    put(static_cast<std::uint32_t>(t->shape().size()));
    for (int d : t->shape()) put(static_cast<std::uint32_t>(d));
    out.append(reinterpret_cast<const char*>(t->data()), t->size() * sizeof(float));
  }
  return out;
}

}  // namespace netlens::server
