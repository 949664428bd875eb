#pragma once
// ImageTimeline: the checkpoints of an image network's training, so the Digits view can show a
// drawing through the network at each stage of its training. Snapshots are taken on a
// Schedule of training images seen (the default one: dense early, sparse later), held in
// memory with their weights rounded to float16 (as on disk, so a saved timeline shows exactly
// what the live one did), and saved beside the model as snapshot files (train/snapshot):
//   <model>.checkpoints/checkpoint-00000.bin, ...
// Their train_loss and test_loss hold the last epoch's validation loss (NaN before the first).
#include <filesystem>
#include <optional>
#include <vector>

#include "nn/network.hpp"
#include "train/schedule.hpp"
#include "train/snapshot.hpp"

namespace netlens::train {

inline constexpr std::size_t kMaxImageCheckpoints = 64;  // the default schedule needs 35 for a 5-epoch MNIST run

class ImageTimeline {
 public:
  ImageTimeline() = default;
  explicit ImageTimeline(int train_size) : schedule_(std::in_place, ScheduleSpec{}, train_size) {}

  // Records a snapshot when `examples` has reached the next point of the schedule (and while
  // there is room); returns whether it did.
  bool maybe_record(nn::Network& network, long examples, long steps, int epoch, double validation_loss);
  // Records the final weights (after restoring the best epoch's, say) as the last checkpoint.
  void finish(nn::Network& network, long examples, long steps, int epoch, double validation_loss);
  // Records a snapshot taken elsewhere (an ingested run's, server/ingest), without a schedule:
  // when the timeline is full, every other checkpoint after the first goes, so a long run keeps
  // its whole span at half the density.
  void add(nn::Network& network, long examples, long steps, int epoch, double validation_loss);

  const std::vector<Snapshot>& checkpoints() const { return checkpoints_; }

  // Writes the snapshots into `dir` atomically as a whole: a new folder beside it, then a rename
  // over the old one (a kill midway leaves the old timeline or none, never half of each).
  void save(const std::filesystem::path& dir) const;
  // Writes checkpoints `first`.. into `dir` (created when missing), each file atomically, and
  // leaves the others: a run that is still recording grows its folder a file at a time, and a
  // reader listing it meanwhile sees whole checkpoints only.
  void save_since(const std::filesystem::path& dir, std::size_t first) const;
  // Reads a saved timeline; throws Error naming the file when a snapshot is corrupt or does not
  // fit a network of `param_count` weights. A missing folder gives an empty timeline.
  static ImageTimeline load(const std::filesystem::path& dir, std::size_t param_count);

 private:
  void record(nn::Network& network, long examples, long steps, int epoch, double validation_loss);

  std::optional<Schedule> schedule_;
  long next_ = 0;
  std::vector<Snapshot> checkpoints_;
};

}  // namespace netlens::train
