#include "probe/output_grid.hpp"

namespace netlens::probe {

OutputGrid::OutputGrid(const train::Session& session, int resolution, Domain domain)
    : resolution_(resolution),
      domain_(domain),
      ws_(session.network().make_workspace(resolution * resolution)),
      values_(static_cast<std::size_t>(resolution) * resolution) {
  const auto& features = session.spec().features;
  const int f = static_cast<int>(features.size());
  const double step_x = (domain_.x_max - domain_.x_min) / (resolution - 1);
  const double step_y = (domain_.y_max - domain_.y_min) / (resolution - 1);
  float* in = ws_.input().data();
  for (int row = 0; row < resolution; ++row)
    for (int col = 0; col < resolution; ++col) {
      const auto x1 = static_cast<float>(domain_.x_min + col * step_x);
      const auto x2 = static_cast<float>(domain_.y_max - row * step_y);
      data::compute_features(features, x1, x2, in + (row * resolution + col) * f);
    }
}

const std::vector<float>& OutputGrid::compute(const train::Session& session) {
  const Tensor& out = session.network().forward(ws_, resolution_ * resolution_);
  const int k = out.dim(1);
  for (std::size_t i = 0; i < values_.size(); ++i) values_[i] = session.display_output(out.data() + i * k);
  return values_;
}

}  // namespace netlens::probe
