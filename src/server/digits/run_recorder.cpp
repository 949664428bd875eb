#include "server/digits/run_recorder.hpp"

#include <cmath>

#include "core/atomic_file.hpp"
#include "nn/model_file.hpp"
#include "train/run_folder.hpp"
#include "train/timeline.hpp"

namespace netlens::server::digits {

using nlohmann::json;
namespace fs = std::filesystem;

RunRecorder::RunRecorder(const fs::path& runs_dir, LiveRuns& live, const std::string& data, const std::string& model,
                         json header)
    : dir_(train::claim_run_directory(runs_dir, data + "-" + model + "-" + train::run_timestamp())),
      name_(dir_.filename().string()),
      header_(std::move(header)),
      manifest_({{"format", "netlens-run"},
                 {"version", train::kRunFormatVersion},
                 {"source", "netlens"},
                 {"image", {{"view", "digits"}, {"data", data}, {"model", model}, {"status", "training"}, {"epoch", 0},
                            {"validation_loss", nullptr}, {"checkpoints", 0}}}}),
      live_(live.add("digits", "netlens", data + " " + model)) {
  train::write_run_meta(dir_, {.starred = false, .automatic = true});  // before the manifest lists it
  write_manifest();
  live_.set_run(name_);
}

void RunRecorder::record(const train::ImageTimeline& timeline, nn::Network& network, int epoch, double validation_loss) {
  write_model(network);  // first: a reader that sees a new checkpoint finds a model that fits it
  timeline.save_since(dir_ / train::kRunCheckpointsName, written_);
  written_ = timeline.checkpoints().size();
  json& image = manifest_["image"];
  image["epoch"] = epoch;
  image["validation_loss"] = std::isfinite(validation_loss) ? json(validation_loss) : json(nullptr);
  image["checkpoints"] = written_;
  write_manifest();
  live_.update(epoch, std::isfinite(validation_loss) ? std::optional<double>(validation_loss) : std::nullopt,
               image["data"].get<std::string>() + " " + image["model"].get<std::string>());
}

void RunRecorder::finish(const train::ImageTimeline& timeline, nn::Network& network, const json& header, int epoch,
                         const std::string& status) {
  header_ = header;
  // The timeline's finish may have replaced its last checkpoint: that file is written again.
  if (written_ > 0 && written_ >= timeline.checkpoints().size()) written_ = timeline.checkpoints().size() - 1;
  json& image = manifest_["image"];
  for (const char* key : {"test_accuracy", "test_loss"})
    if (header.contains(key)) image[key] = header[key];
  const double loss = image["validation_loss"].is_number() ? image["validation_loss"].get<double>() : std::nan("");
  image["status"] = status;
  record(timeline, network, epoch, loss);
  live_ = {};
}

void RunRecorder::end(const std::string& status) {
  manifest_["image"]["status"] = status;
  live_ = {};
  write_manifest();
}

void RunRecorder::write_model(nn::Network& network) { nn::save_model(dir_ / train::kRunModelName, header_, network); }

void RunRecorder::write_manifest() const {
  write_file_atomically(dir_ / train::kManifestName, manifest_.dump(1) + "\n");
}

}  // namespace netlens::server::digits
