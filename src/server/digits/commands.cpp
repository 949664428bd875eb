#include "server/digits/commands.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "server/common/model_files.hpp"
#include "train/image_timeline.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::digits {

using nlohmann::json;

namespace {

std::string one_of(const Fields& f, const char* key, std::initializer_list<const char*> allowed) {
  const std::string v = f.string(key);
  if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; })) {
    std::string known;
    for (const char* a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
    throw Error(f.path(key), "must be one of " + known + ", got '" + excerpt(v) + "'");
  }
  return v;
}

Infer infer(const Fields& f) {
  Infer c{f.integer("width", 1, 256), f.integer("height", 1, 256), {}};
  const std::size_t n = static_cast<std::size_t>(c.width) * static_cast<std::size_t>(c.height);
  const json& pixels = f.array("pixels");
  if (pixels.size() != n)
    throw Error(f.path("pixels"), "must hold width × height (" + std::to_string(n) + ") numbers, got " +
                                      std::to_string(pixels.size()));
  c.pixels.reserve(n);
  for (const auto& v : pixels) {
    if (!v.is_number()) throw Error(f.path("pixels"), "must hold numbers in [0, 1], got " + json_kind(v));
    c.pixels.push_back(v.get<float>());
  }
  return c;
}

Command read(const std::string& type, const Fields& f) {
  if (type == "infer") return infer(f);
  if (type == "sample") return Sample{f.integer("label", 0, 9)};
  if (type == "train") return Train{one_of(f, "data", {"mnist", "fashion-mnist"}), one_of(f, "model", {"mlp", "cnn"})};
  if (type == "load") return Load{one_of(f, "data", {"mnist", "fashion-mnist"}), one_of(f, "model", {"mlp", "cnn"})};
  if (type == "open") return Open{model_file_name(f, "file")};
  if (type == "open_run") {
    OpenRun c{f.string("run")};
    train::check_run_name(c.run, f.path("run"));
    return c;
  }
  if (type == "stop") return Stop{};
  if (type == "checkpoint")
    return ShowCheckpoint{f.integer("index", -1, static_cast<int>(train::kMaxImageCheckpoints) - 1)};
  throw Error("message.type", "unknown type '" + excerpt(type) + "' (known: infer, sample, train, stop, load, open, open_run, checkpoint)");
}

}  // namespace

Command parse_command(const std::string& type, const json& message) {
  return read_object(message, type, [&](const Fields& f) {
    f.has("type");
    return read(type, f);
  });
}

}  // namespace netlens::server::digits
