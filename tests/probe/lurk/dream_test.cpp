#include "probe/lurk/dream.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

// conv 1 -> 2 (5x5, no padding) -> ReLU -> flatten -> dense 2*9*9 -> 3 on a 1x13x13 input.
nn::Network first_layer_net(std::uint64_t seed, float conv_bias = 0.0f) {
  nn::Network net({1, 13, 13});
  Rng rng(seed);
  auto conv = std::make_unique<nn::Conv2D>(nn::Conv2DShape{1, 13, 13, 2, 5, 1, 0});
  conv->init(rng);
  conv->bias().fill(conv_bias);
  net.add(std::move(conv));
  net.add(std::make_unique<nn::ActivationLayer>(nn::Activation::ReLU));
  net.add(std::make_unique<nn::Flatten>());
  auto fc = std::make_unique<nn::Dense>(162, 3);
  fc->init(nn::Init::Xavier, rng);
  net.add(std::move(fc));
  return net;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double c = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    c += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  return c / std::sqrt(va * vb);
}

// The dream inside the field against 1[w > 0] of the kernel of `unit`.
double kernel_correlation(nn::Network& net, const Dream& d, int unit) {
  auto& conv = dynamic_cast<nn::Conv2D&>(net.layer(0));
  std::vector<double> image, indicator;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) {
      image.push_back(d.image[static_cast<std::size_t>((d.field.y0 + i) * 13 + d.field.x0 + j)]);
      indicator.push_back(conv.weight().values()[static_cast<std::size_t>(unit * 25 + i * 5 + j)] > 0 ? 1.0 : 0.0);
    }
  return correlation(image, indicator);
}

}  // namespace

// The maximiser of a first-layer neuron over [0, 1] pixels is 1[w > 0] in its field
// (reference §3.13 test 1): the definition, so without priors or transforms, which trade it
// for smoothness (with the defaults these 5x5 kernels measure 0.3 to 0.75). Pixels outside
// the field get no gradient and never move.
TEST(Dream, AFirstLayerNeuronDreamsOfItsKernelsSign) {
  DreamOptions bare;
  bare.tv = bare.l2 = 0;
  bare.transforms = false;
  for (std::uint64_t seed : {1, 2, 3}) {
    nn::Network net = first_layer_net(seed);
    Backprop bp(net, 1);
    for (int unit : {0, 1}) {
      const Dream d = dream(bp, 0, unit, bare);
      EXPECT_EQ(d.field, (Box{4, 4, 9, 9}));  // the centre (4, 4) of the 9x9 map
      EXPECT_GT(kernel_correlation(net, d, unit), 0.95) << "seed " << seed << " unit " << unit;
      EXPECT_FALSE(d.flat);
      Rng rng(bare.seed);
      for (int p = 0; p < 169; ++p) {
        const float start = 1.0f / (1.0f + std::exp(-static_cast<float>(rng.normal(0.0, 0.01))));
        if (!d.field.contains(p / 13, p % 13)) {
          EXPECT_FLOAT_EQ(d.image[static_cast<std::size_t>(p)], start) << "pixel " << p;
        }
      }
    }
  }
}

TEST(Dream, TheObjectiveGrowsAndAnActivationLayerMeansThePreActivation) {
  const nn::Network net = test::random_cnn(12, 4);
  Backprop bp(net, 1);
  const Dream d = dream(bp, 7, 5, {});  // a ReLU: the dense layer 6 before it
  EXPECT_EQ(d.target.layer, 6);
  EXPECT_GE(d.value, d.initial_value);
  double rises = 0;
  for (std::size_t i = 1; i < d.snapshots.size(); ++i) rises += d.snapshots[i] - d.snapshots[i - 1];
  EXPECT_GT(rises, 0.0);
  EXPECT_EQ(d.snapshots.size(), 9u);  // steps 0, 32, ..., 256
  EXPECT_THROW(dream(bp, 9, 0, {}), Error);
  EXPECT_THROW(dream(bp, 8, 3, {}), Error);
}

TEST(Dream, TheFourierParameterisationAlsoClimbs) {
  const nn::Network net = test::random_cnn(12, 4);
  Backprop bp(net, 1);
  DreamOptions o;
  o.fourier = true;
  o.steps = 64;
  const Dream d = dream(bp, 8, 1, o);
  EXPECT_GT(d.value, d.initial_value);
  EXPECT_FALSE(d.flat);
  for (float v : d.image) EXPECT_TRUE(v >= 0.0f && v <= 1.0f);
}

TEST(Dream, AUnitThatCannotMoveIsFlaggedAsNotStarted) {
  const nn::Network net = first_layer_net(5, -100.0f);  // every conv unit dead for x in [0, 1]
  Backprop bp(net, 1);
  const Dream d = dream(bp, 3, 0, {});
  EXPECT_TRUE(d.flat);
  EXPECT_EQ(d.value, d.initial_value);
}

TEST(Dream, TotalVariationAndTheWarpsAdjoint) {
  std::vector<float> flat(20, 0.3f), board(20);
  EXPECT_EQ(total_variation(flat.data(), 1, 4, 5), 0.0);
  for (int i = 0; i < 20; ++i) board[static_cast<std::size_t>(i)] = static_cast<float>((i / 5 + i % 5) % 2);
  EXPECT_EQ(total_variation(board.data(), 1, 4, 5), 3 * 5 + 4 * 4);  // every neighbouring pair differs by 1
  const Warp w{0.4f, -0.7f, 1.04f, 0.05f};
  const auto a = test::random_image(2 * 9 * 9, 1), b = test::random_image(2 * 9 * 9, 2);
  std::vector<float> wa(a.size()), wtb(b.size());
  w.apply(a.data(), wa.data(), 2, 9, 9);
  w.adjoint(b.data(), wtb.data(), 2, 9, 9);
  double left = 0, right = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    left += static_cast<double>(wa[i]) * b[i];
    right += static_cast<double>(a[i]) * wtb[i];
  }
  EXPECT_NEAR(left, right, 1e-4);  // <W a, b> = <a, W^T b>
  std::vector<float> same(a.size());
  Warp{}.apply(a.data(), same.data(), 2, 9, 9);
  EXPECT_EQ(same, a);
}
