#pragma once
// TimelineView: draws a live session's recorded checkpoints (docs/protocol.md, "Timeline"): one
// checkpoint, or a point between two, as the page's map and network, or all of them as a GIF.
// Maps are class-probability maps over the live output's grid, drawn by exports::MapRenderer as
// `netlens render` draws its frames, so the page, its GIF and the CLI agree.
// It runs on the session thread and borrows the live network: it loads recorded weights into
// it and puts the live ones back, bit for bit, before returning (or throwing).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probe/probability_map.hpp"
#include "probe/unit_maps.hpp"
#include "server/playground/messages.hpp"
#include "train/timeline.hpp"

namespace netlens::server::playground {

inline constexpr int kTimelineMapSize = 360;               // pixels a side: the page's map, the GIF's frames
inline constexpr std::size_t kMaxGifBytes = 32 << 20;      // a larger GIF is refused

class TimelineView {
 public:
  // `domain` and `resolution`: the live output's grid. A regression run has no class maps.
  TimelineView(const train::Session& session, const probe::Domain& domain, int resolution);

  // The "NLCP" reply. Throws Error("index: ...") or Error("t: ...") for a position the timeline
  // does not have.
  std::string checkpoint(train::Session& session, const train::SnapshotStore& store, const TimelineRequest& request,
                         probe::OutputGrid& grid, probe::UnitMaps& units, std::uint32_t timeline);
  // The "NLGF" reply: every checkpoint with interp_factor - 1 frames between each two. Throws
  // Error for a regression run and for a GIF over kMaxGifBytes.
  std::string gif(train::Session& session, const train::SnapshotStore& store, const TimelineRequest& request,
                  std::uint32_t timeline);

 private:
  // The class probabilities t of the way from checkpoint k to k + 1.
  const float* probabilities(train::Session& session, const train::SnapshotStore& store, std::size_t k, float t,
                             probe::Interpolation method);
  // Checkpoint k's map, computed with its weights when first asked for; null past the end.
  const float* map_of(train::Session& session, const train::SnapshotStore& store, std::size_t k);
  exports::IndexedImage render(exports::MapRenderer& renderer, const train::Session& session,
                               const train::SnapshotStore& store, std::size_t k, float t, const float* probabilities);

  std::optional<probe::ProbabilityMap> map_;
  std::map<std::size_t, std::vector<float>> maps_;  // the maps around the frame being drawn
  std::vector<float> between_;                      // an interpolated map
};

}  // namespace netlens::server::playground
