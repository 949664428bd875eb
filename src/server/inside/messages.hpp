#pragma once
// The Inside view's messages to the page (docs/protocol.md, "Inside"). Pure functions, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "probe/hidden_space.hpp"
#include "probe/loss_surface.hpp"
#include "probe/node_values.hpp"
#include "server/inside/commands.hpp"
#include "train/traced_run.hpp"

namespace netlens::server::inside {

inline constexpr int kProtocolVersion = 2;
inline constexpr int kBoundaryGrid = 50;     // the decision boundary's samples per side
inline constexpr int kSurfaceGrid = 41;      // the loss surface's samples per side
inline constexpr int kTrajectoryPoints = 256;  // at most this many records are drawn on the surface

nlohmann::json hello_message();
nlohmann::json to_json(const train::TracedRunSpec& spec);
// `run`: a new run's spec, layer shapes, domain and points.
nlohmann::json run_message(int run, const train::TracedRun& traced, const probe::Domain& domain);

// Everything one refresh shows, computed from a run; `hidden_error` when the chosen layer has no space.
struct Frame {
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

nlohmann::json frame_message(const Frame& f, const train::TracedRun& run, const View& view);
// The frame's pictures as a tensor frame "NLIN": the boundary (G, G), the hidden points (n, dims),
// the warped grid (lines, samples, dims), the surface (R, R) and the trajectory (T, 5: epoch,
// alpha, beta, loss, surface_loss).
std::string frame_tensors(const Frame& f);

}  // namespace netlens::server::inside
