#include "train/image_timeline.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "core/float16.hpp"

namespace netlens::train {

namespace fs = std::filesystem;

namespace {
std::string file_name(std::size_t index) {
  char name[48];
  std::snprintf(name, sizeof name, "checkpoint-%05zu.bin", index);
  return name;
}
}  // namespace

void ImageTimeline::record(nn::Network& network, long examples, long steps, int epoch, double validation_loss) {
  Snapshot s{examples, steps, epoch, validation_loss, validation_loss, capture_weights(network)};
  for (float& w : s.weights) w = half_to_float(float_to_half(w));
  checkpoints_.push_back(std::move(s));
}

bool ImageTimeline::maybe_record(nn::Network& network, long examples, long steps, int epoch, double validation_loss) {
  if (!schedule_ || examples < next_ || checkpoints_.size() + 1 >= kMaxImageCheckpoints) return false;
  record(network, examples, steps, epoch, validation_loss);
  next_ = schedule_->next(examples);
  return true;
}

void ImageTimeline::finish(nn::Network& network, long examples, long steps, int epoch, double validation_loss) {
  if (!checkpoints_.empty() && checkpoints_.back().examples == examples) checkpoints_.pop_back();
  record(network, examples, steps, epoch, validation_loss);
}

void ImageTimeline::add(nn::Network& network, long examples, long steps, int epoch, double validation_loss) {
  if (checkpoints_.size() >= kMaxImageCheckpoints) {
    std::size_t kept = 1;
    for (std::size_t i = 2; i < checkpoints_.size(); i += 2) checkpoints_[kept++] = std::move(checkpoints_[i]);
    checkpoints_.resize(kept);
  }
  record(network, examples, steps, epoch, validation_loss);
}

void ImageTimeline::save(const fs::path& dir) const {
  const fs::path fresh = dir.string() + ".new", old = dir.string() + ".old";
  fs::remove_all(fresh);
  fs::create_directories(fresh);
  for (std::size_t i = 0; i < checkpoints_.size(); ++i) write_snapshot(fresh / file_name(i), checkpoints_[i]);
  fs::remove_all(old);
  if (fs::exists(dir)) fs::rename(dir, old);
  fs::rename(fresh, dir);
  fs::remove_all(old);
}

void ImageTimeline::save_since(const fs::path& dir, std::size_t first) const {
  fs::create_directories(dir);
  for (std::size_t i = first; i < checkpoints_.size(); ++i) write_snapshot(dir / file_name(i), checkpoints_[i]);
}

ImageTimeline ImageTimeline::load(const fs::path& dir, std::size_t param_count) {
  ImageTimeline t;
  if (!fs::is_directory(dir)) return t;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".bin") files.push_back(entry.path());
  if (files.size() > kMaxImageCheckpoints)
    throw Error(dir.string(), std::to_string(files.size()) + " checkpoints; at most " + std::to_string(kMaxImageCheckpoints));
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    Snapshot s = read_snapshot(f);
    if (s.weights.size() != param_count)
      throw Error(f.string(), "holds " + std::to_string(s.weights.size()) + " weights but the model has " +
                                  std::to_string(param_count));
    t.checkpoints_.push_back(std::move(s));
  }
  return t;
}

}  // namespace netlens::train
