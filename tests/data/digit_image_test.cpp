#include "data/digit_image.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace netlens;

namespace {
struct Box {
  int top = 99, bottom = -1, left = 99, right = -1;
  double cy = 0, cx = 0;
};
Box ink_box(const std::vector<float>& img) {
  Box b;
  double mass = 0;
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) {
      const float v = img[static_cast<std::size_t>(y * 28 + x)];
      if (v > 0.05f) b.top = std::min(b.top, y), b.bottom = std::max(b.bottom, y), b.left = std::min(b.left, x), b.right = std::max(b.right, x);
      mass += v, b.cy += v * (y + 0.5), b.cx += v * (x + 0.5);
    }
  b.cy /= mass, b.cx /= mass;
  return b;
}
}  // namespace

TEST(DigitImage, ASmallOffCentreStrokeIsScaledTo20PixelsAndCentredByMass) {
  // A vertical stroke 2 wide and 10 tall in the top-left corner of a 28 × 28 pad.
  std::vector<float> pad(784, 0.0f);
  for (int y = 1; y < 11; ++y)
    for (int x = 2; x < 4; ++x) pad[static_cast<std::size_t>(y * 28 + x)] = 1.0f;
  const auto out = data::prepare_digit(pad, 28, 28);
  const Box b = ink_box(out);
  EXPECT_EQ(b.bottom - b.top + 1, 20);
  EXPECT_EQ(b.right - b.left + 1, 4);
  EXPECT_NEAR(b.cy, 14.0, 0.6);
  EXPECT_NEAR(b.cx, 14.0, 0.6);
}

TEST(DigitImage, DarkInkOnPaperIsInvertedAndAnyResolutionWorks) {
  // 100 × 80, white paper, a black 40 × 40 square.
  std::vector<float> photo(100 * 80, 1.0f);
  for (int y = 30; y < 70; ++y)
    for (int x = 20; x < 60; ++x) photo[static_cast<std::size_t>(y * 80 + x)] = 0.0f;
  const auto out = data::prepare_digit(photo, 100, 80);
  const Box b = ink_box(out);
  EXPECT_EQ(b.bottom - b.top + 1, 20);
  EXPECT_EQ(b.right - b.left + 1, 20);
  EXPECT_FLOAT_EQ(out[14 * 28 + 14], 1.0f);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
}

TEST(DigitImage, AnEmptyPadStaysEmptyAndAWrongSizeIsRefused) {
  const auto out = data::prepare_digit(std::vector<float>(784, 0.0f), 28, 28);
  for (float v : out) EXPECT_EQ(v, 0.0f);
  EXPECT_THROW(data::prepare_digit(std::vector<float>(10, 0.0f), 28, 28), Error);
}
