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

namespace {

// S of a set of images (count of them, one after the other) at the diversity layer.
double similarity_of(Backprop& bp, const std::vector<std::vector<float>>& images) {
  const std::size_t n = images.front().size();
  for (std::size_t k = 0; k < images.size(); ++k) std::copy(images[k].begin(), images[k].end(), bp.input().data() + k * n);
  bp.forward(static_cast<int>(images.size()));
  return seed_diversity(bp, diversity_layer(bp.network()), static_cast<int>(images.size()), 1.0f);
}

}  // namespace

TEST(Dream, TheDiversityOfIdenticalImagesIsTheBatchSizeLessOne) {  // reference §3.13, test 3
  const nn::Network net = test::random_cnn(12, 4);
  Backprop bp(net, 4);
  EXPECT_NEAR(similarity_of(bp, std::vector<std::vector<float>>(4, test::random_image(144, 3))), 3.0, 1e-9);
}

// seed_diversity's seed, sent back to the input, is the gradient of -w S: central differences.
TEST(Dream, TheDiversityGradientMatchesFiniteDifferences) {
  const nn::Network net = test::random_cnn(12, 4);
  Backprop bp(net, 3);
  const int D = diversity_layer(net);
  ASSERT_EQ(D, 1);  // the first conv layer's ReLU
  std::vector<std::vector<float>> x;
  for (std::uint64_t k = 0; k < 3; ++k) x.push_back(test::random_image(144, 20 + k));
  const float w = 2.0f;
  similarity_of(bp, x);
  seed_diversity(bp, D, 3, w);
  const std::vector<float> analytic = bp.backward_from(D, Rule::Normal, 3).values();
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t i : {0ul, 13ul, 50ul, 77ul, 143ul}) {
      const float keep = x[k][i], h = 1e-3f;
      x[k][i] = keep + h;
      const double plus = -w * similarity_of(bp, x);
      x[k][i] = keep - h;
      const double minus = -w * similarity_of(bp, x);
      x[k][i] = keep;
      EXPECT_NEAR(analytic[k * 144 + i], (plus - minus) / (2 * h), 2e-3) << "image " << k << ", pixel " << i;
    }
}

// With the diversity term a set of dreams is less alike at the first layer (and in pixels)
// than the same set without it, and each still excites the unit.
TEST(Dream, TheDiversityTermSpreadsASetOfDreams) {
  for (int layer : {3, 8}) {  // a conv unit of the second conv layer; a class logit
    const nn::Network net = test::random_cnn(12, 7);
    Backprop bp(net, 4);
    DreamOptions o;
    o.count = 4;
    const std::vector<Dream> plain = dreams(bp, layer, 1, o);
    o.diversity = 0.3f;
    const std::vector<Dream> diverse = dreams(bp, layer, 1, o);
    std::vector<std::vector<float>> a, b;
    double plain_value = 0;
    for (int k = 0; k < 4; ++k) {
      a.push_back(plain[k].image);
      b.push_back(diverse[k].image);
      plain_value += plain[k].value / 4;
    }
    const double s_plain = similarity_of(bp, a), s_diverse = similarity_of(bp, b);
    double diverse_value = 0;
    for (const Dream& d : diverse) {
      EXPECT_FALSE(d.flat) << "layer " << layer;
      diverse_value += d.value / 4;
    }
    // measured: S 2.88 -> 0.63 and 2.97 -> 2.14 (of 3); values 0.68 -> 0.42, 3.95 -> 3.84
    EXPECT_LT(s_diverse, s_plain - 0.5) << "layer " << layer;
    EXPECT_GT(diverse_value, 0.5 * plain_value) << "layer " << layer;
  }
}

TEST(Dream, ASetLargerThanTheBatchIsRefused) {
  const nn::Network net = test::random_cnn(12, 7);
  Backprop bp(net, 2);
  DreamOptions o;
  o.count = 3;
  EXPECT_THROW(dreams(bp, 3, 0, o), Error);
}
