#include "probe/lurk/sanity.hpp"

#include <gtest/gtest.h>

#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

TEST(Sanity, SpearmanOfAbsoluteValuesWithTies) {
  EXPECT_DOUBLE_EQ(spearman_abs({1, -2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(spearman_abs({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  EXPECT_DOUBLE_EQ(spearman_abs({1, 1, 1}, {1, 2, 3}), 0.0);
  EXPECT_NEAR(spearman_abs({1, 1, 2, 3}, {1, 2, 3, 4}), 0.9486832980505138, 1e-12);
}

// Cascading randomisation decorrelates the gradient maps (reference §3.14 test 1) and puts
// every weight back.
TEST(Sanity, CascadingRandomisationDecorrelatesTheGradientAndRestoresTheWeights) {
  nn::Network net = test::random_cnn(12, 7, 6);
  std::vector<std::vector<float>> before;
  for (const auto& p : net.params()) before.push_back(p.value->values());
  double last = 0;
  for (std::uint64_t image_seed = 1; image_seed <= 4; ++image_seed) {
    const auto x = test::random_image(144, image_seed);
    const auto steps = cascading_randomisation(net, x, {Method::Gradient, Method::GuidedBackprop}, {});
    ASSERT_EQ(steps.size(), 5u);  // trained, then dense 8, dense 6, conv 3, conv 0
    EXPECT_EQ(steps[0].correlation[0], 1.0);
    EXPECT_EQ(steps[1].layer, 8);
    EXPECT_EQ(steps[4].layer, 0);
    last += steps.back().correlation[0] / 4;
  }
  EXPECT_LT(last, 0.3);
  std::size_t i = 0;
  for (const auto& p : net.params()) EXPECT_EQ(p.value->values(), before[i++]);
}
