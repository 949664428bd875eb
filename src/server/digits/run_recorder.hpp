#pragma once
// RunRecorder: a training run of the Digits view kept as a run directory of the runs folder while
// it trains (docs/run-format.md "Digits runs"), and listed as live until it ends, so the Runs page
// shows it and Lurk follows it checkpoint by checkpoint:
//   manifest.json       "source": "netlens", "image": what trains and how far it has got
//   meta.json           an automatic save: the runs folder's retention applies to it
//   model.nlmodel       the network at its newest checkpoint; at the end, the run's kept weights
//   model.checkpoints/  the checkpoints so far (train::ImageTimeline's files, each written once)
// Every file is written atomically, so a reader never sees half of one.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/network.hpp"
#include "server/common/live_runs.hpp"
#include "train/image_timeline.hpp"

namespace netlens::server::digits {

class RunRecorder {
 public:
  // A new directory under `runs_dir` ("mnist-cnn-20261202-061500"), registered in `live` (which
  // must outlive this). `header` is the model file's header while the run trains.
  RunRecorder(const std::filesystem::path& runs_dir, LiveRuns& live, const std::string& data, const std::string& model,
              nlohmann::json header);

  const std::string& name() const { return name_; }

  // The checkpoints not written yet, and `network` as the model file; the live listing's progress.
  void record(const train::ImageTimeline& timeline, nn::Network& network, int epoch, double validation_loss);
  // The run's end: `network` (its kept weights) with `header`, the timeline's last checkpoint
  // (written again: finish may have replaced it) and `status` ("done", "stopped", "diverged").
  // The run is no longer live.
  void finish(const train::ImageTimeline& timeline, nn::Network& network, const nlohmann::json& header, int epoch,
              const std::string& status);
  // A run that ends unsaved ("diverged", "interrupted"): the folder keeps its last checkpoint and
  // says why it ended. The run is no longer live.
  void end(const std::string& status);

 private:
  void write_model(nn::Network& network);
  void write_manifest() const;

  std::filesystem::path dir_;
  std::string name_;
  nlohmann::json header_;
  nlohmann::json manifest_;
  std::size_t written_ = 0;  // checkpoint files in model.checkpoints/
  LiveRuns::Registration live_;
};

}  // namespace netlens::server::digits
