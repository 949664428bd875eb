#include "probe/lurk/cam.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

Backprop loaded(const nn::Network& net, const std::vector<float>& x, int capacity = 1) {
  Backprop bp(net, capacity);
  std::copy(x.begin(), x.end(), bp.input().data());
  return bp;
}

void expect_all_near(const std::vector<float>& got, const std::vector<float>& want, float tolerance = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << "at " << i;
}

// conv -> ReLU -> global average pool -> flatten -> dense, where CAM = sum_k w^c_k A^k.
nn::Network gap_net(std::uint64_t seed, bool positive_weights) {
  nn::Network net({1, 10, 10});
  Rng rng(seed);
  auto conv = std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, 10, 10, 5, 3, 1, 1});
  conv->init(rng);
  net.add(std::move(conv));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::AvgPool2D>(nn::Pool2DShape{5, 10, 10, 10, 10}));
  net.add(std::make_unique<nn::Flatten>());
  auto fc = std::make_unique<nn::Dense>(5, 3);
  fc->init(nn::Init::Xavier, rng);
  if (positive_weights)
    for (auto& w : fc->weight().values()) w = std::abs(w);
  net.add(std::move(fc));
  return net;
}

std::vector<float> cam_of(const nn::Network& net, Backprop& bp, int c) {  // ReLU(sum_k w_kc A^k)
  const auto& fc = dynamic_cast<const nn::Dense&>(net.layer(4));
  bp.forward(1);
  std::vector<float> cam(100, 0.0f);
  for (int k = 0; k < 5; ++k)
    for (int i = 0; i < 100; ++i) cam[static_cast<std::size_t>(i)] += fc.weight()[static_cast<std::size_t>(k * 3 + c)] * bp.activation(1)[static_cast<std::size_t>(k * 100 + i)];
  for (float& v : cam) v = std::max(v, 0.0f);
  return cam;
}

}  // namespace

TEST(GradCam, OnTheReferenceNetMatchesCaptumAtTheConvAndReluOutputs) {
  const nn::Network net = test::reference_n1();
  Backprop bp = loaded(net, test::reference_n1_input());
  expect_all_near(grad_cam(bp, unit_target(4, 0), 0), {11.25f, 13.5f, 20.25f, 22.5f});
  expect_all_near(grad_cam(bp, unit_target(4, 0), 1), {0.0f, 4.0f, 28.0f, 32.5f});
}

TEST(GradCam, EqualsCamOverZAfterGlobalAveragePooling) {
  const nn::Network net = gap_net(3, false);
  Backprop bp = loaded(net, test::random_image(100, 4));
  for (int c = 0; c < 3; ++c) {
    std::vector<float> cam = cam_of(net, bp, c);
    for (float& v : cam) v /= 100.0f;  // Z = 10 x 10
    expect_all_near(grad_cam(bp, unit_target(4, c), 1), cam, 1e-6f);
  }
}

TEST(LayerCam, EqualsGradCamWhenEveryClassWeightIsPositive) {
  const nn::Network net = gap_net(5, true);
  Backprop bp = loaded(net, test::random_image(100, 6));
  expect_all_near(layer_cam(bp, unit_target(4, 1), 1), grad_cam(bp, unit_target(4, 1), 1), 1e-6f);
}

TEST(ScoreCam, OneForwardPerNonConstantChannelAndNoNaNOnConstantMaps) {
  const nn::Network net = gap_net(7, false);
  const auto x = test::random_image(100, 8);
  Backprop bp = loaded(net, x, 4);
  int passes = 0;
  const std::vector<float> cam = score_cam(bp, x, unit_target(4, 0), 1, passes);
  EXPECT_LE(passes, 5);
  for (float v : cam) EXPECT_TRUE(std::isfinite(v) && v >= 0.0f);
  std::vector<float> blank(100, 0.0f);  // every map constant: all skipped, a zero map, not NaN
  passes = 0;
  for (float v : score_cam(bp, blank, unit_target(4, 0), 1, passes)) EXPECT_TRUE(std::isfinite(v));
}

TEST(ScoreCam, AOneChannelLayerGivesItsOwnMapUpToScale) {
  nn::Network net({1, 6, 6});
  Rng rng(9);
  auto conv = std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, 6, 6, 1, 3, 1, 1});
  conv->init(rng);
  net.add(std::move(conv));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::Flatten>());
  auto fc = std::make_unique<nn::Dense>(36, 2);
  fc->init(nn::Init::Xavier, rng);
  net.add(std::move(fc));
  const auto x = test::random_image(36, 10);
  Backprop bp = loaded(net, x);
  int passes = 0;
  const std::vector<float> cam = score_cam(bp, x, unit_target(3, 1), 1, passes);
  EXPECT_EQ(passes, 1);
  bp.forward(1);
  const float* a = bp.activation(1).data();
  const float scale = cam[static_cast<std::size_t>(std::max_element(a, a + 36) - a)] / *std::max_element(a, a + 36);
  EXPECT_GT(scale, 0.0f);
  for (int i = 0; i < 36; ++i) EXPECT_NEAR(cam[static_cast<std::size_t>(i)], scale * a[i], 1e-5f);
}

TEST(Cam, UpsamplingKeepsAConstantMapAndTheDefaultLayerIsTheLastConvsActivation) {
  expect_all_near(upsample_bilinear({2, 2, 2, 2}, 2, 2, 5, 7), std::vector<float>(35, 2.0f));
  EXPECT_EQ(default_cam_layer(test::random_cnn(8, 1)), 4);
  const nn::Network mlp = test::linear_model(1, 4, 4, 2, 1);
  EXPECT_THROW(default_cam_layer(mlp), Error);
  EXPECT_THROW(check_cam_layer(test::random_cnn(8, 1), 6), Error);
}
