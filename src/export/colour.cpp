#include "export/colour.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/names.hpp"

namespace netlens::exports {

namespace {

constexpr NameTable<ColourMap, 3> kMapNames{{
    {ColourMap::Magma, "magma"},
    {ColourMap::Viridis, "viridis"},
    {ColourMap::Gray, "gray"},
}};
constexpr NameTable<Background, 2> kBackgroundNames{{{Background::Light, "light"}, {Background::Dark, "dark"}}};

// Nine evenly spaced stops of matplotlib's maps, interpolated linearly between them.
constexpr std::array<Rgb, 9> kMagma{{{0, 0, 4}, {28, 16, 68}, {79, 18, 123}, {129, 37, 129}, {181, 54, 122},
                                     {229, 80, 100}, {251, 136, 97}, {254, 194, 135}, {252, 253, 191}}};
constexpr std::array<Rgb, 9> kViridis{{{68, 1, 84}, {71, 45, 123}, {59, 82, 139}, {44, 114, 142}, {33, 145, 140},
                                       {40, 174, 128}, {94, 201, 98}, {173, 220, 48}, {253, 231, 37}}};
constexpr std::array<Rgb, 10> kTableau10{{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40},
                                          {148, 103, 189}, {140, 86, 75}, {227, 119, 194}, {127, 127, 127},
                                          {188, 189, 34}, {23, 190, 207}}};

}  // namespace

std::string_view colour_map_name(ColourMap map) { return name_of(kMapNames, map); }
ColourMap parse_colour_map(std::string_view name, const std::string& where) {
  return parse_name(kMapNames, name, where, "colour map");
}
std::string_view background_name(Background b) { return name_of(kBackgroundNames, b); }
Background parse_background(std::string_view name, const std::string& where) {
  return parse_name(kBackgroundNames, name, where, "background");
}

Rgb mix(Rgb a, Rgb b, double t) {
  auto channel = [t](std::uint8_t x, std::uint8_t y) {
    return static_cast<std::uint8_t>(std::lround((1.0 - t) * x + t * y));
  };
  return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b)};
}

Rgb colour_at(ColourMap map, double t) {
  t = std::clamp(t, 0.0, 1.0);
  if (map == ColourMap::Gray) return mix({0, 0, 0}, {255, 255, 255}, t);
  const auto& stops = map == ColourMap::Magma ? kMagma : kViridis;
  const double x = t * (stops.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(x), stops.size() - 2);
  return mix(stops[i], stops[i + 1], x - static_cast<double>(i));
}

Rgb class_colour(int c, int classes) {
  if (classes == 2) return kTableau10[c == 0 ? 1 : 0];
  return kTableau10[static_cast<std::size_t>(c)];
}

Rgb background_colour(Background b) { return b == Background::Light ? Rgb{255, 255, 255} : Rgb{17, 17, 17}; }
Rgb foreground_colour(Background b) { return b == Background::Light ? Rgb{32, 32, 32} : Rgb{240, 240, 240}; }

}  // namespace netlens::exports
