#pragma once
// The Lurk view's commands (docs/protocol.md, "Lurk"): each client message type is one small
// struct, read from its JSON with every field checked. Pure functions, no I/O.
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/lurk/attribution.hpp"

namespace netlens::server::lurk {

inline constexpr int kProtocolVersion = 1;

struct Open {
  std::string model;  // a model file's name in the models folder: "mnist-cnn.nlmodel", "mine.onnx"
};
// A run directory of the runs folder: its model.nlmodel, with its model.checkpoints beside it.
struct OpenRun {
  std::string run;
};
struct ShowLayer {
  int layer;  // a conv or dense layer's index in the network
};
struct ShowUnit {
  int layer, unit;
};
struct DreamUnit {
  int layer, unit;
  int count = 1;        // 1: one dream; more: a diversity set, optimised together (probe::lurk::dreams)
  float diversity = 0;  // the diversity term's weight relative to the unit's (with count > 1)
};
// Every unit's dream of a layer, one unit per tick, the other commands answered in between.
struct DreamLayer {
  int layer;
};
struct Sample {
  int label;  // a random test image of this class
};
struct Explain {
  // The input: a drawing (width × height values in [0, 1], prepared as Digits prepares it) or,
  // when test >= 0, that image of the test split.
  int width = 0, height = 0;
  std::vector<float> pixels;
  int test = -1;
  probe::lurk::Method method = probe::lurk::Method::GradCam;
  int cam_layer = -1;  // -1: the engine's default CAM layer
  int target = -1;     // -1: the predicted class
};

// The sanity check (cascading weight randomisation) of a method on the input of the last explain.
struct Sanity {
  probe::lurk::Method method = probe::lurk::Method::GradCam;
  int cam_layer = -1, target = -1;  // as Explain's
};
// How a conv unit computes at one position of its map, on the input of the last explain.
struct Operate {
  int layer, unit, y, x;
};

// The model at checkpoint `index` of its training (saved beside it by the Digits view), -1: as trained.
struct ShowCheckpoint {
  int index;
};

// Trains the Digits view's network of that kind on `data` in this session, the view following
// its checkpoints.
struct Train {
  std::string data;          // "mnist" | "fashion-mnist"
  std::string model = "cnn";  // "mlp" | "cnn"
};
struct Stop {};

using Command = std::variant<Open, OpenRun, ShowLayer, ShowUnit, DreamUnit, DreamLayer, Sample, Explain, Sanity, Operate, ShowCheckpoint, Train, Stop>;

// Throws Error naming the field ("explain.method: unknown method 'x' (known: ...)"). Unknown
// keys are refused.
Command parse_command(const std::string& type, const nlohmann::json& message);

}  // namespace netlens::server::lurk
