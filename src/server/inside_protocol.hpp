#pragma once
// The Inside protocol at /ws/inside, version 1 (docs/protocol.md, "Inside"): the client's
// commands parsed from JSON text, and the server's messages. Pure functions, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/hidden_space.hpp"
#include "probe/loss_surface.hpp"
#include "probe/node_values.hpp"
#include "train/traced_run.hpp"

namespace netlens::server {

inline constexpr int kInsideProtocolVersion = 1;
inline constexpr int kBoundaryGrid = 50;     // the decision boundary's samples per side
inline constexpr int kSurfaceGrid = 41;      // the loss surface's samples per side
inline constexpr int kTrajectoryPoints = 256;  // at most this many records are drawn on the surface

// What the page chose to look at; every field has a default, so a run can start at once.
struct InsideView {
  int layer = -1;  // hidden layer of the hidden space; -1: the last
  int dims = 3;    // axes of a PCA projection (layers wider than 3 units)
  bool weight_axes = false;  // the surface over two weights instead of two random directions
  int first = 0, second = 1;  // the two weights (flat parameter indices)
  double extent = 1.0;        // the surface's half-width in direction units
  std::uint64_t direction_seed = 1;
};

enum class InsideCommandType { SetSpec, SetView, Play, Pause, Step, Reset, Stop, Probe };

struct InsideCommand {
  InsideCommandType type;
  train::TracedRunSpec spec;  // set_spec: the current spec with the message's keys replaced
  InsideView view;            // set_view: the current view with the message's keys replaced
  float x1 = 0, x2 = 0;       // probe
};

// Throws Error whose message starts with the path of what is wrong ("set_spec.spec.hidden[0]:
// must be 1..64, got 0"). Unknown fields of a command are ignored; unknown spec keys are not.
InsideCommand parse_inside_command(std::string_view text, const train::TracedRunSpec& spec, const InsideView& view);

nlohmann::json inside_hello();
nlohmann::json to_json(const train::TracedRunSpec& spec);
// `run`: a new run's spec, layer shapes, domain and points.
nlohmann::json inside_run_message(int run, const train::TracedRun& traced, const probe::Domain& domain);

// Everything one refresh shows, computed from a run; `hidden_error` when the chosen layer has no space.
struct InsideFrame {
  std::uint32_t seq = 0;
  bool running = false, stopped = false;
  const train::TraceRecord* record = nullptr;
  std::vector<float> params;
  probe::NodeValues nodes;
  float probe_x1 = 0, probe_x2 = 0;
  std::optional<probe::HiddenSpace> hidden;
  std::string hidden_error;
  int hidden_layer = 0;
  std::vector<float> boundary;  // kBoundaryGrid^2, row 0 at y_max
  probe::LossSurface surface;
  std::vector<probe::TrajectoryPoint> trajectory;
};

nlohmann::json inside_frame_message(const InsideFrame& f, const train::TracedRun& run, const InsideView& view);
// The frame's pictures as a tensor frame "NLIN": the boundary (G, G), the hidden points (n, dims),
// the warped grid (lines, samples, dims), the surface (R, R) and the trajectory (T, 5: epoch,
// alpha, beta, loss, surface_loss).
std::string inside_frame_tensors(const InsideFrame& f);

}  // namespace netlens::server
