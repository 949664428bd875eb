#pragma once
// The Inside view's commands (docs/protocol.md, "Inside"): each client message type is one small
// struct, read from its JSON with every field checked. set_spec and set_view carry changes: they
// are checked here against the defaults and merged into the session's spec or view when applied.
// Pure functions, no I/O.
#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "train/traced_run.hpp"

namespace netlens::server::inside {

// What the page chose to look at; every field has a default, so a run can start at once.
struct View {
  int layer = -1;  // hidden layer of the hidden space; -1: the last
  int dims = 3;    // axes of a PCA projection (layers wider than 3 units)
  bool weight_axes = false;  // the surface over two weights instead of two random directions
  int first = 0, second = 1;  // the two weights (flat parameter indices)
  double extent = 1.0;        // the surface's half-width in direction units
  std::uint64_t direction_seed = 1;
};

struct SetSpec {
  nlohmann::json changes;  // spec keys to replace (checked)
};
struct SetView {
  nlohmann::json changes;  // view keys to replace (checked)
};
struct Play {};
struct Pause {};
struct Step {};
struct Reset {};
struct Stop {};
struct Probe {
  float x1, x2;
};

using Command = std::variant<SetSpec, SetView, Play, Pause, Step, Reset, Stop, Probe>;

// Throws Error whose message starts with the path of what is wrong ("set_spec.spec.hidden[0]:
// must be an integer 1..64, got 0"). Unknown keys are refused.
Command parse_command(const std::string& type, const nlohmann::json& message);

// `spec` with `changes` applied. Throws Error "set_spec.spec.KEY: ..." naming every bad key,
// joined by "; ", or the one reason a spec of good keys is not valid as a whole.
train::TracedRunSpec merge_spec(const nlohmann::json& changes, train::TracedRunSpec spec);
View merge_view(const nlohmann::json& changes, View view);

}  // namespace netlens::server::inside
