#pragma once
// TimelineFrames: the frames of a recorded run's class-probability maps, drawn one way for
// `netlens render`, the Playground's Timeline panel and its GIF, so all three agree pixel for
// pixel. A checkpoint's map is computed with its weights when first asked for and kept while
// the frames near it need it (cubic interpolation looks one checkpoint back and two ahead); a
// frame between two checkpoints interpolates their maps; every frame is titled with its epoch
// (fractional early on) and test loss, both interpolated.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "export/map_render.hpp"
#include "probe/interpolate.hpp"
#include "probe/probability_map.hpp"
#include "train/session.hpp"
#include "train/timeline.hpp"

namespace netlens::exports {

// A frame's title: "epoch 2.4  test loss 0.1234"; a fraction of an epoch only early on and never
// as ".0" ("epoch 0", not "epoch 0.0").
std::string frame_title(double epoch, double test_loss);

class TimelineFrames {
 public:
  // Puts checkpoint `k`'s weights into the session.
  using Load = std::function<void(std::size_t k, train::Session& session)>;

  // The frames of `checkpoints` (0..n-1 in this order), their maps over `map`'s grid computed
  // in `session`, whose weights `load` replaces; `train_size` examples make an epoch.
  TimelineFrames(train::Session& session, probe::ProbabilityMap& map, std::vector<train::Checkpoint> checkpoints,
                 int train_size, Load load);

  std::size_t size() const { return checkpoints_.size(); }
  // The class probabilities t of the way from checkpoint k to k + 1 (t in [0, 1)).
  const float* probabilities(std::size_t k, float t, probe::Interpolation method);
  std::string title(std::size_t k, float t) const;
  // The frame at (k, t), titled unless `titled` is false.
  IndexedImage render(MapRenderer& renderer, std::size_t k, float t, probe::Interpolation method, bool titled = true);
  // Frees the maps of checkpoints before k - 1, which the frames from k on never need.
  void forget_before(std::size_t k);

 private:
  const float* map_of(std::size_t k);  // null past the end

  train::Session& session_;
  probe::ProbabilityMap& map_;
  std::vector<train::Checkpoint> checkpoints_;
  int train_size_;
  Load load_;
  std::map<std::size_t, std::vector<float>> maps_;
  std::vector<float> between_;  // an interpolated map
};

}  // namespace netlens::exports
