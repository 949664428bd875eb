#include "server/playground/timeline_view.hpp"

#include "core/error.hpp"
#include "export/gif.hpp"
#include "export/timeline_frames.hpp"

namespace netlens::server::playground {

namespace {

// Puts the live weights back when a request ends, however it ends.
class LiveWeights {
 public:
  explicit LiveWeights(train::Session& session) : session_(session), weights_(train::capture_weights(session.network())) {}
  ~LiveWeights() { train::restore_weights(session_.network(), weights_, "live weights"); }
  LiveWeights(const LiveWeights&) = delete;
  LiveWeights& operator=(const LiveWeights&) = delete;

 private:
  train::Session& session_;
  std::vector<float> weights_;
};

// Checkpoint k's frames, their maps over the live output's grid.
exports::TimelineFrames frames_of(train::Session& session, probe::ProbabilityMap& map, const train::SnapshotStore& store) {
  return exports::TimelineFrames(session, map, store.checkpoints(), session.train_set().size(),
                                 [&store](std::size_t k, train::Session& s) {
                                   train::restore_weights(s.network(), store.load(k).weights,
                                                          "checkpoint " + std::to_string(k));
                                 });
}

}  // namespace

TimelineView::TimelineView(const train::Session& session, const probe::Domain& domain, int resolution) {
  if (session.spec().problem == data::Problem::Regression) return;
  map_.emplace(session, probe::square_grid(domain, resolution));
}

std::string TimelineView::checkpoint(train::Session& session, const train::SnapshotStore& store,
                                     const TimelineRequest& request, probe::OutputGrid& grid, probe::UnitMaps& units,
                                     std::uint32_t timeline) {
  const std::size_t count = store.checkpoints().size(), k = static_cast<std::size_t>(request.index);
  if (k >= count)
    throw Error("index", "must be 0.." + std::to_string(count - 1) + ", got " + std::to_string(request.index));
  if (request.t > 0 && k + 1 == count) throw Error("t", "must be 0 at the last checkpoint");

  const LiveWeights live(session);
  std::vector<std::uint8_t> rgba;
  int size = 0;
  if (map_) {
    exports::MapRenderer renderer(request.style, map_->classes(), map_->grid(), kTimelineMapSize, kTimelineMapSize);
    auto frames = frames_of(session, *map_, store);
    rgba = exports::to_rgba(frames.render(renderer, k, request.t, request.interpolation), renderer.palette());
    size = kTimelineMapSize;
  }
  train::restore_weights(session.network(), store.load(k).weights, "checkpoint " + std::to_string(k));
  std::vector<float> params = train::capture_weights(session.network());
  const std::string frame = encode_frame(static_cast<std::uint32_t>(k),
                                         {grid.resolution(), 1, grid.compute(session).data(), units.resolution(),
                                          units.nodes(), units.compute(session).data(), params});
  return encode_checkpoint(timeline, request, size, size, rgba, frame);
}

std::string TimelineView::gif(train::Session& session, const train::SnapshotStore& store,
                              const TimelineRequest& request, std::uint32_t timeline) {
  if (!map_) throw Error("mode", "a regression run has no class-probability maps to animate");
  const LiveWeights live(session);
  exports::MapRenderer renderer(request.style, map_->classes(), map_->grid(), kTimelineMapSize, kTimelineMapSize);
  exports::GifWriter gif(kTimelineMapSize, kTimelineMapSize, renderer.palette(), request.frame_ms);
  auto maps = frames_of(session, *map_, store);
  for (const auto [k, t] : probe::frame_positions(maps.size(), request.interp_factor)) {
    maps.forget_before(k);
    gif.add(maps.render(renderer, k, t, request.interpolation));
  }
  const int frames = gif.frames();
  const std::string bytes = gif.finish();
  if (bytes.size() > kMaxGifBytes)
    throw Error("interp_factor", "the GIF would be " + std::to_string(bytes.size() >> 20) + " MiB, over the " +
                                     std::to_string(kMaxGifBytes >> 20) + " MiB limit; ask for fewer frames");
  return encode_gif(timeline, frames, bytes);
}

}  // namespace netlens::server::playground
