#include "probe/unit_maps.hpp"

#include <algorithm>
#include <cmath>

namespace netlens::probe {
namespace {

// NaN (a diverged run) is drawn neutral, as 0.
std::uint8_t encode(float v) {
  if (std::isnan(v)) return 128;
  return static_cast<std::uint8_t>(std::lround((std::clamp(v, -1.0f, 1.0f) + 1.0f) * 127.5f));
}

}  // namespace

std::vector<std::uint8_t> feature_map(data::Feature feature, int resolution, const Domain& domain) {
  const int points = resolution * resolution;
  std::vector<float> values(static_cast<std::size_t>(points));
  float scale = 0;
  for (int p = 0; p < points; ++p) {
    const auto [x1, x2] = cell_centre(domain, resolution, p);
    data::compute_features({feature}, x1, x2, &values[static_cast<std::size_t>(p)]);
    scale = std::max(scale, std::abs(values[static_cast<std::size_t>(p)]));
  }
  std::vector<std::uint8_t> codes(values.size());
  std::transform(values.begin(), values.end(), codes.begin(), [&](float v) { return encode(scale > 0 ? v / scale : v); });
  return codes;
}

UnitMaps::UnitMaps(const train::Session& session, int resolution, Domain domain)
    : resolution_(resolution),
      ws_(nn::make_feature_major_workspace(session.network(), resolution * resolution)),
      display_(static_cast<std::size_t>(resolution) * resolution) {
  const int points = resolution * resolution;
  const auto& features = session.spec().features;
  std::vector<float> values(features.size());
  for (int p = 0; p < points; ++p) {
    const auto [x1, x2] = cell_centre(domain, resolution, p);
    data::compute_features(features, x1, x2, values.data());
    for (std::size_t f = 0; f < values.size(); ++f)
      ws_.input()[f * static_cast<std::size_t>(points) + static_cast<std::size_t>(p)] = values[f];
  }
  for (auto f : features) {
    const auto codes = feature_map(f, resolution, domain);
    feature_codes_.insert(feature_codes_.end(), codes.begin(), codes.end());
  }
  // Inputs, then every Dense layer's units except the output layer's, then one output row.
  nodes_ = static_cast<int>(features.size()) + 1;
  for (std::size_t b = 1; b + 1 < ws_.buffers.size(); ++b) nodes_ += ws_.buffers[b].dim(0);
  codes_.resize(static_cast<std::size_t>(nodes_) * points);
}

const std::vector<std::uint8_t>& UnitMaps::compute(const train::Session& session) {
  const auto points = static_cast<std::size_t>(resolution_) * resolution_;
  const Tensor& out = nn::forward_feature_major(session.network(), ws_);
  session.display_outputs(out.data(), static_cast<int>(points), display_.data());
  std::uint8_t* code = std::copy(feature_codes_.begin(), feature_codes_.end(), codes_.data());
  // Hidden buffers hold activated values: activations run in place on their Dense output.
  for (std::size_t b = 1; b + 1 < ws_.buffers.size(); ++b)
    code = std::transform(ws_.buffers[b].data(), ws_.buffers[b].data() + ws_.buffers[b].size(), code, encode);
  std::transform(display_.begin(), display_.end(), code, encode);
  return codes_;
}

}  // namespace netlens::probe
