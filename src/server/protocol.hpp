#pragma once
// The live protocol, version 2 (docs/protocol.md): commands parsed from the client's JSON text,
// and the server's messages encoded, JSON text or the binary frame. Pure functions, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/output_grid.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"

namespace netlens::server {

inline constexpr int kProtocolVersion = 2;
inline constexpr std::size_t kMaxMessageBytes = 1 << 20;  // largest message a client may send
inline constexpr int kUnitGrid = 20;                      // each node thumbnail's points per side
inline constexpr std::size_t kMaxDrainedMessageBytes = 64 << 20;  // larger ones than this close the socket

enum class CommandType {
  Play, Pause, Step, Reset, SetSpec, SetRun, SetParam, AddPoint, UploadCsv, Prune, Export, Import
};

// The live run's pace and stop rules (set_run); not part of the spec, which defines the model.
struct RunSettings {
  int epochs_per_frame = 1;     // 1..1000
  int stop_epoch = 0;           // pause when the epoch reaches it; 0: never
  double stop_test_loss = 0;    // pause when the test loss falls below it; 0: never
};

// One client command with its fields checked for presence and type; the session checks ranges
// that depend on the run (a layer index, say).
struct Command {
  CommandType type = CommandType::Play;
  nlohmann::json spec;                // set_spec: run-spec keys to replace; import: the model
  std::optional<int> epochs_per_frame, stop_epoch;  // set_run: the fields given
  std::optional<double> stop_test_loss;
  int layer = 0, unit = 0, input = -1, count = 0;   // set_param (input -1: the bias), prune
  float value = 0;                                  // set_param
  data::Point2D point{};                            // add_point
  train::PruneBy prune_by = train::PruneBy::OutgoingWeight;
  std::string name, text;                           // upload_csv
};

// Reads one client text message. Throws Error saying what is wrong: not JSON, not an object,
// no string "type", an unknown type, a missing or mistyped field ("set_param.value: ...").
// Fields a type does not use are ignored.
Command parse_command(std::string_view text);
// Applies a set_run command's fields to `settings`, checking ranges.
RunSettings apply_run_settings(RunSettings settings, const Command& command);

// The reply to a message the server refuses (the connection stays open).
std::string error_message(std::string_view message);
// The first message on a connection: versions, the data sets with a preview of each, and the
// names every control may take.
std::string hello_message();
// The whole validated run spec, the network's layer sizes, the grids, and where the points came
// from. `run` counts the session's runs; it changes when the spec or the data set is replaced.
std::string spec_message(const train::Session& session, const probe::Domain& domain, int grid, int unit_grid,
                         std::uint32_t run, const std::string& uploaded_name);
// The session's points as [x1, x2, label], each float written in its shortest exact form.
std::string data_message(const train::Session& session);
// A frame's JSON half; losses that are not finite become null; `stopped` says why a stop rule
// paused the run (empty: none did).
std::string state_message(std::uint32_t seq, bool running, const train::Metrics& metrics,
                          const train::Session& session, const RunSettings& settings, const std::string& stopped);
// The trained network as JSON (spec and weights) and as PyTorch source.
std::string export_message(const train::Session& session);

// A frame's binary half: "NLFR", then uint32 LE seq, grid, outputs, unit_grid, nodes, params;
// then outputs * grid^2 float32 LE output values (row 0 is y_max; one map in [-1, 1], or one
// probability map per class when there are more than two), params float32 LE (every Dense
// layer's weights, (in, out) row-major, then its biases), nodes * unit_grid^2 uint8 unit codes.
struct FrameBody {
  int grid;
  int outputs;
  const float* output;
  int unit_grid, nodes;
  const std::uint8_t* units;
  const std::vector<float>& params;
};
std::string encode_frame(std::uint32_t seq, const FrameBody& body);

}  // namespace netlens::server
