#include "server/playground/timeline_view.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "export/gif.hpp"

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

void load(train::Session& session, const train::SnapshotStore& store, std::size_t k) {
  train::restore_weights(session.network(), store.load(k).weights, "checkpoint " + std::to_string(k));
}

}  // namespace

TimelineView::TimelineView(const train::Session& session, const probe::Domain& domain, int resolution) {
  if (session.spec().problem == data::Problem::Regression) return;
  map_.emplace(session, probe::square_grid(domain, resolution));
  between_.resize(static_cast<std::size_t>(map_->classes()) * static_cast<std::size_t>(map_->grid().points()));
}

std::string TimelineView::checkpoint(train::Session& session, const train::SnapshotStore& store,
                                     const TimelineRequest& request, probe::OutputGrid& grid, probe::UnitMaps& units,
                                     std::uint32_t timeline) {
  const std::size_t count = store.checkpoints().size(), k = static_cast<std::size_t>(request.index);
  if (k >= count)
    throw Error("index", "must be 0.." + std::to_string(count - 1) + ", got " + std::to_string(request.index));
  if (request.t > 0 && k + 1 == count) throw Error("t", "must be 0 at the last checkpoint");

  const LiveWeights live(session);
  maps_.clear();
  std::vector<std::uint8_t> rgba;
  int size = 0;
  if (map_) {
    exports::MapRenderer renderer(request.style, map_->classes(), map_->grid(), kTimelineMapSize, kTimelineMapSize);
    const float* p = probabilities(session, store, k, request.t, request.interpolation);
    rgba = exports::to_rgba(render(renderer, session, store, k, request.t, p), renderer.palette());
    size = kTimelineMapSize;
  }
  load(session, store, k);
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
  maps_.clear();
  exports::MapRenderer renderer(request.style, map_->classes(), map_->grid(), kTimelineMapSize, kTimelineMapSize);
  exports::GifWriter gif(kTimelineMapSize, kTimelineMapSize, renderer.palette(), request.frame_ms);
  for (const auto [k, t] : probe::frame_positions(store.checkpoints().size(), request.interp_factor)) {
    while (!maps_.empty() && maps_.begin()->first + 1 < k) maps_.erase(maps_.begin());
    gif.add(render(renderer, session, store, k, t, probabilities(session, store, k, t, request.interpolation)));
  }
  const int frames = gif.frames();
  const std::string bytes = gif.finish();
  if (bytes.size() > kMaxGifBytes)
    throw Error("interp_factor", "the GIF would be " + std::to_string(bytes.size() >> 20) + " MiB, over the " +
                                     std::to_string(kMaxGifBytes >> 20) + " MiB limit; ask for fewer frames");
  return encode_gif(timeline, frames, bytes);
}

const float* TimelineView::probabilities(train::Session& session, const train::SnapshotStore& store, std::size_t k,
                                         float t, probe::Interpolation method) {
  const float* a = map_of(session, store, k);
  if (t == 0) return a;
  probe::interpolate_maps(method, k > 0 ? map_of(session, store, k - 1) : nullptr, a, map_of(session, store, k + 1),
                          map_of(session, store, k + 2), map_->classes(), map_->grid().points(), t, between_.data());
  return between_.data();
}

const float* TimelineView::map_of(train::Session& session, const train::SnapshotStore& store, std::size_t k) {
  if (k >= store.checkpoints().size()) return nullptr;
  auto it = maps_.find(k);
  if (it == maps_.end()) {
    load(session, store, k);
    it = maps_.emplace(k, map_->compute(session)).first;
  }
  return it->second.data();
}

// The frame's title, as `netlens render` writes it: the epoch (fractional early on) and the
// test loss, both interpolated between the checkpoints.
exports::IndexedImage TimelineView::render(exports::MapRenderer& renderer, const train::Session& session,
                                           const train::SnapshotStore& store, std::size_t k, float t,
                                           const float* probabilities) {
  const auto& list = store.checkpoints();
  const auto& a = list[k];
  const auto& b = list[std::min(k + 1, list.size() - 1)];
  const double epoch = ((1 - t) * static_cast<double>(a.examples) + t * static_cast<double>(b.examples)) /
                       static_cast<double>(session.train_set().size());
  const double loss = (1 - t) * a.test_loss + t * b.test_loss;
  char title[96];
  std::snprintf(title, sizeof title, epoch < 10 ? "epoch %.1f  test loss %.4f" : "epoch %.0f  test loss %.4f", epoch,
                loss);
  return renderer.render(probabilities, session.train_set().points, title);
}

}  // namespace netlens::server::playground
