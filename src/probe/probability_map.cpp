#include "probe/probability_map.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace netlens::probe {

namespace {

int class_count(const train::Session& session) {
  if (session.spec().problem == data::Problem::Regression)
    throw Error("probability map", "a regression run (data set '" + session.spec().dataset + "') has no classes");
  return std::max(2, train::num_classes(session.spec()));
}

// Feature-major outputs z (output j at z[j * n + i]) of n points to class-major probabilities
// p (class c at p[c * stride + i]).
void to_probabilities(nn::Loss loss, const float* z, int n, int k, float* p, std::size_t stride) {
  switch (loss) {
    case nn::Loss::SquaredError:
      for (int i = 0; i < n; ++i) p[stride + i] = std::clamp(0.5f * (z[i] + 1.0f), 0.0f, 1.0f);
      break;
    case nn::Loss::BinaryCrossEntropy:
      for (int i = 0; i < n; ++i) p[stride + i] = 1.0f / (1.0f + std::exp(-z[i]));
      break;
    case nn::Loss::SoftmaxCrossEntropy:  // p_c = exp(z_c - z_max) / sum_j exp(z_j - z_max)
      for (int i = 0; i < n; ++i) {
        float z_max = z[i];
        for (int c = 1; c < k; ++c) z_max = std::max(z_max, z[c * n + i]);
        float sum = 0;
        for (int c = 0; c < k; ++c) sum += p[c * stride + i] = std::exp(z[c * n + i] - z_max);
        for (int c = 0; c < k; ++c) p[c * stride + i] /= sum;
      }
      return;
  }
  for (int i = 0; i < n; ++i) p[i] = 1.0f - p[stride + i];  // one output: class 0 is the rest
}

}  // namespace

ProbabilityMap::ProbabilityMap(const train::Session& session, Grid grid)
    : grid_(grid),
      classes_(class_count(session)),
      blocks_(make_grid_blocks(session, grid_)),
      values_(static_cast<std::size_t>(classes_) * static_cast<std::size_t>(grid_.points())) {}

const std::vector<float>& ProbabilityMap::compute(const train::Session& session) {
  const auto stride = static_cast<std::size_t>(grid_.points());
  const nn::Loss loss = session.spec().loss;
  parallel::parallel_for(blocks_.blocks.size(), 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      nn::FeatureMajorWorkspace& ws = blocks_.blocks[b];
      const Tensor& out = nn::forward_feature_major(session.network(), ws);
      to_probabilities(loss, out.data(), ws.points, classes_, values_.data() + b * blocks_.block_points, stride);
    }
  });
  return values_;
}

}  // namespace netlens::probe
