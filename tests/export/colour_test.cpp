#include "export/colour.hpp"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "core/error.hpp"

using namespace netlens;
using exports::Rgb;

TEST(Colour, MapsRunFromDarkToLightThroughTheirStops) {
  EXPECT_EQ(exports::colour_at(exports::ColourMap::Magma, 0), (Rgb{0, 0, 4}));
  EXPECT_EQ(exports::colour_at(exports::ColourMap::Magma, 1), (Rgb{252, 253, 191}));
  EXPECT_EQ(exports::colour_at(exports::ColourMap::Viridis, 0.5), (Rgb{33, 145, 140}));
  EXPECT_EQ(exports::colour_at(exports::ColourMap::Gray, 0.5), (Rgb{128, 128, 128}));
  EXPECT_EQ(exports::colour_at(exports::ColourMap::Gray, 2.0), (Rgb{255, 255, 255}));  // clamped
  auto brightness = [](Rgb c) { return c.r + c.g + c.b; };
  for (auto map : {exports::ColourMap::Magma, exports::ColourMap::Viridis, exports::ColourMap::Gray})
    EXPECT_LT(brightness(exports::colour_at(map, 0.1)), brightness(exports::colour_at(map, 0.9)));
}

TEST(Colour, ClassesGetDistinctColoursAndTwoClassesArePlaygroundOrangeThenBlue) {
  std::set<std::tuple<int, int, int>> seen;
  for (int c = 0; c < exports::kMaxClasses; ++c) {
    const Rgb rgb = exports::class_colour(c, exports::kMaxClasses);
    seen.insert({rgb.r, rgb.g, rgb.b});
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(exports::kMaxClasses));
  EXPECT_EQ(exports::class_colour(0, 2), (Rgb{255, 127, 14}));
  EXPECT_EQ(exports::class_colour(1, 2), (Rgb{31, 119, 180}));
}

TEST(Colour, MixAndBackgrounds) {
  EXPECT_EQ(exports::mix({0, 0, 0}, {200, 100, 50}, 0.5), (Rgb{100, 50, 25}));
  EXPECT_EQ(exports::background_colour(exports::Background::Light), (Rgb{255, 255, 255}));
  EXPECT_NE(exports::foreground_colour(exports::Background::Dark), exports::background_colour(exports::Background::Dark));
  EXPECT_EQ(exports::parse_colour_map("viridis", "x"), exports::ColourMap::Viridis);
  EXPECT_THROW(exports::parse_colour_map("jet", "--colour-map"), Error);
  EXPECT_THROW(exports::parse_background("grey", "--background"), Error);
}
