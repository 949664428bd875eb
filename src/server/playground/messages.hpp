#pragma once
// The Playground's messages to the page (docs/protocol.md, "Playground"), JSON text or binary
// frames. Pure functions, no I/O.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/csv_points.hpp"
#include "export/map_render.hpp"
#include "probe/interpolate.hpp"
#include "probe/output_grid.hpp"
#include "train/timeline.hpp"
#include "train/run_spec.hpp"
#include "train/session.hpp"
#include "server/playground/commands.hpp"

namespace netlens::server::playground {

inline constexpr int kProtocolVersion = 3;
inline constexpr int kUnitGrid = 20;                      // each node thumbnail's points per side

// Where uploaded points came from: the file's name, and how they were rescaled if they were.
struct Upload {
  std::string name;
  std::optional<data::CsvRescale> rescaled;
};

// The first message on a connection: versions, the data sets with a preview of each, and the
// names every control may take.
std::string hello_message();
// The whole validated run spec, the network's layer sizes, the grids, and where the points came
// from. `run` counts the session's runs; it changes when the spec or the data set is replaced.
std::string spec_message(const train::Session& session, const probe::Domain& domain, int grid, int unit_grid,
                         std::uint32_t run, const Upload& upload);
// The saved runs under `runs_dir` (train::list_runs) the Playground opens, newest first, at most kListedRuns:
// {"type":"runs","runs":[{"name","epoch","saved","spec"},...]}; unreadable ones are left out.
inline constexpr std::size_t kListedRuns = 20;
std::string runs_message(const std::filesystem::path& runs_dir);
// The session's points as [x1, x2, label], each float written in its shortest exact form.
std::string data_message(const train::Session& session);
// A frame's JSON half; losses that are not finite become null; `stopped` says why a stop rule
// paused the run, `notice` why it cannot learn (train/health; empty: none), `following` the
// ingested run whose training runs elsewhere (empty: none), `dropped` what its client dropped.
std::string state_message(std::uint32_t seq, bool running, const train::Metrics& metrics,
                          const train::Session& session, const RunSettings& settings, const std::string& stopped,
                          const std::string& notice, const std::string& following = "",
                          const nlohmann::json& dropped = nlohmann::json::object());
// The trained network as JSON (spec and weights) and as PyTorch source.
std::string export_message(const train::Session& session);

// The run's checkpoints so far (the live timeline `timeline`, counted from 1 per session):
// index, epoch, examples, and the losses (null when not finite); an epoch is train_size examples.
std::string timeline_message(std::uint32_t timeline, int train_size, const std::vector<train::Checkpoint>& checkpoints);

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

// The reply to `checkpoint`: "NLCP", then uint32 LE timeline, index, float32 LE t, uint32 LE
// width, height; width * height * 4 RGBA bytes (row 0 the top; 0 x 0 for a regression run, which
// has no class map); then the network at checkpoint `index` as a whole NLFR frame (seq = index).
std::string encode_checkpoint(std::uint32_t timeline, const TimelineRequest& request, int width, int height,
                              const std::vector<std::uint8_t>& rgba, const std::string& frame);
// The reply to `export_gif`: "NLGF", uint32 LE timeline, uint32 LE frames, then the GIF file.
std::string encode_gif(std::uint32_t timeline, int frames, const std::string& gif);

}  // namespace netlens::server::playground
