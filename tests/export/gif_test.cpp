#include "export/gif.hpp"

#include <gif_lib.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "core/error.hpp"
#include "support/scratch.hpp"

using namespace netlens;

namespace {

exports::IndexedImage frame(int w, int h, int shift) {
  exports::IndexedImage image(w, h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) image.at(x, y) = static_cast<std::uint8_t>((x + shift) % 4);
  return image;
}

const exports::Palette kGifPalette{{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 0, 255}};

std::string run(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  pclose(pipe);
  return out;
}

}  // namespace

TEST(Gif, FramesDecodeWithGiflibsReader) {
  const std::string path = test::temp_path("gif_test.gif");
  exports::GifWriter gif(12, 6, kGifPalette, 80);
  for (int f = 0; f < 3; ++f) gif.add(frame(12, 6, f));
  EXPECT_EQ(gif.frames(), 3);
  gif.finish(path);

  int error = 0;
  GifFileType* in = DGifOpenFileName(path.c_str(), &error);
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(DGifSlurp(in), GIF_OK);
  EXPECT_EQ(in->SWidth, 12);
  EXPECT_EQ(in->SHeight, 6);
  ASSERT_EQ(in->ImageCount, 3);
  for (int f = 0; f < 3; ++f) {
    const auto expected = frame(12, 6, f);
    const SavedImage& image = in->SavedImages[f];
    EXPECT_TRUE(std::equal(expected.pixels.begin(), expected.pixels.end(), image.RasterBits)) << f;
    GraphicsControlBlock control;
    DGifSavedExtensionToGCB(in, f, &control);
    EXPECT_EQ(control.DelayTime, 8);  // 80 ms in hundredths of a second
  }
  EXPECT_EQ(in->SColorMap->Colors[2].Red, 255);
  EXPECT_EQ(in->SColorMap->Colors[3].Blue, 255);
  DGifCloseFile(in, &error);

  // ImageMagick, an independent decoder, sees the same frames, size and delay.
  EXPECT_EQ(run("identify -format '%w %h %T\\n' " + path), "12 6 8\n12 6 8\n12 6 8\n");
  std::remove(path.c_str());
}

TEST(Gif, UnchangedPixelsAreTransparentOverTheKeptFrame) {
  const std::string path = test::temp_path("gif_delta.gif");
  exports::GifWriter gif(12, 6, kGifPalette, 100);
  auto second = frame(12, 6, 0);
  second.at(5, 3) = 3;
  gif.add(frame(12, 6, 0));
  gif.add(second);
  gif.finish(path);

  int error = 0;
  GifFileType* in = DGifOpenFileName(path.c_str(), &error);
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(DGifSlurp(in), GIF_OK);
  ASSERT_EQ(in->ImageCount, 2);
  GraphicsControlBlock control;
  DGifSavedExtensionToGCB(in, 1, &control);
  EXPECT_EQ(control.TransparentColor, 4);  // the first entry after the palette
  int opaque = 0;
  for (int i = 0; i < 72; ++i) opaque += in->SavedImages[1].RasterBits[i] != 4;
  EXPECT_EQ(opaque, 1);
  DGifCloseFile(in, &error);

  // Composed by ImageMagick, the second frame is the whole second image.
  const std::string rgb = run("convert " + path + " -coalesce -delete 0 rgb:-");
  const auto expected = exports::to_rgb(second, kGifPalette);
  EXPECT_EQ(rgb, std::string(expected.begin(), expected.end()));
  std::remove(path.c_str());
}

TEST(Gif, RefusesAFrameOfAnotherSize) {
  exports::GifWriter gif(12, 6, kGifPalette, 100);
  EXPECT_THROW(gif.add(frame(6, 12, 0)), Error);
}
