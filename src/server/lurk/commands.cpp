#include "server/lurk/commands.hpp"

#include "core/error.hpp"
#include "core/json_fields.hpp"
#include "server/common/model_files.hpp"
#include "train/image_timeline.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::lurk {

using nlohmann::json;

namespace {

constexpr int kMaxSide = 256;   // the largest drawing an explain may send
constexpr int kMaxDreams = 8;   // a diversity set's size
constexpr int kMaxIndex = 1 << 24;   // layers, units and test images are far fewer

Explain explain(const Fields& f) {
  Explain c;
  if (auto test = f.optional_integer("test", 0, kMaxIndex)) {
    c.test = *test;
  } else {
    c.width = f.integer("width", 1, kMaxSide);
    c.height = f.integer("height", 1, kMaxSide);
    const std::size_t n = static_cast<std::size_t>(c.width) * static_cast<std::size_t>(c.height);
    const json& pixels = f.array("pixels");
    if (pixels.size() != n)
      throw Error(f.path("pixels"), "must hold width × height (" + std::to_string(n) + ") numbers, got " +
                                        std::to_string(pixels.size()));
    c.pixels.reserve(n);
    for (const auto& v : pixels) c.pixels.push_back(static_cast<float>(Fields::to_number(v, f.path("pixels"), 0, 1)));
  }
  c.method = probe::lurk::parse_method(f.string("method"), f.path("method"));
  c.cam_layer = f.optional_integer("cam_layer", -1, kMaxIndex).value_or(-1);
  c.target = f.optional_integer("target", -1, kMaxIndex).value_or(-1);
  return c;
}

Command read(const std::string& type, const Fields& f) {
  if (type == "open") return Open{model_file_name(f, "model")};
  if (type == "open_run") {
    std::string run = f.string("run");
    train::check_run_name(run, f.path("run"));
    return OpenRun{std::move(run)};
  }
  if (type == "layer") return ShowLayer{f.integer("layer", 0, kMaxIndex)};
  if (type == "unit") return ShowUnit{f.integer("layer", 0, kMaxIndex), f.integer("unit", 0, kMaxIndex)};
  if (type == "dream")
    return DreamUnit{f.integer("layer", 0, kMaxIndex), f.integer("unit", 0, kMaxIndex), f.optional_integer("count", 1, kMaxDreams).value_or(1),
                     static_cast<float>(f.optional_number("diversity", 0, 100).value_or(0))};
  if (type == "dream_layer") return DreamLayer{f.integer("layer", 0, kMaxIndex)};
  if (type == "sample") return Sample{f.integer("label", 0, 9)};
  if (type == "explain") return explain(f);
  if (type == "sanity")
    return Sanity{probe::lurk::parse_method(f.string("method"), f.path("method")),
                  f.optional_integer("cam_layer", -1, kMaxIndex).value_or(-1), f.optional_integer("target", -1, kMaxIndex).value_or(-1)};
  if (type == "operate")
    return Operate{f.integer("layer", 0, kMaxIndex), f.integer("unit", 0, kMaxIndex), f.integer("y", 0, kMaxSide),
                   f.integer("x", 0, kMaxSide)};
  if (type == "checkpoint")
    return ShowCheckpoint{f.integer("index", -1, static_cast<int>(train::kMaxImageCheckpoints) - 1)};
  if (type == "train") {
    const std::string data = f.string("data");
    if (data != "mnist" && data != "fashion-mnist")
      throw Error(f.path("data"), "must be one of mnist, fashion-mnist, got '" + excerpt(data) + "'");
    const std::string model = f.optional_string("model").value_or("cnn");
    if (model != "mlp" && model != "cnn") throw Error(f.path("model"), "must be one of mlp, cnn, got '" + excerpt(model) + "'");
    return Train{data, model};
  }
  if (type == "stop") return Stop{};
  throw Error("message.type", "unknown type '" + excerpt(type) +
                                  "' (known: open, open_run, layer, unit, dream, dream_layer, sample, explain, sanity, operate, checkpoint, train, stop)");
}

}  // namespace

Command parse_command(const std::string& type, const json& message) {
  return read_object(message, type, [&](const Fields& f) {
    f.has("type");
    return read(type, f);
  });
}

}  // namespace netlens::server::lurk
