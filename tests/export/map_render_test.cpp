#include "export/map_render.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace netlens;
using exports::MapMode;
using exports::MapStyle;

namespace {

// Two classes over a 4 x 4 grid on [-2, 2]^2: class 1's probability rises from 0 at the left
// column to 1 at the right, 1/2 between the middle columns: at pixel column 22 of a frame 45
// wide (its centre, 22.5, is the grid coordinate 22.5 * 4 / 45 - 1/2 = 1.5).
const probe::Grid kGrid{{-2, 2, -2, 2}, 4, 4};
std::vector<float> left_right() {
  std::vector<float> p(32);
  const float column[4] = {0.0f, 0.25f, 0.75f, 1.0f};
  for (int i = 0; i < 16; ++i) {
    p[static_cast<std::size_t>(16 + i)] = column[i % 4];
    p[static_cast<std::size_t>(i)] = 1 - column[i % 4];
  }
  return p;
}

MapStyle plain(MapMode mode) {
  MapStyle s;
  s.mode = mode;
  s.points = false;
  return s;
}

}  // namespace

TEST(MapRenderer, BoundaryIsBrightWhereClassesMeetOnDark) {
  exports::MapRenderer r(plain(MapMode::Boundary), 2, kGrid, 45, 45);
  ASSERT_EQ(r.palette().size(), 2u + 2 + 64);  // background, text, two classes, 64 shades
  const auto image = r.render(left_right().data(), {}, "");
  const auto& pal = r.palette();
  auto brightness = [&](int x, int y) {
    const auto c = pal[image.pixels[static_cast<std::size_t>(y * 45 + x)]];
    return c.r + c.g + c.b;
  };
  EXPECT_EQ(pal[image.pixels[0]], exports::colour_at(exports::ColourMap::Magma, 0));  // confident: the dark end
  EXPECT_EQ(pal[image.pixels[22 * 45 + 22]], exports::colour_at(exports::ColourMap::Magma, 1));  // p = 1/2
  EXPECT_GT(brightness(20, 10), brightness(12, 10));
}

TEST(MapRenderer, BoundaryOnLightRunsTheMapTheOtherWay) {
  auto style = plain(MapMode::Boundary);
  style.background = exports::Background::Light;
  style.measure = exports::BoundaryMeasure::Margin;
  exports::MapRenderer r(style, 2, kGrid, 45, 45);
  const auto image = r.render(left_right().data(), {}, "");
  EXPECT_EQ(r.palette()[image.pixels[0]], exports::colour_at(exports::ColourMap::Magma, 1));
  EXPECT_EQ(r.palette()[image.pixels[22 * 45 + 22]], exports::colour_at(exports::ColourMap::Magma, 0));
}

TEST(MapRenderer, RegionColoursEachClassByArgmax) {
  exports::MapRenderer r(plain(MapMode::Region), 2, kGrid, 45, 45);
  const auto image = r.render(left_right().data(), {}, "");
  EXPECT_EQ(r.palette()[image.pixels[5 * 45 + 2]], exports::class_colour(0, 2));
  EXPECT_EQ(r.palette()[image.pixels[5 * 45 + 42]], exports::class_colour(1, 2));
  EXPECT_EQ(r.palette()[image.pixels[5 * 45 + 21]], exports::class_colour(0, 2));  // left of the middle
  EXPECT_EQ(r.palette()[image.pixels[5 * 45 + 23]], exports::class_colour(1, 2));
}

TEST(MapRenderer, RegionIntensityFadesIntoTheBackgroundAtTheBoundary) {
  auto style = plain(MapMode::Region);
  style.shading = exports::RegionShading::Intensity;
  exports::MapRenderer r(style, 2, kGrid, 45, 45);
  const auto image = r.render(left_right().data(), {}, "");
  EXPECT_EQ(r.palette()[image.pixels[0]], exports::class_colour(0, 2));  // certain: full colour
  EXPECT_EQ(r.palette()[image.pixels[22 * 45 + 22]], exports::background_colour(exports::Background::Dark));
}

TEST(MapRenderer, SmoothingRemovesASingleOddPoint) {
  const probe::Grid grid{{-2, 2, -2, 2}, 5, 5};
  std::vector<float> p(50);
  for (int i = 0; i < 25; ++i) p[static_cast<std::size_t>(i)] = 0.8f, p[static_cast<std::size_t>(25 + i)] = 0.2f;
  p[12] = 0.3f, p[25 + 12] = 0.7f;  // the centre point alone says class 1
  auto style = plain(MapMode::Region);
  exports::MapRenderer sharp(style, 2, grid, 50, 50);
  EXPECT_EQ(sharp.palette()[sharp.render(p.data(), {}, "").pixels[25 * 50 + 25]], exports::class_colour(1, 2));
  style.shading = exports::RegionShading::Smooth;
  exports::MapRenderer smooth(style, 2, grid, 50, 50);
  EXPECT_EQ(smooth.palette()[smooth.render(p.data(), {}, "").pixels[25 * 50 + 25]], exports::class_colour(0, 2));
}

TEST(MapRenderer, DrawsPointsInTheirClassColourAndATitle) {
  auto style = plain(MapMode::Boundary);
  style.points = true;
  exports::MapRenderer r(style, 2, kGrid, 40, 40);
  // A +1 point at (1, -1): pixel (30, 30).
  const auto image = r.render(left_right().data(), {{1.0f, -1.0f, 1.0f}}, "");
  EXPECT_EQ(r.palette()[image.pixels[30 * 40 + 30]], exports::class_colour(1, 2));
  const auto titled = r.render(left_right().data(), {}, "1");
  int foreground = 0;
  for (int y = 0; y < 12; ++y)
    for (int x = 0; x < 12; ++x) foreground += titled.pixels[static_cast<std::size_t>(y * 40 + x)] == 1;
  EXPECT_EQ(foreground, 10);  // the pixels of '1'
}

TEST(MapRenderer, RefusesTooManyClassesOrTinyFrames) {
  EXPECT_THROW(exports::MapRenderer(plain(MapMode::Region), 11, kGrid, 40, 40), Error);
  EXPECT_THROW(exports::MapRenderer(plain(MapMode::Region), 2, kGrid, 8, 40), Error);
}
