#pragma once
// ImageRun: an ingested run's image model, kept as netlens's own image training keeps one, so
// Digits and Lurk open the run as they open a trained model (docs/architecture.md, "Ingested
// image runs"):
//   <run>/model.nlmodel       the network at the newest weights (written atomically)
//   <run>/model.checkpoints/  every weight snapshot, train::ImageTimeline's format
// The network comes from the model record's ONNX bytes (imported) or its layer list (built from
// the torch.nn modules netlens has); each weight snapshot is mapped onto it tensor by tensor.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "nn/model_file.hpp"
#include "server/ingest/records.hpp"
#include "train/image_timeline.hpp"
#include "train/run_folder.hpp"

namespace netlens::server::ingest {

inline constexpr const char* kImageModelName = train::kRunModelName;
inline constexpr const char* kImageCheckpointsName = train::kRunCheckpointsName;

// The weights an ingested image model may have: its timeline holds up to
// train::kMaxImageCheckpoints copies of them in memory (256 MiB at this size).
inline constexpr std::size_t kMaxImageRunParams = 1u << 20;
// Throws Error unless a network of `spec` is small enough to keep as an image run.
void check_image_run_size(const nn::ImageNetworkSpec& spec);

class ImageRun {
 public:
  // A new image model in `dir` (written at once with its initial weights, no checkpoints yet).
  static ImageRun create(std::filesystem::path dir, nn::Model model);
  // The image model a previous server left in `dir`, or none.
  static std::optional<ImageRun> reopen(const std::filesystem::path& dir);

  // One weight snapshot: the model file takes its weights, the timeline one more checkpoint.
  // Throws Error naming the tensor that does not fit (nothing is written then).
  void apply(const Record& record, long examples, long steps, int epoch, double loss);

  const nn::Model& model() const { return model_; }
  std::size_t checkpoints() const { return timeline_.checkpoints().size(); }

 private:
  ImageRun(std::filesystem::path dir, nn::Model model) : dir_(std::move(dir)), model_(std::move(model)) {}

  std::filesystem::path dir_;
  nn::Model model_;
  train::ImageTimeline timeline_;
};

// The image network a model record's layer list describes (the client's leaf modules with their
// input and output shapes: Conv2d, MaxPool2d, AvgPool2d, Flatten, Linear, Dropout and the
// activations netlens has), as an image config, or nullopt when the list is not such a chain.
std::optional<nlohmann::json> image_config_from_layers(const nlohmann::json& layers);

// A PyTorch state (named_parameters order: per conv or linear layer its weight, then its bias) as
// `network`'s weights in Network::params() order: conv weights are OIHW in both, a linear weight
// [out, in] becomes netlens's (in, out).
std::vector<float> torch_weights(nn::Network& network, const Record& record);

}  // namespace netlens::server::ingest
