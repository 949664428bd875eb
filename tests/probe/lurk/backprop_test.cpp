#include "probe/lurk/backprop.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "probe/lurk/reference_nets.hpp"
#include "support/allocation_counter.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

namespace {

std::vector<float> n1_gradient(Rule rule) {
  const nn::Network net = test::reference_n1();
  Backprop bp(net, 1);
  const auto x = test::reference_n1_input();
  std::copy(x.begin(), x.end(), bp.input().data());
  bp.forward(1);
  EXPECT_FLOAT_EQ(bp.value(unit_target(4, 0), 0), 54.0f);
  const Tensor& dx = bp.backward(unit_target(4, 0), rule, 1);
  return {dx.data(), dx.data() + 16};
}

}  // namespace

TEST(Backprop, VanillaGradientOnTheReferenceNetIsChannelZerosTopRightWindow) {
  const std::vector<float> expected{0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0};
  EXPECT_EQ(n1_gradient(Rule::Normal), expected);
}

TEST(Backprop, GuidedBackpropOnTheReferenceNetMatchesCaptum) {
  const std::vector<float> expected{0, 1, 1, 1, 1, 3, 3, 2, 1, 3, 3, 2, 1, 2, 2, 1};
  EXPECT_EQ(n1_gradient(Rule::Guided), expected);
}

TEST(Backprop, DeconvnetOnTheReferenceNetMatchesCaptum) {
  const std::vector<float> expected{2, 3, 3, 1, 3, 5, 5, 2, 3, 5, 5, 2, 1, 2, 2, 1};
  EXPECT_EQ(n1_gradient(Rule::Deconvnet), expected);
}

TEST(Backprop, NormalRuleMatchesFiniteDifferencesForEveryKindOfTarget) {
  const nn::Network net = test::random_cnn(8, 3);
  Backprop bp(net, 1);
  const auto x = test::random_image(64, 4);
  for (const Target& t : {unit_target(0, 2, 3, 5), channel_mean_target(3, 1), unit_target(6, 7), unit_target(8, 1)}) {
    std::copy(x.begin(), x.end(), bp.input().data());
    bp.forward(1);
    const Tensor& g = bp.backward(t, Rule::Normal, 1);
    const std::vector<float> dx(g.data(), g.data() + 64);
    for (int i = 0; i < 64; i += 5) {
      const float h = 1e-3f;
      std::copy(x.begin(), x.end(), bp.input().data());
      bp.input()[static_cast<std::size_t>(i)] += h;
      bp.forward(1);
      const double up = bp.value(t, 0);
      bp.input()[static_cast<std::size_t>(i)] -= 2 * h;
      bp.forward(1);
      const double down = bp.value(t, 0);
      EXPECT_NEAR(dx[static_cast<std::size_t>(i)], (up - down) / (2 * h), 2e-2) << "layer " << t.layer << " pixel " << i;
    }
  }
}

TEST(Backprop, EachSampleOfABatchGetsItsOwnGradient) {
  const nn::Network net = test::random_cnn(8, 5);
  Backprop one(net, 1), three(net, 3);
  std::vector<std::vector<float>> images;
  for (int n = 0; n < 3; ++n) images.push_back(test::random_image(64, 10 + static_cast<std::uint64_t>(n)));
  for (int n = 0; n < 3; ++n) std::copy(images[static_cast<std::size_t>(n)].begin(), images[static_cast<std::size_t>(n)].end(), three.input().data() + n * 64);
  three.forward(3);
  const Tensor& batch = three.backward(unit_target(8, 2), Rule::Guided, 3);
  for (int n = 0; n < 3; ++n) {
    std::copy(images[static_cast<std::size_t>(n)].begin(), images[static_cast<std::size_t>(n)].end(), one.input().data());
    one.forward(1);
    const Tensor& single = one.backward(unit_target(8, 2), Rule::Guided, 1);
    for (int i = 0; i < 64; ++i) EXPECT_FLOAT_EQ(batch[static_cast<std::size_t>(n * 64 + i)], single[static_cast<std::size_t>(i)]);
  }
}

TEST(Backprop, ANetWithoutReluGivesTheSameMapUnderEveryRule) {
  const nn::Network net = test::linear_model(1, 4, 4, 3, 8);
  Backprop bp(net, 1);
  const auto x = test::random_image(16, 9);
  std::copy(x.begin(), x.end(), bp.input().data());
  bp.forward(1);
  const Tensor& g = bp.backward(unit_target(1, 1), Rule::Normal, 1);
  const std::vector<float> normal(g.data(), g.data() + 16);
  for (Rule r : {Rule::Guided, Rule::Deconvnet}) {
    const Tensor& dx = bp.backward(unit_target(1, 1), r, 1);
    for (int i = 0; i < 16; ++i) EXPECT_EQ(dx[static_cast<std::size_t>(i)], normal[static_cast<std::size_t>(i)]);
  }
}

TEST(Backprop, RepeatedCallsGiveIdenticalMapsAndAllocateNothing) {
  const nn::Network net = test::random_cnn(12, 6, 8);
  Backprop bp(net, 4);
  const auto x = test::random_image(144 * 4, 7);
  std::copy(x.begin(), x.end(), bp.input().data());
  const auto call = [&] {
    bp.forward(4);
    bp.backward(unit_target(3, 1, 2, 2), Rule::Guided, 4);
    bp.backward(channel_mean_target(1, 0), Rule::Deconvnet, 4);
    bp.backward(unit_target(8, 0), Rule::Normal, 4);
  };
  test::on_each_pool_thread(call);  // the first call on a thread sizes its scratch
  bp.forward(4);
  const std::vector<float> first = bp.backward(unit_target(3, 1, 2, 2), Rule::Guided, 4).values();
  const long before = test::allocations();
  for (int i = 0; i < 5; ++i) call();
  EXPECT_EQ(test::allocations(), before);
  bp.backward(unit_target(3, 1, 2, 2), Rule::Guided, 4);
  EXPECT_EQ(bp.gradient(-1).values(), first);
}

TEST(Backprop, BadTargetsNameTheLayerAndWhatIsMissing) {
  const nn::Network net = test::reference_n1();
  Backprop bp(net, 1);
  auto message = [&](const Target& t) {
    try {
      bp.check(t);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message(unit_target(7, 0)), "layer 7: no such layer; the model has 5 (0..4)");
  EXPECT_NE(message(unit_target(0, 2)).find("no unit 2; it has 2 (0..1)"), std::string::npos);
  EXPECT_NE(message(unit_target(0, 1, 2, 0)).find("no position (2, 0) in its 2x2 map"), std::string::npos);
  EXPECT_EQ(message(unit_target(0, 1, 1, 1)), "");
}
