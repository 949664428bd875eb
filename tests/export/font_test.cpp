#include "export/font.hpp"

#include <gtest/gtest.h>

using namespace netlens;

namespace {
// The image as rows of '#' (colour 1) and '.'.
std::vector<std::string> picture(const exports::IndexedImage& image) {
  std::vector<std::string> rows;
  for (int y = 0; y < image.height; ++y) {
    std::string row;
    for (int x = 0; x < image.width; ++x) row += image.pixels[static_cast<std::size_t>(y * image.width + x)] ? '#' : '.';
    rows.push_back(row);
  }
  return rows;
}
}  // namespace

TEST(Font, DrawsAGlyphPixelForPixel) {
  exports::IndexedImage image(5, 7);
  exports::draw_text(image, 0, 0, "4", 1, 1);
  const std::vector<std::string> four{"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."};
  EXPECT_EQ(picture(image), four);
}

TEST(Font, ScalesByWholePixelsAndAdvancesSixColumns) {
  exports::IndexedImage image(24, 14);
  exports::draw_text(image, 0, 0, "-.", 2, 1);
  const auto rows = picture(image);
  EXPECT_EQ(rows[6], "##########..............");  // '-' row 3, doubled
  EXPECT_EQ(rows[12], "..............####......");  // '.' (.##..) from column 12 (advance 6 x 2)
  EXPECT_EQ(exports::text_width("-.", 2), 22);
  EXPECT_EQ(exports::text_width("", 3), 0);
}

TEST(Font, LowerCaseDrawsAsCapitalsAndUnknownAsQuestionMark) {
  EXPECT_EQ(exports::glyph('e'), exports::glyph('E'));
  EXPECT_EQ(exports::glyph('~'), exports::glyph('?'));
  EXPECT_NE(exports::glyph('0'), exports::glyph('O'));
  for (char c : std::string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.,:-+%()/=_#!"))
    EXPECT_TRUE(c == '?' || exports::glyph(c) != exports::glyph('?')) << c;
}

TEST(Font, ClipsAtTheImageEdges) {
  exports::IndexedImage image(4, 4);
  exports::draw_text(image, -2, -3, "8", 1, 1);  // must not write outside
  EXPECT_EQ(picture(image)[0], "##..");           // row 3 of '8', .###., shifted left by 2
  EXPECT_EQ(picture(image)[1], "..#.");           // row 4, #...#
}
