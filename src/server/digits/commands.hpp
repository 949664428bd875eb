#pragma once
// The Digits view's commands (docs/protocol.md, "Digits"): each client message type is one small
// struct, read from its JSON with every field checked. Pure functions, no I/O.
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace netlens::server::digits {

inline constexpr int kProtocolVersion = 2;
inline constexpr std::size_t kMaxPixels = 256 * 256;  // the largest image an infer may send

struct Infer {
  int width, height;
  std::vector<float> pixels;  // height * width values in [0, 1], row-major
};
struct Sample {
  int label;  // 0..9
};
struct Train {
  std::string data, model;  // "mnist" | "fashion-mnist", "mlp" | "cnn"
};
struct Load {
  std::string data, model;
};
// A model file of the models folder, by name: "mnist-cnn.nlmodel", "mine.onnx".
struct Open {
  std::string file;
};
// A run of the runs folder that streamed an image model (server/ingest/image_run): its
// model.nlmodel at the newest weights, its model.checkpoints as the stages of training.
struct OpenRun {
  std::string run;
};
struct Stop {};
struct ShowCheckpoint {
  int index;  // -1: the current weights
};

using Command = std::variant<Infer, Sample, Train, Load, Open, OpenRun, Stop, ShowCheckpoint>;

// Throws Error naming the field ("infer.pixels: must hold width × height (784) numbers").
// Unknown keys are refused.
Command parse_command(const std::string& type, const nlohmann::json& message);

}  // namespace netlens::server::digits
