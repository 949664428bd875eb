#pragma once
// The Runs view's messages to the page (docs/protocol.md, "Runs"). Pure functions, no I/O.
#include <cstddef>
#include <string>
#include <vector>

#include "server/common/live_runs.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::runs {

inline constexpr int kProtocolVersion = 1;

// {"type":"hello","view":"runs",...,"keep":N,"saving":bool}: how many automatic saves are kept.
std::string hello_message(std::size_t keep, bool saving);
// {"type":"runs","runs":[...]}: the live runs without a directory first, then the folder's runs
// newest first, each with its status ("live", "saved" or "finished") and the views that open it.
std::string runs_message(const std::vector<train::RunEntry>& saved, const std::vector<LiveRun>& live);

}  // namespace netlens::server::runs
