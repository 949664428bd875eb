#include "export/timeline_frames.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace netlens::exports {

std::string frame_title(double epoch, double test_loss) {
  const bool whole = epoch >= 10 || std::abs(epoch - std::round(epoch)) < 0.05;
  char text[96];
  std::snprintf(text, sizeof text, whole ? "epoch %.0f  test loss %.4f" : "epoch %.1f  test loss %.4f", epoch, test_loss);
  return text;
}

TimelineFrames::TimelineFrames(train::Session& session, probe::ProbabilityMap& map,
                               std::vector<train::Checkpoint> checkpoints, int train_size, Load load)
    : session_(session),
      map_(map),
      checkpoints_(std::move(checkpoints)),
      train_size_(train_size),
      load_(std::move(load)),
      between_(static_cast<std::size_t>(map.classes()) * static_cast<std::size_t>(map.grid().points())) {}

const float* TimelineFrames::map_of(std::size_t k) {
  if (k >= checkpoints_.size()) return nullptr;
  auto it = maps_.find(k);
  if (it == maps_.end()) {
    load_(k, session_);
    it = maps_.emplace(k, map_.compute(session_)).first;
  }
  return it->second.data();
}

const float* TimelineFrames::probabilities(std::size_t k, float t, probe::Interpolation method) {
  const float* a = map_of(k);
  if (t == 0) return a;
  probe::interpolate_maps(method, k > 0 ? map_of(k - 1) : nullptr, a, map_of(k + 1), map_of(k + 2), map_.classes(),
                          map_.grid().points(), t, between_.data());
  return between_.data();
}

std::string TimelineFrames::title(std::size_t k, float t) const {
  const auto& a = checkpoints_[k];
  const auto& b = checkpoints_[std::min(k + 1, checkpoints_.size() - 1)];
  const double epoch =
      ((1 - t) * static_cast<double>(a.examples) + t * static_cast<double>(b.examples)) / static_cast<double>(train_size_);
  const double loss = (1 - t) * a.test_loss + t * b.test_loss;
  return frame_title(epoch, loss);
}

IndexedImage TimelineFrames::render(MapRenderer& renderer, std::size_t k, float t, probe::Interpolation method,
                                    bool titled) {
  const float* p = probabilities(k, t, method);
  return renderer.render(p, session_.train_set().points, titled ? title(k, t) : "");
}

void TimelineFrames::forget_before(std::size_t k) {
  while (!maps_.empty() && maps_.begin()->first + 1 < k) maps_.erase(maps_.begin());
}

}  // namespace netlens::exports
