#include "export/png.hpp"
#include "support/scratch.hpp"

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace netlens;

namespace {

exports::IndexedImage gradient(int w, int h) {
  exports::IndexedImage image(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) image.at(x, y) = static_cast<std::uint8_t>((x + y) % 3);
  return image;
}

const exports::Palette kPalette{{255, 0, 0}, {0, 255, 0}, {10, 20, 30}};

}  // namespace

TEST(Png, DecodesToTheSamePixelsWithLibpng) {
  const auto image = gradient(7, 5);
  const std::string bytes = exports::encode_png(image, kPalette);
  png_image decoded{};
  decoded.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_memory(&decoded, bytes.data(), bytes.size()));
  EXPECT_EQ(decoded.width, 7u);
  EXPECT_EQ(decoded.height, 5u);
  decoded.format = PNG_FORMAT_RGB;
  std::vector<std::uint8_t> rgb(PNG_IMAGE_SIZE(decoded));
  ASSERT_TRUE(png_image_finish_read(&decoded, nullptr, rgb.data(), 0, nullptr));
  EXPECT_EQ(rgb, exports::to_rgb(image, kPalette));
}

TEST(Png, IdentifyReadsTheWrittenFile) {
  const std::string path = test::temp_path("png_test.png");
  exports::write_png(path, gradient(33, 17), kPalette);
  FILE* pipe = popen(("identify -format '%m %w %h' " + path).c_str(), "r");
  char out[64] = {};
  ASSERT_TRUE(std::fgets(out, sizeof out, pipe));
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_STREQ(out, "PNG 33 17");
  std::remove(path.c_str());
}
