#pragma once
// Colours for probability maps: sequential colour maps for boundary mode, a qualitative
// palette for classes (Tableau 10; for two classes orange then blue, TensorFlow Playground's
// -1 and +1), and light or dark backgrounds.
#include <string>
#include <string_view>

#include "export/image.hpp"

namespace netlens::exports {

enum class ColourMap { Magma, Viridis, Gray };
enum class Background { Light, Dark };

std::string_view colour_map_name(ColourMap map);
ColourMap parse_colour_map(std::string_view name, const std::string& where);  // throws Error
std::string_view background_name(Background background);
Background parse_background(std::string_view name, const std::string& where);  // throws Error

Rgb colour_at(ColourMap map, double t);  // t in [0, 1], dark to light
inline constexpr int kMaxClasses = 10;
Rgb class_colour(int c, int classes);     // 0 <= c < classes <= kMaxClasses
Rgb background_colour(Background background);
Rgb foreground_colour(Background background);  // text and outlines
Rgb mix(Rgb a, Rgb b, double t);               // (1 - t) a + t b

}  // namespace netlens::exports
