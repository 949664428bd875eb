#pragma once
// The Runs view's commands (docs/protocol.md, "Runs"): each client message type is one small
// struct, read from its JSON with every field checked. The names are checked again as run
// names (train::check_run_name) when applied. Pure functions, no I/O.
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace netlens::server::runs {

struct List {};
struct Rename {
  std::string run, to;
};
struct Star {
  std::string run;
  bool starred = true;
};
struct Delete {
  std::string run;
};

using Command = std::variant<List, Rename, Star, Delete>;

// Throws Error naming the field ("rename.to: is missing"); unknown keys are refused.
Command parse_command(const std::string& type, const nlohmann::json& message);

}  // namespace netlens::server::runs
