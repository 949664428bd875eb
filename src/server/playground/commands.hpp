#pragma once
// The Playground's commands (docs/protocol.md, "Playground"): each client message type is one
// small struct, read from its JSON by parse_playground_command with every field checked for
// presence, type and the ranges that do not depend on the run. The session checks the rest (a
// layer index, say) when it applies them. Pure functions, no I/O.
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "data/synthetic2d.hpp"
#include "export/map_render.hpp"
#include "probe/interpolate.hpp"
#include "train/session.hpp"

namespace netlens::server::playground {

inline constexpr int kMaxInterpFactor = 20;  // export_gif: frames per interval between checkpoints

// What the page asks of the timeline (checkpoint, export_gif): where, and how to draw it.
struct TimelineRequest {
  int index = 0;  // checkpoint: the checkpoint at or before the position
  float t = 0;    // checkpoint: 0..1 of the way to the next
  probe::Interpolation interpolation = probe::Interpolation::Cubic;
  exports::MapStyle style;
  int interp_factor = 1;  // export_gif: 1..kMaxInterpFactor
  int frame_ms = 100;     // export_gif: 20..10000
};

// The live run's pace and stop rules (set_run); not part of the spec, which defines the model.
struct RunSettings {
  int epochs_per_frame = 1;   // 1..1000
  int stop_epoch = 0;         // pause when the epoch reaches it; 0: never
  double stop_test_loss = 0;  // pause when the test loss falls below it; 0: never
};

struct Play {};
struct Pause {};
struct Step {};
struct Reset {};
struct SetSpec {
  nlohmann::json changes;  // run-spec keys to replace
};
struct Import {
  nlohmann::json model;  // the export format
};
struct SetRun {
  std::optional<int> epochs_per_frame, stop_epoch;  // the fields given
  std::optional<double> stop_test_loss;
};
struct SetParam {
  int layer, unit, input;  // input -1: the bias
  float value;
};
struct AddPoint {
  data::Point2D point;
};
struct UploadCsv {
  std::string name, text;
  bool rescale = false;  // fit points beyond the domain into it
};
struct Prune {
  int layer, count;
  train::PruneBy by;
};
struct Export {};
struct ListRuns {};
struct OpenRun {
  std::string run;  // a saved run's directory name under the server's runs folder
  bool follow = false;  // an ingested run still arriving: its new checkpoints are shown as they come
};
struct Checkpoint {
  TimelineRequest request;
};
struct ExportGif {
  TimelineRequest request;
};

using Command = std::variant<Play, Pause, Step, Reset, SetSpec, Import, SetRun, SetParam, AddPoint, UploadCsv, Prune,
                             Export, ListRuns, OpenRun, Checkpoint, ExportGif>;

// Reads a message of type `type`; throws Error naming the field ("set_param.value: must be a
// number, got a string") or the unknown type. Keys a type does not read are refused.
Command parse_command(const std::string& type, const nlohmann::json& message);

// Applies a set_run command's fields to `settings`.
RunSettings apply_run_settings(RunSettings settings, const SetRun& command);

}  // namespace netlens::server::playground
