#include "nn/feature_major.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/layers/softmax.hpp"
#include "nn/mlp.hpp"

using namespace netlens;

TEST(FeatureMajor, MatchesTheRowMajorForwardUnitByUnit) {
  auto net = nn::build_mlp(3, {{8, nn::Activation::Tanh},
                               {5, nn::Activation::ReLU},
                               {7, nn::Activation::Sigmoid},
                               {1, nn::Activation::Linear}});
  Rng rng(71);
  nn::init_weights(net, rng);
  const int points = 1037;  // not a multiple of any tile width
  nn::Workspace rows = net.make_workspace(points);
  nn::FeatureMajorWorkspace units = nn::make_feature_major_workspace(net, points);
  for (int p = 0; p < points; ++p)
    for (int f = 0; f < 3; ++f) {
      const auto v = static_cast<float>(rng.uniform(-6, 6));
      rows.input()[static_cast<std::size_t>(p * 3 + f)] = v;
      units.input()[static_cast<std::size_t>(f * points + p)] = v;
    }
  net.forward(rows, points);
  nn::forward_feature_major(net, units);
  // Each activated layer's units (activations work in place, so compare after them) and the output.
  for (std::size_t l = 1; l < net.size(); l += 2) {
    const Tensor& want = rows.acts[l + 1];
    const Tensor& got = units.buffers[units.outputs[l]];
    const int width = want.dim(1);
    for (int p = 0; p < points; ++p)
      for (int u = 0; u < width; ++u)
        ASSERT_NEAR(got[static_cast<std::size_t>(u * points + p)], want[static_cast<std::size_t>(p * width + u)], 2e-5)
            << "layer " << l << " unit " << u << " point " << p;
  }
  for (int p = 0; p < points; ++p) ASSERT_NEAR(units.output()[static_cast<std::size_t>(p)], rows.output()[static_cast<std::size_t>(p)], 2e-5);
  EXPECT_EQ(units.buffers.size(), 5u);  // inputs and one per dense layer
}

TEST(FeatureMajor, RefusesLayersItCannotEvaluate) {
  nn::Network softmax({2});
  softmax.add(std::make_unique<nn::Softmax>());
  EXPECT_THROW(nn::make_feature_major_workspace(softmax, 10), Error);
  nn::Network activation_first({2});
  activation_first.add(std::make_unique<nn::ActivationLayer>(nn::Activation::Tanh));
  EXPECT_THROW(nn::make_feature_major_workspace(activation_first, 10), Error);
}
