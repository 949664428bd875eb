#include "data/resize.hpp"

#include <gtest/gtest.h>

using namespace netlens;

TEST(Resize, HalvingAveragesTwoByTwoBlocks) {
  const std::vector<float> src{1, 3, 5, 7,  //
                               1, 3, 5, 7,  //
                               0, 0, 8, 8,  //
                               0, 4, 8, 8};
  std::vector<float> dst(4);
  data::resize_area(src.data(), 4, 4, dst.data(), 2, 2);
  EXPECT_EQ(dst, (std::vector<float>{2, 6, 1, 8}));
}

TEST(Resize, ANonIntegerFactorWeighsByCoveredArea) {
  // 3 -> 2 on one axis: the middle pixel is shared half and half.
  const std::vector<float> src{0, 3, 6};
  std::vector<float> dst(2);
  data::resize_area(src.data(), 1, 3, dst.data(), 1, 2);
  EXPECT_FLOAT_EQ(dst[0], (0 * 1.0f + 3 * 0.5f) / 1.5f);
  EXPECT_FLOAT_EQ(dst[1], (3 * 0.5f + 6 * 1.0f) / 1.5f);
}

TEST(Resize, KeepsTheMeanOf28To14AndGrowingRepeatsPixels) {
  Tensor images({2, 784});
  for (std::size_t i = 0; i < images.size(); ++i) images[i] = static_cast<float>((i * 37) % 101) / 100.0f;
  const Tensor small = data::resize_images(images, 28, 14);
  ASSERT_EQ(small.shape(), (Shape{2, 196}));
  double a = 0, b = 0;
  for (int i = 0; i < 784; ++i) a += images[static_cast<std::size_t>(i)];
  for (int i = 0; i < 196; ++i) b += small[static_cast<std::size_t>(i)];
  EXPECT_NEAR(a / 784, b / 196, 1e-5);
  const std::vector<float> one{0.5f};
  std::vector<float> big(9);
  data::resize_area(one.data(), 1, 1, big.data(), 3, 3);
  for (float v : big) EXPECT_FLOAT_EQ(v, 0.5f);
}
