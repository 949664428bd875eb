#include "nn/mlp.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/layers/dense.hpp"

using namespace netlens;

TEST(Mlp, DenseLayersWithTheirActivationsAndNoneForLinear) {
  auto net = nn::build_mlp(3, {{8, nn::Activation::ReLU}, {4, nn::Activation::Tanh}, {2, nn::Activation::Linear}});
  ASSERT_EQ(net.size(), 5u);  // dense relu dense tanh dense
  EXPECT_EQ(net.layer(1).name(), "relu");
  EXPECT_EQ(net.layer(4).name(), "Dense(4 -> 2)");
  EXPECT_EQ(net.output_shape(), Shape{2});
}

TEST(Mlp, HeBeforeReluXavierElsewhere) {
  auto net = nn::build_mlp(500, {{500, nn::Activation::ReLU}, {500, nn::Activation::Tanh}});
  Rng rng(1);
  nn::init_weights(net, rng);
  auto rms = [](const Tensor& t) {
    double s = 0;
    for (float v : t.values()) s += double(v) * v;
    return std::sqrt(s / t.size());
  };
  EXPECT_NEAR(rms(dynamic_cast<nn::Dense&>(net.layer(0)).weight()), std::sqrt(2.0 / 500), 0.002);  // He
  EXPECT_NEAR(rms(dynamic_cast<nn::Dense&>(net.layer(2)).weight()), std::sqrt(1.0 / 500), 0.002);  // Xavier
}
