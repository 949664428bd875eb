#include "probe/lurk/unit_gradients.hpp"

#include <gtest/gtest.h>

#include "probe/lurk/reference_nets.hpp"

using namespace netlens;
using namespace netlens::probe::lurk;

TEST(TopImageViews, EachImageGetsItsOwnUnitsGradientsAndBox) {
  const nn::Network net = test::random_cnn(8, 3);
  const auto images = test::random_image(5 * 64, 4);
  Backprop bp(net, 3), one(net, 1);
  const std::vector<TopEntry> top{{4, 1.0f, 2, 3}, {0, 0.5f, 7, 7}, {2, 0.2f, 0, 0}};
  const TopImageViews v = top_image_views(bp, 0, 1, top, images.data());
  ASSERT_EQ(v.boxes.size(), 3u);
  EXPECT_EQ(v.boxes[0], (Box{1, 2, 4, 5}));  // a 3x3 conv with padding 1 at (2, 3)
  EXPECT_EQ(v.boxes[1], (Box{6, 6, 8, 8}));
  for (int i = 0; i < 3; ++i) {
    const TopEntry& e = top[static_cast<std::size_t>(i)];
    std::copy_n(images.data() + e.image * 64, 64, one.input().data());
    one.forward(1);
    const Tensor& g = one.backward(unit_target(0, 1, e.y, e.x), Rule::Guided, 1);
    for (int p = 0; p < 64; ++p) {
      EXPECT_FLOAT_EQ(v.guided[static_cast<std::size_t>(i * 64 + p)], g[static_cast<std::size_t>(p)]);
      if (!v.boxes[static_cast<std::size_t>(i)].contains(p / 8, p % 8)) {
        EXPECT_EQ(v.vanilla[static_cast<std::size_t>(i * 64 + p)], 0.0f);
      }
    }
  }
}
