#pragma once
// A tiny bitmap font for titles drawn into frames: 5 x 7 pixel glyphs (digits, letters,
// punctuation) on a 6-pixel advance, scaled by whole pixels. Lower-case letters draw as
// capitals; a character without a glyph draws as '?'.
#include <array>
#include <cstdint>
#include <string_view>

#include "export/image.hpp"

namespace netlens::exports {

inline constexpr int kGlyphWidth = 5, kGlyphHeight = 7, kGlyphAdvance = 6;

// Seven rows, top first; bit 4 of a row is its leftmost pixel.
const std::array<std::uint8_t, 7>& glyph(char c);

int text_width(std::string_view text, int scale);  // pixels, without the last glyph's gap
// Draws `text` with its top-left corner at (x, y) in palette colour `colour`; pixels outside
// the image are skipped.
void draw_text(IndexedImage& image, int x, int y, std::string_view text, int scale, std::uint8_t colour);

}  // namespace netlens::exports
