#include "data/png_image.hpp"

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "support/scratch.hpp"

using namespace netlens;

namespace {
std::string temp(const std::string& name) { return test::temp_path(name); }

// Writes an RGBA PNG with libpng's simplified API.
void write_rgba(const std::string& path, int w, int h, const std::vector<unsigned char>& rgba) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(w);
  image.height = static_cast<png_uint_32>(h);
  image.format = PNG_FORMAT_RGBA;
  ASSERT_TRUE(png_image_write_to_file(&image, path.c_str(), 0, rgba.data(), 0, nullptr)) << image.message;
}
}  // namespace

TEST(PngImage, ReadsColourAsGrayAndTransparencyAsPaper) {
  const std::string path = temp("pixels.png");
  // white, black, transparent, opaque red
  write_rgba(path, 4, 1, {255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255});
  const data::GrayImage g = data::read_png_gray(path);
  ASSERT_EQ(g.width, 4);
  ASSERT_EQ(g.height, 1);
  EXPECT_FLOAT_EQ(g.values[0], 1.0f);
  EXPECT_FLOAT_EQ(g.values[1], 0.0f);
  EXPECT_FLOAT_EQ(g.values[2], 1.0f);
  EXPECT_GT(g.values[3], 0.1f);
  EXPECT_LT(g.values[3], 0.6f);
  std::remove(path.c_str());
}

TEST(PngImage, ANonPngFileIsRefusedNamingIt) {
  const std::string path = temp("not.png");
  std::ofstream(path) << "hello";
  try {
    data::read_png_gray(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": is not a PNG image; only PNG is read", 0), 0u) << e.what();
  }
  std::ofstream(path, std::ios::binary) << "\xFF\xD8\xFF\xE0 JFIF";
  try {
    data::read_png_gray(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": is a JPEG image; only PNG is read", 0), 0u) << e.what();
  }
  std::remove(path.c_str());
}
