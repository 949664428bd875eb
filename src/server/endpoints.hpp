#pragma once
// The endpoint table: every view's WebSocket path and how its session starts. Adding a view is
// one row here (and its folder beside this file); the transport (net/) knows no view.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/net/endpoint.hpp"
#include "train/run_folder.hpp"

namespace netlens::server {

// What the views need of the command line.
struct ViewOptions {
  std::filesystem::path models_dir = "models";  // the Digits view's trained models (written on first use)
  std::string mnist_dir;                        // empty: train::dataset_dir("mnist")
  // Each Playground session's run, when it ends (tab closed, server stopped) after training at
  // least an epoch, is saved here as a run directory. Empty: runs are not saved.
  std::filesystem::path runs_dir;
  // The automatic saves kept there unstarred; older ones are removed as a new one is saved.
  std::size_t keep_runs = train::kKeptAutomaticRuns;
  // A saved run directory every new Playground session starts from (serve --open-run); empty: none.
  std::filesystem::path open_run;
};

// /ws (the Playground), /ws/digits, /ws/inside, /ws/lurk, /ws/runs, POST /api/upload/v1/model (a
// model file uploaded from a page, saved in models_dir) and POST /api/ingest/v1/records (runs
// streamed from outside, saved under runs_dir). The rows share one registry of live runs
// (server/common/live_runs). `memory` is the server's session budget, shared
// by what several sessions hold (the Digits data sets); it must outlive the endpoints.
std::vector<Endpoint> view_endpoints(const ViewOptions& options, Budget& memory);

}  // namespace netlens::server
