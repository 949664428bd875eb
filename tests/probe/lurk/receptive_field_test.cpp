#include "probe/lurk/receptive_field.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "probe/lurk/backprop.hpp"
#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

// conv3 -> ReLU -> conv3 -> ReLU -> maxpool2 -> conv3 (stride 2, pad 1) on 1x20x20: the
// usual MNIST stack plus a strided layer.
nn::Network stack(std::uint64_t seed) {
  nn::Network net({1, 20, 20});
  Rng rng(seed);
  auto add_conv = [&](nn::Conv2DShape s) {
    auto c = std::make_unique<nn::Conv2D>(s);
    c->init(rng);
    for (auto& b : c->bias().values()) b = static_cast<float>(rng.uniform(0.05, 0.2));
    net.add(std::move(c));
  };
  add_conv({1, 20, 20, 3, 3, 1, 0});  // 18x18
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  add_conv({3, 18, 18, 4, 3, 1, 0});  // 16x16
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::MaxPool2D>(nn::Pool2DShape{4, 16, 16, 2, 2}));  // 8x8
  add_conv({4, 8, 8, 2, 3, 2, 1});  // 4x4
  return net;
}

}  // namespace

TEST(ReceptiveField, SizesFollowTheAnalyticRecurrence) {
  const nn::Network net = stack(1);
  // r: 3, 5, 6 (jump 2), then 6 + 2 * 2 = 10 (jump 4); the reference's 3, 5, 6 for the MNIST stack
  EXPECT_EQ(receptive_field_size(net, 0).size, 3);
  EXPECT_EQ(receptive_field_size(net, 2).size, 5);
  EXPECT_EQ(receptive_field_size(net, 4).size, 6);
  EXPECT_EQ(receptive_field_size(net, 4).jump, 2);
  EXPECT_EQ(receptive_field_size(net, 5).size, 10);
  EXPECT_EQ(receptive_field_size(net, 5).jump, 4);
  // interior units' boxes have exactly that size
  EXPECT_EQ(receptive_field(net, 4, 3, 3), (Box{6, 6, 12, 12}));
  EXPECT_EQ(receptive_field(net, 5, 2, 2), (Box{6, 6, 16, 16}));  // [3, 5] -> [6, 11] -> [6, 13] -> [6, 15]
}

TEST(ReceptiveField, IsClippedToTheImageWherePaddingReachesOut) {
  const nn::Network net = stack(1);
  // padding 1 at the last conv: [-1, 1] -> [-2, 3] -> [-2, 5] -> [-2, 7], 10 rows before clipping
  EXPECT_EQ(receptive_field(net, 5, 0, 0), (Box{0, 0, 8, 8}));
  EXPECT_EQ(receptive_field(net, 5, 3, 3), (Box{10, 10, 20, 20}));  // [5, 7] -> [10, 15] -> ... -> [10, 21], clipped at 19
}

TEST(ReceptiveField, ADenseUnitSeesTheWholeImage) {
  const nn::Network net = test::random_cnn(8, 2);
  EXPECT_EQ(receptive_field(net, 6, 0, 0), (Box{0, 0, 8, 8}));
  EXPECT_TRUE(receptive_field_size(net, 6).whole);
}

// Zeroing every pixel outside a unit's box leaves its value unchanged, and its gradient is
// zero outside the box (reference §3.15 tests 2 and 3).
TEST(ReceptiveField, ZeroingOutsideTheBoxKeepsTheUnitAndItsGradientStaysInside) {
  const nn::Network net = stack(2);
  Backprop bp(net, 1);
  const auto x = test::random_image(400, 3);
  for (int layer : {0, 2, 4, 5}) {
    const Shape& s = bp.shape(layer);
    for (const auto& [y, xx] : {std::pair{0, 0}, std::pair{s[1] / 2, s[2] / 3}, std::pair{s[1] - 1, s[2] - 1}}) {
      const Target t = unit_target(layer, 1, y, xx);
      const Box box = receptive_field(net, layer, y, xx);
      std::copy(x.begin(), x.end(), bp.input().data());
      bp.forward(1);
      const float full = bp.value(t, 0);
      const Tensor& g = bp.backward(t, Rule::Normal, 1);
      for (int i = 0; i < 400; ++i)
        if (!box.contains(i / 20, i % 20)) {
          EXPECT_EQ(g[static_cast<std::size_t>(i)], 0.0f) << "layer " << layer << " pixel " << i;
        }
      for (int i = 0; i < 400; ++i) bp.input()[static_cast<std::size_t>(i)] = box.contains(i / 20, i % 20) ? x[static_cast<std::size_t>(i)] : 0.0f;
      bp.forward(1);
      EXPECT_FLOAT_EQ(bp.value(t, 0), full) << "layer " << layer << " at " << y << ", " << xx;
    }
  }
}
