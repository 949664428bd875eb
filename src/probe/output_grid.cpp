#include "probe/output_grid.hpp"

#include <algorithm>

#include "core/parallel.hpp"

namespace netlens::probe {

OutputGrid::OutputGrid(const train::Session& session, int resolution, Domain domain)
    : resolution_(resolution),
      domain_(domain),
      block_points_((resolution * resolution + parallel::threads() - 1) / parallel::threads()),
      values_(static_cast<std::size_t>(resolution) * resolution) {
  const int points = resolution * resolution;
  for (int start = 0; start < points; start += block_points_)
    blocks_.push_back(nn::make_feature_major_workspace(session.network(), std::min(block_points_, points - start)));

  const auto& features = session.spec().features;
  std::vector<float> values(features.size());
  const double step_x = (domain_.x_max - domain_.x_min) / resolution;
  const double step_y = (domain_.y_max - domain_.y_min) / resolution;
  for (int p = 0; p < points; ++p) {
    const int row = p / resolution, col = p % resolution;
    const auto x1 = static_cast<float>(domain_.x_min + (col + 0.5) * step_x);
    const auto x2 = static_cast<float>(domain_.y_max - (row + 0.5) * step_y);
    data::compute_features(features, x1, x2, values.data());
    nn::FeatureMajorWorkspace& block = blocks_[static_cast<std::size_t>(p / block_points_)];
    for (std::size_t f = 0; f < values.size(); ++f)
      block.input()[f * static_cast<std::size_t>(block.points) + static_cast<std::size_t>(p % block_points_)] = values[f];
  }
}

// Each grid point holds its features and every Dense layer's outputs (activations work in place),
// and the values of the output.
std::size_t OutputGrid::estimate_bytes(const train::RunSpec& spec, int resolution) {
  std::size_t row = spec.features.size() + 2 + 1;  // inputs, at most two outputs, the value
  for (const auto& l : spec.hidden_layers) row += static_cast<std::size_t>(l.units);
  const std::size_t bytes = static_cast<std::size_t>(resolution) * static_cast<std::size_t>(resolution) * row * sizeof(float);
  return bytes + bytes / 4 + (64 << 10);
}

const std::vector<float>& OutputGrid::compute(const train::Session& session) {
  parallel::parallel_for(blocks_.size(), 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      nn::FeatureMajorWorkspace& ws = blocks_[b];
      const Tensor& out = nn::forward_feature_major(session.network(), ws);
      session.display_outputs(out.data(), ws.points, values_.data() + b * block_points_);
    }
  });
  return values_;
}

}  // namespace netlens::probe
