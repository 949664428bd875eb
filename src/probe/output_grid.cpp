#include "probe/output_grid.hpp"

#include <unistd.h>

#include <algorithm>

#include "core/parallel.hpp"
#include "nn/layers/dense.hpp"

namespace netlens::probe {

namespace {

struct ChunkLayout {
  std::size_t points_per_chunk, chunks;
};

// Half a core's L2 cache, as the system reports it (256 KB when it does not).
std::size_t cache_budget() {
  static const std::size_t bytes = [] {
    const long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    return l2 > 0 ? static_cast<std::size_t>(l2) / 2 : std::size_t{256} << 10;
  }();
  return bytes;
}

// Chunks whose widest layer's rows fit in cache_budget() (on a 1 MiB L2, 512 KB made the wide
// 50 x 50 frames of W3g 20 % faster than 256 KB) with at least 64 points (so each row still
// vectorises well), at least one per thread, and the points shared evenly between them: the
// last chunk's padding is computed for nothing (a 100 x 100 grid in chunks of 8,192 points
// would compute 16,384).
ChunkLayout chunk_layout(std::size_t widest, std::size_t points) {
  const std::size_t most = std::max<std::size_t>(64, cache_budget() / sizeof(float) / widest / 16 * 16);
  const std::size_t wanted = std::max((points + most - 1) / most, static_cast<std::size_t>(parallel::threads()));
  const std::size_t chunk = std::max<std::size_t>(64, ((points + wanted - 1) / wanted + 15) / 16 * 16);
  return {chunk, (points + chunk - 1) / chunk};
}

std::size_t widest_layer(const nn::Network& network) {
  std::size_t widest = 1;
  for (std::size_t i = 0; i < network.size(); ++i)
    if (const auto* d = dynamic_cast<const nn::Dense*>(&network.layer(i)))
      widest = std::max(widest, static_cast<std::size_t>(d->out()));
  return widest;
}

}  // namespace

OutputGrid::OutputGrid(const train::Session& session, int resolution, Domain domain)
    : resolution_(resolution), domain_(domain), values_(static_cast<std::size_t>(resolution) * resolution) {
  const ChunkLayout layout = chunk_layout(widest_layer(session.network()), values_.size());
  chunk_points_ = static_cast<int>(layout.points_per_chunk);
  chunks_ = static_cast<int>(layout.chunks);
  const int points = resolution * resolution;
  const auto& features = session.spec().features;
  const auto padded = static_cast<std::size_t>(chunks_) * chunk_points_;
  inputs_.assign(features.size() * padded, 0.0f);
  std::vector<float> values(features.size());
  for (int p = 0; p < points; ++p) {
    const auto [x1, x2] = cell_centre(domain_, resolution, p);
    data::compute_features(features, x1, x2, values.data());
    for (std::size_t f = 0; f < values.size(); ++f) inputs_[f * padded + static_cast<std::size_t>(p)] = values[f];
  }
  const int threads = std::min(parallel::threads(), chunks_);
  for (int t = 0; t < threads; ++t)
    workspaces_.push_back(nn::make_feature_major_workspace(session.network(), chunk_points_));
}

// The grid's features and values, and per thread a workspace of a chunk of points holding
// every Dense layer's outputs (activations work in place).
std::size_t OutputGrid::estimate_bytes(const train::RunSpec& spec, int resolution) {
  const auto points = static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution);
  // The inputs and at most one output per class.
  const auto outputs = static_cast<std::size_t>(std::max(2, train::num_classes(spec)));
  std::size_t row = spec.features.size() + outputs, widest = outputs;
  for (const auto& l : spec.hidden_layers) {
    row += static_cast<std::size_t>(l.units);
    widest = std::max(widest, static_cast<std::size_t>(l.units));
  }
  const auto [chunk, chunks] = chunk_layout(widest, points);
  const std::size_t threads = std::min(static_cast<std::size_t>(parallel::threads()), chunks);
  const std::size_t bytes = (spec.features.size() * chunks * chunk + points + threads * chunk * row) * sizeof(float);
  return bytes + bytes / 4 + (64 << 10);
}

const std::vector<float>& OutputGrid::compute(const train::Session& session) {
  const auto features = static_cast<std::size_t>(workspaces_.front().input().dim(0));
  const auto padded = static_cast<std::size_t>(chunks_) * chunk_points_;
  const auto points = values_.size();
  const auto chunk = static_cast<std::size_t>(chunk_points_);
  // Lane t (one per thread, with its own workspace) takes chunks t, t + lanes, ...
  const std::size_t lanes = workspaces_.size();
  parallel::parallel_for(lanes, 1, [&](std::size_t l0, std::size_t l1) {
    for (std::size_t lane = l0; lane < l1; ++lane) {
      nn::FeatureMajorWorkspace& ws = workspaces_[lane];
      for (std::size_t c = lane; c < static_cast<std::size_t>(chunks_); c += lanes) {
        const std::size_t start = c * chunk;
        for (std::size_t f = 0; f < features; ++f)
          std::copy_n(inputs_.data() + f * padded + start, chunk, ws.input().data() + f * chunk);
        const Tensor& out = nn::forward_feature_major(session.network(), ws);
        // The last chunk is padded: only its first points are on the grid.
        const int n = static_cast<int>(std::min(chunk, points - start));
        session.display_outputs(out.data(), n, values_.data() + start, static_cast<int>(chunk));
      }
    }
  });
  return values_;
}

}  // namespace netlens::probe
